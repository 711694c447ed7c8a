//! The lock that serializes installs sharing one data directory.

use super::progress;
use anyhow::{Context, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// Held for the whole install; released when dropped, and by the kernel if
/// the process dies, so a killed install never leaves the lock stuck.
pub(crate) struct InstallLock {
    _file: File,
}

impl InstallLock {
    /// Takes the exclusive lock on `path`, waiting (and saying so) while
    /// another process holds it. The file itself is never removed: removing
    /// a lock file lets two processes lock two different files.
    pub(crate) fn acquire(path: &Path) -> Result<InstallLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                progress::say(format!(
                    "waiting for another flint install to finish (lock {})…",
                    path.display()
                ));
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        Ok(InstallLock { _file: file })
    }
}
