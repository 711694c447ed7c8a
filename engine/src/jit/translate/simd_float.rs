//! SIMD floating-point arithmetic, rounding, comparisons, and minimum and maximum.
//!
//! As for scalars (`float.rs`), Cranelift's vector `fmin`/`fmax` propagate NaN and order -0
//! below +0, its sign operations touch only the sign bit, and `nearest` rounds ties to even.
//! Arithmetic on a NaN yields a quiet NaN, which is what the spec tests' `nan:canonical` and
//! `nan:arithmetic` results accept.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, InstBuilder, Type};

use super::FuncTranslator;

/// Comparisons yield all-ones lanes for true and zero lanes for false; `NotEqual` is true for
/// unordered lanes, the others false, as in Wasm.
macro_rules! vec_fcmps {
    ($($visit:ident => $cc:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_binop(types::$shape, |b, x, y| b.ins().fcmp(FloatCC::$cc, x, y));
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    vec_unops! {
        visit_f32x4_abs => fabs on F32X4;
        visit_f32x4_neg => fneg on F32X4;
        visit_f32x4_sqrt => sqrt on F32X4;
        visit_f32x4_ceil => ceil on F32X4;
        visit_f32x4_floor => floor on F32X4;
        visit_f32x4_trunc => trunc on F32X4;
        visit_f32x4_nearest => nearest on F32X4;
        visit_f64x2_abs => fabs on F64X2;
        visit_f64x2_neg => fneg on F64X2;
        visit_f64x2_sqrt => sqrt on F64X2;
        visit_f64x2_ceil => ceil on F64X2;
        visit_f64x2_floor => floor on F64X2;
        visit_f64x2_trunc => trunc on F64X2;
        visit_f64x2_nearest => nearest on F64X2;
    }

    vec_binops! {
        visit_f32x4_add => fadd on F32X4;
        visit_f32x4_sub => fsub on F32X4;
        visit_f32x4_mul => fmul on F32X4;
        visit_f32x4_div => fdiv on F32X4;
        visit_f32x4_min => fmin on F32X4;
        visit_f32x4_max => fmax on F32X4;
        visit_f64x2_add => fadd on F64X2;
        visit_f64x2_sub => fsub on F64X2;
        visit_f64x2_mul => fmul on F64X2;
        visit_f64x2_div => fdiv on F64X2;
        visit_f64x2_min => fmin on F64X2;
        visit_f64x2_max => fmax on F64X2;
    }

    vec_fcmps! {
        visit_f32x4_eq => Equal on F32X4;
        visit_f32x4_ne => NotEqual on F32X4;
        visit_f32x4_lt => LessThan on F32X4;
        visit_f32x4_gt => GreaterThan on F32X4;
        visit_f32x4_le => LessThanOrEqual on F32X4;
        visit_f32x4_ge => GreaterThanOrEqual on F32X4;
        visit_f64x2_eq => Equal on F64X2;
        visit_f64x2_ne => NotEqual on F64X2;
        visit_f64x2_lt => LessThan on F64X2;
        visit_f64x2_gt => GreaterThan on F64X2;
        visit_f64x2_le => LessThanOrEqual on F64X2;
        visit_f64x2_ge => GreaterThanOrEqual on F64X2;
    }

    pub(super) fn visit_f32x4_pmin(&mut self) {
        self.pseudo_min_max(types::F32X4, false);
    }

    pub(super) fn visit_f32x4_pmax(&mut self) {
        self.pseudo_min_max(types::F32X4, true);
    }

    pub(super) fn visit_f64x2_pmin(&mut self) {
        self.pseudo_min_max(types::F64X2, false);
    }

    pub(super) fn visit_f64x2_pmax(&mut self) {
        self.pseudo_min_max(types::F64X2, true);
    }

    /// The pseudo-minimum and -maximum are one comparison each, with no NaN or signed-zero
    /// cases: `pmin(x, y) = y < x ? y : x` and `pmax(x, y) = x < y ? y : x`. Written so, the
    /// backends turn them into single `minps`/`maxps`-style instructions, whose operand order
    /// gives exactly this result.
    fn pseudo_min_max(&mut self, shape: Type, max: bool) {
        let (x, y) = self.pop2_shape(shape);
        let (less, greater) = if max { (x, y) } else { (y, x) };
        let take_y = self.b.ins().fcmp(FloatCC::LessThan, less, greater);
        // The comparison yields integer lanes; `bitselect` wants all operands of one type.
        let take_y = self.as_shape(take_y, shape);
        let r = self.b.ins().bitselect(take_y, y, x);
        self.push_v128(r);
    }
}
