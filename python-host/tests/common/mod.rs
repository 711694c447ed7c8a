//! What the command-line tests share.

use std::process::Output;

/// The standard output of a run that must have succeeded; the whole output otherwise.
pub fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "flint failed with {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
