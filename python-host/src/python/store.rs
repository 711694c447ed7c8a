//! The `pythons/` directory of the data directory, and what is in it.

use super::data_dir;
use super::installation::Installation;
use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// The set of installed Pythons under one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    pythons: PathBuf,
}

/// One directory found in the store.
#[derive(Debug)]
pub enum ListEntry {
    Installed(Installation),
    /// A directory that is not a usable installation, e.g. one whose files
    /// were removed by hand. Installing its version again replaces it.
    Broken {
        version: String,
        dir: PathBuf,
        problem: String,
    },
}

/// The state of one version's directory.
pub(crate) enum Lookup {
    Missing,
    Installed(Installation),
    Broken(anyhow::Error),
}

impl Store {
    /// The store in the data directory chosen by the environment
    /// (`$FLINT_HOME`, `$XDG_DATA_HOME/flint` or `~/.local/share/flint`).
    pub fn from_env() -> Result<Store> {
        Ok(Store::at(&data_dir::from_env()?))
    }

    /// The store in a given data directory.
    pub fn at(data_dir: &Path) -> Store {
        Store {
            pythons: data_dir::pythons(data_dir),
        }
    }

    /// The directory holding one subdirectory per installed version.
    pub fn pythons_dir(&self) -> &Path {
        &self.pythons
    }

    /// Every installation directory, sorted by version name.
    pub fn list(&self) -> Result<Vec<ListEntry>> {
        let read = match fs::read_dir(&self.pythons) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot list {}", self.pythons.display()))
            }
        };
        let mut names = Vec::new();
        for entry in read {
            let entry = entry.with_context(|| format!("cannot list {}", self.pythons.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Dot names are the lock file and staging directories.
            if !name.starts_with('.') && entry.path().is_dir() {
                names.push(name);
            }
        }
        names.sort();
        Ok(names
            .into_iter()
            .map(|version| match self.lookup(&version) {
                Lookup::Installed(installation) => ListEntry::Installed(installation),
                Lookup::Missing => ListEntry::Broken {
                    dir: self.pythons.join(&version),
                    version,
                    problem: "removed while listing".into(),
                },
                Lookup::Broken(problem) => ListEntry::Broken {
                    dir: self.pythons.join(&version),
                    version,
                    problem: format!("{problem:#}"),
                },
            })
            .collect())
    }

    /// The state of the directory for a canonical version.
    pub(crate) fn lookup(&self, version: &str) -> Lookup {
        let dir = self.pythons.join(version);
        if fs::symlink_metadata(&dir).is_err() {
            return Lookup::Missing;
        }
        match Installation::load(&dir).and_then(|i| i.check_files().map(|()| i)) {
            Ok(installation) => Lookup::Installed(installation),
            Err(problem) => Lookup::Broken(problem),
        }
    }
}
