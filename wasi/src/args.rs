//! `args_*` and `environ_*`: the program arguments and environment, as NUL-terminated strings.

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiResult};
use crate::memory::GuestMemory;

/// Writes `items` as NUL-terminated strings to `buf` and their addresses to the array `ptrs`.
fn write_strings(
    m: &mut GuestMemory<'_>,
    items: impl Iterator<Item = Vec<u8>>,
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let mut at = buf;
    for (i, mut s) in items.enumerate() {
        s.push(0);
        m.write_u32(ptrs.checked_add(i as u32 * 4).ok_or(Errno::Fault)?, at)?;
        m.write(at, &s)?;
        at = at.checked_add(s.len() as u32).ok_or(Errno::Fault)?;
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
    fn env_strings(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        self.env
            .iter()
            .map(|(k, v)| format!("{k}={v}").into_bytes())
    }

    pub fn args_get(&mut self, mem: &mut [u8], argv: u32, argv_buf: u32) -> WasiResult {
        let args = self.args.iter().map(|a| a.as_bytes().to_vec());
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
        let lens = self.env_strings().map(|s| s.len());
        finish(write_sizes(
            &mut GuestMemory::new(mem),
            lens,
            count,
            buf_size,
        ))
    }
}
