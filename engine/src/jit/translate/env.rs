//! What the translator knows about the module and the runtime: types, the vmctx layout, the
//! calling convention, and the memory flags that describe the runtime's data to Cranelift.

use std::borrow::Cow;
use std::collections::HashMap;

use cranelift_codegen::ir::{
    self, types, AbiParam, AliasRegionData, ArgumentPurpose, GlobalValueData, InstBuilder,
    MemFlagsData, Signature,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig, TargetIsa};
use cranelift_frontend::FunctionBuilder;
use wasmparser::FunctionBody;

use super::FuncTranslator;
use crate::jit::libcalls::{Libcall, LIBCALL_COUNT};
use crate::jit::vmctx::{VmCtxHeader, VmLayout, VmStoreCtx};
use crate::module::ModuleInner;
use crate::{FuncType, GlobalType, Mutability, ValType};

/// The module-level facts translation needs, borrowed from the module.
pub(crate) struct ModuleEnv<'m> {
    pub types: &'m [FuncType],
    /// Type index of every function, imported ones first.
    pub funcs: &'m [u32],
    pub globals: &'m [GlobalType],
    pub num_imported_funcs: u32,
    bytes: &'m [u8],
    bodies: Vec<std::ops::Range<usize>>,
    pub layout: VmLayout,
    /// Convention of Wasm functions.
    pub call_conv: CallConv,
    /// Convention of `extern "C"` functions: the runtime functions and host calls.
    pub native_call_conv: CallConv,
    /// Whether function entries and loop headers check the epoch deadline.
    pub epoch_interruption: bool,
    pub frontend_config: TargetFrontendConfig,
    /// Whether the target can lower every SIMD instruction inline: on x86-64 Cranelift needs
    /// SSSE3 (`pshufb`) and SSE4.1 (rounding, blends, lane inserts) for that.
    pub simd: bool,
}

impl<'m> ModuleEnv<'m> {
    pub(crate) fn new(m: &'m ModuleInner, layout: VmLayout, isa: &dyn TargetIsa) -> Self {
        ModuleEnv {
            types: &m.types,
            funcs: &m.funcs,
            globals: &m.globals,
            num_imported_funcs: m.num_imported_funcs,
            bytes: &m.bytes,
            bodies: m.bodies.iter().map(|b| b.range.clone()).collect(),
            layout,
            call_conv: CallConv::Tail,
            native_call_conv: isa.default_call_conv(),
            epoch_interruption: m.engine.config().epoch_interruption,
            frontend_config: isa.frontend_config(),
            simd: isa.has_round() && isa.has_x86_pshufb_lowering(),
        }
    }

    pub(crate) fn num_defined_funcs(&self) -> u32 {
        self.bodies.len() as u32
    }

    pub(crate) fn func_type(&self, index: u32) -> &'m FuncType {
        &self.types[self.funcs[index as usize] as usize]
    }

    pub(crate) fn body(&self, defined: u32) -> FunctionBody<'m> {
        let range = self.bodies[defined as usize].clone();
        let reader = wasmparser::BinaryReader::new(&self.bytes[range.clone()], range.start as u64);
        FunctionBody::new(reader)
    }
}

/// The Cranelift type of a Wasm value: references are their raw 64-bit slot encoding.
pub(crate) fn ir_type(ty: ValType) -> ir::Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 | ValType::Ref(_) => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
    }
}

/// `ir_type` of a type as wasmparser spells it.
pub(crate) fn parser_ir_type(ty: wasmparser::ValType) -> ir::Type {
    match ty {
        wasmparser::ValType::I32 => types::I32,
        wasmparser::ValType::I64 | wasmparser::ValType::Ref(_) => types::I64,
        wasmparser::ValType::F32 => types::F32,
        wasmparser::ValType::F64 => types::F64,
        wasmparser::ValType::V128 => types::I8X16,
    }
}

/// The native signature of a Wasm function: `(callee vmctx, caller vmctx, params...) ->
/// results`.
pub(crate) fn wasm_signature(ty: &FuncType, call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params
        .push(AbiParam::special(types::I64, ArgumentPurpose::VMContext));
    sig.params.push(AbiParam::new(types::I64));
    sig.params
        .extend(ty.params().iter().map(|&t| AbiParam::new(ir_type(t))));
    sig.returns
        .extend(ty.results().iter().map(|&t| AbiParam::new(ir_type(t))));
    sig
}

/// The memory flags of each kind of runtime data. Alias regions tell Cranelift which accesses
/// cannot interfere: a store to linear memory cannot change a global, a table or a pointer in
/// the vmctx, so loads of those survive it.
pub(super) struct Flags {
    /// Vmctx fields fixed for the instance's life: freely hoisted and merged.
    pub readonly: MemFlagsData,
    /// Runtime pointers that change only inside calls (global cells, the store's function
    /// array).
    pub vm: MemFlagsData,
    /// Global values.
    pub global: MemFlagsData,
    /// Table descriptors and elements.
    pub table: MemFlagsData,
    /// Linear memory: any access may fault, which becomes an out-of-bounds trap.
    pub heap: MemFlagsData,
}

impl Flags {
    pub(super) fn new(b: &mut FunctionBuilder<'_>) -> Self {
        let mut region = |user_id, description| {
            Some(b.func.dfg.alias_regions.insert(AliasRegionData {
                user_id,
                description: Cow::Borrowed(description),
            }))
        };
        let vm = region(1, "vm");
        let global = region(2, "globals");
        let table = region(3, "tables");
        Flags {
            readonly: MemFlagsData::trusted().with_readonly().with_can_move(),
            vm: MemFlagsData::trusted().with_alias_region(vm),
            global: MemFlagsData::trusted().with_alias_region(global),
            table: MemFlagsData::trusted().with_alias_region(table),
            heap: MemFlagsData::new().with_endianness(ir::Endianness::Little),
        }
    }
}

/// Signatures imported into the current function, so that each is declared once.
#[derive(Default)]
pub(super) struct SigCache {
    wasm: HashMap<u32, ir::SigRef>,
    libcalls: [Option<ir::SigRef>; LIBCALL_COUNT],
    /// Defined functions called directly, by defined index.
    pub funcs: HashMap<u32, ir::FuncRef>,
}

impl FuncTranslator<'_, '_> {
    /// Loads a vmctx field that never changes while the instance lives.
    pub(super) fn load_readonly(&mut self, ty: ir::Type, offset: u32) -> ir::Value {
        let vmctx = self.vmctx;
        self.b
            .ins()
            .load(ty, self.flags.readonly, vmctx, offset as i32)
    }

    pub(super) fn store_ctx(&mut self) -> ir::Value {
        self.load_readonly(types::I64, VmCtxHeader::STORE_CTX)
    }

    /// Makes every prologue compare the stack pointer against the store's stack limit, so that
    /// deep recursion traps instead of overflowing the native stack.
    pub(super) fn set_stack_limit(&mut self) {
        let readonly = self
            .b
            .func
            .dfg
            .mem_flags
            .insert_unchecked(MemFlagsData::trusted().with_readonly());
        let vmctx = self.b.create_global_value(GlobalValueData::VMContext);
        let store_ctx = self.b.create_global_value(GlobalValueData::Load {
            base: vmctx,
            offset: (VmCtxHeader::STORE_CTX as i32).into(),
            global_type: types::I64,
            flags: readonly,
        });
        let limit = self.b.create_global_value(GlobalValueData::Load {
            base: store_ctx,
            offset: (VmStoreCtx::STACK_LIMIT as i32).into(),
            global_type: types::I64,
            flags: readonly,
        });
        self.b.func.stack_limit = Some(limit);
    }

    /// The signature reference of module type `index`.
    pub(super) fn wasm_sig(&mut self, index: u32) -> ir::SigRef {
        if let Some(&sig) = self.sigs.wasm.get(&index) {
            return sig;
        }
        let sig = wasm_signature(&self.env.types[index as usize], self.env.call_conv);
        let sig = self.b.import_signature(sig);
        self.sigs.wasm.insert(index, sig);
        sig
    }

    /// Calls a runtime function with the current vmctx prepended to `args`.
    pub(super) fn call_libcall(&mut self, lc: Libcall, args: &[ir::Value]) -> Option<ir::Value> {
        let (params, result) = lc.signature();
        let sig = match self.sigs.libcalls[lc as usize] {
            Some(sig) => sig,
            None => {
                let mut sig = Signature::new(self.env.native_call_conv);
                sig.params.push(AbiParam::new(types::I64));
                sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
                sig.returns.extend(result.map(AbiParam::new));
                let sig = self.b.import_signature(sig);
                self.sigs.libcalls[lc as usize] = Some(sig);
                sig
            }
        };
        let store_ctx = self.store_ctx();
        let addr = self.b.ins().load(
            types::I64,
            self.flags.readonly,
            store_ctx,
            (VmStoreCtx::LIBCALLS + 8 * lc as u32) as i32,
        );
        let mut call_args = Vec::with_capacity(args.len() + 1);
        call_args.push(self.vmctx);
        call_args.extend_from_slice(args);
        let call = self.b.ins().call_indirect(sig, addr, &call_args);
        self.b.inst_results(call).first().copied()
    }

    /// Whether global `index` is immutable, so that its value may be treated as constant.
    pub(super) fn global_is_const(&self, index: u32) -> bool {
        self.env.globals[index as usize].mutability == Mutability::Const
    }
}
