//! The interpreter tier (being written; see issue 2).

use crate::{Config, Func, Store, Trap, TrapKind};

/// Per-module interpreter code, one lazily filled slot per defined function.
#[derive(Default)]
pub(crate) struct ModuleCode {
    slots: usize,
}

impl ModuleCode {
    pub(crate) fn new(defined_funcs: usize) -> Self {
        ModuleCode {
            slots: defined_funcs,
        }
    }
}

/// The interpreter's execution state.
pub(crate) struct InterpState {
    max_depth: usize,
}

impl InterpState {
    pub(crate) fn new(config: &Config) -> Self {
        InterpState {
            max_depth: config.max_call_depth,
        }
    }
}

pub(crate) fn call_wasm<T>(
    store: &mut Store<T>,
    func: Func,
    slots: &mut [u64],
) -> Result<(), Trap> {
    let _ = (
        store.inner.interp.max_depth,
        store.inner.instances.len(),
        func,
        slots.len(),
    );
    Err(Trap::new(TrapKind::Unreachable))
}
