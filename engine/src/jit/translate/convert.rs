//! Conversions between value types.
//!
//! Cranelift's trapping float-to-int conversions raise `BAD_CONVERSION_TO_INTEGER` for NaN and
//! `INTEGER_OVERFLOW` for out-of-range values, which map to Wasm's two trap kinds; the
//! saturating ones match Wasm's `trunc_sat` exactly.

use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData};

use super::FuncTranslator;

macro_rules! converts {
    ($($visit:ident => $ins:ident($ty:ident);)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.unop(|b, x| b.ins().$ins(types::$ty, x));
            }
        )*
    };
}

macro_rules! reinterprets {
    ($($visit:ident => $ty:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.unop(|b, x| b.ins().bitcast(types::$ty, MemFlagsData::new(), x));
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    converts! {
        visit_i32_wrap_i64 => ireduce(I32);
        visit_i64_extend_i32_s => sextend(I64);
        visit_i64_extend_i32_u => uextend(I64);
        visit_i32_trunc_f32_s => fcvt_to_sint(I32);
        visit_i32_trunc_f32_u => fcvt_to_uint(I32);
        visit_i32_trunc_f64_s => fcvt_to_sint(I32);
        visit_i32_trunc_f64_u => fcvt_to_uint(I32);
        visit_i64_trunc_f32_s => fcvt_to_sint(I64);
        visit_i64_trunc_f32_u => fcvt_to_uint(I64);
        visit_i64_trunc_f64_s => fcvt_to_sint(I64);
        visit_i64_trunc_f64_u => fcvt_to_uint(I64);
        visit_i32_trunc_sat_f32_s => fcvt_to_sint_sat(I32);
        visit_i32_trunc_sat_f32_u => fcvt_to_uint_sat(I32);
        visit_i32_trunc_sat_f64_s => fcvt_to_sint_sat(I32);
        visit_i32_trunc_sat_f64_u => fcvt_to_uint_sat(I32);
        visit_i64_trunc_sat_f32_s => fcvt_to_sint_sat(I64);
        visit_i64_trunc_sat_f32_u => fcvt_to_uint_sat(I64);
        visit_i64_trunc_sat_f64_s => fcvt_to_sint_sat(I64);
        visit_i64_trunc_sat_f64_u => fcvt_to_uint_sat(I64);
        visit_f32_convert_i32_s => fcvt_from_sint(F32);
        visit_f32_convert_i32_u => fcvt_from_uint(F32);
        visit_f32_convert_i64_s => fcvt_from_sint(F32);
        visit_f32_convert_i64_u => fcvt_from_uint(F32);
        visit_f64_convert_i32_s => fcvt_from_sint(F64);
        visit_f64_convert_i32_u => fcvt_from_uint(F64);
        visit_f64_convert_i64_s => fcvt_from_sint(F64);
        visit_f64_convert_i64_u => fcvt_from_uint(F64);
        visit_f32_demote_f64 => fdemote(F32);
        visit_f64_promote_f32 => fpromote(F64);
    }

    reinterprets! {
        visit_i32_reinterpret_f32 => I32;
        visit_i64_reinterpret_f64 => I64;
        visit_f32_reinterpret_i32 => F32;
        visit_f64_reinterpret_i64 => F64;
    }
}
