//! Translation of a validated function body into interpreter code, driven by wasmparser's
//! operator visitor. This file holds the translator's state and the helpers every operator
//! family shares; the operators themselves are in one file per family.

/// Visitor methods for unary operations.
macro_rules! unary {
    ($($visit:ident => $op:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) -> Result {
                self.unary(|dst, src| Instr::$op { dst, src })
            }
        )*
    };
}

mod compact;
mod control;
mod convert;
mod float;
mod forward;
mod int;
mod memory;
mod operands;
mod rewrite;
mod simd;
mod simd_memory;
mod simd_ops;
mod table;
mod threading;
mod variables;

use wasmparser::{BlockType, VisitOperator, VisitSimdOperator};

use self::operands::{Operand, Operands};
use super::code::{CompiledFunc, Instr, Offset, Slot};
use crate::module::ModuleInner;
use crate::{Trap, ValType};

/// Why a body could not be translated. Bodies are validated at load, so this only happens for
/// operators of proposals the interpreter does not run.
type Result<T = ()> = std::result::Result<T, String>;

/// Translates defined function `defined_index` of `module`.
pub(crate) fn translate(
    module: &ModuleInner,
    defined_index: usize,
) -> std::result::Result<CompiledFunc, Trap> {
    let func_index = module.num_imported_funcs + defined_index as u32;
    translate_body(module, func_index, defined_index)
        .map_err(|msg| Trap::host(format!("cannot translate function {func_index}: {msg}")))
}

fn translate_body(
    module: &ModuleInner,
    func_index: u32,
    defined_index: usize,
) -> Result<CompiledFunc> {
    let body = module.body(defined_index);
    let ty = module.func_type(func_index);
    let mut local_slots: Vec<Slot> = Vec::new();
    let mut next: Slot = 0;
    for p in ty.params() {
        local_slots.push(next);
        next += p.slots() as Slot;
    }
    let param_slots = next;
    let locals = body.get_locals_reader().map_err(|e| e.to_string())?;
    for local in locals {
        let (count, ty) = local.map_err(|e| e.to_string())?;
        let width = ValType::from_wasmparser(ty)
            .map_err(|e| e.to_string())?
            .slots() as Slot;
        for _ in 0..count {
            local_slots.push(next);
            next += width;
        }
    }
    // One past the last local, so that every local's width is the distance to the next.
    local_slots.push(next);
    let mut t = Translator {
        module,
        code: Vec::new(),
        local_slots,
        operands: Operands::new(next),
        controls: Vec::new(),
        dead_blocks: 0,
        fresh: None,
        forwarded: None,
        results: ty.result_slots(),
        epoch_checks: module.interp_code.epoch_checks(),
    };
    t.controls
        .push(Control::new(ControlKind::Function, 0, 0, t.results));
    if t.epoch_checks {
        t.emit(Instr::EpochCheck);
    }
    let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !reader.eof() {
        reader
            .visit_operator(&mut Visitor(&mut t))
            .map_err(|e| e.to_string())??;
    }
    threading::thread_jumps(&mut t.code);
    compact::compact(&mut t.code, next);
    Ok(CompiledFunc::new(
        param_slots,
        next - param_slots,
        next + t.operands.max_len() as Slot,
        &t.code,
    ))
}

pub(super) struct Translator<'m> {
    module: &'m ModuleInner,
    code: Vec<Instr>,
    /// Frame slot of every local, parameters first, and the slot after the last.
    local_slots: Vec<Slot>,
    operands: Operands,
    controls: Vec<Control>,
    /// Blocks opened inside unreachable code: skipped along with everything in them.
    dead_blocks: u32,
    /// The last instruction, if it wrote the value now on top of the stack; a consumer may then
    /// rewrite it (retarget its result, fuse it with a branch) instead of emitting more code.
    fresh: Option<Fresh>,
    /// The last instruction and the slot it wrote, whose value it also forwards to the next
    /// instruction in a register (see `forward.rs`).
    forwarded: Option<(usize, Slot)>,
    /// Result slots of the function.
    results: usize,
    /// Whether function entries and loop headers get an `EpochCheck`.
    epoch_checks: bool,
}

#[derive(Clone, Copy)]
struct Fresh {
    instr: usize,
    depth: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ControlKind {
    Function,
    Block,
    /// A loop starting at this instruction.
    Loop(usize),
    If,
    Else,
}

struct Control {
    kind: ControlKind,
    /// Operand-stack height at entry, below the block's parameters.
    height: usize,
    params: usize,
    results: usize,
    /// Branches to patch with the address of the end of the block.
    exits: Vec<usize>,
    /// For `if`: the branch taken when the condition is false, until `else` or `end` places it.
    else_branch: Option<usize>,
    /// The rest of the block cannot execute (it follows a branch, return or trap).
    unreachable: bool,
    /// The block's type, for the values it leaves on the stack.
    ty: BlockType,
    /// For a loop whose first instruction is a conditional branch out of it: that branch and
    /// the index of the control frame it exits to. A jump back to the loop start then tests
    /// the condition itself, saving a dispatch per iteration (loop inversion).
    head_exit: Option<(usize, usize)>,
}

impl Control {
    fn new(kind: ControlKind, height: usize, params: usize, results: usize) -> Self {
        Control {
            kind,
            height,
            params,
            results,
            exits: Vec::new(),
            else_branch: None,
            unreachable: false,
            head_exit: None,
            ty: BlockType::Empty,
        }
    }

    /// Values a branch to this block carries.
    fn label_arity(&self) -> usize {
        match self.kind {
            ControlKind::Loop(_) => self.params,
            _ => self.results,
        }
    }
}

impl Translator<'_> {
    fn reachable(&self) -> bool {
        self.dead_blocks == 0 && !self.control(0).unreachable
    }

    /// The control frame `depth` levels out (0 is the innermost).
    fn control(&self, depth: u32) -> &Control {
        &self.controls[self.controls.len() - 1 - depth as usize]
    }

    fn local_slot(&self, index: u32) -> Slot {
        self.local_slots[index as usize]
    }

    fn emit(&mut self, mut instr: Instr) -> usize {
        if let Some((at, slot)) = self.forwarded {
            if at + 1 == self.code.len() {
                instr = forward::use_forwarded(instr, slot).unwrap_or(instr);
            }
        }
        self.fresh = None;
        let at = self.code.len();
        self.forwarded = rewrite::result_slot_mut(&mut instr).map(|slot| (at, *slot));
        self.code.push(instr);
        at
    }

    /// Emits an instruction that writes a new top-of-stack value to `dst`'s home.
    fn emit_result(&mut self, instr: Instr) {
        let at = self.emit(instr);
        self.fresh = Some(Fresh {
            instr: at,
            depth: self.operands.len() - 1,
        });
    }

    /// The last instruction, if it produced the current top of stack and may be rewritten.
    fn fresh_top(&self) -> Option<usize> {
        let fresh = self.fresh?;
        let top = self.operands.len().checked_sub(1)?;
        (fresh.depth == top
            && fresh.instr + 1 == self.code.len()
            && self.operands.top() == Operand::Temp)
            .then_some(fresh.instr)
    }

    /// Where the code will continue from here: a branch target, so no rewriting across it.
    fn label_here(&mut self) -> usize {
        self.fresh = None;
        self.forwarded = None;
        self.code.len()
    }

    /// Offset for a branch at `from` to reach `to`.
    fn offset(from: usize, to: usize) -> Offset {
        to as Offset - (from as Offset + 1)
    }

    /// Points the branch at `from` to `to`.
    fn patch(&mut self, from: usize, to: usize) {
        let offset = Self::offset(from, to);
        *rewrite::branch_offset_mut(&mut self.code[from]).expect("patching a branch") = offset;
    }

    /// The slot holding the operand at `depth`; constants are first written to their home.
    fn slot_at(&mut self, depth: usize) -> Slot {
        let home = self.operands.home(depth);
        match self.operands.get(depth) {
            Operand::Temp => home,
            Operand::Local(slot) => slot,
            Operand::Const(value) => {
                self.emit(Instr::Const { dst: home, value });
                self.operands.set_temp(depth);
                home
            }
        }
    }

    /// Pops the top operand and returns the slot holding it.
    fn pop_slot(&mut self) -> Slot {
        let depth = self.operands.len() - 1;
        let slot = self.slot_at(depth);
        self.operands.pop();
        slot
    }

    /// Pops the top operand, which an instruction is about to replace with its result; returns
    /// the operand's slot and the result's home.
    fn pop_for_result(&mut self) -> (Slot, Slot) {
        let slot = self.pop_slot();
        (slot, self.operands.home(self.operands.len()))
    }

    /// Writes the operand at `depth` to its home.
    fn materialize(&mut self, depth: usize) {
        let home = self.operands.home(depth);
        match self.operands.get(depth) {
            Operand::Temp => return,
            Operand::Local(src) => self.emit(Instr::Copy { dst: home, src }),
            Operand::Const(value) => self.emit(Instr::Const { dst: home, value }),
        };
        self.operands.set_temp(depth);
    }

    /// Writes the top `n` operands to their homes, where calls and block boundaries expect them.
    fn materialize_top(&mut self, n: usize) {
        let len = self.operands.len();
        for depth in len - n..len {
            self.materialize(depth);
        }
    }

    /// Writes every lazily read local to its home. Done on entering a block: a `local.set` in
    /// the block could otherwise materialize an outer operand on some paths only.
    fn materialize_lazy_locals(&mut self) {
        for depth in self.operands.lazy_local_depths() {
            self.materialize(depth);
        }
    }

    /// Copies the top `n` operands to the homes starting at `height`, lowest first (the target
    /// is never above the source, so no value is overwritten before it is read).
    fn copy_top_to(&mut self, height: usize, n: usize) {
        let len = self.operands.len();
        for i in 0..n {
            let depth = len - n + i;
            let dst = self.operands.home(height + i);
            match self.operands.get(depth) {
                Operand::Temp if depth == height + i => {}
                Operand::Temp => {
                    let src = self.operands.home(depth);
                    self.emit(Instr::Copy { dst, src });
                }
                Operand::Local(src) => {
                    self.emit(Instr::Copy { dst, src });
                }
                Operand::Const(value) => {
                    self.emit(Instr::Const { dst, value });
                }
            }
        }
    }

    /// Moves the top `n` operands to their homes and pops them; returns the first home.
    fn pop_span(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let base = self.operands.len() - n;
        self.operands.truncate(base);
        self.operands.home(base)
    }

    /// Emits a unary operation on the top operand.
    fn unary(&mut self, op: impl FnOnce(Slot, Slot) -> Instr) -> Result {
        let (src, dst) = self.pop_for_result();
        self.operands.push_temp();
        self.emit_result(op(dst, src));
        Ok(())
    }

    /// Emits a binary operation on the top two operands.
    fn binary(&mut self, op: fn(Slot, Slot, Slot) -> Instr) -> Result {
        let len = self.operands.len();
        let a = self.slot_at(len - 2);
        let b = self.slot_at(len - 1);
        self.operands.pop();
        let (_, dst) = self.operands.pop();
        self.operands.push_temp();
        self.emit_result(op(dst, a, b));
        Ok(())
    }

    /// Emits a binary operation with an immediate form: used when the second operand is a
    /// constant that fits, or the first is one and `swapped` is the form with operands exchanged
    /// (the same for commutative operations, the mirrored comparison otherwise).
    fn binary_imm(&mut self, ops: ImmForms) -> Result {
        let len = self.operands.len();
        let imm_of = |op: Operand| match op {
            Operand::Const(v) if !ops.wide || v as i64 == v as i32 as i64 => Some(v as i32),
            _ => None,
        };
        let (a, b) = (self.operands.get(len - 2), self.operands.get(len - 1));
        let form = match (imm_of(a), imm_of(b), ops.swapped) {
            (_, Some(imm), _) => Some((len - 2, imm, ops.imm)),
            (Some(imm), None, Some(swapped)) => Some((len - 1, imm, swapped)),
            _ => None,
        };
        let Some((reg_depth, imm, op)) = form else {
            return self.binary(ops.reg);
        };
        let src = self.slot_at(reg_depth);
        self.operands.pop();
        let (_, dst) = self.operands.pop();
        self.operands.push_temp();
        self.emit_result(op(dst, src, imm));
        Ok(())
    }
}

/// The instruction forms of a binary operation with an immediate variant.
pub(super) struct ImmForms {
    reg: fn(Slot, Slot, Slot) -> Instr,
    imm: fn(Slot, Slot, i32) -> Instr,
    /// The immediate form for a constant first operand, if there is one.
    swapped: Option<fn(Slot, Slot, i32) -> Instr>,
    /// 64-bit operation: the immediate is sign-extended, so only constants that fit qualify.
    wide: bool,
}

/// Adapts the translator to wasmparser's visitor. A separate type, so that an operator the
/// families forget is a compile error rather than a call to the trait method itself.
struct Visitor<'t, 'm>(&'t mut Translator<'m>);

/// Expands wasmparser's operator list into visitor methods: operators of the supported
/// proposals forward to the translator (skipped in unreachable code, except the ones that
/// delimit blocks), the others report that they are unsupported.
macro_rules! visit_operators {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( visit_operators!(@$proposal $op $({ $($arg: $argty),* })? => $visit); )*
    };
    (@mvp Block $($rest:tt)*) => { visit_operators!(@structure $($rest)*); };
    (@mvp Loop $($rest:tt)*) => { visit_operators!(@structure $($rest)*); };
    (@mvp If $($rest:tt)*) => { visit_operators!(@structure $($rest)*); };
    (@mvp Else $($rest:tt)*) => { visit_operators!(@structure $($rest)*); };
    (@mvp End $($rest:tt)*) => { visit_operators!(@structure $($rest)*); };
    (@mvp $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@sign_extension $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@saturating_float_to_int $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@bulk_memory $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@reference_types $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@simd $($rest:tt)*) => { visit_operators!(@supported $($rest)*); };
    (@structure $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            self.0.$visit($($($arg),*)?)
        }
    };
    (@supported $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            if !self.0.reachable() {
                return Ok(());
            }
            self.0.$visit($($($arg),*)?)
        }
    };
    (@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $($(let _ = $arg;)*)?
            Err(format!("unsupported operator {}", stringify!($op)))
        }
    };
}

impl<'a> VisitOperator<'a> for Visitor<'_, '_> {
    type Output = Result;

    wasmparser::for_each_visit_operator!(visit_operators);

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }
}

impl<'a> VisitSimdOperator<'a> for Visitor<'_, '_> {
    wasmparser::for_each_visit_simd_operator!(visit_operators);
}
