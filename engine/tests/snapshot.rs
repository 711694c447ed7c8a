//! Snapshots through the public API: a module suspended in a host call in the middle of its
//! work is captured, written, loaded by a fresh engine and resumed there with new host state;
//! damaged files and unsupported capture points are refused with clear errors.

use std::path::{Path, PathBuf};

use flint_engine::{
    Caller, Engine, Error, Func, Instance, Linker, LoadedSnapshot, Module, Snapshot, Store, Trap,
    Val,
};

/// `run(n)` keeps state everywhere a snapshot must carry it: memory, a mutable global, locals
/// and frames three calls deep, a table, a passive data segment and a dropped one. The host
/// call `host.get` comes in the middle; what follows uses its answer and all that state.
const WAT: &str = r#"(module
  (import "host" "get" (func $get (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $double $triple)
  (data $greeting "hello")
  (data $dropped "gone")
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $inner (param $x i32) (result i32)
    (i32.add (call $get (local.get $x)) (i32.const 1)))
  (func $middle (param $x i32) (result i32) (local $keep i32)
    (local.set $keep (i32.const 500))
    (i32.add (call $inner (i32.add (local.get $x) (i32.const 1))) (local.get $keep)))
  (func (export "run") (param $n i32) (result i32) (local $r i32)
    (data.drop $dropped)
    (i32.store (i32.const 100) (i32.const 40000))
    (global.set $g (i32.const 7))
    (local.set $r (call $middle (local.get $n)))
    ;; after the host call: memory, global, table and passive data must all still be there
    (memory.init $greeting (i32.const 200) (i32.const 0) (i32.const 5))
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 1))
    (i32.add
      (i32.add (local.get $r) (i32.load (i32.const 100)))
      (i32.add
        (i32.add (global.get $g) (i32.load8_u (i32.const 204)))
        (call_indirect (param i32) (result i32) (i32.const 10) (i32.const 1)))))
)"#;

/// What `run(n)` returns when `host.get(x)` answers `x * answer`: 'o' is 111.
fn expected(n: i32, answer: i32) -> i32 {
    ((n + 1) * answer + 1 + 500) + 40000 + 7 + 111 + 30
}

struct Data {
    answer: i32,
    capture: bool,
    snapshot: Option<Snapshot>,
}

fn data(answer: i32) -> Data {
    Data {
        answer,
        capture: false,
        snapshot: None,
    }
}

fn linker(engine: &Engine) -> Linker<Data> {
    let mut linker = Linker::new(engine);
    linker
        .func_wrap(
            "host",
            "get",
            |mut caller: Caller<'_, Data>, x: i32| -> Result<i32, Trap> {
                if caller.data().answer == 0 {
                    return Err(Trap::host("no answer"));
                }
                if caller.data().capture {
                    let snap = caller.snapshot().map_err(|e| Trap::host(e.to_string()))?;
                    caller.data_mut().snapshot = Some(snap);
                }
                Ok(x * caller.data().answer)
            },
        )
        .unwrap();
    linker
}

struct Files {
    _dir: tempfile::TempDir,
    wasm: PathBuf,
    snapshot: PathBuf,
}

/// Runs `run(4)` with a capture at the host call, checks the original run finishes as usual,
/// and writes the snapshot.
fn take_snapshot() -> Files {
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("m.wasm");
    std::fs::write(&wasm, wat::parse_str(WAT).unwrap()).unwrap();
    let engine = Engine::default();
    let module = Module::from_file(&engine, &wasm).unwrap();
    let mut store = Store::new(
        &engine,
        Data {
            capture: true,
            ..data(2)
        },
    );
    let instance = linker(&engine).instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<i32, i32, _>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 4).unwrap(), expected(4, 2));
    let mut snap = store.data_mut().snapshot.take().expect("captured");
    snap.add_section(*b"TEST", b"embedder state".to_vec())
        .unwrap();
    let snapshot = dir.path().join("m.snap");
    snap.write(&snapshot, &wasm).unwrap();
    Files {
        _dir: dir,
        wasm,
        snapshot,
    }
}

fn load(files: &Files) -> Result<LoadedSnapshot, Error> {
    LoadedSnapshot::load(&Engine::default(), &files.snapshot, &files.wasm)
}

#[test]
fn resumes_with_the_new_stores_host_state() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    assert_eq!(loaded.section(*b"TEST"), Some(&b"embedder state"[..]));
    assert_eq!(loaded.section(*b"NONE"), None);
    let linker = linker(loaded.module().engine());
    for answer in [3, 10] {
        let (mut store, suspended) = loaded.instantiate(&linker, data(answer)).unwrap();
        let memory = suspended.instance().get_memory(&store, "memory").unwrap();
        assert_eq!(memory.size(&store), 1);
        let results = suspended.resume(&mut store).unwrap();
        assert_eq!(results, [Val::I32(expected(4, answer))]);
        // The resumed run wrote and grew its own memory; the next restore starts clean.
        assert_eq!(memory.size(&store), 2);
        assert_eq!(&memory.data(&store)[200..205], b"hello");
    }
}

/// A store restored from `loaded` with host answer 1 and run to the end of the suspended call,
/// with the restored instance.
fn resumed(loaded: &LoadedSnapshot, linker: &Linker<Data>) -> (Store<Data>, Instance) {
    let (mut store, suspended) = loaded.instantiate(linker, data(1)).unwrap();
    let instance = suspended.instance();
    suspended.resume(&mut store).unwrap();
    (store, instance)
}

#[test]
fn restored_instance_can_be_called_again() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let (mut store, instance) = resumed(&loaded, &linker(loaded.module().engine()));
    let run = instance
        .get_typed_func::<i32, i32, _>(&store, "run")
        .unwrap();
    // `$dropped` is still dropped, `$greeting` still there: a second run works the same.
    assert_eq!(run.call(&mut store, 0).unwrap(), expected(0, 1));
}

/// A restored store shares the snapshot's function table; functions added to it afterwards
/// (a second instance, with its own host function) live beside the shared ones.
#[test]
fn restored_store_takes_new_instances() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let linker = linker(loaded.module().engine());
    let (mut store, restored) = resumed(&loaded, &linker);
    let added = linker.instantiate(&mut store, loaded.module()).unwrap();
    for instance in [added, restored] {
        let run = instance
            .get_typed_func::<i32, i32, _>(&store, "run")
            .unwrap();
        assert_eq!(run.call(&mut store, 3).unwrap(), expected(3, 1));
    }
}

#[test]
fn host_function_of_another_type_is_reported() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let mut linker = Linker::new(loaded.module().engine());
    linker
        .func_wrap(
            "host",
            "get",
            |_: Caller<'_, Data>, x: i64| -> Result<i64, Trap> { Ok(x) },
        )
        .unwrap();
    match loaded.instantiate(&linker, data(1)) {
        Err(Error::Unlinkable(msg)) => assert!(msg.contains("host::get"), "{msg}"),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("instantiated with a host function of another type"),
    }
}

/// The restored module is a module like any other: instantiated afresh, its segments (read in
/// place from the snapshot) fill memory and table as those of a decoded module do.
#[test]
fn restored_module_instantiates_afresh() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let engine = loaded.module().engine();
    let mut store = Store::new(engine, data(2));
    let instance = linker(engine)
        .instantiate(&mut store, loaded.module())
        .unwrap();
    let run = instance
        .get_typed_func::<i32, i32, _>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, 4).unwrap(), expected(4, 2));
}

/// Function names come from the module's own name section, read when a backtrace needs them.
#[test]
fn traps_in_a_restored_run_name_their_functions() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let linker = linker(loaded.module().engine());
    let (mut store, suspended) = loaded.instantiate(&linker, data(0)).unwrap();
    let trap = suspended.resume(&mut store).unwrap_err();
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.as_deref())
        .collect();
    assert_eq!(names[..2], [Some("inner"), Some("middle")], "{trap}");
}

/// Rewrites section `tag` of the snapshot at `path` with `edit`, with its checksum (and the
/// header's) made right again: what the checksums cannot catch, a file with consistent
/// checksums but impossible contents.
fn rewrite_section(path: &Path, tag: &[u8; 4], edit: impl FnOnce(&mut [u8])) {
    let mut bytes = std::fs::read(path).unwrap();
    let count = u32::from_le_bytes(bytes[128..132].try_into().unwrap()) as usize;
    let field = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
    let entry = (0..count)
        .map(|k| 132 + 29 * k)
        .find(|&e| &bytes[e..e + 4] == tag)
        .expect("the section");
    let (offset, len) = (
        field(&bytes, entry + 8) as usize,
        field(&bytes, entry + 16) as usize,
    );
    edit(&mut bytes[offset..offset + len]);
    let sum = crc32fast::hash(&bytes[offset..offset + len]);
    bytes[entry + 25..entry + 29].copy_from_slice(&sum.to_le_bytes());
    let header = 132 + 29 * count;
    let digest = *blake3::hash(&bytes[..header]).as_bytes();
    bytes[header..header + 32].copy_from_slice(&digest);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn out_of_range_metadata_is_rejected() {
    let files = take_snapshot();
    // The module section ends with the table of function bodies (start and end of each, u32)
    // and the name section's range (a flag and two u64): the last body's end goes past the
    // end of the module.
    rewrite_section(&files.snapshot, b"MODL", |m| {
        let end = m.len() - 17 - 4;
        m[end..end + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    let msg = load_error(&files);
    assert!(msg.contains("outside the module"), "{msg}");
}

/// Restores `files` into `engine` and checks the resumed run's result.
fn restore_and_resume(files: &Files, engine: &Engine) {
    let loaded = LoadedSnapshot::load(engine, &files.snapshot, &files.wasm).unwrap();
    let (mut store, suspended) = loaded.instantiate(&linker(engine), data(3)).unwrap();
    let results = suspended.resume(&mut store).unwrap();
    assert_eq!(results, [Val::I32(expected(4, 3))]);
}

/// The snapshot's function table holds the type ids of a fresh engine; an engine that gave
/// out other ids first builds the table for itself.
#[test]
fn restores_into_an_engine_with_other_type_ids() {
    let files = take_snapshot();
    let engine = Engine::default();
    let other = r#"(module (func (param i64 f32) (result f64) f64.const 0)
                           (func (param i32) (result i32) local.get 0))"#;
    Module::new(&engine, wat::parse_str(other).unwrap()).unwrap();
    restore_and_resume(&files, &engine);
}

/// A function table that disagrees with the instances and host functions, checksums made
/// right, is not read in place: the table is built from them.
#[test]
fn disagreeing_function_table_is_not_used() {
    let files = take_snapshot();
    // The store section ends with the table, 24 bytes a function: the last one's type id
    // (its fourth word) changes.
    rewrite_section(&files.snapshot, b"STOR", |s| {
        let at = s.len() - 12;
        s[at] ^= 0x40;
    });
    restore_and_resume(&files, &Engine::default());
}

fn flip_byte(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0x55;
    std::fs::write(path, bytes).unwrap();
}

fn header_len(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize
}

fn load_error(files: &Files) -> String {
    match load(files) {
        Err(Error::Snapshot(msg)) => msg,
        Err(other) => panic!("expected a snapshot error, got {other}"),
        Ok(_) => panic!("a damaged snapshot was accepted"),
    }
}

#[test]
fn corrupt_metadata_is_rejected() {
    let files = take_snapshot();
    flip_byte(&files.snapshot, header_len(&files.snapshot) + 3);
    assert!(load_error(&files).contains("corrupt"));
}

#[test]
fn corrupt_header_is_rejected() {
    let files = take_snapshot();
    flip_byte(&files.snapshot, 60);
    assert!(load_error(&files).contains("header is corrupt"));
}

#[test]
fn truncated_file_is_rejected() {
    let files = take_snapshot();
    let len = std::fs::metadata(&files.snapshot).unwrap().len();
    for keep in [0, 10, 100, len - 1] {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&files.snapshot)
            .unwrap();
        f.set_len(keep).unwrap();
        let msg = load_error(&files);
        assert!(
            msg.contains("truncated") || msg.contains("not a Flint snapshot"),
            "{keep} bytes: {msg}"
        );
    }
}

#[test]
fn other_files_are_rejected() {
    let files = take_snapshot();
    std::fs::write(&files.snapshot, b"#!/bin/sh\necho not a snapshot\n").unwrap();
    assert!(load_error(&files).contains("not a Flint snapshot"));
}

#[test]
fn changed_module_file_is_rejected() {
    let files = take_snapshot();
    let bytes = std::fs::read(&files.wasm).unwrap();
    // Same contents, rewritten: the file's stamp changes, so the metadata is not trusted.
    std::thread::sleep(std::time::Duration::from_millis(10));
    std::fs::write(&files.wasm, bytes).unwrap();
    assert!(load_error(&files).contains("changed since"));
}

#[test]
fn missing_host_function_is_reported() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let empty = Linker::new(loaded.module().engine());
    match loaded.instantiate(&empty, data(1)) {
        Err(Error::Unlinkable(msg)) => assert!(msg.contains("host::get"), "{msg}"),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("instantiated without its host function"),
    }
}

#[test]
fn snapshot_outside_a_wasm_call_is_refused() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let f = Func::wrap(&mut store, |caller: Caller<'_, ()>| -> Result<(), Trap> {
        match caller.snapshot() {
            Err(Error::Snapshot(msg)) => Err(Trap::host(msg)),
            _ => Ok(()),
        }
    });
    let err = f.call(&mut store, &[], &mut []).unwrap_err();
    assert!(err.to_string().contains("not inside a host call"), "{err}");
}

#[test]
fn engine_sections_cannot_be_shadowed() {
    let files = take_snapshot();
    let engine = Engine::default();
    let module = Module::from_file(&engine, &files.wasm).unwrap();
    let mut store = Store::new(
        &engine,
        Data {
            capture: true,
            ..data(1)
        },
    );
    let instance = linker(&engine).instantiate(&mut store, &module).unwrap();
    let run = instance
        .get_typed_func::<i32, i32, _>(&store, "run")
        .unwrap();
    run.call(&mut store, 1).unwrap();
    let mut snap = store.data_mut().snapshot.take().unwrap();
    assert!(snap.add_section(*b"STOR", Vec::new()).is_err());
    snap.add_section(*b"MINE", Vec::new()).unwrap();
    assert!(snap.add_section(*b"MINE", Vec::new()).is_err());
}

#[test]
fn interpreter_code_travels_with_the_snapshot() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    let first_linker = linker(loaded.module().engine());
    let (mut store, suspended) = loaded.instantiate(&first_linker, data(5)).unwrap();
    suspended.resume(&mut store).unwrap();
    let with_code = files.snapshot.with_extension("code.snap");
    loaded.write_with_code(&with_code).unwrap();
    let plain_len = std::fs::metadata(&files.snapshot).unwrap().len();
    assert!(std::fs::metadata(&with_code).unwrap().len() > plain_len);

    // The code section is checked one function at a time: a damaged function is translated
    // again instead, and the restore works the same.
    let mut bytes = std::fs::read(&with_code).unwrap();
    let last = bytes.len() - 20;
    bytes[last] ^= 0xff;
    let damaged = files.snapshot.with_extension("damaged.snap");
    std::fs::write(&damaged, bytes).unwrap();
    for path in [&with_code, &damaged] {
        let loaded = LoadedSnapshot::load(&Engine::default(), path, &files.wasm).unwrap();
        let linker = linker(loaded.module().engine());
        let (mut store, suspended) = loaded.instantiate(&linker, data(7)).unwrap();
        assert_eq!(
            suspended.resume(&mut store).unwrap(),
            [Val::I32(expected(4, 7))]
        );
    }
}

/// Training runs teach a snapshot the memory pages every run writes; the rewritten file keeps
/// them, restores copy them in before resuming and run the same, including when a run wrote a
/// page past the memory's length at the restore (here after its `memory.grow`). Pages that
/// are out of order are an error naming the section.
#[test]
fn written_pages_travel_with_the_snapshot() {
    let files = take_snapshot();
    let loaded = load(&files).unwrap();
    for answer in [3, 5] {
        let (mut store, suspended) = loaded
            .instantiate(&linker(loaded.module().engine()), data(answer))
            .unwrap();
        suspended.resume(&mut store).unwrap();
        loaded.learn_written_pages(&store);
    }
    let trained = files.snapshot.with_extension("trained.snap");
    loaded.write_with_code(&trained).unwrap();
    let bytes = std::fs::read(&trained).unwrap();
    assert!(
        bytes.windows(4).any(|w| w == b"WRIT"),
        "no written pages section"
    );

    let loaded = LoadedSnapshot::load(&Engine::default(), &trained, &files.wasm).unwrap();
    let (mut store, suspended) = loaded
        .instantiate(&linker(loaded.module().engine()), data(7))
        .unwrap();
    loaded.populate_written_pages(&store);
    assert_eq!(
        suspended.resume(&mut store).unwrap(),
        [Val::I32(expected(4, 7))]
    );

    // page size, one memory, two runs: pages 2..4, then page 1.
    rewrite_section(&trained, b"WRIT", |w| {
        for (k, v) in [4096u32, 1, 2, 2, 2, 1, 1].iter().enumerate() {
            w[k * 4..k * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
    });
    let msg = LoadedSnapshot::load(&Engine::default(), &trained, &files.wasm)
        .err()
        .expect("out-of-order pages are refused")
        .to_string();
    assert!(
        msg.contains("written pages") && msg.contains("out of order"),
        "{msg}"
    );
}

/// A restore in a compiling tier runs the calls its restored frames make as compiled code,
/// through the engine's code cache: compiling puts the module's entry there, and a second
/// restore finds it and runs the same.
#[test]
fn restores_in_a_compiling_tier_use_the_code_cache() {
    use flint_engine::{Config, Tier};

    let files = take_snapshot();
    let cache = tempfile::tempdir().unwrap();
    let entries = || {
        std::fs::read_dir(cache.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                !name.to_string_lossy().starts_with('.')
            })
            .count()
    };
    for answer in [3, 9] {
        let engine = Engine::new(Config {
            tier: Tier::Jit,
            cache_dir: Some(cache.path().to_path_buf()),
            ..Config::default()
        });
        let loaded = LoadedSnapshot::load(&engine, &files.snapshot, &files.wasm).unwrap();
        let (mut store, suspended) = loaded.instantiate(&linker(&engine), data(answer)).unwrap();
        assert_eq!(
            suspended.resume(&mut store).unwrap(),
            [Val::I32(expected(4, answer))]
        );
        assert_eq!(entries(), 1, "the module's code is in the cache");
    }

    // A damaged entry is passed over (with a warning) in the auto tier, never run: the
    // restore runs on and gives the same answer.
    let entry = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .unwrap();
    let mut bytes = std::fs::read(&entry).unwrap();
    *bytes.last_mut().unwrap() ^= 0x40;
    std::fs::write(&entry, bytes).unwrap();
    let engine = Engine::new(Config {
        tier: Tier::Auto,
        cache_dir: Some(cache.path().to_path_buf()),
        ..Config::default()
    });
    let loaded = LoadedSnapshot::load(&engine, &files.snapshot, &files.wasm).unwrap();
    let (mut store, suspended) = loaded.instantiate(&linker(&engine), data(5)).unwrap();
    assert_eq!(
        suspended.resume(&mut store).unwrap(),
        [Val::I32(expected(4, 5))]
    );
}

/// Frames resume at offsets into code translated as the snapshot's engine did: an engine that
/// needs epoch checks the snapshot's code lacks refuses it, naming why.
#[test]
fn snapshot_without_epoch_checks_is_refused_by_an_interrupting_engine() {
    use flint_engine::Config;

    let files = take_snapshot();
    let engine = Engine::new(Config {
        epoch_interruption: true,
        ..Config::default()
    });
    let err = LoadedSnapshot::load(&engine, &files.snapshot, &files.wasm)
        .err()
        .expect("refused");
    assert!(matches!(err, Error::Snapshot(_)), "{err}");
    assert!(err.to_string().contains("epoch"), "{err}");
}
