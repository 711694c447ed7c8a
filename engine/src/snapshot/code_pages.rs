//! The pages of lazily filled interpreter code (see `interp/exec/lazy_ops.rs`) that restored
//! runs touch, recorded beside the snapshot (`.NAME.pages`) by the first run that finds no
//! record, so that later restores fill those pages at once instead of one fault at a time.
//!
//! For CPython these are the pages of the eval loop that the restored frames run through: 14
//! of 128, the same for a `print`, an import, an exception or a script, since the program
//! itself runs on calls the restored frames make. A record that no longer fits the runs only
//! costs time: a page filled for nothing, or filled on its fault as without a record. It names
//! the snapshot file by its header checksum, so that a rebuilt snapshot ignores the record of
//! the one it replaced (and its first run writes a new one).
//!
//! Layout: magic "FLINTPG1", the snapshot's header checksum [32], a count u32, then that many
//! (defined function u32, page index u32) pairs, little-endian.

use std::path::{Path, PathBuf};

use crate::check_record;
use crate::Module;

const MAGIC: &[u8; 8] = b"FLINTPG1";
/// What the name of a snapshot's record of its code pages adds to the snapshot's.
const SUFFIX: &str = ".pages";
/// More pairs than a record of real runs holds; a longer file is not one `write` made.
const MAX_PAIRS: usize = 1 << 16;

/// Where the record of the snapshot at `snapshot` is kept.
pub(crate) fn path_for(snapshot: &Path) -> PathBuf {
    check_record::beside(snapshot, SUFFIX)
}

/// The (defined function, page) pairs recorded for the snapshot at `snapshot` whose header
/// checksum is `key`, sorted; `None` without a record for that file.
pub(crate) fn read(snapshot: &Path, key: &[u8; 32]) -> Option<Vec<(u32, u32)>> {
    let bytes = std::fs::read(path_for(snapshot)).ok()?;
    let rest = bytes.strip_prefix(&MAGIC[..])?.strip_prefix(&key[..])?;
    let (count, pairs) = rest.split_first_chunk::<4>()?;
    let count = u32::from_le_bytes(*count) as usize;
    if count > MAX_PAIRS || pairs.len() != count * 8 {
        return None;
    }
    let mut out: Vec<(u32, u32)> = pairs
        .as_chunks::<8>()
        .0
        .iter()
        .map(|p| {
            let (f, page) = p.split_at(4);
            (
                u32::from_le_bytes(f.try_into().expect("4 bytes")),
                u32::from_le_bytes(page.try_into().expect("4 bytes")),
            )
        })
        .collect();
    out.sort_unstable();
    Some(out)
}

/// The pages of `defined`'s code in `pairs` (sorted, as `read` returns them).
pub(crate) fn pages_of(pairs: &[(u32, u32)], defined: usize) -> Vec<u32> {
    let start = pairs.partition_point(|&(f, _)| (f as usize) < defined);
    pairs[start..]
        .iter()
        .take_while(|&&(f, _)| f as usize == defined)
        .map(|&(_, page)| page)
        .collect()
}

/// What records, once a run is over, which pages of a restored module's lazily filled code it
/// touched: made by [`crate::LoadedSnapshot::code_pages_recorder`] when the snapshot has no
/// record yet, and independent of the snapshot's lifetime, so that it can be kept for the
/// moment the process exits.
pub struct CodePagesRecorder {
    pub(crate) module: Module,
    pub(crate) snapshot: PathBuf,
    pub(crate) key: [u8; 32],
}

impl CodePagesRecorder {
    /// Writes the record (atomically) of the pages filled so far; nothing if none were, or if
    /// the run began without the module's compiled code (a version's first run, while the code
    /// cache is being filled), which is not what later runs will do.
    pub fn write(&self) -> std::io::Result<()> {
        if crate::jit::started_in_background(&self.module.inner) {
            return Ok(());
        }
        let filled = self.module.inner.interp_code.filled_pages();
        let pairs: Vec<(u32, u32)> = filled
            .iter()
            .flat_map(|(defined, pages)| pages.iter().map(|&p| (*defined as u32, p)))
            .take(MAX_PAIRS)
            .collect();
        if pairs.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(8 + 32 + 4 + pairs.len() * 8);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.key);
        bytes.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (f, page) in pairs {
            bytes.extend_from_slice(&f.to_le_bytes());
            bytes.extend_from_slice(&page.to_le_bytes());
        }
        check_record::write_atomically(&path_for(&self.snapshot), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_for_their_snapshot_only() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("x.snap");
        let key = [7; 32];
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&key);
        bytes.extend_from_slice(&3u32.to_le_bytes());
        for (f, p) in [(9u32, 2u32), (4, 1), (9, 0)] {
            bytes.extend_from_slice(&f.to_le_bytes());
            bytes.extend_from_slice(&p.to_le_bytes());
        }
        std::fs::write(path_for(&snap), &bytes).unwrap();
        let pairs = read(&snap, &key).unwrap();
        assert_eq!(pairs, [(4, 1), (9, 0), (9, 2)]);
        assert_eq!(pages_of(&pairs, 9), [0, 2]);
        assert!(pages_of(&pairs, 5).is_empty());
        // Another snapshot's record, a truncated one, garbage: no record.
        assert!(read(&snap, &[8; 32]).is_none());
        std::fs::write(path_for(&snap), &bytes[..bytes.len() - 1]).unwrap();
        assert!(read(&snap, &key).is_none());
        std::fs::write(path_for(&snap), b"not a record").unwrap();
        assert!(read(&snap, &key).is_none());
    }
}
