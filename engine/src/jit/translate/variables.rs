//! Locals and globals.

use cranelift_codegen::ir::{types, InstBuilder};

use super::env::ir_type;
use super::FuncTranslator;

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_local_get(&mut self, local_index: u32) {
        let v = self.b.use_var(self.locals[local_index as usize]);
        self.push(v);
    }

    pub(super) fn visit_local_set(&mut self, local_index: u32) {
        let v = self.pop();
        self.b.def_var(self.locals[local_index as usize], v);
    }

    pub(super) fn visit_local_tee(&mut self, local_index: u32) {
        let v = *self.peek(1).first().expect("operand for local.tee");
        self.b.def_var(self.locals[local_index as usize], v);
    }

    /// Address of global `index`'s cell. The pointer is reloaded after calls, since a call may
    /// move the store's globals (see `jit/instance.rs`).
    fn global_addr(&mut self, index: u32) -> cranelift_codegen::ir::Value {
        let offset = self.env.layout.global(index) as i32;
        let vmctx = self.vmctx;
        self.b.ins().load(types::I64, self.flags.vm, vmctx, offset)
    }

    pub(super) fn visit_global_get(&mut self, global_index: u32) {
        let ty = ir_type(self.env.globals[global_index as usize].content);
        let flags = if self.global_is_const(global_index) {
            self.flags.readonly
        } else {
            self.flags.global
        };
        let addr = self.global_addr(global_index);
        let v = self.b.ins().load(ty, flags, addr, 0);
        self.push(v);
    }

    pub(super) fn visit_global_set(&mut self, global_index: u32) {
        let v = self.pop();
        let addr = self.global_addr(global_index);
        self.b.ins().store(self.flags.global, v, addr, 0);
    }
}
