//! Direct and indirect calls.
//!
//! Every call passes the callee's vmctx and the caller's own vmctx ahead of the Wasm arguments.
//! A call to a function defined in the same module is a direct, relocated call; a call to an
//! import goes through the import's `VmFunc` in the vmctx; `call_indirect` finds the `VmFunc`
//! of the table element in the store's function array and compares type tags. The array is
//! filled lazily (see `instance.rs`): on a mismatch, a cold path calls the `FillEntry` runtime
//! function, which fills the entry and compares again, so that the path taken by every call
//! that succeeds is unchanged.

use std::collections::hash_map::Entry;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, types, ExtFuncData, ExternalName, InstBuilder, UserExternalName,
};

use super::FuncTranslator;
use crate::jit::libcalls::Libcall;
use crate::jit::vmctx::{VmFunc, VmStoreCtx};
use crate::jit::{TRAP_BAD_SIGNATURE, TRAP_INDIRECT_NULL, TRAP_INDIRECT_OUT_OF_BOUNDS};

impl FuncTranslator<'_, '_> {
    /// Pops the arguments of type `type_index` and prepends the two vmctx arguments.
    fn call_args(&mut self, type_index: u32, callee_vmctx: ir::Value) -> Vec<ir::Value> {
        let n = self.env.types[type_index as usize].params().len();
        let args = self.stack.split_off(self.stack.len() - n);
        let mut all = Vec::with_capacity(n + 2);
        all.push(callee_vmctx);
        all.push(self.vmctx);
        all.extend(args);
        all
    }

    fn push_results(&mut self, call: ir::Inst) {
        let results = self.b.inst_results(call).to_vec();
        self.stack.extend(results);
    }

    /// The `FuncRef` of defined function `defined`, declared once per caller.
    fn defined_func_ref(&mut self, defined: u32, sig: ir::SigRef) -> ir::FuncRef {
        match self.sigs.funcs.entry(defined) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                let name = self
                    .b
                    .func
                    .declare_imported_user_function(UserExternalName::new(0, defined));
                let fref = self.b.import_function(ExtFuncData {
                    name: ExternalName::user(name),
                    signature: sig,
                    colocated: true,
                    patchable: false,
                });
                *e.insert(fref)
            }
        }
    }

    pub(super) fn visit_call(&mut self, function_index: u32) {
        let type_index = self.env.funcs[function_index as usize];
        let sig = self.wasm_sig(type_index);
        let call = match function_index.checked_sub(self.env.num_imported_funcs) {
            Some(defined) => {
                let fref = self.defined_func_ref(defined, sig);
                let args = self.call_args(type_index, self.vmctx);
                self.b.ins().call(fref, &args)
            }
            None => {
                let at = self.env.layout.imported_func(function_index);
                let code = self.load_readonly(types::I64, at + VmFunc::CODE);
                let callee_vmctx = self.load_readonly(types::I64, at + VmFunc::VMCTX);
                let args = self.call_args(type_index, callee_vmctx);
                self.b.ins().call_indirect(sig, code, &args)
            }
        };
        self.push_results(call);
    }

    pub(super) fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) {
        let index = self.pop();
        let addr = self.table_elem_addr(table_index, index, TRAP_INDIRECT_OUT_OF_BOUNDS);
        let raw = self.b.ins().load(types::I64, self.flags.table, addr, 0);
        self.b.ins().trapz(raw, TRAP_INDIRECT_NULL);

        // `raw` is `store index + 1`: address the entry as `funcs + raw * SIZE - SIZE`, folding
        // the subtraction into the loads' offsets.
        let store_ctx = self.store_ctx();
        let vm = self.flags.vm;
        let funcs = self
            .b
            .ins()
            .load(types::I64, vm, store_ctx, VmStoreCtx::FUNCS as i32);
        let scaled = self.b.ins().imul_imm_u(raw, VmFunc::SIZE as i64);
        let entry = self.b.ins().iadd(funcs, scaled);
        let field = |f: u32| f as i32 - VmFunc::SIZE as i32;

        let actual = self
            .b
            .ins()
            .load(types::I32, vm, entry, field(VmFunc::TYPE_TAG));
        let expected = self.load_readonly(types::I32, self.env.layout.type_tag(type_index));
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, actual, expected);
        let fill = self.b.create_block();
        let matched = self.b.create_block();
        let entry_end = self.b.append_block_param(matched, types::I64);
        self.b
            .ins()
            .brif(mismatch, fill, &[], matched, &[ir::BlockArg::Value(entry)]);
        self.b.seal_block(fill);
        self.b.set_cold_block(fill);
        self.b.switch_to_block(fill);
        // The entry comes back from the call, so that no value of the common path (the entry,
        // the expected tag) has to live across it and take a register the loop needs.
        let filled = self
            .call_libcall(Libcall::FillEntry, &[raw, expected])
            .expect("FillEntry returns the entry");
        self.b.ins().trapz(filled, TRAP_BAD_SIGNATURE);
        let filled_end = self.b.ins().iadd_imm_u(filled, VmFunc::SIZE as i64);
        self.b
            .ins()
            .jump(matched, &[ir::BlockArg::Value(filled_end)]);
        self.b.seal_block(matched);
        self.b.switch_to_block(matched);
        let entry = entry_end;

        let code = self
            .b
            .ins()
            .load(types::I64, vm, entry, field(VmFunc::CODE));
        let callee_vmctx = self
            .b
            .ins()
            .load(types::I64, vm, entry, field(VmFunc::VMCTX));
        let sig = self.wasm_sig(type_index);
        let args = self.call_args(type_index, callee_vmctx);
        let call = self.b.ins().call_indirect(sig, code, &args);
        self.push_results(call);
    }
}
