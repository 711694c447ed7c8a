//! Read-only file mappings, and the bytes of a module, which may be one.
//!
//! A restored module reads its function bodies and passive data segments straight from the
//! mapped `.wasm` file: only the pages the interpreter translates are ever read, and they are
//! shared through the page cache by every process running the same module.

use std::fs::File;
use std::ops::Deref;
use std::os::fd::AsRawFd;
use std::sync::Arc;

use crate::Error;

/// A whole file mapped read-only and private.
pub(crate) struct Mapping {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is read-only and owned by this value; sharing or sending it only shares
// immutable bytes.
unsafe impl Send for Mapping {}
// SAFETY: as above, no access can mutate the mapped bytes.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps the first `len` bytes of `file` (the caller knows its length).
    pub(crate) fn map(file: &File, len: usize, what: &str) -> Result<Mapping, Error> {
        if len == 0 {
            return Ok(Mapping {
                ptr: std::ptr::NonNull::dangling().as_ptr(),
                len: 0,
            });
        }
        // SAFETY: a fresh private read-only mapping of an open file at no fixed address.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(Error::Io(what.to_string(), std::io::Error::last_os_error()));
        }
        // Pages that page faults of this mapping read in are cached in large folios, as for
        // the code cache (`jit/code.rs`). Snapshots are written in one piece, which caches them
        // so, but the kernel drops pages left unused for a while (this machine's memory
        // monitor: after a minute), and read in again through faults, a snapshot was cached
        // in 4 KiB folios: 50 more faults per restored run, each several times dearer, 30 %
        // more processor time. Only a hint, so failure is harmless.
        // SAFETY: advice on the mapping just made; it changes no contents.
        unsafe { libc::madvise(ptr, len, libc::MADV_HUGEPAGE) };
        Ok(Mapping {
            ptr: ptr.cast(),
            len,
        })
    }

    /// Where `part`, a slice of this mapping, starts in it; `None` if it is not inside.
    pub(crate) fn offset_of(&self, part: &[u8]) -> Option<usize> {
        let start = (part.as_ptr() as usize).checked_sub(self.ptr as usize)?;
        (start.checked_add(part.len())? <= self.len).then_some(start)
    }
}

impl Deref for Mapping {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for the life of `self` (or is dangling with
        // `len` 0, which a slice allows).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: `ptr`/`len` are the mapping made in `map`, unmapped only here.
            unsafe {
                libc::munmap(self.ptr.cast(), self.len);
            }
        }
    }
}

/// The bytes of a module: read into memory, or mapped from its file. Cheap to clone, so that
/// what reads them lazily (function names) can hold them.
#[derive(Clone)]
pub(crate) enum ModuleBytes {
    Owned(Arc<Vec<u8>>),
    Mapped(Arc<Mapping>),
}

impl Deref for ModuleBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            ModuleBytes::Owned(v) => v,
            ModuleBytes::Mapped(m) => m,
        }
    }
}
