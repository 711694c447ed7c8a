//! Table and reference operators, and the table parts of bulk memory.

use super::operands::Operand;
use super::{Result, Translator};
use crate::interp::code::Instr;

impl Translator<'_> {
    pub(super) fn visit_table_get(&mut self, table: u32) -> Result {
        self.unary(|dst, index| Instr::TableGet { dst, index, table })
    }

    pub(super) fn visit_table_set(&mut self, table: u32) -> Result {
        let len = self.operands.len();
        let index = self.slot_at(len - 2);
        let value = self.slot_at(len - 1);
        self.operands.truncate(len - 2);
        self.emit(Instr::TableSet {
            index,
            value,
            table,
        });
        Ok(())
    }

    pub(super) fn visit_table_size(&mut self, table: u32) -> Result {
        let dst = self.operands.push_temp();
        self.emit_result(Instr::TableSize { dst, table });
        Ok(())
    }

    pub(super) fn visit_table_grow(&mut self, table: u32) -> Result {
        let base = self.pop_span(2);
        self.operands.push_temp();
        self.emit_result(Instr::TableGrow { base, table });
        Ok(())
    }

    pub(super) fn visit_table_fill(&mut self, table: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::TableFill { base, table });
        Ok(())
    }

    pub(super) fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::TableCopy {
            base,
            dst_table,
            src_table,
        });
        Ok(())
    }

    pub(super) fn visit_table_init(&mut self, elem_index: u32, table: u32) -> Result {
        let base = self.pop_span(3);
        self.emit(Instr::TableInit {
            base,
            table,
            elem: elem_index,
        });
        Ok(())
    }

    pub(super) fn visit_elem_drop(&mut self, elem_index: u32) -> Result {
        self.emit(Instr::ElemDrop { elem: elem_index });
        Ok(())
    }

    pub(super) fn visit_ref_null(&mut self, _hty: wasmparser::HeapType) -> Result {
        self.operands.push(Operand::Const(0));
        Ok(())
    }

    pub(super) fn visit_ref_is_null(&mut self) -> Result {
        self.unary(|dst, src| Instr::RefIsNull { dst, src })
    }

    pub(super) fn visit_ref_func(&mut self, function_index: u32) -> Result {
        let dst = self.operands.push_temp();
        self.emit_result(Instr::RefFunc {
            dst,
            func: function_index,
        });
        Ok(())
    }
}
