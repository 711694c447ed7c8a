//! Executable memory: machine code copied into its own pages, then made read-only and
//! executable (never writable and executable at once), or mapped read+execute from a cache
//! file.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;

/// Pages of machine code, unmapped on drop.
pub(crate) struct CodeMemory {
    ptr: NonNull<u8>,
    /// Mapped length, a multiple of the page size.
    mapped: usize,
    len: usize,
}

// SAFETY: the pages are immutable after construction; sharing or sending the handle only
// shares read access to them.
unsafe impl Send for CodeMemory {}
// SAFETY: as above.
unsafe impl Sync for CodeMemory {}

extern "C" {
    fn flint_jit_flush_icache(start: *mut u8, len: usize);
}

impl CodeMemory {
    /// Maps `code` as executable.
    pub(crate) fn new(code: &[u8]) -> Result<Self, String> {
        let page = crate::zeroed::page_size();
        let mapped = code.len().max(1).next_multiple_of(page);
        let ptr = crate::zeroed::map_anonymous(mapped)
            .map_err(|e| format!("cannot map code memory: {e}"))?
            .as_ptr();
        // SAFETY: the mapping is `mapped >= code.len()` bytes, writable, and fresh, so it
        // overlaps nothing; it is flipped to read+execute only after the copy, and the
        // instruction cache is synchronised before anyone can run it.
        let rc = unsafe {
            std::ptr::copy_nonoverlapping(code.as_ptr(), ptr, code.len());
            let rc = libc::mprotect(ptr.cast(), mapped, libc::PROT_READ | libc::PROT_EXEC);
            flint_jit_flush_icache(ptr, code.len());
            rc
        };
        let memory = CodeMemory {
            ptr: NonNull::new(ptr).expect("mmap returned null"),
            mapped,
            len: code.len(),
        };
        if rc != 0 {
            return Err(format!(
                "cannot make code executable: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(memory)
    }

    /// Maps `len` bytes of `file` from `offset` (a multiple of the page size) as executable.
    pub(crate) fn map_file(file: &File, offset: u64, len: usize) -> Result<Self, String> {
        let page = crate::zeroed::page_size();
        let mapped = len.max(1).next_multiple_of(page);
        let offset = libc::off_t::try_from(offset).map_err(|e| e.to_string())?;
        // SAFETY: a private, read-only mapping of an open file at no fixed address, at an offset
        // the kernel checks. Cache files are replaced by rename, never written in place, so the
        // mapped contents do not change under the code.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                mapped,
                libc::PROT_READ | libc::PROT_EXEC,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                offset,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!(
                "cannot map cached code: {}",
                std::io::Error::last_os_error()
            ));
        }
        // Pages read in through faults of this mapping are cached in large folios then: a
        // file cached in 4 KiB pieces costs several microseconds per fault (each walks its
        // neighbours), about ten times a fault on large folios. Only a hint, so failure is
        // harmless.
        // SAFETY: advice on a mapping we just made; it changes no contents.
        unsafe { libc::madvise(ptr, mapped, libc::MADV_HUGEPAGE) };
        Ok(CodeMemory {
            ptr: NonNull::new(ptr.cast()).expect("mmap returned null"),
            mapped,
            len,
        })
    }

    pub(crate) fn start(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: `ptr` is the start of a mapping of `mapped` bytes that we own; nothing runs
        // the code any more once its module is gone.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.mapped);
        }
    }
}
