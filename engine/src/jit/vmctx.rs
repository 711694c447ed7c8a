//! The data compiled code reads at run time, and where it lies.
//!
//! Every compiled function receives two pointers: its own instance's *vmctx* and its caller's.
//! A vmctx is one flat, 8-byte-aligned allocation per instance:
//!
//! ```text
//! 0                 header: *mut VmStoreCtx, instance index (u32)
//! memories          [*mut u8; memories]        base of each linear memory's reservation
//! tables            [*mut VmTable; tables]     the store-level table descriptor
//! globals           [*mut u128; globals]       the store's global cell
//! imported_funcs    [VmFunc; imported funcs]   callee of each imported function
//! func_refs         [u64; imported funcs]      raw funcref (`store index + 1`) of each import
//! defined_func_ref  u64                        raw funcref of the first defined function
//! type_tags         [u32; types]               type tag (`VmFunc::type_tag`) of each module type
//! ```
//!
//! `ref.func` of a defined function adds its defined index to `defined_func_ref`: an instance's
//! defined functions have consecutive store indices, so the vmctx holds one word for them all
//! instead of a word per function (CPython's 92 KB, written in every process).
//!
//! Memory bases, table descriptors, imports, func refs and type ids never change once the
//! instance exists, so compiled code may load them as read-only. Global cell pointers do change
//! when the store's global array reallocates (see `instance.rs`), so they are reloaded after
//! calls. Everything is addressed by offsets that depend only on the module, which keeps the
//! generated code independent of any particular instance (and cacheable).

use std::mem::{align_of, offset_of, size_of};

use super::libcalls::LIBCALL_COUNT;
use crate::zeroed::ZeroedSlice;

/// A callable function as compiled code sees it. All zeros is the empty entry, which no
/// `call_indirect` accepts (no type has tag 0), so that an array of entries can start as
/// zeroed memory and be filled on first use (see `instance.rs`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct VmFunc {
    /// Native code taking `(callee vmctx, caller vmctx, params...)` in the Wasm calling
    /// convention.
    pub code: *const u8,
    /// The first argument to pass: the callee instance's vmctx, or for a host function its
    /// store function index.
    pub vmctx: *mut u8,
    /// The tag of its signature, compared by `call_indirect`; 0 in the empty entry.
    pub type_tag: u32,
}

impl VmFunc {
    pub(crate) const EMPTY: VmFunc = VmFunc {
        code: std::ptr::null(),
        vmctx: std::ptr::null_mut(),
        type_tag: 0,
    };
    pub(crate) const CODE: u32 = offset_of!(VmFunc, code) as u32;
    pub(crate) const VMCTX: u32 = offset_of!(VmFunc, vmctx) as u32;
    pub(crate) const TYPE_TAG: u32 = offset_of!(VmFunc, type_tag) as u32;
    pub(crate) const SIZE: u32 = size_of::<VmFunc>() as u32;

    /// The tag of engine type `type_id`: the id plus one, keeping 0 for the empty entry (an
    /// engine holds far fewer than 2^32 - 1 types, one allocation each).
    pub(crate) fn type_tag(type_id: u32) -> u32 {
        type_id.wrapping_add(1)
    }

    /// `len` empty entries, in zeroed memory whose pages cost nothing until written.
    pub(crate) fn empty_array(len: usize) -> ZeroedSlice<VmFunc> {
        // SAFETY: all zeros is a valid `VmFunc` (null pointers and a 0 tag), the empty entry.
        unsafe { ZeroedSlice::new(len) }
    }
}

/// Where a table's elements currently are; refreshed whenever the table may have grown.
#[repr(C)]
#[derive(Debug)]
pub(crate) struct VmTable {
    pub base: *mut u64,
    pub len: u64,
}

impl VmTable {
    pub(crate) const BASE: u32 = offset_of!(VmTable, base) as u32;
    pub(crate) const LEN: u32 = offset_of!(VmTable, len) as u32;
}

/// Signature of the store's host-call entry: `(caller vmctx, store function index, slots,
/// slot count) -> status`, status 0 for success and 1 for a trap left in the store.
pub(crate) type HostCallFn = unsafe extern "C" fn(*mut u8, u32, *mut u64, usize) -> u32;

/// Per-store state shared by all of the store's instances; lives in a `Box` so that its address
/// is stable.
#[repr(C)]
pub(crate) struct VmStoreCtx {
    /// Lowest stack pointer compiled code may run at; checked in every function's prologue.
    pub stack_limit: usize,
    /// The store's function array, indexed by store function index.
    pub funcs: *const VmFunc,
    /// Monomorphised for the store's host data type when compiled code is entered.
    pub host_call: Option<HostCallFn>,
    /// The `Store<T>` that is executing, set on entry.
    pub store: *mut u8,
    /// That store's `StoreInner`, for the runtime functions, which are not generic.
    pub inner: *mut crate::store::StoreInner,
    /// The engine's epoch counter, and the store's deadline for it (see `Engine::increment_epoch`).
    pub epoch: *const u64,
    pub epoch_deadline: u64,
    /// Addresses of the runtime functions of `libcalls.rs`, indexed by `Libcall`.
    pub libcalls: [usize; LIBCALL_COUNT],
}

impl VmStoreCtx {
    pub(crate) const STACK_LIMIT: u32 = offset_of!(VmStoreCtx, stack_limit) as u32;
    pub(crate) const FUNCS: u32 = offset_of!(VmStoreCtx, funcs) as u32;
    pub(crate) const HOST_CALL: u32 = offset_of!(VmStoreCtx, host_call) as u32;
    pub(crate) const EPOCH: u32 = offset_of!(VmStoreCtx, epoch) as u32;
    pub(crate) const EPOCH_DEADLINE: u32 = offset_of!(VmStoreCtx, epoch_deadline) as u32;
    pub(crate) const LIBCALLS: u32 = offset_of!(VmStoreCtx, libcalls) as u32;
}

/// The fixed start of every vmctx.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct VmCtxHeader {
    pub store_ctx: *mut VmStoreCtx,
    pub instance: u32,
}

impl VmCtxHeader {
    pub(crate) const STORE_CTX: u32 = offset_of!(VmCtxHeader, store_ctx) as u32;
}

/// Counts of what a module's vmctx holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VmShape {
    pub memories: u32,
    pub tables: u32,
    pub globals: u32,
    pub imported_funcs: u32,
    pub types: u32,
}

/// Byte offsets of a module's vmctx regions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VmLayout {
    memories: u32,
    tables: u32,
    globals: u32,
    imported_funcs: u32,
    func_refs: u32,
    defined_func_ref: u32,
    type_tags: u32,
    /// Total size in bytes, a multiple of 8.
    pub size: u32,
}

impl VmLayout {
    pub(crate) fn new(shape: VmShape) -> Self {
        let ptr = size_of::<usize>() as u32;
        let memories = size_of::<VmCtxHeader>() as u32;
        let tables = memories + shape.memories * ptr;
        let globals = tables + shape.tables * ptr;
        let imported_funcs = globals + shape.globals * ptr;
        let func_refs = imported_funcs + shape.imported_funcs * VmFunc::SIZE;
        let defined_func_ref = func_refs + shape.imported_funcs * 8;
        let type_tags = defined_func_ref + 8;
        let size = (type_tags + shape.types * 4).next_multiple_of(8);
        VmLayout {
            memories,
            tables,
            globals,
            imported_funcs,
            func_refs,
            defined_func_ref,
            type_tags,
            size,
        }
    }

    pub(crate) fn memory(&self, index: u32) -> u32 {
        self.memories + index * size_of::<usize>() as u32
    }

    pub(crate) fn table(&self, index: u32) -> u32 {
        self.tables + index * size_of::<usize>() as u32
    }

    pub(crate) fn global(&self, index: u32) -> u32 {
        self.globals + index * size_of::<usize>() as u32
    }

    pub(crate) fn imported_func(&self, index: u32) -> u32 {
        self.imported_funcs + index * VmFunc::SIZE
    }

    /// Where the raw funcref of imported function `index` is.
    pub(crate) fn imported_func_ref(&self, index: u32) -> u32 {
        self.func_refs + index * 8
    }

    /// Where the raw funcref of the first defined function is.
    pub(crate) fn defined_func_ref(&self) -> u32 {
        self.defined_func_ref
    }

    pub(crate) fn type_tag(&self, index: u32) -> u32 {
        self.type_tags + index * 4
    }
}

/// An instance's vmctx: zero-initialised, 8-byte aligned, at a stable address.
pub(crate) struct VmCtxBox(Box<[u64]>);

impl VmCtxBox {
    pub(crate) fn new(size: u32) -> Self {
        VmCtxBox(vec![0; size as usize / 8].into_boxed_slice())
    }

    pub(crate) fn as_mut_ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr().cast()
    }

    /// The address compiled code is given, from a shared borrow: compiled code only reads
    /// the vmctx.
    pub(crate) fn addr(&self) -> *mut u8 {
        self.0.as_ptr().cast_mut().cast()
    }

    /// Stores `value` at byte `offset`, which the layout keeps naturally aligned.
    pub(crate) fn write<T: Copy>(&mut self, offset: u32, value: T) {
        let offset = offset as usize;
        assert!(
            offset + size_of::<T>() <= self.0.len() * 8 && offset.is_multiple_of(align_of::<T>())
        );
        // SAFETY: the assertion keeps the write inside the allocation and aligned, and every
        // `T` written is plain data (pointers, integers, `repr(C)` structs of them).
        unsafe { self.as_mut_ptr().add(offset).cast::<T>().write(value) }
    }
}
