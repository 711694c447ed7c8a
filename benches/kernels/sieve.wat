;; Sieve of Eratosthenes over a byte array in linear memory (grown to fit).
;; run(n) = sum of the primes below n.
(module
  (memory 1)

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $sum i64) (local $pages i32)
    ;; grow the memory to hold n bytes
    (local.set $pages
      (i32.sub (i32.shr_u (i32.add (local.get $n) (i32.const 0xFFFF)) (i32.const 16))
               (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
          (then (unreachable)))))
    ;; clear: byte i becomes 1 once i is known to be composite
    (local.set $i (i32.const 0))
    (block $cleared
      (loop $clear
        (br_if $cleared (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (local.get $i) (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $clear)))
    ;; cross out multiples of each prime i with i*i < n
    (local.set $i (i32.const 2))
    (block $sieved
      (loop $outer
        (br_if $sieved (i32.ge_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $done
              (loop $inner
                (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    ;; add up the primes
    (local.set $i (i32.const 2))
    (block $counted
      (loop $count
        (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (local.get $sum)))
