//! Rewrites of already emitted instructions: patching branch targets, redirecting a result to a
//! local (`local.set` after an operation) and fusing a comparison into the branch consuming it.

use crate::interp::code::{Instr, Offset, Slot};

/// The target of a branch instruction.
pub(super) fn branch_offset_mut(instr: &mut Instr) -> &mut Offset {
    use Instr::*;
    match instr {
        Br { offset }
        | BrIfNez { offset, .. }
        | BrIfEqz { offset, .. }
        | BrIfI32Eq { offset, .. }
        | BrIfI32Ne { offset, .. }
        | BrIfI32LtS { offset, .. }
        | BrIfI32LtU { offset, .. }
        | BrIfI32GtS { offset, .. }
        | BrIfI32GtU { offset, .. }
        | BrIfI32LeS { offset, .. }
        | BrIfI32LeU { offset, .. }
        | BrIfI32GeS { offset, .. }
        | BrIfI32GeU { offset, .. }
        | BrIfI32EqImm { offset, .. }
        | BrIfI32NeImm { offset, .. }
        | BrIfI32LtSImm { offset, .. }
        | BrIfI32LtUImm { offset, .. }
        | BrIfI32GtSImm { offset, .. }
        | BrIfI32GtUImm { offset, .. }
        | BrIfI32LeSImm { offset, .. }
        | BrIfI32LeUImm { offset, .. }
        | BrIfI32GeSImm { offset, .. }
        | BrIfI32GeUImm { offset, .. }
        | BrIfI64Eq { offset, .. }
        | BrIfI64Ne { offset, .. }
        | BrIfI64LtS { offset, .. }
        | BrIfI64LtU { offset, .. }
        | BrIfI64GtS { offset, .. }
        | BrIfI64GtU { offset, .. }
        | BrIfI64LeS { offset, .. }
        | BrIfI64LeU { offset, .. }
        | BrIfI64GeS { offset, .. }
        | BrIfI64GeU { offset, .. }
        | BrIfI64EqImm { offset, .. }
        | BrIfI64NeImm { offset, .. }
        | BrIfI64LtSImm { offset, .. }
        | BrIfI64LtUImm { offset, .. }
        | BrIfI64GtSImm { offset, .. }
        | BrIfI64GtUImm { offset, .. }
        | BrIfI64LeSImm { offset, .. }
        | BrIfI64LeUImm { offset, .. }
        | BrIfI64GeSImm { offset, .. }
        | BrIfI64GeUImm { offset, .. } => offset,
        other => unreachable!("{other:?} is not a branch"),
    }
}

/// The result slot of an instruction that reads all its operands before writing its result,
/// so that the result can go to a local directly. `Select` is not one: its result slot is also
/// an operand.
pub(super) fn result_slot_mut(instr: &mut Instr) -> Option<&mut Slot> {
    use Instr::*;
    match instr {
        Copy { dst, .. }
        | Const { dst, .. }
        | GlobalGet { dst, .. }
        | MemorySize { dst }
        | MemoryGrow { dst, .. }
        | TableGet { dst, .. }
        | TableSize { dst, .. }
        | RefFunc { dst, .. }
        | RefIsNull { dst, .. }
        | I32Load { dst, .. }
        | I64Load { dst, .. }
        | I32Load8S { dst, .. }
        | I32Load8U { dst, .. }
        | I32Load16S { dst, .. }
        | I32Load16U { dst, .. }
        | I64Load8S { dst, .. }
        | I64Load8U { dst, .. }
        | I64Load16S { dst, .. }
        | I64Load16U { dst, .. }
        | I64Load32S { dst, .. }
        | I64Load32U { dst, .. }
        | I32Add { dst, .. }
        | I32Sub { dst, .. }
        | I32Mul { dst, .. }
        | I32DivS { dst, .. }
        | I32DivU { dst, .. }
        | I32RemS { dst, .. }
        | I32RemU { dst, .. }
        | I32And { dst, .. }
        | I32Or { dst, .. }
        | I32Xor { dst, .. }
        | I32Shl { dst, .. }
        | I32ShrS { dst, .. }
        | I32ShrU { dst, .. }
        | I32Rotl { dst, .. }
        | I32Rotr { dst, .. }
        | I32Eq { dst, .. }
        | I32Ne { dst, .. }
        | I32LtS { dst, .. }
        | I32LtU { dst, .. }
        | I32GtS { dst, .. }
        | I32GtU { dst, .. }
        | I32LeS { dst, .. }
        | I32LeU { dst, .. }
        | I32GeS { dst, .. }
        | I32GeU { dst, .. }
        | I32AddImm { dst, .. }
        | I32SubImm { dst, .. }
        | I32MulImm { dst, .. }
        | I32DivSImm { dst, .. }
        | I32DivUImm { dst, .. }
        | I32RemSImm { dst, .. }
        | I32RemUImm { dst, .. }
        | I32AndImm { dst, .. }
        | I32OrImm { dst, .. }
        | I32XorImm { dst, .. }
        | I32ShlImm { dst, .. }
        | I32ShrSImm { dst, .. }
        | I32ShrUImm { dst, .. }
        | I32RotlImm { dst, .. }
        | I32RotrImm { dst, .. }
        | I32EqImm { dst, .. }
        | I32NeImm { dst, .. }
        | I32LtSImm { dst, .. }
        | I32LtUImm { dst, .. }
        | I32GtSImm { dst, .. }
        | I32GtUImm { dst, .. }
        | I32LeSImm { dst, .. }
        | I32LeUImm { dst, .. }
        | I32GeSImm { dst, .. }
        | I32GeUImm { dst, .. }
        | I32Clz { dst, .. }
        | I32Ctz { dst, .. }
        | I32Popcnt { dst, .. }
        | I32Extend8S { dst, .. }
        | I32Extend16S { dst, .. }
        | I64Add { dst, .. }
        | I64Sub { dst, .. }
        | I64Mul { dst, .. }
        | I64DivS { dst, .. }
        | I64DivU { dst, .. }
        | I64RemS { dst, .. }
        | I64RemU { dst, .. }
        | I64And { dst, .. }
        | I64Or { dst, .. }
        | I64Xor { dst, .. }
        | I64Shl { dst, .. }
        | I64ShrS { dst, .. }
        | I64ShrU { dst, .. }
        | I64Rotl { dst, .. }
        | I64Rotr { dst, .. }
        | I64Eq { dst, .. }
        | I64Ne { dst, .. }
        | I64LtS { dst, .. }
        | I64LtU { dst, .. }
        | I64GtS { dst, .. }
        | I64GtU { dst, .. }
        | I64LeS { dst, .. }
        | I64LeU { dst, .. }
        | I64GeS { dst, .. }
        | I64GeU { dst, .. }
        | I64AddImm { dst, .. }
        | I64SubImm { dst, .. }
        | I64MulImm { dst, .. }
        | I64DivSImm { dst, .. }
        | I64DivUImm { dst, .. }
        | I64RemSImm { dst, .. }
        | I64RemUImm { dst, .. }
        | I64AndImm { dst, .. }
        | I64OrImm { dst, .. }
        | I64XorImm { dst, .. }
        | I64ShlImm { dst, .. }
        | I64ShrSImm { dst, .. }
        | I64ShrUImm { dst, .. }
        | I64RotlImm { dst, .. }
        | I64RotrImm { dst, .. }
        | I64EqImm { dst, .. }
        | I64NeImm { dst, .. }
        | I64LtSImm { dst, .. }
        | I64LtUImm { dst, .. }
        | I64GtSImm { dst, .. }
        | I64GtUImm { dst, .. }
        | I64LeSImm { dst, .. }
        | I64LeUImm { dst, .. }
        | I64GeSImm { dst, .. }
        | I64GeUImm { dst, .. }
        | I64Clz { dst, .. }
        | I64Ctz { dst, .. }
        | I64Popcnt { dst, .. }
        | I64Extend8S { dst, .. }
        | I64Extend16S { dst, .. }
        | I64Extend32S { dst, .. }
        | F32Add { dst, .. }
        | F32Sub { dst, .. }
        | F32Mul { dst, .. }
        | F32Div { dst, .. }
        | F32Min { dst, .. }
        | F32Max { dst, .. }
        | F32Copysign { dst, .. }
        | F32Abs { dst, .. }
        | F32Neg { dst, .. }
        | F32Sqrt { dst, .. }
        | F64Add { dst, .. }
        | F64Sub { dst, .. }
        | F64Mul { dst, .. }
        | F64Div { dst, .. }
        | F64Min { dst, .. }
        | F64Max { dst, .. }
        | F64Copysign { dst, .. }
        | F64Abs { dst, .. }
        | F64Neg { dst, .. }
        | F64Sqrt { dst, .. }
        | I32WrapI64 { dst, .. }
        | I64ExtendI32S { dst, .. }
        | F32ConvertI32S { dst, .. }
        | F64ConvertI32S { dst, .. }
        | F64ConvertI64S { dst, .. }
        | F32Eq { dst, .. }
        | F32Ne { dst, .. }
        | F32Lt { dst, .. }
        | F32Gt { dst, .. }
        | F32Le { dst, .. }
        | F32Ge { dst, .. }
        | F32Ceil { dst, .. }
        | F32Floor { dst, .. }
        | F32Trunc { dst, .. }
        | F32Nearest { dst, .. }
        | F64Eq { dst, .. }
        | F64Ne { dst, .. }
        | F64Lt { dst, .. }
        | F64Gt { dst, .. }
        | F64Le { dst, .. }
        | F64Ge { dst, .. }
        | F64Ceil { dst, .. }
        | F64Floor { dst, .. }
        | F64Trunc { dst, .. }
        | F64Nearest { dst, .. }
        | I32TruncF32S { dst, .. }
        | I32TruncF32U { dst, .. }
        | I32TruncF64S { dst, .. }
        | I32TruncF64U { dst, .. }
        | I64TruncF32S { dst, .. }
        | I64TruncF32U { dst, .. }
        | I64TruncF64S { dst, .. }
        | I64TruncF64U { dst, .. }
        | I32TruncSatF32S { dst, .. }
        | I32TruncSatF32U { dst, .. }
        | I32TruncSatF64S { dst, .. }
        | I32TruncSatF64U { dst, .. }
        | I64TruncSatF32S { dst, .. }
        | I64TruncSatF32U { dst, .. }
        | I64TruncSatF64S { dst, .. }
        | I64TruncSatF64U { dst, .. }
        | F32ConvertI32U { dst, .. }
        | F32ConvertI64S { dst, .. }
        | F32ConvertI64U { dst, .. }
        | F64ConvertI32U { dst, .. }
        | F64ConvertI64U { dst, .. }
        | F32DemoteF64 { dst, .. }
        | F64PromoteF32 { dst, .. } => Some(dst),
        _ => None,
    }
}

/// Pairs of comparisons and their branch forms: `$cmp`/`$cmp_imm` fuse into `$br`/`$br_imm`,
/// and `$nbr`/`$nbr_imm` branch when the comparison does not hold.
macro_rules! for_each_compare_branch {
    ($m:ident) => {
        $m! {
            I32Eq I32EqImm => BrIfI32Eq BrIfI32EqImm / BrIfI32Ne BrIfI32NeImm;
            I32Ne I32NeImm => BrIfI32Ne BrIfI32NeImm / BrIfI32Eq BrIfI32EqImm;
            I32LtS I32LtSImm => BrIfI32LtS BrIfI32LtSImm / BrIfI32GeS BrIfI32GeSImm;
            I32LtU I32LtUImm => BrIfI32LtU BrIfI32LtUImm / BrIfI32GeU BrIfI32GeUImm;
            I32GtS I32GtSImm => BrIfI32GtS BrIfI32GtSImm / BrIfI32LeS BrIfI32LeSImm;
            I32GtU I32GtUImm => BrIfI32GtU BrIfI32GtUImm / BrIfI32LeU BrIfI32LeUImm;
            I32LeS I32LeSImm => BrIfI32LeS BrIfI32LeSImm / BrIfI32GtS BrIfI32GtSImm;
            I32LeU I32LeUImm => BrIfI32LeU BrIfI32LeUImm / BrIfI32GtU BrIfI32GtUImm;
            I32GeS I32GeSImm => BrIfI32GeS BrIfI32GeSImm / BrIfI32LtS BrIfI32LtSImm;
            I32GeU I32GeUImm => BrIfI32GeU BrIfI32GeUImm / BrIfI32LtU BrIfI32LtUImm;
            I64Eq I64EqImm => BrIfI64Eq BrIfI64EqImm / BrIfI64Ne BrIfI64NeImm;
            I64Ne I64NeImm => BrIfI64Ne BrIfI64NeImm / BrIfI64Eq BrIfI64EqImm;
            I64LtS I64LtSImm => BrIfI64LtS BrIfI64LtSImm / BrIfI64GeS BrIfI64GeSImm;
            I64LtU I64LtUImm => BrIfI64LtU BrIfI64LtUImm / BrIfI64GeU BrIfI64GeUImm;
            I64GtS I64GtSImm => BrIfI64GtS BrIfI64GtSImm / BrIfI64LeS BrIfI64LeSImm;
            I64GtU I64GtUImm => BrIfI64GtU BrIfI64GtUImm / BrIfI64LeU BrIfI64LeUImm;
            I64LeS I64LeSImm => BrIfI64LeS BrIfI64LeSImm / BrIfI64GtS BrIfI64GtSImm;
            I64LeU I64LeUImm => BrIfI64LeU BrIfI64LeUImm / BrIfI64GtU BrIfI64GtUImm;
            I64GeS I64GeSImm => BrIfI64GeS BrIfI64GeSImm / BrIfI64LtS BrIfI64LtSImm;
            I64GeU I64GeUImm => BrIfI64GeU BrIfI64GeUImm / BrIfI64LtU BrIfI64LtUImm;
        }
    };
}

/// The branch taken when the comparison `instr` holds (or, with `negate`, when it does not),
/// if `instr` is an integer comparison.
pub(super) fn fuse_compare_branch(instr: Instr, negate: bool, offset: Offset) -> Option<Instr> {
    use Instr::*;
    macro_rules! fuse {
        ($($cmp:ident $cmp_imm:ident => $br:ident $br_imm:ident / $nbr:ident $nbr_imm:ident;)*) => {
            match instr {
                $(
                    $cmp { a, b, .. } if negate => $nbr { a, b, offset },
                    $cmp { a, b, .. } => $br { a, b, offset },
                    $cmp_imm { a, imm, .. } if negate => $nbr_imm { a, imm, offset },
                    $cmp_imm { a, imm, .. } => $br_imm { a, imm, offset },
                )*
                _ => return None,
            }
        };
    }
    Some(for_each_compare_branch!(fuse))
}

/// The conditional branch taken exactly when `branch` is not, if `branch` is one.
pub(super) fn negate_branch(branch: Instr) -> Option<Instr> {
    use Instr::*;
    macro_rules! negate {
        ($($cmp:ident $cmp_imm:ident => $br:ident $br_imm:ident / $nbr:ident $nbr_imm:ident;)*) => {
            match branch {
                BrIfNez { cond, offset } => BrIfEqz { cond, offset },
                BrIfEqz { cond, offset } => BrIfNez { cond, offset },
                $(
                    $br { a, b, offset } => $nbr { a, b, offset },
                    $br_imm { a, imm, offset } => $nbr_imm { a, imm, offset },
                )*
                _ => return None,
            }
        };
    }
    Some(for_each_compare_branch!(negate))
}
