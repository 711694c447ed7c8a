//! Calls and returns: pushing and popping frames on the interpreter stack, and loading the
//! running frame's registers from its frame record.

use super::memory::MemView;
use super::slots::Slots;
use super::{Ctx, Exit, Regs};
use crate::interp::code::{Instr, Slot};
use crate::interp::state::{Frame, FuncCode, InterpState};
use crate::store::{FuncKind, StoreInner};
use crate::TrapKind;

/// Where a call of a store function runs.
enum Callee {
    /// In the interpreter: a Wasm function, its code now cached.
    Here,
    /// Host function `host`.
    Host(u32),
    /// In its compiled code (auto tier).
    Compiled,
}

/// Makes sure store function `func` can be called: translates and caches a Wasm function's
/// code unless its calls run its compiled code.
#[cold]
#[inline(never)]
fn prepare(inner: &mut StoreInner, func: u32) -> Result<Callee, TrapKind> {
    match inner.funcs[func as usize].kind {
        FuncKind::Host { host } => Ok(Callee::Host(host)),
        FuncKind::Wasm { instance, .. } if inner.jit.has_code(instance) => Ok(Callee::Compiled),
        FuncKind::Wasm { .. } => {
            ensure_code(inner, func)?;
            Ok(Callee::Here)
        }
    }
}

/// Translates and caches the code of Wasm function `func` unless it already is.
fn ensure_code(inner: &mut StoreInner, func: u32) -> Result<(), TrapKind> {
    let FuncKind::Wasm { instance, index } = inner.funcs[func as usize].kind else {
        unreachable!("only Wasm functions are interpreted")
    };
    if inner.interp.code_of(func).is_none() {
        let module = &inner.instances[instance as usize].module.inner;
        let code = module
            .interp_code
            .get_or_translate(module, index)
            .map_err(|trap| trap.kind().clone())?;
        inner.interp.remember(func, FuncCode { code, instance });
    }
    Ok(())
}

/// Pushes a frame for `func` (prepared) whose parameters are already at stack index `fp`.
fn push_frame(state: &mut InterpState, func: u32, fp: usize) -> Result<(), TrapKind> {
    let code = &state.code_of(func).expect("prepared function").code;
    let (params, locals, size) = (
        code.param_slots as usize,
        code.local_slots as usize,
        code.frame_slots as usize,
    );
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
    ensure_code(inner, func)?;
    let state = &mut inner.interp;
    let fp = state.top();
    state.reserve(fp + args.len().max(result_slots))?;
    state.stack[fp..fp + args.len()].copy_from_slice(args);
    push_frame(state, func, fp)?;
    Ok(fp)
}

/// Registers of `frame`, which becomes the running frame. `mem` is the current memory view,
/// kept if the frame runs in the same instance.
#[inline(always)]
fn switch_to(ctx: &mut Ctx<'_>, frame: Frame, mem: MemView) -> Regs {
    let state = &mut ctx.inner.interp;
    let entry = state.funcs[frame.func as usize]
        .as_ref()
        .expect("running functions have code");
    let code = entry.code.code.as_ptr();
    let instance = entry.instance;
    let slots = Slots::new(state.stack[frame.fp as usize..].as_mut_ptr());
    ctx.code = code;
    let mem = if instance == ctx.instance {
        mem
    } else {
        ctx.instance = instance;
        MemView::of(ctx.inner, instance)
    };
    Regs {
        pc: code.wrapping_add(frame.pc as usize),
        slots,
        mem,
    }
}

/// Registers of the frame on top of the interpreter stack, to start or resume a run.
pub(super) fn resume(ctx: &mut Ctx<'_>) -> Regs {
    let frame = *ctx.inner.interp.frames.last().expect("a running frame");
    switch_to(ctx, frame, MemView::empty())
}

/// How the run goes on after a call or return.
pub(super) enum Next {
    /// With these registers.
    Run(Regs),
    /// It stops; the outcome is recorded.
    Stop,
}

/// Calls store function `func` with the arguments at slot `base` of the running frame, which
/// resumes at `pc` afterwards.
#[inline(always)]
pub(super) fn call(
    ctx: &mut Ctx<'_>,
    pc: *const Instr,
    func: u32,
    base: Slot,
    mem: MemView,
) -> Result<Next, TrapKind> {
    let state = &mut ctx.inner.interp;
    let caller = state.frames.last_mut().expect("a running frame");
    caller.pc = ((pc as usize - ctx.code as usize) / std::mem::size_of::<Instr>()) as u32;
    let fp = caller.fp as usize + base as usize;
    let Some(entry) = state.funcs.get(func as usize).and_then(Option::as_ref) else {
        return call_unprepared(ctx, func, fp, mem);
    };
    if state.calls_out(func) {
        return call_unprepared(ctx, func, fp, mem);
    }
    let code = &entry.code;
    let params = fp + code.param_slots as usize;
    let locals = params + code.local_slots as usize;
    let end = fp + code.frame_slots as usize;
    if state.frames.len() >= state.max_frames {
        return Err(TrapKind::StackOverflow);
    }
    if end > state.stack.len() {
        state.reserve(end)?;
    }
    state.stack[params..locals].fill(0);
    let frame = Frame {
        func,
        pc: 0,
        fp: fp as u32,
    };
    state.frames.push(frame);
    Ok(Next::Run(switch_to(ctx, frame, mem)))
}

/// `call` of a function called for the first time in this store, of a host function, or of
/// a function whose calls run its compiled code.
#[cold]
#[inline(never)]
fn call_unprepared(ctx: &mut Ctx<'_>, func: u32, fp: usize, mem: MemView) -> Result<Next, TrapKind> {
    let entity = ctx.inner.funcs[func as usize];
    let (params, results) = (entity.param_slots as usize, entity.result_slots as usize);
    match prepare(ctx.inner, func)? {
        Callee::Here => {}
        Callee::Host(host) => {
            ctx.outcome = Ok(Exit::Host {
                host,
                instance: ctx.instance,
                args: fp,
                params,
                results,
            });
            return Ok(Next::Stop);
        }
        Callee::Compiled => {
            ctx.outcome = Ok(Exit::Compiled {
                func,
                args: fp,
                params,
                results,
            });
            return Ok(Next::Stop);
        }
    }
    push_frame(&mut ctx.inner.interp, func, fp)?;
    let frame = *ctx.inner.interp.frames.last().expect("just pushed");
    Ok(Next::Run(switch_to(ctx, frame, mem)))
}

/// Pops the running frame; stops if it was the one the run started from.
#[inline(always)]
pub(super) fn ret(ctx: &mut Ctx<'_>, mem: MemView) -> Next {
    let frames = &mut ctx.inner.interp.frames;
    frames.pop();
    if frames.len() == ctx.base {
        return Next::Stop;
    }
    let frame = *frames.last().expect("the caller's frame");
    Next::Run(switch_to(ctx, frame, mem))
}
