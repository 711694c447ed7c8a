//! Records, beside a file, that its contents were checked once, so that later loads of an
//! unchanged file skip reading all of it again; and how the engine writes its files: under a
//! temporary name, then renamed into place.
//!
//! Checking a code cache entry reads 14 MB for CPython, several milliseconds; checking a
//! snapshot's metadata reads 640 KB, a few percent of a restored run. A run that maps the file
//! to use a few pages of it should not pay that every time. So the first load (or the writer)
//! checks the whole file and records the check as `.NAME.verified`: a magic naming the kind of
//! file, a key tying the record to what was checked, and the file's length and
//! [`FileStamp`]. Later loads that find the record matching check only what they read anyway.
//! Any write to the file, or its replacement, changes its stamp and so brings a full check
//! again. Damage that bypasses the file system (a disk returning other bytes than it was
//! given) after the first check is not caught.

use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::file_stamp::FileStamp;

/// What the name of a file's record of its check adds to the file's.
pub(crate) const SUFFIX: &str = ".verified";

/// The record of a check of one file in one state.
pub(crate) struct CheckRecord {
    path: PathBuf,
    contents: Vec<u8>,
}

impl CheckRecord {
    /// The record of a check of the file at `file`, whose metadata is `stat`: `magic` names
    /// the kind of file and `key` what was checked in it (for example its stored checksum).
    pub(crate) fn new(file: &Path, magic: &[u8; 8], key: &[u8], stat: &Metadata) -> CheckRecord {
        let mut contents = Vec::with_capacity(8 + key.len() + 8 + FileStamp::ENCODED_LEN);
        contents.extend_from_slice(magic);
        contents.extend_from_slice(key);
        contents.extend_from_slice(&stat.len().to_le_bytes());
        contents.extend_from_slice(&FileStamp::of(stat).to_le_bytes());
        CheckRecord {
            path: Self::path_for(file),
            contents,
        }
    }

    /// Where the record of a check of `file` is kept.
    pub(crate) fn path_for(file: &Path) -> PathBuf {
        beside(file, SUFFIX)
    }

    /// Whether the record on disk says the file was checked in the state this record
    /// describes.
    pub(crate) fn holds(&self) -> bool {
        std::fs::read(&self.path).ok().as_deref() == Some(&self.contents[..])
    }

    /// Writes the record. Failing to is harmless: the next load checks the file again.
    pub(crate) fn write(&self) -> std::io::Result<()> {
        write_atomically(&self.path, &self.contents)
    }
}

/// A file kept beside `file` and named after it: `.NAME` followed by `suffix`.
pub(crate) fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(file.file_name().unwrap_or_default());
    name.push(suffix);
    file.with_file_name(name)
}

/// Writes `bytes` to `path` so that readers find the previous file, none, or the new one
/// whole: to a temporary name beside it, then renamed into place.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A name beside `path` for writing it before renaming it into place, unique among concurrent
/// writers in this process and others: `.NAME.PID.N.tmp` (a leading dot not doubled).
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let file_name = path.file_name().unwrap_or_default();
    let mut name = std::ffi::OsString::new();
    if !file_name.as_encoded_bytes().starts_with(b".") {
        name.push(".");
    }
    name.push(file_name);
    name.push(format!(
        ".{}.{}.tmp",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::{temp_path, CheckRecord};
    use std::path::Path;

    #[test]
    fn a_record_holds_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.snap");
        std::fs::write(&file, b"one").unwrap();
        let record = |key: &[u8]| {
            CheckRecord::new(&file, b"TESTREC1", key, &std::fs::metadata(&file).unwrap())
        };
        assert!(!record(b"k").holds());
        record(b"k").write().unwrap();
        assert!(record(b"k").holds());
        assert!(!record(b"other key").holds());
        // A replacement of the file (a new inode, whatever its contents) needs a new check.
        let replacement = dir.path().join("y");
        std::fs::write(&replacement, b"one").unwrap();
        std::fs::rename(&replacement, &file).unwrap();
        assert!(!record(b"k").holds());
        assert_eq!(
            CheckRecord::path_for(&file),
            dir.path().join(".x.snap.verified")
        );
    }

    #[test]
    fn temporary_names_are_hidden_and_distinct() {
        let a = temp_path(Path::new("/d/x.snap"));
        let b = temp_path(Path::new("/d/x.snap"));
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with(".x.snap.") && name.ends_with(".tmp"),
            "{name}"
        );
        let hidden = temp_path(Path::new("/d/.x.verified"));
        let name = hidden.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".x.verified."), "{name}");
    }
}
