//! Tables of fixed-size little-endian records, read in place. A restored module reads its
//! large per-item tables (function bodies, the code index) straight from the snapshot's
//! mapping instead of copying them into vectors at every restore: for CPython that was tens
//! of thousands of items and megabytes of fresh pages. A decoded module keeps the same
//! encoding in bytes of its own, so that both read their tables the same way and a snapshot
//! writes them as they are.

use std::marker::PhantomData;
use std::sync::Arc;

use super::mapping::Mapping;

/// An item of fixed size with a little-endian encoding.
pub(crate) trait Record: Sized {
    const SIZE: usize;
    /// Decodes the record from exactly `SIZE` bytes.
    fn read(bytes: &[u8]) -> Self;
    fn write(&self, out: &mut Vec<u8>);
}

/// Raw references and other 64-bit values, e.g. a table's elements.
impl Record for u64 {
    const SIZE: usize = 8;

    fn read(bytes: &[u8]) -> Self {
        u64::from_le_bytes(bytes.try_into().expect("eight bytes"))
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Records<u64> {
    /// The values in a vector of their own: decoded whole arrays at a time, which compiles to
    /// a plain copy on a little-endian target (a restore copies a table's elements with this).
    pub(crate) fn to_vec(&self) -> Vec<u64> {
        let (words, _) = self.bytes().as_chunks::<8>();
        words.iter().map(|&w| u64::from_le_bytes(w)).collect()
    }
}

/// `slice::partition_point` for tables that are not slices (records decoded in place, offsets
/// in a mapped file): the number of leading items, of `len` read by index, for which `pred`
/// holds, `pred` being true on a prefix only. Neither allocates nor panics, so that the signal
/// handler may search with it.
pub(crate) fn partition_point(len: usize, mut pred: impl FnMut(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The little-endian `u32` at `at` in a record's bytes.
pub(crate) fn u32_at<const N: usize>(record: &[u8; N], at: usize) -> u32 {
    u32::from_le_bytes(record[at..at + 4].try_into().expect("four bytes"))
}

enum Storage {
    Owned(Vec<u8>),
    /// `len` records' worth of bytes at `start` in the mapping.
    Mapped {
        map: Arc<Mapping>,
        start: usize,
    },
}

pub(crate) struct Records<R> {
    storage: Storage,
    len: usize,
    record: PhantomData<fn() -> R>,
}

impl<R: Record> Default for Records<R> {
    fn default() -> Self {
        Records {
            storage: Storage::Owned(Vec::new()),
            len: 0,
            record: PhantomData,
        }
    }
}

impl<R: Record> FromIterator<R> for Records<R> {
    fn from_iter<I: IntoIterator<Item = R>>(items: I) -> Self {
        let mut bytes = Vec::new();
        let mut len = 0;
        for item in items {
            item.write(&mut bytes);
            len += 1;
        }
        Records {
            storage: Storage::Owned(bytes),
            len,
            record: PhantomData,
        }
    }
}

impl<R: Record> Records<R> {
    /// The `len` records encoded in `bytes`, which lie inside `map`; `None` if they do not.
    pub(crate) fn mapped(map: &Arc<Mapping>, bytes: &[u8], len: usize) -> Option<Self> {
        if len.checked_mul(R::SIZE) != Some(bytes.len()) {
            return None;
        }
        let start = map.offset_of(bytes)?;
        Some(Records {
            storage: Storage::Mapped {
                map: Arc::clone(map),
                start,
            },
            len,
            record: PhantomData,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The mapping the records are read from in place, if they are.
    pub(crate) fn mapping(&self) -> Option<&Arc<Mapping>> {
        match &self.storage {
            Storage::Owned(_) => None,
            Storage::Mapped { map, .. } => Some(map),
        }
    }

    /// Record `index`; panics past the end, as slice indexing does.
    pub(crate) fn get(&self, index: usize) -> R {
        assert!(index < self.len, "record {index} of {}", self.len);
        R::read(&self.bytes()[index * R::SIZE..(index + 1) * R::SIZE])
    }

    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = R> + '_ {
        self.bytes().chunks_exact(R::SIZE).map(R::read)
    }

    /// The encoded records, as a snapshot stores them.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.storage {
            Storage::Owned(bytes) => bytes,
            Storage::Mapped { map, start } => &map[*start..*start + self.len * R::SIZE],
        }
    }
}
