//! `proc_exit`, `proc_raise`, `sched_yield` and `random_get`.

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiExit, WasiResult};
use crate::memory::GuestMemory;
use crate::sys;

impl WasiCtx {
    /// Always `Err`: the guest asked to stop with exit code `code`.
    pub fn proc_exit(&mut self, _mem: &mut [u8], code: u32) -> WasiResult {
        Err(WasiExit(code as i32))
    }

    /// Signals are not part of the sandbox: always `ENOSYS`.
    pub fn proc_raise(&mut self, _mem: &mut [u8], _signal: u32) -> WasiResult {
        Ok(Errno::Nosys)
    }

    pub fn sched_yield(&mut self, _mem: &mut [u8]) -> WasiResult {
        std::thread::yield_now();
        Ok(Errno::Success)
    }

    pub fn random_get(&mut self, mem: &mut [u8], buf: u32, len: u32) -> WasiResult {
        finish(
            GuestMemory::new(mem)
                .slice_mut(buf, len)
                .and_then(sys::getrandom),
        )
    }
}
