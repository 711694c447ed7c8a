//! The interpreter tier.
//!
//! Each function is translated once, on its first call, into register-machine code
//! (`code.rs`, `translate/`), shared by every instance of its module. The executor (`exec/`)
//! runs it with all execution state in the store's `InterpState`: Wasm-to-Wasm calls push
//! frames there instead of recursing on the host stack, and the executor returns to the driver
//! below for every host call, so a host function may re-enter Wasm on the same state.

mod code;
mod code_table;
mod exec;
mod lazy_slots;
mod state;
mod translate;

use std::sync::Arc;

use self::lazy_slots::LazySlots;

pub(crate) use self::code::{CompiledFunc, Instr};
pub(crate) use self::exec::fill_fault;
use self::exec::Exit;
pub(crate) use self::state::{Frame, HostCall, InterpState};
use crate::module::ModuleInner;
use crate::store::{FuncKind, StoreInner};
use crate::{FrameInfo, Func, Store, Trap};

/// Per-module interpreter code, one lazily filled slot per defined function.
#[derive(Default)]
pub(crate) struct ModuleCode {
    funcs: LazySlots<CompiledFunc>,
    /// Where code comes from before the translator is asked (a snapshot's code cache).
    source: Option<Box<dyn CodeSource>>,
    /// Whether the code has `EpochCheck`s at function entries and loop headers. It is part of
    /// the code's layout: frames restored from a snapshot resume at instruction offsets into
    /// code translated as the snapshot's engine did, so a restored module keeps its setting
    /// whatever the restoring engine's.
    epoch_checks: bool,
}

/// Whether an engine with `config` translates with `EpochCheck`s: for epoch interruption, and
/// in the auto tier to notice compiled code that arrives while a frame runs.
pub(crate) fn wants_epoch_checks(config: &crate::Config) -> bool {
    config.epoch_interruption || config.tier == crate::Tier::Auto
}

/// Translated code from somewhere other than the translator, e.g. a snapshot that recorded
/// what a previous process translated.
pub(crate) trait CodeSource: Send + Sync {
    /// The code of defined function `defined`, if this source has it.
    fn code(&self, defined: usize) -> Option<CompiledFunc>;
}

impl ModuleCode {
    pub(crate) fn new(defined_funcs: usize, epoch_checks: bool) -> Self {
        ModuleCode {
            funcs: LazySlots::new(defined_funcs),
            source: None,
            epoch_checks,
        }
    }

    /// Code slots that look in `source` before translating.
    pub(crate) fn with_source(
        defined_funcs: usize,
        epoch_checks: bool,
        source: Box<dyn CodeSource>,
    ) -> Self {
        ModuleCode {
            source: Some(source),
            ..ModuleCode::new(defined_funcs, epoch_checks)
        }
    }

    pub(crate) fn epoch_checks(&self) -> bool {
        self.epoch_checks
    }

    /// The functions whose code is filled page by page, by defined index, with the indices of
    /// the pages filled so far.
    pub(crate) fn filled_pages(&self) -> Vec<(usize, Vec<u32>)> {
        self.funcs
            .iter()
            .filter_map(|(defined, f)| Some((defined, f.filled_pages()?)))
            .collect()
    }

    /// Every function translated (or taken from the source) so far, by defined index.
    pub(crate) fn translated(&self) -> impl Iterator<Item = (usize, &CompiledFunc)> + '_ {
        self.funcs.iter()
    }

    /// The code of function `func_index` (module index, a defined function), translated now
    /// if this is its first call.
    pub(crate) fn get_or_translate(
        &self,
        module: &ModuleInner,
        func_index: u32,
    ) -> Result<Arc<CompiledFunc>, Trap> {
        let defined = (func_index - module.num_imported_funcs) as usize;
        if let Some(code) = self.funcs.get_arc(defined) {
            return Ok(code);
        }
        // Two threads may translate the same function at once; the first to finish wins.
        let code = match self.source.as_ref().and_then(|s| s.code(defined)) {
            Some(code) => Arc::new(code),
            None => Arc::new(translate::translate(module, defined)?),
        };
        Ok(self.funcs.get_or_set(defined, code))
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
    drive(store, base)?;
    slots[..results].copy_from_slice(&store.inner.interp.stack[fp..fp + results]);
    Ok(())
}

/// Runs the interpreter, making the host calls it asks for, until the frame at depth `base`
/// returns.
fn drive<T>(store: &mut Store<T>, base: usize) -> Result<(), Trap> {
    loop {
        match exec::run(&mut store.inner, base) {
            Ok(Exit::Returned) => return Ok(()),
            Ok(Exit::Host {
                host,
                instance,
                args,
                params,
                results,
            }) => {
                let call = HostCall {
                    host,
                    instance,
                    args,
                    params,
                    results,
                    base,
                };
                if let Err(trap) = host_call(store, call) {
                    return Err(unwind(&mut store.inner, base, trap));
                }
            }
            Ok(Exit::Compiled {
                func,
                args,
                params,
                results,
            }) => {
                if let Err(trap) = compiled_call(store, func, args, params, results) {
                    return Err(unwind(&mut store.inner, base, trap));
                }
            }
            Err(kind) => return Err(unwind(&mut store.inner, base, Trap::new(kind))),
        }
    }
}

/// Makes host call `call` with the arguments on the value stack, writing its results there.
fn host_call<T>(store: &mut Store<T>, call: HostCall) -> Result<(), Trap> {
    let HostCall {
        args,
        params,
        results,
        ..
    } = call;
    let mut buf = store.inner.interp.stack[args..args + params.max(results)].to_vec();
    let outer = store.inner.interp.host_call.replace(call);
    let outcome = crate::func::call_host(store, call.host, Some(call.instance), &mut buf);
    store.inner.interp.host_call = outer;
    outcome?;
    store.inner.interp.stack[args..args + results].copy_from_slice(&buf[..results]);
    Ok(())
}

/// Calls Wasm function `func` in its compiled code with the arguments on the value stack at
/// `args`, writing its results there. The slots are copied out and back: the call may
/// re-enter the interpreter, which may move the value stack.
fn compiled_call<T>(
    store: &mut Store<T>,
    func: u32,
    args: usize,
    params: usize,
    results: usize,
) -> Result<(), Trap> {
    let n = params.max(results);
    let mut small = [0u64; 16];
    let mut large = Vec::new();
    let buf = if n <= small.len() {
        &mut small[..n]
    } else {
        large.resize(n, 0);
        &mut large[..]
    };
    buf[..params].copy_from_slice(&store.inner.interp.stack[args..args + params]);
    crate::jit::call_wasm(store, Func::from_index(func), buf)?;
    store.inner.interp.stack[args..args + results].copy_from_slice(&buf[..results]);
    Ok(())
}

/// Makes a restored execution, suspended in host call `call`, ready to resume: translates the
/// code of every suspended frame (the executor expects it cached) and checks that the frames
/// and the call fit that code and the value stack, so that a damaged snapshot is an error
/// rather than a wild jump.
pub(crate) fn prepare_resume(inner: &mut StoreInner, call: &HostCall) -> Result<(), String> {
    // Room for the code of every store function at once: grown call by call, the table would
    // be copied (and its fresh pages faulted in) several times over as the restored frames
    // and the calls after them reach higher function indices (CPython has 11,500).
    inner.interp.funcs.reserve(inner.funcs.len());
    for depth in 0..inner.interp.frames.len() {
        let frame = inner.interp.frames[depth];
        let Some(&entity) = inner.funcs.get(frame.func as usize) else {
            return Err(format!(
                "frame {depth} runs unknown function {}",
                frame.func
            ));
        };
        let FuncKind::Wasm { instance, index } = entity.kind else {
            return Err(format!("frame {depth} runs a host function"));
        };
        let module = &inner.instances[instance as usize].module.inner;
        let code = module
            .interp_code
            .get_or_translate(module, index)
            .map_err(|trap| trap.to_string())?;
        if frame.pc as usize >= code.code.len()
            || frame.fp as usize + code.frame_slots as usize > inner.interp.stack.len()
        {
            return Err(format!("frame {depth} does not fit its function's code"));
        }
        inner.interp.funcs.set(frame.func, code, instance);
    }
    let end = call.args.checked_add(call.params.max(call.results));
    if call.base >= inner.interp.frames.len()
        || end.is_none_or(|end| end > inner.interp.stack.len())
    {
        return Err("the suspended host call lies outside the frames".into());
    }
    Ok(())
}

/// Resumes a restored execution suspended in host call `call` (after `prepare_resume`): makes
/// the call again, in this store, then runs until the frame the driver had started from
/// returns; returns the stack index of its results.
pub(crate) fn resume<T>(store: &mut Store<T>, call: HostCall) -> Result<usize, Trap> {
    let fp = store.inner.interp.frames[call.base].fp as usize;
    if let Err(trap) = host_call(store, call) {
        return Err(unwind(&mut store.inner, call.base, trap));
    }
    drive(store, call.base)?;
    Ok(fp)
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
