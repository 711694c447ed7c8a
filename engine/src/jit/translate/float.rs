//! Floating-point constants, arithmetic and comparisons.
//!
//! Cranelift's `fmin`/`fmax` propagate NaN and order -0 below +0, and its sign operations
//! (`fneg`, `fabs`, `fcopysign`) touch only the sign bit, all as Wasm specifies.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::InstBuilder;

use super::FuncTranslator;

macro_rules! fcmps {
    ($($visit:ident => $cc:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let (x, y) = self.pop2();
                let r = self.b.ins().fcmp(FloatCC::$cc, x, y);
                self.push_bool(r);
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_f32_const(&mut self, value: wasmparser::Ieee32) {
        let v = self.b.ins().f32const(Ieee32::with_bits(value.bits()));
        self.push(v);
    }

    pub(super) fn visit_f64_const(&mut self, value: wasmparser::Ieee64) {
        let v = self.b.ins().f64const(Ieee64::with_bits(value.bits()));
        self.push(v);
    }

    // `NotEqual` is true for unordered operands, the others false, as in Wasm.
    fcmps! {
        visit_f32_eq => Equal;
        visit_f32_ne => NotEqual;
        visit_f32_lt => LessThan;
        visit_f32_gt => GreaterThan;
        visit_f32_le => LessThanOrEqual;
        visit_f32_ge => GreaterThanOrEqual;
        visit_f64_eq => Equal;
        visit_f64_ne => NotEqual;
        visit_f64_lt => LessThan;
        visit_f64_gt => GreaterThan;
        visit_f64_le => LessThanOrEqual;
        visit_f64_ge => GreaterThanOrEqual;
    }

    unops! {
        visit_f32_abs => fabs;
        visit_f32_neg => fneg;
        visit_f32_ceil => ceil;
        visit_f32_floor => floor;
        visit_f32_trunc => trunc;
        visit_f32_nearest => nearest;
        visit_f32_sqrt => sqrt;
        visit_f64_abs => fabs;
        visit_f64_neg => fneg;
        visit_f64_ceil => ceil;
        visit_f64_floor => floor;
        visit_f64_trunc => trunc;
        visit_f64_nearest => nearest;
        visit_f64_sqrt => sqrt;
    }

    binops! {
        visit_f32_add => fadd;
        visit_f32_sub => fsub;
        visit_f32_mul => fmul;
        visit_f32_div => fdiv;
        visit_f32_min => fmin;
        visit_f32_max => fmax;
        visit_f32_copysign => fcopysign;
        visit_f64_add => fadd;
        visit_f64_sub => fsub;
        visit_f64_mul => fmul;
        visit_f64_div => fdiv;
        visit_f64_min => fmin;
        visit_f64_max => fmax;
        visit_f64_copysign => fcopysign;
    }
}
