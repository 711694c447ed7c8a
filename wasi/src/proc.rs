//! `proc_exit`, `proc_raise`, `sched_yield` and `random_get`.

use crate::ctx::WasiCtx;
use crate::errno::{finish, Errno, WasiExit, WasiResult};
use crate::memory::GuestMemory;
use crate::sys;

impl WasiCtx {
    /// Always `Err`: the guest asked to stop with exit code `code`. Runs the hook given to
    /// [`WasiCtx::on_proc_exit`] first.
    pub fn proc_exit(&mut self, _mem: &mut [u8], code: u32) -> WasiResult {
        if let Some(hook) = self.exit_hook.0.take() {
            hook(code as i32);
        }
        Err(WasiExit(code as i32))
    }

    /// Has `proc_exit` call `hook` with the guest's exit code before the call ends the guest.
    /// A host whose process ends with the guest can exit in the hook, and so skip unwinding the
    /// guest's stack: a trap out of compiled code (a signal) and through every frame the guest
    /// has, each recorded for the trap's backtrace.
    pub fn on_proc_exit(&mut self, hook: impl FnOnce(i32) + Send + 'static) {
        self.exit_hook.0 = Some(Box::new(hook));
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
