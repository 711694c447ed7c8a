//! `flint compile` and `flint cache`: filling, locating and emptying the code cache.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use flint_engine::{Engine, Module, Tier};

use crate::engine_config::{cache_dir, engine_config};

/// `flint cache dir`: prints the cache directory.
pub fn print_dir() -> Result<u8> {
    println!("{}", required_cache_dir()?.display());
    Ok(0)
}

/// `flint cache clean`: removes every entry from the cache directory.
pub fn clean() -> Result<u8> {
    let dir = required_cache_dir()?;
    let removed = flint_engine::clear_code_cache(&dir)
        .with_context(|| format!("cannot clean {}", dir.display()))?;
    eprintln!("removed {removed} files from {}", dir.display());
    Ok(0)
}

fn required_cache_dir() -> Result<PathBuf> {
    match cache_dir() {
        Some(dir) => Ok(dir),
        None => bail!("no cache directory: set FLINT_CACHE_DIR, XDG_CACHE_HOME or HOME"),
    }
}

/// `flint compile MODULE...`: compiles each module on all cores and leaves its code in the
/// cache, so that later runs start on native code at once. In the `background` mode it is
/// silent and yields the processor to everything else.
pub fn compile(modules: &[PathBuf], background: bool) -> Result<u8> {
    required_cache_dir()?;
    if background {
        // SAFETY: `nice` only changes this process's scheduling priority.
        unsafe { libc::nice(10) };
    }
    let engine = Engine::new(engine_config(Tier::Jit));
    for path in modules {
        let started = Instant::now();
        let module = Module::from_file(&engine, path)
            .with_context(|| format!("cannot load {}", path.display()))?;
        let progress = Progress::new(path, !background);
        module
            .precompile_with_progress(&|done, total| progress.update(done, total))
            .with_context(|| format!("cannot compile {}", path.display()))?;
        progress.finish();
        if !background {
            eprintln!(
                "compiled {} in {:.2} s",
                path.display(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(0)
}

/// Has `flint compile` finish the background compilation of `module` (at `path`) that this
/// process, about to exit, leaves unfinished: in a process of its own, detached from the
/// terminal, which waits for this one to let go of the entry's compile lock. Best effort: a
/// module that stays uncompiled is only slower to start next time.
pub fn finish_in_background(module: &Module, path: &Path) {
    use std::os::unix::process::CommandExt;

    if !module.is_compiling_in_background() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = std::process::Command::new(exe)
        .args(["compile", "--background", "--"])
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn();
}

/// A function counter on stderr, shown only on a terminal and only once a compilation has
/// taken long enough for the wait to be noticed.
struct Progress {
    name: String,
    started: Instant,
    /// When the counter was last drawn; `None` while it is not shown.
    shown: Mutex<Option<Instant>>,
    /// Whether the counter may be shown: on a terminal, and wanted.
    terminal: bool,
}

/// Compilations quicker than this show no counter.
const SHOW_AFTER: Duration = Duration::from_millis(500);
/// The counter is redrawn at most this often.
const REDRAW: Duration = Duration::from_millis(100);

impl Progress {
    fn new(path: &Path, shown: bool) -> Self {
        Progress {
            name: path.display().to_string(),
            started: Instant::now(),
            shown: Mutex::new(None),
            terminal: shown && std::io::stderr().is_terminal(),
        }
    }

    /// Called by the compiling threads after each unit.
    fn update(&self, done: usize, total: usize) {
        if !self.terminal || self.started.elapsed() < SHOW_AFTER {
            return;
        }
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.is_some_and(|at| at.elapsed() < REDRAW) && done < total {
            return;
        }
        *shown = Some(Instant::now());
        eprint!("\rcompiling {}: {done}/{total} functions", self.name);
    }

    fn finish(&self) {
        let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.is_some() {
            // Clears the counter's line.
            eprint!("\r\x1b[2K");
        }
    }
}
