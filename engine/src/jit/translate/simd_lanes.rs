//! SIMD constants and lane movement: `v128.const`, shuffles, splats, and lane extraction and
//! replacement.
//!
//! Lane `i` is bytes `16 / lanes * i..` of the vector in memory order, in Wasm and in
//! Cranelift alike, so lane indices carry over unchanged.

use cranelift_codegen::ir::{types, ConstantData, InstBuilder};

use super::simd::V128;
use super::FuncTranslator;

macro_rules! splats {
    ($($visit:ident => $shape:ident $(narrowed to $lane:ident)?;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let x = self.pop();
                $( let x = self.b.ins().ireduce(types::$lane, x); )?
                let v = self.b.ins().splat(types::$shape, x);
                self.push_v128(v);
            }
        )*
    };
}

macro_rules! extract_lanes {
    ($($visit:ident => $shape:ident $(then $extend:ident)?;)*) => {
        $(
            pub(super) fn $visit(&mut self, lane: u8) {
                let v = self.pop_shape(types::$shape);
                let x = self.b.ins().extractlane(v, lane);
                $( let x = self.b.ins().$extend(types::I32, x); )?
                self.push(x);
            }
        )*
    };
}

macro_rules! replace_lanes {
    ($($visit:ident => $shape:ident $(narrowed to $lane:ident)?;)*) => {
        $(
            pub(super) fn $visit(&mut self, lane: u8) {
                let x = self.pop();
                $( let x = self.b.ins().ireduce(types::$lane, x); )?
                let v = self.pop_shape(types::$shape);
                let r = self.b.ins().insertlane(v, x, lane);
                self.push_v128(r);
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_v128_const(&mut self, value: wasmparser::V128) {
        let v = self.v128_const(*value.bytes());
        self.push(v);
    }

    /// Byte `i` of the result is byte `lanes[i]` of the 32 bytes of both operands.
    pub(super) fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) {
        let (x, y) = self.pop2_shape(V128);
        let mask = self
            .b
            .func
            .dfg
            .immediates
            .push(ConstantData::from(&lanes[..]));
        let r = self.b.ins().shuffle(x, y, mask);
        self.push(r);
    }

    /// Cranelift's `swizzle` yields 0 for an index of 16 or more, as Wasm's does.
    pub(super) fn visit_i8x16_swizzle(&mut self) {
        self.vec_binop(V128, |b, x, y| b.ins().swizzle(x, y));
    }

    splats! {
        visit_i8x16_splat => I8X16 narrowed to I8;
        visit_i16x8_splat => I16X8 narrowed to I16;
        visit_i32x4_splat => I32X4;
        visit_i64x2_splat => I64X2;
        visit_f32x4_splat => F32X4;
        visit_f64x2_splat => F64X2;
    }

    extract_lanes! {
        visit_i8x16_extract_lane_s => I8X16 then sextend;
        visit_i8x16_extract_lane_u => I8X16 then uextend;
        visit_i16x8_extract_lane_s => I16X8 then sextend;
        visit_i16x8_extract_lane_u => I16X8 then uextend;
        visit_i32x4_extract_lane => I32X4;
        visit_i64x2_extract_lane => I64X2;
        visit_f32x4_extract_lane => F32X4;
        visit_f64x2_extract_lane => F64X2;
    }

    replace_lanes! {
        visit_i8x16_replace_lane => I8X16 narrowed to I8;
        visit_i16x8_replace_lane => I16X8 narrowed to I16;
        visit_i32x4_replace_lane => I32X4;
        visit_i64x2_replace_lane => I64X2;
        visit_f32x4_replace_lane => F32X4;
        visit_f64x2_replace_lane => F64X2;
    }
}
