//! Rewrites of already emitted instructions: patching branch targets, redirecting a result to a
//! local (`local.set` after an operation) and fusing a comparison into the branch consuming it.

use crate::interp::code::{Instr, Offset, Slot};

/// The offset of a branch instruction (a `BrTable`'s entries are `Br`s of their own).
pub(super) fn branch_offset_mut(instr: &mut Instr) -> Option<&mut Offset> {
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
        | I32StepBrIfLtS { offset, .. }
        | I32StepBrIfLtU { offset, .. }
        | I32StepBrIfNe { offset, .. }
        | I32StepBrIfLtSImm { offset, .. }
        | I32StepBrIfLtUImm { offset, .. }
        | I32StepBrIfNeImm { offset, .. }
        | BrIfNezA { offset, .. }
        | BrIfEqzA { offset, .. }
        | BrIfI32EqA { offset, .. }
        | BrIfI32EqAImm { offset, .. }
        | BrIfI32NeA { offset, .. }
        | BrIfI32NeAImm { offset, .. }
        | BrIfI32LtSA { offset, .. }
        | BrIfI32LtSAImm { offset, .. }
        | BrIfI32LtUA { offset, .. }
        | BrIfI32LtUAImm { offset, .. }
        | BrIfI32GtSA { offset, .. }
        | BrIfI32GtSAImm { offset, .. }
        | BrIfI32GtUA { offset, .. }
        | BrIfI32GtUAImm { offset, .. }
        | BrIfI32LeSA { offset, .. }
        | BrIfI32LeSAImm { offset, .. }
        | BrIfI32LeUA { offset, .. }
        | BrIfI32LeUAImm { offset, .. }
        | BrIfI32GeSA { offset, .. }
        | BrIfI32GeSAImm { offset, .. }
        | BrIfI32GeUA { offset, .. }
        | BrIfI32GeUAImm { offset, .. }
        | BrIfI64EqA { offset, .. }
        | BrIfI64EqAImm { offset, .. }
        | BrIfI64NeA { offset, .. }
        | BrIfI64NeAImm { offset, .. }
        | BrIfI64LtSA { offset, .. }
        | BrIfI64LtSAImm { offset, .. }
        | BrIfI64LtUA { offset, .. }
        | BrIfI64LtUAImm { offset, .. }
        | BrIfI64GtSA { offset, .. }
        | BrIfI64GtSAImm { offset, .. }
        | BrIfI64GtUA { offset, .. }
        | BrIfI64GtUAImm { offset, .. }
        | BrIfI64LeSA { offset, .. }
        | BrIfI64LeSAImm { offset, .. }
        | BrIfI64LeUA { offset, .. }
        | BrIfI64LeUAImm { offset, .. }
        | BrIfI64GeSA { offset, .. }
        | BrIfI64GeSAImm { offset, .. }
        | BrIfI64GeUA { offset, .. }
        | BrIfI64GeUAImm { offset, .. }
        | BrIfI64GeUImm { offset, .. } => Some(offset),
        _ => None,
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
        | I32AddA { dst, .. }
        | I32AddAImm { dst, .. }
        | I32SubA { dst, .. }
        | I32SubAImm { dst, .. }
        | I32SubB { dst, .. }
        | I32MulA { dst, .. }
        | I32MulAImm { dst, .. }
        | I32DivSA { dst, .. }
        | I32DivSAImm { dst, .. }
        | I32DivSB { dst, .. }
        | I32DivUA { dst, .. }
        | I32DivUAImm { dst, .. }
        | I32DivUB { dst, .. }
        | I32RemSA { dst, .. }
        | I32RemSAImm { dst, .. }
        | I32RemSB { dst, .. }
        | I32RemUA { dst, .. }
        | I32RemUAImm { dst, .. }
        | I32RemUB { dst, .. }
        | I32AndA { dst, .. }
        | I32AndAImm { dst, .. }
        | I32OrA { dst, .. }
        | I32OrAImm { dst, .. }
        | I32XorA { dst, .. }
        | I32XorAImm { dst, .. }
        | I32ShlA { dst, .. }
        | I32ShlAImm { dst, .. }
        | I32ShlB { dst, .. }
        | I32ShrSA { dst, .. }
        | I32ShrSAImm { dst, .. }
        | I32ShrSB { dst, .. }
        | I32ShrUA { dst, .. }
        | I32ShrUAImm { dst, .. }
        | I32ShrUB { dst, .. }
        | I32RotlA { dst, .. }
        | I32RotlAImm { dst, .. }
        | I32RotlB { dst, .. }
        | I32RotrA { dst, .. }
        | I32RotrAImm { dst, .. }
        | I32RotrB { dst, .. }
        | I32EqA { dst, .. }
        | I32EqAImm { dst, .. }
        | I32NeA { dst, .. }
        | I32NeAImm { dst, .. }
        | I32LtSA { dst, .. }
        | I32LtSAImm { dst, .. }
        | I32LtUA { dst, .. }
        | I32LtUAImm { dst, .. }
        | I32GtSA { dst, .. }
        | I32GtSAImm { dst, .. }
        | I32GtUA { dst, .. }
        | I32GtUAImm { dst, .. }
        | I32LeSA { dst, .. }
        | I32LeSAImm { dst, .. }
        | I32LeUA { dst, .. }
        | I32LeUAImm { dst, .. }
        | I32GeSA { dst, .. }
        | I32GeSAImm { dst, .. }
        | I32GeUA { dst, .. }
        | I32GeUAImm { dst, .. }
        | I32ClzA { dst, .. }
        | I32CtzA { dst, .. }
        | I32PopcntA { dst, .. }
        | I32Extend8SA { dst, .. }
        | I32Extend16SA { dst, .. }
        | I64AddA { dst, .. }
        | I64AddAImm { dst, .. }
        | I64SubA { dst, .. }
        | I64SubAImm { dst, .. }
        | I64SubB { dst, .. }
        | I64MulA { dst, .. }
        | I64MulAImm { dst, .. }
        | I64DivSA { dst, .. }
        | I64DivSAImm { dst, .. }
        | I64DivSB { dst, .. }
        | I64DivUA { dst, .. }
        | I64DivUAImm { dst, .. }
        | I64DivUB { dst, .. }
        | I64RemSA { dst, .. }
        | I64RemSAImm { dst, .. }
        | I64RemSB { dst, .. }
        | I64RemUA { dst, .. }
        | I64RemUAImm { dst, .. }
        | I64RemUB { dst, .. }
        | I64AndA { dst, .. }
        | I64AndAImm { dst, .. }
        | I64OrA { dst, .. }
        | I64OrAImm { dst, .. }
        | I64XorA { dst, .. }
        | I64XorAImm { dst, .. }
        | I64ShlA { dst, .. }
        | I64ShlAImm { dst, .. }
        | I64ShlB { dst, .. }
        | I64ShrSA { dst, .. }
        | I64ShrSAImm { dst, .. }
        | I64ShrSB { dst, .. }
        | I64ShrUA { dst, .. }
        | I64ShrUAImm { dst, .. }
        | I64ShrUB { dst, .. }
        | I64RotlA { dst, .. }
        | I64RotlAImm { dst, .. }
        | I64RotlB { dst, .. }
        | I64RotrA { dst, .. }
        | I64RotrAImm { dst, .. }
        | I64RotrB { dst, .. }
        | I64EqA { dst, .. }
        | I64EqAImm { dst, .. }
        | I64NeA { dst, .. }
        | I64NeAImm { dst, .. }
        | I64LtSA { dst, .. }
        | I64LtSAImm { dst, .. }
        | I64LtUA { dst, .. }
        | I64LtUAImm { dst, .. }
        | I64GtSA { dst, .. }
        | I64GtSAImm { dst, .. }
        | I64GtUA { dst, .. }
        | I64GtUAImm { dst, .. }
        | I64LeSA { dst, .. }
        | I64LeSAImm { dst, .. }
        | I64LeUA { dst, .. }
        | I64LeUAImm { dst, .. }
        | I64GeSA { dst, .. }
        | I64GeSAImm { dst, .. }
        | I64GeUA { dst, .. }
        | I64GeUAImm { dst, .. }
        | I64ClzA { dst, .. }
        | I64CtzA { dst, .. }
        | I64PopcntA { dst, .. }
        | I64Extend8SA { dst, .. }
        | I64Extend16SA { dst, .. }
        | I64Extend32SA { dst, .. }
        | F32AddA { dst, .. }
        | F32SubA { dst, .. }
        | F32SubB { dst, .. }
        | F32MulA { dst, .. }
        | F32DivA { dst, .. }
        | F32DivB { dst, .. }
        | F32MinA { dst, .. }
        | F32MaxA { dst, .. }
        | F32CopysignA { dst, .. }
        | F32CopysignB { dst, .. }
        | F32EqA { dst, .. }
        | F32NeA { dst, .. }
        | F32LtA { dst, .. }
        | F32GtA { dst, .. }
        | F32LeA { dst, .. }
        | F32GeA { dst, .. }
        | F32AbsA { dst, .. }
        | F32NegA { dst, .. }
        | F32CeilA { dst, .. }
        | F32FloorA { dst, .. }
        | F32TruncA { dst, .. }
        | F32NearestA { dst, .. }
        | F32SqrtA { dst, .. }
        | F64AddA { dst, .. }
        | F64SubA { dst, .. }
        | F64SubB { dst, .. }
        | F64MulA { dst, .. }
        | F64DivA { dst, .. }
        | F64DivB { dst, .. }
        | F64MinA { dst, .. }
        | F64MaxA { dst, .. }
        | F64CopysignA { dst, .. }
        | F64CopysignB { dst, .. }
        | F64EqA { dst, .. }
        | F64NeA { dst, .. }
        | F64LtA { dst, .. }
        | F64GtA { dst, .. }
        | F64LeA { dst, .. }
        | F64GeA { dst, .. }
        | F64AbsA { dst, .. }
        | F64NegA { dst, .. }
        | F64CeilA { dst, .. }
        | F64FloorA { dst, .. }
        | F64TruncA { dst, .. }
        | F64NearestA { dst, .. }
        | F64SqrtA { dst, .. }
        | I32WrapI64A { dst, .. }
        | I64ExtendI32SA { dst, .. }
        | I32TruncF32SA { dst, .. }
        | I32TruncF32UA { dst, .. }
        | I32TruncF64SA { dst, .. }
        | I32TruncF64UA { dst, .. }
        | I64TruncF32SA { dst, .. }
        | I64TruncF32UA { dst, .. }
        | I64TruncF64SA { dst, .. }
        | I64TruncF64UA { dst, .. }
        | I32TruncSatF32SA { dst, .. }
        | I32TruncSatF32UA { dst, .. }
        | I32TruncSatF64SA { dst, .. }
        | I32TruncSatF64UA { dst, .. }
        | I64TruncSatF32SA { dst, .. }
        | I64TruncSatF32UA { dst, .. }
        | I64TruncSatF64SA { dst, .. }
        | I64TruncSatF64UA { dst, .. }
        | F32ConvertI32SA { dst, .. }
        | F32ConvertI32UA { dst, .. }
        | F32ConvertI64SA { dst, .. }
        | F32ConvertI64UA { dst, .. }
        | F64ConvertI32SA { dst, .. }
        | F64ConvertI32UA { dst, .. }
        | F64ConvertI64SA { dst, .. }
        | F64ConvertI64UA { dst, .. }
        | F32DemoteF64A { dst, .. }
        | F64PromoteF32A { dst, .. }
        | I32LoadA { dst, .. }
        | I64LoadA { dst, .. }
        | I32Load8SA { dst, .. }
        | I32Load8UA { dst, .. }
        | I32Load16SA { dst, .. }
        | I32Load16UA { dst, .. }
        | I64Load8SA { dst, .. }
        | I64Load8UA { dst, .. }
        | I64Load16SA { dst, .. }
        | I64Load16UA { dst, .. }
        | I64Load32SA { dst, .. }
        | I64Load32UA { dst, .. }
        | CopyA { dst, .. }
        | F64PromoteF32 { dst, .. } => Some(dst),
        _ => None,
    }
}

/// Pairs of comparisons and their branch forms: `$cmp`/`$cmp_imm` fuse into `$br`/`$br_imm`,
/// and `$nbr`/`$nbr_imm` branch when the comparison does not hold.
/// The integer comparisons in their four operand forms (slots, immediate, forwarded,
/// forwarded and immediate), the branches fusing each form, and the branches taken when the
/// comparison does not hold.
macro_rules! for_each_compare_branch {
    ($m:ident) => {
        $m! {
            I32Eq I32EqImm I32EqA I32EqAImm
                => BrIfI32Eq BrIfI32EqImm BrIfI32EqA BrIfI32EqAImm
                / BrIfI32Ne BrIfI32NeImm BrIfI32NeA BrIfI32NeAImm;
            I32Ne I32NeImm I32NeA I32NeAImm
                => BrIfI32Ne BrIfI32NeImm BrIfI32NeA BrIfI32NeAImm
                / BrIfI32Eq BrIfI32EqImm BrIfI32EqA BrIfI32EqAImm;
            I32LtS I32LtSImm I32LtSA I32LtSAImm
                => BrIfI32LtS BrIfI32LtSImm BrIfI32LtSA BrIfI32LtSAImm
                / BrIfI32GeS BrIfI32GeSImm BrIfI32GeSA BrIfI32GeSAImm;
            I32LtU I32LtUImm I32LtUA I32LtUAImm
                => BrIfI32LtU BrIfI32LtUImm BrIfI32LtUA BrIfI32LtUAImm
                / BrIfI32GeU BrIfI32GeUImm BrIfI32GeUA BrIfI32GeUAImm;
            I32GtS I32GtSImm I32GtSA I32GtSAImm
                => BrIfI32GtS BrIfI32GtSImm BrIfI32GtSA BrIfI32GtSAImm
                / BrIfI32LeS BrIfI32LeSImm BrIfI32LeSA BrIfI32LeSAImm;
            I32GtU I32GtUImm I32GtUA I32GtUAImm
                => BrIfI32GtU BrIfI32GtUImm BrIfI32GtUA BrIfI32GtUAImm
                / BrIfI32LeU BrIfI32LeUImm BrIfI32LeUA BrIfI32LeUAImm;
            I32LeS I32LeSImm I32LeSA I32LeSAImm
                => BrIfI32LeS BrIfI32LeSImm BrIfI32LeSA BrIfI32LeSAImm
                / BrIfI32GtS BrIfI32GtSImm BrIfI32GtSA BrIfI32GtSAImm;
            I32LeU I32LeUImm I32LeUA I32LeUAImm
                => BrIfI32LeU BrIfI32LeUImm BrIfI32LeUA BrIfI32LeUAImm
                / BrIfI32GtU BrIfI32GtUImm BrIfI32GtUA BrIfI32GtUAImm;
            I32GeS I32GeSImm I32GeSA I32GeSAImm
                => BrIfI32GeS BrIfI32GeSImm BrIfI32GeSA BrIfI32GeSAImm
                / BrIfI32LtS BrIfI32LtSImm BrIfI32LtSA BrIfI32LtSAImm;
            I32GeU I32GeUImm I32GeUA I32GeUAImm
                => BrIfI32GeU BrIfI32GeUImm BrIfI32GeUA BrIfI32GeUAImm
                / BrIfI32LtU BrIfI32LtUImm BrIfI32LtUA BrIfI32LtUAImm;
            I64Eq I64EqImm I64EqA I64EqAImm
                => BrIfI64Eq BrIfI64EqImm BrIfI64EqA BrIfI64EqAImm
                / BrIfI64Ne BrIfI64NeImm BrIfI64NeA BrIfI64NeAImm;
            I64Ne I64NeImm I64NeA I64NeAImm
                => BrIfI64Ne BrIfI64NeImm BrIfI64NeA BrIfI64NeAImm
                / BrIfI64Eq BrIfI64EqImm BrIfI64EqA BrIfI64EqAImm;
            I64LtS I64LtSImm I64LtSA I64LtSAImm
                => BrIfI64LtS BrIfI64LtSImm BrIfI64LtSA BrIfI64LtSAImm
                / BrIfI64GeS BrIfI64GeSImm BrIfI64GeSA BrIfI64GeSAImm;
            I64LtU I64LtUImm I64LtUA I64LtUAImm
                => BrIfI64LtU BrIfI64LtUImm BrIfI64LtUA BrIfI64LtUAImm
                / BrIfI64GeU BrIfI64GeUImm BrIfI64GeUA BrIfI64GeUAImm;
            I64GtS I64GtSImm I64GtSA I64GtSAImm
                => BrIfI64GtS BrIfI64GtSImm BrIfI64GtSA BrIfI64GtSAImm
                / BrIfI64LeS BrIfI64LeSImm BrIfI64LeSA BrIfI64LeSAImm;
            I64GtU I64GtUImm I64GtUA I64GtUAImm
                => BrIfI64GtU BrIfI64GtUImm BrIfI64GtUA BrIfI64GtUAImm
                / BrIfI64LeU BrIfI64LeUImm BrIfI64LeUA BrIfI64LeUAImm;
            I64LeS I64LeSImm I64LeSA I64LeSAImm
                => BrIfI64LeS BrIfI64LeSImm BrIfI64LeSA BrIfI64LeSAImm
                / BrIfI64GtS BrIfI64GtSImm BrIfI64GtSA BrIfI64GtSAImm;
            I64LeU I64LeUImm I64LeUA I64LeUAImm
                => BrIfI64LeU BrIfI64LeUImm BrIfI64LeUA BrIfI64LeUAImm
                / BrIfI64GtU BrIfI64GtUImm BrIfI64GtUA BrIfI64GtUAImm;
            I64GeS I64GeSImm I64GeSA I64GeSAImm
                => BrIfI64GeS BrIfI64GeSImm BrIfI64GeSA BrIfI64GeSAImm
                / BrIfI64LtS BrIfI64LtSImm BrIfI64LtSA BrIfI64LtSAImm;
            I64GeU I64GeUImm I64GeUA I64GeUAImm
                => BrIfI64GeU BrIfI64GeUImm BrIfI64GeUA BrIfI64GeUAImm
                / BrIfI64LtU BrIfI64LtUImm BrIfI64LtUA BrIfI64LtUAImm;
        }
    };
}

/// The branch taken when the comparison `instr` holds (or, with `negate`, when it does not),
/// if `instr` is an integer comparison.
pub(super) fn fuse_compare_branch(instr: Instr, negate: bool, offset: Offset) -> Option<Instr> {
    use Instr::*;
    macro_rules! fuse {
        ($($c:ident $ci:ident $ca:ident $cai:ident
            => $b:ident $bi:ident $ba:ident $bai:ident
            / $n:ident $ni:ident $na:ident $nai:ident;)*) => {
            match instr {
                $(
                    $c { a, b, .. } => if negate { $n { a, b, offset } } else { $b { a, b, offset } },
                    $ci { a, imm, .. } => {
                        if negate { $ni { a, imm, offset } } else { $bi { a, imm, offset } }
                    }
                    $ca { b, .. } => if negate { $na { b, offset } } else { $ba { b, offset } },
                    $cai { imm, .. } => {
                        if negate { $nai { imm, offset } } else { $bai { imm, offset } }
                    }
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
        ($($c:ident $ci:ident $ca:ident $cai:ident
            => $b:ident $bi:ident $ba:ident $bai:ident
            / $n:ident $ni:ident $na:ident $nai:ident;)*) => {
            match branch {
                BrIfNez { cond, offset } => BrIfEqz { cond, offset },
                BrIfEqz { cond, offset } => BrIfNez { cond, offset },
                BrIfNezA { offset } => BrIfEqzA { offset },
                BrIfEqzA { offset } => BrIfNezA { offset },
                $(
                    $b { a, b, offset } => $n { a, b, offset },
                    $bi { a, imm, offset } => $ni { a, imm, offset },
                    $ba { b, offset } => $na { b, offset },
                    $bai { imm, offset } => $nai { imm, offset },
                )*
                _ => return None,
            }
        };
    }
    Some(for_each_compare_branch!(negate))
}
