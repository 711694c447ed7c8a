//! WASI state in engine snapshots.
//!
//! A snapshot of a guest holds its WASI state next to the engine's: which descriptors are open
//! and what each one is, by guest-visible identity only (standard stream `n`, the preopen named
//! `/tmp`). Host resources are bound anew on restore: this run's standard streams, this run's
//! host directory for each preopen name, this run's arguments and environment. Rights, flags
//! and descriptor numbers are the guest's and come back as they were, since the guest
//! (wasi-libc) has cached them in its memory.
//!
//! Descriptors a snapshot cannot rebind (files and directories the guest opened, sockets) make
//! [`encode_state`] fail: the embedder picks a capture point where none is open.
//!
//! [`hook_reads`] provides a capture point: the guest's first read of a descriptor (standard
//! input, where the guest asks for its work) runs an embedder hook first, which takes the
//! snapshot there. On restore that same read is made again, and finds this run's work queued
//! ahead of this run's standard input ([`WasiCtx::prefix_input`]). Standard input is the one
//! channel every guest reaches directly: the 3.12 CPython build virtualises all other
//! descriptors in its own file system layer (wasi-vfs), which only knows those it saw at start.

use std::io;
use std::path::PathBuf;

use flint_engine::{Caller, Error, Linker, Trap};

use crate::ctx::WasiCtx;
use crate::fd_table::{FdKind, Stdio};
use crate::linker::{call, MODULE};

/// Bumped whenever the encoding below changes.
const STATE_VERSION: u32 = 1;

impl WasiCtx {
    /// Queues `bytes` for the guest to read from descriptor `fd` before anything from the
    /// host stream behind it, e.g. the work of a restored run ahead of its standard input.
    pub fn prefix_input(&mut self, fd: u32, bytes: &[u8]) -> io::Result<()> {
        let entry = self
            .fds
            .get_mut(fd)
            .map_err(|_| io::Error::other(format!("descriptor {fd} is not open")))?;
        entry.input.splice(0..0, bytes.iter().copied());
        Ok(())
    }
}

/// Encodes the guest-visible WASI state of `ctx` for a snapshot.
pub fn encode_state(ctx: &WasiCtx) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    put_u32(&mut out, STATE_VERSION);
    put_u32(&mut out, ctx.preopens.len() as u32);
    for p in &ctx.preopens {
        put_bytes(&mut out, p.guest_path.as_bytes());
    }
    let entries: Vec<_> = ctx.fds.iter().collect();
    put_u32(&mut out, entries.len() as u32);
    for (fd, e) in entries {
        let (kind, arg) = match e.kind {
            FdKind::Stdio(n) => (0, u32::from(n)),
            FdKind::Preopen(i) => (1, i as u32),
            FdKind::Path { ref rel, .. } => {
                return Err(io::Error::other(format!(
                    "descriptor {fd} ({}) is open; a snapshot can only hold standard streams \
                     and preopened directories",
                    rel.display()
                )))
            }
            FdKind::Socket => {
                return Err(io::Error::other(format!(
                    "descriptor {fd} is a socket, which a snapshot cannot hold"
                )))
            }
        };
        put_u32(&mut out, fd);
        out.push(kind);
        put_u32(&mut out, arg);
        out.extend_from_slice(&e.rights_base.to_le_bytes());
        out.extend_from_slice(&e.rights_inheriting.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
    }
    Ok(out)
}

/// This run's host resources for a snapshot's WASI state.
#[derive(Debug, Default)]
pub struct Rebind {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdio: [Stdio; 3],
    /// (guest name, host directory) for every preopen of the snapshot.
    pub dirs: Vec<(String, PathBuf)>,
}

/// Rebuilds a [`WasiCtx`] from a snapshot's state (see [`encode_state`]) and this run's
/// resources. Fails if the state is damaged or a preopen has no host directory in `rebind`.
pub fn restore_state(state: &[u8], mut rebind: Rebind) -> io::Result<WasiCtx> {
    let mut r = StateReader { data: state };
    if r.u32()? != STATE_VERSION {
        return Err(bad("WASI state of another version"));
    }
    let n = r.u32()?;
    let mut builder = WasiCtx::builder();
    builder.args(rebind.args).stdin(take(&mut rebind.stdio, 0));
    builder
        .stdout(take(&mut rebind.stdio, 1))
        .stderr(take(&mut rebind.stdio, 2));
    for (k, v) in rebind.env {
        builder.env(k, v);
    }
    for _ in 0..n {
        let name = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| bad("preopen name"))?;
        let host = rebind
            .dirs
            .iter()
            .find(|(guest, _)| *guest == name)
            .map(|(_, host)| host)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no host directory for the snapshot's preopen `{name}`"),
                )
            })?;
        builder.preopened_dir(host, name);
    }
    let mut ctx = builder.build()?;
    let n = r.u32()?;
    let mut kept = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let fd = r.u32()?;
        let kind = match (r.u8()?, r.u32()?) {
            (0, n @ 0..=2) => FdKind::Stdio(n as u8),
            (1, i) => FdKind::Preopen(i as usize),
            _ => return Err(bad("descriptor kind")),
        };
        let entry = ctx
            .fds
            .get_mut(fd)
            .ok()
            .filter(|e| e.kind == kind)
            .ok_or_else(|| bad("descriptor layout differs from the snapshot's"))?;
        entry.rights_base = r.u64()?;
        entry.rights_inheriting = r.u64()?;
        entry.flags = r.u16()?;
        kept.push(fd);
    }
    if !r.data.is_empty() {
        return Err(bad("trailing bytes"));
    }
    // Standard streams the guest had closed before the snapshot stay closed.
    let closed: Vec<u32> = ctx
        .fds
        .iter()
        .map(|(fd, _)| fd)
        .filter(|fd| !kept.contains(fd))
        .collect();
    for fd in closed {
        ctx.fds.remove(fd).map_err(|_| bad("descriptor table"))?;
    }
    Ok(ctx)
}

fn take(stdio: &mut [Stdio; 3], n: usize) -> Stdio {
    std::mem::take(&mut stdio[n])
}

/// Runs `hook` whenever the guest reads descriptor `fd`, before the read itself: the capture
/// point of a snapshot. Replaces the `fd_read` that [`crate::add_to_linker`] defined (so it
/// turns on shadowing in `linker`); a hook that returns a trap stops the guest there.
pub fn hook_reads<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasiCtx,
    fd: u32,
    hook: impl Fn(&mut Caller<'_, T>) -> Result<(), Trap> + Send + Sync + 'static,
) -> Result<(), Error> {
    linker.allow_shadowing(true);
    linker.func_wrap(
        MODULE,
        "fd_read",
        move |mut caller: Caller<'_, T>, read_fd: u32, iovs: u32, iovs_len: u32, nread: u32| {
            if read_fd == fd {
                hook(&mut caller)?;
            }
            call(&mut caller, get, |ctx, mem| {
                ctx.fd_read(mem, read_fd, iovs, iovs_len, nread)
            })
        },
    )?;
    Ok(())
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u32(out, b.len() as u32);
    out.extend_from_slice(b);
}

fn bad(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("damaged WASI state in snapshot: {what}"),
    )
}

struct StateReader<'a> {
    data: &'a [u8],
}

impl<'a> StateReader<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if n > self.data.len() {
            return Err(bad("truncated"));
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> io::Result<u16> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }

    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn bytes(&mut self) -> io::Result<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fd_table::{FdEntry, Host, MemoryPipe};
    use crate::types::Filetype;

    fn ctx_with(dir: &std::path::Path) -> WasiCtx {
        WasiCtx::builder()
            .stdin(Stdio::Pipe(MemoryPipe::default()))
            .stdout(Stdio::Pipe(MemoryPipe::default()))
            .preopened_dir(dir, "/")
            .preopened_dir(dir, "/tmp")
            .build()
            .unwrap()
    }

    #[test]
    fn round_trip_rebinds_host_resources() {
        let (a, b) = (std::env::temp_dir(), std::env::current_dir().unwrap());
        let mut ctx = ctx_with(a.as_path());
        ctx.fds.get_mut(1).unwrap().flags = 1;
        ctx.fds.remove(2).unwrap();
        let state = encode_state(&ctx).unwrap();

        let restored = restore_state(
            &state,
            Rebind {
                args: vec!["prog".into(), "x".into()],
                env: vec![("K".into(), "V".into())],
                dirs: vec![
                    ("/tmp".into(), b.as_path().into()),
                    ("/".into(), a.as_path().into()),
                ],
                ..Rebind::default()
            },
        )
        .unwrap();
        assert_eq!(restored.args(), ["prog", "x"]);
        assert_eq!(restored.env(), [("K".to_string(), "V".to_string())]);
        let names: Vec<_> = restored
            .preopens()
            .iter()
            .map(|p| p.guest_path.as_str())
            .collect();
        assert_eq!(names, ["/", "/tmp"]);
        assert_eq!(
            restored.preopens()[1].host_path,
            b.as_path().canonicalize().unwrap()
        );
        let fds: Vec<_> = restored
            .fds()
            .iter()
            .map(|(fd, e)| (fd, e.kind.clone()))
            .collect();
        assert_eq!(
            fds,
            [
                (0, FdKind::Stdio(0)),
                (1, FdKind::Stdio(1)),
                (3, FdKind::Preopen(0)),
                (4, FdKind::Preopen(1)),
            ]
        );
        assert_eq!(restored.fds().get(1).unwrap().flags, 1);
    }

    #[test]
    fn prefixed_input_comes_first() {
        let input = MemoryPipe::new(b" then stdin".to_vec());
        let mut ctx = WasiCtx::builder()
            .stdin(Stdio::Pipe(input))
            .build()
            .unwrap();
        ctx.prefix_input(0, b"work").unwrap();
        let mut mem = vec![0u8; 64];
        // One iovec at 0: buffer at 16, 8 bytes; the count goes to 8.
        mem[..4].copy_from_slice(&16u32.to_le_bytes());
        mem[4..8].copy_from_slice(&8u32.to_le_bytes());
        let mut got = Vec::new();
        loop {
            ctx.fd_read(&mut mem, 0, 0, 1, 8).unwrap();
            let n = u32::from_le_bytes(mem[8..12].try_into().unwrap()) as usize;
            if n == 0 {
                break;
            }
            got.push(String::from_utf8(mem[16..16 + n].to_vec()).unwrap());
        }
        assert_eq!(got, ["work", " then st", "din"]);
        assert!(ctx.prefix_input(7, b"x").is_err());
    }

    #[test]
    fn missing_preopen_and_damage_are_errors() {
        let a = std::env::temp_dir();
        let state = encode_state(&ctx_with(a.as_path())).unwrap();
        let err = restore_state(&state, Rebind::default()).unwrap_err();
        assert!(err.to_string().contains("no host directory"), "{err}");
        for cut in [0, 3, state.len() - 1] {
            let dirs = vec![("/".into(), a.clone()), ("/tmp".into(), a.clone())];
            let rebind = Rebind {
                dirs,
                ..Rebind::default()
            };
            let err = restore_state(&state[..cut], rebind).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
        }
    }

    #[test]
    fn open_files_cannot_be_captured() {
        let a = std::env::temp_dir();
        let mut ctx = ctx_with(a.as_path());
        let dir = ctx
            .fds
            .get(3)
            .unwrap()
            .host_fd()
            .unwrap()
            .try_clone_to_owned()
            .unwrap();
        ctx.fds
            .insert(FdEntry::new(
                FdKind::Path {
                    preopen: 0,
                    rel: "f.txt".into(),
                },
                Filetype::RegularFile,
                (0, 0),
                0,
                Host::Fd(dir),
            ))
            .unwrap();
        let err = encode_state(&ctx).unwrap_err();
        assert!(err.to_string().contains("f.txt"), "{err}");
    }
}
