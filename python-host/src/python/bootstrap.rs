//! The bootstrap program of Python snapshots (`bootstrap.py`) and the work message a restored
//! run hands it.
//!
//! A snapshot is CPython started as `python3 -c BOOTSTRAP`, captured when the bootstrap first
//! reads standard input. A run restores it and queues its work ahead of its standard input: a
//! little-endian `u32` length, then the marshalled tuple `(2, mode, payload, argv, orig_argv,
//! env_keys, env_values)`, all `bytes` but the version, where `mode` is `c` (payload: the code),
//! `m` (the module), `f` (the script path) or `s` (the program comes from standard input), and
//! the environment comes as two tuples so that the bootstrap can hand them to C functions whole.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

const SOURCE: &str = include_str!("bootstrap.py");

/// The bootstrap as the `-c` argument of a snapshot build: it imports `preload` (checked
/// module names) before the capture point.
pub fn source(preload: &[String]) -> String {
    let names: String = preload.iter().map(|m| format!("{m:?}, ")).collect();
    SOURCE.replace("PRELOAD", &format!("({})", names.trim_end()))
}

/// Whether `name` is a dotted module name (and so safe to put in the bootstrap's source).
pub fn is_module_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
                && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        })
}

/// How a run gives CPython its program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// `-c CODE`
    Command(OsString),
    /// `-m MODULE`
    Module(OsString),
    /// `SCRIPT`, a guest path
    Script(OsString),
    /// `-` or standard input that is not a terminal
    Stdin,
}

/// The work of one restored run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub program: Program,
    /// `sys.argv` as CPython would set it before running the program.
    pub argv: Vec<OsString>,
    /// `sys.orig_argv`: the guest's whole command line.
    pub orig_argv: Vec<OsString>,
    pub env: Vec<(String, String)>,
}

impl Work {
    /// The work message: its length, then the tuple in marshal's format (which the bootstrap
    /// decodes with `marshal.loads`).
    pub fn encode(&self) -> Vec<u8> {
        let (mode, payload): (&[u8], &[u8]) = match &self.program {
            Program::Command(code) => (b"c", code.as_bytes()),
            Program::Module(name) => (b"m", name.as_bytes()),
            Program::Script(path) => (b"f", path.as_bytes()),
            Program::Stdin => (b"s", b""),
        };
        let mut out = vec![0; 4];
        tuple(&mut out, 7);
        out.push(b'i');
        out.extend_from_slice(&2i32.to_le_bytes());
        bytes(&mut out, mode);
        bytes(&mut out, payload);
        for list in [&self.argv, &self.orig_argv] {
            tuple(&mut out, list.len());
            for a in list {
                bytes(&mut out, a.as_bytes());
            }
        }
        tuple(&mut out, self.env.len());
        for (k, _) in &self.env {
            bytes(&mut out, k.as_bytes());
        }
        tuple(&mut out, self.env.len());
        for (_, v) in &self.env {
            bytes(&mut out, v.as_bytes());
        }
        let len = (out.len() - 4) as u32;
        out[..4].copy_from_slice(&len.to_le_bytes());
        out
    }
}

fn tuple(out: &mut Vec<u8>, len: usize) {
    out.push(b'(');
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b's');
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        for ok in ["json", "os.path", "_x1.y_2"] {
            assert!(is_module_name(ok), "{ok}");
        }
        for bad in ["", "1x", "a..b", "a.", "x); import os", "é"] {
            assert!(!is_module_name(bad), "{bad}");
        }
    }

    #[test]
    fn source_has_its_parameters() {
        let src = source(&["json".into(), "decimal".into()]);
        assert!(src.contains(r#"for name in ("json", "decimal",):"#));
        assert!(source(&[]).contains("for name in ():"));
        assert!(!src.contains("PRELOAD"));
    }

    #[test]
    fn work_is_marshal() {
        let work = Work {
            program: Program::Command("print(1)".into()),
            argv: vec!["-c".into()],
            orig_argv: vec!["python3".into(), "-c".into(), "print(1)".into()],
            env: vec![("A".into(), "b".into())],
        };
        let mut want = b"(\x07\0\0\0i\x02\0\0\0s\x01\0\0\0cs\x08\0\0\0print(1)".to_vec();
        want.extend_from_slice(b"(\x01\0\0\0s\x02\0\0\0-c");
        want.extend_from_slice(b"(\x03\0\0\0s\x07\0\0\0python3s\x02\0\0\0-cs\x08\0\0\0print(1)");
        want.extend_from_slice(b"(\x01\0\0\0s\x01\0\0\0A(\x01\0\0\0s\x01\0\0\0b");
        let encoded = work.encode();
        assert_eq!(encoded[..4], (want.len() as u32).to_le_bytes());
        assert_eq!(encoded[4..], want);
    }
}
