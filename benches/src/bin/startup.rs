//! Startup: how long `python3 PROGRAM` takes as a whole process on native CPython, on wasmtime
//! running a precompiled module (`wasmtime-python`, built alongside) and on Flint: without a
//! code cache (a version's first run: the interpreter, compiling in the background), with the
//! code cache and no snapshot, and restoring a snapshot (plain, and with the program's imports
//! preloaded); then Flint's in-process restore (`LoadedSnapshot::instantiate`, what a server
//! would do per request) and the memory of restored processes.
//!
//! ```text
//! cargo build --release -p flint && cargo build --release -p flint-benches
//! target/x86_64-unknown-linux-gnu/release/startup [--runs N] [--cold-runs N] [-p VERSION] [--flint PATH] [--native PYTHON]
//! ```
//!
//! Runs of the contestants are interleaved, so that changes in the machine's load hit them
//! alike. Each table cell is a median: wall-clock time (what the user waits for), then
//! processor time (user + system, which other work on a shared machine disturbs much less).
//! Interleaving also means that each run follows another contestant's process, which took the
//! processor caches; a last table runs `print('hello')` back to back, each warm contestant's
//! runs in a row, as a server starting one process after another would, with the page faults
//! of a run (most of a restored Flint run's time, and what the page cache's state moves).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use flint_benches::process::{command, time, Timed};
use flint_benches::python::{native, Installed};
use flint_benches::stats::{median, ms};
use flint_engine::{Config, Engine, Linker, LoadedSnapshot, Tier};
use flint_wasi::snapshot::{restore_state, Rebind};
use flint_wasi::WasiCtx;

const SCRIPT: &str = r#"import sys
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
words = "the quick brown fox jumps over the lazy dog".split()
counts = {w: len(w) for w in words}
print(sys.argv[1:], fib(12), sorted(counts.items(), key=lambda kv: -kv[1])[:3])
"#;

/// The programs, as Python arguments.
const PROGRAMS: [(&str, &[&str]); 4] = [
    ("-c pass", &["-c", "pass"]),
    ("print('hello')", &["-c", "print('hello')"]),
    ("import json, decimal", &["-c", "import json, decimal"]),
    ("script", &["script.py", "a", "b"]),
];

/// Whether a contestant's runs may share state, and so get a warm-up run first.
#[derive(PartialEq)]
enum Runs {
    /// A warm-up run, then the timed runs (a warm code cache, a built snapshot).
    Warm,
    /// Every run with an empty code cache of its own, as a version's first run.
    Cold,
}

/// One contestant: a command line the program's arguments are appended to.
struct Contestant {
    name: &'static str,
    cmd: Vec<String>,
    runs: Runs,
}

struct Options {
    runs: usize,
    cold_runs: usize,
    version: String,
    flint: PathBuf,
    native: Option<String>,
}

fn sibling(name: &str) -> Result<PathBuf> {
    Ok(std::env::current_exe()?.with_file_name(name))
}

const USAGE: &str =
    "usage: startup [--runs N] [--cold-runs N] [-p VERSION] [--flint PATH] [--native PYTHON]";

fn options() -> Result<Options> {
    let mut opts = Options {
        runs: 20,
        cold_runs: 3,
        version: "3.12".to_string(),
        flint: sibling("flint")?,
        native: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => opts.runs = value()?.parse()?,
            "--cold-runs" => opts.cold_runs = value()?.parse()?,
            "-p" => opts.version = value()?,
            // Absolute: the contestants run in a directory of their own.
            "--flint" => opts.flint = std::path::absolute(value()?)?,
            "--native" => opts.native = Some(value()?),
            _ => bail!("{USAGE}"),
        }
    }
    if opts.runs == 0 || opts.cold_runs == 0 {
        bail!("--runs and --cold-runs must be at least 1");
    }
    if !opts.flint.exists() {
        bail!(
            "no flint at {} (cargo build --release -p flint)",
            opts.flint.display()
        );
    }
    Ok(opts)
}

fn main() -> Result<()> {
    let opts = options()?;
    let python = Installed::find(&opts.version)?;
    let dir = std::env::temp_dir().join(format!("flint-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("script.py"), SCRIPT)?;
    let flint = opts.flint.display().to_string();

    // The warm contestants' code cache is the user's (FLINT_CACHE_DIR or its defaults):
    // filled now, so that no run finds a compilation still going on.
    let compile = [
        flint.clone(),
        "compile".into(),
        python.wasm.display().to_string(),
    ];
    eprintln!("filling the code cache: {}", compile.join(" "));
    time(command(&compile, &[], &dir))?;

    let mut contestants = Vec::new();
    let native = opts.native.clone().or_else(|| native(&opts.version, &dir));
    if let Some(native) = native {
        eprintln!("native CPython: {native}");
        contestants.push(Contestant {
            name: "python3 (native)",
            cmd: vec![native.clone()],
            runs: Runs::Warm,
        });
        contestants.push(Contestant {
            name: "python3 -S (native)",
            cmd: vec![native, "-S".into()],
            runs: Runs::Warm,
        });
    }
    let wasmtime = sibling("wasmtime-python")?;
    if wasmtime.exists() {
        let cmd = vec![
            wasmtime.display().to_string(),
            python.wasm.display().to_string(),
        ];
        let precompile = [
            wasmtime.display().to_string(),
            "--precompile".into(),
            cmd[1].clone(),
        ];
        time(command(&precompile, &[], &dir))?;
        contestants.push(Contestant {
            name: "wasmtime (precompiled)",
            cmd,
            runs: Runs::Warm,
        });
    }
    let flint_python = |extra: &[&str]| -> Vec<String> {
        let mut cmd = vec![
            flint.clone(),
            "python".into(),
            "-p".into(),
            opts.version.clone(),
        ];
        cmd.extend(extra.iter().map(|s| s.to_string()));
        cmd
    };
    contestants.extend([
        Contestant {
            name: "flint, no cache",
            cmd: flint_python(&["--no-snapshot"]),
            runs: Runs::Cold,
        },
        Contestant {
            name: "flint, cache",
            cmd: flint_python(&["--no-snapshot"]),
            runs: Runs::Warm,
        },
        Contestant {
            name: "flint, cache + snapshot",
            cmd: flint_python(&[]),
            runs: Runs::Warm,
        },
        Contestant {
            name: "flint, snapshot + preload",
            cmd: flint_python(&["--preload", "json,decimal"]),
            runs: Runs::Warm,
        },
    ]);

    let mut results: Vec<Vec<Vec<Timed>>> = contestants.iter().map(|_| Vec::new()).collect();
    for (program, args) in PROGRAMS {
        eprint!("{program}: ");
        for c in &contestants {
            if c.runs == Runs::Warm {
                time(command(&c.cmd, args, &dir))
                    .with_context(|| format!("warm-up of {}", c.name))?;
            }
        }
        let mut samples: Vec<Vec<Timed>> = contestants.iter().map(|_| Vec::new()).collect();
        for run in 0..opts.runs {
            for (c, samples) in contestants.iter().zip(&mut samples) {
                let sample = match c.runs {
                    Runs::Warm => time(command(&c.cmd, args, &dir))?,
                    Runs::Cold if run < opts.cold_runs => cold_run(c, args, &dir)?,
                    Runs::Cold => continue,
                };
                samples.push(sample);
            }
            eprint!(".");
            std::io::stderr().flush()?;
        }
        eprintln!();
        for (r, s) in results.iter_mut().zip(samples) {
            r.push(s);
        }
    }

    println!(
        "`python3 PROGRAM`, whole process, Python {} (native: see above), median of {} runs \
         ({} for `no cache`); ms, and the ratio to native python3",
        python.version, opts.runs, opts.cold_runs
    );
    for (what, pick) in [
        (
            "wall-clock time",
            (|t: &Timed| t.wall) as fn(&Timed) -> Duration,
        ),
        ("processor time (user + system)", |t: &Timed| t.cpu),
    ] {
        println!();
        println!("{what}:");
        println!();
        print!("| |");
        for (name, _) in PROGRAMS {
            print!(" `{name}` |");
        }
        println!();
        println!("| --- |{}", " ---: |".repeat(PROGRAMS.len()));
        let medians: Vec<Vec<Duration>> = results
            .iter()
            .map(|per_program| {
                per_program
                    .iter()
                    .map(|s| median(&mut s.iter().map(pick).collect::<Vec<_>>()))
                    .collect()
            })
            .collect();
        // The first contestant is native CPython when there is one.
        let base = (contestants[0].name == "python3 (native)").then(|| &medians[0]);
        for (c, m) in contestants.iter().zip(&medians) {
            print!("| {} |", c.name);
            for (p, t) in m.iter().enumerate() {
                match base {
                    Some(b) => print!(
                        " {:.2} ({:.2}x) |",
                        ms(*t),
                        t.as_secs_f64() / b[p].as_secs_f64()
                    ),
                    None => print!(" {:.2} |", ms(*t)),
                }
            }
            println!();
        }
    }

    back_to_back(&contestants, &dir, opts.runs.max(30))?;
    in_process(&python, &dir, opts.runs.max(200))?;
    memory(&flint_python(&[]), &dir)?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// `print('hello')` run `runs` times in a row by each warm contestant in turn: medians of
/// wall-clock and processor time, and of page faults.
fn back_to_back(contestants: &[Contestant], dir: &Path, runs: usize) -> Result<()> {
    let args = PROGRAMS[1].1;
    println!();
    println!(
        "`{}` back to back, median of {runs} runs in a row, ms:",
        PROGRAMS[1].0
    );
    println!();
    println!("| | wall-clock | processor | page faults |");
    println!("| --- | ---: | ---: | ---: |");
    for c in contestants.iter().filter(|c| c.runs == Runs::Warm) {
        time(command(&c.cmd, args, dir)).with_context(|| format!("warm-up of {}", c.name))?;
        let samples = (0..runs)
            .map(|_| time(command(&c.cmd, args, dir)))
            .collect::<Result<Vec<Timed>>>()?;
        let wall = median(&mut samples.iter().map(|t| t.wall).collect::<Vec<_>>());
        let cpu = median(&mut samples.iter().map(|t| t.cpu).collect::<Vec<_>>());
        // Faults barely vary from run to run: the upper middle value stands for the median.
        let mut faults: Vec<u64> = samples.iter().map(|t| t.faults).collect();
        faults.sort_unstable();
        let faults = faults[faults.len() / 2];
        println!(
            "| {} | {:.2} | {:.2} | {faults} |",
            c.name,
            ms(wall),
            ms(cpu)
        );
    }
    Ok(())
}

/// One run of `c` with a new, empty code cache: the run compiles in the background and, as it
/// exits, leaves a `flint compile --background` to finish; that is stopped before the next run
/// (it would load the machine for a minute), and the cache removed.
fn cold_run(c: &Contestant, args: &[&str], dir: &Path) -> Result<Timed> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let cache = dir.join(format!(
        "cold-cache-{}",
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut cmd = command(&c.cmd, args, dir);
    cmd.env("FLINT_CACHE_DIR", &cache);
    let timed = time(cmd);
    stop_processes_using(&cache);
    let _ = std::fs::remove_dir_all(&cache);
    timed
}

/// Stops the processes (ours: started by a run of this benchmark) whose environment names
/// `cache` as their code cache.
fn stop_processes_using(cache: &Path) {
    let needle = format!("FLINT_CACHE_DIR={}\0", cache.display());
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in procs.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(env) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if env.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            // SAFETY: `kill` has no memory-safety preconditions; `pid` is a process this
            // benchmark started (its environment holds this run's own cache directory).
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // Gone once its parent (init, which adopted it) has reaped it.
            for _ in 0..200 {
                if !entry.path().exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// `LoadedSnapshot::load` once, then `instantiate` (a new store holding the snapshot's state,
/// its WASI state rebound to this process's resources) again and again, as a server would per
/// request.
fn in_process(python: &Installed, cwd: &Path, runs: usize) -> Result<()> {
    let snapshot = python.snapshot()?;
    let engine = Engine::new(Config {
        tier: Tier::Interp,
        ..Config::default()
    });
    let start = Instant::now();
    let loaded = LoadedSnapshot::load(&engine, &snapshot, &python.wasm)
        .with_context(|| format!("cannot load {}", snapshot.display()))?;
    let load = start.elapsed();
    let state = loaded.section(*b"WASI").context("no WASI state")?.to_vec();
    let mut linker = Linker::new(&engine);
    flint_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let rebind = || Rebind {
        args: vec!["python3".into()],
        dirs: vec![
            ("/".into(), cwd.to_path_buf()),
            ("/tmp".into(), std::env::temp_dir()),
        ],
        ..Rebind::default()
    };
    let (mut wasi, mut inst, mut populated, mut dropped, mut whole) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let ctx = restore_state(&state, rebind())?;
        let rebound = t.elapsed();
        let restored = loaded.instantiate(&linker, ctx)?;
        let instantiated = t.elapsed();
        loaded.populate_written_pages(&restored.0);
        let written = t.elapsed();
        drop(restored);
        let done = t.elapsed();
        wasi.push(rebound);
        inst.push(instantiated - rebound);
        populated.push(written - instantiated);
        dropped.push(done - written);
        whole.push(instantiated);
    }
    println!();
    println!(
        "in-process restore of Python {}, median of {runs}, µs",
        python.version
    );
    println!();
    println!("| step | µs |");
    println!("| --- | ---: |");
    println!(
        "| `LoadedSnapshot::load` (once per process) | {:.1} |",
        load.as_secs_f64() * 1e6
    );
    for (what, times) in [
        ("WASI state rebound (`restore_state`)", &mut wasi),
        ("`LoadedSnapshot::instantiate`", &mut inst),
        ("a fresh instance: both of the above", &mut whole),
        (
            "then the pages restored runs write, copied in (`populate_written_pages`)",
            &mut populated,
        ),
        ("store dropped", &mut dropped),
    ] {
        println!("| {what} | {:.1} |", median(times).as_secs_f64() * 1e6);
    }
    Ok(())
}

/// Resident and proportional set sizes of a restored `flint python` waiting on its input,
/// alone and next to a second one.
fn memory(flint_python: &[String], dir: &Path) -> Result<()> {
    let spawn = || {
        command(flint_python, &["-c", "import sys; sys.stdin.read()"], dir)
            .stdin(Stdio::piped())
            .spawn()
    };
    let settle = Duration::from_millis(500);
    let mut first = spawn()?;
    std::thread::sleep(settle);
    let alone = rollup(first.id())?;
    let mut second = spawn()?;
    std::thread::sleep(settle);
    let (a, b) = (rollup(first.id())?, rollup(second.id())?);
    for child in [&mut first, &mut second] {
        drop(child.stdin.take());
        child.wait()?;
    }
    println!();
    println!(
        "memory of a restored `flint python` waiting on its input, KiB (/proc/PID/smaps_rollup)"
    );
    println!();
    println!("| | RSS | PSS |");
    println!("| --- | ---: | ---: |");
    println!("| one process | {} | {} |", alone.0, alone.1);
    println!("| two processes: the first | {} | {} |", a.0, a.1);
    println!("| two processes: the second | {} | {} |", b.0, b.1);
    Ok(())
}

/// (Rss, Pss) of a process, in KiB.
fn rollup(pid: u32) -> Result<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .with_context(|| format!("no {name} in smaps_rollup"))
    };
    Ok((field("Rss:")?, field("Pss:")?))
}
