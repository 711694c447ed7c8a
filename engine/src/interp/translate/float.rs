//! Floating-point operators. Constants are kept as bit patterns.

use super::operands::Operand;
use super::{Result, Translator};
use crate::interp::code::Instr;

/// Visitor methods for binary operations.
macro_rules! binary {
    ($($visit:ident => $op:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) -> Result {
                self.binary(|dst, a, b| Instr::$op { dst, a, b })
            }
        )*
    };
}

impl Translator<'_> {
    pub(super) fn visit_f32_const(&mut self, value: wasmparser::Ieee32) -> Result {
        self.operands.push(Operand::Const(value.bits() as u64));
        Ok(())
    }

    pub(super) fn visit_f64_const(&mut self, value: wasmparser::Ieee64) -> Result {
        self.operands.push(Operand::Const(value.bits()));
        Ok(())
    }

    binary! {
        visit_f32_add => F32Add;
        visit_f32_sub => F32Sub;
        visit_f32_mul => F32Mul;
        visit_f32_div => F32Div;
        visit_f32_min => F32Min;
        visit_f32_max => F32Max;
        visit_f32_copysign => F32Copysign;
        visit_f32_eq => F32Eq;
        visit_f32_ne => F32Ne;
        visit_f32_lt => F32Lt;
        visit_f32_gt => F32Gt;
        visit_f32_le => F32Le;
        visit_f32_ge => F32Ge;
        visit_f64_add => F64Add;
        visit_f64_sub => F64Sub;
        visit_f64_mul => F64Mul;
        visit_f64_div => F64Div;
        visit_f64_min => F64Min;
        visit_f64_max => F64Max;
        visit_f64_copysign => F64Copysign;
        visit_f64_eq => F64Eq;
        visit_f64_ne => F64Ne;
        visit_f64_lt => F64Lt;
        visit_f64_gt => F64Gt;
        visit_f64_le => F64Le;
        visit_f64_ge => F64Ge;
    }

    unary! {
        visit_f32_abs => F32Abs;
        visit_f32_neg => F32Neg;
        visit_f32_ceil => F32Ceil;
        visit_f32_floor => F32Floor;
        visit_f32_trunc => F32Trunc;
        visit_f32_nearest => F32Nearest;
        visit_f32_sqrt => F32Sqrt;
        visit_f64_abs => F64Abs;
        visit_f64_neg => F64Neg;
        visit_f64_ceil => F64Ceil;
        visit_f64_floor => F64Floor;
        visit_f64_trunc => F64Trunc;
        visit_f64_nearest => F64Nearest;
        visit_f64_sqrt => F64Sqrt;
    }
}
