//! Moves between slots, constants, `select`, and globals. Globals are addressed by the
//! running instance's module index; a global's cell is 128 bits wide, and every type but
//! `v128` uses its low 64 bits.

use super::Ctx;

pub(super) fn global_index(ctx: &Ctx<'_>, global: u32) -> usize {
    ctx.inner.instances[ctx.instance as usize].globals[global as usize] as usize
}

handlers! { |ctx, pc, s, mem, acc|
    Copy { dst, src } => {
        put!(s, acc, dst, s.get(src));
    }
    CopyA { dst } => {
        put!(s, acc, dst, acc);
    }
    CopySpan { dst, src, len } => {
        for i in 0..len {
            s.set(dst + i, s.get(src + i));
        }
    }
    Const { dst, value } => {
        put!(s, acc, dst, value);
    }
    Select { dst, cond, other } => {
        if s.read::<u32>(cond) == 0 {
            s.set(dst, s.get(other));
        }
    }
    GlobalGet { dst, global } => {
        let index = global_index(ctx, global);
        put!(s, acc, dst, ctx.inner.globals[index].value as u64);
    }
    GlobalSet { src, global } => {
        let index = global_index(ctx, global);
        ctx.inner.globals[index].value = s.get(src) as u128;
    }
    GlobalSetA { global } => {
        let index = global_index(ctx, global);
        ctx.inner.globals[index].value = acc as u128;
    }
}
