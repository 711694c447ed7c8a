//! Integer constants, arithmetic, bitwise operations, comparisons and sign extension.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Type};

use super::FuncTranslator;

macro_rules! icmps {
    ($($visit:ident => $cc:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                let (x, y) = self.pop2();
                let r = self.b.ins().icmp(IntCC::$cc, x, y);
                self.push_bool(r);
            }
        )*
    };
}

macro_rules! sign_extends {
    ($($visit:ident => $from:ident to $to:ident;)*) => {
        $(
            pub(super) fn $visit(&mut self) {
                self.sign_extend(types::$from, types::$to);
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    pub(super) fn visit_i32_const(&mut self, value: i32) {
        // Narrow immediates are zero-extended in CLIF.
        let v = self.b.ins().iconst(types::I32, value as u32 as i64);
        self.push(v);
    }

    pub(super) fn visit_i64_const(&mut self, value: i64) {
        let v = self.b.ins().iconst(types::I64, value);
        self.push(v);
    }

    fn eqz(&mut self) {
        let x = self.pop();
        let r = self.b.ins().icmp_imm_u(IntCC::Equal, x, 0);
        self.push_bool(r);
    }

    pub(super) fn visit_i32_eqz(&mut self) {
        self.eqz();
    }

    pub(super) fn visit_i64_eqz(&mut self) {
        self.eqz();
    }

    fn sign_extend(&mut self, from: Type, to: Type) {
        self.unop(|b, x| {
            let narrow = b.ins().ireduce(from, x);
            b.ins().sextend(to, narrow)
        });
    }

    icmps! {
        visit_i32_eq => Equal;
        visit_i32_ne => NotEqual;
        visit_i32_lt_s => SignedLessThan;
        visit_i32_lt_u => UnsignedLessThan;
        visit_i32_gt_s => SignedGreaterThan;
        visit_i32_gt_u => UnsignedGreaterThan;
        visit_i32_le_s => SignedLessThanOrEqual;
        visit_i32_le_u => UnsignedLessThanOrEqual;
        visit_i32_ge_s => SignedGreaterThanOrEqual;
        visit_i32_ge_u => UnsignedGreaterThanOrEqual;
        visit_i64_eq => Equal;
        visit_i64_ne => NotEqual;
        visit_i64_lt_s => SignedLessThan;
        visit_i64_lt_u => UnsignedLessThan;
        visit_i64_gt_s => SignedGreaterThan;
        visit_i64_gt_u => UnsignedGreaterThan;
        visit_i64_le_s => SignedLessThanOrEqual;
        visit_i64_le_u => UnsignedLessThanOrEqual;
        visit_i64_ge_s => SignedGreaterThanOrEqual;
        visit_i64_ge_u => UnsignedGreaterThanOrEqual;
    }

    unops! {
        visit_i32_clz => clz;
        visit_i32_ctz => ctz;
        visit_i32_popcnt => popcnt;
        visit_i64_clz => clz;
        visit_i64_ctz => ctz;
        visit_i64_popcnt => popcnt;
    }

    // Cranelift's division and remainder trap on a zero divisor and on signed overflow with the
    // trap codes Wasm needs; its shifts and rotations take the amount modulo the width, as Wasm
    // does.
    binops! {
        visit_i32_add => iadd;
        visit_i32_sub => isub;
        visit_i32_mul => imul;
        visit_i32_div_s => sdiv;
        visit_i32_div_u => udiv;
        visit_i32_rem_s => srem;
        visit_i32_rem_u => urem;
        visit_i32_and => band;
        visit_i32_or => bor;
        visit_i32_xor => bxor;
        visit_i32_shl => ishl;
        visit_i32_shr_s => sshr;
        visit_i32_shr_u => ushr;
        visit_i32_rotl => rotl;
        visit_i32_rotr => rotr;
        visit_i64_add => iadd;
        visit_i64_sub => isub;
        visit_i64_mul => imul;
        visit_i64_div_s => sdiv;
        visit_i64_div_u => udiv;
        visit_i64_rem_s => srem;
        visit_i64_rem_u => urem;
        visit_i64_and => band;
        visit_i64_or => bor;
        visit_i64_xor => bxor;
        visit_i64_shl => ishl;
        visit_i64_shr_s => sshr;
        visit_i64_shr_u => ushr;
        visit_i64_rotl => rotl;
        visit_i64_rotr => rotr;
    }

    sign_extends! {
        visit_i32_extend8_s => I8 to I32;
        visit_i32_extend16_s => I16 to I32;
        visit_i64_extend8_s => I8 to I64;
        visit_i64_extend16_s => I16 to I64;
        visit_i64_extend32_s => I32 to I64;
    }
}
