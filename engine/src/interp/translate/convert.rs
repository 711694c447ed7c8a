//! Conversions between value types. Reinterpretations and `i64.extend_i32_u` emit nothing:
//! the slot already holds the right bits (`i32` values are kept zero-extended).

use super::{Result, Translator};
use crate::interp::code::Instr;

impl Translator<'_> {
    unary! {
        visit_i32_wrap_i64 => I32WrapI64;
        visit_i64_extend_i32_s => I64ExtendI32S;
        visit_i32_trunc_f32_s => I32TruncF32S;
        visit_i32_trunc_f32_u => I32TruncF32U;
        visit_i32_trunc_f64_s => I32TruncF64S;
        visit_i32_trunc_f64_u => I32TruncF64U;
        visit_i64_trunc_f32_s => I64TruncF32S;
        visit_i64_trunc_f32_u => I64TruncF32U;
        visit_i64_trunc_f64_s => I64TruncF64S;
        visit_i64_trunc_f64_u => I64TruncF64U;
        visit_i32_trunc_sat_f32_s => I32TruncSatF32S;
        visit_i32_trunc_sat_f32_u => I32TruncSatF32U;
        visit_i32_trunc_sat_f64_s => I32TruncSatF64S;
        visit_i32_trunc_sat_f64_u => I32TruncSatF64U;
        visit_i64_trunc_sat_f32_s => I64TruncSatF32S;
        visit_i64_trunc_sat_f32_u => I64TruncSatF32U;
        visit_i64_trunc_sat_f64_s => I64TruncSatF64S;
        visit_i64_trunc_sat_f64_u => I64TruncSatF64U;
        visit_f32_convert_i32_s => F32ConvertI32S;
        visit_f32_convert_i32_u => F32ConvertI32U;
        visit_f32_convert_i64_s => F32ConvertI64S;
        visit_f32_convert_i64_u => F32ConvertI64U;
        visit_f64_convert_i32_s => F64ConvertI32S;
        visit_f64_convert_i32_u => F64ConvertI32U;
        visit_f64_convert_i64_s => F64ConvertI64S;
        visit_f64_convert_i64_u => F64ConvertI64U;
        visit_f32_demote_f64 => F32DemoteF64;
        visit_f64_promote_f32 => F64PromoteF32;
    }

    pub(super) fn visit_i64_extend_i32_u(&mut self) -> Result {
        Ok(())
    }

    pub(super) fn visit_i32_reinterpret_f32(&mut self) -> Result {
        Ok(())
    }

    pub(super) fn visit_i64_reinterpret_f64(&mut self) -> Result {
        Ok(())
    }

    pub(super) fn visit_f32_reinterpret_i32(&mut self) -> Result {
        Ok(())
    }

    pub(super) fn visit_f64_reinterpret_i64(&mut self) -> Result {
        Ok(())
    }
}
