//! SIMD conversions between integer and floating-point lanes, and between `f32` and `f64`
//! lanes.
//!
//! Cranelift's saturating conversions map NaN to 0 and clamp out-of-range values, as Wasm's
//! `trunc_sat` does. The conversions that change the lane count produce or consume only the
//! low two lanes; the others are zero, which is written as narrowing against a zero vector
//! or widening the low half — the shapes the backends match to single instructions.

use cranelift_codegen::ir::{types, InstBuilder};

use super::FuncTranslator;

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_f32x4_convert_i32x4_s(&mut self) {
        self.vec_unop(types::I32X4, |b, x| b.ins().fcvt_from_sint(types::F32X4, x));
    }

    pub(super) fn visit_f32x4_convert_i32x4_u(&mut self) {
        self.vec_unop(types::I32X4, |b, x| b.ins().fcvt_from_uint(types::F32X4, x));
    }

    pub(super) fn visit_f64x2_convert_low_i32x4_s(&mut self) {
        self.vec_unop(types::I32X4, |b, x| {
            let wide = b.ins().swiden_low(x);
            b.ins().fcvt_from_sint(types::F64X2, wide)
        });
    }

    pub(super) fn visit_f64x2_convert_low_i32x4_u(&mut self) {
        self.vec_unop(types::I32X4, |b, x| {
            let wide = b.ins().uwiden_low(x);
            b.ins().fcvt_from_uint(types::F64X2, wide)
        });
    }

    pub(super) fn visit_i32x4_trunc_sat_f32x4_s(&mut self) {
        self.vec_unop(types::F32X4, |b, x| {
            b.ins().fcvt_to_sint_sat(types::I32X4, x)
        });
    }

    pub(super) fn visit_i32x4_trunc_sat_f32x4_u(&mut self) {
        self.vec_unop(types::F32X4, |b, x| {
            b.ins().fcvt_to_uint_sat(types::I32X4, x)
        });
    }

    /// Each lane is converted to 64 bits and then narrowed to 32 with saturation, which
    /// cannot change a value already clamped to the `i32` range.
    pub(super) fn visit_i32x4_trunc_sat_f64x2_s_zero(&mut self) {
        let x = self.pop_shape(types::F64X2);
        let wide = self.b.ins().fcvt_to_sint_sat(types::I64X2, x);
        let zero = self.zero_shape(types::I64X2);
        let r = self.b.ins().snarrow(wide, zero);
        self.push_v128(r);
    }

    pub(super) fn visit_i32x4_trunc_sat_f64x2_u_zero(&mut self) {
        let x = self.pop_shape(types::F64X2);
        let wide = self.b.ins().fcvt_to_uint_sat(types::I64X2, x);
        let zero = self.zero_shape(types::I64X2);
        let r = self.b.ins().uunarrow(wide, zero);
        self.push_v128(r);
    }

    pub(super) fn visit_f32x4_demote_f64x2_zero(&mut self) {
        self.vec_unop(types::F64X2, |b, x| b.ins().fvdemote(x));
    }

    pub(super) fn visit_f64x2_promote_low_f32x4(&mut self) {
        self.vec_unop(types::F32X4, |b, x| b.ins().fvpromote_low(x));
    }
}
