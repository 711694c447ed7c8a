//! What the 128-bit SIMD families (`simd_lanes`, `simd_memory`, `simd_int`, `simd_float`,
//! `simd_convert`) share.
//!
//! Wasm has one `v128` type where Cranelift has one vector type per lane shape. A `v128` is
//! `I8X16` wherever it is stored — on the operand stack, in locals, block parameters, globals
//! and signatures — and each operator bitcasts its operands to the shape it works on and its
//! result back. The bitcasts cost nothing: they only retype the same register.

use cranelift_codegen::ir::{self, types, ConstantData, Endianness, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;

use super::FuncTranslator;

/// The one type a `v128` has between operators.
pub(super) const V128: ir::Type = types::I8X16;

/// Bitcasts that change the lane shape must name a byte order; Wasm's lanes are little-endian.
fn lane_order() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

impl<'f> FuncTranslator<'_, 'f> {
    /// Fails translation if the target cannot lower SIMD instructions inline; called before
    /// each SIMD operator.
    pub(super) fn require_simd(&mut self) {
        if !self.env.simd {
            self.fail(
                "the compiled tier needs a CPU with SSSE3 and SSE4.1 to run SIMD (v128) code"
                    .into(),
            );
        }
    }

    /// `v` (any 128-bit vector) seen as a vector of shape `ty`.
    pub(super) fn as_shape(&mut self, v: ir::Value, ty: ir::Type) -> ir::Value {
        if self.b.func.dfg.value_type(v) == ty {
            v
        } else {
            self.b.ins().bitcast(ty, lane_order(), v)
        }
    }

    /// Pops a `v128` as a vector of shape `ty`.
    pub(super) fn pop_shape(&mut self, ty: ir::Type) -> ir::Value {
        let v = self.pop();
        self.as_shape(v, ty)
    }

    pub(super) fn pop2_shape(&mut self, ty: ir::Type) -> (ir::Value, ir::Value) {
        let y = self.pop_shape(ty);
        let x = self.pop_shape(ty);
        (x, y)
    }

    /// Pushes a vector of any shape as a `v128`.
    pub(super) fn push_v128(&mut self, v: ir::Value) {
        let v = self.as_shape(v, V128);
        self.push(v);
    }

    pub(super) fn v128_const(&mut self, bytes: [u8; 16]) -> ir::Value {
        self.const_shape(V128, bytes)
    }

    /// A constant of shape `ty`, built directly in that shape: the backends match some
    /// operations on constants (narrowing against zero, for one) only without a bitcast between.
    fn const_shape(&mut self, ty: ir::Type, bytes: [u8; 16]) -> ir::Value {
        let handle = self
            .b
            .func
            .dfg
            .constants
            .insert(ConstantData::from(&bytes[..]));
        self.b.ins().vconst(ty, handle)
    }

    /// A zero vector of shape `ty`.
    pub(super) fn zero_shape(&mut self, ty: ir::Type) -> ir::Value {
        self.const_shape(ty, [0; 16])
    }

    /// Applies `f` to a `v128` operand seen as shape `ty`.
    pub(super) fn vec_unop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'f>, ir::Value) -> ir::Value,
    ) {
        let x = self.pop_shape(ty);
        let r = f(&mut self.b, x);
        self.push_v128(r);
    }

    /// Applies `f` to two `v128` operands seen as shape `ty`.
    pub(super) fn vec_binop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'f>, ir::Value, ir::Value) -> ir::Value,
    ) {
        let (x, y) = self.pop2_shape(ty);
        let r = f(&mut self.b, x, y);
        self.push_v128(r);
    }
}
