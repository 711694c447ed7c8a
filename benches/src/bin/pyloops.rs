//! Pure-Python throughput: `python/pyloops.py` (a pystone-like workload of our own) on native
//! CPython, on wasmtime (precompiled module, `wasmtime-python` built alongside) and on Flint's
//! compiled tier (from the code cache, no snapshot). The program times its own work, so the
//! figures leave start-up out; every run must print the same checksum.
//!
//! ```text
//! cargo build --release -p flint && cargo build --release -p flint-benches
//! target/x86_64-unknown-linux-gnu/release/pyloops [--runs N] [--rounds N] [-p VERSION] [--flint PATH] [--native PYTHON]
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use flint_benches::process::command;
use flint_benches::python::{native, Installed};
use flint_benches::stats::{median, ms};

const PROGRAM: &str = include_str!("../../python/pyloops.py");

const USAGE: &str =
    "usage: pyloops [--runs N] [--rounds N] [-p VERSION] [--flint PATH] [--native PYTHON]";

fn sibling(name: &str) -> Result<PathBuf> {
    Ok(std::env::current_exe()?.with_file_name(name))
}

/// Runs the program once; returns its checksum and the time of its work in ms.
fn run_once(cmd: &[String], rounds: &str, dir: &Path) -> Result<(String, f64)> {
    let out = command(cmd, &["pyloops.py", rounds], dir)
        .output()
        .with_context(|| format!("cannot run {}", cmd[0]))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "`{}` failed: {}{}",
            cmd.join(" "),
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut fields = stdout.split_whitespace();
    let (Some(checksum), Some(took)) = (fields.next(), fields.next()) else {
        bail!("`{}` printed `{stdout}`", cmd.join(" "));
    };
    Ok((checksum.to_string(), took.parse()?))
}

fn main() -> Result<()> {
    let (mut runs, mut rounds, mut version) = (5usize, "2000".to_string(), "3.12".to_string());
    let (mut flint, mut native_python) = (sibling("flint")?, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => runs = value()?.parse()?,
            "--rounds" => rounds = value()?,
            "-p" => version = value()?,
            // Absolute: the programs run in a directory of their own.
            "--flint" => flint = std::path::absolute(value()?)?,
            "--native" => native_python = Some(value()?),
            _ => bail!("{USAGE}"),
        }
    }
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let python = Installed::find(&version)?;
    let dir = std::env::temp_dir().join(format!("flint-pyloops-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("pyloops.py"), PROGRAM)?;

    let mut contestants: Vec<(&str, Vec<String>)> = Vec::new();
    if let Some(native) = native_python.or_else(|| native(&version, &dir)) {
        contestants.push(("python3 (native)", vec![native]));
    }
    let wasmtime = sibling("wasmtime-python")?;
    if wasmtime.exists() {
        contestants.push((
            "wasmtime",
            vec![
                wasmtime.display().to_string(),
                python.wasm.display().to_string(),
            ],
        ));
    }
    let flint = flint.display().to_string();
    contestants.push((
        "flint --tier jit",
        [
            &flint,
            "python",
            "-p",
            &version,
            "--tier",
            "jit",
            "--no-snapshot",
        ]
        .map(String::from)
        .to_vec(),
    ));

    // One warm-up each: fills the code caches (wasmtime's precompiled module, Flint's cache).
    for (name, cmd) in &contestants {
        run_once(cmd, "1", &dir).with_context(|| format!("warm-up of {name}"))?;
    }
    let mut checksum = None;
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); contestants.len()];
    for _ in 0..runs {
        for ((name, cmd), t) in contestants.iter().zip(&mut times) {
            let (sum, took) = run_once(cmd, &rounds, &dir)?;
            if checksum.get_or_insert_with(|| sum.clone()) != &sum {
                bail!("{name} printed checksum {sum}, another contestant {checksum:?}");
            }
            t.push(Duration::from_secs_f64(took / 1e3));
        }
    }
    std::fs::remove_dir_all(&dir)?;

    let medians: Vec<f64> = times.iter_mut().map(|t| ms(median(t))).collect();
    let flint_ms = medians[medians.len() - 1];
    println!(
        "pyloops.py {rounds} rounds on Python {}, median of {runs} runs, ms of the program's \
         own work (checksum {})",
        python.version,
        checksum.unwrap_or_default()
    );
    println!();
    println!("| | ms | flint / this |");
    println!("| --- | ---: | ---: |");
    for ((name, _), m) in contestants.iter().zip(&medians) {
        println!("| {name} | {m:.1} | {:.2}x |", flint_ms / m);
    }
    Ok(())
}
