//! Flint's WebAssembly engine.
//!
//! The public API follows wasmtime's shape (`Engine`, `Module`, `Store`, `Linker`, `Instance`,
//! `Func`, `TypedFunc`) so that embedders feel at home. Internally the runtime keeps every entity
//! (function, memory, table, global, instance) in arrays owned by the [`Store`], addressed by
//! small indices: this keeps the execution state plain data, which snapshots depend on.

mod check_record;
mod const_expr;
mod engine;
mod error;
mod file_stamp;
mod func;
mod global;
mod instance;
mod interp;
mod jit;
mod linker;
mod memory;
mod module;
mod shared_slice;
mod snapshot;
mod store;
mod table;
mod trap;
mod types;
mod val;
mod zeroed;

pub use engine::{Config, Engine, Tier};
pub use error::Error;
pub use func::{Caller, Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy};
pub use global::Global;
pub use instance::{Extern, Instance};
pub use jit::clear_code_cache;
pub use linker::Linker;
pub use memory::{Memory, WASM_PAGE_SIZE};
pub use module::{ExportType, ImportType, Module};
pub use snapshot::{CodePagesRecorder, LoadedSnapshot, Snapshot, Suspended};
pub use store::Store;
pub use table::Table;
pub use trap::{FrameInfo, Trap, TrapKind};
pub use types::{
    ExternType, FuncType, GlobalType, MemoryType, Mutability, RefType, TableType, ValType,
};
pub use val::{Ref, Val};
