//! Runtime functions that compiled code calls for the operations too large to inline: memory
//! and table growth, the bulk memory and table instructions, and filling an entry of the store's
//! function array on `call_indirect`'s cold path.
//!
//! Each takes the calling instance's vmctx first. Those that can trap return a status: 0 for
//! success, 1 for a trap whose `Trap` they left in the store; the compiled caller then traps with
//! `TRAP_PENDING` and the entry point picks the trap up.

use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::Type;

use super::vmctx::{VmCtxHeader, VmFunc};
use super::Pending;
use crate::store::StoreInner;
use crate::{Trap, TrapKind};

/// The runtime functions, in the order of `VmStoreCtx::libcalls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Libcall {
    MemorySize,
    MemoryGrow,
    MemoryFill,
    MemoryCopy,
    MemoryInit,
    DataDrop,
    TableGrow,
    TableFill,
    TableCopy,
    TableInit,
    ElemDrop,
    EpochReached,
    FillEntry,
}

pub(crate) const LIBCALL_COUNT: usize = 13;

impl Libcall {
    /// Parameter types after the vmctx, and the result type.
    pub(crate) fn signature(self) -> (&'static [Type], Option<Type>) {
        match self {
            Libcall::MemorySize => (&[I32], Some(I32)),
            Libcall::MemoryGrow => (&[I32, I32], Some(I32)),
            Libcall::MemoryFill => (&[I32, I32, I32, I32], Some(I32)),
            Libcall::MemoryCopy => (&[I32, I32, I32, I32, I32], Some(I32)),
            Libcall::MemoryInit => (&[I32, I32, I32, I32, I32], Some(I32)),
            Libcall::DataDrop => (&[I32], None),
            Libcall::TableGrow => (&[I32, I64, I32], Some(I32)),
            Libcall::TableFill => (&[I32, I32, I64, I32], Some(I32)),
            Libcall::TableCopy => (&[I32, I32, I32, I32, I32], Some(I32)),
            Libcall::TableInit => (&[I32, I32, I32, I32, I32], Some(I32)),
            Libcall::ElemDrop => (&[I32], None),
            Libcall::EpochReached => (&[], Some(I32)),
            Libcall::FillEntry => (&[I64, I32], Some(I64)),
        }
    }

    /// Addresses of all runtime functions, indexed by `Libcall as usize`.
    pub(crate) fn addresses() -> [usize; LIBCALL_COUNT] {
        [
            memory_size as *const () as usize,
            memory_grow as *const () as usize,
            memory_fill as *const () as usize,
            memory_copy as *const () as usize,
            memory_init as *const () as usize,
            data_drop as *const () as usize,
            table_grow as *const () as usize,
            table_fill as *const () as usize,
            table_copy as *const () as usize,
            table_init as *const () as usize,
            elem_drop as *const () as usize,
            epoch_reached as *const () as usize,
            fill_entry as *const () as usize,
        ]
    }
}

/// The store and instance index behind a vmctx.
///
/// # Safety
/// `vmctx` must be the vmctx of an instance of a store that is currently executing compiled
/// code (so that its store context points at the live `StoreInner`), and no other reference to
/// that `StoreInner` may be in use.
unsafe fn store_of<'a>(vmctx: *mut u8) -> (&'a mut StoreInner, usize) {
    // SAFETY: per the contract, `vmctx` starts with a valid header whose store context's `inner`
    // was set on entry to the executing store and is not otherwise borrowed meanwhile.
    unsafe {
        let header = &*(vmctx as *const VmCtxHeader);
        (&mut *(*header.store_ctx).inner, header.instance as usize)
    }
}

/// Leaves `kind` in the store for the entry point and returns the "trapped" status.
fn trap(inner: &mut StoreInner, kind: TrapKind) -> u32 {
    inner.jit.pending = Some(Pending::Trap(Trap::new(kind)));
    1
}

fn status(inner: &mut StoreInner, result: Result<(), TrapKind>) -> u32 {
    match result {
        Ok(()) => 0,
        Err(kind) => trap(inner, kind),
    }
}

/// `start..start + len` if it lies within `0..bound`.
fn range(start: u32, len: u32, bound: usize) -> Option<std::ops::Range<usize>> {
    let end = (start as usize).checked_add(len as usize)?;
    (end <= bound).then_some(start as usize..end)
}

// The extern functions below are only ever called by compiled code of an executing store,
// which satisfies `store_of`'s contract.

unsafe extern "C" fn memory_size(vmctx: *mut u8, mem: u32) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let m = inner.instances[instance].memories[mem as usize] as usize;
    inner.memories[m].pages() as u32
}

unsafe extern "C" fn memory_grow(vmctx: *mut u8, mem: u32, delta: u32) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let m = inner.instances[instance].memories[mem as usize] as usize;
    inner.memories[m]
        .grow(delta as u64)
        .map_or(u32::MAX, |old| old as u32)
}

unsafe extern "C" fn memory_fill(vmctx: *mut u8, mem: u32, dst: u32, val: u32, len: u32) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let m = inner.instances[instance].memories[mem as usize] as usize;
    let bytes = inner.memories[m].bytes_mut();
    let result = match range(dst, len, bytes.len()) {
        Some(r) => {
            bytes[r].fill(val as u8);
            Ok(())
        }
        None => Err(TrapKind::MemoryOutOfBounds),
    };
    status(inner, result)
}

unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    dst_mem: u32,
    src_mem: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let d = inner.instances[instance].memories[dst_mem as usize] as usize;
    let s = inner.instances[instance].memories[src_mem as usize] as usize;
    let result =
        copy_within_or_between(&mut inner.memories, d, s, dst, src, len, |m| m.bytes_mut())
            .ok_or(TrapKind::MemoryOutOfBounds);
    status(inner, result)
}

unsafe extern "C" fn memory_init(
    vmctx: *mut u8,
    mem: u32,
    data: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let inst = &inner.instances[instance];
    let bytes = inst.data(data as usize);
    let memory = &mut inner.memories[inst.memories[mem as usize] as usize];
    let dest = memory.bytes_mut();
    let result = match (range(src, len, bytes.len()), range(dst, len, dest.len())) {
        (Some(s), Some(d)) => {
            dest[d].copy_from_slice(&bytes[s]);
            Ok(())
        }
        _ => Err(TrapKind::MemoryOutOfBounds),
    };
    status(inner, result)
}

unsafe extern "C" fn data_drop(vmctx: *mut u8, data: u32) {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    inner.instances[instance].data_dropped.insert(data as usize);
}

unsafe extern "C" fn table_grow(vmctx: *mut u8, table: u32, init: u64, delta: u32) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let t = inner.instances[instance].tables[table as usize] as usize;
    let old = inner.tables[t].grow(delta as u64, init);
    inner.jit.refresh_table(t, &mut inner.tables[t]);
    old.map_or(u32::MAX, |old| old as u32)
}

unsafe extern "C" fn table_fill(vmctx: *mut u8, table: u32, dst: u32, val: u64, len: u32) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let t = inner.instances[instance].tables[table as usize] as usize;
    let elements = &mut inner.tables[t].elements;
    let result = match range(dst, len, elements.len()) {
        Some(r) => {
            elements[r].fill(val);
            Ok(())
        }
        None => Err(TrapKind::TableOutOfBounds),
    };
    status(inner, result)
}

unsafe extern "C" fn table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let d = inner.instances[instance].tables[dst_table as usize] as usize;
    let s = inner.instances[instance].tables[src_table as usize] as usize;
    let result = copy_within_or_between(&mut inner.tables, d, s, dst, src, len, |t| {
        &mut t.elements[..]
    })
    .ok_or(TrapKind::TableOutOfBounds);
    status(inner, result)
}

unsafe extern "C" fn table_init(
    vmctx: *mut u8,
    table: u32,
    elem: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    let inst = &inner.instances[instance];
    let items = &inst.elems[elem as usize];
    let elements = &mut inner.tables[inst.tables[table as usize] as usize].elements;
    let result = match (
        range(src, len, items.len()),
        range(dst, len, elements.len()),
    ) {
        (Some(s), Some(d)) => {
            elements[d].copy_from_slice(&items[s]);
            Ok(())
        }
        _ => Err(TrapKind::TableOutOfBounds),
    };
    status(inner, result)
}

unsafe extern "C" fn elem_drop(vmctx: *mut u8, elem: u32) {
    // SAFETY: see above.
    let (inner, instance) = unsafe { store_of(vmctx) };
    inner.instances[instance].elems[elem as usize] = Vec::new();
}

/// The engine's epoch reached the store's deadline.
unsafe extern "C" fn epoch_reached(vmctx: *mut u8) -> u32 {
    // SAFETY: see above.
    let (inner, _) = unsafe { store_of(vmctx) };
    trap(inner, TrapKind::Interrupt)
}

/// Fills the entry of the function `raw` refers to (store index plus one) if it is empty and
/// can be filled (see `instance.rs`); returns the entry's address if it has tag `type_tag`,
/// else null (the caller then traps with a bad signature).
unsafe extern "C" fn fill_entry(vmctx: *mut u8, raw: u64, type_tag: u32) -> *const VmFunc {
    // SAFETY: see above.
    let (inner, _) = unsafe { store_of(vmctx) };
    let Some(f) = raw.checked_sub(1).and_then(|f| u32::try_from(f).ok()) else {
        return std::ptr::null();
    };
    let jit = &mut inner.jit;
    if super::instance::fill(jit, &inner.funcs, &inner.instances, f).type_tag != type_tag {
        return std::ptr::null();
    }
    jit.funcs.get(f as usize).map_or(std::ptr::null(), |e| e)
}

/// Copies `len` items from `src` of entity `s` to `dst` of entity `d` (possibly the same one,
/// with overlapping ranges); `None` if either range is out of bounds.
fn copy_within_or_between<E, T: Copy>(
    entities: &mut [E],
    d: usize,
    s: usize,
    dst: u32,
    src: u32,
    len: u32,
    items: impl Fn(&mut E) -> &mut [T],
) -> Option<()> {
    if d == s {
        let all = items(&mut entities[d]);
        let s = range(src, len, all.len())?;
        let d = range(dst, len, all.len())?;
        all.copy_within(s, d.start);
    } else {
        let (dest, source) = if d < s {
            let (lo, hi) = entities.split_at_mut(s);
            (&mut lo[d], &mut hi[0])
        } else {
            let (lo, hi) = entities.split_at_mut(d);
            (&mut hi[0], &mut lo[s])
        };
        let source = items(source);
        let dest = items(dest);
        let s = range(src, len, source.len())?;
        let d = range(dst, len, dest.len())?;
        dest[d].copy_from_slice(&source[s]);
    }
    Some(())
}
