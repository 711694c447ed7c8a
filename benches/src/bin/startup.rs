//! Startup: how long `python3 PROGRAM` takes as a whole process, on native CPython, on Flint
//! booting CPython (auto tier, and compiled tier from a warm code cache), on Flint restoring
//! its snapshot (plain, and with the program's imports preloaded), and on wasmtime running a
//! precompiled module (`wasmtime-python`, built alongside); then Flint's in-process restore
//! (`LoadedSnapshot::instantiate`, what a server would do per request) and the memory of
//! restored processes.
//!
//! ```text
//! cargo build --release -p flint && cargo build --release -p flint-benches
//! target/release/startup [--runs N] [-p VERSION] [--flint PATH]
//! ```
//!
//! `PYTHON*` variables are removed from the environment of every run: they change how CPython
//! initialises (and which snapshot `flint python` uses).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
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
const PROGRAMS: [(&str, &[&str]); 3] = [
    ("hello", &["-c", "print('hello')"]),
    ("import json, decimal", &["-c", "import json, decimal"]),
    ("script", &["script.py", "a", "b"]),
];

/// One contestant: a command line the program's arguments are appended to.
struct Contestant {
    name: &'static str,
    cmd: Vec<String>,
}

fn sibling(name: &str) -> Result<PathBuf> {
    Ok(std::env::current_exe()?.with_file_name(name))
}

fn main() -> Result<()> {
    let mut runs = 20;
    let mut version = "3.12".to_string();
    let mut flint = sibling("flint")?;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => runs = value()?.parse()?,
            "-p" => version = value()?,
            "--flint" => flint = PathBuf::from(value()?),
            _ => bail!("usage: startup [--runs N] [-p VERSION] [--flint PATH]"),
        }
    }
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    if !flint.exists() {
        bail!("no flint at {} (cargo build --release -p flint)", flint.display());
    }
    let (snapshot, wasm) = python_files(&version)?;
    let dir = std::env::temp_dir().join(format!("flint-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("script.py"), SCRIPT)?;

    let flint_python = |extra: &[&str]| -> Vec<String> {
        let mut cmd = vec![flint.display().to_string(), "python".into(), "-p".into(), version.clone()];
        cmd.extend(extra.iter().map(|s| s.to_string()));
        cmd
    };
    let mut contestants = Vec::new();
    if runs_ok(&["python3".into()], &dir) {
        contestants.push(Contestant {
            name: "python3 (native)",
            cmd: vec!["python3".into()],
        });
    }
    contestants.extend([
        Contestant {
            name: "flint, booting",
            cmd: flint_python(&["--no-snapshot"]),
        },
        Contestant {
            name: "flint --tier jit, booting",
            cmd: flint_python(&["--tier", "jit", "--no-snapshot"]),
        },
        Contestant {
            name: "flint, snapshot",
            cmd: flint_python(&[]),
        },
        Contestant {
            name: "flint, snapshot + preload",
            cmd: flint_python(&["--preload", "json,decimal"]),
        },
    ]);
    let wasmtime = sibling("wasmtime-python")?;
    if wasmtime.exists() {
        contestants.push(Contestant {
            name: "wasmtime (precompiled)",
            cmd: vec![wasmtime.display().to_string(), wasm.display().to_string()],
        });
    }

    println!("`python3 PROGRAM`, whole process, median of {runs} runs after a warm-up, ms (ratio to native)");
    print!("{:<27}", "");
    for (name, _) in PROGRAMS {
        print!("{name:>24}");
    }
    println!();
    let mut native: Vec<Duration> = Vec::new();
    for c in &contestants {
        print!("{:<27}", c.name);
        for (p, (_, args)) in PROGRAMS.iter().enumerate() {
            // The warm-up builds snapshots and fills code caches.
            time_run(&c.cmd, args, &dir).with_context(|| format!("warm-up of {}", c.name))?;
            let mut times = (0..runs)
                .map(|_| time_run(&c.cmd, args, &dir))
                .collect::<Result<Vec<_>>>()?;
            let m = median(&mut times);
            if c.cmd[0] == "python3" {
                native.push(m);
            }
            match native.get(p) {
                Some(n) => print!("{:>14.2} ({:>6.2}x)", ms(m), m.as_secs_f64() / n.as_secs_f64()),
                None => print!("{:>24.2}", ms(m)),
            }
            std::io::stdout().flush()?;
        }
        println!();
    }

    in_process(&version, &snapshot, &wasm, runs.max(50))?;
    memory(&flint_python(&[]), &dir)?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn command(cmd: &[String], args: &[&str], dir: &Path) -> Command {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]).args(args).current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("PYTHON") {
            c.env_remove(k);
        }
    }
    c
}

fn runs_ok(cmd: &[String], dir: &Path) -> bool {
    command(cmd, &["-c", "pass"], dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn time_run(cmd: &[String], args: &[&str], dir: &Path) -> Result<Duration> {
    let start = Instant::now();
    let out = command(cmd, args, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {}", cmd[0]))?;
    let took = start.elapsed();
    if !out.status.success() {
        bail!(
            "`{} {}` failed: {}",
            cmd.join(" "),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(took)
}

/// The data directory as `flint` finds it.
fn data_dir() -> Result<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(home) = var("FLINT_HOME") {
        return Ok(home);
    }
    if let Some(xdg) = var("XDG_DATA_HOME") {
        return Ok(xdg.join("flint"));
    }
    Ok(var("HOME").context("HOME is not set")?.join(".local/share/flint"))
}

/// The snapshot `flint python` makes of `version` (without preloads) and its module.
fn python_files(version: &str) -> Result<(PathBuf, PathBuf)> {
    let data = data_dir()?;
    for entry in std::fs::read_dir(data.join("pythons"))? {
        let dir = entry?.path();
        let name = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name != version && !name.starts_with(&format!("{version}.")) {
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("flint-python.manifest"))?;
        let wasm = manifest
            .lines()
            .find_map(|l| l.strip_prefix("wasm = "))
            .context("the manifest names no module")?;
        return Ok((data.join("snapshots").join(format!("{name}.snap")), dir.join(wasm)));
    }
    bail!("Python {version} is not installed (flint python install {version})")
}

/// `LoadedSnapshot::load` once, then `instantiate` (a new store holding the snapshot's state,
/// its WASI state rebound to this process's resources) again and again, as a server would per
/// request.
fn in_process(version: &str, snapshot: &Path, wasm: &Path, runs: usize) -> Result<()> {
    let engine = Engine::new(Config {
        tier: Tier::Interp,
        ..Config::default()
    });
    let start = Instant::now();
    let loaded = LoadedSnapshot::load(&engine, snapshot, wasm)?;
    let load = start.elapsed();
    let state = loaded.section(*b"WASI").context("no WASI state")?.to_vec();
    let mut linker = Linker::new(&engine);
    flint_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let cwd = std::env::current_dir()?;
    let rebind = || Rebind {
        args: vec!["python3".into()],
        dirs: vec![("/".into(), cwd.clone()), ("/tmp".into(), std::env::temp_dir())],
        ..Rebind::default()
    };
    let (mut wasi, mut inst, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let ctx = restore_state(&state, rebind())?;
        wasi.push(t.elapsed());
        let t = Instant::now();
        let restored = loaded.instantiate(&linker, ctx)?;
        inst.push(t.elapsed());
        let t = Instant::now();
        drop(restored);
        dropped.push(t.elapsed());
    }
    println!();
    println!("in-process restore of Python {version}, median of {runs}, µs");
    println!("  LoadedSnapshot::load (once)   {:>9.1}", load.as_secs_f64() * 1e6);
    for (what, times) in [
        ("WASI state rebound", &mut wasi),
        ("LoadedSnapshot::instantiate", &mut inst),
        ("store dropped", &mut dropped),
    ] {
        println!("  {what:<29} {:>9.1}", median(times).as_secs_f64() * 1e6);
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
    println!("memory of a restored `flint python` waiting on its input, KiB (/proc/PID/smaps_rollup)");
    println!("  one process            RSS {:>7}  PSS {:>7}", alone.0, alone.1);
    println!("  two processes: first   RSS {:>7}  PSS {:>7}", a.0, a.1);
    println!("                 second  RSS {:>7}  PSS {:>7}", b.0, b.1);
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
