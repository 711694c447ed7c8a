//! SIMD lane arithmetic, comparisons and conversions: every operator that maps its `v128`
//! operands (and, for shifts, an `i32` count) to one result.

use super::{Result, Translator};
use crate::interp::code::Instr;

/// Visitor methods for operations of one operand shape (see `simd.rs`): the translator method
/// for the shape, and the instruction fields it fills.
macro_rules! simd_ops {
    ($shape:ident $fields:tt: $($visit:ident => $op:ident;)*) => {
        $( simd_ops!(@one $shape $fields $visit $op); )*
    };
    (@one $shape:ident ($($field:ident),*) $visit:ident $op:ident) => {
        pub(super) fn $visit(&mut self) -> Result {
            self.$shape(|$($field),*| Instr::$op { $($field),* })
        }
    };
}

impl Translator<'_> {
    simd_ops! { simd_unary (dst, src):
        visit_i8x16_abs => I8x16Abs;
        visit_i8x16_neg => I8x16Neg;
        visit_i8x16_popcnt => I8x16Popcnt;
        visit_i16x8_extadd_pairwise_i8x16_s => I16x8ExtAddPairwiseI8x16S;
        visit_i16x8_extadd_pairwise_i8x16_u => I16x8ExtAddPairwiseI8x16U;
        visit_i16x8_abs => I16x8Abs;
        visit_i16x8_neg => I16x8Neg;
        visit_i32x4_extadd_pairwise_i16x8_s => I32x4ExtAddPairwiseI16x8S;
        visit_i32x4_extadd_pairwise_i16x8_u => I32x4ExtAddPairwiseI16x8U;
        visit_i32x4_abs => I32x4Abs;
        visit_i32x4_neg => I32x4Neg;
        visit_i64x2_abs => I64x2Abs;
        visit_i64x2_neg => I64x2Neg;
        visit_f32x4_ceil => F32x4Ceil;
        visit_f32x4_floor => F32x4Floor;
        visit_f32x4_trunc => F32x4Trunc;
        visit_f32x4_nearest => F32x4Nearest;
        visit_f32x4_abs => F32x4Abs;
        visit_f32x4_neg => F32x4Neg;
        visit_f32x4_sqrt => F32x4Sqrt;
        visit_f64x2_ceil => F64x2Ceil;
        visit_f64x2_floor => F64x2Floor;
        visit_f64x2_trunc => F64x2Trunc;
        visit_f64x2_nearest => F64x2Nearest;
        visit_f64x2_abs => F64x2Abs;
        visit_f64x2_neg => F64x2Neg;
        visit_f64x2_sqrt => F64x2Sqrt;
        visit_i16x8_extend_low_i8x16_s => I16x8ExtendLowI8x16S;
        visit_i16x8_extend_low_i8x16_u => I16x8ExtendLowI8x16U;
        visit_i16x8_extend_high_i8x16_s => I16x8ExtendHighI8x16S;
        visit_i16x8_extend_high_i8x16_u => I16x8ExtendHighI8x16U;
        visit_i32x4_extend_low_i16x8_s => I32x4ExtendLowI16x8S;
        visit_i32x4_extend_low_i16x8_u => I32x4ExtendLowI16x8U;
        visit_i32x4_extend_high_i16x8_s => I32x4ExtendHighI16x8S;
        visit_i32x4_extend_high_i16x8_u => I32x4ExtendHighI16x8U;
        visit_i64x2_extend_low_i32x4_s => I64x2ExtendLowI32x4S;
        visit_i64x2_extend_low_i32x4_u => I64x2ExtendLowI32x4U;
        visit_i64x2_extend_high_i32x4_s => I64x2ExtendHighI32x4S;
        visit_i64x2_extend_high_i32x4_u => I64x2ExtendHighI32x4U;
        visit_i32x4_trunc_sat_f32x4_s => I32x4TruncSatF32x4S;
        visit_i32x4_trunc_sat_f32x4_u => I32x4TruncSatF32x4U;
        visit_f32x4_convert_i32x4_s => F32x4ConvertI32x4S;
        visit_f32x4_convert_i32x4_u => F32x4ConvertI32x4U;
        visit_i32x4_trunc_sat_f64x2_s_zero => I32x4TruncSatF64x2SZero;
        visit_i32x4_trunc_sat_f64x2_u_zero => I32x4TruncSatF64x2UZero;
        visit_f64x2_convert_low_i32x4_s => F64x2ConvertLowI32x4S;
        visit_f64x2_convert_low_i32x4_u => F64x2ConvertLowI32x4U;
        visit_f32x4_demote_f64x2_zero => F32x4DemoteF64x2Zero;
        visit_f64x2_promote_low_f32x4 => F64x2PromoteLowF32x4;
    }

    simd_ops! { simd_binary (dst, a, b):
        visit_i8x16_eq => I8x16Eq;
        visit_i8x16_ne => I8x16Ne;
        visit_i8x16_lt_s => I8x16LtS;
        visit_i8x16_lt_u => I8x16LtU;
        visit_i8x16_gt_s => I8x16GtS;
        visit_i8x16_gt_u => I8x16GtU;
        visit_i8x16_le_s => I8x16LeS;
        visit_i8x16_le_u => I8x16LeU;
        visit_i8x16_ge_s => I8x16GeS;
        visit_i8x16_ge_u => I8x16GeU;
        visit_i16x8_eq => I16x8Eq;
        visit_i16x8_ne => I16x8Ne;
        visit_i16x8_lt_s => I16x8LtS;
        visit_i16x8_lt_u => I16x8LtU;
        visit_i16x8_gt_s => I16x8GtS;
        visit_i16x8_gt_u => I16x8GtU;
        visit_i16x8_le_s => I16x8LeS;
        visit_i16x8_le_u => I16x8LeU;
        visit_i16x8_ge_s => I16x8GeS;
        visit_i16x8_ge_u => I16x8GeU;
        visit_i32x4_eq => I32x4Eq;
        visit_i32x4_ne => I32x4Ne;
        visit_i32x4_lt_s => I32x4LtS;
        visit_i32x4_lt_u => I32x4LtU;
        visit_i32x4_gt_s => I32x4GtS;
        visit_i32x4_gt_u => I32x4GtU;
        visit_i32x4_le_s => I32x4LeS;
        visit_i32x4_le_u => I32x4LeU;
        visit_i32x4_ge_s => I32x4GeS;
        visit_i32x4_ge_u => I32x4GeU;
        visit_i64x2_eq => I64x2Eq;
        visit_i64x2_ne => I64x2Ne;
        visit_i64x2_lt_s => I64x2LtS;
        visit_i64x2_gt_s => I64x2GtS;
        visit_i64x2_le_s => I64x2LeS;
        visit_i64x2_ge_s => I64x2GeS;
        visit_i8x16_add => I8x16Add;
        visit_i8x16_add_sat_s => I8x16AddSatS;
        visit_i8x16_add_sat_u => I8x16AddSatU;
        visit_i8x16_sub => I8x16Sub;
        visit_i8x16_sub_sat_s => I8x16SubSatS;
        visit_i8x16_sub_sat_u => I8x16SubSatU;
        visit_i8x16_min_s => I8x16MinS;
        visit_i8x16_min_u => I8x16MinU;
        visit_i8x16_max_s => I8x16MaxS;
        visit_i8x16_max_u => I8x16MaxU;
        visit_i8x16_avgr_u => I8x16AvgrU;
        visit_i16x8_q15mulr_sat_s => I16x8Q15MulrSatS;
        visit_i16x8_add => I16x8Add;
        visit_i16x8_add_sat_s => I16x8AddSatS;
        visit_i16x8_add_sat_u => I16x8AddSatU;
        visit_i16x8_sub => I16x8Sub;
        visit_i16x8_sub_sat_s => I16x8SubSatS;
        visit_i16x8_sub_sat_u => I16x8SubSatU;
        visit_i16x8_mul => I16x8Mul;
        visit_i16x8_min_s => I16x8MinS;
        visit_i16x8_min_u => I16x8MinU;
        visit_i16x8_max_s => I16x8MaxS;
        visit_i16x8_max_u => I16x8MaxU;
        visit_i16x8_avgr_u => I16x8AvgrU;
        visit_i16x8_extmul_low_i8x16_s => I16x8ExtMulLowI8x16S;
        visit_i16x8_extmul_high_i8x16_s => I16x8ExtMulHighI8x16S;
        visit_i16x8_extmul_low_i8x16_u => I16x8ExtMulLowI8x16U;
        visit_i16x8_extmul_high_i8x16_u => I16x8ExtMulHighI8x16U;
        visit_i32x4_add => I32x4Add;
        visit_i32x4_sub => I32x4Sub;
        visit_i32x4_mul => I32x4Mul;
        visit_i32x4_min_s => I32x4MinS;
        visit_i32x4_min_u => I32x4MinU;
        visit_i32x4_max_s => I32x4MaxS;
        visit_i32x4_max_u => I32x4MaxU;
        visit_i32x4_dot_i16x8_s => I32x4DotI16x8S;
        visit_i32x4_extmul_low_i16x8_s => I32x4ExtMulLowI16x8S;
        visit_i32x4_extmul_high_i16x8_s => I32x4ExtMulHighI16x8S;
        visit_i32x4_extmul_low_i16x8_u => I32x4ExtMulLowI16x8U;
        visit_i32x4_extmul_high_i16x8_u => I32x4ExtMulHighI16x8U;
        visit_i64x2_add => I64x2Add;
        visit_i64x2_sub => I64x2Sub;
        visit_i64x2_mul => I64x2Mul;
        visit_i64x2_extmul_low_i32x4_s => I64x2ExtMulLowI32x4S;
        visit_i64x2_extmul_high_i32x4_s => I64x2ExtMulHighI32x4S;
        visit_i64x2_extmul_low_i32x4_u => I64x2ExtMulLowI32x4U;
        visit_i64x2_extmul_high_i32x4_u => I64x2ExtMulHighI32x4U;
        visit_f32x4_eq => F32x4Eq;
        visit_f32x4_ne => F32x4Ne;
        visit_f32x4_lt => F32x4Lt;
        visit_f32x4_gt => F32x4Gt;
        visit_f32x4_le => F32x4Le;
        visit_f32x4_ge => F32x4Ge;
        visit_f32x4_add => F32x4Add;
        visit_f32x4_sub => F32x4Sub;
        visit_f32x4_mul => F32x4Mul;
        visit_f32x4_div => F32x4Div;
        visit_f32x4_min => F32x4Min;
        visit_f32x4_max => F32x4Max;
        visit_f32x4_pmin => F32x4PMin;
        visit_f32x4_pmax => F32x4PMax;
        visit_f64x2_eq => F64x2Eq;
        visit_f64x2_ne => F64x2Ne;
        visit_f64x2_lt => F64x2Lt;
        visit_f64x2_gt => F64x2Gt;
        visit_f64x2_le => F64x2Le;
        visit_f64x2_ge => F64x2Ge;
        visit_f64x2_add => F64x2Add;
        visit_f64x2_sub => F64x2Sub;
        visit_f64x2_mul => F64x2Mul;
        visit_f64x2_div => F64x2Div;
        visit_f64x2_min => F64x2Min;
        visit_f64x2_max => F64x2Max;
        visit_f64x2_pmin => F64x2PMin;
        visit_f64x2_pmax => F64x2PMax;
        visit_i8x16_narrow_i16x8_s => I8x16NarrowI16x8S;
        visit_i8x16_narrow_i16x8_u => I8x16NarrowI16x8U;
        visit_i16x8_narrow_i32x4_s => I16x8NarrowI32x4S;
        visit_i16x8_narrow_i32x4_u => I16x8NarrowI32x4U;
    }

    simd_ops! { simd_shift (dst, a, b):
        visit_i8x16_shl => I8x16Shl;
        visit_i8x16_shr_s => I8x16ShrS;
        visit_i8x16_shr_u => I8x16ShrU;
        visit_i16x8_shl => I16x8Shl;
        visit_i16x8_shr_s => I16x8ShrS;
        visit_i16x8_shr_u => I16x8ShrU;
        visit_i32x4_shl => I32x4Shl;
        visit_i32x4_shr_s => I32x4ShrS;
        visit_i32x4_shr_u => I32x4ShrU;
        visit_i64x2_shl => I64x2Shl;
        visit_i64x2_shr_s => I64x2ShrS;
        visit_i64x2_shr_u => I64x2ShrU;
    }

    simd_ops! { simd_reduce (dst, src):
        visit_i8x16_all_true => I8x16AllTrue;
        visit_i8x16_bitmask => I8x16Bitmask;
        visit_i16x8_all_true => I16x8AllTrue;
        visit_i16x8_bitmask => I16x8Bitmask;
        visit_i32x4_all_true => I32x4AllTrue;
        visit_i32x4_bitmask => I32x4Bitmask;
        visit_i64x2_all_true => I64x2AllTrue;
        visit_i64x2_bitmask => I64x2Bitmask;
    }
}
