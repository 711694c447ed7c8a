//! Calls and returns: pushing and popping frames on the interpreter stack, and loading the
//! running frame's registers from its frame record.

use super::memory::MemView;
use super::slots::Slots;
use super::Op;
use super::{Ctx, Exit, Regs};
use crate::interp::code::Slot;
use crate::interp::state::{Frame, InterpState, ReturnPoint};
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
        inner.interp.funcs.set(func, code, instance);
    }
    Ok(())
}

/// Pushes a frame for `func` (prepared) whose parameters are already at stack index `fp`.
fn push_frame(state: &mut InterpState, func: u32, fp: usize) -> Result<(), TrapKind> {
    let code = state.code_of(func).expect("prepared function").code;
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

/// Makes `frame` the running frame, leaving its registers in `ctx.resume`. `mem` is the
/// current memory view, kept if the frame runs in the same instance.
#[inline(never)]
fn switch_to(ctx: &mut Ctx<'_>, frame: Frame, mem: MemView) {
    let state = &mut ctx.inner.interp;
    let entry = state
        .funcs
        .get(frame.func)
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
    ctx.resume = Regs {
        pc: code.wrapping_add(frame.pc as usize),
        slots,
        mem,
    };
}

/// Registers of the frame on top of the interpreter stack, to start or resume a run.
pub(super) fn resume(ctx: &mut Ctx<'_>) -> Regs {
    let frame = *ctx.inner.interp.frames.last().expect("a running frame");
    switch_to(ctx, frame, MemView::empty());
    ctx.resume
}

/// How the run goes on after a return.
pub(super) enum Next {
    /// With these registers.
    Run(Regs),
    /// It stops; the outcome is recorded.
    Stop,
    /// As `ret_general` says.
    General,
}

/// The common case of a call, kept free of calls itself so that it costs no stack frame: a
/// callee of the same instance that has run here before, with room for its frame. Returns
/// `None`, having changed nothing, if the call needs `call`.
#[inline(always)]
pub(super) fn enter(
    ctx: &mut Ctx<'_>,
    pc: *const Op,
    func: u32,
    base: Slot,
    mem: MemView,
) -> Option<Regs> {
    let state = &mut ctx.inner.interp;
    let entry = state.funcs.get(func)?;
    let depth = state.frames.len();
    if entry.instance != ctx.instance
        || depth >= state.max_frames
        || depth == state.frames.capacity()
        || state.calls_out(func)
    {
        return None;
    }
    let code = entry.code;
    let caller = state.frames.last_mut()?;
    let fp = caller.fp as usize + base as usize;
    let params = fp + code.param_slots as usize;
    let locals = params + code.local_slots as usize;
    if fp + code.frame_slots as usize > state.stack.len() {
        return None;
    }
    caller.pc = ((pc as usize - ctx.code as usize) / std::mem::size_of::<Op>()) as u32;
    state.returns.push(ReturnPoint {
        pc: pc.expose_provenance(),
        code: ctx.code.expose_provenance(),
        fp: caller.fp,
        instance: ctx.instance,
    });
    for local in &mut state.stack[params..locals] {
        // SAFETY: the pointer comes from a mutable reference. The write is volatile only to
        // keep the compiler from turning the loop into a `memset` call, which would cost
        // this path a stack frame.
        unsafe { std::ptr::write_volatile(local, 0) };
    }
    // `push` without its reallocation path (the capacity was checked above), whose call
    // would cost this path a stack frame.
    let spare = state.frames.spare_capacity_mut().first_mut()?;
    spare.write(Frame {
        func,
        pc: 0,
        fp: fp as u32,
    });
    // SAFETY: the element at the old length was just initialized.
    unsafe { state.frames.set_len(depth + 1) };
    ctx.code = code.code.as_ptr();
    Some(Regs {
        pc: ctx.code,
        // Within the stack: checked against the frame's end above.
        slots: Slots::new(state.stack.as_mut_ptr().wrapping_add(fp)),
        mem,
    })
}

/// Calls store function `func` with the arguments at slot `base` of the running frame, which
/// resumes at `pc` afterwards: any call `enter` does not make. Returns whether the run goes
/// on, with the registers in `ctx.resume`; if not, `ctx.outcome` says why. (Results go
/// through `ctx` because a handler that passes a pointer to its own stack to a call cannot
/// tail-call the next handler.)
#[inline(never)]
pub(super) fn call(ctx: &mut Ctx<'_>, pc: *const Op, func: u32, base: Slot, mem: MemView) -> bool {
    let state = &mut ctx.inner.interp;
    let caller = state.frames.last_mut().expect("a running frame");
    caller.pc = ((pc as usize - ctx.code as usize) / std::mem::size_of::<Op>()) as u32;
    let return_point = ReturnPoint {
        pc: pc.expose_provenance(),
        code: ctx.code.expose_provenance(),
        fp: caller.fp,
        instance: ctx.instance,
    };
    let fp = caller.fp as usize + base as usize;
    let depth = state.frames.len();
    let entered = if state.code_of(func).is_none() || state.calls_out(func) {
        call_unprepared(ctx, func, fp, mem)
    } else {
        push_frame(state, func, fp).map(|()| {
            let frame = *ctx.inner.interp.frames.last().expect("just pushed");
            switch_to(ctx, frame, mem);
            true
        })
    };
    if ctx.inner.interp.frames.len() > depth {
        ctx.inner.interp.returns.push(return_point);
    }
    entered.unwrap_or_else(|kind| {
        ctx.outcome = Err(kind);
        false
    })
}

/// `call` of a function called for the first time in this store, of a host function, or of
/// a function whose calls run its compiled code. Returns whether the run goes on.
#[cold]
#[inline(never)]
fn call_unprepared(
    ctx: &mut Ctx<'_>,
    func: u32,
    fp: usize,
    mem: MemView,
) -> Result<bool, TrapKind> {
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
            return Ok(false);
        }
        Callee::Compiled => {
            ctx.outcome = Ok(Exit::Compiled {
                func,
                args: fp,
                params,
                results,
            });
            return Ok(false);
        }
    }
    push_frame(&mut ctx.inner.interp, func, fp)?;
    let frame = *ctx.inner.interp.frames.last().expect("just pushed");
    switch_to(ctx, frame, mem);
    Ok(true)
}

/// Pops the running frame; stops if it was the one the run started from. Kept free of calls
/// itself, like `enter`: a return to a caller of another instance, or to one entered before
/// this run, answers `General` and leaves the rest to `ret_general`.
#[inline(always)]
pub(super) fn ret(ctx: &mut Ctx<'_>, mem: MemView) -> Next {
    let state = &mut ctx.inner.interp;
    state.frames.pop();
    if state.frames.len() <= ctx.base {
        return Next::Stop;
    }
    let Some(&point) = state.returns.last() else {
        return Next::General;
    };
    if point.instance != ctx.instance {
        return Next::General;
    }
    state.returns.pop();
    // The caller's frame was within the stack when it was entered, and the stack never shrinks.
    let slots = Slots::new(state.stack.as_mut_ptr().wrapping_add(point.fp as usize));
    ctx.code = std::ptr::with_exposed_provenance(point.code);
    Next::Run(Regs {
        pc: std::ptr::with_exposed_provenance(point.pc),
        slots,
        mem,
    })
}

/// The rest of a return `ret` answered `General` for, the callee's frame already popped:
/// leaves the caller's registers in `ctx.resume`.
#[inline(never)]
pub(super) fn ret_general(ctx: &mut Ctx<'_>, mem: MemView) {
    let state = &mut ctx.inner.interp;
    let Some(point) = state.returns.pop() else {
        let caller = *state.frames.last().expect("the caller's frame");
        switch_to(ctx, caller, mem);
        return;
    };
    // The caller's frame was within the stack when it was entered, and the stack never shrinks.
    let slots = Slots::new(state.stack.as_mut_ptr().wrapping_add(point.fp as usize));
    ctx.code = std::ptr::with_exposed_provenance(point.code);
    let mem = if point.instance == ctx.instance {
        mem
    } else {
        ctx.instance = point.instance;
        MemView::of(ctx.inner, point.instance)
    };
    ctx.resume = Regs {
        pc: std::ptr::with_exposed_provenance(point.pc),
        slots,
        mem,
    };
}
