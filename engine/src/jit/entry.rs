//! The boundary between the runtime and compiled code, both ways: `call_wasm` runs a compiled
//! function for the host, and `host_call` runs a host function for compiled code.

use std::panic::{self, AssertUnwindSafe};

use super::instance::sync;
use super::vmctx::VmCtxHeader;
use super::{sys, trap_kind, Pending};
use crate::store::{FuncKind, StoreInner};
use crate::{FrameInfo, Func, Store, Trap};

/// Calls Wasm function `func` with raw `slots` (parameters in, results out), compiling its
/// module first if need be.
pub(crate) fn call_wasm<T>(
    store: &mut Store<T>,
    func: Func,
    slots: &mut [u64],
) -> Result<(), Trap> {
    sync(&mut store.inner)?;
    let FuncKind::Wasm { instance, index } = store.inner.funcs[func.index() as usize].kind else {
        unreachable!("call_wasm is only called for Wasm functions")
    };
    let type_index = store.inner.instances[instance as usize].module.inner.funcs[index as usize];
    let entry = store.inner.jit.instances[instance as usize]
        .as_ref()
        .expect("callers only run functions with code compiled")
        .code
        .array_entry(type_index);
    let callee = store.inner.jit.func(instance, index, func.index());

    let max_stack = store.engine.config().max_wasm_stack;
    let jit = &mut store.inner.jit;
    if jit.depth == 0 {
        jit.ctx.stack_limit = sys::stack_limit(max_stack);
    }
    jit.ctx.host_call = Some(host_call::<T>);
    jit.ctx.epoch = store.engine.epoch().as_ptr();
    jit.ctx.epoch_deadline = store.inner.epoch_deadline;
    jit.depth += 1;
    // From here until compiled code returns, the store is only reached through this pointer
    // (by the runtime and host functions that compiled code calls).
    let store_ptr: *mut Store<T> = store;
    // SAFETY: `store_ptr` is valid and unaliased for the duration. `entry` is the array entry
    // of the callee's type, `callee.vmctx` is the callee's vmctx (synced above), and `slots`
    // holds max(params, results) slots as `call_raw` guarantees. The store context is pointed
    // at this store first. The host is the caller; the callee's own vmctx stands in for the
    // caller's.
    let result = unsafe {
        (*store_ptr).inner.jit.ctx.store = store_ptr.cast();
        (*store_ptr).inner.jit.ctx.inner = &raw mut (*store_ptr).inner;
        sys::enter(
            entry,
            callee.code,
            callee.vmctx,
            callee.vmctx,
            slots.as_mut_ptr(),
        )
    };
    store.inner.jit.depth -= 1;
    result.map_err(|info| {
        let mut trap = match trap_kind(info.code) {
            Some(kind) => Trap::new(kind),
            None => match store.inner.jit.pending.take() {
                Some(Pending::Trap(trap)) => trap,
                Some(Pending::Panic(payload)) => panic::resume_unwind(payload),
                None => Trap::host("compiled code reported a trap it did not leave"),
            },
        };
        for (i, &pc) in info.pcs.iter().enumerate() {
            // Return addresses point after their call; look up the call itself.
            let pc = if i == 0 { pc } else { pc - 1 };
            if let Some(frame) = frame_at(&store.inner, pc) {
                trap.push_frame(frame);
            }
        }
        trap
    })
}

/// The Wasm function whose code contains `pc`, if any (trampolines and adapters have none).
fn frame_at(inner: &StoreInner, pc: usize) -> Option<FrameInfo> {
    inner
        .jit
        .instances
        .iter()
        .zip(&inner.instances)
        .find_map(|(jit, entity)| {
            let jit = jit.as_ref()?;
            let m = &entity.module.inner;
            let index = m.num_imported_funcs + jit.code.defined_func_at(pc)?;
            Some(FrameInfo {
                func_index: index,
                func_name: m.func_names.get(&index).cloned(),
                module_name: m.name.clone(),
            })
        })
}

/// The store's host-call entry: runs function `func` for the instance of `vmctx` on the slots,
/// and returns 0, or 1 after leaving a trap (or the host's panic) in the store. The function
/// is a host function, or a Wasm function that had no compiled code when its entry was made
/// (see `instance.rs`).
///
/// # Safety
/// Only compiled code of a `Store<T>` that is executing calls this (through the store context),
/// with its own vmctx and `len` valid slots.
unsafe extern "C" fn host_call<T>(vmctx: *mut u8, func: u32, slots: *mut u64, len: usize) -> u32 {
    // SAFETY: per the contract, `vmctx` is a live vmctx whose store context points at the
    // executing `Store<T>`, which nothing else uses while its compiled code calls out; `slots`
    // holds `len` slots on the caller's stack.
    let (store, instance, slots) = unsafe {
        let header = &*(vmctx as *const VmCtxHeader);
        let store = &mut *((*header.store_ctx).store as *mut Store<T>);
        (
            store,
            header.instance,
            std::slice::from_raw_parts_mut(slots, len),
        )
    };
    // A panic must not unwind through compiled frames: it is carried across them instead.
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        match store.inner.funcs[func as usize].kind {
            FuncKind::Host { host } => crate::func::call_host(store, host, Some(instance), slots),
            FuncKind::Wasm { .. } => crate::func::call_raw(store, Func::from_index(func), slots),
        }
    }));
    // The host function may have created entities, grown tables or set a new deadline.
    let synced = sync(&mut store.inner);
    store.inner.jit.ctx.epoch_deadline = store.inner.epoch_deadline;
    let pending = match (result, synced) {
        (Ok(Ok(())), Ok(())) => return 0,
        (Ok(Err(trap)), _) | (Ok(Ok(())), Err(trap)) => Pending::Trap(trap),
        (Err(payload), _) => Pending::Panic(payload),
    };
    store.inner.jit.pending = Some(pending);
    1
}
