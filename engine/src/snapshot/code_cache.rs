//! The interpreter code of a snapshot's module: the functions a process had translated when
//! the snapshot was written, so that restores take them from the file instead of translating
//! them again (for CPython, about a thousand functions for a short program: most of a
//! restore's time otherwise).
//!
//! Two sections: `CODI`, the index (checksummed with the metadata), and `CODB`, the code
//! itself, which, being large, is only checked one function at a time, when that function is
//! first called (CRC-32; a function that fails the check is translated instead). The code is
//! the translator's own instructions, so it is only valid for the engine build that wrote it
//! (which the file header guarantees) and for the engine-wide signature numbers that indirect
//! calls compare: the index records them, and a module that got other numbers (because its
//! engine had seen other signatures first) translates instead.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::mem::{align_of, size_of};
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::Arc;

use super::codec::{Reader, Writer};
use super::mapping::Mapping;
use crate::interp::{CodeSource, CompiledFunc, Instr};
use crate::module::ModuleInner;
use crate::Error;

pub(crate) const INDEX_SECTION: [u8; 4] = *b"CODI";
pub(crate) const CODE_SECTION: [u8; 4] = *b"CODB";

struct Entry {
    param_slots: u32,
    local_slots: u32,
    frame_slots: u32,
    /// Byte offset within the code section.
    offset: usize,
    /// Length in instructions.
    len: usize,
    crc: u32,
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
    for (defined, f) in &funcs {
        let len = f.code.len() * size_of::<Instr>();
        w.u32(*defined as u32);
        w.u32(f.param_slots);
        w.u32(f.local_slots);
        w.u32(f.frame_slots);
        w.u64(offset as u64);
        w.u64(f.code.len() as u64);
        w.u32(crc32fast::hash(&code[offset..offset + len]));
        offset += len;
    }
    Ok((w.buf, code))
}

/// The bytes of instruction arrays, padding included. Instructions have padding (unused bytes
/// inside some variants), which Rust code must not read; the kernel copies them into a memory
/// file and back, after which they are ordinary bytes.
fn bytes_of<'a>(parts: impl Iterator<Item = &'a [Instr]>) -> std::io::Result<Vec<u8>> {
    // SAFETY: a plain system call with a valid NUL-terminated name.
    let fd = unsafe { libc::memfd_create(c"flint-code".as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` is a new descriptor that nothing else owns.
    let mut file = unsafe { File::from_raw_fd(fd) };
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
    /// By defined function index.
    entries: Vec<Option<Entry>>,
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
    ) -> Result<Option<CachedCode>, Error> {
        let (base, code_len) = code;
        if r.u32s()? != type_ids {
            return Ok(None);
        }
        let n = r.count(36)?;
        let mut entries: Vec<Option<Entry>> = (0..defined_funcs).map(|_| None).collect();
        for _ in 0..n {
            let defined = r.u32()? as usize;
            let entry = Entry {
                param_slots: r.u32()?,
                local_slots: r.u32()?,
                frame_slots: r.u32()?,
                offset: r.u64()? as usize,
                len: r.u64()? as usize,
                crc: r.u32()?,
            };
            let end = entry
                .len
                .checked_mul(size_of::<Instr>())
                .and_then(|bytes| bytes.checked_add(entry.offset));
            if defined >= defined_funcs || end.is_none_or(|end| end > code_len) {
                return Err(r.error("a function lies outside the code"));
            }
            entries[defined] = Some(entry);
        }
        r.finish()?;
        Ok(Some(CachedCode { map, base, entries }))
    }
}

impl CodeSource for CachedCode {
    fn code(&self, defined: usize) -> Option<CompiledFunc> {
        let e = self.entries.get(defined)?.as_ref()?;
        let start = self.base + e.offset;
        let bytes = &self.map[start..start + e.len * size_of::<Instr>()];
        if crc32fast::hash(bytes) != e.crc {
            return None;
        }
        // The code section starts page-aligned and each function at a multiple of the
        // instruction size, so the instructions are read in place, without a copy; a file
        // whose offsets say otherwise is not one `encode` wrote, and its code is not used.
        if bytes.as_ptr().align_offset(align_of::<Instr>()) != 0 {
            return None;
        }
        // SAFETY: `bytes` is `e.len` instructions' worth of aligned bytes, immutable for as
        // long as `self.map` lives (which outlives this borrow), and they are those of valid
        // instructions: `encode` wrote them from translated code, the file header guarantees
        // the same engine build (so the same instruction layout), and the checksum that they
        // arrived unchanged.
        let code = unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<Instr>(), e.len) };
        Some(CompiledFunc::new(
            e.param_slots,
            e.local_slots,
            e.frame_slots,
            code,
        ))
    }
}
