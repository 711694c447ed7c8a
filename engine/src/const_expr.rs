//! Constant expressions (global initialisers, segment offsets and items), decoded once at module
//! load and evaluated at instantiation.

use crate::val::encode_funcref;
use crate::Error;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    /// A module-level function index.
    RefFunc(u32),
    /// A module-level global index.
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A validated constant expression; evaluates to one raw value (two slots for v128).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr {
    ops: Ops,
}

/// Nearly every expression is one operator (a segment offset, an element, a global's initial
/// value), kept inline: CPython's module has tens of thousands of them, and an allocation each
/// was a tenth of the cost of restoring a snapshot.
#[derive(Debug, Clone, PartialEq)]
enum Ops {
    One(ConstOp),
    Many(Box<[ConstOp]>),
}

impl From<Vec<ConstOp>> for Ops {
    fn from(mut ops: Vec<ConstOp>) -> Self {
        match ops.len() {
            1 => Ops::One(ops.pop().expect("one operator")),
            _ => Ops::Many(ops.into_boxed_slice()),
        }
    }
}

/// What a constant expression may read while it is evaluated.
pub(crate) trait ConstEnv {
    /// The raw value of a global (module index), as a 128-bit cell.
    fn global(&self, index: u32) -> u128;
    /// The store-level function that a module function index resolves to.
    fn func(&self, index: u32) -> crate::Func;
}

impl ConstExpr {
    /// The expression `ref.func index`, the form of legacy element segment items.
    pub(crate) fn ref_func(index: u32) -> Self {
        ConstExpr::single(ConstOp::RefFunc(index))
    }

    /// The expression of operator `op` alone.
    pub(crate) fn single(op: ConstOp) -> Self {
        ConstExpr { ops: Ops::One(op) }
    }

    /// An expression from its operators, as a snapshot stores them.
    pub(crate) fn from_ops(ops: Vec<ConstOp>) -> Self {
        ConstExpr { ops: ops.into() }
    }

    pub(crate) fn ops(&self) -> &[ConstOp] {
        match &self.ops {
            Ops::One(op) => std::slice::from_ref(op),
            Ops::Many(ops) => ops,
        }
    }

    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<Self, Error> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let op = reader.read().map_err(|e| Error::Malformed(e.to_string()))?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::I32(value),
                O::I64Const { value } => ConstOp::I64(value),
                O::F32Const { value } => ConstOp::F32(value.bits()),
                O::F64Const { value } => ConstOp::F64(value.bits()),
                O::V128Const { value } => ConstOp::V128(u128::from_le_bytes(*value.bytes())),
                O::RefNull { .. } => ConstOp::RefNull,
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::End => continue,
                other => {
                    return Err(Error::Invalid(format!(
                        "constant expression uses {other:?}"
                    )))
                }
            });
        }
        Ok(ConstExpr::from_ops(ops))
    }

    /// Evaluates to a raw 128-bit cell: scalars and references in the low 64 bits.
    pub(crate) fn eval(&self, env: &dyn ConstEnv) -> u128 {
        let ops = match &self.ops {
            Ops::One(op) => return operand(op, env).unwrap_or(0),
            Ops::Many(ops) => ops,
        };
        let mut stack: Vec<u128> = Vec::with_capacity(2);
        for op in ops.iter() {
            if let Some(v) = operand(op, env) {
                stack.push(v);
                continue;
            }
            let v = match *op {
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let b = stack.pop().unwrap_or(0) as u32;
                    let a = stack.pop().unwrap_or(0) as u32;
                    let r = match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    r as u128
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let b = stack.pop().unwrap_or(0) as u64;
                    let a = stack.pop().unwrap_or(0) as u64;
                    let r = match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    r as u128
                }
                _ => unreachable!("`operand` takes every operator without operands"),
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }
}

/// The value of an operator that takes no operands; `None` for arithmetic.
fn operand(op: &ConstOp, env: &dyn ConstEnv) -> Option<u128> {
    Some(match *op {
        ConstOp::I32(v) => v as u32 as u128,
        ConstOp::I64(v) => v as u64 as u128,
        ConstOp::F32(v) => v as u128,
        ConstOp::F64(v) => v as u128,
        ConstOp::V128(v) => v,
        ConstOp::RefNull => 0,
        ConstOp::RefFunc(i) => encode_funcref(Some(env.func(i))) as u128,
        ConstOp::GlobalGet(i) => env.global(i),
        _ => return None,
    })
}
