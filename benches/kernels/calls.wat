;; Call-heavy: per iteration one call_indirect through an 8-entry table of small functions
;; (one of which makes a further direct call) and a chain of two direct calls.
;; run(n) = the accumulator after n iterations.
(module
  (type $binop (func (param i64 i64) (result i64)))
  (table 8 funcref)
  (elem (i32.const 0) $add $xor $mul $rot $sub $shr $twice $mixed)

  (func $add (type $binop) (i64.add (local.get 0) (local.get 1)))
  (func $xor (type $binop) (i64.xor (local.get 0) (local.get 1)))
  (func $mul (type $binop)
    (i64.add (i64.mul (local.get 0) (i64.const 0x5851F42D4C957F2D)) (local.get 1)))
  (func $rot (type $binop) (i64.rotl (local.get 0) (i64.and (local.get 1) (i64.const 63))))
  (func $sub (type $binop) (i64.sub (local.get 0) (local.get 1)))
  (func $shr (type $binop) (i64.add (i64.shr_u (local.get 0) (i64.const 3)) (local.get 1)))
  (func $twice (type $binop) (i64.xor (i64.shl (local.get 0) (i64.const 1)) (local.get 1)))
  (func $mixed (type $binop) (call $mix (local.get 1) (local.get 0)))

  (func $mix (param $a i64) (param $b i64) (result i64)
    (i64.add (i64.xor (local.get $a) (i64.shl (local.get $b) (i64.const 1))) (i64.const 1)))

  ;; two levels of direct calls with three parameters
  (func $step (param $acc i64) (param $i i64) (param $k i32) (result i64)
    (call $mix (local.get $acc) (i64.add (local.get $i) (i64.extend_i32_u (local.get $k)))))

  (func (export "run") (param $n i32) (result i64)
    (local $acc i64) (local $i i32)
    (local.set $acc (i64.const 1))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then
        (loop $next
          (local.set $acc
            (call_indirect (type $binop)
              (local.get $acc) (i64.extend_i32_u (local.get $i))
              (i32.and (local.get $i) (i32.const 7))))
          (local.set $acc
            (call $step (local.get $acc) (i64.extend_i32_u (local.get $i)) (i32.const 5)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $next (i32.lt_s (local.get $i) (local.get $n))))))
    (local.get $acc)))
