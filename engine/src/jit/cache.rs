//! The on-disk code cache: a linked image per module, stored under a key that covers everything
//! the code depends on, and mapped straight from the file when found.
//!
//! The key hashes the module's bytes, the engine version, a fingerprint of the compiled tier's
//! sources (see `build.rs`), the engine settings that affect code or validation, the target
//! triple and every Cranelift setting, the detected CPU features included. Images are
//! position-independent (see `compile.rs`), so a file's code is mapped read+execute as it is,
//! shared through the page cache by every process that loads it.
//!
//! Entries are only ever written for modules that passed validation, so an intact entry for a
//! module's key proves that the module is valid (see `Module::new`, which then skips
//! validation).
//!
//! A cache file is written to a temporary name and renamed into place, so readers see either
//! no file or a complete one. A checksum over the rest of the file catches anything else that
//! can go wrong with it (a truncated copy, a damaged disk, a stray write): such a file is
//! reported and treated as a miss, and the entry written afresh. The checksum is a CRC-32: it
//! guards against damage, not forgery (whoever can write the cache can write code anyway).
//!
//! Checking an entry reads all of it (14 MB for CPython), so an entry is checked once, on its
//! first load (or by its writer), and the check is recorded beside it (see
//! `check_record.rs`); later loads that find the record matching check the header alone.
//!
//! The metadata (see `image_meta.rs`) is used in place from the mapped file, the code is mapped
//! read+execute: a load reads only the pages a run touches.
//!
//! File layout (little-endian):
//!
//! ```text
//! magic "FLINTJC4", key [32], checksum u32, code offset u64, code length u64,
//! defined functions u32, types u32, trap sites u32,
//! metadata (see `image_meta.rs`),
//! (hole up to the code offset, a multiple of CODE_ALIGN)
//! code
//! ```
//!
//! The checksum is the CRC-32 of the key, everything from the code offset field to the end of
//! the metadata, and the code.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use cranelift_codegen::isa::TargetIsa;

use super::code::CodeMemory;
use super::compile::Image;
use super::image_meta::{Counts, ImageMeta};
use crate::check_record::{self, CheckRecord};
use crate::snapshot::Mapping;

const MAGIC: &[u8; 8] = b"FLINTJC4";
/// Magic of an entry's record of its check.
const VERIFIED_MAGIC: &[u8; 8] = b"FLINTJV1";
/// What the name of an entry's compile lock adds to the entry's.
const LOCK_SUFFIX: &str = ".lock";
/// Code starts at a multiple of this, a multiple of every page size in use.
const CODE_ALIGN: u64 = 64 << 10;
/// Where the checksummed fields start, and the bytes before the variable-length metadata.
const CHECKED_FROM: usize = 8 + 32 + 4;
const FIXED: usize = CHECKED_FROM + 8 + 8 + 4 * 3;
/// Extension of entry files. Temporary files are named `.ENTRY.PID.N.tmp` after their entry,
/// lock files `.ENTRY.lock` and records of checks `.ENTRY.verified`.
const ENTRY_EXTENSION: &str = "flintc";

/// The digest of a module's bytes that its cache key covers. A snapshot records it, so that a
/// restore finds the module's entry without hashing the module again.
pub(crate) fn module_digest(module: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(&(module.len() as u64).to_le_bytes());
    h.update(module);
    *h.finalize().as_bytes()
}

/// The cache key of a module with digest `module` (see `module_digest`): see the module
/// documentation for what it covers. `options` describes the engine settings that affect
/// generated code or validation.
pub(crate) fn key(isa: &dyn TargetIsa, options: &str, module: &[u8; 32]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(MAGIC);
    for part in [
        env!("CARGO_PKG_VERSION"),
        env!("FLINT_JIT_FINGERPRINT"),
        &isa.triple().to_string(),
        &isa.flags().to_string(),
        options,
    ] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    for flag in isa.isa_flags() {
        h.update(flag.to_string().as_bytes());
        h.update(b"\n");
    }
    h.update(module);
    *h.finalize().as_bytes()
}

/// One module's entry in a cache directory.
#[derive(Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
    key: [u8; 32],
}

/// An intact cache entry, its code mapped executable.
pub(crate) struct Entry {
    pub code: CodeMemory,
    pub meta: ImageMeta,
}

impl Cache {
    pub(crate) fn new(dir: &Path, key: [u8; 32]) -> Self {
        Cache {
            dir: dir.to_path_buf(),
            key,
        }
    }

    /// The entry file's name: the key in hex, and the extension.
    fn file_name(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let hex: String = (self.key.iter())
            .flat_map(|b| {
                [
                    HEX[(b >> 4) as usize] as char,
                    HEX[(b & 15) as usize] as char,
                ]
            })
            .collect();
        format!("{hex}.{ENTRY_EXTENSION}")
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.join(self.file_name())
    }

    /// The entry, if the cache has one: `Ok(None)` if it has none, `Err` with the reason if the
    /// file is not an intact entry for this key.
    pub(crate) fn open(&self) -> Result<Option<Entry>, String> {
        let mut file = match File::open(self.path()) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot open it: {e}")),
        };
        let truncated = || "it is truncated".to_string();
        let mut fixed = [0u8; FIXED];
        file.read_exact(&mut fixed).map_err(|_| truncated())?;
        let mut r = Reader(&fixed);
        if r.bytes(8) != Some(MAGIC) {
            return Err("it is not a code cache entry of this Flint version".into());
        }
        if r.bytes(32) != Some(&self.key) {
            return Err("it belongs to another module or engine".into());
        }
        let checksum = r.u32().ok_or_else(truncated)?;
        let (code_offset, code_len) = (
            r.u64().ok_or_else(truncated)?,
            r.u64().ok_or_else(truncated)?,
        );
        let counts = [r.u32(), r.u32(), r.u32()];
        let [Some(funcs), Some(types), Some(traps)] = counts else {
            return Err(truncated());
        };
        let counts = Counts {
            funcs,
            types,
            traps,
        };
        let stat = file.metadata().map_err(|e| e.to_string())?;
        let damaged = || "it is damaged".to_string();
        if FIXED as u64 + counts.byte_len() > code_offset
            || code_len == 0
            || code_offset % CODE_ALIGN != 0
        {
            return Err(damaged());
        }
        match code_offset
            .checked_add(code_len)
            .map(|end| end.cmp(&stat.len()))
        {
            Some(std::cmp::Ordering::Equal) => {}
            Some(std::cmp::Ordering::Greater) => return Err(truncated()),
            _ => return Err(damaged()),
        }
        let head_len = usize::try_from(code_offset).map_err(|_| damaged())?;
        let head = Mapping::map(&file, head_len, "code cache entry").map_err(|e| e.to_string())?;
        let meta = ImageMeta::mapped(head, FIXED, counts).ok_or_else(damaged)?;
        let code_len = usize::try_from(code_len).map_err(|_| damaged())?;
        let code = CodeMemory::map_file(&file, code_offset, code_len)?;
        let record = self.check_record(&stat);
        if !record.holds() {
            // SAFETY: the mapping is `code.len()` readable bytes, immutable while it lives.
            let code_bytes = unsafe { std::slice::from_raw_parts(code.start(), code.len()) };
            let sum = entry_checksum(
                &self.key,
                &[&fixed[CHECKED_FROM..], meta.bytes(), code_bytes],
            );
            if sum != checksum || !meta.check(code_len as u64) {
                return Err(damaged());
            }
            // Without the record the next load just checks the entry again.
            let _ = record.write();
        }
        Ok(Some(Entry { code, meta }))
    }

    /// The record of a check of the entry file with metadata `stat`.
    fn check_record(&self, stat: &std::fs::Metadata) -> CheckRecord {
        CheckRecord::new(&self.path(), VERIFIED_MAGIC, &self.key, stat)
    }

    /// Writes `image` to the cache.
    pub(crate) fn store(&self, image: &Image) -> std::io::Result<()> {
        if image.code.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path();
        let tmp = check_record::temp_path(&path);
        let written = write_file(&tmp, &self.key, image).and_then(|file| {
            std::fs::rename(&tmp, &path)?;
            Ok(file)
        });
        let file = match written {
            Ok(file) => file,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        // The writer knows its entry intact: record the check for the inode it wrote (the
        // stamp is read after the rename, which changes the inode's change time).
        if let Ok(stat) = file.metadata() {
            let _ = self.check_record(&stat).write();
        }
        Ok(())
    }
}

/// The checksum of an entry with key `key` whose checked fields, metadata and code are `parts`
/// (in file order; see the module documentation).
fn entry_checksum(key: &[u8; 32], parts: &[&[u8]]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(key);
    for part in parts {
        h.update(part);
    }
    h.finalize()
}

/// Writes an entry file for `image` at `path`; returns it open.
fn write_file(path: &Path, key: &[u8; 32], image: &Image) -> std::io::Result<File> {
    let meta = image.meta.bytes();
    let counts = image.meta.counts();
    let code_offset = ((FIXED + meta.len()) as u64).next_multiple_of(CODE_ALIGN);
    let mut checked = Vec::with_capacity(FIXED - CHECKED_FROM + meta.len());
    checked.extend_from_slice(&code_offset.to_le_bytes());
    checked.extend_from_slice(&(image.code.len() as u64).to_le_bytes());
    for n in [counts.funcs, counts.types, counts.traps] {
        checked.extend_from_slice(&n.to_le_bytes());
    }
    checked.extend_from_slice(meta);
    let sum = entry_checksum(key, &[&checked, &image.code]);
    let mut file = File::create(path)?;
    file.write_all(MAGIC)?;
    file.write_all(key)?;
    file.write_all(&sum.to_le_bytes())?;
    file.write_all(&checked)?;
    // Seeking past the end leaves a hole rather than writing padding.
    file.seek(SeekFrom::Start(code_offset))?;
    file.write_all(&image.code)?;
    file.sync_data()?;
    Ok(file)
}

/// Reads little-endian fields off the front of a byte slice.
struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn bytes(&mut self, n: usize) -> Option<&'b [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
}

/// Removes every entry (with its lock file, its record of a check, and any temporary file
/// left by an interrupted writer) from cache directory `dir`, leaving other files alone;
/// returns how many files it removed. A missing directory is an empty cache.
pub(crate) fn clear(dir: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let helper = name.starts_with('.')
            && [".tmp", LOCK_SUFFIX, check_record::SUFFIX]
                .iter()
                .any(|end| name.ends_with(end))
            && name.contains(&format!(".{ENTRY_EXTENSION}."));
        let ours = name.ends_with(&format!(".{ENTRY_EXTENSION}")) || helper;
        if ours && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// An entry's compile lock, held while a process compiles the module into the cache so that
/// processes that want the same entry wait for it instead of compiling it again. Released
/// when dropped (or when the process ends).
pub(crate) struct CompileLock(#[expect(dead_code, reason = "held for its lock")] File);

impl Cache {
    /// Takes the entry's compile lock, calling `on_wait` first if another process holds it
    /// and this one has to wait.
    pub(crate) fn lock(&self, on_wait: impl FnOnce()) -> std::io::Result<CompileLock> {
        use std::os::fd::AsRawFd;

        std::fs::create_dir_all(&self.dir)?;
        let path = check_record::beside(&self.path(), LOCK_SUFFIX);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        let flock = |op| loop {
            // SAFETY: `flock` on a descriptor we own has no memory-safety preconditions.
            if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
                return Ok(());
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        if let Err(e) = flock(libc::LOCK_EX | libc::LOCK_NB) {
            if e.kind() != std::io::ErrorKind::WouldBlock {
                return Err(e);
            }
            on_wait();
            flock(libc::LOCK_EX)?;
        }
        Ok(CompileLock(file))
    }
}
