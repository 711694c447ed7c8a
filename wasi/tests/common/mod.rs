//! A fake guest for the tests: a linear memory, a bump allocator in it, and helpers that call
//! the [`WasiCtx`] methods the way a guest's libc would.

// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use flint_wasi::types::{oflags, rights};
use flint_wasi::{Errno, MemoryPipe, Stdio, WasiCtx, WasiCtxBuilder};

/// Turns an errno into a `Result`.
pub fn ok(r: flint_wasi::WasiResult) -> Result<(), Errno> {
    match r.expect("unexpected proc_exit") {
        Errno::Success => Ok(()),
        e => Err(e),
    }
}

/// A temporary folder `top` holding the preopened folder `top/root` and, beside it, a file
/// `top/secret` that the guest must never reach.
pub struct Sandbox {
    pub top: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let top =
            std::env::temp_dir().join(format!("flint-wasi-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&top);
        fs::create_dir_all(top.join("root/sub")).unwrap();
        fs::write(top.join("secret"), b"outside").unwrap();
        fs::write(top.join("root/file"), b"hello world").unwrap();
        Sandbox { top }
    }

    pub fn root(&self) -> PathBuf {
        self.top.join("root")
    }

    /// Creates a symlink `root/at` pointing at `target`.
    pub fn symlink(&self, at: &str, target: impl AsRef<Path>) {
        std::os::unix::fs::symlink(target, self.root().join(at)).unwrap();
    }

    /// Checks that the file outside is untouched.
    pub fn assert_secret_intact(&self) {
        assert_eq!(fs::read(self.top.join("secret")).unwrap(), b"outside");
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.top);
    }
}

pub const ROOT_FD: u32 = 3;
const MEM_SIZE: usize = 1 << 20;
const HEAP_START: u32 = 1024;

/// The guest: its WASI state, its memory, and a bump allocator.
pub struct Guest {
    pub ctx: WasiCtx,
    pub mem: Vec<u8>,
    top: u32,
    pub stdout: MemoryPipe,
}

impl Guest {
    /// A guest with `root` preopened as `/` (descriptor 3) and captured standard streams.
    pub fn new(root: &Path) -> Guest {
        Guest::with(root, |_| {})
    }

    pub fn with(root: &Path, extra: impl FnOnce(&mut WasiCtxBuilder)) -> Guest {
        let stdout = MemoryPipe::default();
        let mut b = WasiCtx::builder();
        b.arg("prog")
            .stdin(Stdio::Pipe(MemoryPipe::new(b"input".to_vec())))
            .stdout(Stdio::Pipe(stdout.clone()))
            .stderr(Stdio::Pipe(MemoryPipe::default()))
            .preopened_dir(root, "/");
        extra(&mut b);
        Guest {
            ctx: b.build().unwrap(),
            mem: vec![0; MEM_SIZE],
            top: HEAP_START,
            stdout,
        }
    }

    /// Copies `bytes` into memory; returns the address.
    pub fn put(&mut self, bytes: &[u8]) -> u32 {
        let at = self.top;
        self.mem[at as usize..at as usize + bytes.len()].copy_from_slice(bytes);
        self.top += (bytes.len() as u32 + 7) & !7;
        at
    }

    /// Reserves `n` zeroed bytes; returns the address.
    pub fn reserve(&mut self, n: u32) -> u32 {
        self.put(&vec![0; n as usize])
    }

    pub fn u32_at(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.mem[at as usize..at as usize + 4].try_into().unwrap())
    }

    pub fn u64_at(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.mem[at as usize..at as usize + 8].try_into().unwrap())
    }

    pub fn bytes_at(&self, at: u32, len: u32) -> &[u8] {
        &self.mem[at as usize..(at + len) as usize]
    }

    /// `path_open` with explicit flags.
    pub fn open_with(
        &mut self,
        dir: u32,
        follow: bool,
        path: &str,
        oflags: u16,
        base: u64,
        fdflags: u16,
    ) -> Result<u32, Errno> {
        let p = self.put(path.as_bytes());
        let out = self.reserve(4);
        let r = self.ctx.path_open(
            &mut self.mem,
            dir,
            u32::from(follow),
            p,
            path.len() as u32,
            u32::from(oflags),
            base,
            rights::ALL,
            u32::from(fdflags),
            out,
        );
        ok(r).map(|()| self.u32_at(out))
    }

    /// Opens `path` below the root for reading and writing, following symlinks.
    pub fn open(&mut self, path: &str) -> Result<u32, Errno> {
        self.open_with(ROOT_FD, true, path, 0, rights::ALL, 0)
    }

    pub fn create(&mut self, path: &str) -> Result<u32, Errno> {
        self.open_with(ROOT_FD, false, path, oflags::CREAT, rights::ALL, 0)
    }

    /// Calls a `path_*` function that takes `(fd, path, path_len)`.
    pub fn path_op(
        &mut self,
        f: fn(&mut WasiCtx, &mut [u8], u32, u32, u32) -> flint_wasi::WasiResult,
        path: &str,
    ) -> Result<(), Errno> {
        let p = self.put(path.as_bytes());
        ok(f(
            &mut self.ctx,
            &mut self.mem,
            ROOT_FD,
            p,
            path.len() as u32,
        ))
    }

    pub fn filestat(&mut self, path: &str, follow: bool) -> Result<flint_wasi::Filestat, Errno> {
        let p = self.put(path.as_bytes());
        let buf = self.reserve(64);
        let r = self.ctx.path_filestat_get(
            &mut self.mem,
            ROOT_FD,
            u32::from(follow),
            p,
            path.len() as u32,
            buf,
        );
        ok(r)?;
        Ok(flint_wasi::Filestat {
            dev: self.u64_at(buf),
            ino: self.u64_at(buf + 8),
            filetype: filetype(self.mem[buf as usize + 16]),
            nlink: self.u64_at(buf + 24),
            size: self.u64_at(buf + 32),
            atim: self.u64_at(buf + 40),
            mtim: self.u64_at(buf + 48),
            ctim: self.u64_at(buf + 56),
        })
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), Errno> {
        let (a, b) = (self.put(from.as_bytes()), self.put(to.as_bytes()));
        let r = self.ctx.path_rename(
            &mut self.mem,
            ROOT_FD,
            a,
            from.len() as u32,
            ROOT_FD,
            b,
            to.len() as u32,
        );
        ok(r)
    }

    pub fn link(&mut self, from: &str, to: &str) -> Result<(), Errno> {
        let (a, b) = (self.put(from.as_bytes()), self.put(to.as_bytes()));
        let r = self.ctx.path_link(
            &mut self.mem,
            ROOT_FD,
            0,
            a,
            from.len() as u32,
            ROOT_FD,
            b,
            to.len() as u32,
        );
        ok(r)
    }

    pub fn symlink(&mut self, target: &str, at: &str) -> Result<(), Errno> {
        let (a, b) = (self.put(target.as_bytes()), self.put(at.as_bytes()));
        let r = self.ctx.path_symlink(
            &mut self.mem,
            a,
            target.len() as u32,
            ROOT_FD,
            b,
            at.len() as u32,
        );
        ok(r)
    }

    pub fn readlink(&mut self, path: &str) -> Result<Vec<u8>, Errno> {
        let p = self.put(path.as_bytes());
        let (buf, used) = (self.reserve(256), self.reserve(4));
        let r =
            self.ctx
                .path_readlink(&mut self.mem, ROOT_FD, p, path.len() as u32, buf, 256, used);
        ok(r)?;
        Ok(self.bytes_at(buf, self.u32_at(used)).to_vec())
    }

    /// `fd_write` of one buffer.
    pub fn write(&mut self, fd: u32, data: &[u8]) -> Result<u32, Errno> {
        let buf = self.put(data);
        let iov = self.put(&[buf.to_le_bytes(), (data.len() as u32).to_le_bytes()].concat());
        let n = self.reserve(4);
        ok(self.ctx.fd_write(&mut self.mem, fd, iov, 1, n)).map(|()| self.u32_at(n))
    }

    /// `fd_read` into one buffer of `len` bytes.
    pub fn read(&mut self, fd: u32, len: u32) -> Result<Vec<u8>, Errno> {
        let buf = self.reserve(len);
        let iov = self.put(&[buf.to_le_bytes(), len.to_le_bytes()].concat());
        let n = self.reserve(4);
        ok(self.ctx.fd_read(&mut self.mem, fd, iov, 1, n))?;
        Ok(self.bytes_at(buf, self.u32_at(n)).to_vec())
    }

    pub fn seek(&mut self, fd: u32, offset: i64, whence: u8) -> Result<u64, Errno> {
        let out = self.reserve(8);
        ok(self
            .ctx
            .fd_seek(&mut self.mem, fd, offset, u32::from(whence), out))
        .map(|()| self.u64_at(out))
    }

    /// `fd_fdstat_get`: (filetype, flags, base rights, inheriting rights).
    pub fn fdstat(&mut self, fd: u32) -> Result<(u8, u16, u64, u64), Errno> {
        let buf = self.reserve(24);
        ok(self.ctx.fd_fdstat_get(&mut self.mem, fd, buf))?;
        let flags = u16::from_le_bytes([self.mem[buf as usize + 2], self.mem[buf as usize + 3]]);
        Ok((
            self.mem[buf as usize],
            flags,
            self.u64_at(buf + 8),
            self.u64_at(buf + 16),
        ))
    }

    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        ok(self.ctx.fd_close(&mut self.mem, fd))
    }
}

fn filetype(raw: u8) -> flint_wasi::types::Filetype {
    use flint_wasi::types::Filetype::*;
    [
        Unknown,
        BlockDevice,
        CharacterDevice,
        Directory,
        RegularFile,
        SocketDgram,
        SocketStream,
        SymbolicLink,
    ][raw as usize]
}
