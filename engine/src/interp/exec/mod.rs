//! The executor: a dispatch loop over the running frame's instructions. Calls and returns move
//! between frames on the interpreter stack without recursing on the host stack; the loop only
//! returns to its caller when the frame it started from returns, to call a host function, or
//! on a trap.
//!
//! The semantics of each operation live in one file per family; this loop decodes operands and
//! routes them there.

mod call;
mod convert;
mod float;
mod int;
mod memory;
mod slots;
mod table;
mod variables;

pub(crate) use self::call::enter_from_host;

use self::memory::MemView;
use self::slots::{SlotValue, Slots};
use super::code::Instr;
use crate::store::StoreInner;
use crate::TrapKind;

/// Why the dispatch loop stopped without a trap.
pub(crate) enum Exit {
    /// The frame the run started from returned.
    Returned,
    /// The running frame calls host function `host` on behalf of `instance`; its arguments are
    /// at stack index `args`, where its results go.
    Host {
        host: u32,
        instance: u32,
        args: usize,
        params: usize,
        results: usize,
    },
}

/// The running frame's state. The dispatch loop keeps it in separate locals (never borrowed),
/// so that the compiler can keep the hot ones in registers.
pub(super) struct Regs {
    /// The next instruction.
    pc: *const Instr,
    slots: Slots,
    mem: MemView,
    instance: u32,
}

/// An `i32` immediate as an operand of an `i32` operation.
#[inline(always)]
fn imm32<T: SlotValue>(imm: i32) -> T {
    T::from_slot(imm as u32 as u64)
}

/// An `i32` immediate, sign-extended, as an operand of an `i64` operation.
#[inline(always)]
fn imm64<T: SlotValue>(imm: i32) -> T {
    T::from_slot(imm as i64 as u64)
}

/// Runs the frame on top of the interpreter stack until the frame at depth `base` returns.
pub(crate) fn run(inner: &mut StoreInner, base: usize) -> Result<Exit, TrapKind> {
    let Regs {
        mut pc,
        slots: mut s,
        mut mem,
        mut instance,
    } = call::resume(inner);
    loop {
        // SAFETY: `pc` points into the running function's code: the translator ends every path
        // with a branch, return or trap, and only emits branch targets inside the code.
        let instr = unsafe { *pc };
        pc = pc.wrapping_add(1);
        macro_rules! branch {
            ($offset:expr) => {
                pc = pc.wrapping_offset($offset as isize)
            };
        }
        macro_rules! switch_to {
            ($next:expr) => {
                match $next {
                    call::Next::Run(regs) => {
                        (pc, s, mem, instance) = (regs.pc, regs.slots, regs.mem, regs.instance);
                    }
                    call::Next::Exit(exit) => return Ok(exit),
                }
            };
        }
        macro_rules! call {
            ($func:expr, $base:expr) => {
                switch_to!(call::call(inner, pc, $func, $base, (instance, mem))?)
            };
        }
        macro_rules! ret {
            () => {
                switch_to!(call::ret(inner, base, (instance, mem)))
            };
        }
        match instr {
            Instr::Unreachable => return Err(TrapKind::Unreachable),
            Instr::Br { offset } => branch!(offset),
            Instr::BrIfNez { cond, offset } => {
                if s.read::<u32>(cond) != 0 {
                    branch!(offset);
                }
            }
            Instr::BrIfEqz { cond, offset } => {
                if s.read::<u32>(cond) == 0 {
                    branch!(offset);
                }
            }
            Instr::BrTable { index, len } => {
                let index = s.read::<u32>(index).min(len);
                pc = pc.wrapping_add(index as usize);
            }
            Instr::Return => ret!(),
            Instr::Return1 { src } => {
                s.set(0, s.get(src));
                ret!();
            }
            Instr::ReturnSpan { src, len } => {
                for i in 0..len {
                    s.set(i, s.get(src + i));
                }
                ret!();
            }
            Instr::Call { func, base } => {
                let func = inner.instances[instance as usize].funcs[func as usize];
                call!(func, base);
            }
            Instr::CallIndirect {
                base,
                index,
                type_id,
                table,
            } => {
                let func = table::indirect_callee(
                    inner,
                    instance,
                    table as u32,
                    s.read(index),
                    type_id,
                )?;
                call!(func, base);
            }
            Instr::BrIfI32Eq { a, b, offset } => {
                if int::i32_eq(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32Ne { a, b, offset } => {
                if int::i32_ne(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LtS { a, b, offset } => {
                if int::i32_lt_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LtU { a, b, offset } => {
                if int::i32_lt_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GtS { a, b, offset } => {
                if int::i32_gt_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GtU { a, b, offset } => {
                if int::i32_gt_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LeS { a, b, offset } => {
                if int::i32_le_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LeU { a, b, offset } => {
                if int::i32_le_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GeS { a, b, offset } => {
                if int::i32_ge_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GeU { a, b, offset } => {
                if int::i32_ge_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32EqImm { a, imm, offset } => {
                if int::i32_eq(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32NeImm { a, imm, offset } => {
                if int::i32_ne(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LtSImm { a, imm, offset } => {
                if int::i32_lt_s(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LtUImm { a, imm, offset } => {
                if int::i32_lt_u(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GtSImm { a, imm, offset } => {
                if int::i32_gt_s(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GtUImm { a, imm, offset } => {
                if int::i32_gt_u(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LeSImm { a, imm, offset } => {
                if int::i32_le_s(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32LeUImm { a, imm, offset } => {
                if int::i32_le_u(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GeSImm { a, imm, offset } => {
                if int::i32_ge_s(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI32GeUImm { a, imm, offset } => {
                if int::i32_ge_u(s.read(a), imm32(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64Eq { a, b, offset } => {
                if int::i64_eq(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64Ne { a, b, offset } => {
                if int::i64_ne(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LtS { a, b, offset } => {
                if int::i64_lt_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LtU { a, b, offset } => {
                if int::i64_lt_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GtS { a, b, offset } => {
                if int::i64_gt_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GtU { a, b, offset } => {
                if int::i64_gt_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LeS { a, b, offset } => {
                if int::i64_le_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LeU { a, b, offset } => {
                if int::i64_le_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GeS { a, b, offset } => {
                if int::i64_ge_s(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GeU { a, b, offset } => {
                if int::i64_ge_u(s.read(a), s.read(b)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64EqImm { a, imm, offset } => {
                if int::i64_eq(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64NeImm { a, imm, offset } => {
                if int::i64_ne(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LtSImm { a, imm, offset } => {
                if int::i64_lt_s(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LtUImm { a, imm, offset } => {
                if int::i64_lt_u(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GtSImm { a, imm, offset } => {
                if int::i64_gt_s(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GtUImm { a, imm, offset } => {
                if int::i64_gt_u(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LeSImm { a, imm, offset } => {
                if int::i64_le_s(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64LeUImm { a, imm, offset } => {
                if int::i64_le_u(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GeSImm { a, imm, offset } => {
                if int::i64_ge_s(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::BrIfI64GeUImm { a, imm, offset } => {
                if int::i64_ge_u(s.read(a), imm64(imm)) {
                    branch!(offset);
                }
            }
            Instr::Copy { dst, src } => s.set(dst, s.get(src)),
            Instr::CopySpan { dst, src, len } => {
                for i in 0..len {
                    s.set(dst + i, s.get(src + i));
                }
            }
            Instr::Const { dst, value } => s.set(dst, value),
            Instr::Select { dst, cond, other } => {
                if s.read::<u32>(cond) == 0 {
                    s.set(dst, s.get(other));
                }
            }
            Instr::GlobalGet { dst, global } => {
                s.set(dst, variables::global_get(inner, instance, global));
            }
            Instr::GlobalSet { src, global } => {
                variables::global_set(inner, instance, global, s.get(src));
            }
            Instr::I32Load { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u32::from_le_bytes(bytes));
            }
            Instr::I64Load { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u64::from_le_bytes(bytes));
            }
            Instr::I32Load8S { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, i8::from_le_bytes(bytes) as i32);
            }
            Instr::I32Load8U { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u8::from_le_bytes(bytes) as u32);
            }
            Instr::I32Load16S { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, i16::from_le_bytes(bytes) as i32);
            }
            Instr::I32Load16U { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u16::from_le_bytes(bytes) as u32);
            }
            Instr::I64Load8S { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, i8::from_le_bytes(bytes) as i64);
            }
            Instr::I64Load8U { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u8::from_le_bytes(bytes) as u64);
            }
            Instr::I64Load16S { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, i16::from_le_bytes(bytes) as i64);
            }
            Instr::I64Load16U { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u16::from_le_bytes(bytes) as u64);
            }
            Instr::I64Load32S { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, i32::from_le_bytes(bytes) as i64);
            }
            Instr::I64Load32U { dst, addr, offset } => {
                let bytes = mem.load(s.read(addr), offset)?;
                s.write(dst, u32::from_le_bytes(bytes) as u64);
            }
            Instr::Store8 { addr, src, offset } => {
                let bytes = (s.get(src) as u8).to_le_bytes();
                mem.store(s.read(addr), offset, bytes)?;
            }
            Instr::Store16 { addr, src, offset } => {
                let bytes = (s.get(src) as u16).to_le_bytes();
                mem.store(s.read(addr), offset, bytes)?;
            }
            Instr::Store32 { addr, src, offset } => {
                let bytes = (s.get(src) as u32).to_le_bytes();
                mem.store(s.read(addr), offset, bytes)?;
            }
            Instr::Store64 { addr, src, offset } => {
                let bytes = (s.get(src) as u64).to_le_bytes();
                mem.store(s.read(addr), offset, bytes)?;
            }
            Instr::MemorySize { dst } => {
                s.write(dst, (mem.len() as u64 / crate::WASM_PAGE_SIZE) as u32);
            }
            Instr::MemoryGrow { dst, delta } => {
                s.write(dst, memory::grow(inner, instance, s.read(delta)));
                mem = MemView::of(inner, instance);
            }
            Instr::MemoryFill { base } => {
                let [dst, value, len] = [0, 1, 2].map(|i| s.read(base + i));
                memory::fill(inner, instance, dst, value, len)?;
            }
            Instr::MemoryCopy { base } => {
                let [dst, src, len] = [0, 1, 2].map(|i| s.read(base + i));
                memory::copy(inner, instance, dst, src, len)?;
            }
            Instr::MemoryInit { base, data } => {
                let operands = [0, 1, 2].map(|i| s.read(base + i));
                memory::init(inner, instance, data, operands)?;
            }
            Instr::DataDrop { data } => memory::data_drop(inner, instance, data),
            Instr::TableGet { dst, index, table } => {
                s.set(dst, table::get(inner, instance, table, s.read(index))?);
            }
            Instr::TableSet {
                index,
                value,
                table,
            } => table::set(inner, instance, table, s.read(index), s.get(value))?,
            Instr::TableSize { dst, table } => {
                s.write(dst, table::size(inner, instance, table));
            }
            Instr::TableGrow { base, table } => {
                let (init, delta) = (s.get(base), s.read(base + 1));
                s.write(base, table::grow(inner, instance, table, init, delta));
            }
            Instr::TableFill { base, table } => {
                let operands = [0, 1, 2].map(|i| s.get(base + i));
                table::fill(inner, instance, table, operands)?;
            }
            Instr::TableCopy {
                base,
                dst_table,
                src_table,
            } => {
                let operands = [0, 1, 2].map(|i| s.read(base + i));
                table::copy(inner, instance, [dst_table, src_table], operands)?;
            }
            Instr::TableInit { base, table, elem } => {
                let operands = [0, 1, 2].map(|i| s.read(base + i));
                table::init(inner, instance, table, elem, operands)?;
            }
            Instr::ElemDrop { elem } => table::elem_drop(inner, instance, elem),
            Instr::RefFunc { dst, func } => s.set(dst, table::func_ref(inner, instance, func)),
            Instr::RefIsNull { dst, src } => s.write(dst, s.get(src) == 0),
            Instr::I32Add { dst, a, b } => s.write(dst, int::i32_add(s.read(a), s.read(b))),
            Instr::I32Sub { dst, a, b } => s.write(dst, int::i32_sub(s.read(a), s.read(b))),
            Instr::I32Mul { dst, a, b } => s.write(dst, int::i32_mul(s.read(a), s.read(b))),
            Instr::I32DivS { dst, a, b } => s.write(dst, int::i32_div_s(s.read(a), s.read(b))?),
            Instr::I32DivU { dst, a, b } => s.write(dst, int::i32_div_u(s.read(a), s.read(b))?),
            Instr::I32RemS { dst, a, b } => s.write(dst, int::i32_rem_s(s.read(a), s.read(b))?),
            Instr::I32RemU { dst, a, b } => s.write(dst, int::i32_rem_u(s.read(a), s.read(b))?),
            Instr::I32And { dst, a, b } => s.write(dst, int::i32_and(s.read(a), s.read(b))),
            Instr::I32Or { dst, a, b } => s.write(dst, int::i32_or(s.read(a), s.read(b))),
            Instr::I32Xor { dst, a, b } => s.write(dst, int::i32_xor(s.read(a), s.read(b))),
            Instr::I32Shl { dst, a, b } => s.write(dst, int::i32_shl(s.read(a), s.read(b))),
            Instr::I32ShrS { dst, a, b } => s.write(dst, int::i32_shr_s(s.read(a), s.read(b))),
            Instr::I32ShrU { dst, a, b } => s.write(dst, int::i32_shr_u(s.read(a), s.read(b))),
            Instr::I32Rotl { dst, a, b } => s.write(dst, int::i32_rotl(s.read(a), s.read(b))),
            Instr::I32Rotr { dst, a, b } => s.write(dst, int::i32_rotr(s.read(a), s.read(b))),
            Instr::I32Eq { dst, a, b } => s.write(dst, int::i32_eq(s.read(a), s.read(b))),
            Instr::I32Ne { dst, a, b } => s.write(dst, int::i32_ne(s.read(a), s.read(b))),
            Instr::I32LtS { dst, a, b } => s.write(dst, int::i32_lt_s(s.read(a), s.read(b))),
            Instr::I32LtU { dst, a, b } => s.write(dst, int::i32_lt_u(s.read(a), s.read(b))),
            Instr::I32GtS { dst, a, b } => s.write(dst, int::i32_gt_s(s.read(a), s.read(b))),
            Instr::I32GtU { dst, a, b } => s.write(dst, int::i32_gt_u(s.read(a), s.read(b))),
            Instr::I32LeS { dst, a, b } => s.write(dst, int::i32_le_s(s.read(a), s.read(b))),
            Instr::I32LeU { dst, a, b } => s.write(dst, int::i32_le_u(s.read(a), s.read(b))),
            Instr::I32GeS { dst, a, b } => s.write(dst, int::i32_ge_s(s.read(a), s.read(b))),
            Instr::I32GeU { dst, a, b } => s.write(dst, int::i32_ge_u(s.read(a), s.read(b))),
            Instr::I32AddImm { dst, a, imm } => s.write(dst, int::i32_add(s.read(a), imm32(imm))),
            Instr::I32SubImm { dst, a, imm } => s.write(dst, int::i32_sub(s.read(a), imm32(imm))),
            Instr::I32MulImm { dst, a, imm } => s.write(dst, int::i32_mul(s.read(a), imm32(imm))),
            Instr::I32DivSImm { dst, a, imm } => s.write(dst, int::i32_div_s(s.read(a), imm32(imm))?),
            Instr::I32DivUImm { dst, a, imm } => s.write(dst, int::i32_div_u(s.read(a), imm32(imm))?),
            Instr::I32RemSImm { dst, a, imm } => s.write(dst, int::i32_rem_s(s.read(a), imm32(imm))?),
            Instr::I32RemUImm { dst, a, imm } => s.write(dst, int::i32_rem_u(s.read(a), imm32(imm))?),
            Instr::I32AndImm { dst, a, imm } => s.write(dst, int::i32_and(s.read(a), imm32(imm))),
            Instr::I32OrImm { dst, a, imm } => s.write(dst, int::i32_or(s.read(a), imm32(imm))),
            Instr::I32XorImm { dst, a, imm } => s.write(dst, int::i32_xor(s.read(a), imm32(imm))),
            Instr::I32ShlImm { dst, a, imm } => s.write(dst, int::i32_shl(s.read(a), imm32(imm))),
            Instr::I32ShrSImm { dst, a, imm } => s.write(dst, int::i32_shr_s(s.read(a), imm32(imm))),
            Instr::I32ShrUImm { dst, a, imm } => s.write(dst, int::i32_shr_u(s.read(a), imm32(imm))),
            Instr::I32RotlImm { dst, a, imm } => s.write(dst, int::i32_rotl(s.read(a), imm32(imm))),
            Instr::I32RotrImm { dst, a, imm } => s.write(dst, int::i32_rotr(s.read(a), imm32(imm))),
            Instr::I32EqImm { dst, a, imm } => s.write(dst, int::i32_eq(s.read(a), imm32(imm))),
            Instr::I32NeImm { dst, a, imm } => s.write(dst, int::i32_ne(s.read(a), imm32(imm))),
            Instr::I32LtSImm { dst, a, imm } => s.write(dst, int::i32_lt_s(s.read(a), imm32(imm))),
            Instr::I32LtUImm { dst, a, imm } => s.write(dst, int::i32_lt_u(s.read(a), imm32(imm))),
            Instr::I32GtSImm { dst, a, imm } => s.write(dst, int::i32_gt_s(s.read(a), imm32(imm))),
            Instr::I32GtUImm { dst, a, imm } => s.write(dst, int::i32_gt_u(s.read(a), imm32(imm))),
            Instr::I32LeSImm { dst, a, imm } => s.write(dst, int::i32_le_s(s.read(a), imm32(imm))),
            Instr::I32LeUImm { dst, a, imm } => s.write(dst, int::i32_le_u(s.read(a), imm32(imm))),
            Instr::I32GeSImm { dst, a, imm } => s.write(dst, int::i32_ge_s(s.read(a), imm32(imm))),
            Instr::I32GeUImm { dst, a, imm } => s.write(dst, int::i32_ge_u(s.read(a), imm32(imm))),
            Instr::I32Clz { dst, src } => s.write(dst, int::i32_clz(s.read(src))),
            Instr::I32Ctz { dst, src } => s.write(dst, int::i32_ctz(s.read(src))),
            Instr::I32Popcnt { dst, src } => s.write(dst, int::i32_popcnt(s.read(src))),
            Instr::I32Extend8S { dst, src } => s.write(dst, int::i32_extend8_s(s.read(src))),
            Instr::I32Extend16S { dst, src } => s.write(dst, int::i32_extend16_s(s.read(src))),
            Instr::I64Add { dst, a, b } => s.write(dst, int::i64_add(s.read(a), s.read(b))),
            Instr::I64Sub { dst, a, b } => s.write(dst, int::i64_sub(s.read(a), s.read(b))),
            Instr::I64Mul { dst, a, b } => s.write(dst, int::i64_mul(s.read(a), s.read(b))),
            Instr::I64DivS { dst, a, b } => s.write(dst, int::i64_div_s(s.read(a), s.read(b))?),
            Instr::I64DivU { dst, a, b } => s.write(dst, int::i64_div_u(s.read(a), s.read(b))?),
            Instr::I64RemS { dst, a, b } => s.write(dst, int::i64_rem_s(s.read(a), s.read(b))?),
            Instr::I64RemU { dst, a, b } => s.write(dst, int::i64_rem_u(s.read(a), s.read(b))?),
            Instr::I64And { dst, a, b } => s.write(dst, int::i64_and(s.read(a), s.read(b))),
            Instr::I64Or { dst, a, b } => s.write(dst, int::i64_or(s.read(a), s.read(b))),
            Instr::I64Xor { dst, a, b } => s.write(dst, int::i64_xor(s.read(a), s.read(b))),
            Instr::I64Shl { dst, a, b } => s.write(dst, int::i64_shl(s.read(a), s.read(b))),
            Instr::I64ShrS { dst, a, b } => s.write(dst, int::i64_shr_s(s.read(a), s.read(b))),
            Instr::I64ShrU { dst, a, b } => s.write(dst, int::i64_shr_u(s.read(a), s.read(b))),
            Instr::I64Rotl { dst, a, b } => s.write(dst, int::i64_rotl(s.read(a), s.read(b))),
            Instr::I64Rotr { dst, a, b } => s.write(dst, int::i64_rotr(s.read(a), s.read(b))),
            Instr::I64Eq { dst, a, b } => s.write(dst, int::i64_eq(s.read(a), s.read(b))),
            Instr::I64Ne { dst, a, b } => s.write(dst, int::i64_ne(s.read(a), s.read(b))),
            Instr::I64LtS { dst, a, b } => s.write(dst, int::i64_lt_s(s.read(a), s.read(b))),
            Instr::I64LtU { dst, a, b } => s.write(dst, int::i64_lt_u(s.read(a), s.read(b))),
            Instr::I64GtS { dst, a, b } => s.write(dst, int::i64_gt_s(s.read(a), s.read(b))),
            Instr::I64GtU { dst, a, b } => s.write(dst, int::i64_gt_u(s.read(a), s.read(b))),
            Instr::I64LeS { dst, a, b } => s.write(dst, int::i64_le_s(s.read(a), s.read(b))),
            Instr::I64LeU { dst, a, b } => s.write(dst, int::i64_le_u(s.read(a), s.read(b))),
            Instr::I64GeS { dst, a, b } => s.write(dst, int::i64_ge_s(s.read(a), s.read(b))),
            Instr::I64GeU { dst, a, b } => s.write(dst, int::i64_ge_u(s.read(a), s.read(b))),
            Instr::I64AddImm { dst, a, imm } => s.write(dst, int::i64_add(s.read(a), imm64(imm))),
            Instr::I64SubImm { dst, a, imm } => s.write(dst, int::i64_sub(s.read(a), imm64(imm))),
            Instr::I64MulImm { dst, a, imm } => s.write(dst, int::i64_mul(s.read(a), imm64(imm))),
            Instr::I64DivSImm { dst, a, imm } => s.write(dst, int::i64_div_s(s.read(a), imm64(imm))?),
            Instr::I64DivUImm { dst, a, imm } => s.write(dst, int::i64_div_u(s.read(a), imm64(imm))?),
            Instr::I64RemSImm { dst, a, imm } => s.write(dst, int::i64_rem_s(s.read(a), imm64(imm))?),
            Instr::I64RemUImm { dst, a, imm } => s.write(dst, int::i64_rem_u(s.read(a), imm64(imm))?),
            Instr::I64AndImm { dst, a, imm } => s.write(dst, int::i64_and(s.read(a), imm64(imm))),
            Instr::I64OrImm { dst, a, imm } => s.write(dst, int::i64_or(s.read(a), imm64(imm))),
            Instr::I64XorImm { dst, a, imm } => s.write(dst, int::i64_xor(s.read(a), imm64(imm))),
            Instr::I64ShlImm { dst, a, imm } => s.write(dst, int::i64_shl(s.read(a), imm64(imm))),
            Instr::I64ShrSImm { dst, a, imm } => s.write(dst, int::i64_shr_s(s.read(a), imm64(imm))),
            Instr::I64ShrUImm { dst, a, imm } => s.write(dst, int::i64_shr_u(s.read(a), imm64(imm))),
            Instr::I64RotlImm { dst, a, imm } => s.write(dst, int::i64_rotl(s.read(a), imm64(imm))),
            Instr::I64RotrImm { dst, a, imm } => s.write(dst, int::i64_rotr(s.read(a), imm64(imm))),
            Instr::I64EqImm { dst, a, imm } => s.write(dst, int::i64_eq(s.read(a), imm64(imm))),
            Instr::I64NeImm { dst, a, imm } => s.write(dst, int::i64_ne(s.read(a), imm64(imm))),
            Instr::I64LtSImm { dst, a, imm } => s.write(dst, int::i64_lt_s(s.read(a), imm64(imm))),
            Instr::I64LtUImm { dst, a, imm } => s.write(dst, int::i64_lt_u(s.read(a), imm64(imm))),
            Instr::I64GtSImm { dst, a, imm } => s.write(dst, int::i64_gt_s(s.read(a), imm64(imm))),
            Instr::I64GtUImm { dst, a, imm } => s.write(dst, int::i64_gt_u(s.read(a), imm64(imm))),
            Instr::I64LeSImm { dst, a, imm } => s.write(dst, int::i64_le_s(s.read(a), imm64(imm))),
            Instr::I64LeUImm { dst, a, imm } => s.write(dst, int::i64_le_u(s.read(a), imm64(imm))),
            Instr::I64GeSImm { dst, a, imm } => s.write(dst, int::i64_ge_s(s.read(a), imm64(imm))),
            Instr::I64GeUImm { dst, a, imm } => s.write(dst, int::i64_ge_u(s.read(a), imm64(imm))),
            Instr::I64Clz { dst, src } => s.write(dst, int::i64_clz(s.read(src))),
            Instr::I64Ctz { dst, src } => s.write(dst, int::i64_ctz(s.read(src))),
            Instr::I64Popcnt { dst, src } => s.write(dst, int::i64_popcnt(s.read(src))),
            Instr::I64Extend8S { dst, src } => s.write(dst, int::i64_extend8_s(s.read(src))),
            Instr::I64Extend16S { dst, src } => s.write(dst, int::i64_extend16_s(s.read(src))),
            Instr::I64Extend32S { dst, src } => s.write(dst, int::i64_extend32_s(s.read(src))),
            Instr::F32Add { dst, a, b } => s.write(dst, float::f32_add(s.read(a), s.read(b))),
            Instr::F32Sub { dst, a, b } => s.write(dst, float::f32_sub(s.read(a), s.read(b))),
            Instr::F32Mul { dst, a, b } => s.write(dst, float::f32_mul(s.read(a), s.read(b))),
            Instr::F32Div { dst, a, b } => s.write(dst, float::f32_div(s.read(a), s.read(b))),
            Instr::F32Min { dst, a, b } => s.write(dst, float::f32_min(s.read(a), s.read(b))),
            Instr::F32Max { dst, a, b } => s.write(dst, float::f32_max(s.read(a), s.read(b))),
            Instr::F32Copysign { dst, a, b } => s.write(dst, float::f32_copysign(s.read(a), s.read(b))),
            Instr::F32Eq { dst, a, b } => s.write(dst, float::f32_eq(s.read(a), s.read(b))),
            Instr::F32Ne { dst, a, b } => s.write(dst, float::f32_ne(s.read(a), s.read(b))),
            Instr::F32Lt { dst, a, b } => s.write(dst, float::f32_lt(s.read(a), s.read(b))),
            Instr::F32Gt { dst, a, b } => s.write(dst, float::f32_gt(s.read(a), s.read(b))),
            Instr::F32Le { dst, a, b } => s.write(dst, float::f32_le(s.read(a), s.read(b))),
            Instr::F32Ge { dst, a, b } => s.write(dst, float::f32_ge(s.read(a), s.read(b))),
            Instr::F32Abs { dst, src } => s.write(dst, float::f32_abs(s.read(src))),
            Instr::F32Neg { dst, src } => s.write(dst, float::f32_neg(s.read(src))),
            Instr::F32Ceil { dst, src } => s.write(dst, float::f32_ceil(s.read(src))),
            Instr::F32Floor { dst, src } => s.write(dst, float::f32_floor(s.read(src))),
            Instr::F32Trunc { dst, src } => s.write(dst, float::f32_trunc(s.read(src))),
            Instr::F32Nearest { dst, src } => s.write(dst, float::f32_nearest(s.read(src))),
            Instr::F32Sqrt { dst, src } => s.write(dst, float::f32_sqrt(s.read(src))),
            Instr::F64Add { dst, a, b } => s.write(dst, float::f64_add(s.read(a), s.read(b))),
            Instr::F64Sub { dst, a, b } => s.write(dst, float::f64_sub(s.read(a), s.read(b))),
            Instr::F64Mul { dst, a, b } => s.write(dst, float::f64_mul(s.read(a), s.read(b))),
            Instr::F64Div { dst, a, b } => s.write(dst, float::f64_div(s.read(a), s.read(b))),
            Instr::F64Min { dst, a, b } => s.write(dst, float::f64_min(s.read(a), s.read(b))),
            Instr::F64Max { dst, a, b } => s.write(dst, float::f64_max(s.read(a), s.read(b))),
            Instr::F64Copysign { dst, a, b } => s.write(dst, float::f64_copysign(s.read(a), s.read(b))),
            Instr::F64Eq { dst, a, b } => s.write(dst, float::f64_eq(s.read(a), s.read(b))),
            Instr::F64Ne { dst, a, b } => s.write(dst, float::f64_ne(s.read(a), s.read(b))),
            Instr::F64Lt { dst, a, b } => s.write(dst, float::f64_lt(s.read(a), s.read(b))),
            Instr::F64Gt { dst, a, b } => s.write(dst, float::f64_gt(s.read(a), s.read(b))),
            Instr::F64Le { dst, a, b } => s.write(dst, float::f64_le(s.read(a), s.read(b))),
            Instr::F64Ge { dst, a, b } => s.write(dst, float::f64_ge(s.read(a), s.read(b))),
            Instr::F64Abs { dst, src } => s.write(dst, float::f64_abs(s.read(src))),
            Instr::F64Neg { dst, src } => s.write(dst, float::f64_neg(s.read(src))),
            Instr::F64Ceil { dst, src } => s.write(dst, float::f64_ceil(s.read(src))),
            Instr::F64Floor { dst, src } => s.write(dst, float::f64_floor(s.read(src))),
            Instr::F64Trunc { dst, src } => s.write(dst, float::f64_trunc(s.read(src))),
            Instr::F64Nearest { dst, src } => s.write(dst, float::f64_nearest(s.read(src))),
            Instr::F64Sqrt { dst, src } => s.write(dst, float::f64_sqrt(s.read(src))),
            Instr::I32WrapI64 { dst, src } => s.write(dst, convert::i32_wrap_i64(s.read(src))),
            Instr::I64ExtendI32S { dst, src } => s.write(dst, convert::i64_extend_i32_s(s.read(src))),
            Instr::I32TruncF32S { dst, src } => s.write(dst, convert::i32_trunc_f32_s(s.read(src))?),
            Instr::I32TruncF32U { dst, src } => s.write(dst, convert::i32_trunc_f32_u(s.read(src))?),
            Instr::I32TruncF64S { dst, src } => s.write(dst, convert::i32_trunc_f64_s(s.read(src))?),
            Instr::I32TruncF64U { dst, src } => s.write(dst, convert::i32_trunc_f64_u(s.read(src))?),
            Instr::I64TruncF32S { dst, src } => s.write(dst, convert::i64_trunc_f32_s(s.read(src))?),
            Instr::I64TruncF32U { dst, src } => s.write(dst, convert::i64_trunc_f32_u(s.read(src))?),
            Instr::I64TruncF64S { dst, src } => s.write(dst, convert::i64_trunc_f64_s(s.read(src))?),
            Instr::I64TruncF64U { dst, src } => s.write(dst, convert::i64_trunc_f64_u(s.read(src))?),
            Instr::I32TruncSatF32S { dst, src } => s.write(dst, convert::i32_trunc_sat_f32_s(s.read(src))),
            Instr::I32TruncSatF32U { dst, src } => s.write(dst, convert::i32_trunc_sat_f32_u(s.read(src))),
            Instr::I32TruncSatF64S { dst, src } => s.write(dst, convert::i32_trunc_sat_f64_s(s.read(src))),
            Instr::I32TruncSatF64U { dst, src } => s.write(dst, convert::i32_trunc_sat_f64_u(s.read(src))),
            Instr::I64TruncSatF32S { dst, src } => s.write(dst, convert::i64_trunc_sat_f32_s(s.read(src))),
            Instr::I64TruncSatF32U { dst, src } => s.write(dst, convert::i64_trunc_sat_f32_u(s.read(src))),
            Instr::I64TruncSatF64S { dst, src } => s.write(dst, convert::i64_trunc_sat_f64_s(s.read(src))),
            Instr::I64TruncSatF64U { dst, src } => s.write(dst, convert::i64_trunc_sat_f64_u(s.read(src))),
            Instr::F32ConvertI32S { dst, src } => s.write(dst, convert::f32_convert_i32_s(s.read(src))),
            Instr::F32ConvertI32U { dst, src } => s.write(dst, convert::f32_convert_i32_u(s.read(src))),
            Instr::F32ConvertI64S { dst, src } => s.write(dst, convert::f32_convert_i64_s(s.read(src))),
            Instr::F32ConvertI64U { dst, src } => s.write(dst, convert::f32_convert_i64_u(s.read(src))),
            Instr::F64ConvertI32S { dst, src } => s.write(dst, convert::f64_convert_i32_s(s.read(src))),
            Instr::F64ConvertI32U { dst, src } => s.write(dst, convert::f64_convert_i32_u(s.read(src))),
            Instr::F64ConvertI64S { dst, src } => s.write(dst, convert::f64_convert_i64_s(s.read(src))),
            Instr::F64ConvertI64U { dst, src } => s.write(dst, convert::f64_convert_i64_u(s.read(src))),
            Instr::F32DemoteF64 { dst, src } => s.write(dst, convert::f32_demote_f64(s.read(src))),
            Instr::F64PromoteF32 { dst, src } => s.write(dst, convert::f64_promote_f32(s.read(src))),
        }
    }
}
