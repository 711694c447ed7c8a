//! Memory operators: loads, stores, `memory.size`/`memory.grow` and bulk memory.
//!
//! Float loads and stores are the integer ones of the same width: slots hold bit patterns.

use wasmparser::MemArg;

use super::{Result, Translator};
use crate::interp::code::{Instr, Slot};

impl Translator<'_> {
    fn load(&mut self, memarg: MemArg, op: fn(Slot, Slot, u32) -> Instr) -> Result {
        // A 32-bit memory's validated offsets fit in 32 bits.
        let offset = memarg.offset as u32;
        let (addr, dst) = self.pop_for_result();
        self.operands.push_temp();
        self.emit_result(op(dst, addr, offset));
        Ok(())
    }

    fn store(&mut self, memarg: MemArg, op: fn(Slot, Slot, u32) -> Instr) -> Result {
        let offset = memarg.offset as u32;
        let len = self.operands.len();
        let addr = self.slot_at(len - 2);
        let src = self.slot_at(len - 1);
        self.operands.truncate(len - 2);
        self.emit(op(addr, src, offset));
        Ok(())
    }

    pub(super) fn visit_i32_load(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load { dst, addr, offset })
    }

    pub(super) fn visit_i64_load(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load { dst, addr, offset })
    }

    pub(super) fn visit_f32_load(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_load(memarg)
    }

    pub(super) fn visit_f64_load(&mut self, memarg: MemArg) -> Result {
        self.visit_i64_load(memarg)
    }

    pub(super) fn visit_i32_load8_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load8S { dst, addr, offset })
    }

    pub(super) fn visit_i32_load8_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load8U { dst, addr, offset })
    }

    pub(super) fn visit_i32_load16_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load16S { dst, addr, offset })
    }

    pub(super) fn visit_i32_load16_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load16U { dst, addr, offset })
    }

    pub(super) fn visit_i64_load8_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load8S { dst, addr, offset })
    }

    pub(super) fn visit_i64_load8_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load8U { dst, addr, offset })
    }

    pub(super) fn visit_i64_load16_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load16S { dst, addr, offset })
    }

    pub(super) fn visit_i64_load16_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load16U { dst, addr, offset })
    }

    pub(super) fn visit_i64_load32_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load32S { dst, addr, offset })
    }

    pub(super) fn visit_i64_load32_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load32U { dst, addr, offset })
    }

    pub(super) fn visit_i32_store(&mut self, memarg: MemArg) -> Result {
        self.store(memarg, |addr, src, offset| Instr::Store32 { addr, src, offset })
    }

    pub(super) fn visit_i64_store(&mut self, memarg: MemArg) -> Result {
        self.store(memarg, |addr, src, offset| Instr::Store64 { addr, src, offset })
    }

    pub(super) fn visit_f32_store(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_store(memarg)
    }

    pub(super) fn visit_f64_store(&mut self, memarg: MemArg) -> Result {
        self.visit_i64_store(memarg)
    }

    pub(super) fn visit_i32_store8(&mut self, memarg: MemArg) -> Result {
        self.store(memarg, |addr, src, offset| Instr::Store8 { addr, src, offset })
    }

    pub(super) fn visit_i32_store16(&mut self, memarg: MemArg) -> Result {
        self.store(memarg, |addr, src, offset| Instr::Store16 { addr, src, offset })
    }

    pub(super) fn visit_i64_store8(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_store8(memarg)
    }

    pub(super) fn visit_i64_store16(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_store16(memarg)
    }

    pub(super) fn visit_i64_store32(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_store(memarg)
    }

    pub(super) fn visit_memory_size(&mut self, _mem: u32) -> Result {
        let dst = self.operands.push_temp();
        self.emit_result(Instr::MemorySize { dst });
        Ok(())
    }

    pub(super) fn visit_memory_grow(&mut self, _mem: u32) -> Result {
        self.unary(|dst, delta| Instr::MemoryGrow { dst, delta })
    }

    pub(super) fn visit_memory_fill(&mut self, _mem: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::MemoryFill { base });
        Ok(())
    }

    pub(super) fn visit_memory_copy(&mut self, _dst_mem: u32, _src_mem: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::MemoryCopy { base });
        Ok(())
    }

    pub(super) fn visit_memory_init(&mut self, data_index: u32, _mem: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::MemoryInit {
            base,
            data: data_index,
        });
        Ok(())
    }

    pub(super) fn visit_data_drop(&mut self, data_index: u32) -> Result {
        self.emit(Instr::DataDrop { data: data_index });
        Ok(())
    }
}
