//! Finding, running and judging the tests; the engine is passed in as an [`Exec`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use flint_wasi::{MemoryPipe, Stdio, WasiCtx};

use super::config::TestConfig;
use super::fixture::Fixture;

/// Runs the module at the path with the given WASI state; returns its exit code (0 when
/// `_start` returned), or what went wrong.
pub type Exec<'a> = &'a (dyn Fn(&Path, WasiCtx) -> Result<i32, String> + Sync);

/// Stack of the thread each test runs on: deep enough for the interpreter.
const TEST_STACK: usize = 64 << 20;

/// One test program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// `SET/NAME`, e.g. `rust/path_link`.
    pub name: String,
    pub wasm: PathBuf,
}

/// The `.wasm` tests of every test set (subfolder) of `suite`, sorted by name.
pub fn discover(suite: &Path) -> std::io::Result<Vec<TestCase>> {
    let mut cases = Vec::new();
    for set in std::fs::read_dir(suite)? {
        let set = set?.path();
        if !set.is_dir() {
            continue;
        }
        let set_name = set
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for file in std::fs::read_dir(&set)? {
            let wasm = file?.path();
            if wasm.extension().is_some_and(|e| e == "wasm") {
                let stem = wasm
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                cases.push(TestCase {
                    name: format!("{set_name}/{stem}"),
                    wasm,
                });
            }
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Text for a failure report: the bytes as (lossy) UTF-8, or a note that there were none.
fn show(what: &str, bytes: &[u8]) -> String {
    if bytes.is_empty() {
        format!("{what}: (empty)")
    } else {
        format!("{what}:\n{}", String::from_utf8_lossy(bytes).trim_end())
    }
}

/// Runs one test on a fresh copy of its root folder; `Err` says why it failed.
pub fn run_case(case: &TestCase, exec: Exec<'_>) -> Result<(), String> {
    let config = TestConfig::for_wasm(&case.wasm)?;
    let dir = case.wasm.parent().unwrap_or(Path::new("."));
    let fixture = match &config.root {
        Some(root) => Some(
            Fixture::copy_of(&dir.join(root)).map_err(|e| format!("cannot copy `{root}`: {e}"))?,
        ),
        None => None,
    };
    let (stdout, stderr) = (MemoryPipe::default(), MemoryPipe::default());
    let mut builder = WasiCtx::builder();
    let program = case
        .wasm
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    builder
        .arg(program)
        .args(config.args.iter().cloned())
        .stdin(Stdio::Pipe(MemoryPipe::default()))
        .stdout(Stdio::Pipe(stdout.clone()))
        .stderr(Stdio::Pipe(stderr.clone()));
    for (k, v) in &config.env {
        builder.env(k.clone(), v.clone());
    }
    if let Some(f) = &fixture {
        builder.preopened_dir(f.path(), "/");
    }
    let ctx = builder
        .build()
        .map_err(|e| format!("cannot set up WASI: {e}"))?;
    let (out, err) = (|| stdout.contents(), || stderr.contents());
    let code = exec(&case.wasm, ctx).map_err(|e| format!("{e}\n{}", show("stderr", &err())))?;

    let mut problems = Vec::new();
    if code != config.exit_code {
        problems.push(format!("exit code {code}, expected {}", config.exit_code));
    }
    if let Some(expected) = &config.stdout {
        if out() != expected.as_bytes() {
            problems.push(format!("stdout differs; expected {expected:?}"));
        }
    }
    if let Some(expected) = &config.stderr {
        if err() != expected.as_bytes() {
            problems.push(format!("stderr differs; expected {expected:?}"));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    problems.push(show("stdout", &out()));
    problems.push(show("stderr", &err()));
    Err(problems.join("\n"))
}

/// The counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

/// Runs every test of `suite`, printing each failure and then the line `N passed, M failed`.
pub fn run_all(suite: &Path, exec: Exec<'_>) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    for case in discover(suite)? {
        let worker = || {
            catch_unwind(AssertUnwindSafe(|| run_case(&case, exec))).unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
                Err(format!("panic: {}", msg.unwrap_or_default()))
            })
        };
        let result = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(TEST_STACK)
                .spawn_scoped(scope, worker)
                .map(|t| {
                    t.join()
                        .unwrap_or_else(|_| Err("the test thread died".into()))
                })
        })?;
        match result {
            Ok(()) => summary.passed += 1,
            Err(why) => {
                summary.failed += 1;
                println!("FAIL {}: {}", case.name, why.replace('\n', "\n    "));
            }
        }
    }
    println!("{} passed, {} failed", summary.passed, summary.failed);
    Ok(summary)
}
