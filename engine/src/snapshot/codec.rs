//! The little-endian encoding of snapshot sections: a growable writer, and a reader whose every
//! read is bounds-checked so that a damaged section is an error, never a panic.

use std::sync::Arc;

use super::mapping::Mapping;
use crate::shared_slice::SharedSlice;
use crate::Error;

#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u128(&mut self, v: u128) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A length or count; every collection in a snapshot has fewer than 2^32 items.
    pub fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.buf.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.u64(v);
            }
            None => self.u8(0),
        }
    }

    pub fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        for x in v {
            self.u32(*x);
        }
    }

    /// Like `u32s`, with the values at a multiple of 4 in the section (a count of zeros
    /// between), so that a reader can use them in place (`Reader::u32s_shared`).
    pub fn u32s_aligned(&mut self, v: &[u32]) {
        self.len(v.len());
        let pad = (4 - (self.buf.len() + 1) % 4) % 4;
        self.u8(pad as u8);
        self.buf.resize(self.buf.len() + pad, 0);
        for x in v {
            self.u32(*x);
        }
    }
}

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// The section being read, for error messages.
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8], what: &'static str) -> Self {
        Reader { data, pos: 0, what }
    }

    pub fn error(&self, why: impl std::fmt::Display) -> Error {
        Error::Snapshot(format!("{} section: {why}", self.what))
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| self.error("truncated"))?;
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn u128(&mut self) -> Result<u128, Error> {
        Ok(u128::from_le_bytes(self.array()?))
    }

    pub fn bool(&mut self) -> Result<bool, Error> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.error(format!("bad flag {b}"))),
        }
    }

    /// A count of items that take at least `min_size` bytes each; checked against what is
    /// left, so that a damaged count cannot make the reader allocate without bound.
    pub fn count(&mut self, min_size: usize) -> Result<usize, Error> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size.max(1)) > self.data.len() - self.pos {
            return Err(self.error("truncated"));
        }
        Ok(n)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.count(1)?;
        self.take(n)
    }

    pub fn str(&mut self) -> Result<&'a str, Error> {
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| self.error("a name is not UTF-8"))
    }

    pub fn opt_u64(&mut self) -> Result<Option<u64>, Error> {
        Ok(if self.bool()? {
            Some(self.u64()?)
        } else {
            None
        })
    }

    pub fn u32s(&mut self) -> Result<Vec<u32>, Error> {
        let n = self.count(4)?;
        let raw = self.take(n * 4)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4-byte chunk")))
            .collect())
    }

    /// What `Writer::u32s_aligned` wrote: read in place when the values lie in `map` (which
    /// holds the section) on a little-endian target, copied into a list of their own otherwise.
    pub fn u32s_shared(&mut self, map: Option<&Arc<Mapping>>) -> Result<SharedSlice<u32>, Error> {
        let n = self.count(4)?;
        let pad = self.u8()? as usize;
        if pad > 3 {
            return Err(self.error("bad padding"));
        }
        self.take(pad)?;
        let raw = self.take(n * 4)?;
        let ptr = raw.as_ptr().cast::<u32>();
        if let Some(map) = map.filter(|map| map.offset_of(raw).is_some()) {
            if ptr.is_aligned() && cfg!(target_endian = "little") {
                // SAFETY: `raw` lies in `map`, is aligned for `u32` and holds `n` of them (any
                // bytes are a valid `u32`), in the target's byte order.
                return Ok(unsafe { SharedSlice::mapped(Arc::clone(map), ptr, n) });
            }
        }
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4-byte chunk")))
            .collect::<Vec<_>>()
            .into())
    }

    /// Fails unless the whole section was read: trailing bytes mean a format mismatch.
    pub fn finish(&self) -> Result<(), Error> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(self.error("unexpected trailing bytes"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_lists_are_read_in_place_from_a_mapping_and_copied_otherwise() {
        let values: Vec<u32> = (0..1000).map(|i| i * 7 + 1).collect();
        let mut w = Writer::default();
        // Odd offsets before each list, so that every pad length comes up.
        for lead in 0..4 {
            w.buf.resize(w.buf.len() + lead + 1, 0xEE);
            w.u32s_aligned(&values);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("section");
        std::fs::write(&path, &w.buf).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let map = Arc::new(Mapping::map(&file, w.buf.len(), "test").unwrap());
        let mut mapped = Reader::new(&map, "test");
        let mut copied = Reader::new(&w.buf, "test");
        for lead in 0..4 {
            mapped.take(lead + 1).unwrap();
            copied.take(lead + 1).unwrap();
            let in_place = mapped.u32s_shared(Some(&map)).unwrap();
            assert!(map.offset_of(as_bytes(&in_place)).is_some());
            assert_eq!(*in_place, *values);
            let copy = copied.u32s_shared(Some(&map)).unwrap();
            assert!(map.offset_of(as_bytes(&copy)).is_none());
            assert_eq!(*copy, *values);
        }
        mapped.finish().unwrap();
        // A pad count that `u32s_aligned` never writes.
        let mut bad = Writer::default();
        bad.len(1);
        bad.u8(4);
        bad.buf.extend_from_slice(&[0; 8]);
        let err = Reader::new(&bad.buf, "test").u32s_shared(None).unwrap_err();
        assert!(err.to_string().contains("bad padding"), "{err}");
    }

    fn as_bytes(values: &[u32]) -> &[u8] {
        // SAFETY: any `u32` is four initialised bytes.
        unsafe { std::slice::from_raw_parts(values.as_ptr().cast(), values.len() * 4) }
    }
}
