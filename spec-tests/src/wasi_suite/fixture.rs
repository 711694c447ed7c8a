//! Fresh copies of a test's root folder: tests write into their root, so each run gets its own.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A private copy of a folder, removed when dropped.
#[derive(Debug)]
pub struct Fixture {
    path: PathBuf,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Fixture {
    /// Copies `src` into a new temporary folder, leaving out `*.cleanup` left-overs and making
    /// everything writable (the published fixtures are read-only).
    pub fn copy_of(src: &Path) -> io::Result<Fixture> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("flint-wasi-suite-{}-{n}", std::process::id()));
        if path.exists() {
            fs::remove_dir_all(&path)?;
        }
        let fixture = Fixture { path };
        copy_dir(src, &fixture.path)?;
        Ok(fixture)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // Best effort: a test may have left a read-only folder behind.
        let _ = make_writable(&self.path);
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn copy_dir(src: &Path, dst: &Path) -> io::Result<()> {
    fs::create_dir(dst)?;
    fs::set_permissions(dst, fs::Permissions::from_mode(0o755))?;
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".cleanup") {
            continue;
        }
        let (from, to) = (entry.path(), dst.join(&name));
        let ty = entry.file_type()?;
        if ty.is_dir() {
            copy_dir(&from, &to)?;
        } else if ty.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&from)?, &to)?;
        } else {
            fs::copy(&from, &to)?;
            fs::set_permissions(&to, fs::Permissions::from_mode(0o644))?;
        }
    }
    Ok(())
}

fn make_writable(dir: &Path) -> io::Result<()> {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            make_writable(&entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_without_cleanup_files() {
        let src =
            std::env::temp_dir().join(format!("flint-wasi-fixture-src-{}", std::process::id()));
        let _ = fs::remove_dir_all(&src);
        fs::create_dir_all(src.join("sub")).unwrap();
        fs::write(src.join("keep"), b"x").unwrap();
        fs::write(src.join("sub/old.cleanup"), b"x").unwrap();
        fs::create_dir(src.join("dir.cleanup")).unwrap();
        let copy = Fixture::copy_of(&src).unwrap();
        assert!(copy.path().join("keep").is_file());
        assert!(copy.path().join("sub").is_dir());
        assert!(!copy.path().join("sub/old.cleanup").exists());
        assert!(!copy.path().join("dir.cleanup").exists());
        let kept = copy.path().to_path_buf();
        drop(copy);
        assert!(!kept.exists());
        fs::remove_dir_all(&src).unwrap();
    }
}
