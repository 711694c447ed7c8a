//! Control operators: blocks, branches, calls, `drop` and `select`.
//!
//! Values crossing a block boundary live in fixed homes: a block's parameters and results sit
//! at the homes right above the height the block started at, so a branch only has to copy its
//! values there (often they already are). A branch to the function's own block is a return.

use wasmparser::{BlockType, BrTable};

use super::operands::Operand;
use super::rewrite::{self, fuse_compare_branch};
use super::{Control, ControlKind, Result, Translator};
use crate::interp::code::{Instr, Slot};
use crate::{FuncType, ValType};

/// A popped branch condition, not yet turned into a slot so that it can still be fused.
pub(super) struct Condition {
    operand: Operand,
    home: Slot,
    /// The comparison instruction that computed it, if it is the last one emitted.
    fresh: Option<usize>,
}

impl Translator<'_> {
    /// Parameter and result counts of a block type, in slots (a `v128` takes two).
    fn block_arity(&self, ty: BlockType) -> (usize, usize) {
        match ty {
            BlockType::Empty => (0, 0),
            BlockType::Type(ty) => (0, 1 + (ty == wasmparser::ValType::V128) as usize),
            BlockType::FuncType(index) => {
                let ty = &self.module.types[index as usize];
                (ty.param_slots(), ty.result_slots())
            }
        }
    }

    /// Pushes the parameters (or the results) of block type `ty` as values in their homes.
    fn push_block_values(&mut self, ty: BlockType, results: bool) {
        let module = self.module;
        match ty {
            BlockType::Empty => {}
            BlockType::Type(ty) => {
                if results {
                    self.push_temp_value(ty == wasmparser::ValType::V128);
                }
            }
            BlockType::FuncType(index) => {
                let ty = &module.types[index as usize];
                let types = if results { ty.results() } else { ty.params() };
                for &ty in types {
                    self.push_temp_value(ty == ValType::V128);
                }
            }
        }
    }

    /// Marks the rest of the current block unreachable; its operators will be skipped.
    fn end_reachable_code(&mut self) {
        let frame = self.controls.last_mut().expect("inside a function");
        frame.unreachable = true;
        let height = frame.height;
        self.operands.truncate(height);
    }

    /// Enters a block whose `params` are on top of the stack.
    fn enter(&mut self, kind: ControlKind, params: usize, results: usize) -> &mut Control {
        let height = self.operands.len() - params;
        self.controls
            .push(Control::new(kind, height, params, results));
        self.controls.last_mut().expect("just pushed")
    }

    /// Makes the branch at `at` go to the label of the block `depth` levels out.
    fn link(&mut self, at: usize, depth: u32) {
        let index = self.controls.len() - 1 - depth as usize;
        match self.controls[index].kind {
            ControlKind::Loop(start) => self.patch(at, start),
            _ => self.controls[index].exits.push(at),
        }
    }

    pub(super) fn pop_condition(&mut self) -> Condition {
        let fresh = self.fresh_top();
        let (operand, home) = self.operands.pop();
        Condition {
            operand,
            home,
            fresh,
        }
    }

    /// Emits a branch taken when `cond` is non-zero (zero with `negate`), to be linked later.
    fn branch_on(&mut self, cond: Condition, negate: bool) -> usize {
        if let Some(at) = cond.fresh.filter(|&at| at + 1 == self.code.len()) {
            if let Some(branch) = fuse_compare_branch(self.code[at], negate, 0) {
                self.code[at] = branch;
                self.fresh = None;
                self.forwarded = None;
                return at;
            }
        }
        let cond = match cond.operand {
            Operand::Temp => cond.home,
            Operand::Local(slot) => slot,
            Operand::Const(value) => {
                self.emit(Instr::Const {
                    dst: cond.home,
                    value,
                });
                cond.home
            }
        };
        self.emit(if negate {
            Instr::BrIfEqz { cond, offset: 0 }
        } else {
            Instr::BrIfNez { cond, offset: 0 }
        })
    }

    /// Emits the return of the function's results from the top of the stack, leaving the
    /// translator's view of the stack as it was (the code may be on a conditional path).
    fn emit_return_code(&mut self) {
        let n = self.results;
        let len = self.operands.len();
        let in_home = |t: &mut Self, depth: usize| {
            let home = t.operands.home(depth);
            match t.operands.get(depth) {
                Operand::Temp => home,
                Operand::Local(slot) if n == 1 => slot,
                Operand::Local(src) => {
                    t.emit(Instr::Copy { dst: home, src });
                    home
                }
                Operand::Const(value) => {
                    t.emit(Instr::Const { dst: home, value });
                    home
                }
            }
        };
        match n {
            0 => {
                self.emit(Instr::Return);
            }
            1 => {
                let src = in_home(self, len - 1);
                self.emit(Instr::Return1 { src });
            }
            _ => {
                for depth in len - n..len {
                    in_home(self, depth);
                }
                let src = self.operands.home(len - n);
                self.emit(Instr::ReturnSpan { src, len: n as u32 });
            }
        }
    }

    pub(super) fn visit_unreachable(&mut self) -> Result {
        self.emit(Instr::Unreachable);
        self.end_reachable_code();
        Ok(())
    }

    pub(super) fn visit_nop(&mut self) -> Result {
        Ok(())
    }

    pub(super) fn visit_block(&mut self, ty: BlockType) -> Result {
        if !self.reachable() {
            self.dead_blocks += 1;
            return Ok(());
        }
        let (params, results) = self.block_arity(ty);
        self.materialize_lazy_locals();
        self.materialize_top(params);
        self.enter(ControlKind::Block, params, results).ty = ty;
        Ok(())
    }

    pub(super) fn visit_loop(&mut self, ty: BlockType) -> Result {
        if !self.reachable() {
            self.dead_blocks += 1;
            return Ok(());
        }
        let (params, results) = self.block_arity(ty);
        self.materialize_lazy_locals();
        self.materialize_top(params);
        let start = self.label_here();
        if self.epoch_checks {
            self.emit(Instr::EpochCheck);
        }
        self.enter(ControlKind::Loop(start), params, results).ty = ty;
        Ok(())
    }

    pub(super) fn visit_if(&mut self, ty: BlockType) -> Result {
        if !self.reachable() {
            self.dead_blocks += 1;
            return Ok(());
        }
        let (params, results) = self.block_arity(ty);
        let cond = self.pop_condition();
        self.materialize_lazy_locals();
        self.materialize_top(params);
        let to_else = self.branch_on(cond, true);
        let frame = self.enter(ControlKind::If, params, results);
        frame.else_branch = Some(to_else);
        frame.ty = ty;
        Ok(())
    }

    pub(super) fn visit_else(&mut self) -> Result {
        if self.dead_blocks > 0 {
            return Ok(());
        }
        let index = self.controls.len() - 1;
        if !self.controls[index].unreachable {
            self.materialize_top(self.controls[index].results);
            let to_end = self.emit(Instr::Br { offset: 0 });
            self.controls[index].exits.push(to_end);
        }
        let here = self.label_here();
        if let Some(to_else) = self.controls[index].else_branch.take() {
            self.patch(to_else, here);
        }
        let frame = &mut self.controls[index];
        frame.kind = ControlKind::Else;
        frame.unreachable = false;
        let (height, ty) = (frame.height, frame.ty);
        self.operands.truncate(height);
        self.push_block_values(ty, false);
        Ok(())
    }

    pub(super) fn visit_end(&mut self) -> Result {
        if self.dead_blocks > 0 {
            self.dead_blocks -= 1;
            return Ok(());
        }
        let frame = self.controls.pop().expect("validated nesting");
        let falls_through = !frame.unreachable;
        if frame.kind == ControlKind::Function {
            if falls_through {
                self.emit_return_code();
            } else {
                // Never executed: keeps every path of the code ending in a terminator.
                self.emit(Instr::Unreachable);
            }
            return Ok(());
        }
        if falls_through {
            self.materialize_top(frame.results);
        }
        let here = self.label_here();
        for &exit in &frame.exits {
            self.patch(exit, here);
        }
        let mut reachable = falls_through || !frame.exits.is_empty();
        if let Some(to_end) = frame.else_branch {
            self.patch(to_end, here);
            reachable = true;
        }
        self.operands.truncate(frame.height);
        self.push_block_values(frame.ty, true);
        if !reachable {
            self.end_reachable_code();
        }
        Ok(())
    }

    pub(super) fn visit_br(&mut self, relative_depth: u32) -> Result {
        let target = self.control(relative_depth);
        if target.kind == ControlKind::Function {
            return self.visit_return();
        }
        let (height, arity) = (target.height, target.label_arity());
        if let (ControlKind::Loop(start), Some((head, exit))) = (target.kind, target.head_exit) {
            if let Some(stay) = rewrite::negate_branch(self.code[head]) {
                // Leave the loop here if its head would, else skip the head's test.
                let at = self.emit(stay);
                self.patch(at, start + 1);
                let at = self.emit(Instr::Br { offset: 0 });
                self.link(at, (self.controls.len() - 1 - exit) as u32);
                self.end_reachable_code();
                return Ok(());
            }
        }
        self.copy_top_to(height, arity);
        let at = self.emit(Instr::Br { offset: 0 });
        self.link(at, relative_depth);
        self.end_reachable_code();
        Ok(())
    }

    pub(super) fn visit_br_if(&mut self, relative_depth: u32) -> Result {
        let cond = self.pop_condition();
        let target = self.control(relative_depth);
        if target.kind == ControlKind::Function {
            let skip = self.branch_on(cond, true);
            self.emit_return_code();
            let here = self.label_here();
            self.patch(skip, here);
            return Ok(());
        }
        let (height, arity) = (target.height, target.label_arity());
        let in_place = self.operands.len() - arity == height;
        if in_place {
            self.materialize_top(arity);
        }
        if arity == 0 || in_place {
            let at = self.branch_on(cond, false);
            self.link(at, relative_depth);
            self.note_loop_head_exit(at, relative_depth, arity);
        } else {
            let skip = self.branch_on(cond, true);
            self.copy_top_to(height, arity);
            let at = self.emit(Instr::Br { offset: 0 });
            self.link(at, relative_depth);
            let here = self.label_here();
            self.patch(skip, here);
        }
        Ok(())
    }

    /// Records the branch at `at` as the head exit of the innermost loop if it is that loop's
    /// first instruction and leaves it without carrying values.
    fn note_loop_head_exit(&mut self, at: usize, relative_depth: u32, arity: usize) {
        let exit = self.controls.len() - 1 - relative_depth as usize;
        let frame = self.controls.last_mut().expect("inside a function");
        if let ControlKind::Loop(start) = frame.kind {
            if start == at && relative_depth > 0 && arity == 0 && frame.params == 0 {
                frame.head_exit = Some((at, exit));
            }
        }
    }

    pub(super) fn visit_br_table(&mut self, targets: BrTable<'_>) -> Result {
        let index = self.pop_slot();
        let arity = self.control(targets.default()).label_arity();
        self.materialize_top(arity);
        let mut depths = Vec::with_capacity(targets.len() as usize + 1);
        for depth in targets.targets() {
            depths.push(depth.map_err(|e| e.to_string())?);
        }
        depths.push(targets.default());
        self.emit(Instr::BrTable {
            index,
            len: targets.len(),
        });
        let first = self.code.len();
        for _ in &depths {
            self.emit(Instr::Br { offset: 0 });
        }
        // Targets whose values are not already in place get a stub that moves them; one stub
        // per distinct target.
        let src = self.operands.len() - arity;
        let mut stubs: Vec<(u32, usize)> = Vec::new();
        for (i, &depth) in depths.iter().enumerate() {
            let entry = first + i;
            let target = self.control(depth);
            let (kind, height) = (target.kind, target.height);
            if kind != ControlKind::Function && (arity == 0 || src == height) {
                self.link(entry, depth);
                continue;
            }
            if let Some(&(_, stub)) = stubs.iter().find(|(d, _)| *d == depth) {
                self.patch(entry, stub);
                continue;
            }
            let stub = self.label_here();
            self.patch(entry, stub);
            stubs.push((depth, stub));
            if kind == ControlKind::Function {
                self.emit_return_code();
            } else {
                self.emit(Instr::CopySpan {
                    dst: self.operands.home(height),
                    src: self.operands.home(src),
                    len: arity as u32,
                });
                let at = self.emit(Instr::Br { offset: 0 });
                self.link(at, depth);
            }
        }
        self.end_reachable_code();
        Ok(())
    }

    pub(super) fn visit_return(&mut self) -> Result {
        self.emit_return_code();
        self.end_reachable_code();
        Ok(())
    }

    /// Replaces the arguments of a call of type `ty` on top of the stack, in their homes, with
    /// its results.
    fn call_operands(&mut self, ty: &FuncType) -> Slot {
        let params = ty.param_slots();
        self.materialize_top(params);
        let base = self.operands.len() - params;
        self.operands.truncate(base);
        for &ty in ty.results() {
            self.push_temp_value(ty == ValType::V128);
        }
        self.operands.home(base)
    }

    pub(super) fn visit_call(&mut self, function_index: u32) -> Result {
        let module = self.module;
        let base = self.call_operands(module.func_type(function_index));
        self.emit(Instr::Call {
            func: function_index,
            base,
        });
        Ok(())
    }

    pub(super) fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) -> Result {
        let module = self.module;
        let index = self.pop_slot();
        let base = self.call_operands(&module.types[type_index as usize]);
        self.emit(Instr::CallIndirect {
            base,
            index,
            type_id: self.module.type_ids[type_index as usize],
            table: table_index as u16,
        });
        Ok(())
    }

    pub(super) fn visit_drop(&mut self) -> Result {
        let len = self.operands.len();
        let width = self.value_width(len - 1);
        self.operands.truncate(len - width);
        Ok(())
    }

    pub(super) fn visit_select(&mut self) -> Result {
        let len = self.operands.len();
        if self.value_width(len - 2) == 2 {
            return self.select_v128();
        }
        if let Operand::Const(cond) = self.operands.get(len - 1) {
            // Decided now: keep the chosen operand, moved to the result's position.
            let chosen = if cond as u32 != 0 { len - 3 } else { len - 2 };
            let operand = self.operands.get(chosen);
            if operand == Operand::Temp && chosen != len - 3 {
                let (dst, src) = (self.operands.home(len - 3), self.operands.home(chosen));
                self.emit(Instr::Copy { dst, src });
            }
            self.operands.truncate(len - 3);
            self.operands.push(operand);
            return Ok(());
        }
        let cond = self.slot_at(len - 1);
        let other = self.slot_at(len - 2);
        self.materialize(len - 3);
        self.operands.truncate(len - 3);
        let dst = self.operands.push_temp();
        self.emit_result(Instr::Select { dst, cond, other });
        Ok(())
    }

    pub(super) fn visit_typed_select(&mut self, _ty: wasmparser::ValType) -> Result {
        self.visit_select()
    }

    pub(super) fn visit_typed_select_multi(&mut self, _tys: Vec<wasmparser::ValType>) -> Result {
        Err("select with several results".into())
    }
}
