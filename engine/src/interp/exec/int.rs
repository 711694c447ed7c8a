//! Integer operations, with the spec's trapping rules for division.

use super::{forwarded, imm32, imm64};
use crate::TrapKind;

pub(super) fn i32_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}
pub(super) fn i32_sub(a: i32, b: i32) -> i32 {
    a.wrapping_sub(b)
}
pub(super) fn i32_mul(a: i32, b: i32) -> i32 {
    a.wrapping_mul(b)
}
pub(super) fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        -1 if a == i32::MIN => Err(TrapKind::IntegerOverflow),
        _ => Ok(a / b),
    }
}
pub(super) fn i32_div_u(a: u32, b: u32) -> Result<u32, TrapKind> {
    a.checked_div(b).ok_or(TrapKind::IntegerDivideByZero)
}
pub(super) fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        _ => Ok(a.wrapping_rem(b)),
    }
}
pub(super) fn i32_rem_u(a: u32, b: u32) -> Result<u32, TrapKind> {
    a.checked_rem(b).ok_or(TrapKind::IntegerDivideByZero)
}
pub(super) fn i32_and(a: u32, b: u32) -> u32 {
    a & b
}
pub(super) fn i32_or(a: u32, b: u32) -> u32 {
    a | b
}
pub(super) fn i32_xor(a: u32, b: u32) -> u32 {
    a ^ b
}
pub(super) fn i32_shl(a: u32, b: u32) -> u32 {
    a.wrapping_shl(b)
}
pub(super) fn i32_shr_s(a: i32, b: u32) -> i32 {
    a.wrapping_shr(b)
}
pub(super) fn i32_shr_u(a: u32, b: u32) -> u32 {
    a.wrapping_shr(b)
}
pub(super) fn i32_rotl(a: u32, b: u32) -> u32 {
    a.rotate_left(b)
}
pub(super) fn i32_rotr(a: u32, b: u32) -> u32 {
    a.rotate_right(b)
}
pub(super) fn i32_eq(a: u32, b: u32) -> bool {
    a == b
}
pub(super) fn i32_ne(a: u32, b: u32) -> bool {
    a != b
}
pub(super) fn i32_lt_s(a: i32, b: i32) -> bool {
    a < b
}
pub(super) fn i32_lt_u(a: u32, b: u32) -> bool {
    a < b
}
pub(super) fn i32_gt_s(a: i32, b: i32) -> bool {
    a > b
}
pub(super) fn i32_gt_u(a: u32, b: u32) -> bool {
    a > b
}
pub(super) fn i32_le_s(a: i32, b: i32) -> bool {
    a <= b
}
pub(super) fn i32_le_u(a: u32, b: u32) -> bool {
    a <= b
}
pub(super) fn i32_ge_s(a: i32, b: i32) -> bool {
    a >= b
}
pub(super) fn i32_ge_u(a: u32, b: u32) -> bool {
    a >= b
}
pub(super) fn i32_clz(a: u32) -> u32 {
    a.leading_zeros()
}
pub(super) fn i32_ctz(a: u32) -> u32 {
    a.trailing_zeros()
}
pub(super) fn i32_popcnt(a: u32) -> u32 {
    a.count_ones()
}
pub(super) fn i32_extend8_s(a: u32) -> i32 {
    a as i8 as i32
}
pub(super) fn i32_extend16_s(a: u32) -> i32 {
    a as i16 as i32
}

pub(super) fn i64_add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}
pub(super) fn i64_sub(a: i64, b: i64) -> i64 {
    a.wrapping_sub(b)
}
pub(super) fn i64_mul(a: i64, b: i64) -> i64 {
    a.wrapping_mul(b)
}
pub(super) fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        -1 if a == i64::MIN => Err(TrapKind::IntegerOverflow),
        _ => Ok(a / b),
    }
}
pub(super) fn i64_div_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    a.checked_div(b).ok_or(TrapKind::IntegerDivideByZero)
}
pub(super) fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapKind> {
    match b {
        0 => Err(TrapKind::IntegerDivideByZero),
        _ => Ok(a.wrapping_rem(b)),
    }
}
pub(super) fn i64_rem_u(a: u64, b: u64) -> Result<u64, TrapKind> {
    a.checked_rem(b).ok_or(TrapKind::IntegerDivideByZero)
}
pub(super) fn i64_and(a: u64, b: u64) -> u64 {
    a & b
}
pub(super) fn i64_or(a: u64, b: u64) -> u64 {
    a | b
}
pub(super) fn i64_xor(a: u64, b: u64) -> u64 {
    a ^ b
}
pub(super) fn i64_shl(a: u64, b: u64) -> u64 {
    a.wrapping_shl(b as u32)
}
pub(super) fn i64_shr_s(a: i64, b: u64) -> i64 {
    a.wrapping_shr(b as u32)
}
pub(super) fn i64_shr_u(a: u64, b: u64) -> u64 {
    a.wrapping_shr(b as u32)
}
pub(super) fn i64_rotl(a: u64, b: u64) -> u64 {
    a.rotate_left((b % 64) as u32)
}
pub(super) fn i64_rotr(a: u64, b: u64) -> u64 {
    a.rotate_right((b % 64) as u32)
}
pub(super) fn i64_eq(a: u64, b: u64) -> bool {
    a == b
}
pub(super) fn i64_ne(a: u64, b: u64) -> bool {
    a != b
}
pub(super) fn i64_lt_s(a: i64, b: i64) -> bool {
    a < b
}
pub(super) fn i64_lt_u(a: u64, b: u64) -> bool {
    a < b
}
pub(super) fn i64_gt_s(a: i64, b: i64) -> bool {
    a > b
}
pub(super) fn i64_gt_u(a: u64, b: u64) -> bool {
    a > b
}
pub(super) fn i64_le_s(a: i64, b: i64) -> bool {
    a <= b
}
pub(super) fn i64_le_u(a: u64, b: u64) -> bool {
    a <= b
}
pub(super) fn i64_ge_s(a: i64, b: i64) -> bool {
    a >= b
}
pub(super) fn i64_ge_u(a: u64, b: u64) -> bool {
    a >= b
}
pub(super) fn i64_clz(a: u64) -> u64 {
    a.leading_zeros() as u64
}
pub(super) fn i64_ctz(a: u64) -> u64 {
    a.trailing_zeros() as u64
}
pub(super) fn i64_popcnt(a: u64) -> u64 {
    a.count_ones() as u64
}
pub(super) fn i64_extend8_s(a: u64) -> i64 {
    a as i8 as i64
}
pub(super) fn i64_extend16_s(a: u64) -> i64 {
    a as i16 as i64
}
pub(super) fn i64_extend32_s(a: u64) -> i64 {
    a as i32 as i64
}

handlers! { |ctx, pc, s, mem, acc|
    I32Add { dst, a, b } => {
        put!(s, acc, dst, i32_add(s.read(a), s.read(b)));
    }
    I32Sub { dst, a, b } => {
        put!(s, acc, dst, i32_sub(s.read(a), s.read(b)));
    }
    I32Mul { dst, a, b } => {
        put!(s, acc, dst, i32_mul(s.read(a), s.read(b)));
    }
    I32DivS { dst, a, b } => {
        let value = trap_on!(ctx, i32_div_s(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32DivU { dst, a, b } => {
        let value = trap_on!(ctx, i32_div_u(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32RemS { dst, a, b } => {
        let value = trap_on!(ctx, i32_rem_s(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32RemU { dst, a, b } => {
        let value = trap_on!(ctx, i32_rem_u(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32And { dst, a, b } => {
        put!(s, acc, dst, i32_and(s.read(a), s.read(b)));
    }
    I32Or { dst, a, b } => {
        put!(s, acc, dst, i32_or(s.read(a), s.read(b)));
    }
    I32Xor { dst, a, b } => {
        put!(s, acc, dst, i32_xor(s.read(a), s.read(b)));
    }
    I32Shl { dst, a, b } => {
        put!(s, acc, dst, i32_shl(s.read(a), s.read(b)));
    }
    I32ShrS { dst, a, b } => {
        put!(s, acc, dst, i32_shr_s(s.read(a), s.read(b)));
    }
    I32ShrU { dst, a, b } => {
        put!(s, acc, dst, i32_shr_u(s.read(a), s.read(b)));
    }
    I32Rotl { dst, a, b } => {
        put!(s, acc, dst, i32_rotl(s.read(a), s.read(b)));
    }
    I32Rotr { dst, a, b } => {
        put!(s, acc, dst, i32_rotr(s.read(a), s.read(b)));
    }
    I32Eq { dst, a, b } => {
        put!(s, acc, dst, i32_eq(s.read(a), s.read(b)));
    }
    I32Ne { dst, a, b } => {
        put!(s, acc, dst, i32_ne(s.read(a), s.read(b)));
    }
    I32LtS { dst, a, b } => {
        put!(s, acc, dst, i32_lt_s(s.read(a), s.read(b)));
    }
    I32LtU { dst, a, b } => {
        put!(s, acc, dst, i32_lt_u(s.read(a), s.read(b)));
    }
    I32GtS { dst, a, b } => {
        put!(s, acc, dst, i32_gt_s(s.read(a), s.read(b)));
    }
    I32GtU { dst, a, b } => {
        put!(s, acc, dst, i32_gt_u(s.read(a), s.read(b)));
    }
    I32LeS { dst, a, b } => {
        put!(s, acc, dst, i32_le_s(s.read(a), s.read(b)));
    }
    I32LeU { dst, a, b } => {
        put!(s, acc, dst, i32_le_u(s.read(a), s.read(b)));
    }
    I32GeS { dst, a, b } => {
        put!(s, acc, dst, i32_ge_s(s.read(a), s.read(b)));
    }
    I32GeU { dst, a, b } => {
        put!(s, acc, dst, i32_ge_u(s.read(a), s.read(b)));
    }
    I32AddImm { dst, a, imm } => {
        put!(s, acc, dst, i32_add(s.read(a), imm32(imm)));
    }
    I32SubImm { dst, a, imm } => {
        put!(s, acc, dst, i32_sub(s.read(a), imm32(imm)));
    }
    I32MulImm { dst, a, imm } => {
        put!(s, acc, dst, i32_mul(s.read(a), imm32(imm)));
    }
    I32DivSImm { dst, a, imm } => {
        let value = trap_on!(ctx, i32_div_s(s.read(a), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32DivUImm { dst, a, imm } => {
        let value = trap_on!(ctx, i32_div_u(s.read(a), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32RemSImm { dst, a, imm } => {
        let value = trap_on!(ctx, i32_rem_s(s.read(a), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32RemUImm { dst, a, imm } => {
        let value = trap_on!(ctx, i32_rem_u(s.read(a), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32AndImm { dst, a, imm } => {
        put!(s, acc, dst, i32_and(s.read(a), imm32(imm)));
    }
    I32OrImm { dst, a, imm } => {
        put!(s, acc, dst, i32_or(s.read(a), imm32(imm)));
    }
    I32XorImm { dst, a, imm } => {
        put!(s, acc, dst, i32_xor(s.read(a), imm32(imm)));
    }
    I32ShlImm { dst, a, imm } => {
        put!(s, acc, dst, i32_shl(s.read(a), imm32(imm)));
    }
    I32ShrSImm { dst, a, imm } => {
        put!(s, acc, dst, i32_shr_s(s.read(a), imm32(imm)));
    }
    I32ShrUImm { dst, a, imm } => {
        put!(s, acc, dst, i32_shr_u(s.read(a), imm32(imm)));
    }
    I32RotlImm { dst, a, imm } => {
        put!(s, acc, dst, i32_rotl(s.read(a), imm32(imm)));
    }
    I32RotrImm { dst, a, imm } => {
        put!(s, acc, dst, i32_rotr(s.read(a), imm32(imm)));
    }
    I32EqImm { dst, a, imm } => {
        put!(s, acc, dst, i32_eq(s.read(a), imm32(imm)));
    }
    I32NeImm { dst, a, imm } => {
        put!(s, acc, dst, i32_ne(s.read(a), imm32(imm)));
    }
    I32LtSImm { dst, a, imm } => {
        put!(s, acc, dst, i32_lt_s(s.read(a), imm32(imm)));
    }
    I32LtUImm { dst, a, imm } => {
        put!(s, acc, dst, i32_lt_u(s.read(a), imm32(imm)));
    }
    I32GtSImm { dst, a, imm } => {
        put!(s, acc, dst, i32_gt_s(s.read(a), imm32(imm)));
    }
    I32GtUImm { dst, a, imm } => {
        put!(s, acc, dst, i32_gt_u(s.read(a), imm32(imm)));
    }
    I32LeSImm { dst, a, imm } => {
        put!(s, acc, dst, i32_le_s(s.read(a), imm32(imm)));
    }
    I32LeUImm { dst, a, imm } => {
        put!(s, acc, dst, i32_le_u(s.read(a), imm32(imm)));
    }
    I32GeSImm { dst, a, imm } => {
        put!(s, acc, dst, i32_ge_s(s.read(a), imm32(imm)));
    }
    I32GeUImm { dst, a, imm } => {
        put!(s, acc, dst, i32_ge_u(s.read(a), imm32(imm)));
    }
    I32AddA { dst, b } => {
        put!(s, acc, dst, i32_add(forwarded(acc), s.read(b)));
    }
    I32SubA { dst, b } => {
        put!(s, acc, dst, i32_sub(forwarded(acc), s.read(b)));
    }
    I32MulA { dst, b } => {
        put!(s, acc, dst, i32_mul(forwarded(acc), s.read(b)));
    }
    I32DivSA { dst, b } => {
        let value = trap_on!(ctx, i32_div_s(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32DivUA { dst, b } => {
        let value = trap_on!(ctx, i32_div_u(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32RemSA { dst, b } => {
        let value = trap_on!(ctx, i32_rem_s(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32RemUA { dst, b } => {
        let value = trap_on!(ctx, i32_rem_u(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I32AndA { dst, b } => {
        put!(s, acc, dst, i32_and(forwarded(acc), s.read(b)));
    }
    I32OrA { dst, b } => {
        put!(s, acc, dst, i32_or(forwarded(acc), s.read(b)));
    }
    I32XorA { dst, b } => {
        put!(s, acc, dst, i32_xor(forwarded(acc), s.read(b)));
    }
    I32ShlA { dst, b } => {
        put!(s, acc, dst, i32_shl(forwarded(acc), s.read(b)));
    }
    I32ShrSA { dst, b } => {
        put!(s, acc, dst, i32_shr_s(forwarded(acc), s.read(b)));
    }
    I32ShrUA { dst, b } => {
        put!(s, acc, dst, i32_shr_u(forwarded(acc), s.read(b)));
    }
    I32RotlA { dst, b } => {
        put!(s, acc, dst, i32_rotl(forwarded(acc), s.read(b)));
    }
    I32RotrA { dst, b } => {
        put!(s, acc, dst, i32_rotr(forwarded(acc), s.read(b)));
    }
    I32EqA { dst, b } => {
        put!(s, acc, dst, i32_eq(forwarded(acc), s.read(b)));
    }
    I32NeA { dst, b } => {
        put!(s, acc, dst, i32_ne(forwarded(acc), s.read(b)));
    }
    I32LtSA { dst, b } => {
        put!(s, acc, dst, i32_lt_s(forwarded(acc), s.read(b)));
    }
    I32LtUA { dst, b } => {
        put!(s, acc, dst, i32_lt_u(forwarded(acc), s.read(b)));
    }
    I32GtSA { dst, b } => {
        put!(s, acc, dst, i32_gt_s(forwarded(acc), s.read(b)));
    }
    I32GtUA { dst, b } => {
        put!(s, acc, dst, i32_gt_u(forwarded(acc), s.read(b)));
    }
    I32LeSA { dst, b } => {
        put!(s, acc, dst, i32_le_s(forwarded(acc), s.read(b)));
    }
    I32LeUA { dst, b } => {
        put!(s, acc, dst, i32_le_u(forwarded(acc), s.read(b)));
    }
    I32GeSA { dst, b } => {
        put!(s, acc, dst, i32_ge_s(forwarded(acc), s.read(b)));
    }
    I32GeUA { dst, b } => {
        put!(s, acc, dst, i32_ge_u(forwarded(acc), s.read(b)));
    }
    I32AddAImm { dst, imm } => {
        put!(s, acc, dst, i32_add(forwarded(acc), imm32(imm)));
    }
    I32SubAImm { dst, imm } => {
        put!(s, acc, dst, i32_sub(forwarded(acc), imm32(imm)));
    }
    I32MulAImm { dst, imm } => {
        put!(s, acc, dst, i32_mul(forwarded(acc), imm32(imm)));
    }
    I32DivSAImm { dst, imm } => {
        let value = trap_on!(ctx, i32_div_s(forwarded(acc), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32DivUAImm { dst, imm } => {
        let value = trap_on!(ctx, i32_div_u(forwarded(acc), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32RemSAImm { dst, imm } => {
        let value = trap_on!(ctx, i32_rem_s(forwarded(acc), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32RemUAImm { dst, imm } => {
        let value = trap_on!(ctx, i32_rem_u(forwarded(acc), imm32(imm)));
        put!(s, acc, dst, value);
    }
    I32AndAImm { dst, imm } => {
        put!(s, acc, dst, i32_and(forwarded(acc), imm32(imm)));
    }
    I32OrAImm { dst, imm } => {
        put!(s, acc, dst, i32_or(forwarded(acc), imm32(imm)));
    }
    I32XorAImm { dst, imm } => {
        put!(s, acc, dst, i32_xor(forwarded(acc), imm32(imm)));
    }
    I32ShlAImm { dst, imm } => {
        put!(s, acc, dst, i32_shl(forwarded(acc), imm32(imm)));
    }
    I32ShrSAImm { dst, imm } => {
        put!(s, acc, dst, i32_shr_s(forwarded(acc), imm32(imm)));
    }
    I32ShrUAImm { dst, imm } => {
        put!(s, acc, dst, i32_shr_u(forwarded(acc), imm32(imm)));
    }
    I32RotlAImm { dst, imm } => {
        put!(s, acc, dst, i32_rotl(forwarded(acc), imm32(imm)));
    }
    I32RotrAImm { dst, imm } => {
        put!(s, acc, dst, i32_rotr(forwarded(acc), imm32(imm)));
    }
    I32EqAImm { dst, imm } => {
        put!(s, acc, dst, i32_eq(forwarded(acc), imm32(imm)));
    }
    I32NeAImm { dst, imm } => {
        put!(s, acc, dst, i32_ne(forwarded(acc), imm32(imm)));
    }
    I32LtSAImm { dst, imm } => {
        put!(s, acc, dst, i32_lt_s(forwarded(acc), imm32(imm)));
    }
    I32LtUAImm { dst, imm } => {
        put!(s, acc, dst, i32_lt_u(forwarded(acc), imm32(imm)));
    }
    I32GtSAImm { dst, imm } => {
        put!(s, acc, dst, i32_gt_s(forwarded(acc), imm32(imm)));
    }
    I32GtUAImm { dst, imm } => {
        put!(s, acc, dst, i32_gt_u(forwarded(acc), imm32(imm)));
    }
    I32LeSAImm { dst, imm } => {
        put!(s, acc, dst, i32_le_s(forwarded(acc), imm32(imm)));
    }
    I32LeUAImm { dst, imm } => {
        put!(s, acc, dst, i32_le_u(forwarded(acc), imm32(imm)));
    }
    I32GeSAImm { dst, imm } => {
        put!(s, acc, dst, i32_ge_s(forwarded(acc), imm32(imm)));
    }
    I32GeUAImm { dst, imm } => {
        put!(s, acc, dst, i32_ge_u(forwarded(acc), imm32(imm)));
    }
    I32SubB { dst, a } => {
        put!(s, acc, dst, i32_sub(s.read(a), forwarded(acc)));
    }
    I32DivSB { dst, a } => {
        let value = trap_on!(ctx, i32_div_s(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32DivUB { dst, a } => {
        let value = trap_on!(ctx, i32_div_u(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32RemSB { dst, a } => {
        let value = trap_on!(ctx, i32_rem_s(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32RemUB { dst, a } => {
        let value = trap_on!(ctx, i32_rem_u(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32ShlB { dst, a } => {
        put!(s, acc, dst, i32_shl(s.read(a), forwarded(acc)));
    }
    I32ShrSB { dst, a } => {
        put!(s, acc, dst, i32_shr_s(s.read(a), forwarded(acc)));
    }
    I32ShrUB { dst, a } => {
        put!(s, acc, dst, i32_shr_u(s.read(a), forwarded(acc)));
    }
    I32RotlB { dst, a } => {
        put!(s, acc, dst, i32_rotl(s.read(a), forwarded(acc)));
    }
    I32RotrB { dst, a } => {
        put!(s, acc, dst, i32_rotr(s.read(a), forwarded(acc)));
    }
    I32Clz { dst, src } => {
        put!(s, acc, dst, i32_clz(s.read(src)));
    }
    I32ClzA { dst } => {
        put!(s, acc, dst, i32_clz(forwarded(acc)));
    }
    I32Ctz { dst, src } => {
        put!(s, acc, dst, i32_ctz(s.read(src)));
    }
    I32CtzA { dst } => {
        put!(s, acc, dst, i32_ctz(forwarded(acc)));
    }
    I32Popcnt { dst, src } => {
        put!(s, acc, dst, i32_popcnt(s.read(src)));
    }
    I32PopcntA { dst } => {
        put!(s, acc, dst, i32_popcnt(forwarded(acc)));
    }
    I32Extend8S { dst, src } => {
        put!(s, acc, dst, i32_extend8_s(s.read(src)));
    }
    I32Extend8SA { dst } => {
        put!(s, acc, dst, i32_extend8_s(forwarded(acc)));
    }
    I32Extend16S { dst, src } => {
        put!(s, acc, dst, i32_extend16_s(s.read(src)));
    }
    I32Extend16SA { dst } => {
        put!(s, acc, dst, i32_extend16_s(forwarded(acc)));
    }
    I64Add { dst, a, b } => {
        put!(s, acc, dst, i64_add(s.read(a), s.read(b)));
    }
    I64Sub { dst, a, b } => {
        put!(s, acc, dst, i64_sub(s.read(a), s.read(b)));
    }
    I64Mul { dst, a, b } => {
        put!(s, acc, dst, i64_mul(s.read(a), s.read(b)));
    }
    I64DivS { dst, a, b } => {
        let value = trap_on!(ctx, i64_div_s(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64DivU { dst, a, b } => {
        let value = trap_on!(ctx, i64_div_u(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64RemS { dst, a, b } => {
        let value = trap_on!(ctx, i64_rem_s(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64RemU { dst, a, b } => {
        let value = trap_on!(ctx, i64_rem_u(s.read(a), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64And { dst, a, b } => {
        put!(s, acc, dst, i64_and(s.read(a), s.read(b)));
    }
    I64Or { dst, a, b } => {
        put!(s, acc, dst, i64_or(s.read(a), s.read(b)));
    }
    I64Xor { dst, a, b } => {
        put!(s, acc, dst, i64_xor(s.read(a), s.read(b)));
    }
    I64Shl { dst, a, b } => {
        put!(s, acc, dst, i64_shl(s.read(a), s.read(b)));
    }
    I64ShrS { dst, a, b } => {
        put!(s, acc, dst, i64_shr_s(s.read(a), s.read(b)));
    }
    I64ShrU { dst, a, b } => {
        put!(s, acc, dst, i64_shr_u(s.read(a), s.read(b)));
    }
    I64Rotl { dst, a, b } => {
        put!(s, acc, dst, i64_rotl(s.read(a), s.read(b)));
    }
    I64Rotr { dst, a, b } => {
        put!(s, acc, dst, i64_rotr(s.read(a), s.read(b)));
    }
    I64Eq { dst, a, b } => {
        put!(s, acc, dst, i64_eq(s.read(a), s.read(b)));
    }
    I64Ne { dst, a, b } => {
        put!(s, acc, dst, i64_ne(s.read(a), s.read(b)));
    }
    I64LtS { dst, a, b } => {
        put!(s, acc, dst, i64_lt_s(s.read(a), s.read(b)));
    }
    I64LtU { dst, a, b } => {
        put!(s, acc, dst, i64_lt_u(s.read(a), s.read(b)));
    }
    I64GtS { dst, a, b } => {
        put!(s, acc, dst, i64_gt_s(s.read(a), s.read(b)));
    }
    I64GtU { dst, a, b } => {
        put!(s, acc, dst, i64_gt_u(s.read(a), s.read(b)));
    }
    I64LeS { dst, a, b } => {
        put!(s, acc, dst, i64_le_s(s.read(a), s.read(b)));
    }
    I64LeU { dst, a, b } => {
        put!(s, acc, dst, i64_le_u(s.read(a), s.read(b)));
    }
    I64GeS { dst, a, b } => {
        put!(s, acc, dst, i64_ge_s(s.read(a), s.read(b)));
    }
    I64GeU { dst, a, b } => {
        put!(s, acc, dst, i64_ge_u(s.read(a), s.read(b)));
    }
    I64AddImm { dst, a, imm } => {
        put!(s, acc, dst, i64_add(s.read(a), imm64(imm)));
    }
    I64SubImm { dst, a, imm } => {
        put!(s, acc, dst, i64_sub(s.read(a), imm64(imm)));
    }
    I64MulImm { dst, a, imm } => {
        put!(s, acc, dst, i64_mul(s.read(a), imm64(imm)));
    }
    I64DivSImm { dst, a, imm } => {
        let value = trap_on!(ctx, i64_div_s(s.read(a), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64DivUImm { dst, a, imm } => {
        let value = trap_on!(ctx, i64_div_u(s.read(a), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64RemSImm { dst, a, imm } => {
        let value = trap_on!(ctx, i64_rem_s(s.read(a), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64RemUImm { dst, a, imm } => {
        let value = trap_on!(ctx, i64_rem_u(s.read(a), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64AndImm { dst, a, imm } => {
        put!(s, acc, dst, i64_and(s.read(a), imm64(imm)));
    }
    I64OrImm { dst, a, imm } => {
        put!(s, acc, dst, i64_or(s.read(a), imm64(imm)));
    }
    I64XorImm { dst, a, imm } => {
        put!(s, acc, dst, i64_xor(s.read(a), imm64(imm)));
    }
    I64ShlImm { dst, a, imm } => {
        put!(s, acc, dst, i64_shl(s.read(a), imm64(imm)));
    }
    I64ShrSImm { dst, a, imm } => {
        put!(s, acc, dst, i64_shr_s(s.read(a), imm64(imm)));
    }
    I64ShrUImm { dst, a, imm } => {
        put!(s, acc, dst, i64_shr_u(s.read(a), imm64(imm)));
    }
    I64RotlImm { dst, a, imm } => {
        put!(s, acc, dst, i64_rotl(s.read(a), imm64(imm)));
    }
    I64RotrImm { dst, a, imm } => {
        put!(s, acc, dst, i64_rotr(s.read(a), imm64(imm)));
    }
    I64EqImm { dst, a, imm } => {
        put!(s, acc, dst, i64_eq(s.read(a), imm64(imm)));
    }
    I64NeImm { dst, a, imm } => {
        put!(s, acc, dst, i64_ne(s.read(a), imm64(imm)));
    }
    I64LtSImm { dst, a, imm } => {
        put!(s, acc, dst, i64_lt_s(s.read(a), imm64(imm)));
    }
    I64LtUImm { dst, a, imm } => {
        put!(s, acc, dst, i64_lt_u(s.read(a), imm64(imm)));
    }
    I64GtSImm { dst, a, imm } => {
        put!(s, acc, dst, i64_gt_s(s.read(a), imm64(imm)));
    }
    I64GtUImm { dst, a, imm } => {
        put!(s, acc, dst, i64_gt_u(s.read(a), imm64(imm)));
    }
    I64LeSImm { dst, a, imm } => {
        put!(s, acc, dst, i64_le_s(s.read(a), imm64(imm)));
    }
    I64LeUImm { dst, a, imm } => {
        put!(s, acc, dst, i64_le_u(s.read(a), imm64(imm)));
    }
    I64GeSImm { dst, a, imm } => {
        put!(s, acc, dst, i64_ge_s(s.read(a), imm64(imm)));
    }
    I64GeUImm { dst, a, imm } => {
        put!(s, acc, dst, i64_ge_u(s.read(a), imm64(imm)));
    }
    I64AddA { dst, b } => {
        put!(s, acc, dst, i64_add(forwarded(acc), s.read(b)));
    }
    I64SubA { dst, b } => {
        put!(s, acc, dst, i64_sub(forwarded(acc), s.read(b)));
    }
    I64MulA { dst, b } => {
        put!(s, acc, dst, i64_mul(forwarded(acc), s.read(b)));
    }
    I64DivSA { dst, b } => {
        let value = trap_on!(ctx, i64_div_s(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64DivUA { dst, b } => {
        let value = trap_on!(ctx, i64_div_u(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64RemSA { dst, b } => {
        let value = trap_on!(ctx, i64_rem_s(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64RemUA { dst, b } => {
        let value = trap_on!(ctx, i64_rem_u(forwarded(acc), s.read(b)));
        put!(s, acc, dst, value);
    }
    I64AndA { dst, b } => {
        put!(s, acc, dst, i64_and(forwarded(acc), s.read(b)));
    }
    I64OrA { dst, b } => {
        put!(s, acc, dst, i64_or(forwarded(acc), s.read(b)));
    }
    I64XorA { dst, b } => {
        put!(s, acc, dst, i64_xor(forwarded(acc), s.read(b)));
    }
    I64ShlA { dst, b } => {
        put!(s, acc, dst, i64_shl(forwarded(acc), s.read(b)));
    }
    I64ShrSA { dst, b } => {
        put!(s, acc, dst, i64_shr_s(forwarded(acc), s.read(b)));
    }
    I64ShrUA { dst, b } => {
        put!(s, acc, dst, i64_shr_u(forwarded(acc), s.read(b)));
    }
    I64RotlA { dst, b } => {
        put!(s, acc, dst, i64_rotl(forwarded(acc), s.read(b)));
    }
    I64RotrA { dst, b } => {
        put!(s, acc, dst, i64_rotr(forwarded(acc), s.read(b)));
    }
    I64EqA { dst, b } => {
        put!(s, acc, dst, i64_eq(forwarded(acc), s.read(b)));
    }
    I64NeA { dst, b } => {
        put!(s, acc, dst, i64_ne(forwarded(acc), s.read(b)));
    }
    I64LtSA { dst, b } => {
        put!(s, acc, dst, i64_lt_s(forwarded(acc), s.read(b)));
    }
    I64LtUA { dst, b } => {
        put!(s, acc, dst, i64_lt_u(forwarded(acc), s.read(b)));
    }
    I64GtSA { dst, b } => {
        put!(s, acc, dst, i64_gt_s(forwarded(acc), s.read(b)));
    }
    I64GtUA { dst, b } => {
        put!(s, acc, dst, i64_gt_u(forwarded(acc), s.read(b)));
    }
    I64LeSA { dst, b } => {
        put!(s, acc, dst, i64_le_s(forwarded(acc), s.read(b)));
    }
    I64LeUA { dst, b } => {
        put!(s, acc, dst, i64_le_u(forwarded(acc), s.read(b)));
    }
    I64GeSA { dst, b } => {
        put!(s, acc, dst, i64_ge_s(forwarded(acc), s.read(b)));
    }
    I64GeUA { dst, b } => {
        put!(s, acc, dst, i64_ge_u(forwarded(acc), s.read(b)));
    }
    I64AddAImm { dst, imm } => {
        put!(s, acc, dst, i64_add(forwarded(acc), imm64(imm)));
    }
    I64SubAImm { dst, imm } => {
        put!(s, acc, dst, i64_sub(forwarded(acc), imm64(imm)));
    }
    I64MulAImm { dst, imm } => {
        put!(s, acc, dst, i64_mul(forwarded(acc), imm64(imm)));
    }
    I64DivSAImm { dst, imm } => {
        let value = trap_on!(ctx, i64_div_s(forwarded(acc), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64DivUAImm { dst, imm } => {
        let value = trap_on!(ctx, i64_div_u(forwarded(acc), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64RemSAImm { dst, imm } => {
        let value = trap_on!(ctx, i64_rem_s(forwarded(acc), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64RemUAImm { dst, imm } => {
        let value = trap_on!(ctx, i64_rem_u(forwarded(acc), imm64(imm)));
        put!(s, acc, dst, value);
    }
    I64AndAImm { dst, imm } => {
        put!(s, acc, dst, i64_and(forwarded(acc), imm64(imm)));
    }
    I64OrAImm { dst, imm } => {
        put!(s, acc, dst, i64_or(forwarded(acc), imm64(imm)));
    }
    I64XorAImm { dst, imm } => {
        put!(s, acc, dst, i64_xor(forwarded(acc), imm64(imm)));
    }
    I64ShlAImm { dst, imm } => {
        put!(s, acc, dst, i64_shl(forwarded(acc), imm64(imm)));
    }
    I64ShrSAImm { dst, imm } => {
        put!(s, acc, dst, i64_shr_s(forwarded(acc), imm64(imm)));
    }
    I64ShrUAImm { dst, imm } => {
        put!(s, acc, dst, i64_shr_u(forwarded(acc), imm64(imm)));
    }
    I64RotlAImm { dst, imm } => {
        put!(s, acc, dst, i64_rotl(forwarded(acc), imm64(imm)));
    }
    I64RotrAImm { dst, imm } => {
        put!(s, acc, dst, i64_rotr(forwarded(acc), imm64(imm)));
    }
    I64EqAImm { dst, imm } => {
        put!(s, acc, dst, i64_eq(forwarded(acc), imm64(imm)));
    }
    I64NeAImm { dst, imm } => {
        put!(s, acc, dst, i64_ne(forwarded(acc), imm64(imm)));
    }
    I64LtSAImm { dst, imm } => {
        put!(s, acc, dst, i64_lt_s(forwarded(acc), imm64(imm)));
    }
    I64LtUAImm { dst, imm } => {
        put!(s, acc, dst, i64_lt_u(forwarded(acc), imm64(imm)));
    }
    I64GtSAImm { dst, imm } => {
        put!(s, acc, dst, i64_gt_s(forwarded(acc), imm64(imm)));
    }
    I64GtUAImm { dst, imm } => {
        put!(s, acc, dst, i64_gt_u(forwarded(acc), imm64(imm)));
    }
    I64LeSAImm { dst, imm } => {
        put!(s, acc, dst, i64_le_s(forwarded(acc), imm64(imm)));
    }
    I64LeUAImm { dst, imm } => {
        put!(s, acc, dst, i64_le_u(forwarded(acc), imm64(imm)));
    }
    I64GeSAImm { dst, imm } => {
        put!(s, acc, dst, i64_ge_s(forwarded(acc), imm64(imm)));
    }
    I64GeUAImm { dst, imm } => {
        put!(s, acc, dst, i64_ge_u(forwarded(acc), imm64(imm)));
    }
    I64SubB { dst, a } => {
        put!(s, acc, dst, i64_sub(s.read(a), forwarded(acc)));
    }
    I64DivSB { dst, a } => {
        let value = trap_on!(ctx, i64_div_s(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64DivUB { dst, a } => {
        let value = trap_on!(ctx, i64_div_u(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64RemSB { dst, a } => {
        let value = trap_on!(ctx, i64_rem_s(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64RemUB { dst, a } => {
        let value = trap_on!(ctx, i64_rem_u(s.read(a), forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64ShlB { dst, a } => {
        put!(s, acc, dst, i64_shl(s.read(a), forwarded(acc)));
    }
    I64ShrSB { dst, a } => {
        put!(s, acc, dst, i64_shr_s(s.read(a), forwarded(acc)));
    }
    I64ShrUB { dst, a } => {
        put!(s, acc, dst, i64_shr_u(s.read(a), forwarded(acc)));
    }
    I64RotlB { dst, a } => {
        put!(s, acc, dst, i64_rotl(s.read(a), forwarded(acc)));
    }
    I64RotrB { dst, a } => {
        put!(s, acc, dst, i64_rotr(s.read(a), forwarded(acc)));
    }
    I64Clz { dst, src } => {
        put!(s, acc, dst, i64_clz(s.read(src)));
    }
    I64ClzA { dst } => {
        put!(s, acc, dst, i64_clz(forwarded(acc)));
    }
    I64Ctz { dst, src } => {
        put!(s, acc, dst, i64_ctz(s.read(src)));
    }
    I64CtzA { dst } => {
        put!(s, acc, dst, i64_ctz(forwarded(acc)));
    }
    I64Popcnt { dst, src } => {
        put!(s, acc, dst, i64_popcnt(s.read(src)));
    }
    I64PopcntA { dst } => {
        put!(s, acc, dst, i64_popcnt(forwarded(acc)));
    }
    I64Extend8S { dst, src } => {
        put!(s, acc, dst, i64_extend8_s(s.read(src)));
    }
    I64Extend8SA { dst } => {
        put!(s, acc, dst, i64_extend8_s(forwarded(acc)));
    }
    I64Extend16S { dst, src } => {
        put!(s, acc, dst, i64_extend16_s(s.read(src)));
    }
    I64Extend16SA { dst } => {
        put!(s, acc, dst, i64_extend16_s(forwarded(acc)));
    }
    I64Extend32S { dst, src } => {
        put!(s, acc, dst, i64_extend32_s(s.read(src)));
    }
    I64Extend32SA { dst } => {
        put!(s, acc, dst, i64_extend32_s(forwarded(acc)));
    }
    I32ShrUAndImm { shift, dst, a, mask } => {
        let field = i32_shr_u(s.read(a), shift as u32);
        put!(s, acc, dst, i32_and(field, mask as u32));
    }
    I32AddShl { shift, dst, index, base } => {
        let scaled = i32_shl(s.read(index), shift as u32);
        put!(s, acc, dst, i32_add(s.read(base), scaled as i32));
    }
}
