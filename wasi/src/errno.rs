//! The preview1 `errno` enum (witx values) and its mapping from host errno values.

use std::fmt;

macro_rules! errnos {
    ($($name:ident = $value:literal,)*) => {
        /// A WASI preview1 error number, with the numbering of the witx `errno` enum.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Errno {
            $($name = $value,)*
        }

        impl Errno {
            /// The witx name of the error, capitalized (`"Notcapable"`, ...).
            pub fn name(self) -> &'static str {
                match self {
                    $(Errno::$name => stringify!($name),)*
                }
            }
        }
    };
}

errnos! {
    Success = 0, TooBig = 1, Acces = 2, Addrinuse = 3, Addrnotavail = 4, Afnosupport = 5,
    Again = 6, Already = 7, Badf = 8, Badmsg = 9, Busy = 10, Canceled = 11, Child = 12,
    Connaborted = 13, Connrefused = 14, Connreset = 15, Deadlk = 16, Destaddrreq = 17, Dom = 18,
    Dquot = 19, Exist = 20, Fault = 21, Fbig = 22, Hostunreach = 23, Idrm = 24, Ilseq = 25,
    Inprogress = 26, Intr = 27, Inval = 28, Io = 29, Isconn = 30, Isdir = 31, Loop = 32,
    Mfile = 33, Mlink = 34, Msgsize = 35, Multihop = 36, Nametoolong = 37, Netdown = 38,
    Netreset = 39, Netunreach = 40, Nfile = 41, Nobufs = 42, Nodev = 43, Noent = 44,
    Noexec = 45, Nolck = 46, Nolink = 47, Nomem = 48, Nomsg = 49, Noprotoopt = 50, Nospc = 51,
    Nosys = 52, Notconn = 53, Notdir = 54, Notempty = 55, Notrecoverable = 56, Notsock = 57,
    Notsup = 58, Notty = 59, Nxio = 60, Overflow = 61, Ownerdead = 62, Perm = 63, Pipe = 64,
    Proto = 65, Protonosupport = 66, Prototype = 67, Range = 68, Rofs = 69, Spipe = 70,
    Srch = 71, Stale = 72, Timedout = 73, Txtbsy = 74, Xdev = 75, Notcapable = 76,
}

impl Errno {
    /// The raw value written back to the guest.
    pub fn raw(self) -> u16 {
        self as u16
    }

    /// Maps a host (Linux) errno value to the WASI one; unknown values become `EIO`.
    pub fn from_host(code: i32) -> Errno {
        use libc::*;
        match code {
            0 => Errno::Success,
            E2BIG => Errno::TooBig,
            EACCES => Errno::Acces,
            EADDRINUSE => Errno::Addrinuse,
            EADDRNOTAVAIL => Errno::Addrnotavail,
            EAFNOSUPPORT => Errno::Afnosupport,
            EAGAIN => Errno::Again,
            EALREADY => Errno::Already,
            EBADF => Errno::Badf,
            EBADMSG => Errno::Badmsg,
            EBUSY => Errno::Busy,
            ECANCELED => Errno::Canceled,
            ECHILD => Errno::Child,
            ECONNABORTED => Errno::Connaborted,
            ECONNREFUSED => Errno::Connrefused,
            ECONNRESET => Errno::Connreset,
            EDEADLK => Errno::Deadlk,
            EDESTADDRREQ => Errno::Destaddrreq,
            EDOM => Errno::Dom,
            EDQUOT => Errno::Dquot,
            EEXIST => Errno::Exist,
            EFAULT => Errno::Fault,
            EFBIG => Errno::Fbig,
            EHOSTUNREACH => Errno::Hostunreach,
            EIDRM => Errno::Idrm,
            EILSEQ => Errno::Ilseq,
            EINPROGRESS => Errno::Inprogress,
            EINTR => Errno::Intr,
            EINVAL => Errno::Inval,
            EIO => Errno::Io,
            EISCONN => Errno::Isconn,
            EISDIR => Errno::Isdir,
            ELOOP => Errno::Loop,
            EMFILE => Errno::Mfile,
            EMLINK => Errno::Mlink,
            EMSGSIZE => Errno::Msgsize,
            EMULTIHOP => Errno::Multihop,
            ENAMETOOLONG => Errno::Nametoolong,
            ENETDOWN => Errno::Netdown,
            ENETRESET => Errno::Netreset,
            ENETUNREACH => Errno::Netunreach,
            ENFILE => Errno::Nfile,
            ENOBUFS => Errno::Nobufs,
            ENODEV => Errno::Nodev,
            ENOENT => Errno::Noent,
            ENOEXEC => Errno::Noexec,
            ENOLCK => Errno::Nolck,
            ENOLINK => Errno::Nolink,
            ENOMEM => Errno::Nomem,
            ENOMSG => Errno::Nomsg,
            ENOPROTOOPT => Errno::Noprotoopt,
            ENOSPC => Errno::Nospc,
            ENOSYS => Errno::Nosys,
            ENOTCONN => Errno::Notconn,
            ENOTDIR => Errno::Notdir,
            ENOTEMPTY => Errno::Notempty,
            ENOTRECOVERABLE => Errno::Notrecoverable,
            ENOTSOCK => Errno::Notsock,
            ENOTSUP => Errno::Notsup,
            ENOTTY => Errno::Notty,
            ENXIO => Errno::Nxio,
            EOVERFLOW => Errno::Overflow,
            EOWNERDEAD => Errno::Ownerdead,
            EPERM => Errno::Perm,
            EPIPE => Errno::Pipe,
            EPROTO => Errno::Proto,
            EPROTONOSUPPORT => Errno::Protonosupport,
            EPROTOTYPE => Errno::Prototype,
            ERANGE => Errno::Range,
            EROFS => Errno::Rofs,
            ESPIPE => Errno::Spipe,
            ESRCH => Errno::Srch,
            ESTALE => Errno::Stale,
            ETIMEDOUT => Errno::Timedout,
            ETXTBSY => Errno::Txtbsy,
            EXDEV => Errno::Xdev,
            _ => Errno::Io,
        }
    }

    /// The errno of the last failed libc call on this thread.
    pub(crate) fn last() -> Errno {
        Errno::from_host(
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        )
    }
}

impl From<std::io::Error> for Errno {
    fn from(err: std::io::Error) -> Errno {
        match err.raw_os_error() {
            Some(code) => Errno::from_host(code),
            None => match err.kind() {
                std::io::ErrorKind::NotFound => Errno::Noent,
                std::io::ErrorKind::PermissionDenied => Errno::Acces,
                std::io::ErrorKind::WouldBlock => Errno::Again,
                std::io::ErrorKind::InvalidInput => Errno::Inval,
                _ => Errno::Io,
            },
        }
    }
}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> std::io::Error {
        std::io::Error::other(e)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name().to_ascii_lowercase(), self.raw())
    }
}

impl std::error::Error for Errno {}

/// The outcome of a call to `proc_exit`: the guest asked to end with this exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasiExit(pub i32);

impl fmt::Display for WasiExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guest exited with code {}", self.0)
    }
}

impl std::error::Error for WasiExit {}

/// What every WASI function returns: the errno for the guest, or the guest's exit.
pub type WasiResult = Result<Errno, WasiExit>;

/// Turns the outcome of a function body into a [`WasiResult`].
pub(crate) fn finish(r: Result<(), Errno>) -> WasiResult {
    Ok(r.err().unwrap_or(Errno::Success))
}
