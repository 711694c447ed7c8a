//! The executor. Every instruction kind has a handler function, and code is threaded: each
//! instruction is stored with the address of its handler (`Op`). A handler does its
//! instruction's work and then dispatches the next instruction itself. In optimized builds it
//! does so with a tail call (`dispatch_tail.rs`): each handler ends in its own indirect jump,
//! which predicts far better than one shared dispatch point, and the running frame's registers
//! (`pc`, slots, memory view) stay in machine registers from handler to handler. Unoptimized
//! builds, where tail calls are not guaranteed, return to a loop after every instruction
//! instead (`dispatch_loop.rs`).
//!
//! Tail calls only become jumps if nothing on a handler's path to the next dispatch takes the
//! address of the handler's own stack: that is why out-of-line helpers return small values and
//! leave anything bigger in `Ctx`.
//!
//! Calls and returns move between frames on the interpreter stack without recursing on the
//! host stack. A run stops when the frame it started from returns, to call a host function, or
//! on a trap; the handler that stops it records why in `Ctx::outcome`.
//!
//! Every handler with a result also passes it to the next handler in a register (`acc`), and
//! the translator gives an instruction that reads its predecessor's result a form that takes
//! it from there (see `translate/forward.rs`): dependency chains then skip the store-to-load
//! round trip through the frame, which costs several cycles per link.
//!
//! Each family file holds its operations' semantics and their handlers.

/// Defines the handlers of a family of instructions and the family's `register` function,
/// which enters each handler into the table at its instruction's opcode. The closure-like
/// header names the handlers' parameters for the bodies: the context, the next instruction,
/// the frame's slots, the memory view and the forwarding register (all but the context may be
/// reassigned). After the body, the handler dispatches the instruction at `pc`.
macro_rules! handlers {
    (
        |$ctx:ident, $pc:ident, $s:ident, $mem:ident, $acc:ident|
        $( $op:ident $({ $($field:ident),* })? => $body:block )*
    ) => {
        $(
            #[allow(
                non_snake_case,
                unused_mut,
                unused_variables,
                unused_assignments,
                unreachable_code
            )]
            fn $op(
                $ctx: &mut $crate::interp::exec::Ctx<'_>,
                $pc: *const $crate::interp::exec::Op,
                $s: $crate::interp::exec::slots::Slots,
                $mem: $crate::interp::exec::memory::MemView,
                $acc: u64,
            ) -> $crate::interp::exec::dispatch::Flow {
                // SAFETY: `pc` points at an instruction of the running function (see
                // `dispatch::handler_for`), and a handler only runs for instructions of its own
                // variant: `thread` pairs each instruction with the handler `register` put at
                // its variant's opcode.
                let $crate::interp::code::Instr::$op $({ $($field),* })? = (unsafe { (*$pc).instr })
                else {
                    // SAFETY: as above, the instruction is of this variant.
                    unsafe { std::hint::unreachable_unchecked() }
                };
                let mut $pc = $pc.wrapping_add(1);
                let mut $s = $s;
                let mut $mem = $mem;
                let mut $acc = $acc;
                $body
                next!($ctx, $pc, $s, $mem, $acc)
            }
        )*

        pub(super) const fn register(table: &mut $crate::interp::exec::HandlerTable) {
            $(
                table.set(
                    &$crate::interp::code::Instr::$op $({ $($field: 0 as _),* })?,
                    $op,
                );
            )*
        }
    };
}

/// Writes an instruction's result to its slot and forwards it to the next instruction.
macro_rules! put {
    ($s:ident, $acc:ident, $dst:expr, $value:expr) => {{
        let bits = $crate::interp::exec::slots::SlotValue::into_slot($value);
        $s.set($dst, bits);
        $acc = bits;
    }};
}

/// The value of a fallible operation, or stop the run with its trap.
macro_rules! trap_on {
    ($ctx:ident, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(kind) => return $crate::interp::exec::trap($ctx, kind),
        }
    };
}

#[cfg_attr(flint_interp_tail_calls, path = "dispatch_tail.rs")]
#[cfg_attr(not(flint_interp_tail_calls), path = "dispatch_loop.rs")]
#[macro_use]
mod dispatch;

mod call;
mod control;
mod convert;
mod epoch;
mod float;
mod int;
mod lazy_ops;
mod memory;
mod simd;
mod simd_convert;
mod simd_float;
mod simd_int;
mod simd_lanes;
mod simd_memory;
mod slots;
mod table;
mod variables;

pub(crate) use self::call::enter_from_host;
pub(crate) use self::lazy_ops::{fill_fault, LazyOps};

use self::dispatch::Flow;
use self::memory::MemView;
use self::slots::{SlotValue, Slots};
use super::code::{Instr, Slot};
use crate::store::StoreInner;
use crate::TrapKind;

/// Why a run stopped without a trap.
pub(crate) enum Exit {
    /// The frame the run started from returned.
    Returned,
    /// The running frame calls host function `host` on behalf of `instance`; its arguments are
    /// at stack index `args`, where its results go.
    Host {
        host: u32,
        instance: u32,
        args: usize,
        params: usize,
        results: usize,
    },
    /// The running frame calls Wasm function `func` (a store index), whose calls run its
    /// compiled code now (auto tier); its arguments are at stack index `args`, where its
    /// results go.
    Compiled {
        func: u32,
        args: usize,
        params: usize,
        results: usize,
    },
}

/// What handlers reach through memory rather than registers.
pub(super) struct Ctx<'s> {
    inner: &'s mut StoreInner,
    /// Depth of the frame the run started from.
    base: usize,
    /// The running frame's instance.
    instance: u32,
    /// The running function's first instruction, to turn `pc` into an index.
    code: *const Op,
    /// Why the run stopped; set by the handler that stops it.
    outcome: Result<Exit, TrapKind>,
    /// The registers to go on with after a call or return that took the general path.
    resume: Regs,
    /// Store function and argument slot of a call handed to the general path.
    pending_call: (u32, Slot),
}

/// The running frame's registers, which handlers pass on to each other.
#[derive(Clone, Copy)]
pub(super) struct Regs {
    /// The next instruction.
    pc: *const Op,
    slots: Slots,
    mem: MemView,
}

/// Runs the frame on top of the interpreter stack until the frame at depth `base` returns.
pub(crate) fn run(inner: &mut StoreInner, base: usize) -> Result<Exit, TrapKind> {
    inner.interp.returns.clear();
    let mut ctx = Ctx {
        inner,
        base,
        // No instance has this index, so resuming loads the memory view.
        instance: u32::MAX,
        code: std::ptr::null(),
        outcome: Ok(Exit::Returned),
        resume: Regs {
            pc: std::ptr::null(),
            slots: Slots::new(std::ptr::null_mut()),
            mem: MemView::empty(),
        },
        pending_call: (0, 0),
    };
    let regs = call::resume(&mut ctx);
    dispatch::execute(&mut ctx, regs.pc, regs.slots, regs.mem, 0);
    ctx.outcome
}

/// Stops the run with a trap.
#[cold]
#[inline(never)]
fn trap(ctx: &mut Ctx<'_>, kind: TrapKind) -> Flow {
    ctx.outcome = Err(kind);
    dispatch::stop()
}

type Handler = fn(&mut Ctx<'_>, *const Op, Slots, MemView, u64) -> Flow;

/// An instruction paired with its handler: the form in which the executor runs code, so that
/// dispatching is one load and an indirect jump.
pub(crate) struct Op {
    handler: Handler,
    pub(crate) instr: Instr,
}

/// `instr` paired with its handler.
fn op(instr: Instr) -> Op {
    Op {
        handler: HANDLERS[opcode(&instr)],
        instr,
    }
}

/// A function's threaded code: all of it threaded at once, or filled a page at a time on
/// first touch (for large functions whose instructions stay in a snapshot's mapping).
pub(crate) enum Ops {
    Threaded(Box<[Op]>),
    Lazy(LazyOps),
}

impl Ops {
    /// Pairs each instruction of `code` with its handler.
    pub(crate) fn thread(code: &[Instr]) -> Ops {
        Ops::Threaded(code.iter().map(|&instr| op(instr)).collect())
    }

    pub(crate) fn as_ptr(&self) -> *const Op {
        match self {
            Ops::Threaded(ops) => ops.as_ptr(),
            Ops::Lazy(ops) => ops.as_ptr(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Ops::Threaded(ops) => ops.len(),
            Ops::Lazy(ops) => ops.len(),
        }
    }

    /// The instructions without their handlers (which are addresses in this process).
    pub(crate) fn instrs(&self) -> Vec<Instr> {
        match self {
            Ops::Threaded(ops) => ops.iter().map(|op| op.instr).collect(),
            Ops::Lazy(ops) => ops.instrs(),
        }
    }
}

/// Opcodes the table has room for; more than there are instructions.
const OPCODES: usize = 1024;

/// The handler of every opcode, filled by the families' `register` functions; `thread` looks
/// handlers up here.
pub(super) struct HandlerTable([Handler; OPCODES]);

impl HandlerTable {
    const fn set(&mut self, example: &Instr, handler: Handler) {
        self.0[opcode(example)] = handler;
    }
}

/// The opcode of an instruction: its enum discriminant.
const fn opcode(instr: &Instr) -> usize {
    // SAFETY: `Instr` is `repr(u16)`, so every value starts with its discriminant as a `u16`.
    unsafe { *(instr as *const Instr as *const u16) as usize }
}

static HANDLERS: [Handler; OPCODES] = {
    let mut table = HandlerTable([unregistered; OPCODES]);
    control::register(&mut table);
    variables::register(&mut table);
    memory::register(&mut table);
    table::register(&mut table);
    int::register(&mut table);
    float::register(&mut table);
    convert::register(&mut table);
    simd_lanes::register(&mut table);
    simd_memory::register(&mut table);
    simd_int::register(&mut table);
    simd_float::register(&mut table);
    simd_convert::register(&mut table);
    table.0
};

/// The handler of opcodes no family registered: none the translator emits.
fn unregistered(ctx: &mut Ctx<'_>, _: *const Op, _: Slots, _: MemView, _: u64) -> Flow {
    trap(
        ctx,
        TrapKind::Host("internal error: instruction without a handler".into()),
    )
}

/// The forwarded result of the previous instruction as an operand.
#[inline(always)]
fn forwarded<T: SlotValue>(acc: u64) -> T {
    T::from_slot(acc)
}

/// An `i32` immediate as an operand of an `i32` operation.
#[inline(always)]
fn imm32<T: SlotValue>(imm: i32) -> T {
    T::from_slot(imm as u32 as u64)
}

/// An `i32` immediate, sign-extended, as an operand of an `i64` operation.
#[inline(always)]
fn imm64<T: SlotValue>(imm: i32) -> T {
    T::from_slot(imm as i64 as u64)
}
