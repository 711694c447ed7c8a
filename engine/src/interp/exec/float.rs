//! Floating-point operations with the spec's NaN and signed-zero rules. Hardware arithmetic
//! already produces the NaNs the spec allows; `min`, `max` and `nearest` need care, and `neg`,
//! `abs` and `copysign` work on bits so that NaN payloads pass through unchanged.

use super::forwarded;

const F32_SIGN: u32 = 1 << 31;
const F64_SIGN: u64 = 1 << 63;
const F32_QUIET: u32 = 1 << 22;
const F64_QUIET: u64 = 1 << 51;

/// Applies a rounding function. The libm ones return a signalling NaN unchanged, but a Wasm
/// result NaN must be quiet.
fn f32_round(a: f32, round: fn(f32) -> f32) -> f32 {
    if a.is_nan() {
        f32::from_bits(a.to_bits() | F32_QUIET)
    } else {
        round(a)
    }
}

fn f64_round(a: f64, round: fn(f64) -> f64) -> f64 {
    if a.is_nan() {
        f64::from_bits(a.to_bits() | F64_QUIET)
    } else {
        round(a)
    }
}

pub(super) fn f32_add(a: f32, b: f32) -> f32 {
    a + b
}
pub(super) fn f32_sub(a: f32, b: f32) -> f32 {
    a - b
}
pub(super) fn f32_mul(a: f32, b: f32) -> f32 {
    a * b
}
pub(super) fn f32_div(a: f32, b: f32) -> f32 {
    a / b
}
/// A NaN operand gives a NaN (`a + b` propagates it); `-0` is less than `+0`.
pub(super) fn f32_min(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        a + b
    } else if a == b {
        f32::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}
pub(super) fn f32_max(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        a + b
    } else if a == b {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}
pub(super) fn f32_copysign(a: u32, b: u32) -> u32 {
    (a & !F32_SIGN) | (b & F32_SIGN)
}
pub(super) fn f32_eq(a: f32, b: f32) -> bool {
    a == b
}
pub(super) fn f32_ne(a: f32, b: f32) -> bool {
    a != b
}
pub(super) fn f32_lt(a: f32, b: f32) -> bool {
    a < b
}
pub(super) fn f32_gt(a: f32, b: f32) -> bool {
    a > b
}
pub(super) fn f32_le(a: f32, b: f32) -> bool {
    a <= b
}
pub(super) fn f32_ge(a: f32, b: f32) -> bool {
    a >= b
}
pub(super) fn f32_abs(a: u32) -> u32 {
    a & !F32_SIGN
}
pub(super) fn f32_neg(a: u32) -> u32 {
    a ^ F32_SIGN
}
pub(super) fn f32_ceil(a: f32) -> f32 {
    f32_round(a, f32::ceil)
}
pub(super) fn f32_floor(a: f32) -> f32 {
    f32_round(a, f32::floor)
}
pub(super) fn f32_trunc(a: f32) -> f32 {
    f32_round(a, f32::trunc)
}
pub(super) fn f32_nearest(a: f32) -> f32 {
    f32_round(a, f32::round_ties_even)
}
pub(super) fn f32_sqrt(a: f32) -> f32 {
    a.sqrt()
}

pub(super) fn f64_add(a: f64, b: f64) -> f64 {
    a + b
}
pub(super) fn f64_sub(a: f64, b: f64) -> f64 {
    a - b
}
pub(super) fn f64_mul(a: f64, b: f64) -> f64 {
    a * b
}
pub(super) fn f64_div(a: f64, b: f64) -> f64 {
    a / b
}
pub(super) fn f64_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        a + b
    } else if a == b {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}
pub(super) fn f64_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        a + b
    } else if a == b {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}
pub(super) fn f64_copysign(a: u64, b: u64) -> u64 {
    (a & !F64_SIGN) | (b & F64_SIGN)
}
pub(super) fn f64_eq(a: f64, b: f64) -> bool {
    a == b
}
pub(super) fn f64_ne(a: f64, b: f64) -> bool {
    a != b
}
pub(super) fn f64_lt(a: f64, b: f64) -> bool {
    a < b
}
pub(super) fn f64_gt(a: f64, b: f64) -> bool {
    a > b
}
pub(super) fn f64_le(a: f64, b: f64) -> bool {
    a <= b
}
pub(super) fn f64_ge(a: f64, b: f64) -> bool {
    a >= b
}
pub(super) fn f64_abs(a: u64) -> u64 {
    a & !F64_SIGN
}
pub(super) fn f64_neg(a: u64) -> u64 {
    a ^ F64_SIGN
}
pub(super) fn f64_ceil(a: f64) -> f64 {
    f64_round(a, f64::ceil)
}
pub(super) fn f64_floor(a: f64) -> f64 {
    f64_round(a, f64::floor)
}
pub(super) fn f64_trunc(a: f64) -> f64 {
    f64_round(a, f64::trunc)
}
pub(super) fn f64_nearest(a: f64) -> f64 {
    f64_round(a, f64::round_ties_even)
}
pub(super) fn f64_sqrt(a: f64) -> f64 {
    a.sqrt()
}

handlers! { |ctx, pc, s, mem, acc|
    F32Add { dst, a, b } => {
        put!(s, acc, dst, f32_add(s.read(a), s.read(b)));
    }
    F32AddA { dst, b } => {
        put!(s, acc, dst, f32_add(forwarded(acc), s.read(b)));
    }
    F32Sub { dst, a, b } => {
        put!(s, acc, dst, f32_sub(s.read(a), s.read(b)));
    }
    F32SubA { dst, b } => {
        put!(s, acc, dst, f32_sub(forwarded(acc), s.read(b)));
    }
    F32SubB { dst, a } => {
        put!(s, acc, dst, f32_sub(s.read(a), forwarded(acc)));
    }
    F32Mul { dst, a, b } => {
        put!(s, acc, dst, f32_mul(s.read(a), s.read(b)));
    }
    F32MulA { dst, b } => {
        put!(s, acc, dst, f32_mul(forwarded(acc), s.read(b)));
    }
    F32Div { dst, a, b } => {
        put!(s, acc, dst, f32_div(s.read(a), s.read(b)));
    }
    F32DivA { dst, b } => {
        put!(s, acc, dst, f32_div(forwarded(acc), s.read(b)));
    }
    F32DivB { dst, a } => {
        put!(s, acc, dst, f32_div(s.read(a), forwarded(acc)));
    }
    F32Min { dst, a, b } => {
        put!(s, acc, dst, f32_min(s.read(a), s.read(b)));
    }
    F32MinA { dst, b } => {
        put!(s, acc, dst, f32_min(forwarded(acc), s.read(b)));
    }
    F32Max { dst, a, b } => {
        put!(s, acc, dst, f32_max(s.read(a), s.read(b)));
    }
    F32MaxA { dst, b } => {
        put!(s, acc, dst, f32_max(forwarded(acc), s.read(b)));
    }
    F32Copysign { dst, a, b } => {
        put!(s, acc, dst, f32_copysign(s.read(a), s.read(b)));
    }
    F32CopysignA { dst, b } => {
        put!(s, acc, dst, f32_copysign(forwarded(acc), s.read(b)));
    }
    F32CopysignB { dst, a } => {
        put!(s, acc, dst, f32_copysign(s.read(a), forwarded(acc)));
    }
    F32Eq { dst, a, b } => {
        put!(s, acc, dst, f32_eq(s.read(a), s.read(b)));
    }
    F32EqA { dst, b } => {
        put!(s, acc, dst, f32_eq(forwarded(acc), s.read(b)));
    }
    F32Ne { dst, a, b } => {
        put!(s, acc, dst, f32_ne(s.read(a), s.read(b)));
    }
    F32NeA { dst, b } => {
        put!(s, acc, dst, f32_ne(forwarded(acc), s.read(b)));
    }
    F32Lt { dst, a, b } => {
        put!(s, acc, dst, f32_lt(s.read(a), s.read(b)));
    }
    F32LtA { dst, b } => {
        put!(s, acc, dst, f32_lt(forwarded(acc), s.read(b)));
    }
    F32Gt { dst, a, b } => {
        put!(s, acc, dst, f32_gt(s.read(a), s.read(b)));
    }
    F32GtA { dst, b } => {
        put!(s, acc, dst, f32_gt(forwarded(acc), s.read(b)));
    }
    F32Le { dst, a, b } => {
        put!(s, acc, dst, f32_le(s.read(a), s.read(b)));
    }
    F32LeA { dst, b } => {
        put!(s, acc, dst, f32_le(forwarded(acc), s.read(b)));
    }
    F32Ge { dst, a, b } => {
        put!(s, acc, dst, f32_ge(s.read(a), s.read(b)));
    }
    F32GeA { dst, b } => {
        put!(s, acc, dst, f32_ge(forwarded(acc), s.read(b)));
    }
    F32Abs { dst, src } => {
        put!(s, acc, dst, f32_abs(s.read(src)));
    }
    F32AbsA { dst } => {
        put!(s, acc, dst, f32_abs(forwarded(acc)));
    }
    F32Neg { dst, src } => {
        put!(s, acc, dst, f32_neg(s.read(src)));
    }
    F32NegA { dst } => {
        put!(s, acc, dst, f32_neg(forwarded(acc)));
    }
    F32Ceil { dst, src } => {
        put!(s, acc, dst, f32_ceil(s.read(src)));
    }
    F32CeilA { dst } => {
        put!(s, acc, dst, f32_ceil(forwarded(acc)));
    }
    F32Floor { dst, src } => {
        put!(s, acc, dst, f32_floor(s.read(src)));
    }
    F32FloorA { dst } => {
        put!(s, acc, dst, f32_floor(forwarded(acc)));
    }
    F32Trunc { dst, src } => {
        put!(s, acc, dst, f32_trunc(s.read(src)));
    }
    F32TruncA { dst } => {
        put!(s, acc, dst, f32_trunc(forwarded(acc)));
    }
    F32Nearest { dst, src } => {
        put!(s, acc, dst, f32_nearest(s.read(src)));
    }
    F32NearestA { dst } => {
        put!(s, acc, dst, f32_nearest(forwarded(acc)));
    }
    F32Sqrt { dst, src } => {
        put!(s, acc, dst, f32_sqrt(s.read(src)));
    }
    F32SqrtA { dst } => {
        put!(s, acc, dst, f32_sqrt(forwarded(acc)));
    }
    F64Add { dst, a, b } => {
        put!(s, acc, dst, f64_add(s.read(a), s.read(b)));
    }
    F64AddA { dst, b } => {
        put!(s, acc, dst, f64_add(forwarded(acc), s.read(b)));
    }
    F64Sub { dst, a, b } => {
        put!(s, acc, dst, f64_sub(s.read(a), s.read(b)));
    }
    F64SubA { dst, b } => {
        put!(s, acc, dst, f64_sub(forwarded(acc), s.read(b)));
    }
    F64SubB { dst, a } => {
        put!(s, acc, dst, f64_sub(s.read(a), forwarded(acc)));
    }
    F64Mul { dst, a, b } => {
        put!(s, acc, dst, f64_mul(s.read(a), s.read(b)));
    }
    F64MulA { dst, b } => {
        put!(s, acc, dst, f64_mul(forwarded(acc), s.read(b)));
    }
    F64MulAddA { dst, b, c } => {
        let product = f64_mul(forwarded(acc), s.read(b));
        put!(s, acc, dst, f64_add(product, s.read(c)));
    }
    F64Div { dst, a, b } => {
        put!(s, acc, dst, f64_div(s.read(a), s.read(b)));
    }
    F64DivA { dst, b } => {
        put!(s, acc, dst, f64_div(forwarded(acc), s.read(b)));
    }
    F64DivB { dst, a } => {
        put!(s, acc, dst, f64_div(s.read(a), forwarded(acc)));
    }
    F64Min { dst, a, b } => {
        put!(s, acc, dst, f64_min(s.read(a), s.read(b)));
    }
    F64MinA { dst, b } => {
        put!(s, acc, dst, f64_min(forwarded(acc), s.read(b)));
    }
    F64Max { dst, a, b } => {
        put!(s, acc, dst, f64_max(s.read(a), s.read(b)));
    }
    F64MaxA { dst, b } => {
        put!(s, acc, dst, f64_max(forwarded(acc), s.read(b)));
    }
    F64Copysign { dst, a, b } => {
        put!(s, acc, dst, f64_copysign(s.read(a), s.read(b)));
    }
    F64CopysignA { dst, b } => {
        put!(s, acc, dst, f64_copysign(forwarded(acc), s.read(b)));
    }
    F64CopysignB { dst, a } => {
        put!(s, acc, dst, f64_copysign(s.read(a), forwarded(acc)));
    }
    F64Eq { dst, a, b } => {
        put!(s, acc, dst, f64_eq(s.read(a), s.read(b)));
    }
    F64EqA { dst, b } => {
        put!(s, acc, dst, f64_eq(forwarded(acc), s.read(b)));
    }
    F64Ne { dst, a, b } => {
        put!(s, acc, dst, f64_ne(s.read(a), s.read(b)));
    }
    F64NeA { dst, b } => {
        put!(s, acc, dst, f64_ne(forwarded(acc), s.read(b)));
    }
    F64Lt { dst, a, b } => {
        put!(s, acc, dst, f64_lt(s.read(a), s.read(b)));
    }
    F64LtA { dst, b } => {
        put!(s, acc, dst, f64_lt(forwarded(acc), s.read(b)));
    }
    F64Gt { dst, a, b } => {
        put!(s, acc, dst, f64_gt(s.read(a), s.read(b)));
    }
    F64GtA { dst, b } => {
        put!(s, acc, dst, f64_gt(forwarded(acc), s.read(b)));
    }
    F64Le { dst, a, b } => {
        put!(s, acc, dst, f64_le(s.read(a), s.read(b)));
    }
    F64LeA { dst, b } => {
        put!(s, acc, dst, f64_le(forwarded(acc), s.read(b)));
    }
    F64Ge { dst, a, b } => {
        put!(s, acc, dst, f64_ge(s.read(a), s.read(b)));
    }
    F64GeA { dst, b } => {
        put!(s, acc, dst, f64_ge(forwarded(acc), s.read(b)));
    }
    F64Abs { dst, src } => {
        put!(s, acc, dst, f64_abs(s.read(src)));
    }
    F64AbsA { dst } => {
        put!(s, acc, dst, f64_abs(forwarded(acc)));
    }
    F64Neg { dst, src } => {
        put!(s, acc, dst, f64_neg(s.read(src)));
    }
    F64NegA { dst } => {
        put!(s, acc, dst, f64_neg(forwarded(acc)));
    }
    F64Ceil { dst, src } => {
        put!(s, acc, dst, f64_ceil(s.read(src)));
    }
    F64CeilA { dst } => {
        put!(s, acc, dst, f64_ceil(forwarded(acc)));
    }
    F64Floor { dst, src } => {
        put!(s, acc, dst, f64_floor(s.read(src)));
    }
    F64FloorA { dst } => {
        put!(s, acc, dst, f64_floor(forwarded(acc)));
    }
    F64Trunc { dst, src } => {
        put!(s, acc, dst, f64_trunc(s.read(src)));
    }
    F64TruncA { dst } => {
        put!(s, acc, dst, f64_trunc(forwarded(acc)));
    }
    F64Nearest { dst, src } => {
        put!(s, acc, dst, f64_nearest(s.read(src)));
    }
    F64NearestA { dst } => {
        put!(s, acc, dst, f64_nearest(forwarded(acc)));
    }
    F64Sqrt { dst, src } => {
        put!(s, acc, dst, f64_sqrt(s.read(src)));
    }
    F64SqrtA { dst } => {
        put!(s, acc, dst, f64_sqrt(forwarded(acc)));
    }
}
