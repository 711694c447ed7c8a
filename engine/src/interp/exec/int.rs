//! Integer operations, with the spec's trapping rules for division.

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
