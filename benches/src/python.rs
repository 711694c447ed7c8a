//! The Pythons under comparison: the CPython build `flint python` installs (its module and
//! snapshot), and a native CPython of the same minor version where there is one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// Flint's data directory, found as `flint` finds it.
pub fn data_dir() -> Result<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(home) = var("FLINT_HOME") {
        return Ok(home);
    }
    if let Some(xdg) = var("XDG_DATA_HOME") {
        return Ok(xdg.join("flint"));
    }
    Ok(var("HOME")
        .context("HOME is not set")?
        .join(".local/share/flint"))
}

/// An installed Python of `flint python`.
pub struct Installed {
    /// The version directory's name, e.g. `3.12.0`.
    pub version: String,
    pub wasm: PathBuf,
}

impl Installed {
    /// The installation of `version` (`3.12` finds `3.12.0`).
    pub fn find(version: &str) -> Result<Installed> {
        let pythons = data_dir()?.join("pythons");
        let entries = std::fs::read_dir(&pythons).with_context(|| {
            format!(
                "no Pythons in {} (flint python install {version})",
                pythons.display()
            )
        })?;
        for entry in entries {
            let dir = entry?.path();
            let name = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if name != version && !name.starts_with(&format!("{version}.")) {
                continue;
            }
            let manifest = std::fs::read_to_string(dir.join("flint-python.manifest"))?;
            let wasm = manifest
                .lines()
                .find_map(|l| l.strip_prefix("wasm = "))
                .context("the manifest names no module")?;
            return Ok(Installed {
                version: name,
                wasm: dir.join(wasm),
            });
        }
        bail!("Python {version} is not installed (flint python install {version})")
    }

    /// The snapshot `flint python` makes for runs without preloads or `PYTHON*` settings.
    pub fn snapshot(&self) -> Result<PathBuf> {
        Ok(data_dir()?
            .join("snapshots")
            .join(format!("{}.snap", self.version)))
    }
}

/// The native CPython to compare with: the interpreter itself (`sys.executable`), not a
/// launcher such as a pyenv shim, whose own start-up would be counted otherwise. `python3.X`
/// for `version` 3.X if it runs, else `python3`; `None` if neither runs.
pub fn native(version: &str, dir: &Path) -> Option<String> {
    let minor = version.split('.').take(2).collect::<Vec<_>>().join(".");
    [format!("python{minor}"), "python3".to_string()]
        .into_iter()
        .find_map(|name| {
            let out = Command::new(&name)
                .args(["-c", "import sys; print(sys.executable)"])
                .current_dir(dir)
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            let exe = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (out.status.success() && !exe.is_empty()).then_some(exe)
        })
}
