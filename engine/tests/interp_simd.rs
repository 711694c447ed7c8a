//! SIMD in the interpreter through the public API: `v128` values crossing calls, blocks,
//! branches, `select`, locals and globals (each takes two slots, which the translator must
//! keep together), and SIMD code and state surviving a snapshot. The operators' semantics are
//! covered by the spec suite's `simd_*.wast` scripts.

mod common;

use common::instantiate;
use flint_engine::{Caller, Engine, Linker, LoadedSnapshot, Module, Snapshot, Store, Trap, Val};

fn call(
    store: &mut Store<()>,
    instance: flint_engine::Instance,
    name: &str,
    args: &[Val],
) -> Vec<Val> {
    let f = instance.get_func(store, name).unwrap();
    let mut results = vec![Val::I32(0); f.ty(store).results().len()];
    f.call(store, args, &mut results).unwrap();
    results
}

/// `i32x4` lanes, lane 0 first, as a `v128`.
fn i32x4(lanes: [u32; 4]) -> u128 {
    lanes
        .iter()
        .enumerate()
        .fold(0, |v, (i, &lane)| v | (lane as u128) << (32 * i))
}

#[test]
fn v128_values_cross_calls_blocks_and_branches() {
    let (mut store, instance) = instantiate(
        r#"(module
            (func $swap (param v128 i32 v128) (result v128 i32 v128)
              (local.get 2) (local.get 1) (local.get 0))
            (func (export "swap") (param v128 i32 v128) (result v128 i32 v128)
              (call $swap (local.get 0) (local.get 1) (local.get 2)))
            ;; A block with a mixed result, left early by a branch that carries it.
            (func (export "pick") (param $c i32) (param $a v128) (param $b v128) (result i32 v128)
              (block $out (result i32 v128)
                (br_if $out (i32.const 1) (local.get $a) (local.get $c))
                (drop)
                (drop)
                (i32.const 2)
                (local.get $b)))
            (func (export "select") (param $c i32) (param $a v128) (param $b v128) (result v128)
              (select (local.get $a) (local.get $b) (local.get $c)))
            (func (export "tee") (param $a v128) (result v128) (local $t v128)
              (i32x4.add (local.tee $t (i32x4.add (local.get $a) (local.get $a)))
                         (local.get $t)))
            (func (export "if") (param $c i32) (result v128)
              (if (result v128) (local.get $c)
                (then (v128.const i32x4 1 2 3 4))
                (else (v128.const i32x4 5 6 7 8)))))"#,
    );
    let (a, b) = (i32x4([1, 2, 3, 4]), i32x4([5, 6, 7, 0xffff_ffff]));
    assert_eq!(
        call(
            &mut store,
            instance,
            "swap",
            &[Val::V128(a), Val::I32(9), Val::V128(b)]
        ),
        [Val::V128(b), Val::I32(9), Val::V128(a)]
    );
    assert_eq!(
        call(
            &mut store,
            instance,
            "pick",
            &[Val::I32(1), Val::V128(a), Val::V128(b)]
        ),
        [Val::I32(1), Val::V128(a)]
    );
    assert_eq!(
        call(
            &mut store,
            instance,
            "pick",
            &[Val::I32(0), Val::V128(a), Val::V128(b)]
        ),
        [Val::I32(2), Val::V128(b)]
    );
    for (c, expected) in [(1, a), (0, b)] {
        assert_eq!(
            call(
                &mut store,
                instance,
                "select",
                &[Val::I32(c), Val::V128(a), Val::V128(b)]
            ),
            [Val::V128(expected)]
        );
    }
    assert_eq!(
        call(&mut store, instance, "tee", &[Val::V128(a)]),
        [Val::V128(i32x4([4, 8, 12, 16]))]
    );
    assert_eq!(
        call(&mut store, instance, "if", &[Val::I32(0)]),
        [Val::V128(i32x4([5, 6, 7, 8]))]
    );
}

#[test]
fn v128_globals_hold_all_128_bits() {
    let (mut store, instance) = instantiate(
        r#"(module
            (global $g (export "g") (mut v128) (v128.const i64x2 -1 2))
            (func (export "bump") (result v128)
              (global.set $g (i64x2.add (global.get $g) (v128.const i64x2 1 1)))
              (global.get $g)))"#,
    );
    let bumped = 3u128 << 64;
    assert_eq!(call(&mut store, instance, "bump", &[]), [Val::V128(bumped)]);
    let global = instance.get_global(&store, "g").unwrap();
    assert_eq!(global.get(&store), Val::V128(bumped));
}

/// `run(x)` keeps a `v128` in a local and another in a global across the host call, where the
/// snapshot is taken; afterwards it combines them with the host's answer.
const SNAPSHOT_WAT: &str = r#"(module
  (import "host" "get" (func $get (param i32) (result i32)))
  (global $g (mut v128) (v128.const i32x4 0 0 0 0))
  (func (export "run") (param $x i32) (result i32) (local $v v128)
    (local.set $v (i32x4.mul (i32x4.splat (local.get $x)) (v128.const i32x4 1 2 3 4)))
    (global.set $g (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3
                     (local.get $v) (local.get $v)))
    (local.set $v (i32x4.replace_lane 0 (local.get $v) (call $get (local.get $x))))
    ;; lanes of $v: answer, 2x, 3x, 4x; of $g: 4x, 3x, 2x, x
    (i32x4.extract_lane 0
      (i32x4.add
        (i32x4.add (local.get $v) (global.get $g))
        (i8x16.shuffle 4 5 6 7 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $v) (local.get $v)))))
)"#;

/// What `run(x)` returns when the host answers `answer`: lane 0 of `$v + $g + lane 1 of $v`.
fn snapshot_expected(x: i32, answer: i32) -> i32 {
    answer + 4 * x + 2 * x
}

struct Host {
    answer: i32,
    capture: bool,
    snapshot: Option<Snapshot>,
}

fn host(answer: i32) -> Host {
    Host {
        answer,
        capture: false,
        snapshot: None,
    }
}

fn host_linker(engine: &Engine) -> Linker<Host> {
    let mut linker = Linker::new(engine);
    linker
        .func_wrap(
            "host",
            "get",
            |mut caller: Caller<'_, Host>, _x: i32| -> Result<i32, Trap> {
                if caller.data().capture {
                    let snap = caller.snapshot().map_err(|e| Trap::host(e.to_string()))?;
                    caller.data_mut().snapshot = Some(snap);
                }
                Ok(caller.data().answer)
            },
        )
        .unwrap();
    linker
}

#[test]
fn simd_state_and_code_survive_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("simd.wasm");
    std::fs::write(&wasm, wat::parse_str(SNAPSHOT_WAT).unwrap()).unwrap();
    let engine = Engine::default();
    let module = Module::from_file(&engine, &wasm).unwrap();
    let mut store = Store::new(
        &engine,
        Host {
            capture: true,
            ..host(100)
        },
    );
    let instance = host_linker(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let run = instance
        .get_typed_func::<i32, i32, _>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), snapshot_expected(5, 100));
    let snapshot = dir.path().join("simd.snap");
    store
        .data_mut()
        .snapshot
        .take()
        .expect("captured")
        .write(&snapshot, &wasm)
        .unwrap();

    // Resumed from the plain snapshot (which translates the code again), then from one that
    // carries the interpreter's SIMD instructions.
    let loaded = LoadedSnapshot::load(&Engine::default(), &snapshot, &wasm).unwrap();
    let linker = host_linker(loaded.module().engine());
    let (mut store, suspended) = loaded.instantiate(&linker, host(7)).unwrap();
    assert_eq!(
        suspended.resume(&mut store).unwrap(),
        [Val::I32(snapshot_expected(5, 7))]
    );
    let with_code = dir.path().join("simd.code.snap");
    loaded.write_with_code(&with_code).unwrap();
    let loaded = LoadedSnapshot::load(&Engine::default(), &with_code, &wasm).unwrap();
    let linker = host_linker(loaded.module().engine());
    let (mut store, suspended) = loaded.instantiate(&linker, host(9)).unwrap();
    assert_eq!(
        suspended.resume(&mut store).unwrap(),
        [Val::I32(snapshot_expected(5, 9))]
    );
}
