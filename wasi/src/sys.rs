//! Thin, safe wrappers over the Linux calls that the standard library does not offer.
//! Each returns the WASI errno of a failure.

use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;

use crate::errno::Errno;

/// Checks the result of a libc call that returns -1 and sets `errno` on failure.
fn cvt(r: libc::c_int) -> Result<libc::c_int, Errno> {
    if r == -1 {
        Err(Errno::last())
    } else {
        Ok(r)
    }
}

fn cvt_size(r: libc::ssize_t) -> Result<usize, Errno> {
    if r < 0 {
        Err(Errno::last())
    } else {
        Ok(r as usize)
    }
}

/// A name for a `*at` call: paths from the guest never hold NUL bytes (checked when read).
pub(crate) fn cstr(s: &str) -> Result<CString, Errno> {
    cstr_bytes(s.as_bytes())
}

pub(crate) fn cstr_bytes(s: &[u8]) -> Result<CString, Errno> {
    CString::new(s).map_err(|_| Errno::Inval)
}

/// `struct open_how` of `openat2(2)`.
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// `openat2(2)`: opens `path` relative to `dir` with the resolution restrictions `resolve`.
pub(crate) fn openat2(
    dir: BorrowedFd<'_>,
    path: &CStr,
    flags: libc::c_int,
    mode: libc::mode_t,
    resolve: u64,
) -> Result<OwnedFd, Errno> {
    let how = OpenHow {
        flags: flags as u64,
        mode: mode as u64,
        resolve,
    };
    loop {
        // SAFETY: `path` is NUL-terminated, `how` is a live `open_how` whose size is passed along.
        let r = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                path.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if r >= 0 {
            // SAFETY: the kernel returned a new descriptor that nothing else owns.
            return Ok(unsafe { OwnedFd::from_raw_fd(r as RawFd) });
        }
        // `EAGAIN` means a concurrent rename raced the resolution: try again.
        match Errno::last() {
            Errno::Again => continue,
            e => return Err(e),
        }
    }
}

/// `fstatat(2)`; an empty `name` with `AT_EMPTY_PATH` stats `dir` itself.
pub(crate) fn fstatat(
    dir: BorrowedFd<'_>,
    name: &CStr,
    flags: libc::c_int,
) -> Result<libc::stat, Errno> {
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is NUL-terminated and `st` is a writable `stat`.
    cvt(unsafe { libc::fstatat(dir.as_raw_fd(), name.as_ptr(), &mut st, flags) })?;
    Ok(st)
}

/// `fstat(2)` of any descriptor, `O_PATH` ones included.
pub(crate) fn fstat(fd: BorrowedFd<'_>) -> Result<libc::stat, Errno> {
    fstatat(fd, c"", libc::AT_EMPTY_PATH)
}

pub(crate) fn mkdirat(dir: BorrowedFd<'_>, name: &CStr) -> Result<(), Errno> {
    // SAFETY: `name` is NUL-terminated.
    cvt(unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o777) }).map(drop)
}

pub(crate) fn unlinkat(dir: BorrowedFd<'_>, name: &CStr, flags: libc::c_int) -> Result<(), Errno> {
    // SAFETY: `name` is NUL-terminated.
    cvt(unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), flags) }).map(drop)
}

pub(crate) fn renameat(
    old_dir: BorrowedFd<'_>,
    old: &CStr,
    new_dir: BorrowedFd<'_>,
    new: &CStr,
) -> Result<(), Errno> {
    // SAFETY: both names are NUL-terminated.
    cvt(unsafe {
        libc::renameat(
            old_dir.as_raw_fd(),
            old.as_ptr(),
            new_dir.as_raw_fd(),
            new.as_ptr(),
        )
    })
    .map(drop)
}

/// `linkat(2)` without `AT_SYMLINK_FOLLOW`: links the final component itself.
pub(crate) fn linkat(
    old_dir: BorrowedFd<'_>,
    old: &CStr,
    new_dir: BorrowedFd<'_>,
    new: &CStr,
) -> Result<(), Errno> {
    // SAFETY: both names are NUL-terminated.
    cvt(unsafe {
        libc::linkat(
            old_dir.as_raw_fd(),
            old.as_ptr(),
            new_dir.as_raw_fd(),
            new.as_ptr(),
            0,
        )
    })
    .map(drop)
}

pub(crate) fn symlinkat(target: &CStr, dir: BorrowedFd<'_>, name: &CStr) -> Result<(), Errno> {
    // SAFETY: both strings are NUL-terminated.
    cvt(unsafe { libc::symlinkat(target.as_ptr(), dir.as_raw_fd(), name.as_ptr()) }).map(drop)
}

/// `readlinkat(2)`: the whole target, however long.
pub(crate) fn readlinkat(dir: BorrowedFd<'_>, name: &CStr) -> Result<Vec<u8>, Errno> {
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `name` is NUL-terminated and `buf` is writable for `buf.len()` bytes.
        let n = cvt_size(unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                name.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        })?;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(buf);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// `utimensat(2)`; `AT_EMPTY_PATH` with an empty name works on `O_PATH` descriptors.
pub(crate) fn utimensat(
    dir: BorrowedFd<'_>,
    name: &CStr,
    times: &[libc::timespec; 2],
    flags: libc::c_int,
) -> Result<(), Errno> {
    // SAFETY: `name` is NUL-terminated and `times` points at two timespecs.
    cvt(unsafe { libc::utimensat(dir.as_raw_fd(), name.as_ptr(), times.as_ptr(), flags) }).map(drop)
}

pub(crate) fn fallocate(fd: BorrowedFd<'_>, offset: u64, len: u64) -> Result<(), Errno> {
    let off = i64::try_from(offset).map_err(|_| Errno::Fbig)?;
    let len = i64::try_from(len).map_err(|_| Errno::Fbig)?;
    // SAFETY: plain integer arguments; `posix_fallocate` returns the error instead of setting
    // `errno`.
    match unsafe { libc::posix_fallocate(fd.as_raw_fd(), off, len) } {
        0 => Ok(()),
        e => Err(Errno::from_host(e)),
    }
}

pub(crate) fn fadvise(fd: BorrowedFd<'_>, offset: u64, len: u64, advice: i32) -> Result<(), Errno> {
    let off = i64::try_from(offset).map_err(|_| Errno::Inval)?;
    let len = i64::try_from(len).map_err(|_| Errno::Inval)?;
    // SAFETY: plain integer arguments; the error is returned, not put in `errno`.
    match unsafe { libc::posix_fadvise(fd.as_raw_fd(), off, len, advice) } {
        0 => Ok(()),
        e => Err(Errno::from_host(e)),
    }
}

pub(crate) fn get_status_flags(fd: BorrowedFd<'_>) -> Result<libc::c_int, Errno> {
    // SAFETY: `F_GETFL` takes no argument.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

pub(crate) fn set_status_flags(fd: BorrowedFd<'_>, flags: libc::c_int) -> Result<(), Errno> {
    // SAFETY: `F_SETFL` takes an int.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) }).map(drop)
}

pub(crate) fn isatty(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: `isatty` only inspects the descriptor.
    unsafe { libc::isatty(fd.as_raw_fd()) == 1 }
}

/// One entry of a host directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HostDirent {
    pub name: Vec<u8>,
    pub ino: u64,
    pub d_type: u8,
}

/// Lists a directory, `.` and `..` included, in the order the host gives.
pub(crate) fn read_dir(dir: BorrowedFd<'_>) -> Result<Vec<HostDirent>, Errno> {
    // A fresh open file description, so that the listing has its own position.
    let fd = openat2(
        dir,
        c".",
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
        0,
        0,
    )?;
    let raw = std::os::fd::IntoRawFd::into_raw_fd(fd);
    // SAFETY: `raw` is an open directory descriptor whose ownership passes to the stream.
    let stream = unsafe { libc::fdopendir(raw) };
    if stream.is_null() {
        let e = Errno::last();
        // SAFETY: `fdopendir` failed, so `raw` is still ours to close.
        drop(unsafe { OwnedFd::from_raw_fd(raw) });
        return Err(e);
    }
    let mut out = Vec::new();
    let result = loop {
        // SAFETY: clearing `errno` to tell the end of the stream from an error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `stream` is a live directory stream.
        let ent = unsafe { libc::readdir64(stream) };
        if ent.is_null() {
            // SAFETY: reading this thread's `errno`.
            let code = unsafe { *libc::__errno_location() };
            break if code == 0 {
                Ok(())
            } else {
                Err(Errno::from_host(code))
            };
        }
        // SAFETY: a non-null entry is valid until the next `readdir64` on `stream`, and its
        // `d_name` is NUL-terminated.
        let (name, ino, d_type) = unsafe {
            let e = &*ent;
            (
                CStr::from_ptr(e.d_name.as_ptr()).to_bytes().to_vec(),
                e.d_ino,
                e.d_type,
            )
        };
        out.push(HostDirent { name, ino, d_type });
    };
    // SAFETY: `stream` is live and closed once; this also closes `raw`.
    unsafe { libc::closedir(stream) };
    result.map(|()| out)
}

/// The host path a descriptor refers to now (from `/proc/self/fd`).
pub(crate) fn fd_path(fd: BorrowedFd<'_>) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd())).ok()
}

/// Fills `buf` with random bytes from the kernel.
pub(crate) fn getrandom(buf: &mut [u8]) -> Result<(), Errno> {
    let mut done = 0;
    while done < buf.len() {
        let rest = &mut buf[done..];
        // SAFETY: `rest` is writable for `rest.len()` bytes.
        match cvt_size(unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) }) {
            Ok(n) => done += n,
            Err(Errno::Intr) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn clock_id(id: u32) -> Result<libc::clockid_t, Errno> {
    use crate::types::clockid;
    Ok(match id {
        clockid::REALTIME => libc::CLOCK_REALTIME,
        clockid::MONOTONIC => libc::CLOCK_MONOTONIC,
        clockid::PROCESS_CPUTIME_ID => libc::CLOCK_PROCESS_CPUTIME_ID,
        clockid::THREAD_CPUTIME_ID => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::Inval),
    })
}

fn timespec_ns(ts: libc::timespec) -> u64 {
    (ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64)
}

/// Reads a WASI clock, in nanoseconds.
pub(crate) fn clock_time(id: u32) -> Result<u64, Errno> {
    let id = clock_id(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a writable timespec.
    cvt(unsafe { libc::clock_gettime(id, &mut ts) })?;
    Ok(timespec_ns(ts))
}

/// The resolution of a WASI clock, in nanoseconds.
pub(crate) fn clock_res(id: u32) -> Result<u64, Errno> {
    let id = clock_id(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a writable timespec.
    cvt(unsafe { libc::clock_getres(id, &mut ts) })?;
    Ok(timespec_ns(ts).max(1))
}

/// `poll(2)` on host descriptors; returns the `revents` of each.
pub(crate) fn poll(fds: &mut [libc::pollfd], timeout_ms: libc::c_int) -> Result<(), Errno> {
    // SAFETY: `fds` is a writable array of `fds.len()` pollfds.
    match cvt(unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) }) {
        Ok(_) | Err(Errno::Intr) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The number of bytes ready to read on a stream descriptor (`FIONREAD`).
pub(crate) fn bytes_readable(fd: BorrowedFd<'_>) -> u64 {
    let mut n: libc::c_int = 0;
    // SAFETY: `FIONREAD` writes one int.
    match unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut n) } {
        0 => n.max(0) as u64,
        _ => 0,
    }
}

/// The `SO_TYPE` of a socket, or `ENOTSOCK`.
pub(crate) fn socket_type(fd: BorrowedFd<'_>) -> Result<libc::c_int, Errno> {
    let mut ty: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `ty` is a writable int whose size is passed in `len`.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            (&mut ty as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok(ty)
}

pub(crate) fn accept(fd: BorrowedFd<'_>, nonblock: bool) -> Result<OwnedFd, Errno> {
    let flags = libc::SOCK_CLOEXEC | if nonblock { libc::SOCK_NONBLOCK } else { 0 };
    // SAFETY: a null address asks for no peer address.
    let r = cvt(unsafe {
        libc::accept4(
            fd.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            flags,
        )
    })?;
    // SAFETY: `accept4` returned a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(r) })
}

/// `recv(2)`; returns the byte count and whether a datagram was cut short.
pub(crate) fn recv(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    flags: libc::c_int,
    datagram: bool,
) -> Result<(usize, bool), Errno> {
    // On a datagram socket `MSG_TRUNC` reports the real length; on a stream it would discard.
    let flags = if datagram {
        flags | libc::MSG_TRUNC
    } else {
        flags
    };
    // SAFETY: `buf` is writable for `buf.len()` bytes.
    let n =
        cvt_size(unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags) })?;
    Ok((n.min(buf.len()), n > buf.len()))
}

pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is readable for `buf.len()` bytes.
    cvt_size(unsafe {
        libc::send(
            fd.as_raw_fd(),
            buf.as_ptr().cast(),
            buf.len(),
            libc::MSG_NOSIGNAL,
        )
    })
}

pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: libc::c_int) -> Result<(), Errno> {
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), how) }).map(drop)
}

/// Repeats a call that failed with `EINTR`.
fn retry(mut f: impl FnMut() -> libc::ssize_t) -> Result<usize, Errno> {
    loop {
        match cvt_size(f()) {
            Err(Errno::Intr) => continue,
            r => return r,
        }
    }
}

pub(crate) fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is writable for `buf.len()` bytes.
    retry(|| unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
}

pub(crate) fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is readable for `buf.len()` bytes.
    retry(|| unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len()) })
}

pub(crate) fn pread(fd: BorrowedFd<'_>, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
    let off = i64::try_from(offset).map_err(|_| Errno::Inval)?;
    // SAFETY: `buf` is writable for `buf.len()` bytes.
    retry(|| unsafe { libc::pread(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), off) })
}

pub(crate) fn pwrite(fd: BorrowedFd<'_>, buf: &[u8], offset: u64) -> Result<usize, Errno> {
    let off = i64::try_from(offset).map_err(|_| Errno::Inval)?;
    // SAFETY: `buf` is readable for `buf.len()` bytes.
    retry(|| unsafe { libc::pwrite(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len(), off) })
}

pub(crate) fn fsync(fd: BorrowedFd<'_>, data_only: bool) -> Result<(), Errno> {
    // SAFETY: plain descriptor argument.
    cvt(unsafe {
        if data_only {
            libc::fdatasync(fd.as_raw_fd())
        } else {
            libc::fsync(fd.as_raw_fd())
        }
    })
    .map(drop)
}

pub(crate) fn ftruncate(fd: BorrowedFd<'_>, size: u64) -> Result<(), Errno> {
    let size = i64::try_from(size).map_err(|_| Errno::Fbig)?;
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::ftruncate(fd.as_raw_fd(), size) }).map(drop)
}
