//! Where things are in an image's code: the offsets of its functions and trampolines, and its
//! trap sites.
//!
//! The tables are kept in the encoding a code cache entry stores, so that an entry's tables
//! are used in place from the mapped file: a run touches only the pages it reads (CPython's
//! trap table alone is 5 MB, and a run consults it only when something traps) instead of
//! decoding all of them into memory first.
//!
//! Layout (little-endian `u32`s):
//!
//! ```text
//! function offsets [funcs], array entry offsets [types], host adapter offsets [types],
//! trap sites [(offset, trap code); traps], sorted by offset
//! ```

use std::num::NonZeroU8;

use cranelift_codegen::ir::TrapCode;

use crate::snapshot::{partition_point, Mapping};

/// An instruction that may trap, by its offset in its image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrapSite {
    pub offset: u32,
    pub code: TrapCode,
}

/// How many entries each table has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub funcs: u32,
    pub types: u32,
    pub traps: u32,
}

impl Counts {
    /// Bytes the tables take.
    pub(crate) fn byte_len(self) -> u64 {
        4 * (self.funcs as u64 + 2 * self.types as u64) + 8 * self.traps as u64
    }
}

/// An image's tables, owned (just compiled) or mapped from a cache entry.
pub(crate) struct ImageMeta {
    bytes: Bytes,
    counts: Counts,
}

enum Bytes {
    Owned(Vec<u8>),
    /// `len` bytes from `start` in `map`.
    Mapped {
        map: Mapping,
        start: usize,
        len: usize,
    },
}

impl ImageMeta {
    /// Encodes the tables of a freshly linked image.
    pub(crate) fn encode(
        funcs: &[u32],
        array_entries: &[u32],
        host_adapters: &[u32],
        mut traps: Vec<TrapSite>,
    ) -> ImageMeta {
        traps.sort_by_key(|t| t.offset);
        let counts = Counts {
            funcs: funcs.len() as u32,
            types: array_entries.len() as u32,
            traps: traps.len() as u32,
        };
        let mut bytes = Vec::with_capacity(counts.byte_len() as usize);
        for offset in funcs.iter().chain(array_entries).chain(host_adapters) {
            bytes.extend_from_slice(&offset.to_le_bytes());
        }
        for t in &traps {
            bytes.extend_from_slice(&t.offset.to_le_bytes());
            bytes.extend_from_slice(&u32::from(t.code.as_raw().get()).to_le_bytes());
        }
        ImageMeta {
            bytes: Bytes::Owned(bytes),
            counts,
        }
    }

    /// The tables at `start` in `map`, if `map` holds them whole.
    pub(crate) fn mapped(map: Mapping, start: usize, counts: Counts) -> Option<ImageMeta> {
        let len = usize::try_from(counts.byte_len()).ok()?;
        if start.checked_add(len)? > map.len() {
            return None;
        }
        Some(ImageMeta {
            bytes: Bytes::Mapped { map, start, len },
            counts,
        })
    }

    /// The encoded tables.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Owned(bytes) => bytes,
            Bytes::Mapped { map, start, len } => &map[*start..*start + *len],
        }
    }

    pub(crate) fn counts(&self) -> Counts {
        self.counts
    }

    fn word(&self, index: usize) -> u32 {
        let at = 4 * index;
        let bytes = &self.bytes()[at..at + 4];
        u32::from_le_bytes(bytes.try_into().expect("4 bytes"))
    }

    /// Offset of defined function `defined`, if the image has that function.
    pub(crate) fn func(&self, defined: u32) -> Option<u32> {
        (defined < self.counts.funcs).then(|| self.word(defined as usize))
    }

    /// Offset of the array entry of module type `ty`.
    pub(crate) fn array_entry(&self, ty: u32) -> u32 {
        assert!(ty < self.counts.types, "type {ty} out of range");
        self.word((self.counts.funcs + ty) as usize)
    }

    /// Offset of the host adapter of module type `ty`.
    pub(crate) fn host_adapter(&self, ty: u32) -> u32 {
        assert!(ty < self.counts.types, "type {ty} out of range");
        self.word((self.counts.funcs + self.counts.types + ty) as usize)
    }

    /// Where the defined functions end (the trampolines follow them), in an image of
    /// `code_len` bytes.
    pub(crate) fn funcs_end(&self, code_len: u32) -> u32 {
        (0..self.counts.types)
            .flat_map(|t| [self.array_entry(t), self.host_adapter(t)])
            .min()
            .unwrap_or(code_len)
    }

    /// The defined function whose code contains `offset`, if it is before `funcs_end`.
    pub(crate) fn defined_func_at(&self, offset: u32) -> Option<u32> {
        // Functions are laid out in index order: find the last one starting at or before.
        let after = partition_point(self.counts.funcs as usize, |i| self.word(i) <= offset);
        (after as u32).checked_sub(1)
    }

    fn trap_site(&self, i: u32) -> (u32, u32) {
        let base = (self.counts.funcs + 2 * self.counts.types) as usize + 2 * i as usize;
        (self.word(base), self.word(base + 1))
    }

    /// The trap code of the instruction at `offset`, if it is a trap site. Called from the
    /// signal handler: it neither allocates nor panics (the tables were checked, see
    /// [`ImageMeta::check`], and are immutable).
    pub(crate) fn trap_at(&self, offset: u32) -> Option<TrapCode> {
        let traps = self.counts.traps;
        let i = partition_point(traps as usize, |i| self.trap_site(i as u32).0 < offset) as u32;
        let (at, code) = (i < traps).then(|| self.trap_site(i))?;
        (at == offset).then(|| trap_code(code))?
    }

    /// Whether the tables fit an image of `code_len` bytes: every offset inside it, every trap
    /// code valid, trap sites strictly increasing.
    pub(crate) fn check(&self, code_len: u64) -> bool {
        let c = self.counts;
        let offsets = (c.funcs + 2 * c.types) as usize;
        let inside = |o: u32| (o as u64) < code_len;
        if !(0..offsets).all(|i| inside(self.word(i))) {
            return false;
        }
        let mut last = None;
        (0..c.traps).all(|i| {
            let (at, code) = self.trap_site(i);
            let ordered = last.is_none_or(|l| l < at);
            last = Some(at);
            ordered && inside(at) && trap_code(code).is_some()
        })
    }
}

fn trap_code(raw: u32) -> Option<TrapCode> {
    let raw = u8::try_from(raw).ok().and_then(NonZeroU8::new)?;
    Some(TrapCode::from_raw(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(offset: u32, code: TrapCode) -> TrapSite {
        TrapSite { offset, code }
    }

    #[test]
    fn tables_answer_in_their_encoding() {
        let oob = TrapCode::HEAP_OUT_OF_BOUNDS;
        let div = TrapCode::INTEGER_DIVISION_BY_ZERO;
        // Trap sites arrive in link order, not necessarily sorted.
        let meta = ImageMeta::encode(
            &[0, 16, 48],
            &[64],
            &[80],
            vec![site(20, oob), site(5, div), site(50, oob)],
        );
        assert_eq!(meta.counts().byte_len(), meta.bytes().len() as u64);
        assert_eq!(
            [meta.func(0), meta.func(2), meta.func(3)],
            [Some(0), Some(48), None]
        );
        assert_eq!((meta.array_entry(0), meta.host_adapter(0)), (64, 80));
        assert_eq!(meta.funcs_end(100), 64);
        assert_eq!(
            [0, 15, 16, 47, 63].map(|o| meta.defined_func_at(o)),
            [Some(0), Some(0), Some(1), Some(1), Some(2)]
        );
        assert_eq!(
            [5, 20, 50, 6, 0, 99].map(|o| meta.trap_at(o)),
            [Some(div), Some(oob), Some(oob), None, None, None]
        );
        assert!(meta.check(100));
        // A host adapter at 80 lies outside 70 bytes of code.
        assert!(!meta.check(70));
    }
}
