//! Control instructions: traps, branches (plain, through a table, or fused with an integer
//! comparison), calls and returns.

use super::call::{self, Next};
use super::dispatch::{self, Flow};
use super::memory::MemView;
use super::slots::Slots;
use super::{epoch, forwarded, imm32, imm64, int, table, trap, Ctx, Op, Regs};
use crate::TrapKind;

/// Continues with the registers a return gives, or stops the run.
macro_rules! switch_to {
    ($ctx:ident, $pc:ident, $s:ident, $mem:ident, $acc:ident, $next:expr) => {
        match $next {
            Next::Run(regs) => {
                $pc = regs.pc;
                $s = regs.slots;
                $mem = regs.mem;
            }
            Next::Stop => return super::dispatch::stop(),
            Next::General => return return_general($ctx, $pc, $s, $mem, $acc),
        }
    };
}

/// The returns `call::ret` does not complete; tail-called like `call_general`.
#[inline(never)]
fn return_general(ctx: &mut Ctx<'_>, _: *const Op, _: Slots, mem: MemView, acc: u64) -> Flow {
    call::ret_general(ctx, mem);
    let Regs { pc, slots: s, mem } = ctx.resume;
    next!(ctx, pc, s, mem, acc)
}

/// Takes a conditional branch, dispatching its target from a jump of its own. Otherwise the
/// compiler may select the next instruction's address with a conditional move, which makes
/// every later instruction's operands wait for the comparison instead of following the
/// branch predictor.
macro_rules! branch {
    ($ctx:ident, $pc:ident, $s:ident, $mem:ident, $acc:ident, $offset:expr) => {{
        let target = $pc.wrapping_offset($offset as isize);
        next!($ctx, target, $s, $mem, $acc)
    }};
}

/// The calls `call::enter` does not make, for the `Call` and `CallIndirect` handlers: the
/// callee and argument slot are in `ctx.pending_call`. Tail-called with the handler's own
/// arguments, so that the handler's common path needs no stack frame.
#[inline(never)]
fn call_general(ctx: &mut Ctx<'_>, pc: *const Op, _: Slots, mem: MemView, acc: u64) -> Flow {
    let (func, base) = ctx.pending_call;
    if !call::call(ctx, pc, func, base, mem) {
        return dispatch::stop();
    }
    let Regs { pc, slots: s, mem } = ctx.resume;
    next!(ctx, pc, s, mem, acc)
}

handlers! { |ctx, pc, s, mem, acc|
    Unreachable => {
        return trap(ctx, TrapKind::Unreachable);
    }
    EpochCheck => {
        trap_on!(ctx, epoch::check(ctx));
    }
    Br { offset } => {
        pc = pc.wrapping_offset(offset as isize);
    }
    BrIfNez { cond, offset } => {
        if s.read::<u32>(cond) != 0 {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfEqz { cond, offset } => {
        if s.read::<u32>(cond) == 0 {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfNezA { offset } => {
        if forwarded::<u32>(acc) != 0 {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfEqzA { offset } => {
        if forwarded::<u32>(acc) == 0 {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrTable { index, len } => {
        // Dispatching the entry, rather than jumping straight to where it leads, measured
        // faster on a kernel dispatching through `br_table`: two indirect jumps, the first
        // always to the same handler, predict better than one to many places.
        pc = pc.wrapping_add(s.read::<u32>(index).min(len) as usize);
    }
    Return => {
        switch_to!(ctx, pc, s, mem, acc, call::ret(ctx, mem));
    }
    Return1 { src } => {
        s.set(0, s.get(src));
        switch_to!(ctx, pc, s, mem, acc, call::ret(ctx, mem));
    }
    Return1A => {
        s.set(0, acc);
        switch_to!(ctx, pc, s, mem, acc, call::ret(ctx, mem));
    }
    ReturnSpan { src, len } => {
        for i in 0..len {
            s.set(i, s.get(src + i));
        }
        switch_to!(ctx, pc, s, mem, acc, call::ret(ctx, mem));
    }
    Call { func, base } => {
        // No instruction takes a forwarded value from a call or at a function's entry, so the
        // register is free: dropping its value here leaves the fast path one more register.
        acc = 0;
        let func = ctx.inner.instances[ctx.instance as usize].funcs[func as usize];
        match call::enter(ctx, pc, func, base, mem) {
            Some(regs) => (pc, s) = (regs.pc, regs.slots),
            None => {
                ctx.pending_call = (func, base);
                return call_general(ctx, pc, s, mem, acc);
            }
        }
    }
    CallIndirect { table, base, index, type_id } => {
        // As for `Call`.
        acc = 0;
        let callee = table::indirect_callee(ctx, table as u32, s.read(index), type_id);
        let func = trap_on!(ctx, callee);
        match call::enter(ctx, pc, func, base, mem) {
            Some(regs) => (pc, s) = (regs.pc, regs.slots),
            None => {
                ctx.pending_call = (func, base);
                return call_general(ctx, pc, s, mem, acc);
            }
        }
    }
    I32StepBrIfLtS { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_lt_s(value, s.read(bound)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    I32StepBrIfLtU { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_lt_u(value as u32, s.read(bound)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    I32StepBrIfNe { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_ne(value as u32, s.read(bound)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    I32StepBrIfLtSImm { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_lt_s(value, bound) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    I32StepBrIfLtUImm { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_lt_u(value as u32, bound as u32) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    I32StepBrIfNeImm { imm, slot, bound, offset } => {
        let value = int::i32_add(s.read(slot), imm as i32);
        put!(s, acc, slot, value);
        if int::i32_ne(value as u32, bound as u32) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32Eq { a, b, offset } => {
        if int::i32_eq(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32EqImm { a, imm, offset } => {
        if int::i32_eq(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32EqA { b, offset } => {
        if int::i32_eq(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32EqAImm { imm, offset } => {
        if int::i32_eq(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32Ne { a, b, offset } => {
        if int::i32_ne(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32NeImm { a, imm, offset } => {
        if int::i32_ne(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32NeA { b, offset } => {
        if int::i32_ne(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32NeAImm { imm, offset } => {
        if int::i32_ne(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtS { a, b, offset } => {
        if int::i32_lt_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtSImm { a, imm, offset } => {
        if int::i32_lt_s(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtSA { b, offset } => {
        if int::i32_lt_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtSAImm { imm, offset } => {
        if int::i32_lt_s(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtU { a, b, offset } => {
        if int::i32_lt_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtUImm { a, imm, offset } => {
        if int::i32_lt_u(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtUA { b, offset } => {
        if int::i32_lt_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LtUAImm { imm, offset } => {
        if int::i32_lt_u(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtS { a, b, offset } => {
        if int::i32_gt_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtSImm { a, imm, offset } => {
        if int::i32_gt_s(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtSA { b, offset } => {
        if int::i32_gt_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtSAImm { imm, offset } => {
        if int::i32_gt_s(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtU { a, b, offset } => {
        if int::i32_gt_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtUImm { a, imm, offset } => {
        if int::i32_gt_u(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtUA { b, offset } => {
        if int::i32_gt_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GtUAImm { imm, offset } => {
        if int::i32_gt_u(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeS { a, b, offset } => {
        if int::i32_le_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeSImm { a, imm, offset } => {
        if int::i32_le_s(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeSA { b, offset } => {
        if int::i32_le_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeSAImm { imm, offset } => {
        if int::i32_le_s(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeU { a, b, offset } => {
        if int::i32_le_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeUImm { a, imm, offset } => {
        if int::i32_le_u(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeUA { b, offset } => {
        if int::i32_le_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32LeUAImm { imm, offset } => {
        if int::i32_le_u(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeS { a, b, offset } => {
        if int::i32_ge_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeSImm { a, imm, offset } => {
        if int::i32_ge_s(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeSA { b, offset } => {
        if int::i32_ge_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeSAImm { imm, offset } => {
        if int::i32_ge_s(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeU { a, b, offset } => {
        if int::i32_ge_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeUImm { a, imm, offset } => {
        if int::i32_ge_u(s.read(a), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeUA { b, offset } => {
        if int::i32_ge_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI32GeUAImm { imm, offset } => {
        if int::i32_ge_u(forwarded(acc), imm32(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64Eq { a, b, offset } => {
        if int::i64_eq(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64EqImm { a, imm, offset } => {
        if int::i64_eq(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64EqA { b, offset } => {
        if int::i64_eq(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64EqAImm { imm, offset } => {
        if int::i64_eq(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64Ne { a, b, offset } => {
        if int::i64_ne(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64NeImm { a, imm, offset } => {
        if int::i64_ne(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64NeA { b, offset } => {
        if int::i64_ne(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64NeAImm { imm, offset } => {
        if int::i64_ne(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtS { a, b, offset } => {
        if int::i64_lt_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtSImm { a, imm, offset } => {
        if int::i64_lt_s(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtSA { b, offset } => {
        if int::i64_lt_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtSAImm { imm, offset } => {
        if int::i64_lt_s(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtU { a, b, offset } => {
        if int::i64_lt_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtUImm { a, imm, offset } => {
        if int::i64_lt_u(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtUA { b, offset } => {
        if int::i64_lt_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LtUAImm { imm, offset } => {
        if int::i64_lt_u(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtS { a, b, offset } => {
        if int::i64_gt_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtSImm { a, imm, offset } => {
        if int::i64_gt_s(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtSA { b, offset } => {
        if int::i64_gt_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtSAImm { imm, offset } => {
        if int::i64_gt_s(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtU { a, b, offset } => {
        if int::i64_gt_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtUImm { a, imm, offset } => {
        if int::i64_gt_u(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtUA { b, offset } => {
        if int::i64_gt_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GtUAImm { imm, offset } => {
        if int::i64_gt_u(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeS { a, b, offset } => {
        if int::i64_le_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeSImm { a, imm, offset } => {
        if int::i64_le_s(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeSA { b, offset } => {
        if int::i64_le_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeSAImm { imm, offset } => {
        if int::i64_le_s(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeU { a, b, offset } => {
        if int::i64_le_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeUImm { a, imm, offset } => {
        if int::i64_le_u(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeUA { b, offset } => {
        if int::i64_le_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64LeUAImm { imm, offset } => {
        if int::i64_le_u(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeS { a, b, offset } => {
        if int::i64_ge_s(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeSImm { a, imm, offset } => {
        if int::i64_ge_s(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeSA { b, offset } => {
        if int::i64_ge_s(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeSAImm { imm, offset } => {
        if int::i64_ge_s(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeU { a, b, offset } => {
        if int::i64_ge_u(s.read(a), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeUImm { a, imm, offset } => {
        if int::i64_ge_u(s.read(a), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeUA { b, offset } => {
        if int::i64_ge_u(forwarded(acc), s.read(b)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
    BrIfI64GeUAImm { imm, offset } => {
        if int::i64_ge_u(forwarded(acc), imm64(imm)) {
            branch!(ctx, pc, s, mem, acc, offset);
        }
    }
}
