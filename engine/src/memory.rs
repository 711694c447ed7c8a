//! Linear memories: a virtual-memory reservation that grows in place and never moves.
//!
//! A 32-bit memory reserves 4 GiB of addressable space plus a 4 GiB guard region, all
//! inaccessible except the pages currently in the memory. Any `u32` address plus any `u32`
//! offset lands inside the reservation, so compiled code can rely on the guard pages instead of
//! explicit bounds checks; the interpreter checks explicitly against `len`.

use crate::{Error, MemoryType};

pub const WASM_PAGE_SIZE: u64 = 65536;
/// Pages a 32-bit memory may have at most (4 GiB).
pub(crate) const MAX_PAGES_32: u64 = 65536;
/// Addressable space plus guard region reserved for every memory.
const RESERVATION: usize = 8 << 30;

/// A handle to a memory in a [`crate::Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);

pub(crate) struct LinearMemory {
    pub ty: MemoryType,
    base: *mut u8,
    /// Accessible bytes; always a multiple of the page size.
    len: usize,
}

// SAFETY: the reservation is owned exclusively by this value; access goes through `&mut self` or
// the store, which is not shared between threads without synchronisation.
unsafe impl Send for LinearMemory {}
// SAFETY: shared references only read `base`/`len`; writes to guest memory need `&mut`.
unsafe impl Sync for LinearMemory {}

impl LinearMemory {
    pub(crate) fn new(ty: MemoryType) -> Result<Self, Error> {
        if ty.memory64 {
            return Err(Error::Unsupported("64-bit memories".into()));
        }
        if ty.minimum > MAX_PAGES_32 {
            return Err(Error::Resource(format!("memory of {} pages", ty.minimum)));
        }
        // SAFETY: an anonymous private mapping with no fixed address has no preconditions.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                RESERVATION,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(Error::Resource(format!(
                "cannot reserve address space for a linear memory: {}",
                std::io::Error::last_os_error()
            )));
        }
        let mut mem = LinearMemory {
            ty,
            base: base.cast(),
            len: 0,
        };
        mem.set_len((ty.minimum * WASM_PAGE_SIZE) as usize)?;
        Ok(mem)
    }

    /// Makes the first `new_len` bytes accessible.
    fn set_len(&mut self, new_len: usize) -> Result<(), Error> {
        if new_len > self.len {
            // SAFETY: the range lies inside our own reservation (new_len <= 4 GiB < RESERVATION).
            let rc = unsafe {
                libc::mprotect(
                    self.base.add(self.len).cast(),
                    new_len - self.len,
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if rc != 0 {
                return Err(Error::Resource(format!(
                    "cannot commit linear memory: {}",
                    std::io::Error::last_os_error()
                )));
            }
        }
        self.len = new_len;
        Ok(())
    }

    pub(crate) fn pages(&self) -> u64 {
        self.len as u64 / WASM_PAGE_SIZE
    }

    pub(crate) fn max_pages(&self) -> u64 {
        self.ty.maximum.unwrap_or(MAX_PAGES_32).min(MAX_PAGES_32)
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` if it cannot grow.
    pub(crate) fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages() {
            return None;
        }
        self.set_len((new * WASM_PAGE_SIZE) as usize).ok()?;
        self.ty.minimum = new;
        Some(old)
    }

    pub(crate) fn base(&self) -> *mut u8 {
        self.base
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: the first `len` bytes of the reservation are mapped read/write.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.base, self.len) }
    }
}

impl Drop for LinearMemory {
    fn drop(&mut self) {
        // SAFETY: `base` is the start of a reservation of RESERVATION bytes that we own.
        unsafe {
            libc::munmap(self.base.cast(), RESERVATION);
        }
    }
}

impl Memory {
    pub fn data<'a, T>(&self, store: &'a crate::Store<T>) -> &'a [u8] {
        store.inner.memories[self.0 as usize].bytes()
    }

    pub fn data_mut<'a, T>(&self, store: &'a mut crate::Store<T>) -> &'a mut [u8] {
        store.inner.memories[self.0 as usize].bytes_mut()
    }

    /// Both the memory's bytes and the store's host data, borrowed at once.
    pub fn data_and_store_mut<'a, T>(
        &self,
        store: &'a mut crate::Store<T>,
    ) -> (&'a mut [u8], &'a mut T) {
        (
            store.inner.memories[self.0 as usize].bytes_mut(),
            &mut store.data,
        )
    }

    /// Size in pages.
    pub fn size<T>(&self, store: &crate::Store<T>) -> u64 {
        store.inner.memories[self.0 as usize].pages()
    }

    /// Grows by `delta` pages, returning the previous size.
    pub fn grow<T>(&self, store: &mut crate::Store<T>, delta: u64) -> Result<u64, Error> {
        store.inner.memories[self.0 as usize]
            .grow(delta)
            .ok_or_else(|| Error::Usage(format!("memory cannot grow by {delta} pages")))
    }

    pub fn ty<T>(&self, store: &crate::Store<T>) -> MemoryType {
        store.inner.memories[self.0 as usize].ty
    }
}
