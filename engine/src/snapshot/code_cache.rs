//! The interpreter code of a snapshot's module: the functions a process had translated when
//! the snapshot was written, so that restores take them from the file instead of translating
//! them again (for CPython, about a thousand functions for a short program: most of a
//! restore's time otherwise).
//!
//! Two sections: `CODI`, the index, and `CODB`, the code itself, both checked with the rest of
//! the file (`file.rs`: in full at a file's first load, then by its check record). The code is
//! the translator's own instructions, so it is only valid for the engine build that wrote it
//! (which the file header guarantees) and for the engine-wide signature numbers that indirect
//! calls compare: the index records them, and a module that got other numbers (because its
//! engine had seen other signatures first) translates instead.

use std::io::{Read, Seek, SeekFrom};
use std::mem::{align_of, size_of};
use std::os::fd::AsRawFd;
use std::sync::Arc;

use super::code_pages;
use super::codec::{Reader, Writer};
use super::mapping::Mapping;
use super::records::{partition_point, u32_at, Record, Records};
use crate::interp::{CodeSource, CompiledFunc, Instr};
use crate::module::ModuleInner;
use crate::Error;

pub(crate) const INDEX_SECTION: [u8; 4] = *b"CODI";
pub(crate) const CODE_SECTION: [u8; 4] = *b"CODB";

/// A function's code, found by its defined index: the index holds these records in
/// increasing order of it, read in place.
struct Entry {
    defined: u32,
    param_slots: u32,
    local_slots: u32,
    frame_slots: u32,
    /// Byte offset within the code section.
    offset: u64,
    /// Length in instructions.
    len: u64,
}

impl Record for Entry {
    const SIZE: usize = 32;

    fn read(b: &[u8]) -> Self {
        let b: &[u8; Self::SIZE] = b.try_into().expect("a whole record");
        let u64_at = |at: usize| u64::from(u32_at(b, at)) | u64::from(u32_at(b, at + 4)) << 32;
        Entry {
            defined: u32_at(b, 0),
            param_slots: u32_at(b, 4),
            local_slots: u32_at(b, 8),
            frame_slots: u32_at(b, 12),
            offset: u64_at(16),
            len: u64_at(24),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        for field in [
            self.defined,
            self.param_slots,
            self.local_slots,
            self.frame_slots,
        ] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
    }
}

/// The index and code sections for every function `m` has translated so far.
pub(crate) fn encode(m: &ModuleInner) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let funcs: Vec<(usize, &CompiledFunc)> = m.interp_code.translated().collect();
    let instrs: Vec<Vec<Instr>> = funcs.iter().map(|(_, f)| f.instrs()).collect();
    let code = bytes_of(instrs.iter().map(Vec::as_slice))
        .map_err(|e| Error::Io("interpreter code".into(), e))?;
    let mut w = Writer::default();
    w.u32s(&m.type_ids);
    w.len(funcs.len());
    let mut offset = 0;
    // `translated` lists the functions in increasing order, as the index keeps them.
    for (defined, f) in &funcs {
        let len = f.code.len() * size_of::<Instr>();
        let entry = Entry {
            defined: *defined as u32,
            param_slots: f.param_slots,
            local_slots: f.local_slots,
            frame_slots: f.frame_slots,
            offset: offset as u64,
            len: f.code.len() as u64,
        };
        entry.write(&mut w.buf);
        offset += len;
    }
    Ok((w.buf, code))
}

/// The bytes of instruction arrays, padding included. Instructions have padding (unused bytes
/// inside some variants), which Rust code must not read; the kernel copies them into a memory
/// file and back, after which they are ordinary bytes.
fn bytes_of<'a>(parts: impl Iterator<Item = &'a [Instr]>) -> std::io::Result<Vec<u8>> {
    let mut file = crate::zeroed::memory_file(c"flint-code")?;
    for part in parts {
        let (mut ptr, mut left) = (part.as_ptr().cast::<u8>(), std::mem::size_of_val(part));
        while left > 0 {
            // SAFETY: `ptr..ptr + left` lies inside `part`, which is borrowed for the call;
            // the kernel only reads it.
            let n = unsafe { libc::write(file.as_raw_fd(), ptr.cast(), left) };
            if n < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: `n <= left` bytes were written, so the new pointer stays inside `part`.
            ptr = unsafe { ptr.add(n as usize) };
            left -= n as usize;
        }
    }
    let mut out = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// A snapshot's code, handed to its module's interpreter code as a [`CodeSource`].
pub(crate) struct CachedCode {
    map: Arc<Mapping>,
    /// Where the code section starts in `map`.
    base: usize,
    entries: Records<Entry>,
    /// The (defined function, page) pairs of the pages to fill at once in lazily filled code
    /// (see `code_pages.rs`), sorted.
    hot_pages: Vec<(u32, u32)>,
}

impl CachedCode {
    /// Decodes the index; `None` if it was written for other signature numbers than the
    /// module's (`type_ids`), in which case the code is of no use.
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        map: Arc<Mapping>,
        code: (usize, usize),
        type_ids: &[u32],
        defined_funcs: usize,
        hot_pages: Vec<(u32, u32)>,
    ) -> Result<Option<CachedCode>, Error> {
        let (base, code_len) = code;
        if r.u32s()? != type_ids {
            return Ok(None);
        }
        let n = r.count(Entry::SIZE)?;
        let entries: Records<Entry> = Records::mapped(&map, r.take(n * Entry::SIZE)?, n)
            .ok_or_else(|| r.error("the index lies outside the snapshot"))?;
        r.finish()?;
        let mut next = 0;
        for e in entries.iter() {
            let end = e
                .len
                .checked_mul(size_of::<Instr>() as u64)
                .and_then(|bytes| bytes.checked_add(e.offset));
            if e.defined < next
                || e.defined as usize >= defined_funcs
                || end.is_none_or(|end| end > code_len as u64)
            {
                return Err(r.error("a function lies outside the code"));
            }
            next = e.defined + 1;
        }
        Ok(Some(CachedCode {
            map,
            base,
            entries,
            hot_pages,
        }))
    }
}

impl CodeSource for CachedCode {
    fn code(&self, defined: usize) -> Option<CompiledFunc> {
        let entries = &self.entries;
        let i = partition_point(entries.len(), |i| {
            (entries.get(i).defined as usize) < defined
        });
        let e = (i < entries.len()).then(|| entries.get(i))?;
        if e.defined as usize != defined {
            return None;
        }
        let start = self.base + e.offset as usize;
        let bytes = &self.map[start..start + e.len as usize * size_of::<Instr>()];
        // The code section starts page-aligned and each function at a multiple of the
        // instruction size, so the instructions are read in place, without a copy; a file
        // whose offsets say otherwise is not one `encode` wrote, and its code is not used.
        if bytes.as_ptr().align_offset(align_of::<Instr>()) != 0 {
            return None;
        }
        // SAFETY: `bytes` is `e.len` instructions' worth of aligned bytes, immutable for as
        // long as `self.map` lives (a private mapping of a file that snapshots replace by
        // renaming, never rewrite), and they are those of valid instructions: `encode` wrote
        // them from translated code, the file header guarantees the same engine build (so the
        // same instruction layout), and the file's check (`SnapshotFile::open`: the section's
        // checksum, or the record of its check) that they arrived unchanged.
        let code =
            unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<Instr>(), e.len as usize) };
        // SAFETY: as above, and the function's code keeps the mapping alive.
        Some(unsafe {
            CompiledFunc::in_place(
                e.param_slots,
                e.local_slots,
                e.frame_slots,
                code,
                self.map.clone(),
                &code_pages::pages_of(&self.hot_pages, defined),
            )
        })
    }
}
