//! Running WASI command modules: `flint run`, and the launcher under `flint python`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use flint_engine::{Engine, Linker, Module, Store, Tier};
use flint_wasi::WasiCtx;

use crate::cli::RunArgs;

/// What a WASI guest gets: its argv (program name first), environment and preopened directories.
pub struct Guest {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// (host directory, guest path)
    pub preopens: Vec<(PathBuf, String)>,
}

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let mut preopens = Vec::new();
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        preopens.push((PathBuf::from(host), guest.to_string()));
    }
    let mut env = Vec::new();
    for kv in &args.env {
        let Some((k, v)) = kv.split_once('=') else {
            bail!("--env expects K=V, got `{kv}`");
        };
        env.push((k.to_string(), v.to_string()));
    }
    let program = args.module.display().to_string();
    let guest = Guest {
        args: std::iter::once(program)
            .chain(args.args.iter().cloned())
            .collect(),
        env,
        preopens,
    };
    run_wasi(args.tier.into(), &args.module, &guest)
}

/// Runs `_start` of the module at `path`; returns the guest's exit code. A trap is reported on
/// stderr with its Wasm backtrace and gives exit code 134, like an abort.
pub fn run_wasi(tier: Tier, path: &Path, guest: &Guest) -> anyhow::Result<u8> {
    let engine = Engine::new(crate::engine_config::engine_config(tier));
    let module = Module::from_file(&engine, path).map_err(|e| match e {
        // The I/O error names the path already.
        flint_engine::Error::Io(..) => anyhow::Error::new(e),
        _ => anyhow::Error::new(e).context(format!("cannot load {}", path.display())),
    })?;
    let mut builder = WasiCtx::builder();
    builder.args(guest.args.iter().cloned());
    for (k, v) in &guest.env {
        builder.env(k, v);
    }
    for (host, name) in &guest.preopens {
        builder.preopened_dir(host, name.clone());
    }
    let ctx = builder
        .build()
        .context("cannot open the preopened directories")?;
    let mut store = Store::new(&engine, ctx);
    let mut linker = Linker::new(&engine);
    flint_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance
        .get_typed_func::<(), (), _>(&store, "_start")
        .with_context(|| format!("{} is not a WASI command", path.display()))?;
    let outcome = start.call(&mut store, ());
    crate::cache_cmd::finish_in_background(&module, path);
    match outcome {
        Ok(()) => Ok(0),
        Err(trap) => match trap.exit_code() {
            Some(code) => Ok(code as u8),
            None => {
                eprintln!("error: {trap}");
                Ok(134)
            }
        },
    }
}
