//! Integer operators: constants, arithmetic, bitwise operations and comparisons.
//!
//! Binary operations take a constant operand as an immediate when it fits in 32 bits; `eqz`
//! becomes a comparison with the immediate 0, so that it fuses with branches like the others.

use super::operands::Operand;
use super::{ImmForms, Result, Translator};
use crate::interp::code::Instr;

/// Visitor methods for binary operations with an immediate form. `swap` names the immediate
/// form computing the same result with the operands exchanged, or is `none`.
macro_rules! binary_imm {
    ($($visit:ident => $reg:ident, $imm:ident, swap $swap:tt, wide $wide:literal;)*) => {
        $(
            pub(super) fn $visit(&mut self) -> Result {
                self.binary_imm(ImmForms {
                    reg: |dst, a, b| Instr::$reg { dst, a, b },
                    imm: |dst, a, imm| Instr::$imm { dst, a, imm },
                    swapped: binary_imm!(@swap $swap),
                    wide: $wide,
                })
            }
        )*
    };
    (@swap none) => { None };
    (@swap $imm:ident) => { Some(|dst, a, imm| Instr::$imm { dst, a, imm }) };
}

impl Translator<'_> {
    pub(super) fn visit_i32_const(&mut self, value: i32) -> Result {
        self.operands.push(Operand::Const(value as u32 as u64));
        Ok(())
    }

    pub(super) fn visit_i64_const(&mut self, value: i64) -> Result {
        self.operands.push(Operand::Const(value as u64));
        Ok(())
    }

    pub(super) fn visit_i32_eqz(&mut self) -> Result {
        self.operands.push(Operand::Const(0));
        self.visit_i32_eq()
    }

    pub(super) fn visit_i64_eqz(&mut self) -> Result {
        self.operands.push(Operand::Const(0));
        self.visit_i64_eq()
    }

    binary_imm! {
        visit_i32_add => I32Add, I32AddImm, swap I32AddImm, wide false;
        visit_i32_sub => I32Sub, I32SubImm, swap none, wide false;
        visit_i32_mul => I32Mul, I32MulImm, swap I32MulImm, wide false;
        visit_i32_div_s => I32DivS, I32DivSImm, swap none, wide false;
        visit_i32_div_u => I32DivU, I32DivUImm, swap none, wide false;
        visit_i32_rem_s => I32RemS, I32RemSImm, swap none, wide false;
        visit_i32_rem_u => I32RemU, I32RemUImm, swap none, wide false;
        visit_i32_and => I32And, I32AndImm, swap I32AndImm, wide false;
        visit_i32_or => I32Or, I32OrImm, swap I32OrImm, wide false;
        visit_i32_xor => I32Xor, I32XorImm, swap I32XorImm, wide false;
        visit_i32_shl => I32Shl, I32ShlImm, swap none, wide false;
        visit_i32_shr_s => I32ShrS, I32ShrSImm, swap none, wide false;
        visit_i32_shr_u => I32ShrU, I32ShrUImm, swap none, wide false;
        visit_i32_rotl => I32Rotl, I32RotlImm, swap none, wide false;
        visit_i32_rotr => I32Rotr, I32RotrImm, swap none, wide false;
        visit_i32_eq => I32Eq, I32EqImm, swap I32EqImm, wide false;
        visit_i32_ne => I32Ne, I32NeImm, swap I32NeImm, wide false;
        visit_i32_lt_s => I32LtS, I32LtSImm, swap I32GtSImm, wide false;
        visit_i32_lt_u => I32LtU, I32LtUImm, swap I32GtUImm, wide false;
        visit_i32_gt_s => I32GtS, I32GtSImm, swap I32LtSImm, wide false;
        visit_i32_gt_u => I32GtU, I32GtUImm, swap I32LtUImm, wide false;
        visit_i32_le_s => I32LeS, I32LeSImm, swap I32GeSImm, wide false;
        visit_i32_le_u => I32LeU, I32LeUImm, swap I32GeUImm, wide false;
        visit_i32_ge_s => I32GeS, I32GeSImm, swap I32LeSImm, wide false;
        visit_i32_ge_u => I32GeU, I32GeUImm, swap I32LeUImm, wide false;
        visit_i64_add => I64Add, I64AddImm, swap I64AddImm, wide true;
        visit_i64_sub => I64Sub, I64SubImm, swap none, wide true;
        visit_i64_mul => I64Mul, I64MulImm, swap I64MulImm, wide true;
        visit_i64_div_s => I64DivS, I64DivSImm, swap none, wide true;
        visit_i64_div_u => I64DivU, I64DivUImm, swap none, wide true;
        visit_i64_rem_s => I64RemS, I64RemSImm, swap none, wide true;
        visit_i64_rem_u => I64RemU, I64RemUImm, swap none, wide true;
        visit_i64_and => I64And, I64AndImm, swap I64AndImm, wide true;
        visit_i64_or => I64Or, I64OrImm, swap I64OrImm, wide true;
        visit_i64_xor => I64Xor, I64XorImm, swap I64XorImm, wide true;
        visit_i64_shl => I64Shl, I64ShlImm, swap none, wide true;
        visit_i64_shr_s => I64ShrS, I64ShrSImm, swap none, wide true;
        visit_i64_shr_u => I64ShrU, I64ShrUImm, swap none, wide true;
        visit_i64_rotl => I64Rotl, I64RotlImm, swap none, wide true;
        visit_i64_rotr => I64Rotr, I64RotrImm, swap none, wide true;
        visit_i64_eq => I64Eq, I64EqImm, swap I64EqImm, wide true;
        visit_i64_ne => I64Ne, I64NeImm, swap I64NeImm, wide true;
        visit_i64_lt_s => I64LtS, I64LtSImm, swap I64GtSImm, wide true;
        visit_i64_lt_u => I64LtU, I64LtUImm, swap I64GtUImm, wide true;
        visit_i64_gt_s => I64GtS, I64GtSImm, swap I64LtSImm, wide true;
        visit_i64_gt_u => I64GtU, I64GtUImm, swap I64LtUImm, wide true;
        visit_i64_le_s => I64LeS, I64LeSImm, swap I64GeSImm, wide true;
        visit_i64_le_u => I64LeU, I64LeUImm, swap I64GeUImm, wide true;
        visit_i64_ge_s => I64GeS, I64GeSImm, swap I64LeSImm, wide true;
        visit_i64_ge_u => I64GeU, I64GeUImm, swap I64LeUImm, wide true;
    }

    unary! {
        visit_i32_clz => I32Clz;
        visit_i32_ctz => I32Ctz;
        visit_i32_popcnt => I32Popcnt;
        visit_i32_extend8_s => I32Extend8S;
        visit_i32_extend16_s => I32Extend16S;
        visit_i64_clz => I64Clz;
        visit_i64_ctz => I64Ctz;
        visit_i64_popcnt => I64Popcnt;
        visit_i64_extend8_s => I64Extend8S;
        visit_i64_extend16_s => I64Extend16S;
        visit_i64_extend32_s => I64Extend32S;
    }
}
