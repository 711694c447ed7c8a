//! The snapshot file: a checksummed header, a table of sections, and the sections.
//!
//! ```text
//! offset 0   magic "FLINTSNP"
//!        8   format version        u32
//!       12   header length         u32   (up to and including the header checksum)
//!       16   engine fingerprint    [32]  (engine version and sources, see build.rs)
//!       48   module length         u64
//!       56   module content hash   [32]  (BLAKE3 of the .wasm file)
//!       88   module file stamp     dev u64, inode u64, mtime s i64 + ns u32, ctime s i64 + ns u32
//!      128   section count         u32
//!      132   sections              { tag [4], index u32, offset u64, length u64,
//!                                    checked u8, checksum u32 } per section
//!            header checksum       [32]  BLAKE3 of every header byte before it
//! ```
//!
//! Sections follow the header, each at a multiple of 8. Metadata sections are covered by their
//! checksum. It is there to catch damage (a truncated copy, a bad disk, a stray write), not
//! forgery, so it is a CRC-32 (every burst of up to 32 bits, anything else but for a chance of
//! 2^-32) at a tenth of a cryptographic hash's cost. The header is verified on every load; the
//! sections (about 640 KB for CPython) on the first load of the file, or by its writer, which
//! record the check beside it (see `check_record.rs`). Memory images start at a multiple of
//! `IMAGE_ALIGN` so that they can be mapped straight into a linear memory; they are not
//! checksummed (hashing tens of megabytes would cost more than the whole restore), only their
//! extent is checked against the file.
//! Everything is little-endian.
//!
//! Files are written to a temporary name beside the target and renamed into place, so a reader
//! sees either the previous file, or none, or the complete new one.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::codec::Reader;
use super::mapping::Mapping;
use crate::check_record::{self, CheckRecord};
use crate::file_stamp::FileStamp;
use crate::Error;

const MAGIC: &[u8; 8] = b"FLINTSNP";
/// Magic of a snapshot's record of the check of its sections.
const CHECKED_MAGIC: &[u8; 8] = b"FLINTSV1";
/// Bumped whenever the layout of any section changes.
const FORMAT_VERSION: u32 = 8;
/// Memory images start at a multiple of this, a multiple of every page size in use.
pub(crate) const IMAGE_ALIGN: u64 = 64 << 10;
/// Other sections start at a multiple of this, so that tables of records in them can be read
/// in place (see `store_image.rs`).
const SECTION_ALIGN: u64 = 8;
const FIXED_HEADER: usize = 132;
const SECTION_ENTRY: usize = 4 + 4 + 8 + 8 + 1 + 4;

/// Identifies the engine build that wrote a snapshot: a snapshot holds the interpreter's
/// frames (instruction positions in translated code) and the runtime's layout, which only the
/// same engine sources reproduce.
fn engine_fingerprint() -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(env!("FLINT_ENGINE_FINGERPRINT").as_bytes());
    *h.finalize().as_bytes()
}

fn checksum(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// What identifies the module file a snapshot was taken from. The stamp is what a restore
/// compares (cheaply); the content hash, computed when the snapshot is written, ties the stamp
/// to the bytes that were validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleIdentity {
    pub len: u64,
    pub hash: [u8; 32],
    pub stamp: FileStamp,
}

/// One section as it is written.
pub(crate) struct SectionOut<'a> {
    pub tag: [u8; 4],
    pub index: u32,
    pub data: &'a [u8],
    /// A memory image: page-aligned in the file and not checksummed.
    pub image: bool,
}

/// One section as the header describes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SectionEntry {
    pub tag: [u8; 4],
    pub index: u32,
    pub offset: u64,
    pub len: u64,
    pub checked: bool,
    checksum: u32,
}

fn align_up(n: u64, to: u64) -> u64 {
    n.div_ceil(to) * to
}

/// Writes a snapshot file atomically (temporary file, then rename).
pub(crate) fn write(
    path: &Path,
    module: &ModuleIdentity,
    sections: &[SectionOut<'_>],
) -> Result<(), Error> {
    let header_len = FIXED_HEADER + sections.len() * SECTION_ENTRY + 32;
    let mut entries = Vec::with_capacity(sections.len());
    let mut at = header_len as u64;
    for s in sections {
        at = align_up(at, if s.image { IMAGE_ALIGN } else { SECTION_ALIGN });
        entries.push(SectionEntry {
            tag: s.tag,
            index: s.index,
            offset: at,
            len: s.data.len() as u64,
            checked: !s.image,
            checksum: if s.image { 0 } else { checksum(s.data) },
        });
        at += s.data.len() as u64;
    }
    let mut header = Vec::with_capacity(header_len);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&(header_len as u32).to_le_bytes());
    header.extend_from_slice(&engine_fingerprint());
    header.extend_from_slice(&module.len.to_le_bytes());
    header.extend_from_slice(&module.hash);
    header.extend_from_slice(&module.stamp.to_le_bytes());
    header.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in &entries {
        header.extend_from_slice(&e.tag);
        header.extend_from_slice(&e.index.to_le_bytes());
        header.extend_from_slice(&e.offset.to_le_bytes());
        header.extend_from_slice(&e.len.to_le_bytes());
        header.push(e.checked as u8);
        header.extend_from_slice(&e.checksum.to_le_bytes());
    }
    let sum = *blake3::hash(&header).as_bytes();
    header.extend_from_slice(&sum);
    debug_assert_eq!(header.len(), header_len);

    let tmp = check_record::temp_path(path);
    let io = |e| Error::Io(tmp.display().to_string(), e);
    let result = (|| {
        let mut f = File::create(&tmp).map_err(io)?;
        f.write_all(&header).map_err(io)?;
        let mut pos = header_len as u64;
        for (s, e) in sections.iter().zip(&entries) {
            if e.offset > pos {
                // Zeros up to the alignment; a hole in the file where the file system allows.
                f.set_len(e.offset).map_err(io)?;
                std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(e.offset)).map_err(io)?;
            }
            f.write_all(s.data).map_err(io)?;
            pos = e.offset + e.len;
        }
        f.set_len(pos).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        Ok(f)
    })();
    match result {
        Ok(f) => {
            // The writer knows its sections intact: record the check for the inode it wrote
            // (the stamp is read after the rename, which changes the inode's change time).
            if let Ok(stat) = f.metadata() {
                let _ = CheckRecord::new(path, CHECKED_MAGIC, &sum, &stat).write();
            }
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Removes the snapshot file at `path` and the records kept beside it (of its check, of its
/// code pages); a missing file is not an error.
pub(crate) fn remove(path: &Path) -> std::io::Result<()> {
    let records = [
        CheckRecord::path_for(path),
        super::code_pages::path_for(path),
    ];
    for p in records.into_iter().chain([path.to_path_buf()]) {
        match std::fs::remove_file(p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// An opened, verified snapshot file: the header checked, every checked section's checksum
/// verified (now or by an earlier load of the same file), every section inside the file.
pub(crate) struct SnapshotFile {
    /// Kept open to map memory images from, once per instantiation.
    pub file: File,
    /// Shared with the code cache, which reads functions from it for as long as the module
    /// lives.
    pub map: Arc<Mapping>,
    pub module: ModuleIdentity,
    /// The header checksum, which names this file's contents.
    pub sum: [u8; 32],
    sections: Vec<SectionEntry>,
}

impl SnapshotFile {
    pub(crate) fn open(path: &Path) -> Result<SnapshotFile, Error> {
        let file = File::open(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        let stat = file
            .metadata()
            .map_err(|e| Error::Io(path.display().to_string(), e))?;
        let len = stat.len();
        let map = Arc::new(Mapping::map(
            &file,
            len as usize,
            &path.display().to_string(),
        )?);
        let (module, sections, sum) = parse_header(&map)?;
        let record = CheckRecord::new(path, CHECKED_MAGIC, &sum, &stat);
        let recorded = record.holds();
        for s in &sections {
            let end = s.offset.checked_add(s.len);
            if end.is_none_or(|end| end > len) {
                return Err(Error::Snapshot(format!(
                    "truncated: section {} extends past the end of the file ({len} bytes)",
                    tag_name(s.tag)
                )));
            }
            let data = &map[s.offset as usize..(s.offset + s.len) as usize];
            if s.checked && !recorded && checksum(data) != s.checksum {
                return Err(Error::Snapshot(format!(
                    "section {} is corrupt (checksum mismatch)",
                    tag_name(s.tag)
                )));
            }
            if !s.checked && s.offset % IMAGE_ALIGN != 0 {
                return Err(Error::Snapshot(format!(
                    "memory image {} is not page-aligned",
                    s.index
                )));
            }
        }
        if !recorded {
            // Without the record the next load just checks the sections again.
            let _ = record.write();
        }
        Ok(SnapshotFile {
            file,
            map,
            module,
            sum,
            sections,
        })
    }

    pub(crate) fn sections(&self) -> &[SectionEntry] {
        &self.sections
    }

    pub(crate) fn section(&self, tag: [u8; 4], index: u32) -> Option<SectionEntry> {
        self.sections
            .iter()
            .find(|s| s.tag == tag && s.index == index)
            .copied()
    }

    pub(crate) fn required(&self, tag: [u8; 4], index: u32) -> Result<SectionEntry, Error> {
        self.section(tag, index)
            .ok_or_else(|| Error::Snapshot(format!("section {}#{index} is missing", tag_name(tag))))
    }

    pub(crate) fn bytes(&self, s: SectionEntry) -> &[u8] {
        &self.map[s.offset as usize..(s.offset + s.len) as usize]
    }
}

pub(crate) fn tag_name(tag: [u8; 4]) -> String {
    String::from_utf8_lossy(&tag).into_owned()
}

/// The module identity, the sections and the header checksum of a snapshot file's `data`.
fn parse_header(data: &[u8]) -> Result<(ModuleIdentity, Vec<SectionEntry>, [u8; 32]), Error> {
    if data.len() < 16 || &data[..8] != MAGIC {
        return Err(Error::Snapshot(
            "not a Flint snapshot (bad magic number or empty file)".into(),
        ));
    }
    let mut r = Reader::new(&data[8..], "header");
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(Error::Snapshot(format!(
            "format version {version}, this engine reads version {FORMAT_VERSION}"
        )));
    }
    let header_len = r.u32()? as usize;
    if header_len < FIXED_HEADER + 32 || header_len > data.len() {
        return Err(Error::Snapshot("truncated header".into()));
    }
    let (body, sum) = data[..header_len].split_at(header_len - 32);
    if blake3::hash(body).as_bytes() != sum {
        return Err(Error::Snapshot(
            "header is corrupt (checksum mismatch)".into(),
        ));
    }
    let mut r = Reader::new(&body[16..], "header");
    if r.take(32)? != engine_fingerprint() {
        return Err(Error::Snapshot(
            "written by another version of the engine".into(),
        ));
    }
    let len = r.u64()?;
    let mut hash = [0; 32];
    hash.copy_from_slice(r.take(32)?);
    let stamp = FileStamp::from_le_bytes(&r.array()?);
    let n = r.count(SECTION_ENTRY)?;
    let mut sections = Vec::with_capacity(n);
    for _ in 0..n {
        let mut tag = [0; 4];
        tag.copy_from_slice(r.take(4)?);
        let index = r.u32()?;
        let offset = r.u64()?;
        let len = r.u64()?;
        let checked = r.bool()?;
        let checksum = r.u32()?;
        sections.push(SectionEntry {
            tag,
            index,
            offset,
            len,
            checked,
            checksum,
        });
    }
    r.finish()?;
    let sum = sum.try_into().expect("the checksum is 32 bytes");
    Ok((ModuleIdentity { len, hash, stamp }, sections, sum))
}
