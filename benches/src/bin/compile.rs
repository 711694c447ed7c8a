//! Full compile time of a large module (by default CPython 3.12's `python.wasm`, 26 MB): Flint's
//! compiled tier against wasmtime, each validating and compiling every function on all cores
//! (both use one thread per available core), neither with a code cache.
//!
//! cargo run --release -p flint-benches --bin compile -- [--runs N] [MODULE]
//!
//! Without MODULE, the module of the CPython 3.12 that `flint python` installed (in
//! `$FLINT_HOME`, else its default data directory).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use flint_benches::stats::{median, ms};

fn flint(wasm: &[u8]) -> anyhow::Result<Duration> {
    let engine = flint_engine::Engine::new(flint_engine::Config {
        tier: flint_engine::Tier::Jit,
        cache_dir: None,
        ..Default::default()
    });
    let start = Instant::now();
    let module = flint_engine::Module::new(&engine, wasm.to_vec())?;
    module.precompile()?;
    Ok(start.elapsed())
}

fn wasmtime(wasm: &[u8]) -> anyhow::Result<Duration> {
    let engine = wasmtime::Engine::default();
    let start = Instant::now();
    wasmtime::Module::new(&engine, wasm)?;
    Ok(start.elapsed())
}

fn main() -> anyhow::Result<()> {
    let mut runs = 3;
    let mut module = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().context("--runs needs a value")?.parse()?,
            "-h" | "--help" => {
                println!("usage: compile [--runs N] [MODULE]");
                return Ok(());
            }
            _ if arg.starts_with('-') => bail!("unknown option `{arg}`"),
            _ => module = Some(PathBuf::from(arg)),
        }
    }
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let path = match module {
        Some(p) => p,
        None => flint_benches::python::Installed::find("3.12")?.wasm,
    };
    let wasm = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "compiling {} ({:.1} MB) on {threads} threads, {runs} runs each, interleaved",
        path.display(),
        wasm.len() as f64 / 1e6
    );
    let (mut f, mut w) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        f.push(flint(&wasm)?);
        w.push(wasmtime(&wasm)?);
    }
    let (f, w) = (median(&mut f), median(&mut w));
    println!("| engine | median ms |");
    println!("| --- | ---: |");
    println!("| flint | {:.0} |", ms(f));
    println!("| wasmtime | {:.0} |", ms(w));
    println!(
        "| flint / wasmtime | {:.2}x |",
        f.as_secs_f64() / w.as_secs_f64()
    );
    Ok(())
}
