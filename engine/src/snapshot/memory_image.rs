//! Memory images: a linear memory's contents in a snapshot file, mapped back copy-on-write.
//!
//! A restore maps the image over the start of the memory's reservation (`MAP_PRIVATE |
//! MAP_FIXED`), so pages cost nothing until touched, pages only read stay shared with every
//! other process mapping the same file, and pages written are copied privately. An image ends
//! at the last Wasm page holding a non-zero byte: the rest of the memory is fresh zero pages.

use std::fs::File;
use std::os::fd::AsRawFd;

use crate::memory::LinearMemory;
use crate::{Error, WASM_PAGE_SIZE};

/// Length of the image of `bytes`: whole Wasm pages up to the last non-zero byte.
pub(crate) fn image_len(bytes: &[u8]) -> usize {
    let page = WASM_PAGE_SIZE as usize;
    let last = bytes
        .chunks(page)
        .rposition(|chunk| chunk.iter().any(|&b| b != 0));
    last.map_or(0, |k| ((k + 1) * page).min(bytes.len()))
}

/// Maps `len` bytes of `file` at `offset` (page-aligned) over the start of `mem`.
pub(crate) fn map(
    mem: &mut LinearMemory,
    file: &File,
    offset: u64,
    len: usize,
) -> Result<(), Error> {
    if len > mem.len() {
        return Err(Error::Snapshot(
            "a memory image is larger than its memory".into(),
        ));
    }
    if len == 0 {
        return Ok(());
    }
    // SAFETY: `[base, base + len)` lies inside the memory's reservation, which `mem` owns
    // exclusively and which nothing else references while we hold `&mut`; MAP_FIXED replaces
    // those (accessible, zero) pages with the file's contents, keeping them read/write.
    let addr = unsafe {
        libc::mmap(
            mem.base().cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_FIXED,
            file.as_raw_fd(),
            offset as libc::off_t,
        )
    };
    if addr == libc::MAP_FAILED {
        return Err(Error::Resource(format!(
            "cannot map a memory image: {}",
            std::io::Error::last_os_error()
        )));
    }
    // As for the snapshot's other mapping (`Mapping::map`): pages read in again after the
    // kernel dropped them are cached in large folios. Writes still copy 4 KiB pages.
    // SAFETY: advice on the mapping just made; it changes no contents.
    unsafe { libc::madvise(addr, len, libc::MADV_HUGEPAGE) };
    Ok(())
}

/// Makes `len` bytes of `mem` from `offset` (both page-aligned, inside its length) private
/// copies now, as writes would one page fault at a time (`written_pages.rs`). Only a hint: on a
/// kernel without `MADV_POPULATE_WRITE` (before Linux 5.14) the pages are copied on their
/// faults as before.
pub(crate) fn populate(mem: &LinearMemory, offset: usize, len: usize) {
    debug_assert!(offset.checked_add(len).is_some_and(|end| end <= mem.len()));
    // SAFETY: the range lies inside the memory's accessible length; populating writes no
    // contents, it only makes the pages present and writable as a write fault would.
    unsafe {
        libc::madvise(
            mem.base().add(offset).cast(),
            len,
            libc::MADV_POPULATE_WRITE,
        )
    };
}
