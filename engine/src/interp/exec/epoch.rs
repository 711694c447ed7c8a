//! The `EpochCheck` instruction, which the translator puts at function entries and loop
//! headers when the engine asks for it (epoch interruption, or the auto tier), so that no
//! execution runs long without passing one.

use std::sync::atomic::Ordering;

use super::Ctx;
use crate::{Tier, TrapKind};

/// Traps with `Interrupt` once the engine's epoch reaches the store's deadline (with epoch
/// interruption on). In the auto tier it also notices compiled code that a background
/// compilation delivered, so that new calls switch over to it even while this frame (which
/// has no way to move into compiled code) keeps running here.
#[inline(always)]
pub(super) fn check(ctx: &mut Ctx<'_>) -> Result<(), TrapKind> {
    let inner = &*ctx.inner;
    let epoch = inner.engine.epoch().load(Ordering::Relaxed);
    if epoch >= inner.epoch_deadline || crate::jit::code_arrived(inner) {
        return slow(ctx, epoch);
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn slow(ctx: &mut Ctx<'_>, epoch: u64) -> Result<(), TrapKind> {
    let inner = &mut *ctx.inner;
    let config = inner.engine.config();
    if config.epoch_interruption && epoch >= inner.epoch_deadline {
        return Err(TrapKind::Interrupt);
    }
    if config.tier == Tier::Auto {
        crate::jit::sync(inner).map_err(|trap| trap.kind().clone())?;
    }
    Ok(())
}
