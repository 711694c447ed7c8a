//! The compiled tier through the public API: control flow, calls, memory, tables, globals,
//! traps (by signal and by runtime function), host calls, re-entrancy and stack exhaustion.

use flint_engine::{
    Caller, Config, Engine, Extern, Func, FuncType, Global, GlobalType, Instance, Linker, Module,
    Mutability, Store, Tier, Trap, TrapKind, Val, ValType,
};

fn engine() -> Engine {
    Engine::new(Config {
        tier: Tier::Jit,
        ..Default::default()
    })
}

fn instantiate_with<T>(linker: &Linker<T>, store: &mut Store<T>, wat: &str) -> Instance {
    let module = Module::new(store.engine(), wat::parse_str(wat).unwrap()).unwrap();
    linker.instantiate(store, &module).unwrap()
}

fn instantiate(wat: &str) -> (Store<()>, Instance) {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let instance = instantiate_with(&Linker::new(&engine), &mut store, wat);
    (store, instance)
}

fn call(
    store: &mut Store<()>,
    instance: Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, Trap> {
    let f = instance.get_func(store, name).unwrap();
    let mut results: Vec<Val> = f
        .ty(store)
        .results()
        .iter()
        .map(|&t| Val::default_for(t))
        .collect();
    match f.call(store, args, &mut results) {
        Ok(()) => Ok(results),
        Err(e) => Err(e.as_trap().expect("a trap").clone()),
    }
}

fn trap_kind(store: &mut Store<()>, instance: Instance, name: &str, args: &[Val]) -> TrapKind {
    call(store, instance, name, args)
        .unwrap_err()
        .kind()
        .clone()
}

fn i32_of(store: &mut Store<()>, instance: Instance, name: &str, arg: i32) -> i32 {
    let f = instance
        .get_typed_func::<(i32,), i32, _>(store, name)
        .unwrap();
    f.call(store, (arg,)).unwrap()
}

#[test]
fn arithmetic_and_recursion() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $fib (export "fib") (param $n i32) (result i32)
              (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
                (then (local.get $n))
                (else (i32.add
                  (call $fib (i32.sub (local.get $n) (i32.const 1)))
                  (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
            (func (export "mix") (param i64 i64) (result i64)
              (i64.add (i64.mul (local.get 0) (local.get 1))
                       (i64.rotl (local.get 0) (i64.const 65))))
            (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
            (func (export "ext") (param i32) (result i32) (i32.extend8_s (local.get 0))))"#,
    );
    assert_eq!(i32_of(&mut store, instance, "fib", 20), 6765);
    assert_eq!(
        call(&mut store, instance, "mix", &[Val::I64(3), Val::I64(-5)]).unwrap(),
        vec![Val::I64(-15 + 6)]
    );
    assert_eq!(i32_of(&mut store, instance, "clz", 1), 31);
    assert_eq!(i32_of(&mut store, instance, "ext", 0x80), -128);
}

#[test]
fn control_flow() {
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
            (func (export "switch") (param i32) (result i32)
              (block $d (block $c (block $b (block $a
                (br_table $a $b $c $d (local.get 0)))
                (return (i32.const 10)))
                (return (i32.const 11)))
                (return (i32.const 12)))
              (i32.const 13))
            (func (export "table_args") (param i32) (result i32)
              (block $out (result i32)
                (block $one (result i32)
                  (br_table $one $out (i32.const 7) (local.get 0)))
                (i32.const 100)
                (i32.add)))
            (func (export "if_params") (param i32) (result i32)
              (i32.const 5)
              (if (param i32) (result i32) (local.get 0)
                (then (i32.const 1) (i32.add))
                (else (i32.const 2) (i32.mul))))
            (func (export "dead") (result i32)
              (block (result i32)
                (br 0 (i32.const 3))
                (drop (i32.div_s (i32.const 1) (i32.const 0)))
                (i32.const 4))))"#,
    );
    assert_eq!(i32_of(&mut store, instance, "sum", 100), 4950);
    for (arg, want) in [(0, 10), (1, 11), (2, 12), (3, 13), (99, 13)] {
        assert_eq!(i32_of(&mut store, instance, "switch", arg), want);
    }
    assert_eq!(i32_of(&mut store, instance, "table_args", 0), 107);
    assert_eq!(i32_of(&mut store, instance, "table_args", 1), 7);
    assert_eq!(i32_of(&mut store, instance, "if_params", 1), 6);
    assert_eq!(i32_of(&mut store, instance, "if_params", 0), 10);
    assert_eq!(
        call(&mut store, instance, "dead", &[]).unwrap(),
        vec![Val::I32(3)]
    );
}

#[test]
fn multi_value() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $many (result i32 i64 f32 f64 i32 i32 i32 i32 i32 i32)
              (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)
              (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (i32.const 10))
            (func (export "sum") (result i32)
              (local $a i32) (local $b i32)
              (call $many)
              (i32.add) (i32.add) (i32.add) (i32.add) (i32.add)
              (local.set $a)
              (drop) (drop) (drop)
              (local.get $a)
              (i32.add))
            (func (export "swap") (param i32 i32) (result i32 i32)
              (local.get 1) (local.get 0)))"#,
    );
    assert_eq!(
        call(&mut store, instance, "sum", &[]).unwrap(),
        vec![Val::I32(46)]
    );
    assert_eq!(
        call(&mut store, instance, "swap", &[Val::I32(1), Val::I32(2)]).unwrap(),
        vec![Val::I32(2), Val::I32(1)]
    );
}

#[test]
fn floats_and_conversions() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func (export "hyp") (param f64 f64) (result f64)
              (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0))
                                 (f64.mul (local.get 1) (local.get 1)))))
            (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
            (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
            (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
            (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
            (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0))))"#,
    );
    assert_eq!(
        call(&mut store, instance, "hyp", &[3.0f64.into(), 4.0f64.into()]).unwrap(),
        vec![5.0f64.into()]
    );
    assert_eq!(
        call(&mut store, instance, "nearest", &[2.5f32.into()]).unwrap(),
        vec![2.0f32.into()]
    );
    assert_eq!(
        call(
            &mut store,
            instance,
            "min",
            &[(-0.0f32).into(), 0.0f32.into()]
        )
        .unwrap(),
        vec![(-0.0f32).into()]
    );
    assert_eq!(
        call(&mut store, instance, "trunc", &[(-7.9f64).into()]).unwrap(),
        vec![Val::I32(-7)]
    );
    assert_eq!(
        trap_kind(&mut store, instance, "trunc", &[f64::NAN.into()]),
        TrapKind::BadConversionToInteger
    );
    assert_eq!(
        trap_kind(&mut store, instance, "trunc", &[3e9f64.into()]),
        TrapKind::IntegerOverflow
    );
    assert_eq!(
        call(&mut store, instance, "sat", &[(-1.0f64).into()]).unwrap(),
        vec![Val::I32(0)]
    );
    let nan = f32::from_bits(0x7fa0_0001);
    assert_eq!(
        call(&mut store, instance, "bits", &[nan.into()]).unwrap(),
        vec![Val::I32(0x7fa0_0001)]
    );
}

#[test]
fn traps_by_signal() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory 1)
            (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
            (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
            (func (export "store") (param i32) (i64.store (local.get 0) (i64.const -1)))
            (func (export "far") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))
            (func (export "boom") (unreachable)))"#,
    );
    let i = |v: i32| Val::I32(v);
    assert_eq!(
        trap_kind(&mut store, instance, "div", &[i(1), i(0)]),
        TrapKind::IntegerDivideByZero
    );
    assert_eq!(
        trap_kind(&mut store, instance, "div", &[i(i32::MIN), i(-1)]),
        TrapKind::IntegerOverflow
    );
    assert_eq!(
        call(&mut store, instance, "rem", &[i(i32::MIN), i(-1)]).unwrap(),
        vec![i(0)]
    );
    assert_eq!(
        call(&mut store, instance, "load", &[i(65528)]).unwrap(),
        vec![i(0)]
    );
    assert_eq!(
        trap_kind(&mut store, instance, "load", &[i(65529)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(&mut store, instance, "load", &[i(-1)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(&mut store, instance, "store", &[i(65530)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(&mut store, instance, "far", &[i(-1)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap_kind(&mut store, instance, "boom", &[]),
        TrapKind::Unreachable
    );
    // The store stays usable after traps.
    assert_eq!(
        call(&mut store, instance, "div", &[i(7), i(2)]).unwrap(),
        vec![i(3)]
    );
}

#[test]
fn stack_exhaustion() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $f (export "runaway") (call $f))
            (func $g (export "deep") (param i32) (result i32)
              (if (result i32) (local.get 0)
                (then (i32.add (i32.const 1) (call $g (i32.sub (local.get 0) (i32.const 1)))))
                (else (i32.const 0)))))"#,
    );
    assert_eq!(
        trap_kind(&mut store, instance, "runaway", &[]),
        TrapKind::StackOverflow
    );
    assert_eq!(i32_of(&mut store, instance, "deep", 10_000), 10_000);
}

#[test]
fn memory_operations() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory (export "mem") 1 3)
            (data $d "hello")
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "size") (result i32) (memory.size))
            (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
            (func (export "drop") (data.drop $d))
            (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
            (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
            (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let i = |v: i32| Val::I32(v);
    assert_eq!(call(&mut store, instance, "size", &[]).unwrap(), vec![i(1)]);
    assert_eq!(
        call(&mut store, instance, "grow", &[i(1)]).unwrap(),
        vec![i(1)]
    );
    assert_eq!(
        call(&mut store, instance, "grow", &[i(5)]).unwrap(),
        vec![i(-1)]
    );
    assert_eq!(call(&mut store, instance, "size", &[]).unwrap(), vec![i(2)]);
    // The new page is accessible to compiled code without recompilation.
    assert_eq!(
        call(&mut store, instance, "load8", &[i(131071)]).unwrap(),
        vec![i(0)]
    );
    call(&mut store, instance, "init", &[i(100), i(1), i(4)]).unwrap();
    call(&mut store, instance, "copy", &[i(200), i(100), i(4)]).unwrap();
    call(
        &mut store,
        instance,
        "fill",
        &[i(202), i(b'!' as i32), i(1)],
    )
    .unwrap();
    let mem = instance.get_memory(&store, "mem").unwrap();
    assert_eq!(&mem.data(&store)[200..204], b"el!o");
    assert_eq!(
        trap_kind(&mut store, instance, "fill", &[i(131070), i(0), i(3)]),
        TrapKind::MemoryOutOfBounds
    );
    call(&mut store, instance, "drop", &[]).unwrap();
    assert_eq!(
        trap_kind(&mut store, instance, "init", &[i(0), i(0), i(1)]),
        TrapKind::MemoryOutOfBounds
    );
    call(&mut store, instance, "init", &[i(0), i(0), i(0)]).unwrap();
}

#[test]
fn tables_and_indirect_calls() {
    let (mut store, instance) = instantiate(
        r#"(module
            (type $ii (func (param i32) (result i32)))
            (table $t (export "t") 4 10 funcref)
            (elem (table $t) (i32.const 0) func $double $square)
            (elem $later func $square)
            (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
            (func $square (type $ii) (i32.mul (local.get 0) (local.get 0)))
            (func $nullary (result i32) (i32.const 1))
            (func (export "dispatch") (param i32 i32) (result i32)
              (call_indirect (type $ii) (local.get 1) (local.get 0)))
            (func (export "size") (result i32) (table.size $t))
            (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $nullary) (local.get 0)))
            (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
            (func (export "set_null") (param i32) (table.set $t (local.get 0) (ref.null func)))
            (func (export "init") (param i32) (table.init $t $later (local.get 0) (i32.const 0) (i32.const 1)))
            (func (export "copy") (param i32 i32) (table.copy (local.get 0) (local.get 1) (i32.const 1)))
            (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $double) (local.get 1)))
            (elem declare func $nullary $double))"#,
    );
    let i = |v: i32| Val::I32(v);
    assert_eq!(
        call(&mut store, instance, "dispatch", &[i(0), i(21)]).unwrap(),
        vec![i(42)]
    );
    assert_eq!(
        call(&mut store, instance, "dispatch", &[i(1), i(9)]).unwrap(),
        vec![i(81)]
    );
    assert_eq!(
        trap_kind(&mut store, instance, "dispatch", &[i(2), i(1)]),
        TrapKind::IndirectCallToNull
    );
    assert_eq!(
        trap_kind(&mut store, instance, "dispatch", &[i(4), i(1)]),
        TrapKind::UndefinedElement
    );
    assert_eq!(
        call(&mut store, instance, "grow", &[i(2)]).unwrap(),
        vec![i(4)]
    );
    assert_eq!(call(&mut store, instance, "size", &[]).unwrap(), vec![i(6)]);
    assert_eq!(
        trap_kind(&mut store, instance, "dispatch", &[i(5), i(1)]),
        TrapKind::BadSignature
    );
    assert_eq!(
        call(&mut store, instance, "grow", &[i(100)]).unwrap(),
        vec![i(-1)]
    );
    call(&mut store, instance, "init", &[i(2)]).unwrap();
    assert_eq!(
        call(&mut store, instance, "dispatch", &[i(2), i(5)]).unwrap(),
        vec![i(25)]
    );
    call(&mut store, instance, "copy", &[i(3), i(0)]).unwrap();
    assert_eq!(
        call(&mut store, instance, "dispatch", &[i(3), i(5)]).unwrap(),
        vec![i(10)]
    );
    call(&mut store, instance, "set_null", &[i(3)]).unwrap();
    assert_eq!(
        call(&mut store, instance, "is_null", &[i(3)]).unwrap(),
        vec![i(1)]
    );
    assert_eq!(
        trap_kind(&mut store, instance, "is_null", &[i(6)]),
        TrapKind::TableOutOfBounds
    );
    call(&mut store, instance, "fill", &[i(4), i(2)]).unwrap();
    assert_eq!(
        call(&mut store, instance, "dispatch", &[i(5), i(4)]).unwrap(),
        vec![i(8)]
    );
    assert_eq!(
        trap_kind(&mut store, instance, "fill", &[i(5), i(2)]),
        TrapKind::TableOutOfBounds
    );
}

#[test]
fn globals() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let counter = Global::new(
        &mut store,
        GlobalType {
            content: ValType::I64,
            mutability: Mutability::Var,
        },
        Val::I64(40),
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "counter", counter).unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "counter" (global $c (mut i64)))
            (global $k f32 (f32.const 1.5))
            (global $own (mut i32) (i32.const 7))
            (func (export "bump") (result i64)
              (global.set $c (i64.add (global.get $c) (i64.const 1)))
              (global.get $c))
            (func (export "k") (result f32) (global.get $k))
            (func (export "own") (param i32) (result i32)
              (global.set $own (i32.add (global.get $own) (local.get 0)))
              (global.get $own)))"#,
    );
    assert_eq!(
        call(&mut store, instance, "bump", &[]).unwrap(),
        vec![Val::I64(41)]
    );
    assert_eq!(
        call(&mut store, instance, "bump", &[]).unwrap(),
        vec![Val::I64(42)]
    );
    assert_eq!(counter.get(&store), Val::I64(42));
    counter.set(&mut store, Val::I64(0)).unwrap();
    assert_eq!(
        call(&mut store, instance, "bump", &[]).unwrap(),
        vec![Val::I64(1)]
    );
    assert_eq!(
        call(&mut store, instance, "k", &[]).unwrap(),
        vec![1.5f32.into()]
    );
    // Creating globals moves the store's global array; compiled code must follow it.
    for _ in 0..100 {
        Global::new(
            &mut store,
            GlobalType {
                content: ValType::I32,
                mutability: Mutability::Const,
            },
            Val::I32(0),
        )
        .unwrap();
    }
    assert_eq!(
        call(&mut store, instance, "own", &[Val::I32(3)]).unwrap(),
        vec![Val::I32(10)]
    );
    assert_eq!(
        call(&mut store, instance, "bump", &[]).unwrap(),
        vec![Val::I64(2)]
    );
}

#[test]
fn host_functions() {
    let engine = engine();
    let mut store = Store::new(&engine, Vec::<i32>::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "log", |mut caller: Caller<'_, Vec<i32>>, v: i32| {
            caller.data_mut().push(v);
        })
        .unwrap();
    linker
        .func_wrap(
            "env",
            "peek",
            |mut caller: Caller<'_, Vec<i32>>, at: i32| -> i32 {
                let (mem, _) = caller.memory_and_data().unwrap();
                mem[at as usize] as i32
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "env",
            "fail",
            |_: Caller<'_, Vec<i32>>| -> Result<(), Trap> { Err(Trap::host("no")) },
        )
        .unwrap();
    linker
        .func_new(
            "env",
            "mix",
            FuncType::new([ValType::F64, ValType::I64], [ValType::F32, ValType::I64]),
            |_, params, results| {
                let (Val::F64(f), Val::I64(i)) = (params[0], params[1]) else {
                    panic!("bad params")
                };
                results[0] = (f64::from_bits(f) as f32 * 2.0).into();
                results[1] = Val::I64(i + 1);
                Ok(())
            },
        )
        .unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "log" (func $log (param i32)))
            (import "env" "peek" (func $peek (param i32) (result i32)))
            (import "env" "fail" (func $fail))
            (import "env" "mix" (func $mix (param f64 i64) (result f32 i64)))
            (memory (export "memory") 1)
            (data (i32.const 8) "\2a")
            (table 1 funcref)
            (elem (i32.const 0) $log)
            (func (export "run") (result i32)
              (call $log (i32.const 1))
              (call_indirect (param i32) (i32.const 2) (i32.const 0))
              (call $peek (i32.const 8)))
            (func (export "fail") (call $fail) (unreachable))
            (func (export "mix") (result f32 i64) (call $mix (f64.const 1.25) (i64.const 9))))"#,
    );
    let run = instance
        .get_typed_func::<(), i32, _>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 42);
    assert_eq!(store.data(), &vec![1, 2]);
    let fail = instance.get_func(&store, "fail").unwrap();
    let err = fail.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(err.as_trap().unwrap().kind(), &TrapKind::Host("no".into()));
    let mix = instance.get_func(&store, "mix").unwrap();
    let mut results = [Val::F32(0), Val::I64(0)];
    mix.call(&mut store, &[], &mut results).unwrap();
    assert_eq!(results, [2.5f32.into(), Val::I64(10)]);
}

#[test]
fn host_panics_cross_compiled_frames() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("env", "panic", |_: Caller<'_, ()>| -> () {
            panic!("host panic")
        })
        .unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "panic" (func $p))
            (func (export "go") (call $p)))"#,
    );
    let go = instance.get_func(&store, "go").unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        go.call(&mut store, &[], &mut [])
    }));
    assert!(caught.is_err());
}

#[test]
fn reentrancy_and_nested_traps() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_new(
            "env",
            "reenter",
            FuncType::new([ValType::I32], [ValType::I32]),
            |mut caller, params, results| {
                let Some(Extern::Func(f)) = caller.get_export("inner") else {
                    panic!("no inner export")
                };
                let mut out = [Val::I32(0)];
                match f.call(caller.store_mut(), params, &mut out) {
                    Ok(()) => {
                        results[0] = out[0];
                        Ok(())
                    }
                    Err(e) => Err(e.as_trap().unwrap().clone()),
                }
            },
        )
        .unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "reenter" (func $re (param i32) (result i32)))
            (func (export "inner") (param i32) (result i32)
              (if (result i32) (i32.eqz (local.get 0))
                (then (unreachable))
                (else (i32.mul (local.get 0) (i32.const 3)))))
            (func (export "outer") (param i32) (result i32)
              (i32.add (call $re (local.get 0)) (i32.const 1))))"#,
    );
    let outer = instance
        .get_typed_func::<(i32,), i32, _>(&store, "outer")
        .unwrap();
    assert_eq!(outer.call(&mut store, (5,)).unwrap(), 16);
    let err = outer.call(&mut store, (0,)).unwrap_err();
    assert_eq!(err.kind(), &TrapKind::Unreachable);
    assert_eq!(outer.call(&mut store, (2,)).unwrap(), 7);
}

#[test]
fn linking_instances() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let a = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (memory (export "mem") 1)
            (table (export "tab") 2 funcref)
            (elem (i32.const 1) $seven)
            (func $seven (export "seven") (result i32) (i32.const 7))
            (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))"#,
    );
    linker.instance(&store, "a", a).unwrap();
    let b = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "a" "mem" (memory 1))
            (import "a" "tab" (table 2 funcref))
            (import "a" "seven" (func $seven (result i32)))
            (import "a" "store" (func $store (param i32 i32)))
            (type $v (func (result i32)))
            (func $eight (result i32) (i32.const 8))
            (elem (i32.const 0) $eight)
            (func (export "run") (result i32)
              (call $store (i32.const 16) (call $seven))
              (i32.add (i32.load (i32.const 16))
                (i32.add (call_indirect (type $v) (i32.const 0))
                         (call_indirect (type $v) (i32.const 1))))))"#,
    );
    assert_eq!(call(&mut store, b, "run", &[]).unwrap(), vec![Val::I32(22)]);
}

#[test]
fn start_function_and_host_func_in_table() {
    let engine = engine();
    let mut store = Store::new(&engine, 0i32);
    let bump = Func::wrap(&mut store, |mut caller: Caller<'_, i32>, by: i32| {
        *caller.data_mut() += by;
    });
    let mut linker = Linker::new(&engine);
    linker.define("env", "bump", bump).unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "bump" (func $bump (param i32)))
            (table (export "t") 1 funcref)
            (type $t (func (param i32)))
            (func $start (call $bump (i32.const 100)))
            (start $start)
            (func (export "via_table") (param i32)
              (call_indirect (type $t) (local.get 0) (i32.const 0))))"#,
    );
    assert_eq!(*store.data(), 100);
    let table = instance.get_table(&store, "t").unwrap();
    table.set(&mut store, 0, Val::FuncRef(Some(bump))).unwrap();
    let f = instance
        .get_typed_func::<(i32,), (), _>(&store, "via_table")
        .unwrap();
    f.call(&mut store, (5,)).unwrap();
    assert_eq!(*store.data(), 105);
}

#[test]
fn threads_trap_independently() {
    let engine = engine();
    let wat = r#"(module
        (memory 1)
        (func (export "f") (param i32) (result i32)
          (if (result i32) (i32.and (local.get 0) (i32.const 1))
            (then (i32.load (i32.mul (local.get 0) (i32.const 65536))))
            (else (i32.div_u (i32.const 1) (i32.const 0))))))"#;
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let engine = engine.clone();
            let module = module.clone();
            std::thread::spawn(move || {
                let mut store = Store::new(&engine, ());
                let instance = Linker::new(&engine)
                    .instantiate(&mut store, &module)
                    .unwrap();
                let f = instance
                    .get_typed_func::<(i32,), i32, _>(&store, "f")
                    .unwrap();
                for i in 0..200 {
                    let arg = i * 2 + t;
                    let want = if arg & 1 == 1 {
                        TrapKind::MemoryOutOfBounds
                    } else {
                        TrapKind::IntegerDivideByZero
                    };
                    assert_eq!(f.call(&mut store, (arg,)).unwrap_err().kind(), &want);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

/// The files of cache directory `dir`, minus the compile lock files that stay there on purpose
/// (removing a lock file other processes may be waiting on would let two of them compile) and
/// the records of entries' checks; fails on a temporary file, which only an interrupted writer
/// may leave.
fn cache_entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".tmp"),
            "a temporary file was left behind: {name}"
        );
        if !name.ends_with(".lock") && !name.ends_with(".verified") {
            entries.push(path);
        }
    }
    entries
}

#[test]
fn code_cache_round_trip() {
    use std::os::unix::fs::MetadataExt;

    let dir = std::env::temp_dir().join(format!("flint-jit-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let wat = r#"(module
        (import "env" "twice" (func $twice (param i32) (result i32)))
        (memory 1)
        (func (export "f") (param i32) (result i32)
          (i32.add (call $twice (local.get 0)) (i32.load (local.get 0)))))"#;
    let bytes = wat::parse_str(wat).unwrap();
    let run = |expect_hit: Option<u64>| -> u64 {
        let engine = Engine::new(Config {
            tier: Tier::Jit,
            cache_dir: Some(dir.clone()),
            ..Default::default()
        });
        let module = Module::new(&engine, bytes.clone()).unwrap();
        module.precompile().unwrap();
        let entries = cache_entries(&dir);
        assert_eq!(entries.len(), 1, "one cache file, no leftovers");
        let inode = entries[0].metadata().unwrap().ino();
        let name = entries[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            dir.join(format!(".{name}.verified")).exists(),
            "the writer recorded the entry as checked"
        );
        if let Some(previous) = expect_hit {
            assert_eq!(inode, previous, "the cached file was used, not rewritten");
        }
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("env", "twice", |_: Caller<'_, ()>, x: i32| x * 2)
            .unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let f = instance
            .get_typed_func::<(i32,), i32, _>(&store, "f")
            .unwrap();
        assert_eq!(f.call(&mut store, (21,)).unwrap(), 42);
        assert_eq!(
            f.call(&mut store, (65535,)).unwrap_err().kind(),
            &TrapKind::MemoryOutOfBounds
        );
        inode
    };
    let inode = run(None);
    run(Some(inode));
    // Without its record of a check, the entry is checked in full, found intact and used.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".verified") {
            std::fs::remove_file(path).unwrap();
        }
    }
    run(Some(inode));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn damaged_cache_files_are_compiled_again() {
    let dir = std::env::temp_dir().join(format!("flint-jit-damage-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bytes = wat::parse_str(
        r#"(module
            (memory 1)
            (func (export "f") (param i32) (result i32)
              (i32.add (i32.mul (local.get 0) (i32.const 2)) (i32.load (local.get 0)))))"#,
    )
    .unwrap();
    let run = || {
        let engine = Engine::new(Config {
            tier: Tier::Jit,
            cache_dir: Some(dir.clone()),
            ..Default::default()
        });
        let module = Module::new(&engine, bytes.clone()).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        let f = instance
            .get_typed_func::<(i32,), i32, _>(&store, "f")
            .unwrap();
        assert_eq!(f.call(&mut store, (21,)).unwrap(), 42);
    };
    run();
    let entries = cache_entries(&dir);
    assert_eq!(entries.len(), 1);
    let path = entries[0].clone();
    let intact = std::fs::read(&path).unwrap();
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 5] = [
        ("a flipped code byte", |b| *b.last_mut().unwrap() ^= 0x40),
        ("a flipped metadata byte", |b| b[60] ^= 1),
        ("a flipped key byte", |b| b[9] ^= 1),
        ("truncated code", |b| b.truncate(b.len() - 10)),
        ("truncated header", |b| b.truncate(20)),
    ];
    for (what, damage) in damages {
        let mut bytes = intact.clone();
        damage(&mut bytes);
        std::fs::write(&path, &bytes).unwrap();
        run();
        assert!(
            std::fs::read(&path).unwrap() == intact,
            "after {what}, the entry is written again"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn trap_backtraces() {
    let (mut store, instance) = instantiate(
        r#"(module $m
            (memory 1)
            (func $leaf (param i32) (result i32) (i32.load (local.get 0)))
            (func $middle (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
            (func $top (export "top") (param i32) (result i32) (call $middle (local.get 0)))
            (func $boom (unreachable))
            (func (export "boom") (call $boom)))"#,
    );
    let trap = call(&mut store, instance, "top", &[Val::I32(-4)]).unwrap_err();
    assert_eq!(trap.kind(), &TrapKind::MemoryOutOfBounds);
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| {
            (
                f.func_index,
                f.func_name.as_deref(),
                f.module_name.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (0, Some("leaf"), Some("m")),
            (1, Some("middle"), Some("m")),
            (2, Some("top"), Some("m"))
        ]
    );
    let trap = call(&mut store, instance, "boom", &[]).unwrap_err();
    let funcs: Vec<_> = trap.backtrace().iter().map(|f| f.func_index).collect();
    assert_eq!(funcs, [3, 4]);
}

#[test]
fn epoch_interruption() {
    let engine = Engine::new(Config {
        tier: Tier::Jit,
        epoch_interruption: true,
        ..Default::default()
    });
    let mut store = Store::new(&engine, ());
    let instance = instantiate_with(
        &Linker::new(&engine),
        &mut store,
        r#"(module
            (func (export "spin") (loop (br 0)))
            (func (export "count") (param i32) (result i32)
              (loop $l
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br_if $l (local.get 0)))
              (local.get 0)))"#,
    );
    let count = instance
        .get_typed_func::<(i32,), i32, _>(&store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, (1000,)).unwrap(), 0);

    store.set_epoch_deadline(1);
    let ticker = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            engine.increment_epoch();
        })
    };
    let spin = instance
        .get_typed_func::<(), (), _>(&store, "spin")
        .unwrap();
    assert_eq!(
        spin.call(&mut store, ()).unwrap_err().kind(),
        &TrapKind::Interrupt
    );
    ticker.join().unwrap();

    // A deadline already reached stops code at its first check.
    store.set_epoch_deadline(0);
    assert_eq!(
        count.call(&mut store, (5,)).unwrap_err().kind(),
        &TrapKind::Interrupt
    );
    store.set_epoch_deadline(10);
    assert_eq!(count.call(&mut store, (5,)).unwrap(), 0);
}

/// `v128` values cross every boundary of compiled code in two slots, low half first: the array
/// entry (mixed with scalars, so that later slots shift), host calls, indirect calls, globals.
#[test]
fn v128_across_boundaries() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let shared = Global::new(
        &mut store,
        GlobalType {
            content: ValType::V128,
            mutability: Mutability::Var,
        },
        Val::V128(7),
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("env", "shared", shared).unwrap();
    linker
        .func_new(
            "env",
            "swap_halves",
            FuncType::new([ValType::V128, ValType::I32], [ValType::I32, ValType::V128]),
            |_, params, results| {
                let (Val::V128(v), Val::I32(i)) = (params[0], params[1]) else {
                    panic!("bad params")
                };
                results[0] = Val::I32(i + 1);
                results[1] = Val::V128(v.rotate_left(64));
                Ok(())
            },
        )
        .unwrap();
    let instance = instantiate_with(
        &linker,
        &mut store,
        r#"(module
            (import "env" "shared" (global $shared (mut v128)))
            (import "env" "swap_halves" (func $swap (param v128 i32) (result i32 v128)))
            (type $t (func (param v128) (result v128)))
            (table 1 funcref)
            (elem (i32.const 0) $double)
            (global $own (mut v128) (v128.const i64x2 1 2))
            (func $double (type $t) (i32x4.add (local.get 0) (local.get 0)))
            (func (export "mixed") (param i32 v128 i64) (result v128 i32 v128)
              (i64x2.replace_lane 1 (local.get 1) (local.get 2))
              (local.get 0)
              (i32x4.splat (local.get 0)))
            (func (export "host") (param v128) (result i32 v128)
              (call $swap (local.get 0) (i32.const 41)))
            (func (export "indirect") (param v128) (result v128)
              (call_indirect (type $t) (local.get 0) (i32.const 0)))
            (func (export "globals") (result v128)
              (global.set $shared (i64x2.add (global.get $shared) (global.get $own)))
              (global.get $shared)))"#,
    );
    let low_high = |low: u64, high: u64| Val::V128(low as u128 | (high as u128) << 64);
    assert_eq!(
        call(
            &mut store,
            instance,
            "mixed",
            &[Val::I32(3), low_high(5, 6), Val::I64(-1)]
        )
        .unwrap(),
        vec![
            low_high(5, u64::MAX),
            Val::I32(3),
            low_high(0x3_0000_0003, 0x3_0000_0003)
        ]
    );
    assert_eq!(
        call(&mut store, instance, "host", &[low_high(1, 2)]).unwrap(),
        vec![Val::I32(42), low_high(2, 1)]
    );
    assert_eq!(
        call(&mut store, instance, "indirect", &[low_high(1, 1 << 32)]).unwrap(),
        vec![low_high(2, 2 << 32)]
    );
    assert_eq!(
        call(&mut store, instance, "globals", &[]).unwrap(),
        vec![low_high(8, 2)]
    );
    assert_eq!(shared.get(&store), low_high(8, 2));
}

/// Vector accesses trap when any of their bytes is out of bounds, and only then.
#[test]
fn v128_memory_bounds() {
    let (mut store, instance) = instantiate(
        r#"(module
            (memory 1)
            (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
            (func (export "load_lane") (param i32) (result v128)
              (v128.load64_lane 1 (local.get 0) (v128.const i64x2 0 0)))
            (func (export "store") (param i32)
              (v128.store offset=8 (local.get 0) (v128.const i64x2 -1 -1))))"#,
    );
    for (name, last_ok) in [("load", 65520), ("load_lane", 65528), ("store", 65512)] {
        let ok = call(&mut store, instance, name, &[Val::I32(last_ok)]);
        assert!(ok.is_ok(), "{name} at {last_ok}: {ok:?}");
        assert_eq!(
            trap_kind(&mut store, instance, name, &[Val::I32(last_ok + 1)]),
            TrapKind::MemoryOutOfBounds,
            "{name} at {}",
            last_ok + 1
        );
    }
    assert_eq!(
        call(&mut store, instance, "load", &[Val::I32(65512)]).unwrap(),
        vec![Val::V128(u128::MAX << 64)]
    );
}
