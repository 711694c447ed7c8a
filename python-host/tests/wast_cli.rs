//! `flint wast` as its own process: compiled code then runs on the process's main thread,
//! whose stack floor the compiled tier works out differently from other threads' (see
//! `stack_low` in `engine/src/jit/sys.rs`), which in-process tests, run on the test harness's
//! threads, never reach.

use std::process::Command;

mod common;
use common::stdout;

/// Unbounded recursion, which must end in the engine's stack-exhaustion trap, not a crash: two
/// directives, the module and the assertion.
const RECURSION: &str = r#"
(module
  (func $down (export "down") (param i64) (result i64)
    (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (i64.const 1))))
(assert_exhaustion (invoke "down" (i64.const 0)) "call stack exhausted")
"#;

/// Runs `flint wast --tier jit` on the script under the shell's stack size limit `ulimit`.
fn wast_with_stack_limit(ulimit: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("recursion.wast");
    std::fs::write(&script, RECURSION).expect("script written");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -s {ulimit} && exec \"$0\" wast --tier jit \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_flint"))
        .arg(&script)
        .output()
        .expect("sh starts");
    stdout(&out)
}

#[test]
fn main_thread_stack_exhaustion_is_a_trap() {
    // A usual limit, a small one, and none (where the floor comes from glibc instead).
    for ulimit in ["8192", "2048", "unlimited"] {
        let report = wast_with_stack_limit(ulimit);
        assert!(
            report.contains("2 passed, 0 failed"),
            "ulimit -s {ulimit}: {report}"
        );
    }
}
