//! SIMD bitwise and integer operations: arithmetic, saturating arithmetic, comparisons, shifts,
//! lane tests and masks, narrowing, widening, and the widening multiplies and pairwise sums.
//!
//! Cranelift's vector instructions have Wasm's lane semantics: shifts take the amount modulo
//! the lane width, `avg_round` rounds up, `snarrow`/`unarrow` saturate a signed input,
//! `sqmul_round_sat` is Q15 rounding multiplication saturating the one overflowing case. The
//! widening multiplies and pairwise sums are written as widen-then-operate, the shape the
//! backends match to single instructions (`pmaddwd`, `pmuldq`, `pmaddubsw`, ...).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder};

use super::simd::V128;
use super::FuncTranslator;

/// Comparisons yield all-ones lanes for true and zero lanes for false, as Wasm's do.
macro_rules! vec_icmps {
    ($($visit:ident => $cc:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_binop(types::$shape, |b, x, y| b.ins().icmp(IntCC::$cc, x, y));
            }
        )*
    };
}

macro_rules! vec_shifts {
    ($($visit:ident => $ins:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let amount = self.pop();
                let x = self.pop_shape(types::$shape);
                let r = self.b.ins().$ins(x, amount);
                self.push_v128(r);
            }
        )*
    };
}

macro_rules! vec_tests {
    ($($visit:ident => $ins:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let x = self.pop_shape(types::$shape);
                let r = self.b.ins().$ins(x);
                self.push_bool(r);
            }
        )*
    };
}

macro_rules! bitmasks {
    ($($visit:ident => $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let x = self.pop_shape(types::$shape);
                let r = self.b.ins().vhigh_bits(types::I32, x);
                self.push(r);
            }
        )*
    };
}

/// `extmul`: both operands widened the same way (the low or high half, signed or unsigned),
/// then multiplied.
macro_rules! extmuls {
    ($($visit:ident => $widen:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_binop(types::$shape, |b, x, y| {
                    let x = b.ins().$widen(x);
                    let y = b.ins().$widen(y);
                    b.ins().imul(x, y)
                });
            }
        )*
    };
}

/// `extadd_pairwise`: the sum of each pair of adjacent lanes, widened.
macro_rules! extadd_pairwises {
    ($($visit:ident => $low:ident, $high:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_unop(types::$shape, |b, x| {
                    let low = b.ins().$low(x);
                    let high = b.ins().$high(x);
                    b.ins().iadd_pairwise(low, high)
                });
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    vec_unops! {
        visit_v128_not => bnot on I8X16;
        visit_i8x16_abs => iabs on I8X16;
        visit_i8x16_neg => ineg on I8X16;
        visit_i8x16_popcnt => popcnt on I8X16;
        visit_i16x8_abs => iabs on I16X8;
        visit_i16x8_neg => ineg on I16X8;
        visit_i32x4_abs => iabs on I32X4;
        visit_i32x4_neg => ineg on I32X4;
        visit_i64x2_abs => iabs on I64X2;
        visit_i64x2_neg => ineg on I64X2;
        visit_i16x8_extend_low_i8x16_s => swiden_low on I8X16;
        visit_i16x8_extend_high_i8x16_s => swiden_high on I8X16;
        visit_i16x8_extend_low_i8x16_u => uwiden_low on I8X16;
        visit_i16x8_extend_high_i8x16_u => uwiden_high on I8X16;
        visit_i32x4_extend_low_i16x8_s => swiden_low on I16X8;
        visit_i32x4_extend_high_i16x8_s => swiden_high on I16X8;
        visit_i32x4_extend_low_i16x8_u => uwiden_low on I16X8;
        visit_i32x4_extend_high_i16x8_u => uwiden_high on I16X8;
        visit_i64x2_extend_low_i32x4_s => swiden_low on I32X4;
        visit_i64x2_extend_high_i32x4_s => swiden_high on I32X4;
        visit_i64x2_extend_low_i32x4_u => uwiden_low on I32X4;
        visit_i64x2_extend_high_i32x4_u => uwiden_high on I32X4;
    }

    vec_binops! {
        visit_v128_and => band on I8X16;
        visit_v128_or => bor on I8X16;
        visit_v128_xor => bxor on I8X16;
        visit_v128_andnot => band_not on I8X16;
        visit_i8x16_add => iadd on I8X16;
        visit_i8x16_add_sat_s => sadd_sat on I8X16;
        visit_i8x16_add_sat_u => uadd_sat on I8X16;
        visit_i8x16_sub => isub on I8X16;
        visit_i8x16_sub_sat_s => ssub_sat on I8X16;
        visit_i8x16_sub_sat_u => usub_sat on I8X16;
        visit_i8x16_min_s => smin on I8X16;
        visit_i8x16_min_u => umin on I8X16;
        visit_i8x16_max_s => smax on I8X16;
        visit_i8x16_max_u => umax on I8X16;
        visit_i8x16_avgr_u => avg_round on I8X16;
        visit_i8x16_narrow_i16x8_s => snarrow on I16X8;
        visit_i8x16_narrow_i16x8_u => unarrow on I16X8;
        visit_i16x8_add => iadd on I16X8;
        visit_i16x8_add_sat_s => sadd_sat on I16X8;
        visit_i16x8_add_sat_u => uadd_sat on I16X8;
        visit_i16x8_sub => isub on I16X8;
        visit_i16x8_sub_sat_s => ssub_sat on I16X8;
        visit_i16x8_sub_sat_u => usub_sat on I16X8;
        visit_i16x8_mul => imul on I16X8;
        visit_i16x8_min_s => smin on I16X8;
        visit_i16x8_min_u => umin on I16X8;
        visit_i16x8_max_s => smax on I16X8;
        visit_i16x8_max_u => umax on I16X8;
        visit_i16x8_avgr_u => avg_round on I16X8;
        visit_i16x8_q15mulr_sat_s => sqmul_round_sat on I16X8;
        visit_i16x8_narrow_i32x4_s => snarrow on I32X4;
        visit_i16x8_narrow_i32x4_u => unarrow on I32X4;
        visit_i32x4_add => iadd on I32X4;
        visit_i32x4_sub => isub on I32X4;
        visit_i32x4_mul => imul on I32X4;
        visit_i32x4_min_s => smin on I32X4;
        visit_i32x4_min_u => umin on I32X4;
        visit_i32x4_max_s => smax on I32X4;
        visit_i32x4_max_u => umax on I32X4;
        visit_i64x2_add => iadd on I64X2;
        visit_i64x2_sub => isub on I64X2;
        visit_i64x2_mul => imul on I64X2;
    }

    vec_icmps! {
        visit_i8x16_eq => Equal on I8X16;
        visit_i8x16_ne => NotEqual on I8X16;
        visit_i8x16_lt_s => SignedLessThan on I8X16;
        visit_i8x16_lt_u => UnsignedLessThan on I8X16;
        visit_i8x16_gt_s => SignedGreaterThan on I8X16;
        visit_i8x16_gt_u => UnsignedGreaterThan on I8X16;
        visit_i8x16_le_s => SignedLessThanOrEqual on I8X16;
        visit_i8x16_le_u => UnsignedLessThanOrEqual on I8X16;
        visit_i8x16_ge_s => SignedGreaterThanOrEqual on I8X16;
        visit_i8x16_ge_u => UnsignedGreaterThanOrEqual on I8X16;
        visit_i16x8_eq => Equal on I16X8;
        visit_i16x8_ne => NotEqual on I16X8;
        visit_i16x8_lt_s => SignedLessThan on I16X8;
        visit_i16x8_lt_u => UnsignedLessThan on I16X8;
        visit_i16x8_gt_s => SignedGreaterThan on I16X8;
        visit_i16x8_gt_u => UnsignedGreaterThan on I16X8;
        visit_i16x8_le_s => SignedLessThanOrEqual on I16X8;
        visit_i16x8_le_u => UnsignedLessThanOrEqual on I16X8;
        visit_i16x8_ge_s => SignedGreaterThanOrEqual on I16X8;
        visit_i16x8_ge_u => UnsignedGreaterThanOrEqual on I16X8;
        visit_i32x4_eq => Equal on I32X4;
        visit_i32x4_ne => NotEqual on I32X4;
        visit_i32x4_lt_s => SignedLessThan on I32X4;
        visit_i32x4_lt_u => UnsignedLessThan on I32X4;
        visit_i32x4_gt_s => SignedGreaterThan on I32X4;
        visit_i32x4_gt_u => UnsignedGreaterThan on I32X4;
        visit_i32x4_le_s => SignedLessThanOrEqual on I32X4;
        visit_i32x4_le_u => UnsignedLessThanOrEqual on I32X4;
        visit_i32x4_ge_s => SignedGreaterThanOrEqual on I32X4;
        visit_i32x4_ge_u => UnsignedGreaterThanOrEqual on I32X4;
        visit_i64x2_eq => Equal on I64X2;
        visit_i64x2_ne => NotEqual on I64X2;
        visit_i64x2_lt_s => SignedLessThan on I64X2;
        visit_i64x2_gt_s => SignedGreaterThan on I64X2;
        visit_i64x2_le_s => SignedLessThanOrEqual on I64X2;
        visit_i64x2_ge_s => SignedGreaterThanOrEqual on I64X2;
    }

    vec_shifts! {
        visit_i8x16_shl => ishl on I8X16;
        visit_i8x16_shr_s => sshr on I8X16;
        visit_i8x16_shr_u => ushr on I8X16;
        visit_i16x8_shl => ishl on I16X8;
        visit_i16x8_shr_s => sshr on I16X8;
        visit_i16x8_shr_u => ushr on I16X8;
        visit_i32x4_shl => ishl on I32X4;
        visit_i32x4_shr_s => sshr on I32X4;
        visit_i32x4_shr_u => ushr on I32X4;
        visit_i64x2_shl => ishl on I64X2;
        visit_i64x2_shr_s => sshr on I64X2;
        visit_i64x2_shr_u => ushr on I64X2;
    }

    vec_tests! {
        visit_v128_any_true => vany_true on I8X16;
        visit_i8x16_all_true => vall_true on I8X16;
        visit_i16x8_all_true => vall_true on I16X8;
        visit_i32x4_all_true => vall_true on I32X4;
        visit_i64x2_all_true => vall_true on I64X2;
    }

    bitmasks! {
        visit_i8x16_bitmask => I8X16;
        visit_i16x8_bitmask => I16X8;
        visit_i32x4_bitmask => I32X4;
        visit_i64x2_bitmask => I64X2;
    }

    extmuls! {
        visit_i16x8_extmul_low_i8x16_s => swiden_low on I8X16;
        visit_i16x8_extmul_high_i8x16_s => swiden_high on I8X16;
        visit_i16x8_extmul_low_i8x16_u => uwiden_low on I8X16;
        visit_i16x8_extmul_high_i8x16_u => uwiden_high on I8X16;
        visit_i32x4_extmul_low_i16x8_s => swiden_low on I16X8;
        visit_i32x4_extmul_high_i16x8_s => swiden_high on I16X8;
        visit_i32x4_extmul_low_i16x8_u => uwiden_low on I16X8;
        visit_i32x4_extmul_high_i16x8_u => uwiden_high on I16X8;
        visit_i64x2_extmul_low_i32x4_s => swiden_low on I32X4;
        visit_i64x2_extmul_high_i32x4_s => swiden_high on I32X4;
        visit_i64x2_extmul_low_i32x4_u => uwiden_low on I32X4;
        visit_i64x2_extmul_high_i32x4_u => uwiden_high on I32X4;
    }

    extadd_pairwises! {
        visit_i16x8_extadd_pairwise_i8x16_s => swiden_low, swiden_high on I8X16;
        visit_i16x8_extadd_pairwise_i8x16_u => uwiden_low, uwiden_high on I8X16;
        visit_i32x4_extadd_pairwise_i16x8_s => swiden_low, swiden_high on I16X8;
        visit_i32x4_extadd_pairwise_i16x8_u => uwiden_low, uwiden_high on I16X8;
    }

    /// Cranelift's `bitselect(c, x, y)` takes `x`'s bits where `c` is set; Wasm's operand order
    /// is `x`, `y`, then the mask.
    pub(super) fn visit_v128_bitselect(&mut self) {
        let mask = self.pop_shape(V128);
        let (x, y) = self.pop2_shape(V128);
        let r = self.b.ins().bitselect(mask, x, y);
        self.push(r);
    }

    /// The products of the low lane pairs and of the high lane pairs, each pair then summed.
    pub(super) fn visit_i32x4_dot_i16x8_s(&mut self) {
        self.vec_binop(types::I16X8, |b, x, y| {
            let (xl, yl) = (b.ins().swiden_low(x), b.ins().swiden_low(y));
            let low = b.ins().imul(xl, yl);
            let (xh, yh) = (b.ins().swiden_high(x), b.ins().swiden_high(y));
            let high = b.ins().imul(xh, yh);
            b.ins().iadd_pairwise(low, high)
        });
    }
}
