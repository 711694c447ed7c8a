//! The interpreter's execution state, owned by the store: the value stack and the call frames.
//! Wasm-to-Wasm calls push a frame here instead of recursing on the host stack, so a running
//! execution is plain data.

use super::code_table::{CodeTable, FuncCode};
use crate::{Config, TrapKind};

/// One activation of a Wasm function. Plain data, so that an execution suspended at a host call
/// can be saved and restored: compiled code is found again from `func`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    /// Store index of the function.
    pub func: u32,
    /// Index of the instruction to resume at, for frames that are not running.
    pub pc: u32,
    /// Value-stack index of the frame's slot 0.
    pub fp: u32,
}

/// Where a caller resumes once its callee returns: what the caller's frame record determines,
/// cached during a run so that a return need not look the caller's code up. Addresses are kept
/// as integers: the state stays plain data, and the code they point into is never freed while
/// the store lives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReturnPoint {
    /// Address of the instruction to resume at.
    pub pc: usize,
    /// Address of the caller's first instruction.
    pub code: usize,
    /// The caller's frame position and instance.
    pub fp: u32,
    pub instance: u32,
}

/// A host call made by interpreted code: the host function, and where its arguments are and
/// its results go on the value stack. Kept in the store while the call runs, so that the
/// execution suspended in it can be captured in a snapshot and the call made again on restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostCall {
    pub host: u32,
    /// The calling instance.
    pub instance: u32,
    pub args: usize,
    pub params: usize,
    pub results: usize,
    /// Depth of the frame the calling driver loop started from (0 for the outermost one).
    pub base: usize,
}

pub(crate) struct InterpState {
    /// Slots of every active frame; frames overlap where a caller's arguments become the
    /// callee's parameters.
    pub stack: Vec<u64>,
    pub frames: Vec<Frame>,
    /// The return points of the calls made in the current run of the executor, innermost last;
    /// emptied when a run starts (the frames below return the slow way).
    pub returns: Vec<ReturnPoint>,
    /// The host call in progress, innermost one if host functions re-enter Wasm.
    pub host_call: Option<HostCall>,
    /// Code of each store function called so far, by store index.
    pub funcs: CodeTable,
    /// Functions whose calls leave the interpreter for their compiled code (auto tier), by
    /// store index; frames already running them go on here.
    pub calls_out: Vec<bool>,
    pub max_frames: usize,
    pub max_slots: usize,
}

impl InterpState {
    pub(crate) fn new(config: &Config) -> Self {
        InterpState {
            stack: Vec::new(),
            frames: Vec::new(),
            returns: Vec::new(),
            host_call: None,
            funcs: CodeTable::default(),
            calls_out: Vec::new(),
            max_frames: config.max_call_depth,
            // Frame positions are stored as u32.
            max_slots: config.max_value_stack.min(u32::MAX as usize),
        }
    }

    /// The cached code of store function `func`, if it has run before.
    pub(crate) fn code_of(&self, func: u32) -> Option<FuncCode<'_>> {
        self.funcs.get(func)
    }

    /// Whether calls of store function `func` leave the interpreter for its compiled code.
    #[inline(always)]
    pub(crate) fn calls_out(&self, func: u32) -> bool {
        self.calls_out.get(func as usize).copied().unwrap_or(false)
    }

    /// Sends new calls of store function `func` to its compiled code, which has arrived.
    pub(crate) fn send_calls_out(&mut self, func: u32) {
        let index = func as usize;
        if self.calls_out.len() <= index {
            self.calls_out.resize(index + 1, false);
        }
        self.calls_out[index] = true;
    }

    /// First stack slot above every active frame.
    pub(crate) fn top(&self) -> usize {
        self.frames.last().map_or(0, |frame| {
            let size = self.code_of(frame.func).map_or(0, |c| c.code.frame_slots);
            frame.fp as usize + size as usize
        })
    }

    /// Makes the stack at least `len` slots long.
    pub(crate) fn reserve(&mut self, len: usize) -> Result<(), TrapKind> {
        if len > self.max_slots {
            return Err(TrapKind::StackOverflow);
        }
        if len > self.stack.len() {
            let new_len = len.max(self.stack.len() * 2).max(1024).min(self.max_slots);
            self.stack.resize(new_len, 0);
        }
        Ok(())
    }
}
