;; A tight integer loop: xorshift64 plus a few i32/i64 ops per iteration, all in locals.
;; run(n) = sum over n steps of the generator's state mixed with the counter.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $x i64) (local $sum i64) (local $i i32) (local $odd i32)
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then
        (loop $next
          (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
          (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
          (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
          (local.set $odd
            (i32.add (local.get $odd) (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 1))))
          (local.set $sum
            (i64.add (local.get $sum)
              (i64.xor (local.get $x) (i64.extend_i32_u (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $next (i32.lt_s (local.get $i) (local.get $n))))))
    (i64.add (local.get $sum) (i64.extend_i32_u (local.get $odd)))))
