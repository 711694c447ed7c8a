//! `python -c pass` as a whole process, from a warm code cache: Flint's compiled tier against
//! wasmtime running a precompiled module (`wasmtime-python`, built alongside) and against
//! native `python3 -S`. Prints each median and the ratios.
//!
//! cargo build --release -p flint && cargo build --release -p flint-benches
//! target/release/startup [--runs N] [--flint PATH] [--wasm PATH]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use flint_benches::stats::{median, ms};

/// One contestant: a command line, run in full each time.
struct Contestant {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
}

impl Contestant {
    fn run(&self) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let status = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {}", self.program.display()))?;
        let time = start.elapsed();
        if !status.success() {
            bail!("{} failed: {status}", self.name);
        }
        Ok(time)
    }
}

fn sibling(name: &str) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    Ok(exe.with_file_name(name))
}

fn main() -> anyhow::Result<()> {
    let mut runs = 20;
    let mut flint = sibling("flint")?;
    let home = std::env::var_os("HOME").context("HOME is not set")?;
    let mut wasm =
        PathBuf::from(home).join(".local/share/flint/pythons/3.12.0/package/dist/python.wasm");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => runs = value()?.parse()?,
            "--flint" => flint = PathBuf::from(value()?),
            "--wasm" => wasm = PathBuf::from(value()?),
            _ => bail!("usage: startup [--runs N] [--flint PATH] [--wasm PATH]"),
        }
    }
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    for (what, path) in [("flint", &flint), ("python.wasm", &wasm)] {
        if !Path::new(path).exists() {
            bail!(
                "no {what} at {} (build or install it first)",
                path.display()
            );
        }
    }

    let mut flint_args: Vec<String> = ["python", "--tier", "jit", "--no-snapshot", "-c", "pass"]
        .map(String::from)
        .to_vec();
    let mut contestants = vec![Contestant {
        name: "flint",
        program: flint,
        args: flint_args.clone(),
    }];
    // Without a snapshot feature there is no flag to turn it off.
    if contestants[0].run().is_err() {
        flint_args.retain(|a| a != "--no-snapshot");
        contestants[0].args = flint_args;
    }
    contestants.push(Contestant {
        name: "wasmtime",
        program: sibling("wasmtime-python")?,
        args: vec![wasm.display().to_string(), "-c".into(), "pass".into()],
    });
    contestants.push(Contestant {
        name: "native",
        program: PathBuf::from("python3"),
        args: ["-S", "-c", "pass"].map(String::from).to_vec(),
    });

    // Warm-up: fills Flint's code cache and wasmtime's precompiled module.
    for c in &contestants {
        c.run()
            .with_context(|| format!("warm-up run of {}", c.name))?;
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); contestants.len()];
    for _ in 0..runs {
        for (c, t) in contestants.iter().zip(&mut times) {
            t.push(c.run()?);
        }
    }
    let medians: Vec<Duration> = times.iter_mut().map(|t| median(t)).collect();
    println!("`python -c pass`, whole process, median of {runs} runs after a warm-up, in ms");
    for (c, m) in contestants.iter().zip(&medians) {
        println!(
            "{:<10} {:>8.1}   {} {}",
            c.name,
            ms(*m),
            c.program.display(),
            c.args.join(" ")
        );
    }
    for (c, m) in contestants.iter().zip(&medians).skip(1) {
        println!(
            "flint/{:<9} {:.2}x",
            c.name,
            medians[0].as_secs_f64() / m.as_secs_f64()
        );
    }
    Ok(())
}
