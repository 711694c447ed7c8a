//! Tables in zeroed memory of their own, whose pages cost nothing until written.
//!
//! The interpreter's and the compiled tier's per-function tables are sized by the store
//! (CPython has 11,500 functions) while a restored run sets a few dozen or hundred entries. A
//! fresh anonymous mapping gives zero pages that the kernel only provides when touched; the
//! allocator's zeroed allocation does not promise that (glibc serves a large `calloc` from its
//! heap, clearing it page by page, once its mapping threshold has grown), which cost a restore
//! 45 faulted pages. The price is a mapping per table: a store restored in-process maps its
//! tables afresh each time (about 18 µs more per instance; see benches/README).
//!
//! The engine's other fresh memory comes from here too: anonymous mappings for compiled code
//! and for the interpreter's lazily filled code, and a memory file for the snapshot code's
//! encoding.

use std::ptr::NonNull;

/// `len` values of `T` starting as all-zero bytes, in a private anonymous mapping. The values
/// are not dropped, so `T` has no drop glue.
pub(crate) struct ZeroedSlice<T> {
    ptr: NonNull<T>,
    len: usize,
}

impl<T> ZeroedSlice<T> {
    /// `len` values, each all-zero bytes.
    ///
    /// # Safety
    ///
    /// All-zero bytes are a valid `T`.
    pub(crate) unsafe fn new(len: usize) -> Self {
        const { assert!(!std::mem::needs_drop::<T>()) };
        let bytes = Self::bytes(len);
        if bytes == 0 {
            return ZeroedSlice {
                ptr: NonNull::dangling(),
                len,
            };
        }
        let Ok(addr) = map_anonymous(bytes) else {
            let layout = std::alloc::Layout::array::<T>(len).expect("a table that fits in memory");
            std::alloc::handle_alloc_error(layout);
        };
        ZeroedSlice {
            ptr: addr.cast(),
            len,
        }
    }

    fn bytes(len: usize) -> usize {
        len.checked_mul(std::mem::size_of::<T>())
            .expect("a table that fits in memory")
    }
}

/// The size of a memory page.
pub(crate) fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096)
}

/// A new private anonymous read-write mapping of `bytes` bytes (not 0), zero-filled, placed by
/// the kernel; the caller unmaps it.
pub(crate) fn map_anonymous(bytes: usize) -> std::io::Result<NonNull<u8>> {
    map_private(bytes, libc::PROT_READ | libc::PROT_WRITE)
}

/// Like `map_anonymous`, but inaccessible until the caller changes its protection.
pub(crate) fn map_inaccessible(bytes: usize) -> std::io::Result<NonNull<u8>> {
    map_private(bytes, libc::PROT_NONE)
}

fn map_private(bytes: usize, prot: libc::c_int) -> std::io::Result<NonNull<u8>> {
    // SAFETY: a new private anonymous mapping at no fixed address overlaps nothing.
    let addr = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            bytes,
            prot,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if addr == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    Ok(NonNull::new(addr.cast()).expect("mmap does not return null"))
}

/// A new memory file (`memfd_create`) named `name`, empty, closed on exec.
pub(crate) fn memory_file(name: &std::ffi::CStr) -> std::io::Result<std::fs::File> {
    // SAFETY: a plain system call with a valid NUL-terminated name.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` is a new descriptor that nothing else owns.
    Ok(unsafe { std::os::fd::FromRawFd::from_raw_fd(fd) })
}

impl<T> std::ops::Deref for ZeroedSlice<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised values (zero bytes, valid by `new`'s contract,
        // or written since through `deref_mut`), page-aligned, owned by `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> std::ops::DerefMut for ZeroedSlice<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> Default for ZeroedSlice<T> {
    fn default() -> Self {
        // SAFETY: an empty slice holds no values.
        unsafe { ZeroedSlice::new(0) }
    }
}

impl<T> Drop for ZeroedSlice<T> {
    fn drop(&mut self) {
        let bytes = Self::bytes(self.len);
        if bytes > 0 {
            // SAFETY: the mapping `new` made, of this length, which nothing uses any more (the
            // values need no drop).
            unsafe { libc::munmap(self.ptr.as_ptr().cast(), bytes) };
        }
    }
}

// SAFETY: the slice owns its values as a `Box<[T]>` would, so it crosses threads as that does.
unsafe impl<T: Send> Send for ZeroedSlice<T> {}
// SAFETY: as for `Send`: shared access hands out `&[T]` only.
unsafe impl<T: Sync> Sync for ZeroedSlice<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_start_zeroed_and_keep_what_is_written() {
        // SAFETY: zero is a valid `u64`.
        let mut big = unsafe { ZeroedSlice::<u64>::new(100_000) };
        assert!(big.iter().all(|&v| v == 0));
        big[99_999] = 7;
        assert_eq!(big[99_999], 7);
        assert!(ZeroedSlice::<u64>::default().is_empty());
    }
}
