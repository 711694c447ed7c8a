//! The compiled tier: Wasm functions translated to native code with Cranelift.
//!
//! - `translate/`: Wasm to CLIF, one file per operator family;
//! - `trampoline.rs`: adapters between the runtime's slots and native calls;
//! - `compile.rs`: the module pipeline (translate, compile in parallel, link, load);
//! - `cache.rs`: the on-disk code cache;
//! - `vmctx.rs`: the data compiled code reads and its layout;
//! - `instance.rs`: that data kept in step with a store's entities;
//! - `entry.rs`: calls between the runtime and compiled code;
//! - `libcalls.rs`: runtime functions compiled code calls;
//! - `sys.rs`, `shim.c`, `registry.rs`, `code.rs`: executable memory, and traps by signal.
//!
//! Calling convention: every compiled function takes `(callee vmctx, caller vmctx, Wasm
//! params...)` and returns its Wasm results, in Cranelift's `tail` convention; references are
//! their raw 64-bit encoding. Host functions are reached through a per-signature host adapter
//! with the same convention, so calls need not know what they call.

mod cache;
mod code;
mod compile;
mod entry;
mod instance;
mod isa;
mod libcalls;
mod registry;
mod sys;
mod trampoline;
mod translate;
mod traps;
mod vmctx;

use std::any::Any;
use std::sync::{Arc, OnceLock};

pub(crate) use entry::call_wasm;
pub(crate) use instance::StoreJit;
use traps::trap_kind;
pub(crate) use traps::{
    TRAP_BAD_SIGNATURE, TRAP_INDIRECT_NULL, TRAP_INDIRECT_OUT_OF_BOUNDS, TRAP_PENDING,
    TRAP_TABLE_OUT_OF_BOUNDS, TRAP_UNREACHABLE,
};

use crate::module::ModuleInner;
use crate::{Error, Trap};

/// What a runtime or host function leaves in the store when it makes compiled code trap.
pub(crate) enum Pending {
    Trap(Trap),
    /// A host function panicked; the panic resumes once compiled frames are left behind.
    Panic(Box<dyn Any + Send>),
}

/// A module's compiled code, made on first use and shared by all its instances.
#[derive(Default)]
pub(crate) struct ModuleJit {
    compiled: OnceLock<Result<Arc<compile::CompiledModule>, String>>,
}

impl ModuleJit {
    fn compiled(&self, m: &ModuleInner) -> Result<Arc<compile::CompiledModule>, String> {
        self.compiled
            .get_or_init(|| compile::compile_module(m).map(Arc::new))
            .clone()
            .map_err(|e| format!("cannot compile the module: {e}"))
    }
}

/// Compiles module `m` unless it already is.
pub(crate) fn precompile(m: &ModuleInner) -> Result<(), Error> {
    m.jit.compiled(m).map(drop).map_err(Error::Unsupported)
}
