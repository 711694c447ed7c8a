;; A bytecode interpreter, the shape of CPython's eval loop: fetch a 4-byte instruction from
;; linear memory, decode it, dispatch through br_table, and keep the VM's registers and heap in
;; linear memory. The bytecode program sums the Collatz step counts of 1..=n and mixes them
;; into a 1024-word heap. n must stay below 159487 (beyond it a trajectory overflows u32).
;; run(n) = total steps << 32 | a hash of the heap.
(module
  (memory 1)

  ;; 0..: the program, one instruction per 4 bytes: opcode, a, b, c (imm16 = b | c << 8)
  ;; opcodes: 0 halt, 1 loadi a imm, 2 mov a b, 3 add a b c, 4 sub a b c, 5 mul a b c,
  ;; 6 and a b c, 7 xor a b c, 8 shr_u a b c, 9 lt_u a b c, 10 jmp imm, 11 jz a imm,
  ;; 12 load a b (a = heap[b]), 13 store a b (heap[b] = a). r15 holds n on entry.
  (data (i32.const 0)
    "\01\01\01\00" ;;  0: loadi r1, 1        x = 1
    "\01\03\00\00" ;;  1: loadi r3, 0        total = 0
    "\01\0a\01\00" ;;  2: loadi r10, 1
    "\01\0b\03\00" ;;  3: loadi r11, 3
    "\01\0c\ff\03" ;;  4: loadi r12, 1023
    "\02\04\01\00" ;;  5: mov r4, r1         y = x
    "\01\05\00\00" ;;  6: loadi r5, 0        steps = 0
    "\04\06\04\0a" ;;  7: sub r6, r4, r10
    "\0b\06\11\00" ;;  8: jz r6, 17          while y != 1
    "\06\07\04\0a" ;;  9: and r7, r4, r10
    "\0b\07\0e\00" ;; 10: jz r7, 14          if y odd
    "\05\04\04\0b" ;; 11: mul r4, r4, r11      y = 3y + 1
    "\03\04\04\0a" ;; 12: add r4, r4, r10
    "\0a\00\0f\00" ;; 13: jmp 15
    "\08\04\04\0a" ;; 14: shr_u r4, r4, r10  else y >>= 1
    "\03\05\05\0a" ;; 15: add r5, r5, r10    steps += 1
    "\0a\00\07\00" ;; 16: jmp 7
    "\03\03\03\05" ;; 17: add r3, r3, r5     total += steps
    "\06\08\01\0c" ;; 18: and r8, r1, r12
    "\0c\09\08\00" ;; 19: load r9, r8        heap[x & 1023] = (heap[x & 1023] + steps) ^ x
    "\03\09\09\05" ;; 20: add r9, r9, r5
    "\07\09\09\01" ;; 21: xor r9, r9, r1
    "\0d\09\08\00" ;; 22: store r9, r8
    "\03\01\01\0a" ;; 23: add r1, r1, r10    x += 1
    "\09\06\0f\01" ;; 24: lt_u r6, r15, r1
    "\0b\06\05\00" ;; 25: jz r6, 5           while x <= n
    "\00\00\00\00" ;; 26: halt
  )
  ;; 1024..1088: registers r0..r15; 2048..6144: the heap

  (func (export "run") (param $n i32) (result i64)
    (local $pc i32) (local $ins i32) (local $a i32) (local $b i32) (local $c i32)
    (local $i i32) (local $hash i32)
    ;; clear registers and heap, then r15 = n
    (local.set $i (i32.const 1024))
    (loop $clear
      (i32.store (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $clear (i32.lt_u (local.get $i) (i32.const 6144))))
    (i32.store offset=1084 (i32.const 0) (local.get $n))
    (block $halt
      (loop $next
        (local.set $ins (i32.load (i32.shl (local.get $pc) (i32.const 2))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        ;; register operands as byte addresses of registers
        (local.set $a
          (i32.add (i32.const 1024)
            (i32.and (i32.shr_u (local.get $ins) (i32.const 6)) (i32.const 0x3FC))))
        (local.set $b
          (i32.add (i32.const 1024)
            (i32.and (i32.shr_u (local.get $ins) (i32.const 14)) (i32.const 0x3FC))))
        (local.set $c
          (i32.add (i32.const 1024) (i32.shl (i32.shr_u (local.get $ins) (i32.const 24)) (i32.const 2))))
        (block $store
        (block $load
        (block $jz
        (block $jmp
        (block $lt_u
        (block $shr_u
        (block $xor
        (block $and
        (block $mul
        (block $sub
        (block $add
        (block $mov
        (block $loadi
          (br_table $halt $loadi $mov $add $sub $mul $and $xor $shr_u $lt_u $jmp $jz $load $store
                    $halt
            (i32.and (local.get $ins) (i32.const 0xFF))))
        ;; loadi
        (i32.store (local.get $a) (i32.shr_u (local.get $ins) (i32.const 16)))
        (br $next))
        ;; mov
        (i32.store (local.get $a) (i32.load (local.get $b)))
        (br $next))
        ;; add
        (i32.store (local.get $a) (i32.add (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; sub
        (i32.store (local.get $a) (i32.sub (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; mul
        (i32.store (local.get $a) (i32.mul (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; and
        (i32.store (local.get $a) (i32.and (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; xor
        (i32.store (local.get $a) (i32.xor (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; shr_u
        (i32.store (local.get $a) (i32.shr_u (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; lt_u
        (i32.store (local.get $a) (i32.lt_u (i32.load (local.get $b)) (i32.load (local.get $c))))
        (br $next))
        ;; jmp
        (local.set $pc (i32.shr_u (local.get $ins) (i32.const 16)))
        (br $next))
        ;; jz
        (if (i32.eqz (i32.load (local.get $a)))
          (then (local.set $pc (i32.shr_u (local.get $ins) (i32.const 16)))))
        (br $next))
        ;; load
        (i32.store (local.get $a)
          (i32.load offset=2048 (i32.shl (i32.and (i32.load (local.get $b)) (i32.const 1023))
                                         (i32.const 2))))
        (br $next))
        ;; store
        (i32.store offset=2048
          (i32.shl (i32.and (i32.load (local.get $b)) (i32.const 1023)) (i32.const 2))
          (i32.load (local.get $a)))
        (br $next)))
    ;; hash the heap
    (local.set $i (i32.const 2048))
    (loop $fold
      (local.set $hash
        (i32.xor (i32.rotl (local.get $hash) (i32.const 5)) (i32.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $fold (i32.lt_u (local.get $i) (i32.const 6144))))
    (i64.or
      (i64.shl (i64.extend_i32_u (i32.load offset=1036 (i32.const 0))) (i64.const 32))
      (i64.extend_i32_u (local.get $hash)))))
