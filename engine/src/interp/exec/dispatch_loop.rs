//! Dispatch by a loop: a handler returns the registers to continue with, and the loop calls
//! the next handler. Used where tail calls are not guaranteed to become jumps.

use super::memory::MemView;
use super::slots::Slots;
use super::{Ctx, Handler, HANDLERS};
use crate::interp::code::Instr;

/// What a handler returns: where to continue, or that the run stopped.
pub(super) enum Flow {
    Next(*const Instr, Slots, MemView, u64),
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
pub(super) fn handler_for(pc: *const Instr) -> Handler {
    // SAFETY: `pc` points at an instruction of the running function: the translator ends every
    // path with a branch, return or trap and only emits branch targets inside the code, and
    // frames resume at indices the executor saved.
    HANDLERS[super::opcode(unsafe { &*pc }) % super::OPCODES]
}

pub(super) fn execute(
    ctx: &mut Ctx<'_>,
    mut pc: *const Instr,
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
