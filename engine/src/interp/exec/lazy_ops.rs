//! Threaded code that is filled in a page at a time, when the executor first reads the page.
//!
//! A restored Python run resumes CPython's eval loop on the interpreter: 21,809 instructions,
//! 128 pages of threaded code, of which the resumed frames then touch about 14 before the
//! program moves on to compiled code. Threading the whole function cost every restore about
//! 0.3 ms, mostly in fresh pages. Here the code lives in an anonymous mapping that starts
//! inaccessible; the fault handler (`jit/sys.rs`) finds the page in the registry below,
//! threads its instructions into a fresh page of its own, makes that page readable and only
//! then moves it over the inaccessible one (`mremap`, which replaces a mapping in one step).
//! A reader therefore never sees a page half written, and two threads that fault on the same
//! page both move in the same bytes. (The code lived in a memory file mapped twice, one view
//! to read and one to write, until its creation and its removal at exit turned out to cost
//! more than the rare page filled on a fault.)
//!
//! The handler cannot allocate or lock, so the registry is a fixed array of slots that are
//! never reused: a slot's fields are written before its `end` publishes it, and `end` is
//! cleared before the views are unmapped. When every slot has been used, code is threaded in
//! one go as before.
//!
//! A page filled on a fault costs several times what threading it does (the signal, a new
//! mapping, its move and a page fault). The pages restored runs touch are much the same from
//! run to run, so a snapshot can record them (see `snapshot/code_pages.rs`, which reads back
//! what `filled_pages` reports) and a restore fills them at once with `prefill`, in place,
//! before any thread can see the code.

use std::any::Any;
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::{op, Op};
use crate::interp::code::Instr;

/// Lazily filled functions a process can ever have.
const SLOTS: usize = 256;

/// Where one lazily filled function's code lives, for the fault handler.
struct Region {
    /// The code: `start..end`; `end` is 0 while the slot is not (or no longer) live.
    start: AtomicUsize,
    end: AtomicUsize,
    /// The instructions, `len` of them.
    source: AtomicUsize,
    len: AtomicUsize,
    page: AtomicUsize,
    /// Faults handled so far, and how many would mean that something faults on a filled page
    /// (a write: the executor never writes code), which must not loop forever. Each page
    /// faults once per thread that reached it while it was inaccessible.
    faults: AtomicUsize,
    max_faults: AtomicUsize,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Region = Region {
    start: AtomicUsize::new(0),
    end: AtomicUsize::new(0),
    source: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    page: AtomicUsize::new(0),
    faults: AtomicUsize::new(0),
    max_faults: AtomicUsize::new(0),
};

static REGIONS: [Region; SLOTS] = [EMPTY; SLOTS];
static USED: AtomicUsize = AtomicUsize::new(0);

/// A function's threaded code, filled on first touch from instructions that stay in place
/// (a snapshot's mapping, kept alive by `_source_owner`).
pub(crate) struct LazyOps {
    slot: usize,
    /// A mapping of `bytes` bytes, inaccessible but for the pages filled so far.
    view: *const Op,
    bytes: usize,
    source: *const Instr,
    len: usize,
    _source_owner: Arc<dyn Any + Send + Sync>,
}

// SAFETY: the code is only read through `view` (the fault handler moves a page in only once
// it is complete, and `prefill` takes `&mut self`); the source instructions are immutable for
// as long as `_source_owner` lives.
unsafe impl Send for LazyOps {}
// SAFETY: as for `Send`: shared use only reads, and fills are idempotent.
unsafe impl Sync for LazyOps {}

impl LazyOps {
    /// Code for the `len` instructions at `source`, or `None` if the process has no slot or
    /// mapping left for it (the caller then threads the code in one go).
    ///
    /// # Safety
    ///
    /// `source` must point at `len` valid, aligned instructions that stay unchanged for as
    /// long as `owner` lives.
    pub(crate) unsafe fn new(
        source: *const Instr,
        len: usize,
        owner: Arc<dyn Any + Send + Sync>,
    ) -> Option<LazyOps> {
        crate::jit::install_fault_handlers();
        let page = crate::zeroed::page_size();
        let bytes = (len * size_of::<Op>()).div_ceil(page) * page;
        if bytes == 0 {
            return None;
        }
        let slot = USED.fetch_add(1, Ordering::Relaxed);
        if slot >= SLOTS {
            return None;
        }
        let view = crate::zeroed::map_inaccessible(bytes).ok()?.as_ptr();
        let region = &REGIONS[slot];
        region.source.store(source as usize, Ordering::Relaxed);
        region.len.store(len, Ordering::Relaxed);
        region.page.store(page, Ordering::Relaxed);
        region
            .max_faults
            .store(bytes / page * 64, Ordering::Relaxed);
        region.start.store(view as usize, Ordering::Relaxed);
        region.end.store(view as usize + bytes, Ordering::Release);
        Some(LazyOps {
            slot,
            view: view.cast(),
            bytes,
            source,
            len,
            _source_owner: owner,
        })
    }

    pub(crate) fn as_ptr(&self) -> *const Op {
        self.view
    }

    /// Fills the pages at indices `pages` (of the threaded code's pages; indices past its end
    /// are ignored) now instead of on first touch. Called on code no thread runs yet.
    pub(crate) fn prefill(&mut self, pages: &[u32]) {
        let page = crate::zeroed::page_size();
        let count = self.bytes / page;
        let mut pages: Vec<usize> = pages
            .iter()
            .map(|&p| p as usize)
            .filter(|&p| p < count)
            .collect();
        pages.sort_unstable();
        pages.dedup();
        // Filled in place, a run of consecutive pages at a time: writable, written, readable.
        for run in pages.chunk_by(|a, b| a + 1 == *b) {
            // SAFETY: the run lies inside the mapping, which this value owns, and `&mut self`
            // means no thread reads the code yet (`prefill`'s contract), so no one sees the
            // pages before they are complete.
            unsafe {
                let first = self.view.cast::<u8>().cast_mut().add(run[0] * page);
                let len = run.len() * page;
                if libc::mprotect(first.cast(), len, libc::PROT_READ | libc::PROT_WRITE) != 0 {
                    // Left inaccessible: the pages are filled on their faults instead.
                    continue;
                }
                for (k, &p) in run.iter().enumerate() {
                    fill_page(first.add(k * page), self.source, self.len, p * page, page);
                }
                libc::mprotect(first.cast(), len, libc::PROT_READ);
            }
        }
    }

    /// The indices of the pages filled so far, by faults or `prefill`.
    pub(crate) fn filled_pages(&self) -> Vec<u32> {
        let page = crate::zeroed::page_size();
        let mut resident = vec![0u8; self.bytes / page];
        // SAFETY: the code is a mapping of `bytes` bytes that this value owns, and `resident`
        // has a byte for each of its pages. A page of the anonymous mapping is present once
        // filled, which nothing else does, and stays (it can only be swapped out, which a
        // process with code to run seldom sees).
        let ok =
            unsafe { libc::mincore(self.view as *mut c_void, self.bytes, resident.as_mut_ptr()) };
        if ok != 0 {
            return Vec::new();
        }
        (0..resident.len() as u32)
            .filter(|&p| resident[p as usize] & 1 != 0)
            .collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The instructions, read from their source rather than from the threaded code (which
    /// would fill every page).
    pub(crate) fn instrs(&self) -> Vec<Instr> {
        // SAFETY: `new`'s contract: `len` valid instructions, alive as long as the owner we hold.
        unsafe { std::slice::from_raw_parts(self.source, self.len) }.to_vec()
    }
}

impl Drop for LazyOps {
    fn drop(&mut self) {
        REGIONS[self.slot].end.store(0, Ordering::Release);
        // SAFETY: the mapping of `bytes` bytes that this value made and that nothing else uses
        // once it is dropped (no frame runs code its function no longer has).
        unsafe { libc::munmap(self.view as *mut c_void, self.bytes) };
    }
}

/// Fills the page holding `addr` if it belongs to lazily filled code; whether it did. Called
/// from the fault handler: it neither allocates nor locks.
pub(crate) fn fill_fault(addr: usize) -> bool {
    let used = USED.load(Ordering::Relaxed).min(SLOTS);
    for region in &REGIONS[..used] {
        let end = region.end.load(Ordering::Acquire);
        let start = region.start.load(Ordering::Relaxed);
        if addr < start || addr >= end {
            continue;
        }
        if region.faults.fetch_add(1, Ordering::Relaxed)
            >= region.max_faults.load(Ordering::Relaxed)
        {
            return false;
        }
        let page = region.page.load(Ordering::Relaxed);
        let first = (addr - start) / page * page;
        let source = region.source.load(Ordering::Relaxed) as *const Instr;
        let len = region.len.load(Ordering::Relaxed);
        let Ok(fresh) = crate::zeroed::map_anonymous(page) else {
            return false;
        };
        // SAFETY: `fresh` is a writable page of our own, filled and made readable before it
        // replaces page `first` of the code; the slot is live (its `end` is set), so its
        // mapping and source are those `LazyOps::new` published, and that page lies inside it.
        unsafe {
            let fresh = fresh.as_ptr();
            fill_page(fresh, source, len, first, page);
            libc::mprotect(fresh.cast(), page, libc::PROT_READ);
            let moved = libc::mremap(
                fresh.cast(),
                page,
                page,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                (start + first) as *mut c_void,
            );
            if moved == libc::MAP_FAILED {
                libc::munmap(fresh.cast(), page);
                return false;
            }
        }
        return true;
    }
    false
}

/// Writes the bytes `first..first + page` of the threaded code of the `len` instructions at
/// `source` to `dest` (the page that will hold them).
///
/// # Safety
///
/// `dest` must be writable for `page` bytes, aligned to the page size, and `source` hold `len`
/// instructions.
unsafe fn fill_page(dest: *mut u8, source: *const Instr, len: usize, first: usize, page: usize) {
    let size = size_of::<Op>();
    let end = (first + page).min(len * size);
    if first >= end {
        return;
    }
    for i in first / size..end.div_ceil(size) {
        // SAFETY: `i < len`, as `end <= len * size`.
        let threaded = op(unsafe { source.add(i).read() });
        let (lo, hi) = ((i * size).max(first), ((i + 1) * size).min(end));
        if hi - lo == size {
            // SAFETY: the instruction lies wholly in the page, at a multiple of its size from
            // the start of the code (page-aligned), so aligned for it.
            unsafe { dest.add(lo - first).cast::<Op>().write(threaded) };
            continue;
        }
        // SAFETY: an untyped copy of `hi - lo` bytes of the local `threaded` (padding
        // included, which a byte copy may carry) into the page being filled: the part of an
        // instruction that straddles the page's edge.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (&raw const threaded).cast::<u8>().add(lo - i * size),
                dest.add(lo - first),
                hi - lo,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interp::exec::Ops;

    /// Reads every instruction of `ops` through the executor's pointer, with their handlers.
    fn read_all(ops: &Ops) -> Vec<(usize, Instr)> {
        (0..ops.len())
            .map(|i| {
                // SAFETY: `i < len`; a first read of a lazily filled page faults and is filled.
                let op = unsafe { &*ops.as_ptr().add(i) };
                (op.handler as usize, op.instr)
            })
            .collect()
    }

    #[test]
    fn pages_fill_on_first_touch_with_the_code_threading_would_give() {
        // Enough instructions for many pages, with operands that differ from one to the next,
        // and a length that leaves the last page part empty.
        let source: Arc<Vec<Instr>> = Arc::new(
            (0..20_011)
                .map(|i| match i % 3 {
                    0 => Instr::Br { offset: i },
                    1 => Instr::Return1 { src: i as u32 },
                    _ => Instr::Unreachable,
                })
                .collect(),
        );
        let expected = read_all(&Ops::thread(&source));
        // SAFETY: the instructions live, unchanged, as long as `source`, which the code owns.
        let lazy = unsafe { LazyOps::new(source.as_ptr(), source.len(), source.clone()) }
            .expect("a free slot and a mapping");
        let ops = Ops::Lazy(lazy);
        assert_eq!(ops.instrs(), *source);
        // Several threads touching the same pages at once each see complete instructions.
        std::thread::scope(|s| {
            let readers: Vec<_> = (0..4).map(|_| s.spawn(|| read_all(&ops))).collect();
            for reader in readers {
                assert!(reader.join().unwrap() == expected);
            }
        });
        assert!(read_all(&ops) == expected);
    }

    #[test]
    fn prefilled_pages_are_readable_at_once_and_reported_filled() {
        let source: Arc<Vec<Instr>> = Arc::new(
            (0..5_000)
                .map(|i| Instr::Return1 { src: i as u32 })
                .collect(),
        );
        let expected = read_all(&Ops::thread(&source));
        // SAFETY: as in the test above.
        let mut lazy = unsafe { LazyOps::new(source.as_ptr(), source.len(), source.clone()) }
            .expect("a free slot and a mapping");
        let page = crate::zeroed::page_size();
        let pages = (5_000 * size_of::<Op>()).div_ceil(page) as u32;
        assert!(lazy.filled_pages().is_empty());
        // Out-of-range and repeated indices are ignored.
        lazy.prefill(&[3, 1, 2, 3, pages, u32::MAX]);
        assert_eq!(lazy.filled_pages(), [1, 2, 3]);
        let faults_before = REGIONS[lazy.slot].faults.load(Ordering::Relaxed);
        let per_page = page / size_of::<Op>();
        let prefilled = per_page + 1..3 * per_page;
        for (i, want) in prefilled.clone().zip(&expected[prefilled]) {
            // SAFETY: `i` is inside the code, on a prefilled page.
            let op = unsafe { &*lazy.as_ptr().add(i) };
            assert!((op.handler as usize, op.instr) == *want);
        }
        assert_eq!(
            REGIONS[lazy.slot].faults.load(Ordering::Relaxed),
            faults_before,
            "prefilled pages need no fill on a fault"
        );
        let ops = Ops::Lazy(lazy);
        assert!(read_all(&ops) == expected);
        let Ops::Lazy(lazy) = &ops else {
            unreachable!()
        };
        assert_eq!(lazy.filled_pages(), (0..pages).collect::<Vec<_>>());
    }
}
