//! The control stack: one frame per open block, loop, if, and the function body itself.

use cranelift_codegen::ir::{self, BlockArg, InstBuilder};
use wasmparser::BlockType;

use super::env::{ir_type, parser_ir_type};
use super::FuncTranslator;
use crate::{FuncType, ValType};

pub(super) enum FrameKind {
    /// The function body; its continuation returns.
    Function,
    Block,
    /// Branches to a loop go back to its header, which takes the loop's parameters.
    Loop {
        header: ir::Block,
    },
    /// Both arms start from the values the `if` consumed, kept here for the `else` arm.
    If {
        else_block: ir::Block,
        params: Vec<ir::Value>,
        has_else: bool,
    },
}

pub(super) struct Frame {
    pub kind: FrameKind,
    /// Where execution continues after the frame's `end`; takes one parameter per result.
    pub next: ir::Block,
    pub num_params: usize,
    pub num_results: usize,
    /// Operand stack height below the frame's parameters.
    pub height: usize,
    /// Whether anything jumps to `next`; if not, the code after `end` is dead.
    pub exit_reached: bool,
}

pub(super) fn block_args(values: &[ir::Value]) -> Vec<BlockArg> {
    values.iter().map(|&v| BlockArg::Value(v)).collect()
}

impl FuncTranslator<'_, '_> {
    /// Parameter and result types of a block type.
    pub(super) fn block_type(&self, bt: BlockType) -> (Vec<ir::Type>, Vec<ir::Type>) {
        let convert = |ty: &[ValType]| ty.iter().map(|&t| ir_type(t)).collect();
        match bt {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), vec![parser_ir_type(t)]),
            BlockType::FuncType(index) => {
                let ty: &FuncType = &self.env.types[index as usize];
                (convert(ty.params()), convert(ty.results()))
            }
        }
    }

    pub(super) fn block_with_params(&mut self, types: &[ir::Type]) -> ir::Block {
        let block = self.b.create_block();
        for &t in types {
            self.b.append_block_param(block, t);
        }
        block
    }

    pub(super) fn push_function_frame(&mut self, results: &[ValType]) {
        let types: Vec<ir::Type> = results.iter().map(|&t| ir_type(t)).collect();
        let next = self.block_with_params(&types);
        self.control.push(Frame {
            kind: FrameKind::Function,
            next,
            num_params: 0,
            num_results: types.len(),
            height: 0,
            exit_reached: false,
        });
    }

    /// The block a branch to label `depth` jumps to, and how many operands it takes.
    pub(super) fn branch_target(&mut self, depth: u32) -> (ir::Block, usize) {
        let at = self.control.len() - 1 - depth as usize;
        let frame = &mut self.control[at];
        match frame.kind {
            FrameKind::Loop { header } => (header, frame.num_params),
            _ => {
                frame.exit_reached = true;
                (frame.next, frame.num_results)
            }
        }
    }

    /// Jumps to `block` with the top `n` operands (which stay on the stack).
    pub(super) fn jump_with_operands(&mut self, block: ir::Block, n: usize) {
        let args = block_args(self.peek(n));
        self.b.ins().jump(block, &args);
    }
}
