//! References, tables and the bulk table instructions.
//!
//! Table elements are raw references (`0` for null, `store index + 1` otherwise), read and
//! written inline through the table's `VmTable` descriptor with an explicit bounds check; the
//! operations that resize or copy go through runtime functions.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, InstBuilder, TrapCode};

use super::FuncTranslator;
use crate::jit::libcalls::Libcall;
use crate::jit::vmctx::VmTable;
use crate::jit::TRAP_TABLE_OUT_OF_BOUNDS;

impl FuncTranslator<'_, '_> {
    fn table_desc(&mut self, table: u32) -> ir::Value {
        self.load_readonly(types::I64, self.env.layout.table(table))
    }

    /// Address of element `index` (an `i32`) of `table`, trapping with `oob` if out of bounds.
    pub(super) fn table_elem_addr(
        &mut self,
        table: u32,
        index: ir::Value,
        oob: TrapCode,
    ) -> ir::Value {
        let desc = self.table_desc(table);
        let flags = self.flags.table;
        let len = self
            .b
            .ins()
            .load(types::I64, flags, desc, VmTable::LEN as i32);
        let index = self.b.ins().uextend(types::I64, index);
        let out = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.b.ins().trapnz(out, oob);
        let base = self
            .b
            .ins()
            .load(types::I64, flags, desc, VmTable::BASE as i32);
        let offset = self.b.ins().ishl_imm_u(index, 3);
        self.b.ins().iadd(base, offset)
    }

    pub(super) fn visit_ref_null(&mut self, _hty: wasmparser::HeapType) {
        let v = self.b.ins().iconst(types::I64, 0);
        self.push(v);
    }

    pub(super) fn visit_ref_is_null(&mut self) {
        let x = self.pop();
        let r = self.b.ins().icmp_imm_u(IntCC::Equal, x, 0);
        self.push_bool(r);
    }

    pub(super) fn visit_ref_func(&mut self, function_index: u32) {
        let layout = &self.env.layout;
        let v = match function_index.checked_sub(self.env.num_imported_funcs) {
            None => self.load_readonly(types::I64, layout.imported_func_ref(function_index)),
            Some(defined) => {
                let first = self.load_readonly(types::I64, layout.defined_func_ref());
                self.b.ins().iadd_imm_u(first, i64::from(defined))
            }
        };
        self.push(v);
    }

    pub(super) fn visit_table_get(&mut self, table: u32) {
        let index = self.pop();
        let addr = self.table_elem_addr(table, index, TRAP_TABLE_OUT_OF_BOUNDS);
        let v = self.b.ins().load(types::I64, self.flags.table, addr, 0);
        self.push(v);
    }

    pub(super) fn visit_table_set(&mut self, table: u32) {
        let (index, v) = self.pop2();
        let addr = self.table_elem_addr(table, index, TRAP_TABLE_OUT_OF_BOUNDS);
        self.b.ins().store(self.flags.table, v, addr, 0);
    }

    pub(super) fn visit_table_size(&mut self, table: u32) {
        let desc = self.table_desc(table);
        let len = self
            .b
            .ins()
            .load(types::I64, self.flags.table, desc, VmTable::LEN as i32);
        let v = self.b.ins().ireduce(types::I32, len);
        self.push(v);
    }

    pub(super) fn visit_table_grow(&mut self, table: u32) {
        let (init, delta) = self.pop2();
        let table = self.b.ins().iconst(types::I32, table as i64);
        let old = self.call_libcall(Libcall::TableGrow, &[table, init, delta]);
        self.push(old.expect("table.grow returns the old size"));
    }

    pub(super) fn visit_table_fill(&mut self, table: u32) {
        self.call_bulk(Libcall::TableFill, &[table]);
    }

    pub(super) fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) {
        self.call_bulk(Libcall::TableCopy, &[dst_table, src_table]);
    }

    pub(super) fn visit_table_init(&mut self, elem_index: u32, table: u32) {
        self.call_bulk(Libcall::TableInit, &[table, elem_index]);
    }

    pub(super) fn visit_elem_drop(&mut self, elem_index: u32) {
        let elem = self.b.ins().iconst(types::I32, elem_index as i64);
        self.call_libcall(Libcall::ElemDrop, &[elem]);
    }
}
