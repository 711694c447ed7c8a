//! Which Python command lines a snapshot can run: the common forms `-c CODE`, `-m MODULE`,
//! `SCRIPT` and `-` / piped standard input, each with arguments. Interpreter options act while
//! CPython initialises, before any snapshot is taken (`-I`, `-S`, `-E`, `-u`, `-X`, `-W`, `-O`,
//! `-B` and the others), and so do the `PYTHON*` environment variables, the interactive
//! prompt needs a terminal, and directories, zip files and `.pyc` files run through other
//! code paths: all those boot CPython afresh.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::bootstrap::Program;

/// The program and `sys.argv` of `python3 ARGS` (arguments after the interpreter name), if a
/// snapshot can run it; `stdin_is_tty` tells whether a missing program means the prompt.
pub fn classify(args: &[OsString], stdin_is_tty: bool) -> Option<(Program, Vec<OsString>)> {
    let Some(first) = args.first() else {
        return (!stdin_is_tty).then(|| (Program::Stdin, vec![OsString::new()]));
    };
    let bytes = first.as_bytes();
    // The value of `-cCODE` or `-c CODE` (likewise `-m`), and how many arguments it took.
    let value = || -> Option<(OsString, usize)> {
        if bytes.len() > 2 {
            Some((OsStr::from_bytes(&bytes[2..]).to_os_string(), 1))
        } else {
            args.get(1).map(|v| (v.clone(), 2))
        }
    };
    let after = |n: usize| args[n..].iter().cloned();
    if bytes.starts_with(b"-c") {
        let (code, n) = value()?;
        let argv = std::iter::once("-c".into()).chain(after(n)).collect();
        return Some((Program::Command(code), argv));
    }
    if bytes.starts_with(b"-m") {
        let (module, n) = value()?;
        let argv = std::iter::once("-m".into()).chain(after(n)).collect();
        return Some((Program::Module(module), argv));
    }
    if bytes == b"-" {
        let argv = std::iter::once("-".into()).chain(after(1)).collect();
        return (!stdin_is_tty).then_some((Program::Stdin, argv));
    }
    if bytes.starts_with(b"-") {
        return None;
    }
    Some((Program::Script(first.clone()), args.to_vec()))
}

/// Whether a script (a host path) runs in CPython's `__main__` code path: directories and zip
/// files run their `__main__` module, `.pyc` files their bytecode.
pub fn is_plain_script(host_path: &Path) -> bool {
    if host_path.is_dir() || host_path.extension().is_some_and(|e| e == "pyc") {
        return false;
    }
    let mut magic = [0u8; 4];
    let is_zip = std::fs::File::open(host_path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| &magic == b"PK\x03\x04");
    !is_zip
}

/// Variables a snapshot cannot honour: the hash seed is chosen while CPython initialises (a
/// snapshot's runs all share the one it was built with), and `PYTHONINSPECT` asks for the
/// interactive prompt after the program.
const BOOT_ONLY_ENV: &[&str] = &["PYTHONHASHSEED", "PYTHONINSPECT"];

/// The variables of `env` that change how CPython initialises (every `PYTHON*` one: unbuffered
/// streams, bytecode writing, warnings, encodings, ...; and the locale, see `init_locale`)
/// other than those in `base`: a snapshot for this run must be built with them. `None` if one
/// of them rules snapshots out.
pub fn init_env(
    env: &[(String, String)],
    base: &[(String, String)],
) -> Option<Vec<(String, String)>> {
    let mut init: Vec<_> = env
        .iter()
        .filter(|kv| kv.0.starts_with("PYTHON") && !base.contains(kv))
        .cloned()
        .collect();
    if init
        .iter()
        .any(|(k, _)| BOOT_ONLY_ENV.contains(&k.as_str()))
    {
        return None;
    }
    init.extend(super::init_locale::locale_var(env)?);
    Some(init)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            classify(&os(&["-c", "print(1)", "a"]), true),
            Some((Program::Command("print(1)".into()), os(&["-c", "a"])))
        );
        assert_eq!(
            classify(&os(&["-cpass"]), true),
            Some((Program::Command("pass".into()), os(&["-c"])))
        );
        assert_eq!(
            classify(&os(&["-m", "json.tool", "x"]), true),
            Some((Program::Module("json.tool".into()), os(&["-m", "x"])))
        );
        assert_eq!(
            classify(&os(&["s.py", "-c", "x"]), true),
            Some((Program::Script("s.py".into()), os(&["s.py", "-c", "x"])))
        );
        assert_eq!(
            classify(&os(&["-", "a"]), false),
            Some((Program::Stdin, os(&["-", "a"])))
        );
        assert_eq!(classify(&[], false), Some((Program::Stdin, os(&[""]))));
    }

    #[test]
    fn everything_else_boots_afresh() {
        for args in [
            &["-I", "-c", "1"][..],
            &["-u", "s.py"],
            &["-X", "dev"],
            &["--version"],
            &["-c"],
            &["-m"],
            &["--", "s.py"],
        ] {
            assert_eq!(classify(&os(args), false), None, "{args:?}");
        }
        assert_eq!(classify(&[], true), None);
        assert_eq!(classify(&os(&["-"]), true), None);
    }

    #[test]
    fn init_variables() {
        let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
        let base = vec![kv("PYTHONHOME", "/usr/local")];
        let env = vec![
            kv("PYTHONHOME", "/usr/local"),
            kv("PYTHONUNBUFFERED", "1"),
            kv("HOME", "/root"),
        ];
        assert_eq!(
            init_env(&env, &base),
            Some(vec![kv("PYTHONUNBUFFERED", "1")])
        );
        let env = vec![kv("PYTHONHASHSEED", "0")];
        assert_eq!(init_env(&env, &base), None);
        let env = vec![kv("LANG", "en_US.UTF-8"), kv("PYTHONUNBUFFERED", "1")];
        assert_eq!(
            init_env(&env, &base),
            Some(vec![
                kv("PYTHONUNBUFFERED", "1"),
                kv("LC_CTYPE", "en_US.UTF-8")
            ])
        );
        assert_eq!(init_env(&[kv("LANG", "C")], &base), None);
    }
}
