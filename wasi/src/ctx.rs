//! The WASI state of one guest ([`WasiCtx`]) and its builder.

use std::fs::OpenOptions;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::fd_table::{FdEntry, FdKind, FdTable, Host, Stdio};
use crate::sys;
use crate::types::{rights, Filetype};

/// A host directory given to the guest under a name of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    /// The host directory, canonical (absolute, without symlinks).
    pub host_path: PathBuf,
    /// The name the guest sees (`fd_prestat_dir_name`), e.g. `/` or `.`.
    pub guest_path: String,
}

/// Everything a guest's WASI functions work on: arguments, environment, preopened directories
/// and the descriptor table. All of it is inspectable.
#[derive(Debug)]
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) preopens: Vec<Preopen>,
    pub(crate) fds: FdTable,
    pub(crate) exit_hook: ExitHook,
}

/// What the guest's `proc_exit` runs first, if anything (see [`WasiCtx::on_proc_exit`]).
#[derive(Default)]
pub(crate) struct ExitHook(pub(crate) Option<Box<dyn FnOnce(i32) + Send>>);

impl std::fmt::Debug for ExitHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ExitHook(set)"
        } else {
            "ExitHook(none)"
        })
    }
}

impl WasiCtx {
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// The program arguments, the program name first.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// The preopened directories, in the order given to the builder.
    pub fn preopens(&self) -> &[Preopen] {
        &self.preopens
    }

    /// The descriptor table.
    pub fn fds(&self) -> &FdTable {
        &self.fds
    }
}

/// Builds a [`WasiCtx`]: descriptors 0 to 2 are the standard streams, then come the
/// preopened directories in the order given, then the sockets.
#[derive(Debug, Default)]
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    dirs: Vec<(PathBuf, String)>,
    stdio: [Stdio; 3],
    sockets: Vec<OwnedFd>,
}

impl WasiCtxBuilder {
    /// Appends one argument (the first is the program name).
    pub fn arg(&mut self, arg: impl Into<String>) -> &mut Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<S: Into<String>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Gives the guest host directory `host` under the name `guest`.
    pub fn preopened_dir(&mut self, host: impl AsRef<Path>, guest: impl Into<String>) -> &mut Self {
        self.dirs.push((host.as_ref().to_path_buf(), guest.into()));
        self
    }

    pub fn stdin(&mut self, s: Stdio) -> &mut Self {
        self.stdio[0] = s;
        self
    }

    pub fn stdout(&mut self, s: Stdio) -> &mut Self {
        self.stdio[1] = s;
        self
    }

    pub fn stderr(&mut self, s: Stdio) -> &mut Self {
        self.stdio[2] = s;
        self
    }

    /// Hands the guest a host socket (listening or connected) as a descriptor of its own.
    pub fn preopened_socket(&mut self, socket: impl Into<OwnedFd>) -> &mut Self {
        self.sockets.push(socket.into());
        self
    }

    /// Opens the preopened directories and builds the context.
    pub fn build(&mut self) -> std::io::Result<WasiCtx> {
        let mut fds = FdTable::default();
        for (n, stdio) in std::mem::take(&mut self.stdio).into_iter().enumerate() {
            let (host, filetype) = match stdio {
                Stdio::Inherit => {
                    // SAFETY: the host's standard streams stay open for the life of the process.
                    let fd = unsafe { BorrowedFd::borrow_raw(n as i32) };
                    (Host::Inherit(n as i32), stream_filetype(fd))
                }
                Stdio::Pipe(p) => (Host::Pipe(p), Filetype::Unknown),
                Stdio::File(f) => {
                    let filetype = stream_filetype(f.as_fd());
                    (Host::Fd(f.into()), filetype)
                }
            };
            // Standard input is read, output and error are written.
            let direction = if n == 0 {
                rights::FD_WRITE
            } else {
                rights::FD_READ
            };
            let entry = FdEntry::new(
                FdKind::Stdio(n as u8),
                filetype,
                (rights::STDIO_BASE & !direction, 0),
                0,
                host,
            );
            fds.insert(entry)?;
        }
        let mut preopens = Vec::new();
        for (i, (host, guest)) in std::mem::take(&mut self.dirs).into_iter().enumerate() {
            let dir = OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
                .open(&host)?;
            let entry = FdEntry::new(
                FdKind::Preopen(i),
                Filetype::Directory,
                (rights::DIRECTORY_BASE, rights::DIRECTORY_INHERITING),
                0,
                Host::Fd(dir.into()),
            );
            fds.insert(entry)?;
            preopens.push(Preopen {
                host_path: host.canonicalize()?,
                guest_path: guest,
            });
        }
        for socket in std::mem::take(&mut self.sockets) {
            let ty = sys::socket_type(socket.as_fd())?;
            let filetype = if ty == libc::SOCK_DGRAM {
                Filetype::SocketDgram
            } else {
                Filetype::SocketStream
            };
            let entry = FdEntry::new(
                FdKind::Socket,
                filetype,
                (rights::SOCKET_BASE, rights::SOCKET_INHERITING),
                0,
                Host::Fd(socket),
            );
            fds.insert(entry)?;
        }
        Ok(WasiCtx {
            args: std::mem::take(&mut self.args),
            env: std::mem::take(&mut self.env),
            preopens,
            fds,
            exit_hook: ExitHook::default(),
        })
    }
}

/// A terminal is a character device; anything else (a file, a pipe) is reported as unknown,
/// since the guest may only stream through it.
fn stream_filetype(fd: BorrowedFd<'_>) -> Filetype {
    if sys::isatty(fd) {
        Filetype::CharacterDevice
    } else {
        Filetype::Unknown
    }
}
