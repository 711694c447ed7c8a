//! The interpreter tier.
//!
//! Each function is translated once, on its first call, into register-machine code
//! (`code.rs`, `translate/`), shared by every instance of its module. The executor (`exec/`)
//! runs it with all execution state in the store's `InterpState`: Wasm-to-Wasm calls push
//! frames there instead of recursing on the host stack, and the executor returns to the driver
//! below for every host call, so a host function may re-enter Wasm on the same state.

mod code;
mod exec;
mod state;
mod translate;

use std::sync::{Arc, OnceLock};

use self::code::CompiledFunc;
use self::exec::Exit;
pub(crate) use self::state::InterpState;
use crate::module::ModuleInner;
use crate::store::{FuncKind, StoreInner};
use crate::{FrameInfo, Func, Store, Trap};

/// Per-module interpreter code, one lazily filled slot per defined function.
#[derive(Default)]
pub(crate) struct ModuleCode {
    funcs: Box<[OnceLock<Arc<CompiledFunc>>]>,
}

impl ModuleCode {
    pub(crate) fn new(defined_funcs: usize) -> Self {
        ModuleCode {
            funcs: (0..defined_funcs).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The code of function `func_index` (module index, a defined function), translated now
    /// if this is its first call.
    pub(crate) fn get_or_translate(
        &self,
        module: &ModuleInner,
        func_index: u32,
    ) -> Result<Arc<CompiledFunc>, Trap> {
        let defined = (func_index - module.num_imported_funcs) as usize;
        let slot = &self.funcs[defined];
        if let Some(code) = slot.get() {
            return Ok(Arc::clone(code));
        }
        // Two threads may translate the same function at once; the first to finish wins.
        let code = Arc::new(translate::translate(module, defined)?);
        Ok(Arc::clone(slot.get_or_init(|| code)))
    }
}

/// Calls Wasm function `func` with the parameters in `slots`, leaving the results there.
pub(crate) fn call_wasm<T>(
    store: &mut Store<T>,
    func: Func,
    slots: &mut [u64],
) -> Result<(), Trap> {
    let entity = store.inner.funcs[func.index() as usize];
    let (params, results) = (entity.param_slots as usize, entity.result_slots as usize);
    let base = store.inner.interp.frames.len();
    let fp = exec::enter_from_host(&mut store.inner, func.index(), &slots[..params], results)
        .map_err(Trap::new)?;
    loop {
        match exec::run(&mut store.inner, base) {
            Ok(Exit::Returned) => break,
            Ok(Exit::Host {
                host,
                instance,
                args,
                params,
                results,
            }) => {
                let mut buf = store.inner.interp.stack[args..args + params.max(results)].to_vec();
                if let Err(trap) = crate::func::call_host(store, host, Some(instance), &mut buf) {
                    return Err(unwind(&mut store.inner, base, trap));
                }
                store.inner.interp.stack[args..args + results].copy_from_slice(&buf[..results]);
            }
            Err(kind) => return Err(unwind(&mut store.inner, base, Trap::new(kind))),
        }
    }
    slots[..results].copy_from_slice(&store.inner.interp.stack[fp..fp + results]);
    Ok(())
}

/// Drops the frames above depth `base`, adding them to the trap's backtrace.
fn unwind(inner: &mut StoreInner, base: usize, mut trap: Trap) -> Trap {
    let frames = inner.interp.frames.split_off(base);
    for frame in frames.iter().rev() {
        if let FuncKind::Wasm { instance, index } = inner.funcs[frame.func as usize].kind {
            let module = &inner.instances[instance as usize].module.inner;
            trap.push_frame(FrameInfo {
                func_index: index,
                func_name: module.func_names.get(&index).cloned(),
                module_name: module.name.clone(),
            });
        }
    }
    trap
}
