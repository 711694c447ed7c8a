//! Bounds-checked access to guest memory: every pointer the guest passes is checked here, and a
//! range outside the memory is `EFAULT`, never a panic.

use crate::errno::Errno;
use crate::types::layout::IOVEC_SIZE;

/// The guest's linear memory for the duration of one call.
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One `iovec`/`ciovec` of the guest, already checked to lie inside memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IoVec {
    pub ptr: u32,
    pub len: u32,
}

impl<'a> GuestMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> Self {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&self.bytes[r])
    }

    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.bytes[r])
    }

    fn array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Errno> {
        let mut out = [0; N];
        out.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(out)
    }

    pub fn read_u8(&self, ptr: u32) -> Result<u8, Errno> {
        Ok(self.array::<1>(ptr)?[0])
    }

    pub fn read_u16(&self, ptr: u32) -> Result<u16, Errno> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    pub fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    pub fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    pub fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), Errno> {
        let len = u32::try_from(data.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(data);
        Ok(())
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> Result<(), Errno> {
        self.write(ptr, &[v])
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> Result<(), Errno> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// A guest string (a path, a symlink target): must be UTF-8 without NUL bytes.
    pub fn read_str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        let bytes = self.slice(ptr, len)?;
        if bytes.contains(&0) {
            return Err(Errno::Inval);
        }
        std::str::from_utf8(bytes).map_err(|_| Errno::Ilseq)
    }

    /// Reads an array of `iovec`s and checks that every buffer lies inside memory.
    pub(crate) fn iovecs(&self, ptr: u32, count: u32) -> Result<Vec<IoVec>, Errno> {
        let total = count.checked_mul(IOVEC_SIZE).ok_or(Errno::Fault)?;
        self.range(ptr, total)?;
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count {
            let at = ptr + i * IOVEC_SIZE;
            let v = IoVec {
                ptr: self.read_u32(at)?,
                len: self.read_u32(at + 4)?,
            };
            self.range(v.ptr, v.len)?;
            out.push(v);
        }
        Ok(out)
    }

    /// The bytes of a list of `ciovec`s, concatenated, up to `MAX_RW` of them.
    pub(crate) fn gather(&self, iovs: &[IoVec]) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::with_capacity(total_len(iovs));
        for v in iovs {
            let bytes = self.slice(v.ptr, v.len)?;
            let room = MAX_RW - out.len();
            out.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        Ok(out)
    }

    /// Spreads `data` over a list of `iovec`s, in order.
    pub(crate) fn scatter(&mut self, iovs: &[IoVec], mut data: &[u8]) -> Result<(), Errno> {
        for v in iovs {
            if data.is_empty() {
                break;
            }
            let n = data.len().min(v.len as usize);
            self.write(v.ptr, &data[..n])?;
            data = &data[n..];
        }
        Ok(())
    }
}

/// The most bytes one read or write moves: Linux's own limit (`MAX_RW_COUNT`, 2 GiB less a
/// page), where a larger request is a short read or write too. It also bounds the host buffer
/// of one call, whose guest buffers may overlap and add up to far more than the guest's memory.
pub(crate) const MAX_RW: usize = 0x7fff_f000;

/// The total length of a list of buffers, as much of it as one read or write moves.
pub(crate) fn total_len(iovs: &[IoVec]) -> usize {
    iovs.iter()
        .fold(0usize, |total, v| total.saturating_add(v.len as usize))
        .min(MAX_RW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_is_efault() {
        let mut bytes = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut bytes);
        assert_eq!(m.read_u32(13), Err(Errno::Fault));
        assert_eq!(m.read_u64(u32::MAX), Err(Errno::Fault));
        assert_eq!(m.write_u64(9, 1), Err(Errno::Fault));
        assert_eq!(m.slice(16, 0).map(|s| s.len()), Ok(0));
        assert_eq!(m.slice(17, 0).err(), Some(Errno::Fault));
        assert!(m.write_u64(8, u64::MAX).is_ok());
        assert_eq!(m.read_u64(8), Ok(u64::MAX));
    }

    #[test]
    fn iovecs_are_checked() {
        let mut bytes = vec![0u8; 64];
        let mut m = GuestMemory::new(&mut bytes);
        m.write_u32(0, 32).unwrap();
        m.write_u32(4, 8).unwrap();
        m.write_u32(8, 60).unwrap();
        m.write_u32(12, 8).unwrap();
        assert_eq!(m.iovecs(0, 1).unwrap().len(), 1);
        assert_eq!(m.iovecs(0, 2).err(), Some(Errno::Fault));
        assert_eq!(m.iovecs(60, u32::MAX).err(), Some(Errno::Fault));
    }

    #[test]
    fn one_call_moves_at_most_max_rw_bytes() {
        // Buffers that overlap in memory can ask for more than any memory holds.
        let whole = IoVec {
            ptr: 0,
            len: u32::MAX,
        };
        assert_eq!(total_len(&[whole; 3]), MAX_RW);
        let small = IoVec { ptr: 0, len: 8 };
        assert_eq!(total_len(&[small; 3]), 24);
        let mut bytes = b"abcdefgh".to_vec();
        let m = GuestMemory::new(&mut bytes);
        assert_eq!(m.gather(&[small; 2]).unwrap(), b"abcdefghabcdefgh");
    }

    #[test]
    fn strings() {
        let mut bytes = b"ab\0c\xff".to_vec();
        let m = GuestMemory::new(&mut bytes);
        assert_eq!(m.read_str(0, 2), Ok("ab"));
        assert_eq!(m.read_str(0, 3), Err(Errno::Inval));
        assert_eq!(m.read_str(4, 1), Err(Errno::Ilseq));
    }
}
