//! Interpreter behaviour through the public API: control flow, calls, memory, tables, traps
//! with backtraces, host calls and re-entrancy, and stack exhaustion.

mod common;

use common::instantiate;
use flint_engine::{
    Caller, Config, Engine, Func, FuncType, Instance, Linker, Module, Store, TrapKind, Val, ValType,
};

fn call_i32(store: &mut Store<()>, instance: Instance, name: &str, arg: i32) -> i32 {
    let f = instance
        .get_typed_func::<(i32,), i32, _>(store, name)
        .unwrap();
    f.call(store, (arg,)).unwrap()
}

fn trap_kind(store: &mut Store<()>, instance: Instance, name: &str, args: &[Val]) -> TrapKind {
    let f = instance.get_func(store, name).unwrap();
    let mut results = vec![Val::I32(0); f.ty(store).results().len()];
    let err = f.call(store, args, &mut results).unwrap_err();
    err.as_trap().unwrap().kind().clone()
}

#[test]
fn recursive_fib() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $fib (export "fib") (param $n i32) (result i32)
              (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
                (then (local.get $n))
                (else (i32.add
                  (call $fib (i32.sub (local.get $n) (i32.const 1)))
                  (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "fib", 20), 6765);
}

#[test]
fn loops_and_locals() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
              (block $done
                (loop $next
                  (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
                  (local.set $acc (i32.add (local.get $acc) (local.get $i)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $next)))
              (local.get $acc))
            (func (export "swap") (param $a i32) (result i32) (local $b i32)
              (local.set $b (i32.const 10))
              ;; The old value of $a must survive the writes that follow its read.
              (local.get $a)
              (local.set $a (local.get $b))
              (local.set $b)
              (i32.sub (local.get $a) (local.get $b)))
            (func (export "tee") (param $a i32) (result i32)
              (i32.add (local.tee $a (i32.mul (local.get $a) (i32.const 3))) (local.get $a))))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "sum", 100), 4950);
    assert_eq!(call_i32(&mut store, instance, "swap", 3), 7);
    assert_eq!(call_i32(&mut store, instance, "tee", 5), 30);
}

/// Shifts fused with the mask or add that uses their result, including where the shifted
/// value also goes to a local that is read afterwards, or is the add's other operand.
#[test]
fn shift_pairs() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "field") (param $x i32) (result i32)
              (i32.and (i32.shr_u (local.get $x) (i32.const 6)) (i32.const 1020)))
            (func (export "field_tee") (param $x i32) (result i32) (local $t i32)
              (i32.add
                (i32.and (local.tee $t (i32.shr_u (local.get $x) (i32.const 4))) (i32.const 15))
                (local.get $t)))
            (func (export "index") (param $i i32) (result i32) (local $base i32)
              (local.set $base (i32.const 1000))
              (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $base)))
            (func (export "index_tee") (param $i i32) (result i32) (local $t i32)
              (local.set $t (i32.add (local.tee $t (i32.shl (local.get $i) (i32.const 2)))
                                     (local.get $t)))
              (local.get $t)))"#,
    );
    assert_eq!(
        call_i32(&mut store, instance, "field", 0x1234_5678),
        (0x1234_5678 >> 6) & 1020
    );
    assert_eq!(
        call_i32(&mut store, instance, "field_tee", 0x1234),
        3 + 0x123
    );
    assert_eq!(call_i32(&mut store, instance, "index", 5), 1040);
    assert_eq!(call_i32(&mut store, instance, "index_tee", 5), 40);
}

/// `i32` operations on a wrapped `i64`, which read only its low half, including where the
/// wrapped value also goes to a local that is read afterwards.
#[test]
fn wrapped_operands() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "low") (param $x i32) (result i32)
              (i32.add
                (i32.wrap_i64 (i64.shl (i64.extend_i32_u (local.get $x)) (i64.const 28)))
                (i32.const 1)))
            (func (export "tee") (param $x i32) (result i32) (local $t i32)
              (i32.xor
                (local.tee $t
                  (i32.wrap_i64 (i64.shl (i64.extend_i32_u (local.get $x)) (i64.const 28))))
                (local.get $t))))"#,
    );
    // 0x13 << 28 is 0x1_3000_0000: the low half is 0x3000_0000.
    assert_eq!(call_i32(&mut store, instance, "low", 0x13), 0x3000_0001);
    assert_eq!(call_i32(&mut store, instance, "tee", 0x13), 0);
}

/// A product added to a sum, the step of a dot product, including when the product also goes
/// to a local that the addition reads.
#[test]
fn multiply_add() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory 1)
            (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")
            (func (export "dot") (param $n i32) (result f64) (local $k i32) (local $sum f64)
              (loop $next
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.mul (f64.load (i32.const 0)) (f64.convert_i32_s (local.get $k)))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br_if $next (i32.lt_s (local.get $k) (local.get $n))))
              (local.get $sum))
            (func (export "tee") (param $x f64) (result f64) (local $t f64)
              (f64.add (local.tee $t (f64.mul (local.get $x) (f64.const 3))) (local.get $t))))"#,
    );
    let dot = instance
        .get_typed_func::<(i32,), f64, _>(&store, "dot")
        .unwrap();
    // 1.5 * (0 + 1 + 2 + 3)
    assert_eq!(dot.call(&mut store, (4,)).unwrap(), 9.0);
    let tee = instance
        .get_typed_func::<(f64,), f64, _>(&store, "tee")
        .unwrap();
    assert_eq!(tee.call(&mut store, (2.0,)).unwrap(), 12.0);
}

/// Counted loops whose step and exit test the interpreter runs as one instruction, with each
/// comparison it fuses (signed, unsigned, inequality; against a local or a constant), steps
/// that do not fit the fused form, and loops nested so that one loop's end runs into the next.
#[test]
fn counted_loops() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "lt_s") (param $n i32) (result i32) (local $i i32) (local $c i32)
              (local.set $i (i32.const -5))
              (loop $next
                (local.set $c (i32.add (local.get $c) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 3)))
                (br_if $next (i32.lt_s (local.get $i) (local.get $n))))
              (local.get $c))
            (func (export "lt_u") (param $n i32) (result i32) (local $i i32) (local $c i32)
              (loop $next
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const -1)))
                (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
              (local.get $c))
            (func (export "ne") (param $n i32) (result i32) (local $i i32) (local $c i32)
              (loop $next
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $next (i32.ne (local.get $i) (local.get $n))))
              (local.get $c))
            (func (export "imm") (param $n i32) (result i32) (local $i i32) (local $j i32)
              (local $c i32)
              (local.set $i (local.get $n))
              (loop $a
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $a (i32.lt_s (local.get $i) (i32.const 10))))
              (loop $b
                (local.set $c (i32.add (local.get $c) (i32.const 100)))
                (local.set $j (i32.add (local.get $j) (i32.const 7)))
                (br_if $b (i32.ne (local.get $j) (i32.const 21))))
              (local.set $j (i32.const 0))
              (loop $d
                (local.set $c (i32.add (local.get $c) (i32.const 1000)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br_if $d (i32.lt_u (local.get $j) (i32.const 2))))
              (local.get $c))
            (func (export "wide") (param $n i32) (result i32) (local $i i32) (local $c i32)
              (loop $next
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (local.set $i (i32.add (local.get $i) (i32.const 100000)))
                (br_if $next (i32.lt_s (local.get $i) (local.get $n))))
              (local.get $c))
            (func (export "nested") (param $n i32) (result i32)
              (local $i i32) (local $j i32) (local $c i32)
              (loop $outer
                (local.set $j (i32.const 0))
                (loop $inner
                  (local.set $c (i32.add (local.get $c) (i32.const 1)))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
              (local.get $c)))"#,
    );
    // The sum of i = -5, -2, 1, 4, 7 (10 ends the loop).
    assert_eq!(call_i32(&mut store, instance, "lt_s", 10), 5);
    // i wraps to u32::MAX first, which is not below 5: one iteration.
    assert_eq!(call_i32(&mut store, instance, "lt_u", 5), 1);
    assert_eq!(call_i32(&mut store, instance, "ne", 4), 8);
    assert_eq!(call_i32(&mut store, instance, "imm", 7), 3 + 300 + 2000);
    assert_eq!(call_i32(&mut store, instance, "wide", 250_000), 3);
    // Inner loops of 1, 1, 2, 3 iterations (the first runs once before its test).
    assert_eq!(call_i32(&mut store, instance, "nested", 4), 7);
}

#[test]
fn multi_value_blocks_and_br_table() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $pair (param i32) (result i32 i32) (local.get 0) (i32.const 1))
            (func (export "blocks") (param i32) (result i32)
              (local.get 0)
              (i32.const 5)
              (block (param i32 i32) (result i32)
                (i32.add)
                (br 0)
                (drop) (i32.const 99))
              (call $pair (local.get 0))
              (block (param i32 i32) (result i32) (i32.sub))
              (i32.mul))
            (func (export "pick") (param i32) (result i32)
              (i32.const 5)
              ;; Target 1 is the function's own label: a return.
              (block (param i32) (result i32) (br_table 0 1 (local.get 0)))
              (i32.add (i32.const 10)))
            (func (export "table") (param i32) (result i32)
              (block $c (result i32)
                (block $b (result i32)
                  (block $a (result i32)
                    (i32.const 100)
                    (local.get 0)
                    (br_table $a $b $c))
                  (i32.add (i32.const 1))
                  (return))
                (i32.add (i32.const 2))
                (return))
              (i32.add (i32.const 3))))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "blocks", 4), 27);
    assert_eq!(call_i32(&mut store, instance, "pick", 0), 15);
    assert_eq!(call_i32(&mut store, instance, "pick", 1), 5);
    assert_eq!(call_i32(&mut store, instance, "pick", 9), 5);
    assert_eq!(call_i32(&mut store, instance, "table", 0), 101);
    assert_eq!(call_i32(&mut store, instance, "table", 1), 102);
    assert_eq!(call_i32(&mut store, instance, "table", 7), 103);
}

#[test]
fn memory_bounds_and_grow() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory 1 3)
            (func (export "store_load") (param i32) (result i32)
              (i32.store offset=4 (local.get 0) (i32.const 0x12345678))
              (i32.load8_u offset=5 (local.get 0)))
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "size") (param i32) (result i32) (memory.size))
            (func (export "fill") (param i32) (result i32)
              (memory.fill (i32.const 0) (i32.const 7) (local.get 0))
              (i32.load8_u (i32.const 10))))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "store_load", 0), 0x56);
    assert_eq!(call_i32(&mut store, instance, "store_load", 65528), 0x56);
    assert_eq!(
        trap_kind(&mut store, instance, "store_load", &[Val::I32(65529)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(call_i32(&mut store, instance, "grow", 1), 1);
    assert_eq!(call_i32(&mut store, instance, "store_load", 65529), 0x56);
    assert_eq!(call_i32(&mut store, instance, "grow", 2), -1);
    assert_eq!(call_i32(&mut store, instance, "size", 0), 2);
    assert_eq!(call_i32(&mut store, instance, "fill", 11), 7);
    assert_eq!(
        trap_kind(&mut store, instance, "fill", &[Val::I32(0x30000)]),
        TrapKind::MemoryOutOfBounds
    );
}

#[test]
fn call_indirect_checks() {
    let (mut store, instance) = instantiate(
        r#"(module
            (type $unary (func (param i32) (result i32)))
            (table 4 funcref)
            (elem (i32.const 0) $double $nullary)
            (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
            (func $nullary (result i32) (i32.const 0))
            (func (export "dispatch") (param i32) (result i32)
              (call_indirect (type $unary) (i32.const 21) (local.get 0))))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "dispatch", 0), 42);
    let kind = |store: &mut Store<()>, i| trap_kind(store, instance, "dispatch", &[Val::I32(i)]);
    assert_eq!(kind(&mut store, 1), TrapKind::BadSignature);
    assert_eq!(kind(&mut store, 2), TrapKind::IndirectCallToNull);
    assert_eq!(kind(&mut store, 4), TrapKind::UndefinedElement);
}

#[test]
fn traps_carry_a_backtrace() {
    let (mut store, instance) = instantiate(
        r#"(module $m
            (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
            (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))"#,
    );
    let f = instance.get_func(&store, "outer").unwrap();
    let mut results = [Val::I32(0)];
    let err = f
        .call(&mut store, &[Val::I32(0)], &mut results)
        .unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.kind(), &TrapKind::IntegerDivideByZero);
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.as_deref())
        .collect();
    assert_eq!(names, [Some("inner"), Some("outer")]);
    assert_eq!(trap.backtrace()[0].module_name.as_deref(), Some("m"));
    // The interpreter state is clean again after the trap.
    f.call(&mut store, &[Val::I32(1)], &mut results).unwrap();
    assert_eq!(results[0], Val::I32(1));
}

#[test]
fn deep_recursion_is_a_trap() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $down (export "down") (param i32) (result i32)
              (i32.add (call $down (local.get 0)) (i32.const 1))))"#,
    );
    assert_eq!(
        trap_kind(&mut store, instance, "down", &[Val::I32(0)]),
        TrapKind::StackOverflow
    );
    let engine = Engine::new(Config {
        max_value_stack: 1000,
        ..Config::default()
    });
    let module = Module::new(
        &engine,
        wat::parse_str(r#"(module (func $f (export "f") (local i64 i64 i64) (call $f)))"#).unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, "f").unwrap();
    let err = f.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(err.as_trap().unwrap().kind(), &TrapKind::StackOverflow);
}

#[test]
fn host_calls_and_reentrancy() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                (import "host" "twice" (func $twice (param i32) (result i32)))
                (memory (export "memory") 1)
                (func $fact (export "fact") (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 1))
                    (else (i32.mul (local.get 0) (call $twice (i32.sub (local.get 0) (i32.const 1))))))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, 0u32);
    let mut linker = Linker::new(&engine);
    // The host function calls back into `fact`, so Wasm and host frames interleave.
    linker
        .func_wrap(
            "host",
            "twice",
            |mut caller: Caller<'_, u32>, n: i32| -> i32 {
                *caller.data_mut() += 1;
                let fact = caller.get_export("fact").unwrap().into_func().unwrap();
                let mut out = [Val::I32(0)];
                fact.call(caller.store_mut(), &[Val::I32(n)], &mut out)
                    .unwrap();
                match out[0] {
                    Val::I32(v) => v,
                    _ => unreachable!(),
                }
            },
        )
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let fact = instance
        .get_typed_func::<(i32,), i32, _>(&store, "fact")
        .unwrap();
    assert_eq!(fact.call(&mut store, (6,)).unwrap(), 720);
    assert_eq!(*store.data(), 6);
}

#[test]
fn host_trap_unwinds_through_wasm() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                (import "host" "fail" (func $fail))
                (func $middle (call $fail))
                (func (export "run") (call $middle)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let fail = Func::new(&mut store, FuncType::new([], []), |_, _, _| {
        Err(flint_engine::Trap::host("boom"))
    });
    let instance = Instance::new(&mut store, &module, &[fail.into()]).unwrap();
    let run = instance.get_func(&store, "run").unwrap();
    let err = run.call(&mut store, &[], &mut []).unwrap_err();
    let trap = err.as_trap().unwrap();
    assert_eq!(trap.kind(), &TrapKind::Host("boom".into()));
    assert_eq!(trap.backtrace().len(), 2);
}

#[test]
fn floats_follow_the_spec() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
            (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
            (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
            (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
            (func (export "trunc_sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0))))"#,
    );
    let call = |store: &mut Store<()>, name: &str, args: &[Val], ty: ValType| {
        let f = instance.get_func(store, name).unwrap();
        let mut out = [Val::default_for(ty)];
        f.call(store, args, &mut out).map(|()| out[0])
    };
    let min = call(
        &mut store,
        "min",
        &[Val::F32(0x8000_0000), Val::F32(0)],
        ValType::F32,
    );
    assert_eq!(min.unwrap(), Val::F32(0x8000_0000));
    let nan = call(
        &mut store,
        "min",
        &[Val::F32(0x7fc0_0000), Val::from(1.0f32)],
        ValType::F32,
    );
    assert!(matches!(nan.unwrap(), Val::F32(bits) if f32::from_bits(bits).is_nan()));
    let nearest = call(&mut store, "nearest", &[Val::from(2.5f64)], ValType::F64);
    assert_eq!(nearest.unwrap(), Val::from(2.0f64));
    let neg = call(&mut store, "neg", &[Val::F32(0x7fa0_0001)], ValType::F32);
    assert_eq!(neg.unwrap(), Val::F32(0xffa0_0001));
    let err = call(&mut store, "trunc", &[Val::from(f64::NAN)], ValType::I32).unwrap_err();
    assert_eq!(
        err.as_trap().unwrap().kind(),
        &TrapKind::BadConversionToInteger
    );
    let err = call(
        &mut store,
        "trunc",
        &[Val::from(2147483648.0f64)],
        ValType::I32,
    )
    .unwrap_err();
    assert_eq!(err.as_trap().unwrap().kind(), &TrapKind::IntegerOverflow);
    let sat = call(&mut store, "trunc_sat", &[Val::from(-5.0f64)], ValType::I32);
    assert_eq!(sat.unwrap(), Val::I32(0));
}

#[test]
fn tables_and_references() {
    let (mut store, instance) = instantiate(
        r#"(module
            (table $t 2 10 funcref)
            (func $f (result i32) (i32.const 7))
            (elem declare func $f)
            (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $f) (local.get 0)))
            (func (export "call") (param i32) (result i32) (call_indirect $t (result i32) (local.get 0)))
            (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
            (func (export "fill") (param i32) (result i32)
              (table.fill $t (i32.const 0) (ref.null func) (local.get 0))
              (table.size $t)))"#,
    );
    assert_eq!(call_i32(&mut store, instance, "is_null", 0), 1);
    assert_eq!(call_i32(&mut store, instance, "grow", 3), 2);
    assert_eq!(call_i32(&mut store, instance, "call", 4), 7);
    assert_eq!(call_i32(&mut store, instance, "is_null", 4), 0);
    assert_eq!(call_i32(&mut store, instance, "grow", 6), -1);
    assert_eq!(call_i32(&mut store, instance, "fill", 5), 5);
    assert_eq!(call_i32(&mut store, instance, "is_null", 4), 1);
    assert_eq!(
        trap_kind(&mut store, instance, "fill", &[Val::I32(6)]),
        TrapKind::TableOutOfBounds
    );
}

#[test]
fn epoch_interruption() {
    let engine = Engine::new(Config {
        epoch_interruption: true,
        ..Config::default()
    });
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                (func (export "spin") (loop (br 0)))
                (func $down (param i32) (result i32)
                  (if (result i32) (local.get 0)
                    (then (call $down (i32.sub (local.get 0) (i32.const 1))))
                    (else (i32.const 0))))
                (func (export "count") (param i32) (result i32)
                  (loop $l
                    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                    (br_if $l (local.get 0)))
                  (call $down (i32.const 10))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    assert_eq!(call_i32(&mut store, instance, "count", 1000), 0);

    store.set_epoch_deadline(1);
    let ticker = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            engine.increment_epoch();
        })
    };
    assert_eq!(
        trap_kind(&mut store, instance, "spin", &[]),
        TrapKind::Interrupt
    );
    ticker.join().unwrap();

    // A deadline already reached stops code at its first check: the function entry.
    store.set_epoch_deadline(0);
    assert_eq!(
        trap_kind(&mut store, instance, "count", &[Val::I32(5)]),
        TrapKind::Interrupt
    );
    store.set_epoch_deadline(10);
    assert_eq!(call_i32(&mut store, instance, "count", 5), 0);
}

/// Long runs of many kinds of instructions on a small host stack: with dispatch by tail calls
/// (optimized builds), a handler that failed to tail-call would take stack on every
/// instruction and overflow it.
#[test]
fn dispatch_does_not_grow_the_host_stack() {
    let module = r#"(module
            (memory 1)
            (global $g (mut i32) (i32.const 0))
            (table funcref (elem $inc $dec))
            (type $step (func (param i32) (result i32)))
            (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
            (func $dec (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))
            (func (export "spin") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $f f64)
              (loop $next
                (local.set $acc (call $inc (local.get $acc)))
                (local.set $acc (call_indirect (type $step) (local.get $acc) (i32.and (local.get $i) (i32.const 1))))
                (i32.store (i32.and (local.get $i) (i32.const 1020)) (local.get $acc))
                (local.set $acc (i32.add (local.get $acc) (i32.load (i32.const 8))))
                (local.set $f (f64.add (local.get $f) (f64.convert_i32_s (local.get $i))))
                (global.set $g (select (local.get $acc) (global.get $g) (i32.trunc_f64_s (f64.sqrt (local.get $f)))))
                (block $a (block $b (br_table $a $b (i32.and (local.get $i) (i32.const 1))))
                  (local.set $acc (i32.xor (local.get $acc) (i32.const 5))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
              (local.get $acc)))"#;
    let spin = |(mut store, instance): (Store<()>, Instance), n: i32| {
        let spin = instance
            .get_typed_func::<(i32,), i32, _>(&store, "spin")
            .unwrap();
        spin.call(&mut store, (n,)).unwrap()
    };
    let expected = spin(instantiate(module), 1000);
    let (fresh, long) = (instantiate(module), instantiate(module));
    let small = std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn(move || (spin(fresh, 1000), spin(long, 100_000)).0)
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(expected, small);
}
