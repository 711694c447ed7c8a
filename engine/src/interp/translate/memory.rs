//! Memory operators: loads, stores, `memory.size`/`memory.grow` and bulk memory.
//!
//! Float loads and stores are the integer ones of the same width: slots hold bit patterns.

use wasmparser::MemArg;

use super::operands::Operand;
use super::{Result, Translator};
use crate::interp::code::{Instr, Slot};

/// The instruction forms of a store.
struct StoreForms {
    reg: fn(Slot, Slot, u32) -> Instr,
    imm: fn(Slot, i32, u32) -> Instr,
    /// A 64-bit store: the immediate is sign-extended, so only constants that fit qualify.
    wide: bool,
}

/// Visitor methods for stores of each width.
macro_rules! stores {
    ($($visit:ident => $reg:ident, $imm:ident, wide $wide:literal;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) -> Result {
                self.store(memarg, StoreForms {
                    reg: |addr, src, offset| Instr::$reg { addr, src, offset },
                    imm: |addr, value, offset| Instr::$imm { addr, value, offset },
                    wide: $wide,
                })
            }
        )*
    };
}

impl Translator<'_> {
    fn load(&mut self, memarg: MemArg, op: fn(Slot, Slot, u32) -> Instr) -> Result {
        // A 32-bit memory's validated offsets fit in 32 bits.
        let offset = memarg.offset as u32;
        let (addr, dst) = self.pop_for_result();
        self.operands.push_temp();
        self.emit_result(op(dst, addr, offset));
        Ok(())
    }

    /// A store; a constant value that fits is stored from an immediate.
    fn store(&mut self, memarg: MemArg, forms: StoreForms) -> Result {
        let offset = memarg.offset as u32;
        let len = self.operands.len();
        let addr = self.slot_at(len - 2);
        let constant = match self.operands.get(len - 1) {
            Operand::Const(v) if !forms.wide || v as i64 == v as i32 as i64 => Some(v as i32),
            _ => None,
        };
        let instr = match constant {
            Some(value) => (forms.imm)(addr, value, offset),
            None => (forms.reg)(addr, self.slot_at(len - 1), offset),
        };
        self.operands.truncate(len - 2);
        self.emit(instr);
        Ok(())
    }

    pub(super) fn visit_i32_load(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_f32_load(&mut self, memarg: MemArg) -> Result {
        self.visit_i32_load(memarg)
    }

    pub(super) fn visit_f64_load(&mut self, memarg: MemArg) -> Result {
        self.visit_i64_load(memarg)
    }

    pub(super) fn visit_i32_load8_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load8S {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i32_load8_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load8U {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i32_load16_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load16S {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i32_load16_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I32Load16U {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load8_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load8S {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load8_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load8U {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load16_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load16S {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load16_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load16U {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load32_s(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load32S {
            dst,
            addr,
            offset,
        })
    }

    pub(super) fn visit_i64_load32_u(&mut self, memarg: MemArg) -> Result {
        self.load(memarg, |dst, addr, offset| Instr::I64Load32U {
            dst,
            addr,
            offset,
        })
    }

    stores! {
        visit_i32_store => Store32, Store32Imm, wide false;
        visit_i64_store => Store64, Store64Imm, wide true;
        visit_f32_store => Store32, Store32Imm, wide false;
        visit_f64_store => Store64, Store64Imm, wide true;
        visit_i32_store8 => Store8, Store8Imm, wide false;
        visit_i32_store16 => Store16, Store16Imm, wide false;
        visit_i64_store8 => Store8, Store8Imm, wide false;
        visit_i64_store16 => Store16, Store16Imm, wide false;
        visit_i64_store32 => Store32, Store32Imm, wide false;
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
