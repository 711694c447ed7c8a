;; Dot products of two i16 vectors with v128: loads, i32x4.dot_i16x8_s, lane adds, stores.
;; Two 4096-element i16 arrays a and b are filled from an LCG; each of n passes sums the
;; dot product of a and b in four i32 lanes (wrapping), adds the lanes to the checksum, and
;; increments every element of a (wrapping), so that no two passes compute the same thing.
;; run(n) = the sum over the passes of the four lane sums, each sign-extended to i64.
(module
  (memory 1)

  (func $fill (param $at i32) (param $seed i32)
    (local $i i32) (local $x i32)
    (local.set $x (local.get $seed))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 4096)))
        ;; an element in -1024..1023, from bits 16..26 of the generator
        (i32.store16
          (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 1)))
          (i32.sub (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 0x7ff))
                   (i32.const 1024)))
        (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func (export "run") (param $n i32) (result i64)
    (local $pass i32) (local $k i32) (local $va v128) (local $acc v128) (local $sum i64)
    (call $fill (i32.const 0) (i32.const 1))
    (call $fill (i32.const 8192) (i32.const 2))
    (block $finished
      (loop $passes
        (br_if $finished (i32.ge_u (local.get $pass) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (block $done
          (loop $chunks
            (br_if $done (i32.ge_u (local.get $k) (i32.const 8192)))
            (local.set $va (v128.load (local.get $k)))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (local.get $va) (v128.load offset=8192 (local.get $k)))))
            (v128.store (local.get $k) (i16x8.add (local.get $va) (v128.const i16x8 1 1 1 1 1 1 1 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $chunks)))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.add
              (i64.add (i64.extend_i32_s (i32x4.extract_lane 0 (local.get $acc)))
                       (i64.extend_i32_s (i32x4.extract_lane 1 (local.get $acc))))
              (i64.add (i64.extend_i32_s (i32x4.extract_lane 2 (local.get $acc)))
                       (i64.extend_i32_s (i32x4.extract_lane 3 (local.get $acc)))))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passes)))
    (local.get $sum)))
