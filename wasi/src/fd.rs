//! The `fd_*` functions: operations on an open descriptor.

use std::os::fd::BorrowedFd;

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::fd_table::{FdEntry, FdKind, Host};
use crate::filestat;
use crate::memory::{total_len, GuestMemory};
use crate::sys;
use crate::types::layout::{DIRENT_SIZE, FDSTAT_SIZE, PRESTAT_SIZE};
use crate::types::{fdflags, rights, whence, Filetype, ADVICE_MAX, PREOPENTYPE_DIR};

impl FdEntry {
    /// The host descriptor of an entry that has one.
    fn fd(&self) -> Result<BorrowedFd<'_>, Errno> {
        self.host_fd().ok_or(Errno::Badf)
    }

    /// Fails unless reads and writes at an offset make sense here.
    fn positional(&self) -> Result<BorrowedFd<'_>, Errno> {
        match self.filetype {
            Filetype::Directory => Err(Errno::Isdir),
            t if t.is_positional() => self.fd(),
            _ => Err(Errno::Spipe),
        }
    }

    /// Reads at most `max` bytes at the current position (advancing it) or from the stream.
    fn read(&mut self, max: usize) -> Result<Vec<u8>, Errno> {
        if !self.input.is_empty() {
            let n = max.min(self.input.len());
            return Ok(self.input.drain(..n).collect());
        }
        let mut buf = read_buffer(max);
        let n = match &self.host {
            Host::Pipe(p) => {
                let data = p.read(buf.len());
                buf[..data.len()].copy_from_slice(&data);
                data.len()
            }
            _ if self.filetype.is_positional() => {
                let n = sys::pread(self.fd()?, &mut buf, self.offset)?;
                self.offset += n as u64;
                n
            }
            _ if self.filetype == Filetype::Directory => return Err(Errno::Isdir),
            _ => sys::read(self.fd()?, &mut buf)?,
        };
        buf.truncate(n);
        Ok(buf)
    }

    /// Writes `data` at the current position (advancing it), at the end for `APPEND`
    /// descriptors, or to the stream.
    fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        match &self.host {
            Host::Pipe(p) => {
                p.write(data);
                Ok(data.len())
            }
            _ if self.filetype.is_positional() => {
                let fd = self.fd()?;
                let at = if self.flags & fdflags::APPEND != 0 {
                    sys::fstat(fd)?.st_size as u64
                } else {
                    self.offset
                };
                let n = sys::pwrite(fd, data, at)?;
                self.offset = at + n as u64;
                Ok(n)
            }
            _ if self.filetype == Filetype::Directory => Err(Errno::Isdir),
            _ => sys::write(self.fd()?, data),
        }
    }
}

/// A buffer for a read of up to `len` bytes (`total_len`: at most `MAX_RW`). It takes the
/// whole request, not a slice of it: a read of a regular file must return everything up to
/// the file's end, as the host's own read does (programs read a file's size in one call, and
/// a short read looks like a file that shrank). A zeroed allocation this large is mapped
/// lazily, so only the bytes read cost memory.
fn read_buffer(len: usize) -> Vec<u8> {
    vec![0u8; len]
}

/// `timespec`s for `utimensat` from the arguments of `*_filestat_set_times`.
pub(crate) fn timestamps(atim: u64, mtim: u64, fst: u32) -> Result<[libc::timespec; 2], Errno> {
    use crate::types::fstflags::*;
    let fst = u16::try_from(fst).map_err(|_| Errno::Inval)?;
    if fst & !ALL != 0 || fst & (ATIM | ATIM_NOW) == ATIM | ATIM_NOW {
        return Err(Errno::Inval);
    }
    if fst & (MTIM | MTIM_NOW) == MTIM | MTIM_NOW {
        return Err(Errno::Inval);
    }
    let ts = |set: bool, now: bool, t: u64| {
        if now {
            libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_NOW,
            }
        } else if set {
            libc::timespec {
                tv_sec: (t / 1_000_000_000) as libc::time_t,
                tv_nsec: (t % 1_000_000_000) as libc::c_long,
            }
        } else {
            libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_OMIT,
            }
        }
    };
    Ok([
        ts(fst & ATIM != 0, fst & ATIM_NOW != 0, atim),
        ts(fst & MTIM != 0, fst & MTIM_NOW != 0, mtim),
    ])
}

impl WasiCtx {
    pub fn fd_advise(
        &mut self,
        _mem: &mut [u8],
        fd: u32,
        offset: u64,
        len: u64,
        advice: u32,
    ) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_ADVISE)?;
            if advice > ADVICE_MAX as u32 {
                return Err(Errno::Inval);
            }
            let advice = [
                libc::POSIX_FADV_NORMAL,
                libc::POSIX_FADV_SEQUENTIAL,
                libc::POSIX_FADV_RANDOM,
                libc::POSIX_FADV_WILLNEED,
                libc::POSIX_FADV_DONTNEED,
                libc::POSIX_FADV_NOREUSE,
            ][advice as usize];
            match e.filetype {
                Filetype::Directory => Err(Errno::Isdir),
                t if t.is_positional() => sys::fadvise(e.fd()?, offset, len, advice),
                _ => Err(Errno::Spipe),
            }
        })())
    }

    pub fn fd_allocate(&mut self, _mem: &mut [u8], fd: u32, offset: u64, len: u64) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_ALLOCATE)?;
            sys::fallocate(e.positional()?, offset, len)
        })())
    }

    pub fn fd_close(&mut self, _mem: &mut [u8], fd: u32) -> WasiResult {
        finish(self.fds.remove(fd).map(drop))
    }

    pub fn fd_datasync(&mut self, _mem: &mut [u8], fd: u32) -> WasiResult {
        finish(
            (|| match self.fds.with_rights(fd, rights::FD_DATASYNC)?.host_fd() {
                Some(fd) => sys::fsync(fd, true),
                None => Ok(()),
            })(),
        )
    }

    pub fn fd_sync(&mut self, _mem: &mut [u8], fd: u32) -> WasiResult {
        finish(
            (|| match self.fds.with_rights(fd, rights::FD_SYNC)?.host_fd() {
                Some(fd) => sys::fsync(fd, false),
                None => Ok(()),
            })(),
        )
    }

    pub fn fd_fdstat_get(&mut self, mem: &mut [u8], fd: u32, buf: u32) -> WasiResult {
        finish((|| {
            let e = self.fds.get(fd)?;
            let mut out = [0u8; FDSTAT_SIZE as usize];
            out[0] = e.filetype as u8;
            out[2..4].copy_from_slice(&e.flags.to_le_bytes());
            out[8..16].copy_from_slice(&e.rights_base.to_le_bytes());
            out[16..24].copy_from_slice(&e.rights_inheriting.to_le_bytes());
            GuestMemory::new(mem).write(buf, &out)
        })())
    }

    pub fn fd_fdstat_set_flags(&mut self, _mem: &mut [u8], fd: u32, flags: u32) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_FDSTAT_SET_FLAGS)?;
            let flags = u16::try_from(flags).map_err(|_| Errno::Inval)?;
            if flags & !fdflags::ALL != 0 {
                return Err(Errno::Inval);
            }
            let changed = flags ^ e.flags;
            // Linux cannot change the synchronous-I/O flags of an open file.
            if changed & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
                return Err(Errno::Notsup);
            }
            if changed & fdflags::NONBLOCK != 0 {
                if let Host::Fd(host) = &e.host {
                    let host = std::os::fd::AsFd::as_fd(host);
                    let old = sys::get_status_flags(host)?;
                    let new = if flags & fdflags::NONBLOCK != 0 {
                        old | libc::O_NONBLOCK
                    } else {
                        old & !libc::O_NONBLOCK
                    };
                    sys::set_status_flags(host, new)?;
                }
            }
            e.flags = flags;
            Ok(())
        })())
    }

    pub fn fd_fdstat_set_rights(
        &mut self,
        _mem: &mut [u8],
        fd: u32,
        base: u64,
        inheriting: u64,
    ) -> WasiResult {
        finish((|| {
            let e = self.fds.get_mut(fd)?;
            if base & !e.rights_base != 0 || inheriting & !e.rights_inheriting != 0 {
                return Err(Errno::Notcapable);
            }
            e.rights_base = base;
            e.rights_inheriting = inheriting;
            Ok(())
        })())
    }

    pub fn fd_filestat_get(&mut self, mem: &mut [u8], fd: u32, buf: u32) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_FILESTAT_GET)?;
            let stat = match e.host_fd() {
                Some(host) => filestat::from_host(&sys::fstat(host)?, Some(e.filetype)),
                None => filestat::Filestat {
                    filetype: e.filetype,
                    ..Default::default()
                },
            };
            stat.write(&mut GuestMemory::new(mem), buf)
        })())
    }

    pub fn fd_filestat_set_size(&mut self, _mem: &mut [u8], fd: u32, size: u64) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_FILESTAT_SET_SIZE)?;
            sys::ftruncate(e.positional()?, size)
        })())
    }

    pub fn fd_filestat_set_times(
        &mut self,
        _mem: &mut [u8],
        fd: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u32,
    ) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_FILESTAT_SET_TIMES)?;
            let times = timestamps(atim, mtim, fst_flags)?;
            sys::utimensat(e.fd()?, c"", &times, libc::AT_EMPTY_PATH)
        })())
    }

    pub fn fd_pread(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nread: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(iovs, iovs_len)?;
            let e = self
                .fds
                .with_rights(fd, rights::FD_READ | rights::FD_SEEK)?;
            let mut buf = read_buffer(total_len(&iovs));
            let n = sys::pread(e.positional()?, &mut buf, offset)?;
            m.scatter(&iovs, &buf[..n])?;
            m.write_u32(nread, n as u32)
        })())
    }

    pub fn fd_pwrite(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nwritten: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(iovs, iovs_len)?;
            let e = self
                .fds
                .with_rights(fd, rights::FD_WRITE | rights::FD_SEEK)?;
            let data = m.gather(&iovs)?;
            let n = sys::pwrite(e.positional()?, &data, offset)?;
            m.write_u32(nwritten, n as u32)
        })())
    }

    pub fn fd_read(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nread: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(iovs, iovs_len)?;
            let e = self.fds.with_rights(fd, rights::FD_READ)?;
            let data = e.read(total_len(&iovs))?;
            m.scatter(&iovs, &data)?;
            m.write_u32(nread, data.len() as u32)
        })())
    }

    pub fn fd_write(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        nwritten: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            let iovs = m.iovecs(iovs, iovs_len)?;
            let e = self.fds.with_rights(fd, rights::FD_WRITE)?;
            let n = e.write(&m.gather(&iovs)?)?;
            m.write_u32(nwritten, n as u32)
        })())
    }

    pub fn fd_prestat_get(&mut self, mem: &mut [u8], fd: u32, buf: u32) -> WasiResult {
        finish((|| {
            let name = self.preopen_name(fd)?;
            let mut out = [0u8; PRESTAT_SIZE as usize];
            out[0] = PREOPENTYPE_DIR;
            out[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
            GuestMemory::new(mem).write(buf, &out)
        })())
    }

    pub fn fd_prestat_dir_name(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        path: u32,
        len: u32,
    ) -> WasiResult {
        finish((|| {
            let name = self.preopen_name(fd)?;
            if (len as usize) < name.len() {
                return Err(Errno::Nametoolong);
            }
            GuestMemory::new(mem).write(path, name.as_bytes())
        })())
    }

    /// The guest name of preopened directory `fd`.
    fn preopen_name(&self, fd: u32) -> Result<&str, Errno> {
        match self.fds.get(fd)?.kind {
            FdKind::Preopen(i) => Ok(&self.preopens[i].guest_path),
            _ => Err(Errno::Badf),
        }
    }

    pub fn fd_readdir(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        buf: u32,
        buf_len: u32,
        cookie: u64,
        bufused: u32,
    ) -> WasiResult {
        finish((|| {
            let mut m = GuestMemory::new(mem);
            m.slice(buf, buf_len)?;
            let e = self.fds.with_rights(fd, rights::FD_READDIR)?;
            if e.filetype != Filetype::Directory {
                return Err(Errno::Notdir);
            }
            if cookie == 0 || e.dir_listing.is_none() {
                e.dir_listing = Some(sys::read_dir(e.fd()?)?);
            }
            let host = e.fd()?;
            let listing = e.dir_listing.as_deref().unwrap_or_default();
            let mut out = Vec::new();
            let start = usize::try_from(cookie).unwrap_or(usize::MAX);
            for (i, ent) in listing.iter().enumerate().skip(start) {
                if out.len() >= buf_len as usize {
                    break;
                }
                let filetype = Filetype::from_dirent_type(ent.d_type).unwrap_or_else(|| {
                    sys::cstr_bytes(&ent.name)
                        .and_then(|name| sys::fstatat(host, &name, libc::AT_SYMLINK_NOFOLLOW))
                        .map_or(Filetype::Unknown, |st| Filetype::from_mode(st.st_mode))
                });
                let mut header = [0u8; DIRENT_SIZE];
                header[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
                header[8..16].copy_from_slice(&ent.ino.to_le_bytes());
                header[16..20].copy_from_slice(&(ent.name.len() as u32).to_le_bytes());
                header[20] = filetype as u8;
                out.extend_from_slice(&header);
                out.extend_from_slice(&ent.name);
            }
            out.truncate(buf_len as usize);
            m.write(buf, &out)?;
            m.write_u32(bufused, out.len() as u32)
        })())
    }

    pub fn fd_renumber(&mut self, _mem: &mut [u8], fd: u32, to: u32) -> WasiResult {
        finish(self.fds.renumber(fd, to))
    }

    pub fn fd_seek(
        &mut self,
        mem: &mut [u8],
        fd: u32,
        offset: i64,
        whence: u32,
        newoffset: u32,
    ) -> WasiResult {
        finish((|| {
            let e = self.fds.get_mut(fd)?;
            // A descriptor with only `fd_tell` may still ask where it is.
            if !(offset == 0 && whence == whence::CUR as u32 && e.require(rights::FD_TELL).is_ok())
            {
                e.require(rights::FD_SEEK)?;
            }
            let host = e.positional()?;
            let base = match u8::try_from(whence).map_err(|_| Errno::Inval)? {
                whence::SET => 0,
                whence::CUR => e.offset as i128,
                whence::END => sys::fstat(host)?.st_size as i128,
                _ => return Err(Errno::Inval),
            };
            let new = base + offset as i128;
            if new < 0 || new > i64::MAX as i128 {
                return Err(Errno::Inval);
            }
            e.offset = new as u64;
            GuestMemory::new(mem).write_u64(newoffset, e.offset)
        })())
    }

    pub fn fd_tell(&mut self, mem: &mut [u8], fd: u32, offset: u32) -> WasiResult {
        finish((|| {
            let e = self.fds.with_rights(fd, rights::FD_TELL)?;
            e.positional()?;
            GuestMemory::new(mem).write_u64(offset, e.offset)
        })())
    }
}
