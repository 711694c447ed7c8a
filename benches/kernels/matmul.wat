;; Naive f64 matrix multiply C = A * B of n x n row-major matrices in linear memory:
;; the inner loop walks a row of A and a column of B (stride n * 8).
;; run(n) = the bits of the sum of C's entries.
(module
  (memory 1)

  (func (export "run") (param $n i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $size i32) (local $pages i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pa i32) (local $pb i32)
    (local $acc f64) (local $sum f64)
    (local.set $size (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 3)))
    (local.set $a (i32.const 0))
    (local.set $b (local.get $size))
    (local.set $c (i32.shl (local.get $size) (i32.const 1)))
    (local.set $pages
      (i32.sub
        (i32.shr_u (i32.add (i32.mul (local.get $size) (i32.const 3)) (i32.const 0xFFFF))
                   (i32.const 16))
        (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
          (then (unreachable)))))
    ;; A[i][j] = ((i*n + j) * 7 + 3) % 13 * 0.25;  B[i][j] = (i + 2j) % 11 - 5
    (local.set $i (i32.const 0))
    (loop $init_i
      (local.set $j (i32.const 0))
      (loop $init_j
        (local.set $k (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)))
        (f64.store
          (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 3)))
          (f64.mul
            (f64.convert_i32_u
              (i32.rem_u (i32.add (i32.mul (local.get $k) (i32.const 7)) (i32.const 3))
                         (i32.const 13)))
            (f64.const 0.25)))
        (f64.store
          (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 3)))
          (f64.convert_i32_s
            (i32.sub
              (i32.rem_u (i32.add (local.get $i) (i32.shl (local.get $j) (i32.const 1)))
                         (i32.const 11))
              (i32.const 5))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $init_j (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $init_i (i32.lt_u (local.get $i) (local.get $n))))
    ;; C = A * B
    (local.set $i (i32.const 0))
    (loop $mul_i
      (local.set $j (i32.const 0))
      (loop $mul_j
        (local.set $acc (f64.const 0))
        (local.set $pa
          (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $k (i32.const 0))
        (loop $mul_k
          (local.set $acc
            (f64.add (local.get $acc)
              (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $n) (i32.const 3))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $mul_k (i32.lt_u (local.get $k) (local.get $n))))
        (f64.store
          (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
          (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $mul_j (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $mul_i (i32.lt_u (local.get $i) (local.get $n))))
    ;; checksum: sum of C, read back from memory
    (local.set $k (i32.const 0))
    (loop $sum_k
      (local.set $sum
        (f64.add (local.get $sum)
          (f64.load (i32.add (local.get $c) (i32.shl (local.get $k) (i32.const 3))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $sum_k (i32.lt_u (local.get $k) (i32.mul (local.get $n) (local.get $n)))))
    (i64.reinterpret_f64 (local.get $sum))))
