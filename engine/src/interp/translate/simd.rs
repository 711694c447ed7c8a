//! SIMD values on the operand stack, the operand shapes of SIMD instructions, and the lane,
//! bitwise and constant operators.
//!
//! A `v128` is two operand entries, low half first (see `operands.rs`), so the generic stack
//! machinery (block results, branches, calls, locals) moves it like two values. A SIMD
//! instruction names the first slot of each `v128` operand, whose two halves must then be in
//! consecutive slots: a local's, or the operand's homes.

use wasmparser::V128;

use super::operands::Operand;
use super::{Result, Translator};
use crate::interp::code::{Instr, Slot};
use crate::ValType;

impl Translator<'_> {
    /// Pushes a value that an instruction is about to write to its home (two slots for a
    /// `v128`); returns the first slot.
    pub(super) fn push_temp_value(&mut self, v128: bool) -> Slot {
        let home = self.operands.push_temp();
        if v128 {
            self.operands.push_temp();
            self.operands.mark_v128_high();
        }
        home
    }

    /// Entries taken by the value whose last entry is at `depth`.
    pub(super) fn value_width(&self, depth: usize) -> usize {
        1 + self.operands.is_v128_high(depth) as usize
    }

    pub(super) fn local_is_v128(&self, index: u32) -> bool {
        let index = index as usize;
        self.local_slots[index + 1] - self.local_slots[index] == 2
    }

    pub(super) fn global_is_v128(&self, index: u32) -> bool {
        self.module.globals[index as usize].content == ValType::V128
    }

    /// The first slot of the `v128` whose low half is at `depth`: a local's, or else its homes
    /// (where a constant or a copy is written first).
    pub(super) fn v128_at(&mut self, depth: usize) -> Slot {
        if let (Operand::Local(low), Operand::Local(high)) =
            (self.operands.get(depth), self.operands.get(depth + 1))
        {
            if high == low + 1 {
                return low;
            }
        }
        self.materialize(depth);
        self.materialize(depth + 1);
        self.operands.home(depth)
    }

    /// `v128 -> v128`.
    pub(super) fn simd_unary(&mut self, op: fn(Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let src = self.v128_at(len - 2);
        self.operands.truncate(len - 2);
        let dst = self.push_temp_value(true);
        self.emit(op(dst, src));
        Ok(())
    }

    /// `v128, v128 -> v128`.
    pub(super) fn simd_binary(&mut self, op: fn(Slot, Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let a = self.v128_at(len - 4);
        let b = self.v128_at(len - 2);
        self.operands.truncate(len - 4);
        let dst = self.push_temp_value(true);
        self.emit(op(dst, a, b));
        Ok(())
    }

    /// `v128, i32 -> v128`.
    pub(super) fn simd_shift(&mut self, op: fn(Slot, Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let a = self.v128_at(len - 3);
        let count = self.slot_at(len - 1);
        self.operands.truncate(len - 3);
        let dst = self.push_temp_value(true);
        self.emit(op(dst, a, count));
        Ok(())
    }

    /// `v128 -> i32`.
    pub(super) fn simd_reduce(&mut self, op: fn(Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let src = self.v128_at(len - 2);
        self.operands.truncate(len - 2);
        let dst = self.push_temp_value(false);
        self.emit(op(dst, src));
        Ok(())
    }

    /// A scalar to every lane.
    fn simd_splat(&mut self, op: fn(Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let src = self.slot_at(len - 1);
        self.operands.truncate(len - 1);
        let dst = self.push_temp_value(true);
        self.emit(op(dst, src));
        Ok(())
    }

    fn extract_lane(&mut self, lane: u8, op: fn(u8, Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let src = self.v128_at(len - 2);
        self.operands.truncate(len - 2);
        let dst = self.push_temp_value(false);
        self.emit(op(lane, dst, src));
        Ok(())
    }

    fn replace_lane(&mut self, lane: u8, op: fn(u8, Slot, Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let src = self.v128_at(len - 3);
        let value = self.slot_at(len - 1);
        self.operands.truncate(len - 3);
        let dst = self.push_temp_value(true);
        self.emit(op(lane, dst, src, value));
        Ok(())
    }

    /// `select` of two `v128`s: one scalar `Select` per half.
    pub(super) fn select_v128(&mut self) -> Result {
        let len = self.operands.len();
        let base = len - 5;
        if let Operand::Const(cond) = self.operands.get(len - 1) {
            // Decided now: keep the chosen operand, moved to the result's position.
            let chosen = if cond as u32 != 0 { base } else { base + 2 };
            let halves = [self.operands.get(chosen), self.operands.get(chosen + 1)];
            for (i, &half) in halves.iter().enumerate() {
                if half == Operand::Temp && chosen != base {
                    let (dst, src) = (self.operands.home(base + i), self.operands.home(chosen + i));
                    self.emit(Instr::Copy { dst, src });
                }
            }
            self.operands.truncate(base);
            self.operands.push(halves[0]);
            self.operands.push(halves[1]);
            self.operands.mark_v128_high();
            return Ok(());
        }
        let cond = self.slot_at(len - 1);
        let other = self.v128_at(base + 2);
        self.materialize(base);
        self.materialize(base + 1);
        self.operands.truncate(base);
        let dst = self.push_temp_value(true);
        self.emit(Instr::Select { dst, cond, other });
        self.emit(Instr::Select {
            dst: dst + 1,
            cond,
            other: other + 1,
        });
        Ok(())
    }

    pub(super) fn v128_global_get(&mut self, global: u32) -> Result {
        let dst = self.push_temp_value(true);
        self.emit(Instr::V128GlobalGet { dst, global });
        Ok(())
    }

    pub(super) fn v128_global_set(&mut self, global: u32) -> Result {
        let len = self.operands.len();
        let src = self.v128_at(len - 2);
        self.operands.truncate(len - 2);
        self.emit(Instr::V128GlobalSet { src, global });
        Ok(())
    }

    /// A `v128` constant is two 64-bit constants, one per slot: consumers materialize them
    /// with two ordinary `Const` instructions, so no instruction needs a 16-byte immediate.
    pub(super) fn visit_v128_const(&mut self, value: V128) -> Result {
        let bits = u128::from_le_bytes(*value.bytes());
        self.operands.push(Operand::Const(bits as u64));
        self.operands.push(Operand::Const((bits >> 64) as u64));
        self.operands.mark_v128_high();
        Ok(())
    }

    /// The shuffle's 16 lane indices (each below 32) are packed into the instruction rather
    /// than kept elsewhere (a constant pool, or slots written before each run): the low four
    /// bits of each into a `u64`, the fifth bit (which operand) into a `u16`. That leaves no
    /// room for operand slots, so both operands go to their homes, which are consecutive.
    pub(super) fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Result {
        let len = self.operands.len();
        for depth in len - 4..len {
            self.materialize(depth);
        }
        let (mut from_b, mut bytes) = (0u16, 0u64);
        for (i, &lane) in lanes.iter().enumerate() {
            from_b |= ((lane >> 4) as u16 & 1) << i;
            bytes |= ((lane & 15) as u64) << (4 * i);
        }
        self.operands.truncate(len - 4);
        let base = self.push_temp_value(true);
        self.emit(Instr::I8x16Shuffle {
            from_b,
            base,
            bytes,
        });
        Ok(())
    }

    /// The first operand goes to the result's home, which the instruction updates in place.
    pub(super) fn visit_v128_bitselect(&mut self) -> Result {
        let len = self.operands.len();
        self.materialize(len - 6);
        self.materialize(len - 5);
        let other = self.v128_at(len - 4);
        let mask = self.v128_at(len - 2);
        self.operands.truncate(len - 6);
        let dst = self.push_temp_value(true);
        self.emit(Instr::V128Bitselect { dst, other, mask });
        Ok(())
    }

    pub(super) fn visit_i8x16_swizzle(&mut self) -> Result {
        self.simd_binary(|dst, a, b| Instr::I8x16Swizzle { dst, a, b })
    }

    pub(super) fn visit_v128_not(&mut self) -> Result {
        self.simd_unary(|dst, src| Instr::V128Not { dst, src })
    }

    pub(super) fn visit_v128_and(&mut self) -> Result {
        self.simd_binary(|dst, a, b| Instr::V128And { dst, a, b })
    }

    pub(super) fn visit_v128_andnot(&mut self) -> Result {
        self.simd_binary(|dst, a, b| Instr::V128AndNot { dst, a, b })
    }

    pub(super) fn visit_v128_or(&mut self) -> Result {
        self.simd_binary(|dst, a, b| Instr::V128Or { dst, a, b })
    }

    pub(super) fn visit_v128_xor(&mut self) -> Result {
        self.simd_binary(|dst, a, b| Instr::V128Xor { dst, a, b })
    }

    pub(super) fn visit_v128_any_true(&mut self) -> Result {
        self.simd_reduce(|dst, src| Instr::V128AnyTrue { dst, src })
    }

    // Float lanes are moved as their bits, so they share the integer forms of their width.

    pub(super) fn visit_i8x16_splat(&mut self) -> Result {
        self.simd_splat(|dst, src| Instr::I8x16Splat { dst, src })
    }

    pub(super) fn visit_i16x8_splat(&mut self) -> Result {
        self.simd_splat(|dst, src| Instr::I16x8Splat { dst, src })
    }

    pub(super) fn visit_i32x4_splat(&mut self) -> Result {
        self.simd_splat(|dst, src| Instr::I32x4Splat { dst, src })
    }

    pub(super) fn visit_i64x2_splat(&mut self) -> Result {
        self.simd_splat(|dst, src| Instr::I64x2Splat { dst, src })
    }

    pub(super) fn visit_f32x4_splat(&mut self) -> Result {
        self.visit_i32x4_splat()
    }

    pub(super) fn visit_f64x2_splat(&mut self) -> Result {
        self.visit_i64x2_splat()
    }

    pub(super) fn visit_i8x16_extract_lane_s(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I8x16ExtractLaneS {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_i8x16_extract_lane_u(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I8x16ExtractLaneU {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_i16x8_extract_lane_s(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I16x8ExtractLaneS {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_i16x8_extract_lane_u(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I16x8ExtractLaneU {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_i32x4_extract_lane(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I32x4ExtractLane {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_i64x2_extract_lane(&mut self, lane: u8) -> Result {
        self.extract_lane(lane, |lane, dst, src| Instr::I64x2ExtractLane {
            lane,
            dst,
            src,
        })
    }

    pub(super) fn visit_f32x4_extract_lane(&mut self, lane: u8) -> Result {
        self.visit_i32x4_extract_lane(lane)
    }

    pub(super) fn visit_f64x2_extract_lane(&mut self, lane: u8) -> Result {
        self.visit_i64x2_extract_lane(lane)
    }

    pub(super) fn visit_i8x16_replace_lane(&mut self, lane: u8) -> Result {
        self.replace_lane(lane, |lane, dst, src, value| Instr::I8x16ReplaceLane {
            lane,
            dst,
            src,
            value,
        })
    }

    pub(super) fn visit_i16x8_replace_lane(&mut self, lane: u8) -> Result {
        self.replace_lane(lane, |lane, dst, src, value| Instr::I16x8ReplaceLane {
            lane,
            dst,
            src,
            value,
        })
    }

    pub(super) fn visit_i32x4_replace_lane(&mut self, lane: u8) -> Result {
        self.replace_lane(lane, |lane, dst, src, value| Instr::I32x4ReplaceLane {
            lane,
            dst,
            src,
            value,
        })
    }

    pub(super) fn visit_i64x2_replace_lane(&mut self, lane: u8) -> Result {
        self.replace_lane(lane, |lane, dst, src, value| Instr::I64x2ReplaceLane {
            lane,
            dst,
            src,
            value,
        })
    }

    pub(super) fn visit_f32x4_replace_lane(&mut self, lane: u8) -> Result {
        self.visit_i32x4_replace_lane(lane)
    }

    pub(super) fn visit_f64x2_replace_lane(&mut self, lane: u8) -> Result {
        self.visit_i64x2_replace_lane(lane)
    }
}
