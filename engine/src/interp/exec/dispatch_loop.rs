//! Dispatch by a loop: a handler returns the registers to continue with, and the loop calls
//! the next handler. Used where tail calls are not guaranteed to become jumps.

use super::memory::MemView;
use super::slots::Slots;
use super::{Ctx, Handler, Op};

/// What a handler returns: where to continue, or that the run stopped.
pub(super) enum Flow {
    Next(*const Op, Slots, MemView, u64),
    Stop,
}

/// Continues with the instruction at `pc`.
macro_rules! next {
    ($ctx:ident, $pc:ident, $s:ident, $mem:ident, $acc:ident) => {
        return $crate::interp::exec::dispatch::Flow::Next($pc, $s, $mem, $acc)
    };
}

pub(super) fn stop() -> Flow {
    Flow::Stop
}

#[inline(always)]
pub(super) fn handler_for(pc: *const Op) -> Handler {
    // SAFETY: `pc` points at an instruction of the running function: the translator ends every
    // path with a branch, return or trap and only emits branch targets inside the code, and
    // frames resume at indices the executor saved.
    unsafe { (*pc).handler }
}

pub(super) fn execute(
    ctx: &mut Ctx<'_>,
    mut pc: *const Op,
    mut s: Slots,
    mut mem: MemView,
    mut acc: u64,
) {
    while let Flow::Next(next_pc, next_s, next_mem, next_acc) =
        handler_for(pc)(ctx, pc, s, mem, acc)
    {
        (pc, s, mem, acc) = (next_pc, next_s, next_mem, next_acc);
    }
}
