//! Runs the compute kernels on Flint, wasmi and wasmtime in one process and prints, per kernel, each
//! engine's median time and the ratio flint / other, then the geometric mean of the ratios.
//!
//! cargo run --release -p flint-benches --bin throughput -- [--kernel NAME]... [--runs N]
//!     [--tier interp|jit|auto] [--arg N] [--list]

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use flint_benches::kernels::{self, Kernel};
use flint_benches::runner::{Flint, Loaded, Runner, Sample, Wasmi, Wasmtime};
use flint_benches::stats::{median, ms};

struct Options {
    kernels: Vec<&'static Kernel>,
    runs: usize,
    tier: String,
    arg: Option<i32>,
}

const USAGE: &str =
    "usage: throughput [--kernel NAME]... [--runs N] [--tier interp|jit|auto] [--arg N] [--list]
  --kernel NAME  run only this kernel (repeatable; default: all)
  --runs N       timed runs per engine and kernel, after one warm-up run (default 5)
  --tier T       Flint's tier: interp (default), jit or auto
  --arg N        the argument of run() instead of the kernel's default (needs one --kernel)
  --list         list the kernels and their default arguments";

fn parse_args() -> anyhow::Result<Option<Options>> {
    let mut opts = Options {
        kernels: Vec::new(),
        runs: 5,
        tier: "interp".to_string(),
        arg: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--kernel" => {
                let name = value()?;
                let k = kernels::find(&name).with_context(|| format!("no kernel `{name}`"))?;
                opts.kernels.push(k);
            }
            "--runs" => {
                opts.runs = value()?.parse().context("--runs")?;
                if opts.runs == 0 {
                    bail!("--runs must be at least 1");
                }
            }
            "--tier" => opts.tier = value()?,
            "--arg" => opts.arg = Some(value()?.parse().context("--arg")?),
            "--list" => {
                for k in kernels::KERNELS {
                    println!("{:<8} {:>10}  {}", k.name, k.arg, k.what);
                }
                return Ok(None);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            _ => bail!("unknown option `{flag}`\n{USAGE}"),
        }
    }
    if opts.kernels.is_empty() {
        opts.kernels = kernels::KERNELS.iter().collect();
    }
    if opts.arg.is_some() && opts.kernels.len() != 1 {
        bail!("--arg needs exactly one --kernel");
    }
    Ok(Some(opts))
}

/// One engine's outcome on one kernel: the samples, or why there are none.
type Outcome = anyhow::Result<Vec<Sample>>;

/// Loads the kernel on every engine, warms each up once, then interleaves the timed runs so
/// that drift in machine load hits every engine alike.
fn measure(runners: &[Box<dyn Runner>], wasm: &[u8], arg: i32, runs: usize) -> Vec<Outcome> {
    let loaded: Vec<anyhow::Result<Box<dyn Loaded>>> = runners
        .iter()
        .map(|r| {
            let l = r.load(wasm)?;
            l.run(arg).context("warm-up run")?;
            Ok(l)
        })
        .collect();
    let mut outcomes: Vec<Outcome> = loaded
        .iter()
        .map(|l| match l {
            Ok(_) => Ok(Vec::with_capacity(runs)),
            Err(e) => Err(anyhow::anyhow!("{e:#}")),
        })
        .collect();
    for _ in 0..runs {
        for (l, outcome) in loaded.iter().zip(&mut outcomes) {
            if let (Ok(l), Ok(samples)) = (l, &mut *outcome) {
                match l.run(arg) {
                    Ok(s) => samples.push(s),
                    Err(e) => *outcome = Err(e),
                }
            }
        }
    }
    outcomes
}

fn run(opts: &Options) -> anyhow::Result<bool> {
    // Flint first: every ratio is flint / another engine.
    let runners: Vec<Box<dyn Runner>> = vec![
        Box::new(Flint::new(Flint::parse_tier(&opts.tier)?)),
        Box::new(Wasmi::default()),
        Box::new(Wasmtime::default()),
    ];
    let names: Vec<String> = runners.iter().map(|r| r.name()).collect();
    let ratio_names: Vec<String> = names[1..]
        .iter()
        .map(|n| format!("{}/{n}", names[0]))
        .collect();
    let width = |s: &String| s.len().max(12);

    println!(
        "median of {} runs after one warm-up, in ms; ratios above 1 mean Flint is slower",
        opts.runs
    );
    print!("{:<8} {:>10}", "kernel", "arg");
    for n in names.iter().chain(&ratio_names) {
        print!(" {n:>w$}", w = width(n));
    }
    println!("  checksum");

    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); ratio_names.len()];
    let mut ok = true;
    for kernel in &opts.kernels {
        let arg = opts.arg.unwrap_or(kernel.arg);
        let wasm = kernel.compile()?;
        let outcomes = measure(&runners, &wasm, arg, opts.runs);

        let medians: Vec<Option<Duration>> = outcomes
            .iter()
            .map(|o| {
                let samples = o.as_ref().ok()?;
                Some(median(
                    &mut samples.iter().map(|s| s.time).collect::<Vec<_>>(),
                ))
            })
            .collect();
        print!("{:<8} {arg:>10}", kernel.name);
        for (n, m) in names.iter().zip(&medians) {
            match m {
                Some(m) => print!(" {:>w$.1}", ms(*m), w = width(n)),
                None => print!(" {:>w$}", "ERROR", w = width(n)),
            }
        }
        for (i, n) in ratio_names.iter().enumerate() {
            match (medians[0], medians[i + 1]) {
                (Some(flint), Some(other)) => {
                    let r = flint.as_secs_f64() / other.as_secs_f64();
                    ratios[i].push(r);
                    print!(" {:>w$}", format!("{r:.2}x"), w = width(n));
                }
                _ => print!(" {:>w$}", "-", w = width(n)),
            }
        }

        // every sample of every engine must carry the same checksum
        let mut checksums: Vec<(usize, i64)> = Vec::new();
        for (e, o) in outcomes.iter().enumerate() {
            if let Ok(samples) = o {
                checksums.extend(samples.iter().map(|s| (e, s.checksum)));
            }
        }
        match checksums.first() {
            Some(&(_, first)) if checksums.iter().all(|&(_, c)| c == first) => {
                println!("  {first:#018x}")
            }
            Some(_) => {
                ok = false;
                println!("  MISMATCH");
                for (e, name) in names.iter().enumerate() {
                    let mut seen: Vec<i64> = checksums
                        .iter()
                        .filter(|&&(i, _)| i == e)
                        .map(|&(_, c)| c)
                        .collect();
                    seen.dedup();
                    let seen: Vec<String> = seen.iter().map(|c| format!("{c:#018x}")).collect();
                    println!("    MISMATCH {name}: {}", seen.join(", "));
                }
            }
            None => println!("  -"),
        }
        for (name, o) in names.iter().zip(&outcomes) {
            if let Err(e) = o {
                ok = false;
                let e = format!("{e:#}").replace('\n', "\n      ");
                println!("    {name}: {e}");
            }
        }
    }

    print!("{:<8} {:>10}", "geomean", "");
    for n in &names {
        print!(" {:>w$}", "", w = width(n));
    }
    for (n, rs) in ratio_names.iter().zip(&ratios) {
        if rs.is_empty() {
            print!(" {:>w$}", "-", w = width(n));
        } else {
            let g = (rs.iter().map(|r| r.ln()).sum::<f64>() / rs.len() as f64).exp();
            print!(" {:>w$}", format!("{g:.2}x"), w = width(n));
        }
    }
    println!();
    Ok(ok)
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|opts| match opts {
        Some(opts) => run(&opts),
        None => Ok(true),
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
