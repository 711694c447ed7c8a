//! Dispatch by tail calls: a handler jumps straight to the next instruction's handler. Only
//! built when the compiler is known to turn these calls into jumps (an optimizing build on a
//! target where it does; see `build.rs`), as otherwise every instruction would take stack.

use super::memory::MemView;
use super::slots::Slots;
use super::{Ctx, Handler, Op};

/// What a handler returns: only the handler that stops the run returns at all.
pub(super) struct Flow(());

/// Continues with the instruction at `pc`.
macro_rules! next {
    ($ctx:ident, $pc:ident, $s:ident, $mem:ident, $acc:ident) => {
        return $crate::interp::exec::dispatch::handler_for($pc)($ctx, $pc, $s, $mem, $acc)
    };
}

pub(super) fn stop() -> Flow {
    Flow(())
}

#[inline(always)]
pub(super) fn handler_for(pc: *const Op) -> Handler {
    // SAFETY: `pc` points at an instruction of the running function: the translator ends every
    // path with a branch, return or trap and only emits branch targets inside the code, and
    // frames resume at indices the executor saved.
    unsafe { (*pc).handler }
}

pub(super) fn execute(ctx: &mut Ctx<'_>, pc: *const Op, s: Slots, mem: MemView, acc: u64) {
    handler_for(pc)(ctx, pc, s, mem, acc);
}
