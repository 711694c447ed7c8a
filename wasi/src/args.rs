//! `args_*` and `environ_*`: the program arguments and environment, as NUL-terminated strings.

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::memory::GuestMemory;

/// Writes `items`, each the concatenation of its parts, as NUL-terminated strings to `buf` and
/// their addresses to the array `ptrs`.
fn write_strings<'s, P: IntoIterator<Item = &'s [u8]>>(
    m: &mut GuestMemory<'_>,
    items: impl Iterator<Item = P>,
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let mut at = buf;
    for (i, parts) in items.enumerate() {
        m.write_u32(ptrs.checked_add(i as u32 * 4).ok_or(Errno::Fault)?, at)?;
        for part in parts.into_iter().chain([&[0u8][..]]) {
            m.write(at, part)?;
            at = at.checked_add(part.len() as u32).ok_or(Errno::Fault)?;
        }
    }
    Ok(())
}

/// Writes the count of `items` and their total size, NUL terminators included.
fn write_sizes(
    m: &mut GuestMemory<'_>,
    items: impl Iterator<Item = usize>,
    count: u32,
    size: u32,
) -> Result<(), Errno> {
    let (n, total) = items.fold((0u32, 0u32), |(n, t), len| {
        (n + 1, t.saturating_add(len as u32).saturating_add(1))
    });
    m.write_u32(count, n)?;
    m.write_u32(size, total)
}

impl WasiCtx {
    /// The environment as `KEY=VALUE` strings, in parts: the guest may ask for it at every
    /// I/O call (CPython 3.12's wasi-libc build does), so nothing is allocated per call.
    fn env_strings(&self) -> impl Iterator<Item = [&[u8]; 3]> + '_ {
        (self.env.iter()).map(|(k, v)| [k.as_bytes(), b"=", v.as_bytes()])
    }

    pub fn args_get(&mut self, mem: &mut [u8], argv: u32, argv_buf: u32) -> WasiResult {
        let args = self.args.iter().map(|a| [a.as_bytes()]);
        finish(write_strings(
            &mut GuestMemory::new(mem),
            args,
            argv,
            argv_buf,
        ))
    }

    pub fn args_sizes_get(&mut self, mem: &mut [u8], argc: u32, argv_buf_size: u32) -> WasiResult {
        let lens = self.args.iter().map(String::len);
        finish(write_sizes(
            &mut GuestMemory::new(mem),
            lens,
            argc,
            argv_buf_size,
        ))
    }

    pub fn environ_get(&mut self, mem: &mut [u8], environ: u32, environ_buf: u32) -> WasiResult {
        finish(write_strings(
            &mut GuestMemory::new(mem),
            self.env_strings(),
            environ,
            environ_buf,
        ))
    }

    pub fn environ_sizes_get(&mut self, mem: &mut [u8], count: u32, buf_size: u32) -> WasiResult {
        let lens = self
            .env_strings()
            .map(|parts| parts.iter().map(|p| p.len()).sum());
        finish(write_sizes(
            &mut GuestMemory::new(mem),
            lens,
            count,
            buf_size,
        ))
    }
}
