//! A file's identity as the file system reports it, which tells cheaply whether a file is
//! still the one that was checked once: a snapshot's module file, a verified code cache entry.

use std::os::unix::fs::MetadataExt;

/// Device, inode, modification and change times: any write to the file, or a replacement of
/// it, changes one of them (the change time cannot be set from user space).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    dev: u64,
    ino: u64,
    mtime: (i64, u32),
    ctime: (i64, u32),
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

    /// The stamp [`FileStamp::to_le_bytes`] encoded.
    pub(crate) fn from_le_bytes(b: &[u8; Self::ENCODED_LEN]) -> FileStamp {
        let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
        FileStamp {
            dev: u64_at(0),
            ino: u64_at(8),
            mtime: (u64_at(16) as i64, u32_at(24)),
            ctime: (u64_at(28) as i64, u32_at(36)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FileStamp;

    #[test]
    fn encoding_round_trips() {
        let stamp = FileStamp {
            dev: 0x0102_0304_0506_0708,
            ino: u64::MAX - 1,
            mtime: (-5, 999_999_999),
            ctime: (i64::MAX, 1),
        };
        assert_eq!(FileStamp::from_le_bytes(&stamp.to_le_bytes()), stamp);
    }
}
