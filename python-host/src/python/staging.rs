//! Temporary directories where installs are prepared before being renamed
//! into place, so that `pythons/<version>` is either complete or absent.

use anyhow::{Context, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const PREFIX: &str = ".tmp-";

/// A staging directory inside `pythons/`, removed when dropped; an install
/// killed before that leaves it for [`remove_stale`] to clean up.
pub(crate) struct Staging {
    path: PathBuf,
}

impl Staging {
    /// Creates a fresh staging directory in `parent`. It lives on the same
    /// file system as the final location, so the final rename is atomic.
    pub(crate) fn create(parent: &Path) -> Result<Staging> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = parent.join(format!("{PREFIX}{}-{nanos}", std::process::id()));
        fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Staging { path })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Best effort: whatever is left is removed by the next install.
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Removes staging directories left by killed installs. Only safe while
/// holding the install lock, since every live install holds it too.
pub(crate) fn remove_stale(parent: &Path) -> Result<()> {
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", parent.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", parent.display()))?;
        if entry.file_name().to_string_lossy().starts_with(PREFIX) {
            let path = entry.path();
            fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove stale install {}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_is_removed_on_drop() {
        let parent = tempfile::tempdir().unwrap();
        let staging = Staging::create(parent.path()).unwrap();
        let path = staging.path().to_path_buf();
        fs::write(path.join("file"), b"x").unwrap();
        drop(staging);
        assert!(!path.exists());
    }

    #[test]
    fn stale_staging_is_removed_and_the_rest_kept() {
        let parent = tempfile::tempdir().unwrap();
        fs::create_dir_all(parent.path().join(".tmp-123-456/deep")).unwrap();
        fs::create_dir(parent.path().join("3.11")).unwrap();
        fs::write(parent.path().join(".lock"), b"").unwrap();
        remove_stale(parent.path()).unwrap();
        let mut left: Vec<_> = fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [".lock", "3.11"]);
    }
}
