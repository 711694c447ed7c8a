//! A file's identity as the file system reports it, which tells cheaply whether a file is
//! still the one that was checked once: a snapshot's module file, a verified code cache entry.

use std::os::unix::fs::MetadataExt;

/// Device, inode, modification and change times: any write to the file, or a replacement of
/// it, changes one of them (the change time cannot be set from user space).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    pub dev: u64,
    pub ino: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
}

impl FileStamp {
    /// Length of [`FileStamp::to_le_bytes`].
    pub(crate) const ENCODED_LEN: usize = 40;

    pub(crate) fn of(meta: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec() as u32),
            ctime: (meta.ctime(), meta.ctime_nsec() as u32),
        }
    }

    /// The stamp's fields, little-endian: dev u64, inode u64, mtime s i64 + ns u32, ctime s
    /// i64 + ns u32.
    pub(crate) fn to_le_bytes(self) -> [u8; Self::ENCODED_LEN] {
        let mut out = [0; Self::ENCODED_LEN];
        let fields: [&[u8]; 6] = [
            &self.dev.to_le_bytes(),
            &self.ino.to_le_bytes(),
            &self.mtime.0.to_le_bytes(),
            &self.mtime.1.to_le_bytes(),
            &self.ctime.0.to_le_bytes(),
            &self.ctime.1.to_le_bytes(),
        ];
        let mut at = 0;
        for field in fields {
            out[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        out
    }
}
