//! `flint python` restoring its snapshot: every run sees its own arguments, environment and
//! working directory, exactly as a fresh boot (`--no-snapshot`) does. Needs an installed
//! CPython 3.12 (`flint python install 3.12`); skipped with a message otherwise.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// What a run reports about itself.
const PROBE: &str = "import os, sys, __main__\n\
    print(sys.argv, sys.orig_argv[1:], repr(sys.path[0]))\n\
    print(os.getcwd(), sorted(os.listdir('.')))\n\
    print(os.environ.get('FLINT_PROBE'), os.getenv('FLINT_PROBE_2'))\n\
    print(sorted(k for k in vars(__main__) if k not in ('__builtins__',)))\n\
    print(open('data.txt').read())\n";

/// Whether CPython 3.12 is installed; if so, its snapshot is made up to date first, so that
/// the runs compared below do not include a (re)build and its warning.
fn python_installed() -> bool {
    if !python_listed("3.12") {
        eprintln!("skipped: CPython 3.12 is not installed (`flint python install 3.12`)");
        return false;
    }
    warm_up(&[]);
    true
}

/// Runs `pass` on the Python that `version_args` select, so that its snapshot is up to date.
fn warm_up(version_args: &[&str]) {
    let mut args = version_args.to_vec();
    args.extend(["-c", "pass"]);
    let out = flint(&std::env::temp_dir(), &args, &[], "");
    assert!(out.status.success(), "{out:?}");
}

/// `flint python`, without this process's variables that select a snapshot of their own or
/// rule snapshots out (`PYTHON*` and the locale's): a test sets those it is about.
fn flint_python() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flint"));
    cmd.arg("python");
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("PYTHON") || k == "LANG" || k.starts_with("LC_") {
            cmd.env_remove(&*k);
        }
    }
    cmd
}

/// `flint_python`, booting CPython (`--no-snapshot`) if `boot`.
fn flint_python_restored_or_booted(boot: bool) -> Command {
    let mut cmd = flint_python();
    if boot {
        cmd.arg("--no-snapshot");
    }
    cmd
}

fn flint(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = flint_python();
    cmd.args(args).current_dir(cwd);
    for (k, _) in std::env::vars() {
        if k.starts_with("FLINT_PROBE") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flint starts");
    std::io::Write::write_all(&mut child.stdin.take().expect("piped"), stdin.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("flint finishes")
}

/// Runs `args` restored and booted in `cwd`; both must succeed with the same output.
fn same_as_boot(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> String {
    let restored = flint(cwd, args, env, stdin);
    let mut boot_args = vec!["--no-snapshot"];
    boot_args.extend_from_slice(args);
    let booted = flint(cwd, &boot_args, env, stdin);
    let text = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        restored.status.success(),
        "restored run failed: {}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(restored.status.code(), booted.status.code());
    assert_eq!(
        text(&restored),
        text(&booted),
        "restored and booted runs differ"
    );
    assert_eq!(restored.stderr, booted.stderr);
    text(&restored)
}

#[test]
fn restored_runs_see_their_own_argv_env_and_cwd() {
    if !python_installed() {
        return;
    }
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    std::fs::write(a.path().join("data.txt"), "in a").unwrap();
    std::fs::write(b.path().join("data.txt"), "in b").unwrap();
    std::fs::write(b.path().join("probe.py"), PROBE).unwrap();

    let out = same_as_boot(
        a.path(),
        &["-c", PROBE, "x", "y z"],
        &[("FLINT_PROBE", "one")],
        "",
    );
    assert!(out.starts_with("['-c', 'x', 'y z'] ['-c', "), "{out}");
    assert!(out.contains("\n/ ['data.txt']\none None\n"), "{out}");
    assert!(out.ends_with("in a\n"), "{out}");

    let env = [("FLINT_PROBE", "two"), ("FLINT_PROBE_2", "2")];
    let out = same_as_boot(b.path(), &["probe.py", "--flag"], &env, "");
    assert!(
        out.starts_with("['probe.py', '--flag'] ['probe.py', '--flag'] ''"),
        "{out}"
    );
    assert!(out.contains("\ntwo 2\n"), "{out}");
    assert!(out.contains("'__file__'"), "{out}");
    assert!(out.ends_with("in b\n"), "{out}");

    let out = same_as_boot(b.path(), &["-", "arg"], &[], PROBE);
    assert!(out.starts_with("['-', 'arg'] ['-', 'arg'] ''"), "{out}");
}

#[test]
fn exit_codes_tracebacks_and_exit_handlers_match_a_boot() {
    if !python_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for code in [
        "import sys; sys.exit(3)",
        "import sys; sys.exit('bye')",
        "def f():\n    raise ValueError('boom')\nf()",
        "print((",
        "import atexit; atexit.register(print, 'at exit'); print('main')",
        "f = open('left-open.txt', 'w'); f.write('flushed at exit')",
        // sys.modules may hold objects other than modules (a class, here), whose __dict__
        // cannot be cleared at exit.
        "import sys\nclass K: pass\nsys.modules['k'] = K\nprint('done')",
    ] {
        let restored = flint(dir.path(), &["-c", code], &[], "");
        let booted = flint(dir.path(), &["--no-snapshot", "-c", code], &[], "");
        assert_eq!(restored.status.code(), booted.status.code(), "{code}");
        assert_eq!(restored.stdout, booted.stdout, "{code}");
        assert_eq!(
            String::from_utf8_lossy(&restored.stderr),
            String::from_utf8_lossy(&booted.stderr),
            "{code}"
        );
    }
    let left = std::fs::read_to_string(dir.path().join("left-open.txt")).unwrap();
    assert_eq!(left, "flushed at exit");
}

/// Status and both streams of `flint python ARGS`, restored and booted, in a fresh directory.
fn assert_same_as_boot(args: &[&str], env: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let restored = flint(dir.path(), args, env, "");
    let mut boot_args = vec!["--no-snapshot"];
    boot_args.extend_from_slice(args);
    let booted = flint(dir.path(), &boot_args, env, "");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(restored.status.code(), booted.status.code(), "{args:?}");
    assert_eq!(text(&restored.stdout), text(&booted.stdout), "{args:?}");
    assert_eq!(text(&restored.stderr), text(&booted.stderr), "{args:?}");
}

/// What CPython's PyErr_Print, handle_system_exit and flush_std_files do at a program's end,
/// in their less common cases.
#[test]
fn odd_endings_match_a_boot() {
    if !python_installed() {
        return;
    }
    for code in [
        // A C long has 32 bits on WASI: an OverflowError, printed, and status 255.
        "import sys; sys.exit(2**40)",
        "import sys; sys.stderr = None; sys.exit('to C stderr')",
        // Status 130 for KeyboardInterrupt itself, 1 for a subclass.
        "raise KeyboardInterrupt",
        "class K(KeyboardInterrupt): pass\nraise K",
        "import sys\nsys.excepthook = lambda *a: 1 / 0\nraise ValueError(1)",
        "import sys\nsys.excepthook = lambda *a: print(sys.exc_info())\nraise ValueError(1)",
        "import sys\nsys.excepthook = lambda *a: sys.exit(9)\nraise ValueError(1)",
        "import sys\nclass W:\n    def write(s, x): pass\n    def flush(s): raise OSError('no')\n\
         W.__repr__ = lambda s: 'W'\nsys.stdout = W()",
    ] {
        assert_same_as_boot(&["-c", code], &[]);
    }
    // A NUL byte in a program read from a file (here standard input) is reported where it is,
    // as CPython's file tokenizer does.
    let dir = tempfile::tempdir().unwrap();
    let source = "print(1)\n\nx = 1 \0 2\n";
    let restored = flint(dir.path(), &["-"], &[], source);
    let booted = flint(dir.path(), &["--no-snapshot", "-"], &[], source);
    assert_eq!(restored.status.code(), booted.status.code());
    assert_eq!(restored.stdout, booted.stdout);
    assert_eq!(
        String::from_utf8_lossy(&restored.stderr),
        String::from_utf8_lossy(&booted.stderr)
    );
    // 3.11 prints no OverflowError for a code beyond a C long.
    if python_listed("3.11") {
        warm_up(&["-p", "3.11"]);
        assert_same_as_boot(&["-p", "3.11", "-c", "import sys; sys.exit(2**40)"], &[]);
    }
}

/// Whether `flint python list` shows Python `version`.
fn python_listed(version: &str) -> bool {
    let out = Command::new(env!("CARGO_BIN_EXE_flint"))
        .args(["python", "list"])
        .output()
        .expect("flint runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.starts_with(version))
}

/// An uncaught exception's traceback starts at the program, as in a fresh run, with or
/// without a profile function still active when it leaves the program.
#[test]
fn tracebacks_leave_out_the_bootstrap() {
    if !python_installed() {
        return;
    }
    let nested = "def f():\n    g()\ndef g():\n    1 / 0\nf()";
    let profiled = "import sys\nsys.setprofile(lambda *a: None)\n1 / 0";
    for code in [nested, profiled] {
        assert_same_as_boot(&["-c", code], &[]);
    }
}

/// The locale variables decide CPython's UTF-8 mode, its streams' error handler and LC_CTYPE
/// at initialisation: restored runs get those of a boot with the same variables.
#[test]
fn locale_variables_act_as_at_a_boot() {
    if !python_installed() {
        return;
    }
    let probe = "import sys, locale, os\n\
        print(sys.flags.utf8_mode, sys.stdout.errors, locale.setlocale(locale.LC_CTYPE))\n\
        print(os.environ.get('LC_CTYPE'))";
    for env in [
        &[("LC_ALL", "C")][..],
        &[("LANG", "en_US.UTF-8")],
        &[("LANG", "C")],
        &[("LC_CTYPE", "POSIX"), ("LANG", "de_DE.UTF-8")],
    ] {
        // The snapshot of those variables is made up to date first, as `python_installed`
        // does for the default one.
        flint(&std::env::temp_dir(), &["-c", "pass"], env, "");
        assert_same_as_boot(&["-c", probe], env);
    }
}

/// The program's files get the descriptor numbers of a boot: on 3.12, whose file system layer
/// never reuses a number, the bootstrap reads no file of its own before the snapshot.
#[test]
fn restored_runs_open_files_as_a_boot_does() {
    if !python_installed() {
        return;
    }
    let code =
        "import os, sys\nprint(open('a.txt', 'w').fileno(), sorted(sys.path_importer_cache))";
    assert_same_as_boot(&["-c", code], &[]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.py"), code).unwrap();
    let restored = flint(dir.path(), &["s.py"], &[], "");
    let booted = flint(dir.path(), &["--no-snapshot", "s.py"], &[], "");
    let text = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(booted.status.success(), "{booted:?}");
    assert_eq!(text(&restored), text(&booted));
}

/// A terminal on standard input makes it line-buffered, as CPython's create_stdio does (the
/// snapshot's streams were made for pipes).
#[test]
fn a_terminal_on_stdin_is_line_buffered() {
    if !python_installed() {
        return;
    }
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let null = std::ptr::null_mut();
    // SAFETY: openpty writes the two descriptors it opens; no name, modes or size are asked for.
    let r = unsafe { libc::openpty(&mut master, &mut slave, null, null.cast(), null.cast()) };
    assert_eq!(r, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened, and nothing else owns them.
    let (_master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let probe = "import sys; print(sys.stdin.line_buffering, sys.stdin.isatty())";
    for boot in [false, true] {
        let out = flint_python_restored_or_booted(boot)
            .args(["-c", probe])
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .output()
            .expect("flint runs");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "True True\n",
            "{out:?}"
        );
    }
}

#[test]
fn restored_runs_have_the_modules_of_a_boot() {
    if !python_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = same_as_boot(
        dir.path(),
        &["-c", "import sys; print(sorted(sys.modules))"],
        &[],
        "",
    );
    assert!(!out.contains("'atexit'") && !out.contains("'gc'"), "{out}");
}

#[test]
fn host_variables_the_guest_cannot_hold_are_left_out() {
    if !python_installed() {
        return;
    }
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = "import os; print(sorted(k for k in os.environ if k.startswith('FLINT_PROBE')))";
    for boot in [false, true] {
        let out = flint_python_restored_or_booted(boot)
            .args(["-c", probe])
            .current_dir(dir.path())
            .env("FLINT_PROBE_TEXT", "1")
            .env("FLINT_PROBE_BYTES", std::ffi::OsStr::from_bytes(b"\xff"))
            .output()
            .expect("flint runs");
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "['FLINT_PROBE_TEXT']\n"
        );
    }
}

#[test]
fn preloaded_snapshot_has_its_modules() {
    if !python_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let probe = "import sys; print('json' in sys.modules, 'decimal' in sys.modules)";
    let out = flint(
        dir.path(),
        &["--preload", "json,decimal", "-c", probe],
        &[],
        "",
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "True True\n");
    let out = flint(
        dir.path(),
        &["--preload", "not a module", "-c", "pass"],
        &[],
        "",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a module name"));
}

#[test]
fn damaged_snapshot_is_rebuilt_with_a_warning() {
    if !python_installed() {
        return;
    }
    let home = own_home();
    let run = |args: &[&str]| flint_in_home(home.path(), args);
    let first = run(&["-c", "print('ok')"]);
    assert_eq!(String::from_utf8_lossy(&first.stdout), "ok\n");
    // The build leaves its trained snapshot and the record of its check, nothing else (no
    // untrained or temporary file) but the record of the code pages that the run which
    // followed may have written (see `code_pages_are_recorded_by_the_first_run`).
    let mut built: Vec<_> = std::fs::read_dir(home.path().join("snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != ".3.12.0.snap.pages")
        .collect();
    built.sort();
    assert_eq!(built, [".3.12.0.snap.verified", "3.12.0.snap"]);
    let snap = home.path().join("snapshots/3.12.0.snap");
    let len = std::fs::metadata(&snap).unwrap().len();
    // Damage that keeps the length, inside the metadata the first load checked and recorded:
    // the write changes the file's stamp, so the next load checks again.
    let mut bytes = std::fs::read(&snap).unwrap();
    bytes[1024] ^= 0x55;
    std::fs::write(&snap, &bytes).unwrap();
    // The next run reports the damage, rebuilds the snapshot and runs the program.
    let rebuilds_for = |damage: &str| {
        let out = run(&["-c", "print('ok')"]);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("warning: rebuilding the snapshot") && err.contains(damage),
            "{err}"
        );
    };
    rebuilds_for("corrupt");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&snap)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    rebuilds_for("truncated");
    // Whole again (its length may differ by a few bytes: the memory pages its training runs
    // all wrote are not always the same ones), and used without a warning.
    assert!(std::fs::metadata(&snap).unwrap().len() > len / 2);
    let out = run(&["-c", "print('again')"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "again\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// A data directory of its own (its snapshots built afresh) with the installed Pythons.
fn own_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dirs_data().join("pythons"), home.path().join("pythons")).unwrap();
    home
}

/// Runs `flint python ARGS` with data directory `home`.
fn flint_in_home(home: &Path, args: &[&str]) -> Output {
    flint_python()
        .args(args)
        .env("FLINT_HOME", home)
        .output()
        .expect("flint runs")
}

/// The data directory the other tests use (the user's), where Python is installed.
fn dirs_data() -> std::path::PathBuf {
    if let Some(home) = std::env::var_os("FLINT_HOME") {
        return home.into();
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return std::path::PathBuf::from(xdg).join("flint");
    }
    std::path::PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".local/share/flint")
}

/// The first run of a snapshot records which pages of its lazily filled interpreter code it
/// touched; later runs fill those at once and leave the record alone, and a record that is not
/// one (or that another snapshot wrote) is ignored and written again. Runs in the interpreter
/// tier, which touch far more than other runs, record nothing (nor do runs that began without
/// compiled code, the first of a Python version: not tested here, as each leaves a compilation
/// of CPython running behind it).
#[test]
fn code_pages_are_recorded_by_the_first_run() {
    if !python_installed() {
        return;
    }
    // The runs below begin with compiled code: the code cache is filled first (at once if it
    // has the module).
    let wasm = dirs_data().join("pythons/3.12.0/package/dist/python.wasm");
    let compile = Command::new(env!("CARGO_BIN_EXE_flint"))
        .arg("compile")
        .arg(&wasm)
        .output()
        .expect("flint runs");
    assert!(compile.status.success(), "{compile:?}");
    let home = own_home();
    let run = |args: &[&str]| {
        let out = flint_in_home(home.path(), args);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n", "{out:?}");
        assert!(out.stderr.is_empty(), "{out:?}");
    };
    let record = home.path().join("snapshots/.3.12.0.snap.pages");
    run(&["-c", "print('ok')"]);
    let first = std::fs::read(&record).expect("the first run wrote the record");
    assert!(
        first.starts_with(b"FLINTPG1") && first.len() > 44,
        "{first:?}"
    );
    let written = std::fs::metadata(&record).unwrap().modified().unwrap();
    run(&["-c", "print('ok')"]);
    assert_eq!(
        std::fs::metadata(&record).unwrap().modified().unwrap(),
        written
    );
    std::fs::write(&record, b"not a record").unwrap();
    run(&["-c", "print('ok')"]);
    assert!(std::fs::read(&record).unwrap().starts_with(b"FLINTPG1"));
    std::fs::remove_file(&record).unwrap();
    run(&["--tier", "interp", "-c", "print('ok')"]);
    assert!(!record.exists());
}
