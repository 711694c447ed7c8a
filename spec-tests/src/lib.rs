//! Runs WebAssembly spec test scripts (`.wast`) against Flint's engine.
//!
//! [`run_wast_file`] runs one script and reports every directive as passed, failed or skipped
//! (with the reason); [`run_files`] runs many in parallel; [`run_cli`] is `flint wast`.

mod report;
mod script;
mod spectest;
mod values;
pub mod wasi_suite;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use flint_engine::Tier;

pub use report::{Failure, FileReport, Skip, Summary};

/// Stack of each worker thread: deep enough for the script parser and for host-to-Wasm calls.
const WORKER_STACK: usize = 64 << 20;

#[derive(Debug, Clone)]
pub struct Options {
    /// The engine tier that runs the Wasm code.
    pub tier: Tier,
    /// The engine's code cache directory, if any.
    pub cache_dir: Option<PathBuf>,
    /// Files run at once; 0 means one per available core.
    pub jobs: usize,
    /// Failures printed per file by [`run_cli`]; all of them are counted.
    pub max_failures_shown: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tier: Tier::default(),
            cache_dir: None,
            jobs: 0,
            max_failures_shown: 20,
        }
    }
}

/// Runs one script. Never panics: an unreadable or unparseable file is reported as
/// [`FileReport::error`], a panic inside a directive as that directive's failure.
pub fn run_wast_file(path: &Path, options: &Options) -> FileReport {
    let src = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => return file_error(path, "the file is not UTF-8 text".into()),
        },
        Err(e) => return file_error(path, format!("cannot read the file: {e}")),
    };
    catch_unwind(AssertUnwindSafe(|| {
        script::run_source(path.to_path_buf(), &src, options)
    }))
    .unwrap_or_else(|payload| {
        file_error(path, format!("panic: {}", script::panic_message(&*payload)))
    })
}

fn file_error(path: &Path, message: String) -> FileReport {
    let mut report = FileReport::new(path.to_path_buf());
    report.error = Some(message);
    report
}

/// Runs `files` on `options.jobs` threads, calling `on_report` for each finished file in the
/// order of `files`; returns the reports in that order.
pub fn run_files(
    files: &[PathBuf],
    options: &Options,
    mut on_report: impl FnMut(&FileReport),
) -> Vec<FileReport> {
    let jobs = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(files.len())
    .max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    let mut done: Vec<Option<FileReport>> = files.iter().map(|_| None).collect();
    let mut reported = 0;
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let next = &next;
            let worker = move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                if tx.send((i, run_wast_file(path, options))).is_err() {
                    break;
                }
            };
            if let Err(e) = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, worker)
            {
                // Fewer workers are fine as long as one runs; with none, report every file.
                eprintln!("cannot start a worker thread: {e}");
            }
        }
        drop(tx);
        for (i, report) in rx.iter() {
            done[i] = Some(report);
            while let Some(Some(report)) = done.get(reported) {
                on_report(report);
                reported += 1;
            }
        }
    });
    files
        .iter()
        .zip(done)
        .map(|(path, report)| {
            report.unwrap_or_else(|| file_error(path, "the file was not run".into()))
        })
        .collect()
}

/// The `.wast` files of `paths`: files as given, directories replaced by the `.wast` files they
/// contain, sorted by name.
pub fn wast_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inner = Vec::new();
            for entry in std::fs::read_dir(path)? {
                let p = entry?.path();
                if p.extension().is_some_and(|e| e == "wast") {
                    inner.push(p);
                }
            }
            inner.sort();
            files.extend(inner);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// `flint wast FILES...`: [`run_cli_with`] with the default options on `tier`.
pub fn run_cli(paths: &[PathBuf], tier: Tier) -> i32 {
    let options = Options {
        tier,
        ..Options::default()
    };
    run_cli_with(paths, &options)
}

/// Runs the scripts (directories stand for the `.wast` files in them), prints each file's
/// result and then the line `N passed, M failed, K skipped`, and returns the exit code: 0 when
/// nothing failed, 1 otherwise, 2 when the arguments name no script.
pub fn run_cli_with(paths: &[PathBuf], options: &Options) -> i32 {
    let files = match wast_files(paths) {
        Ok(f) if f.is_empty() => {
            eprintln!("error: no .wast files given");
            return 2;
        }
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let reports = run_files(&files, options, |r| {
        print!("{}", r.render(options.max_failures_shown));
    });
    let summary = Summary::of(&reports);
    println!("{summary}");
    i32::from(summary.failed > 0)
}
