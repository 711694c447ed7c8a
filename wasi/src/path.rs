//! The `path_*` functions: operations on paths below a directory descriptor. All path
//! resolution goes through [`crate::sandbox`].

use std::os::fd::{AsFd, BorrowedFd};
use std::path::{Path, PathBuf};

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::fd::timestamps;
use crate::fd_table::{FdEntry, FdKind, Host};
use crate::filestat;
use crate::memory::GuestMemory;
use crate::sandbox;
use crate::sys;
use crate::types::{fdflags, lookupflags, oflags, rights, Filetype};

/// Whether `lookupflags` asks to follow a final symlink.
fn follow(flags: u32) -> bool {
    flags & lookupflags::SYMLINK_FOLLOW != 0
}

impl WasiCtx {
    /// The host descriptor of directory `fd`, which must hold `rights`.
    fn dir_fd(&self, fd: u32, rights: u64) -> Result<BorrowedFd<'_>, Errno> {
        self.fds.dir(fd, rights)?.host_fd().ok_or(Errno::Badf)
    }

    /// Where a descriptor opened at `path` below directory `dir` lies, relative to its preopen.
    fn path_kind(&self, dir: &FdEntry, host: BorrowedFd<'_>, path: &str) -> Result<FdKind, Errno> {
        let preopen = dir.preopen().ok_or(Errno::Badf)?;
        let root = &self.preopens[preopen].host_path;
        let rel = sys::fd_path(host)
            .and_then(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| match &dir.kind {
                FdKind::Path { rel, .. } => rel.join(path),
                _ => PathBuf::from(path),
            });
        Ok(FdKind::Path { preopen, rel })
    }

    pub fn path_open(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        dirflags: u32,
        path: u32,
        path_len: u32,
        oflags: u32,
        fs_rights_base: u64,
        fs_rights_inheriting: u64,
        fdflags: u32,
        opened_fd: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let path = m.read_str(path, path_len)?.to_string();
            m.slice(opened_fd, 4)?;
            let oflags = u16::try_from(oflags).map_err(|_| Errno::Inval)?;
            let fdflags = u16::try_from(fdflags).map_err(|_| Errno::Inval)?;
            if oflags & !oflags::ALL != 0 || fdflags & !fdflags::ALL != 0 {
                return Err(Errno::Inval);
            }
            let mut needed = rights::PATH_OPEN;
            if oflags & oflags::CREAT != 0 {
                needed |= rights::PATH_CREATE_FILE;
            }
            if oflags & oflags::TRUNC != 0 {
                needed |= rights::PATH_FILESTAT_SET_SIZE;
            }
            let dir = self.fds.dir(fd, needed)?;
            let base = fs_rights_base & dir.rights_inheriting;
            let inheriting = fs_rights_inheriting & dir.rights_inheriting;

            let read = base & (rights::FD_READ | rights::FD_READDIR) != 0;
            let write = base & rights::WRITE_LIKE != 0;
            let mut flags = match (read, write) {
                (_, false) => libc::O_RDONLY,
                (false, true) => libc::O_WRONLY,
                (true, true) => libc::O_RDWR,
            } | libc::O_NOCTTY;
            for (wasi, host) in [
                (oflags::CREAT, libc::O_CREAT),
                (oflags::DIRECTORY, libc::O_DIRECTORY),
                (oflags::EXCL, libc::O_EXCL),
                (oflags::TRUNC, libc::O_TRUNC),
            ] {
                if oflags & wasi != 0 {
                    flags |= host;
                }
            }
            for (wasi, host) in [
                (fdflags::DSYNC, libc::O_DSYNC),
                (fdflags::NONBLOCK, libc::O_NONBLOCK),
                (fdflags::RSYNC, libc::O_RSYNC),
                (fdflags::SYNC, libc::O_SYNC),
            ] {
                if fdflags & wasi != 0 {
                    flags |= host;
                }
            }
            if !follow(dirflags) {
                flags |= libc::O_NOFOLLOW;
            }
            // `openat2` wants no mode unless it may create the file.
            let mode = if flags & libc::O_CREAT != 0 { 0o666 } else { 0 };
            let host = sandbox::open(dir.host_fd().ok_or(Errno::Badf)?, &path, flags, mode)?;
            let filetype = Filetype::from_mode(sys::fstat(host.as_fd())?.st_mode);
            let rights = if filetype == Filetype::Directory {
                (
                    base & rights::DIRECTORY_BASE,
                    inheriting & rights::DIRECTORY_INHERITING,
                )
            } else {
                (
                    base & rights::REGULAR_FILE_BASE,
                    inheriting & rights::REGULAR_FILE_INHERITING,
                )
            };
            let kind = self.path_kind(dir, host.as_fd(), &path)?;
            let entry = FdEntry::new(kind, filetype, rights, fdflags, Host::Fd(host));
            let new_fd = self.fds.insert(entry)?;
            m.write_u32(opened_fd, new_fd)
        })())
    }

    pub fn path_create_directory(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_CREATE_DIRECTORY)?;
            let target = sandbox::split(dir, m.read_str(path, path_len)?)?;
            sys::mkdirat(target.dir(), target.name())
        })())
    }

    pub fn path_remove_directory(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_REMOVE_DIRECTORY)?;
            let target = sandbox::split(dir, m.read_str(path, path_len)?)?;
            sys::unlinkat(target.dir(), target.name(), libc::AT_REMOVEDIR)
        })())
    }

    pub fn path_unlink_file(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_UNLINK_FILE)?;
            let target = sandbox::split(dir, m.read_str(path, path_len)?)?;
            sys::unlinkat(target.dir(), target.name(), 0)
        })())
    }

    pub fn path_filestat_get(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        flags: u32,
        path: u32,
        path_len: u32,
        buf: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_FILESTAT_GET)?;
            let host = sandbox::open_path(dir, m.read_str(path, path_len)?, follow(flags))?;
            filestat::from_host(&sys::fstat(host.as_fd())?, None).write(&mut m, buf)
        })())
    }

    pub fn path_filestat_set_times(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        flags: u32,
        path: u32,
        path_len: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_FILESTAT_SET_TIMES)?;
            let times = timestamps(atim, mtim, fst_flags)?;
            let host = sandbox::open_path(dir, m.read_str(path, path_len)?, follow(flags))?;
            sys::utimensat(host.as_fd(), c"", &times, libc::AT_EMPTY_PATH)
        })())
    }

    pub fn path_readlink(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        path_len: u32,
        buf: u32,
        buf_len: u32,
        bufused: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_READLINK)?;
            let host = sandbox::open_path(dir, m.read_str(path, path_len)?, false)?;
            if sys::fstat(host.as_fd())?.st_mode & libc::S_IFMT != libc::S_IFLNK {
                return Err(Errno::Inval);
            }
            let target = sys::readlinkat(host.as_fd(), c"")?;
            let n = target.len().min(buf_len as usize);
            m.write(buf, &target[..n])?;
            m.write_u32(bufused, n as u32)
        })())
    }

    pub fn path_rename(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        old_path: u32,
        old_path_len: u32,
        new_fd: u32,
        new_path: u32,
        new_path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let old_dir = self.dir_fd(fd, rights::PATH_RENAME_SOURCE)?;
            let new_dir = self.dir_fd(new_fd, rights::PATH_RENAME_TARGET)?;
            let old = sandbox::split(old_dir, m.read_str(old_path, old_path_len)?)?;
            let new = sandbox::split(new_dir, m.read_str(new_path, new_path_len)?)?;
            sys::renameat(old.dir(), old.name(), new.dir(), new.name())
        })())
    }

    pub fn path_link(
        &mut self,
        mem: &mut [u8],
        old_fd: u32,
        old_flags: u32,
        old_path: u32,
        old_path_len: u32,
        new_fd: u32,
        new_path: u32,
        new_path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            // Linking through a symlink would need `AT_SYMLINK_FOLLOW`, whose resolution the
            // kernel cannot confine: refused, as wasmtime does.
            if follow(old_flags) {
                return Err(Errno::Inval);
            }
            let old_dir = self.dir_fd(old_fd, rights::PATH_LINK_SOURCE)?;
            let new_dir = self.dir_fd(new_fd, rights::PATH_LINK_TARGET)?;
            let old_path = m.read_str(old_path, old_path_len)?;
            let old = sandbox::split(old_dir, old_path)?;
            if old.trailing_slash() {
                // The kernel would follow a final symlink here: resolve it confined instead.
                // What a path with a trailing slash names is a directory, which cannot be linked.
                sandbox::open_path(old_dir, old_path, true)?;
                return Err(Errno::Perm);
            }
            let new = sandbox::split(new_dir, m.read_str(new_path, new_path_len)?)?;
            sys::linkat(old.dir(), old.name(), new.dir(), new.name())
        })())
    }

    pub fn path_symlink(
        &mut self,
        mem: &mut [u8],
        old_path: u32,
        old_path_len: u32,
        fd: u32,
        new_path: u32,
        new_path_len: u32,
    ) -> WasiResult {
        finish((|| {
            let m = GuestMemory::new(mem);
            let dir = self.dir_fd(fd, rights::PATH_SYMLINK)?;
            let target = m.read_str(old_path, old_path_len)?;
            // An absolute target can never resolve inside the sandbox.
            if target.starts_with('/') {
                return Err(Errno::Notcapable);
            }
            let link = sandbox::split(dir, m.read_str(new_path, new_path_len)?)?;
            sys::symlinkat(&sys::cstr(target)?, link.dir(), link.name())
        })())
    }
}
