//! SIMD loads and stores: whole vectors, widening loads, splatting and zero-filling loads, and
//! single-lane loads and stores.
//!
//! They address memory as the scalar accesses do (`memory.rs`: no explicit bounds check, a
//! fault becomes an out-of-bounds trap), with the access size of the bytes actually touched.

use cranelift_codegen::ir::{types, InstBuilder};
use wasmparser::MemArg;

use super::simd::V128;
use super::FuncTranslator;

macro_rules! widening_loads {
    ($($visit:ident => $ins:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) {
                let (addr, offset) = self.heap_addr(&memarg, 8);
                let flags = self.flags.heap;
                let v = self.b.ins().$ins(flags, addr, offset);
                self.push_v128(v);
            }
        )*
    };
}

/// Loads of one lane's worth, made a vector by `$make` (`splat`, or `scalar_to_vector`, which
/// zeroes the lanes above the first).
macro_rules! scalar_loads {
    ($($visit:ident => $lane:ident as $shape:ident by $make:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) {
                let x = self.load_lane(&memarg, types::$lane);
                let v = self.b.ins().$make(types::$shape, x);
                self.push_v128(v);
            }
        )*
    };
}

macro_rules! lane_loads {
    ($($visit:ident => $lane:ident as $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg, lane: u8) {
                let v = self.pop_shape(types::$shape);
                let x = self.load_lane(&memarg, types::$lane);
                let r = self.b.ins().insertlane(v, x, lane);
                self.push_v128(r);
            }
        )*
    };
}

macro_rules! lane_stores {
    ($($visit:ident => $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg, lane: u8) {
                let v = self.pop_shape(types::$shape);
                let x = self.b.ins().extractlane(v, lane);
                let size = types::$shape.lane_type().bytes();
                let (addr, offset) = self.heap_addr(&memarg, size.into());
                let flags = self.flags.heap;
                self.b.ins().store(flags, x, addr, offset);
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    /// Pops an address and loads one scalar of type `lane` from it.
    fn load_lane(&mut self, memarg: &MemArg, lane: types::Type) -> cranelift_codegen::ir::Value {
        let (addr, offset) = self.heap_addr(memarg, lane.bytes().into());
        let flags = self.flags.heap;
        self.b.ins().load(lane, flags, addr, offset)
    }

    pub(super) fn visit_v128_load(&mut self, memarg: MemArg) {
        let (addr, offset) = self.heap_addr(&memarg, 16);
        let flags = self.flags.heap;
        let v = self.b.ins().load(V128, flags, addr, offset);
        self.push(v);
    }

    pub(super) fn visit_v128_store(&mut self, memarg: MemArg) {
        let v = self.pop_shape(V128);
        let (addr, offset) = self.heap_addr(&memarg, 16);
        let flags = self.flags.heap;
        self.b.ins().store(flags, v, addr, offset);
    }

    widening_loads! {
        visit_v128_load8x8_s => sload8x8;
        visit_v128_load8x8_u => uload8x8;
        visit_v128_load16x4_s => sload16x4;
        visit_v128_load16x4_u => uload16x4;
        visit_v128_load32x2_s => sload32x2;
        visit_v128_load32x2_u => uload32x2;
    }

    scalar_loads! {
        visit_v128_load8_splat => I8 as I8X16 by splat;
        visit_v128_load16_splat => I16 as I16X8 by splat;
        visit_v128_load32_splat => I32 as I32X4 by splat;
        visit_v128_load64_splat => I64 as I64X2 by splat;
        visit_v128_load32_zero => I32 as I32X4 by scalar_to_vector;
        visit_v128_load64_zero => I64 as I64X2 by scalar_to_vector;
    }

    lane_loads! {
        visit_v128_load8_lane => I8 as I8X16;
        visit_v128_load16_lane => I16 as I16X8;
        visit_v128_load32_lane => I32 as I32X4;
        visit_v128_load64_lane => I64 as I64X2;
    }

    lane_stores! {
        visit_v128_store8_lane => I8X16;
        visit_v128_store16_lane => I16X8;
        visit_v128_store32_lane => I32X4;
        visit_v128_store64_lane => I64X2;
    }
}
