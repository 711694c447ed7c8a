//! Structured control flow, `drop` and `select`.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, JumpTableData, MemFlagsData};
use wasmparser::{BlockType, BrTable};

use super::state::{block_args, Frame, FrameKind};
use super::FuncTranslator;
use crate::jit::libcalls::Libcall;
use crate::jit::vmctx::VmStoreCtx;

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_unreachable(&mut self) {
        self.trap_unreachable();
    }

    pub(super) fn visit_nop(&mut self) {}

    pub(super) fn visit_block(&mut self, blockty: BlockType) {
        let (params, results) = self.block_type(blockty);
        let next = self.block_with_params(&results);
        self.control.push(Frame {
            kind: FrameKind::Block,
            next,
            num_params: params.len(),
            num_results: results.len(),
            height: self.stack.len() - params.len(),
            exit_reached: false,
        });
    }

    pub(super) fn visit_loop(&mut self, blockty: BlockType) {
        let (params, results) = self.block_type(blockty);
        let header = self.block_with_params(&params);
        self.jump_with_operands(header, params.len());
        let height = self.stack.len() - params.len();
        self.stack.truncate(height);
        self.b.switch_to_block(header);
        self.stack.extend_from_slice(self.b.block_params(header));
        if self.env.epoch_interruption {
            self.epoch_check();
        }
        let next = self.block_with_params(&results);
        self.control.push(Frame {
            kind: FrameKind::Loop { header },
            next,
            num_params: params.len(),
            num_results: results.len(),
            height,
            exit_reached: false,
        });
    }

    pub(super) fn visit_if(&mut self, blockty: BlockType) {
        let cond = self.pop();
        let (params, results) = self.block_type(blockty);
        let then_block = self.b.create_block();
        let else_block = self.b.create_block();
        self.b.ins().brif(cond, then_block, &[], else_block, &[]);
        self.b.seal_block(then_block);
        self.b.seal_block(else_block);
        self.b.switch_to_block(then_block);
        let next = self.block_with_params(&results);
        self.control.push(Frame {
            kind: FrameKind::If {
                else_block,
                params: self.peek(params.len()).to_vec(),
                has_else: false,
            },
            next,
            num_params: params.len(),
            num_results: results.len(),
            height: self.stack.len() - params.len(),
            exit_reached: false,
        });
    }

    pub(super) fn visit_else(&mut self) {
        let reachable = self.reachable;
        let frame = self.control.last_mut().expect("`else` outside a frame");
        let (next, num_results, height) = (frame.next, frame.num_results, frame.height);
        if reachable {
            frame.exit_reached = true;
        }
        let FrameKind::If {
            else_block,
            ref params,
            ref mut has_else,
        } = frame.kind
        else {
            unreachable!("`else` closes an `if` in a validated function")
        };
        *has_else = true;
        let params = params.clone();
        if reachable {
            self.jump_with_operands(next, num_results);
        }
        self.stack.truncate(height);
        self.stack.extend_from_slice(&params);
        self.b.switch_to_block(else_block);
        // The `if` itself was reachable, or its frame would not exist.
        self.reachable = true;
    }

    pub(super) fn visit_end(&mut self) {
        let mut frame = self.control.pop().expect("`end` outside a frame");
        let is_function = matches!(frame.kind, FrameKind::Function);
        if self.reachable {
            self.jump_with_operands(frame.next, frame.num_results);
            frame.exit_reached = true;
        }
        match frame.kind {
            FrameKind::If {
                else_block,
                params,
                has_else: false,
            } => {
                // Without an `else`, the false arm passes the parameters through as results.
                self.b.switch_to_block(else_block);
                let args = block_args(&params);
                self.b.ins().jump(frame.next, &args);
                frame.exit_reached = true;
            }
            FrameKind::Loop { header } => self.b.seal_block(header),
            _ => {}
        }
        self.stack.truncate(frame.height);
        self.b.seal_block(frame.next);
        self.reachable = frame.exit_reached;
        if !frame.exit_reached {
            return;
        }
        self.b.switch_to_block(frame.next);
        let results = self.b.block_params(frame.next).to_vec();
        if is_function {
            self.b.ins().return_(&results);
            self.reachable = false;
        } else {
            self.stack.extend_from_slice(&results);
        }
    }

    /// Calls into the runtime if the engine's epoch has reached the store's deadline. Emitted
    /// at function entries and loop headers, so that any long-running code passes one often.
    pub(super) fn epoch_check(&mut self) {
        let store_ctx = self.store_ctx();
        let counter = self.b.ins().load(
            types::I64,
            self.flags.readonly,
            store_ctx,
            VmStoreCtx::EPOCH as i32,
        );
        // Atomic, so that it is never merged with an earlier read: the counter changes under
        // running code.
        let epoch = self
            .b
            .ins()
            .atomic_load(types::I64, MemFlagsData::trusted(), counter);
        let deadline = self.b.ins().load(
            types::I64,
            self.flags.vm,
            store_ctx,
            VmStoreCtx::EPOCH_DEADLINE as i32,
        );
        let reached = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, epoch, deadline);
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(reached, slow, &[], cont, &[]);
        self.b.seal_block(slow);
        self.b.set_cold_block(slow);
        self.b.switch_to_block(slow);
        self.call_checked(Libcall::EpochReached, &[]);
        self.b.ins().jump(cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }

    pub(super) fn visit_br(&mut self, relative_depth: u32) {
        let (target, n) = self.branch_target(relative_depth);
        self.jump_with_operands(target, n);
        self.reachable = false;
    }

    pub(super) fn visit_br_if(&mut self, relative_depth: u32) {
        let cond = self.pop();
        let (target, n) = self.branch_target(relative_depth);
        let args = block_args(self.peek(n));
        let cont = self.b.create_block();
        self.b.ins().brif(cond, target, &args, cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }

    pub(super) fn visit_br_table(&mut self, targets: BrTable<'_>) {
        let index = self.pop();
        let mut depths = Vec::with_capacity(targets.len() as usize);
        for depth in targets.targets() {
            match depth {
                Ok(depth) => depths.push(depth),
                Err(e) => return self.fail(e.to_string()),
            }
        }
        let (default, n) = self.branch_target(targets.default());
        let args = block_args(self.peek(n));
        let default = self.b.func.dfg.block_call(default, &args);
        let mut table = Vec::with_capacity(depths.len());
        for depth in depths {
            let (target, _) = self.branch_target(depth);
            table.push(self.b.func.dfg.block_call(target, &args));
        }
        let jt = self
            .b
            .create_jump_table(JumpTableData::new(default, &table));
        self.b.ins().br_table(index, jt);
        self.reachable = false;
    }

    pub(super) fn visit_return(&mut self) {
        self.visit_br(self.control.len() as u32 - 1);
    }

    pub(super) fn visit_drop(&mut self) {
        self.pop();
    }

    pub(super) fn visit_select(&mut self) {
        let cond = self.pop();
        let (x, y) = self.pop2();
        let r = self.b.ins().select(cond, x, y);
        self.push(r);
    }

    pub(super) fn visit_typed_select(&mut self, _ty: wasmparser::ValType) {
        self.visit_select();
    }

    pub(super) fn visit_typed_select_multi(&mut self, _tys: Vec<wasmparser::ValType>) {
        self.unsupported("select with several results");
    }
}
