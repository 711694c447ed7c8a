//! The auto tier's mixed execution, and the code cache's guarantees, tested with control over
//! when a module's code arrives: a module is held interpreted by marking its background
//! compilation as started, and its code "arrives" when a test compiles it and tells the engine.

use std::sync::atomic::Ordering;

use crate::{Caller, Config, Engine, Error, Instance, Linker, Module, Store, Tier, TrapKind, Val};

fn auto_engine() -> Engine {
    Engine::new(Config {
        tier: Tier::Auto,
        epoch_interruption: true,
        ..Config::default()
    })
}

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat::parse_str(wat).unwrap()).unwrap()
}

/// Keeps `m` interpreted: the auto tier believes its compilation is underway.
fn hold_interpreted(m: &Module) {
    m.inner.jit.background.store(true, Ordering::SeqCst);
}

/// Delivers `m`'s code as a background compilation would.
fn arrive(m: &Module) {
    m.inner.jit.compiled(&m.inner).unwrap();
    m.inner.engine.note_code_arrival();
}

fn call(
    store: &mut Store<()>,
    instance: Instance,
    name: &str,
    args: &[Val],
) -> Result<i32, TrapKind> {
    let f = instance.get_func(store, name).unwrap();
    let mut results = [Val::I32(0)];
    match f.call(store, args, &mut results) {
        Ok(()) => match results[0] {
            Val::I32(v) => Ok(v),
            other => panic!("unexpected result {other:?}"),
        },
        Err(Error::Trap(trap)) => Err(trap.kind().clone()),
        Err(e) => panic!("unexpected error {e}"),
    }
}

const COMPILED_A: &str = r#"(module $a
    (func (export "triple") (param i32) (result i32)
      (if (i32.eq (local.get 0) (i32.const 13)) (then unreachable))
      (i32.mul (local.get 0) (i32.const 3))))"#;

const INTERPRETED_B: &str = r#"(module $b
    (import "a" "triple" (func $triple (param i32) (result i32)))
    (func $div (export "div") (param i32) (result i32)
      (i32.div_u (i32.const 100) (local.get 0)))
    (func (export "sum_triples") (param $n i32) (result i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (call $triple (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))
      (local.get $acc))
    (func (export "spin") (loop (br 0))))"#;

const COMPILED_C: &str = r#"(module $c
    (import "b" "sum_triples" (func $sum (param i32) (result i32)))
    (import "b" "div" (func $div (param i32) (result i32)))
    (func (export "sum_plus_one") (param i32) (result i32)
      (i32.add (call $sum (local.get 0)) (i32.const 1)))
    (func (export "div") (param i32) (result i32) (call $div (local.get 0))))"#;

#[test]
fn compiled_and_interpreted_code_call_each_other() {
    let engine = auto_engine();
    let (a, b, c) = (
        module(&engine, COMPILED_A),
        module(&engine, INTERPRETED_B),
        module(&engine, COMPILED_C),
    );
    a.precompile().unwrap();
    c.precompile().unwrap();
    hold_interpreted(&b);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&store, "a", ia).unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    linker.instance(&store, "b", ib).unwrap();
    let ic = linker.instantiate(&mut store, &c).unwrap();

    // c (compiled) -> b (interpreted) -> a (compiled).
    assert_eq!(call(&mut store, ic, "sum_plus_one", &[Val::I32(4)]), Ok(31));
    assert!(!store.inner.jit.has_code(1), "b stays interpreted");
    // Traps cross both boundaries, and leave no interpreter frame behind.
    assert_eq!(
        call(&mut store, ic, "sum_plus_one", &[Val::I32(13)]),
        Err(TrapKind::Unreachable)
    );
    assert_eq!(
        call(&mut store, ic, "div", &[Val::I32(0)]),
        Err(TrapKind::IntegerDivideByZero)
    );
    assert!(store.inner.interp.frames.is_empty());
    assert_eq!(call(&mut store, ic, "div", &[Val::I32(7)]), Ok(14));

    // The deadline stops interpreted code called from compiled code.
    store.set_epoch_deadline(0);
    let spin = ib.get_func(&store, "spin").unwrap();
    let err = spin.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(err.as_trap().unwrap().kind(), &TrapKind::Interrupt);
    store.set_epoch_deadline(u64::MAX / 2);

    // Once b's code arrives, the same calls run compiled throughout.
    arrive(&b);
    assert_eq!(call(&mut store, ic, "sum_plus_one", &[Val::I32(4)]), Ok(31));
    assert!(store.inner.jit.has_code(1));
    assert_eq!(
        call(&mut store, ic, "div", &[Val::I32(0)]),
        Err(TrapKind::IntegerDivideByZero)
    );
}

#[test]
fn code_arriving_mid_run_takes_new_calls() {
    let engine = auto_engine();
    let b = module(
        &engine,
        r#"(module $b
            (import "host" "arrive" (func $arrive))
            (func $helper (export "helper") (param i32) (result i32)
              (if (i32.eq (local.get 0) (i32.const 1000)) (then unreachable))
              (i32.mul (local.get 0) (i32.const 3)))
            (func (export "run") (param $n i32) (param $fail i32) (result i32)
              (local $i i32) (local $acc i32)
              (loop $l
                (if (i32.eq (local.get $i) (i32.div_u (local.get $n) (i32.const 2)))
                  (then (call $arrive)))
                (local.set $acc (i32.add (local.get $acc) (call $helper (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
              (if (local.get $fail) (then (drop (call $helper (i32.const 1000)))))
              (local.get $acc)))"#,
    );
    hold_interpreted(&b);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let held = b.clone();
    linker
        .func_wrap("host", "arrive", move |_: Caller<'_, ()>| arrive(&held))
        .unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    let helper = ib.get_func(&store, "helper").unwrap().index();

    // `run` starts interpreted; halfway through, b's code arrives. `run`'s frame finishes in
    // the interpreter, while its later calls of `helper` go to compiled code.
    let expected: i32 = (0..100).map(|i| i * 3).sum();
    assert_eq!(
        call(&mut store, ib, "run", &[Val::I32(100), Val::I32(0)]),
        Ok(expected)
    );
    assert!(store.inner.interp.calls_out(helper));
    assert!(store.inner.jit.has_code(0));
    // New calls of `run` itself are compiled now; both tiers report the same trap.
    assert_eq!(
        call(&mut store, ib, "run", &[Val::I32(10), Val::I32(1)]),
        Err(TrapKind::Unreachable)
    );
}

#[test]
fn function_entries_are_filled_on_first_indirect_call_and_switch_when_code_arrives() {
    let engine = auto_engine();
    let b = module(
        &engine,
        r#"(module $b
            (table (export "t") 2 funcref)
            (elem (i32.const 0) $double $wide)
            (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
            (func $wide (param i64) (result i64) (local.get 0)))"#,
    );
    let c = module(
        &engine,
        r#"(module $c
            (type $ii (func (param i32) (result i32)))
            (import "b" "t" (table 2 funcref))
            (func (export "call") (param i32 i32) (result i32)
              (call_indirect (type $ii) (local.get 1) (local.get 0))))"#,
    );
    c.precompile().unwrap();
    hold_interpreted(&b);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ib = linker.instantiate(&mut store, &b).unwrap();
    linker.instance(&store, "b", ib).unwrap();
    let ic = linker.instantiate(&mut store, &c).unwrap();
    let double = store.inner.instances[ib.0 as usize].funcs[0];
    let entry = |store: &Store<()>| store.inner.jit.funcs.get(double as usize).copied();
    assert!(entry(&store).is_none_or(|e| e.type_tag == 0));

    // b has no code: the entry takes the host-call path, which interprets `double`.
    assert_eq!(
        call(&mut store, ic, "call", &[Val::I32(0), Val::I32(5)]),
        Ok(10)
    );
    assert_eq!(store.inner.jit.via_host, [double]);
    // An entry of another signature is filled too, and the call still traps.
    assert_eq!(
        call(&mut store, ic, "call", &[Val::I32(1), Val::I32(5)]),
        Err(TrapKind::BadSignature)
    );

    // b's code arrives: the entry is emptied, and filled again with the compiled function.
    arrive(&b);
    assert_eq!(
        call(&mut store, ic, "call", &[Val::I32(0), Val::I32(6)]),
        Ok(12)
    );
    assert!(store.inner.jit.via_host.is_empty());
    assert_eq!(
        entry(&store).unwrap().vmctx,
        store.inner.jit.instances[ib.0 as usize]
            .as_ref()
            .unwrap()
            .vmctx
            .addr()
    );
}

#[test]
fn interpreted_frames_call_compiled_code_after_a_trap_in_it() {
    // A trap in compiled code called from an interpreted frame unwinds that frame too, and the
    // store stays usable.
    let engine = auto_engine();
    let b = module(&engine, INTERPRETED_B);
    let a = module(&engine, COMPILED_A);
    a.precompile().unwrap();
    hold_interpreted(&b);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&store, "a", ia).unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    assert_eq!(
        call(&mut store, ib, "sum_triples", &[Val::I32(20)]),
        Err(TrapKind::Unreachable)
    );
    assert!(store.inner.interp.frames.is_empty());
    assert_eq!(call(&mut store, ib, "sum_triples", &[Val::I32(3)]), Ok(18));
}

#[test]
fn a_cache_entry_vouches_only_for_its_own_module() {
    let dir = std::env::temp_dir().join(format!("flint-vouch-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let engine = Engine::new(Config {
        tier: Tier::Jit,
        cache_dir: Some(dir.clone()),
        ..Config::default()
    });
    let valid = wat::parse_str(COMPILED_A).unwrap();
    Module::new(&engine, valid.clone())
        .unwrap()
        .precompile()
        .unwrap();
    assert!(super::probe_cache(&engine, &valid).proves_valid());

    // An invalid module (a type mismatch) whose key names a copy of the valid module's entry:
    // the entry's own key gives it away, and the module is validated (and rejected).
    let invalid = wat::parse_str(r#"(module (func (result i32) (i64.const 1)))"#).unwrap();
    let entry = |bytes: &[u8]| {
        let isa = super::isa::native().unwrap();
        super::cache::Cache::new(
            &dir,
            super::cache::key(
                &**isa,
                &super::cache_options(&engine),
                &super::cache::module_digest(bytes),
            ),
        )
        .path()
    };
    std::fs::copy(entry(&valid), entry(&invalid)).unwrap();
    assert!(!super::probe_cache(&engine, &invalid).proves_valid());
    assert!(matches!(
        Module::new(&engine, invalid),
        Err(Error::Invalid(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
