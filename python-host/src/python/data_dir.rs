//! Where Flint keeps its data: `$FLINT_HOME`, else `$XDG_DATA_HOME/flint`,
//! else `~/.local/share/flint`.

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Resolves the data directory from the process environment.
pub(crate) fn from_env() -> Result<PathBuf> {
    resolve(
        std::env::var_os("FLINT_HOME"),
        std::env::var_os("XDG_DATA_HOME"),
        std::env::var_os("HOME"),
    )
}

/// Resolves the data directory from the given variable values; separated
/// from the environment so the rules can be tested without mutating it.
pub(crate) fn resolve(
    flint_home: Option<OsString>,
    xdg_data_home: Option<OsString>,
    home: Option<OsString>,
) -> Result<PathBuf> {
    // An empty variable is treated as unset, as shells and the XDG spec do.
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);

    if let Some(dir) = set(flint_home) {
        // Made absolute now: the directory ends up in preopens and manifests,
        // where a path relative to some earlier cwd would be wrong.
        return std::path::absolute(&dir)
            .with_context(|| format!("cannot make FLINT_HOME={} absolute", dir.display()));
    }
    // The XDG spec says relative values are invalid and must be ignored.
    if let Some(dir) = set(xdg_data_home).filter(|d| d.is_absolute()) {
        return Ok(dir.join("flint"));
    }
    match set(home) {
        Some(home) if home.is_absolute() => Ok(home.join(".local/share/flint")),
        _ => bail!("cannot find a data directory for flint: set FLINT_HOME (or HOME)"),
    }
}

/// The directory holding one subdirectory per installed Python.
pub(crate) fn pythons(data_dir: &Path) -> PathBuf {
    data_dir.join("pythons")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> Option<OsString> {
        Some(OsString::from(s))
    }

    #[test]
    fn flint_home_wins() {
        let dir = resolve(os("/opt/flint"), os("/xdg"), os("/home/u")).unwrap();
        assert_eq!(dir, PathBuf::from("/opt/flint"));
    }

    #[test]
    fn relative_flint_home_is_made_absolute() {
        let dir = resolve(os("rel/flint"), None, None).unwrap();
        assert!(dir.is_absolute());
        assert!(dir.ends_with("rel/flint"));
    }

    #[test]
    fn xdg_data_home_is_next() {
        let dir = resolve(None, os("/xdg"), os("/home/u")).unwrap();
        assert_eq!(dir, PathBuf::from("/xdg/flint"));
    }

    #[test]
    fn home_is_the_fallback() {
        let dir = resolve(None, None, os("/home/u")).unwrap();
        assert_eq!(dir, PathBuf::from("/home/u/.local/share/flint"));
    }

    #[test]
    fn empty_and_relative_values_are_ignored() {
        let dir = resolve(os(""), os("relative/xdg"), os("/home/u")).unwrap();
        assert_eq!(dir, PathBuf::from("/home/u/.local/share/flint"));
        let dir = resolve(None, os(""), os("/home/u")).unwrap();
        assert_eq!(dir, PathBuf::from("/home/u/.local/share/flint"));
    }

    #[test]
    fn nothing_set_is_an_error() {
        let err = resolve(None, None, None).unwrap_err();
        assert!(err.to_string().contains("FLINT_HOME"), "{err}");
        assert!(resolve(None, None, os("")).is_err());
    }
}
