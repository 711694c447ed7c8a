//! Calls and returns: pushing and popping frames on the interpreter stack, and loading the
//! running frame's registers from its frame record.

use super::memory::MemView;
use super::slots::Slots;
use super::{Exit, Regs};
use crate::interp::code::{Instr, Slot};
use crate::interp::state::{Frame, FuncCode, InterpState};
use crate::store::{FuncKind, StoreInner};
use crate::TrapKind;

/// Makes sure store function `func` can be entered: translates and caches a Wasm function's
/// code; returns the host function index of a host function.
#[cold]
#[inline(never)]
fn prepare(inner: &mut StoreInner, func: u32) -> Result<Option<u32>, TrapKind> {
    match inner.funcs[func as usize].kind {
        FuncKind::Host { host } => Ok(Some(host)),
        FuncKind::Wasm { instance, index } => {
            if inner.interp.code_of(func).is_none() {
                let module = &inner.instances[instance as usize].module.inner;
                let code = module
                    .interp_code
                    .get_or_translate(module, index)
                    .map_err(|trap| trap.kind().clone())?;
                inner.interp.remember(func, FuncCode { code, instance });
            }
            Ok(None)
        }
    }
}

/// Pushes a frame for `func` (prepared) whose parameters are already at stack index `fp`.
fn push_frame(state: &mut InterpState, func: u32, fp: usize) -> Result<(), TrapKind> {
    let code = &state.code_of(func).expect("prepared function").code;
    let params = code.param_slots as usize;
    let locals = code.local_slots as usize;
    let size = code.frame_slots as usize;
    if state.frames.len() >= state.max_frames {
        return Err(TrapKind::StackOverflow);
    }
    state.reserve(fp + size)?;
    state.stack[fp + params..fp + params + locals].fill(0);
    state.frames.push(Frame {
        func,
        pc: 0,
        fp: fp as u32,
    });
    Ok(())
}

/// Enters Wasm function `func` from the host with arguments `args`, above every active frame;
/// returns the stack index where its results will be.
pub(crate) fn enter_from_host(
    inner: &mut StoreInner,
    func: u32,
    args: &[u64],
    result_slots: usize,
) -> Result<usize, TrapKind> {
    prepare(inner, func)?;
    let state = &mut inner.interp;
    let fp = state.top();
    state.reserve(fp + args.len().max(result_slots))?;
    state.stack[fp..fp + args.len()].copy_from_slice(args);
    push_frame(state, func, fp)?;
    Ok(fp)
}

/// Registers of the frame on top of the interpreter stack.
pub(super) fn resume(inner: &mut StoreInner) -> Regs {
    // No instance has this index, so `load` fills in the memory view.
    load(inner, u32::MAX, MemView::empty())
}

/// The registers of the frame on top of the stack; `instance` and `mem` are the current ones,
/// kept if the frame runs in the same instance.
#[inline(always)]
fn load(inner: &mut StoreInner, instance: u32, mem: MemView) -> Regs {
    let state = &mut inner.interp;
    let frame = *state.frames.last().expect("a running frame");
    let code = state.code_of(frame.func).expect("running functions have code");
    let pc = code.code.code.as_ptr().wrapping_add(frame.pc as usize);
    let new_instance = code.instance;
    let slots = Slots::new(state.stack[frame.fp as usize..].as_mut_ptr());
    let mem = if new_instance == instance {
        mem
    } else {
        MemView::of(inner, new_instance)
    };
    Regs {
        pc,
        slots,
        mem,
        instance: new_instance,
    }
}

/// Records that the running frame resumes at `pc`.
#[inline(always)]
pub(super) fn save_pc(inner: &mut StoreInner, pc: *const Instr) {
    let state = &mut inner.interp;
    let frame = state.frames.last_mut().expect("a running frame");
    let start = state.funcs[frame.func as usize]
        .as_ref()
        .expect("running functions have code")
        .code
        .code
        .as_ptr();
    frame.pc = ((pc as usize - start as usize) / std::mem::size_of::<Instr>()) as u32;
}

/// What the dispatch loop does after a call or return.
pub(super) enum Next {
    /// Continue with these registers.
    Run(Regs),
    Exit(Exit),
}

/// Calls store function `func` with the arguments at slot `base` of the running frame, which
/// resumes at `pc` afterwards.
#[inline(always)]
pub(super) fn call(
    inner: &mut StoreInner,
    pc: *const Instr,
    func: u32,
    base: Slot,
    (instance, mem): (u32, MemView),
) -> Result<Next, TrapKind> {
    save_pc(inner, pc);
    let fp = inner.interp.frames.last().expect("a running frame").fp as usize + base as usize;
    if inner.interp.code_of(func).is_none() {
        if let Some(host) = prepare(inner, func)? {
            let entity = inner.funcs[func as usize];
            return Ok(Next::Exit(Exit::Host {
                host,
                instance,
                args: fp,
                params: entity.param_slots as usize,
                results: entity.result_slots as usize,
            }));
        }
    }
    push_frame(&mut inner.interp, func, fp)?;
    Ok(Next::Run(load(inner, instance, mem)))
}

/// Pops the running frame; exits if it was the one the run started from (at depth `base`).
#[inline(always)]
pub(super) fn ret(inner: &mut StoreInner, base: usize, (instance, mem): (u32, MemView)) -> Next {
    inner.interp.frames.pop();
    if inner.interp.frames.len() == base {
        return Next::Exit(Exit::Returned);
    }
    Next::Run(load(inner, instance, mem))
}
