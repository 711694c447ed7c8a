//! The guest's file descriptor table. Every entry is plain data describing the descriptor
//! (what it is, where it came from, its rights, flags and offset) plus the live host handle,
//! so that the WASI state can be inspected and recreated elsewhere.

use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::errno::Errno;
use crate::sys::HostDirent;
use crate::types::Filetype;

/// An in-memory byte pipe for a standard stream: the guest reads from its front and writes to
/// its back. Clones share the same bytes, so the embedder keeps one to feed or inspect it.
#[derive(Debug, Clone, Default)]
pub struct MemoryPipe {
    bytes: Arc<Mutex<VecDeque<u8>>>,
}

impl MemoryPipe {
    /// A pipe holding `bytes` (e.g. the guest's whole standard input).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        MemoryPipe {
            bytes: Arc::new(Mutex::new(bytes.into().into())),
        }
    }

    /// The bytes the pipe holds now (for an output: everything the guest wrote).
    pub fn contents(&self) -> Vec<u8> {
        self.lock().iter().copied().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<u8>> {
        self.bytes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn read(&self, max: usize) -> Vec<u8> {
        let mut q = self.lock();
        let n = max.min(q.len());
        q.drain(..n).collect()
    }

    pub(crate) fn write(&self, data: &[u8]) {
        self.lock().extend(data);
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

/// Where a standard stream of the guest goes.
#[derive(Debug, Default)]
pub enum Stdio {
    /// The host process's own stream.
    #[default]
    Inherit,
    /// An in-memory pipe.
    Pipe(MemoryPipe),
    /// A host file or pipe, read or written as a stream (e.g. output redirected to a file).
    File(std::fs::File),
}

/// What a descriptor is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FdKind {
    /// Standard input (0), output (1) or error (2), whatever number it has now.
    Stdio(u8),
    /// A preopened directory: the index into [`crate::WasiCtx::preopens`].
    Preopen(usize),
    /// A file or directory opened with `path_open`, below preopen `preopen`, at host path
    /// `rel` relative to that preopen's directory (as it was when it was opened).
    Path { preopen: usize, rel: PathBuf },
    /// A socket given by the embedder, or accepted from one.
    Socket,
}

/// The live host object behind a descriptor.
#[derive(Debug)]
pub(crate) enum Host {
    /// A host file descriptor: file, directory or socket.
    Fd(OwnedFd),
    /// A standard stream of the host process (0, 1 or 2): never closed by us.
    Inherit(i32),
    Pipe(MemoryPipe),
}

/// One guest file descriptor.
#[derive(Debug)]
pub struct FdEntry {
    pub kind: FdKind,
    pub filetype: Filetype,
    pub rights_base: u64,
    pub rights_inheriting: u64,
    /// `fdflags`.
    pub flags: u16,
    /// The file position of positional files (regular files, block devices).
    pub offset: u64,
    pub(crate) host: Host,
    /// The listing `fd_readdir` hands out, refreshed when it starts over at cookie 0.
    pub(crate) dir_listing: Option<Vec<HostDirent>>,
    /// Bytes the guest reads before anything from `host` (see
    /// [`crate::WasiCtx::prefix_input`]).
    pub(crate) input: Vec<u8>,
}

impl FdEntry {
    pub(crate) fn new(
        kind: FdKind,
        filetype: Filetype,
        rights: (u64, u64),
        flags: u16,
        host: Host,
    ) -> Self {
        FdEntry {
            kind,
            filetype,
            rights_base: rights.0,
            rights_inheriting: rights.1,
            flags,
            offset: 0,
            host,
            dir_listing: None,
            input: Vec::new(),
        }
    }

    /// Fails with `ENOTCAPABLE` unless the descriptor has every right in `rights`.
    pub(crate) fn require(&self, rights: u64) -> Result<(), Errno> {
        if self.rights_base & rights == rights {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// The host descriptor, if this entry has one of its own (not a pipe).
    pub(crate) fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.host {
            Host::Fd(f) => Some(f.as_fd()),
            // SAFETY: host standard streams stay open for the life of the process.
            Host::Inherit(fd) => Some(unsafe { BorrowedFd::borrow_raw(*fd) }),
            Host::Pipe(_) => None,
        }
    }

    /// The preopen this descriptor lies below, if it is a directory or file of one.
    pub fn preopen(&self) -> Option<usize> {
        match self.kind {
            FdKind::Preopen(i) | FdKind::Path { preopen: i, .. } => Some(i),
            _ => None,
        }
    }
}

/// Descriptor numbers and their entries. New descriptors take the lowest free number.
#[derive(Debug, Default)]
pub struct FdTable {
    entries: Vec<Option<FdEntry>>,
}

/// The most descriptors a guest may hold at once.
const MAX_FDS: usize = 1 << 16;

impl FdTable {
    pub(crate) fn insert(&mut self, entry: FdEntry) -> Result<u32, Errno> {
        let free = self.entries.iter().position(Option::is_none);
        let index = match free {
            Some(i) => i,
            None if self.entries.len() < MAX_FDS => {
                self.entries.push(None);
                self.entries.len() - 1
            }
            None => return Err(Errno::Mfile),
        };
        self.entries[index] = Some(entry);
        Ok(index as u32)
    }

    pub fn get(&self, fd: u32) -> Result<&FdEntry, Errno> {
        self.entries
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut FdEntry, Errno> {
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// The entry of `fd`, which must hold every right in `rights`.
    pub(crate) fn with_rights(&mut self, fd: u32, rights: u64) -> Result<&mut FdEntry, Errno> {
        let e = self.get_mut(fd)?;
        e.require(rights)?;
        Ok(e)
    }

    /// The entry of directory `fd`, which must hold every right in `rights`.
    pub(crate) fn dir(&self, fd: u32, rights: u64) -> Result<&FdEntry, Errno> {
        let e = self.get(fd)?;
        if e.filetype != Filetype::Directory {
            return Err(Errno::Notdir);
        }
        e.require(rights)?;
        Ok(e)
    }

    pub(crate) fn remove(&mut self, fd: u32) -> Result<FdEntry, Errno> {
        let entry = self
            .entries
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)?;
        while matches!(self.entries.last(), Some(None)) {
            self.entries.pop();
        }
        Ok(entry)
    }

    /// Moves `from` to number `to`, closing what `to` held. Both must be open.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from != to {
            let entry = self.remove(from)?;
            self.entries[to as usize] = Some(entry);
        }
        Ok(())
    }

    /// Every open descriptor, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &FdEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i as u32, e.as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe_entry() -> FdEntry {
        FdEntry::new(
            FdKind::Stdio(0),
            Filetype::Unknown,
            (0, 0),
            0,
            Host::Pipe(MemoryPipe::default()),
        )
    }

    #[test]
    fn lowest_free_number() {
        let mut t = FdTable::default();
        assert_eq!(t.insert(pipe_entry()), Ok(0));
        assert_eq!(t.insert(pipe_entry()), Ok(1));
        assert_eq!(t.insert(pipe_entry()), Ok(2));
        t.remove(1).unwrap();
        assert_eq!(t.insert(pipe_entry()), Ok(1));
        assert_eq!(t.remove(7).err(), Some(Errno::Badf));
    }

    #[test]
    fn renumber_needs_both_open() {
        let mut t = FdTable::default();
        t.insert(pipe_entry()).unwrap();
        t.insert(pipe_entry()).unwrap();
        assert_eq!(t.renumber(0, 5), Err(Errno::Badf));
        assert_eq!(t.renumber(0, 1), Ok(()));
        assert_eq!(t.get(0).err(), Some(Errno::Badf));
        assert!(t.get(1).is_ok());
        assert_eq!(t.renumber(1, 1), Ok(()));
    }
}
