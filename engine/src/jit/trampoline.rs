//! The two adapters between the runtime's slot calling convention and native Wasm calls, one
//! of each per module type.
//!
//! - The *array entry* lets the runtime call compiled code: `(code, vmctx, caller vmctx,
//!   slots)` in the native C convention loads the parameters from the slots, calls `code`, and
//!   stores the results back into the slots.
//! - The *host adapter* lets compiled code call a host function as if it were Wasm: it has the
//!   Wasm signature (its "vmctx" is the host function's store index), spills the arguments into
//!   slots on its stack, calls the store's host-call entry, and traps if that reports a trap.
//!
//! Slots hold each value zero-extended to 64 bits, a `v128` in two slots, low half first (see
//! `val.rs`): storing the vector little-endian lays out exactly that.

use cranelift_codegen::ir::{
    self, types, AbiParam, Endianness, InstBuilder, MemFlagsData, Signature, StackSlotData,
    StackSlotKind, UserFuncName,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

use super::translate::{ir_type, wasm_signature, ModuleEnv};
use super::vmctx::{VmCtxHeader, VmStoreCtx};
use super::TRAP_PENDING;
use crate::ValType;

/// Widens a value to its 64-bit slot encoding.
fn to_slot(b: &mut FunctionBuilder<'_>, v: ir::Value, ty: ValType) -> ir::Value {
    match ty {
        ValType::I32 => b.ins().uextend(types::I64, v),
        ValType::F32 => {
            let bits = b.ins().bitcast(types::I32, MemFlagsData::new(), v);
            b.ins().uextend(types::I64, bits)
        }
        ValType::F64 => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
        _ => v,
    }
}

/// Byte offset of each value's first slot when `types` are laid out one after another.
fn slot_offsets(types: &[ValType]) -> Vec<i32> {
    let mut at = 0;
    types
        .iter()
        .map(|t| {
            let offset = 8 * at as i32;
            at += t.slots();
            offset
        })
        .collect()
}

fn slot_flags() -> MemFlagsData {
    MemFlagsData::trusted().with_endianness(Endianness::Little)
}

pub(crate) fn array_entry(
    env: &ModuleEnv<'_>,
    type_index: u32,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
) {
    let ty = &env.types[type_index as usize];
    let mut sig = Signature::new(env.native_call_conv);
    sig.params.extend([AbiParam::new(types::I64); 4]);
    func.signature = sig;
    func.name = UserFuncName::user(1, type_index);
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let &[code, vmctx, caller, slots] = b.block_params(entry) else {
        unreachable!("the array entry takes four parameters")
    };
    let mut args = vec![vmctx, caller];
    for (&p, offset) in ty.params().iter().zip(slot_offsets(ty.params())) {
        let v = b.ins().load(ir_type(p), slot_flags(), slots, offset);
        args.push(v);
    }
    let callee = b.import_signature(wasm_signature(ty, env.call_conv));
    let call = b.ins().call_indirect(callee, code, &args);
    let results = b.inst_results(call).to_vec();
    let offsets = slot_offsets(ty.results());
    for ((&v, &t), offset) in results.iter().zip(ty.results()).zip(offsets) {
        let slot = to_slot(&mut b, v, t);
        b.ins().store(slot_flags(), slot, slots, offset);
    }
    b.ins().return_(&[]);
    b.finalize(env.frontend_config);
}

pub(crate) fn host_adapter(
    env: &ModuleEnv<'_>,
    type_index: u32,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
) {
    let ty = &env.types[type_index as usize];
    func.signature = wasm_signature(ty, env.call_conv);
    func.name = UserFuncName::user(2, type_index);
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let params = b.block_params(entry).to_vec();
    let (host, caller) = (params[0], params[1]);

    let n = ty.param_slots().max(ty.result_slots()).max(1);
    let slot = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        8 * n as u32,
        3,
    ));
    let slots = b.ins().stack_addr(types::I64, slot, 0);
    let offsets = slot_offsets(ty.params());
    for ((&v, &t), offset) in params[2..].iter().zip(ty.params()).zip(offsets) {
        let v = to_slot(&mut b, v, t);
        b.ins().store(slot_flags(), v, slots, offset);
    }

    let readonly = MemFlagsData::trusted().with_readonly();
    let store_ctx = b
        .ins()
        .load(types::I64, readonly, caller, VmCtxHeader::STORE_CTX as i32);
    let host_call = b.ins().load(
        types::I64,
        readonly,
        store_ctx,
        VmStoreCtx::HOST_CALL as i32,
    );
    let mut sig = Signature::new(env.native_call_conv);
    sig.params.extend([
        AbiParam::new(types::I64),
        AbiParam::new(types::I32),
        AbiParam::new(types::I64),
        AbiParam::new(types::I64),
    ]);
    sig.returns.push(AbiParam::new(types::I32));
    let sig = b.import_signature(sig);
    let index = b.ins().ireduce(types::I32, host);
    let len = b.ins().iconst(types::I64, n as i64);
    let call = b
        .ins()
        .call_indirect(sig, host_call, &[caller, index, slots, len]);
    let status = b.inst_results(call)[0];
    b.ins().trapnz(status, TRAP_PENDING);

    let mut results = Vec::with_capacity(ty.results().len());
    for (&t, offset) in ty.results().iter().zip(slot_offsets(ty.results())) {
        let v = b.ins().load(ir_type(t), slot_flags(), slots, offset);
        results.push(v);
    }
    b.ins().return_(&results);
    b.finalize(env.frontend_config);
}
