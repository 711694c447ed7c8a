//! SIMD loads and stores.

use wasmparser::MemArg;

use super::{Result, Translator};
use crate::interp::code::{Instr, Slot};

/// Visitor methods for loads of a whole `v128` (widening, splatting or zero-extending).
macro_rules! loads {
    ($($visit:ident => $op:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) -> Result {
                self.v128_load(memarg, |dst, addr, offset| Instr::$op { dst, addr, offset })
            }
        )*
    };
}

/// Visitor methods for loads and stores of one lane.
macro_rules! lanes {
    ($($visit:ident => $shape:ident $op:ident { $($field:ident),* };)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg, lane: u8) -> Result {
                self.$shape(memarg, lane, |lane, $($field),*| Instr::$op { lane, $($field),* })
            }
        )*
    };
}

impl Translator<'_> {
    fn v128_load(&mut self, memarg: MemArg, op: fn(Slot, Slot, u32) -> Instr) -> Result {
        // A 32-bit memory's validated offsets fit in 32 bits.
        let offset = memarg.offset as u32;
        let len = self.operands.len();
        let addr = self.slot_at(len - 1);
        self.operands.truncate(len - 1);
        let dst = self.push_temp_value(true);
        self.emit(op(dst, addr, offset));
        Ok(())
    }

    /// The address and the vector go to their homes (consecutive, see `Instr`), where the
    /// result replaces them.
    fn load_lane(&mut self, memarg: MemArg, lane: u8, op: fn(u8, Slot, u32) -> Instr) -> Result {
        let offset = memarg.offset as u32;
        let len = self.operands.len();
        for depth in len - 3..len {
            self.materialize(depth);
        }
        self.operands.truncate(len - 3);
        let base = self.push_temp_value(true);
        self.emit(op(lane, base, offset));
        Ok(())
    }

    fn store_lane(
        &mut self,
        memarg: MemArg,
        lane: u8,
        op: fn(u8, Slot, Slot, u32) -> Instr,
    ) -> Result {
        let offset = memarg.offset as u32;
        let len = self.operands.len();
        let addr = self.slot_at(len - 3);
        let src = self.v128_at(len - 2);
        self.operands.truncate(len - 3);
        self.emit(op(lane, addr, src, offset));
        Ok(())
    }

    pub(super) fn visit_v128_store(&mut self, memarg: MemArg) -> Result {
        self.store_lane(memarg, 0, |_, addr, src, offset| Instr::V128Store {
            addr,
            src,
            offset,
        })
    }

    loads! {
        visit_v128_load => V128Load;
        visit_v128_load8x8_s => V128Load8x8S;
        visit_v128_load8x8_u => V128Load8x8U;
        visit_v128_load16x4_s => V128Load16x4S;
        visit_v128_load16x4_u => V128Load16x4U;
        visit_v128_load32x2_s => V128Load32x2S;
        visit_v128_load32x2_u => V128Load32x2U;
        visit_v128_load8_splat => V128Load8Splat;
        visit_v128_load16_splat => V128Load16Splat;
        visit_v128_load32_splat => V128Load32Splat;
        visit_v128_load64_splat => V128Load64Splat;
        visit_v128_load32_zero => V128Load32Zero;
        visit_v128_load64_zero => V128Load64Zero;
    }

    lanes! {
        visit_v128_load8_lane => load_lane V128Load8Lane { base, offset };
        visit_v128_load16_lane => load_lane V128Load16Lane { base, offset };
        visit_v128_load32_lane => load_lane V128Load32Lane { base, offset };
        visit_v128_load64_lane => load_lane V128Load64Lane { base, offset };
        visit_v128_store8_lane => store_lane V128Store8Lane { addr, src, offset };
        visit_v128_store16_lane => store_lane V128Store16Lane { addr, src, offset };
        visit_v128_store32_lane => store_lane V128Store32Lane { addr, src, offset };
        visit_v128_store64_lane => store_lane V128Store64Lane { addr, src, offset };
    }
}
