//! `clock_res_get` and `clock_time_get`.

use crate::ctx::WasiCtx;
use crate::errno::{finish, WasiResult};
use crate::memory::GuestMemory;
use crate::sys;

impl WasiCtx {
    pub fn clock_res_get(&mut self, mem: &mut [u8], id: u32, resolution: u32) -> WasiResult {
        finish(sys::clock_res(id).and_then(|r| GuestMemory::new(mem).write_u64(resolution, r)))
    }

    pub fn clock_time_get(
        &mut self,
        mem: &mut [u8],
        id: u32,
        _precision: u64,
        time: u32,
    ) -> WasiResult {
        finish(sys::clock_time(id).and_then(|t| GuestMemory::new(mem).write_u64(time, t)))
    }
}
