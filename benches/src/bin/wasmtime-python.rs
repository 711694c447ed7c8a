//! Runs a WASI CPython build on wasmtime from a precompiled module, with the guest view `flint
//! python` gives it (argv, the host's environment, the current directory at `/` and at its own
//! path, and `/tmp`): wasmtime's side of the `startup` benchmark.
//!
//! wasmtime-python [--precompile] PYTHON.WASM [PYTHON-ARGS...]
//!
//! The compiled module lives next to nothing of the user's: in `$TMPDIR/flint-bench-wasmtime/`,
//! keyed by the module's path, size and modification time. `--precompile` only fills it.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use wasmtime::{Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// The variables `flint python` keeps from the guest: the same list, from the same file.
#[path = "../../../python-host/src/host_only_env.rs"]
mod host_only_env;
use host_only_env::HOST_ONLY_ENV;

fn precompiled_path(wasm: &Path) -> anyhow::Result<PathBuf> {
    let meta = std::fs::metadata(wasm).with_context(|| format!("{}", wasm.display()))?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (wasm, meta.len(), meta.modified()?).hash(&mut h);
    let dir = std::env::temp_dir().join("flint-bench-wasmtime");
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(format!("{:016x}.cwasm", h.finish())))
}

fn load(engine: &Engine, wasm: &Path) -> anyhow::Result<Module> {
    let cached = precompiled_path(wasm)?;
    if cached.exists() {
        // SAFETY: the file was written by `Module::serialize` of this very binary (the cache
        // directory is ours), which is what `deserialize_file` requires.
        return Ok(unsafe { Module::deserialize_file(engine, &cached)? });
    }
    let module = Module::from_file(engine, wasm)?;
    let tmp = cached.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, module.serialize()?)?;
    std::fs::rename(&tmp, &cached)?;
    Ok(module)
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let precompile_only = args.first().is_some_and(|a| a == "--precompile");
    if precompile_only {
        args.remove(0);
    }
    if args.is_empty() {
        bail!("usage: wasmtime-python [--precompile] PYTHON.WASM [PYTHON-ARGS...]");
    }
    let wasm = PathBuf::from(args.remove(0));
    let engine = Engine::default();
    let module = load(&engine, &wasm)?;
    if precompile_only {
        return Ok(());
    }

    let mut wasi = WasiCtxBuilder::new();
    wasi.inherit_stdio();
    wasi.args(
        &std::iter::once("python3".to_string())
            .chain(args)
            .collect::<Vec<_>>(),
    );
    let env: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| !HOST_ONLY_ENV.contains(&k.as_str()))
        .collect();
    wasi.envs(&env);
    let cwd = std::env::current_dir()?;
    wasi.preopened_dir(&cwd, "/", FsPerms::ReadWrite)?;
    if cwd != Path::new("/") {
        wasi.preopened_dir(&cwd, cwd.to_string_lossy(), FsPerms::ReadWrite)?;
    }
    wasi.preopened_dir(std::env::temp_dir(), "/tmp", FsPerms::ReadWrite)?;
    let mut store = Store::new(&engine, wasi.build_p1());
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |ctx| ctx)?;
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(()),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => std::process::exit(exit.0),
            None => Err(e.into()),
        },
    }
}
