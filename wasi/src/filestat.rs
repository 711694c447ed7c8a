//! The `filestat` struct: what `fd_filestat_get` and `path_filestat_get` report.

use crate::errno::Errno;
use crate::memory::GuestMemory;
use crate::types::layout::FILESTAT_SIZE;
use crate::types::Filetype;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: Filetype,
    pub nlink: u64,
    pub size: u64,
    /// Access, modification and status change times, in nanoseconds since the epoch.
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

fn nanos(sec: i64, nsec: i64) -> u64 {
    (sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(nsec.max(0) as u64)
}

/// The `filestat` of a host `stat`; `filetype` overrides the type the host reports.
pub(crate) fn from_host(st: &libc::stat, filetype: Option<Filetype>) -> Filestat {
    Filestat {
        dev: st.st_dev,
        ino: st.st_ino,
        filetype: filetype.unwrap_or_else(|| Filetype::from_mode(st.st_mode)),
        nlink: st.st_nlink,
        size: st.st_size as u64,
        atim: nanos(st.st_atime, st.st_atime_nsec),
        mtim: nanos(st.st_mtime, st.st_mtime_nsec),
        ctim: nanos(st.st_ctime, st.st_ctime_nsec),
    }
}

impl Filestat {
    pub(crate) fn write(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> Result<(), Errno> {
        let mut out = [0u8; FILESTAT_SIZE as usize];
        out[0..8].copy_from_slice(&self.dev.to_le_bytes());
        out[8..16].copy_from_slice(&self.ino.to_le_bytes());
        out[16] = self.filetype as u8;
        out[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        out[32..40].copy_from_slice(&self.size.to_le_bytes());
        out[40..48].copy_from_slice(&self.atim.to_le_bytes());
        out[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        out[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        mem.write(ptr, &out)
    }
}
