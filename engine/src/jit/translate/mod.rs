//! Wasm-to-CLIF translation of one function body.
//!
//! `translate_function` drives wasmparser's operator visitor over the body. The visitor methods
//! live in one file per operator family (`control`, `variables`, `memory`, `int`, `float`,
//! `convert`, `table`, `call`, and the `simd_*` families, see `simd.rs`), each an
//! `impl FuncTranslator` block; `visit.rs` wires them to
//! wasmparser's `VisitOperator` trait. The translator keeps the Wasm operand stack as a stack of
//! SSA values and the control stack as a stack of frames (`state.rs`); locals are frontend
//! variables, so the SSA construction is cranelift-frontend's.
//!
//! Code after an unconditional branch is dead until the end of its block. Rather than make every
//! operator check for that, the driver skips dead operators itself, tracking only the nesting
//! of blocks so that it hands the matching `else` or `end` back to the translator.

// Visitor methods of one-instruction operators, shared by the operator families: scalar ones
// pop their operands and push the result, vector ones (`types::SHAPE` in scope) also bitcast
// from and to the canonical v128 type.
macro_rules! binops {
    ($($visit:ident => $ins:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.binop(|b, x, y| b.ins().$ins(x, y));
            }
        )*
    };
}

macro_rules! unops {
    ($($visit:ident => $ins:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.unop(|b, x| b.ins().$ins(x));
            }
        )*
    };
}

macro_rules! vec_binops {
    ($($visit:ident => $ins:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_binop(types::$shape, |b, x, y| b.ins().$ins(x, y));
            }
        )*
    };
}

macro_rules! vec_unops {
    ($($visit:ident => $ins:ident on $shape:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.vec_unop(types::$shape, |b, x| b.ins().$ins(x));
            }
        )*
    };
}

mod call;
mod control;
mod convert;
mod env;
mod float;
mod int;
mod memory;
mod simd;
mod simd_convert;
mod simd_float;
mod simd_int;
mod simd_lanes;
mod simd_memory;
mod state;
mod table;
mod variables;
mod visit;

use cranelift_codegen::ir::{self, InstBuilder, UserFuncName};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use wasmparser::{FunctionBody, Operator};

pub(crate) use env::{ir_type, wasm_signature, ModuleEnv};
use env::{Flags, SigCache};
use state::Frame;

use super::TRAP_UNREACHABLE;
use crate::ValType;

pub(crate) struct FuncTranslator<'a, 'f> {
    b: FunctionBuilder<'f>,
    env: &'a ModuleEnv<'a>,
    /// The Wasm operand stack.
    stack: Vec<ir::Value>,
    control: Vec<Frame>,
    /// Whether the current position can be reached; dead code is skipped by the driver.
    reachable: bool,
    locals: Vec<Variable>,
    vmctx: ir::Value,
    flags: Flags,
    sigs: SigCache,
    /// The first failure; translation stops at the operator that caused it.
    error: Option<String>,
}

/// Translates defined function `defined` of the module into `func`.
pub(crate) fn translate_function(
    env: &ModuleEnv<'_>,
    defined: u32,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
) -> Result<(), String> {
    let index = env.num_imported_funcs + defined;
    let ty = env.func_type(index);
    func.signature = wasm_signature(ty, env.call_conv);
    func.name = UserFuncName::user(0, defined);
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let vmctx = b.block_params(entry)[0];
    let params: Vec<ir::Value> = b.block_params(entry)[2..].to_vec();
    let flags = Flags::new(&mut b);
    let mut t = FuncTranslator {
        b,
        env,
        stack: Vec::new(),
        control: Vec::new(),
        reachable: true,
        locals: Vec::new(),
        vmctx,
        flags,
        sigs: SigCache::default(),
        error: None,
    };
    t.set_stack_limit();
    if env.epoch_interruption {
        t.epoch_check();
    }
    let body = env.body(defined);
    t.declare_locals(&body, ty.params(), &params)?;
    t.push_function_frame(ty.results());
    t.translate_body(&body)?;
    t.b.finalize(env.frontend_config);
    Ok(())
}

impl<'a, 'f> FuncTranslator<'a, 'f> {
    /// Declares the parameters (with their incoming `values`) and the zeroed locals.
    fn declare_locals(
        &mut self,
        body: &FunctionBody<'_>,
        param_types: &[ValType],
        values: &[ir::Value],
    ) -> Result<(), String> {
        for (&v, &t) in values.iter().zip(param_types) {
            let var = self.b.declare_var(env::ir_type(t));
            self.b.def_var(var, v);
            self.locals.push(var);
        }
        let reader = body.get_locals_reader().map_err(|e| e.to_string())?;
        for local in reader {
            let (count, ty) = local.map_err(|e| e.to_string())?;
            let ty = ValType::from_wasmparser(ty).map_err(|e| e.to_string())?;
            for _ in 0..count {
                let var = self.b.declare_var(env::ir_type(ty));
                let zero = self.zero(ty);
                self.b.def_var(var, zero);
                self.locals.push(var);
            }
        }
        Ok(())
    }

    fn translate_body(&mut self, body: &FunctionBody<'_>) -> Result<(), String> {
        let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
        // Nesting depth of blocks opened inside dead code.
        let mut dead_depth = 0u32;
        while !self.control.is_empty() {
            if self.reachable {
                reader
                    .visit_operator(&mut visit::Visitor(self))
                    .map_err(|e| e.to_string())?;
            } else {
                match reader.read().map_err(|e| e.to_string())? {
                    Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                        dead_depth += 1
                    }
                    Operator::Else if dead_depth == 0 => self.visit_else(),
                    Operator::End if dead_depth == 0 => self.visit_end(),
                    Operator::End => dead_depth -= 1,
                    _ => {}
                }
            }
            if let Some(err) = self.error.take() {
                return Err(err);
            }
        }
        Ok(())
    }

    /// Records a failure; the driver stops after the current operator.
    fn fail(&mut self, msg: String) {
        self.error.get_or_insert(msg);
        self.reachable = false;
    }

    /// Records an operator that the compiled tier cannot translate.
    fn unsupported(&mut self, what: &str) {
        self.fail(format!("the compiled tier does not support `{what}`"));
    }

    fn push(&mut self, v: ir::Value) {
        self.stack.push(v);
    }

    fn pop(&mut self) -> ir::Value {
        self.stack
            .pop()
            .expect("operand stack underflow in a validated function")
    }

    fn pop2(&mut self) -> (ir::Value, ir::Value) {
        let y = self.pop();
        let x = self.pop();
        (x, y)
    }

    fn pop3(&mut self) -> (ir::Value, ir::Value, ir::Value) {
        let z = self.pop();
        let (x, y) = self.pop2();
        (x, y, z)
    }

    /// The top `n` operands, left on the stack.
    fn peek(&self, n: usize) -> &[ir::Value] {
        &self.stack[self.stack.len() - n..]
    }

    fn unop(&mut self, f: impl FnOnce(&mut FunctionBuilder<'f>, ir::Value) -> ir::Value) {
        let x = self.pop();
        let r = f(&mut self.b, x);
        self.push(r);
    }

    fn binop(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder<'f>, ir::Value, ir::Value) -> ir::Value,
    ) {
        let (x, y) = self.pop2();
        let r = f(&mut self.b, x, y);
        self.push(r);
    }

    /// A boolean (`i8` 0/1) as a Wasm `i32`.
    fn push_bool(&mut self, v: ir::Value) {
        let r = self.b.ins().uextend(ir::types::I32, v);
        self.push(r);
    }

    fn zero(&mut self, ty: ValType) -> ir::Value {
        match ty {
            ValType::F32 => self.b.ins().f32const(0.0),
            ValType::F64 => self.b.ins().f64const(0.0),
            ValType::V128 => self.v128_const([0; 16]),
            other => self.b.ins().iconst(env::ir_type(other), 0),
        }
    }

    fn trap_unreachable(&mut self) {
        self.b.ins().trap(TRAP_UNREACHABLE);
        self.reachable = false;
    }
}
