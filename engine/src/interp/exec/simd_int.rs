//! SIMD integer lanes: comparisons, wrapping and saturating arithmetic, shifts, reductions to
//! an `i32`, and the widening products and sums (`extmul`, `extadd_pairwise`, `dot`).

use std::ops::{Add, Mul};

use super::simd::{
    all_true, bitmask, compare, from_lanes, get, half, lanes, map, set, shift, zip, Lane,
};
use super::slots::Slots;
use crate::interp::code::Slot;

/// The low (or high) halves of `a` and `b`, widened to `W` and multiplied lane-wise; the
/// product of two widened lanes always fits.
#[inline(never)]
fn extmul<T: Lane, W: Lane + From<T> + Mul<Output = W>, const N: usize, const M: usize>(
    s: Slots,
    dst: Slot,
    a: Slot,
    b: Slot,
    high: bool,
) {
    let a = half::<T, N, M>(get(s, a), high);
    let b = half::<T, N, M>(get(s, b), high);
    set(
        s,
        dst,
        from_lanes::<W, M>(std::array::from_fn(|i| W::from(a[i]) * W::from(b[i]))),
    );
}

/// Sums of adjacent lane pairs, widened to `W`; the sum of two widened lanes always fits.
#[inline(never)]
fn extadd_pairwise<T: Lane, W: Lane + From<T> + Add<Output = W>, const N: usize, const M: usize>(
    s: Slots,
    dst: Slot,
    src: Slot,
) {
    let v = lanes::<T, N>(get(s, src));
    set(
        s,
        dst,
        from_lanes::<W, M>(std::array::from_fn(|i| {
            W::from(v[2 * i]) + W::from(v[2 * i + 1])
        })),
    );
}

/// `i32x4.dot_i16x8_s`: sums of the products of adjacent lane pairs. Only
/// `2 * (-32768 * -32768)` overflows, and it wraps, as the spec says.
#[inline(never)]
fn dot(s: Slots, dst: Slot, a: Slot, b: Slot) {
    let (a, b) = (lanes::<i16, 8>(get(s, a)), lanes::<i16, 8>(get(s, b)));
    let product = |i: usize| a[i] as i32 * b[i] as i32;
    set(
        s,
        dst,
        from_lanes::<i32, 4>(std::array::from_fn(|i| {
            product(2 * i).wrapping_add(product(2 * i + 1))
        })),
    );
}

/// `i16x8.q15mulr_sat_s`: the rounded Q15 product, saturated (only `-1 * -1` needs it).
fn q15mulr_sat(a: i16, b: i16) -> i16 {
    ((a as i32 * b as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
}

handlers! { |ctx, pc, s, mem, acc|
    I8x16Eq { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x == y); }
    I8x16Ne { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x != y); }
    I8x16LtS { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x < y); }
    I8x16LtU { dst, a, b } => { compare::<u8, 16>(s, dst, a, b, |x, y| x < y); }
    I8x16GtS { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x > y); }
    I8x16GtU { dst, a, b } => { compare::<u8, 16>(s, dst, a, b, |x, y| x > y); }
    I8x16LeS { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x <= y); }
    I8x16LeU { dst, a, b } => { compare::<u8, 16>(s, dst, a, b, |x, y| x <= y); }
    I8x16GeS { dst, a, b } => { compare::<i8, 16>(s, dst, a, b, |x, y| x >= y); }
    I8x16GeU { dst, a, b } => { compare::<u8, 16>(s, dst, a, b, |x, y| x >= y); }
    I16x8Eq { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x == y); }
    I16x8Ne { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x != y); }
    I16x8LtS { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x < y); }
    I16x8LtU { dst, a, b } => { compare::<u16, 8>(s, dst, a, b, |x, y| x < y); }
    I16x8GtS { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x > y); }
    I16x8GtU { dst, a, b } => { compare::<u16, 8>(s, dst, a, b, |x, y| x > y); }
    I16x8LeS { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x <= y); }
    I16x8LeU { dst, a, b } => { compare::<u16, 8>(s, dst, a, b, |x, y| x <= y); }
    I16x8GeS { dst, a, b } => { compare::<i16, 8>(s, dst, a, b, |x, y| x >= y); }
    I16x8GeU { dst, a, b } => { compare::<u16, 8>(s, dst, a, b, |x, y| x >= y); }
    I32x4Eq { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x == y); }
    I32x4Ne { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x != y); }
    I32x4LtS { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x < y); }
    I32x4LtU { dst, a, b } => { compare::<u32, 4>(s, dst, a, b, |x, y| x < y); }
    I32x4GtS { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x > y); }
    I32x4GtU { dst, a, b } => { compare::<u32, 4>(s, dst, a, b, |x, y| x > y); }
    I32x4LeS { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x <= y); }
    I32x4LeU { dst, a, b } => { compare::<u32, 4>(s, dst, a, b, |x, y| x <= y); }
    I32x4GeS { dst, a, b } => { compare::<i32, 4>(s, dst, a, b, |x, y| x >= y); }
    I32x4GeU { dst, a, b } => { compare::<u32, 4>(s, dst, a, b, |x, y| x >= y); }
    I64x2Eq { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x == y); }
    I64x2Ne { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x != y); }
    I64x2LtS { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x < y); }
    I64x2GtS { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x > y); }
    I64x2LeS { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x <= y); }
    I64x2GeS { dst, a, b } => { compare::<i64, 2>(s, dst, a, b, |x, y| x >= y); }

    I8x16Abs { dst, src } => { map::<i8, i8, 16>(s, dst, src, i8::wrapping_abs); }
    I8x16Neg { dst, src } => { map::<i8, i8, 16>(s, dst, src, i8::wrapping_neg); }
    I8x16Popcnt { dst, src } => { map::<u8, u8, 16>(s, dst, src, |x| x.count_ones() as u8); }
    I8x16AllTrue { dst, src } => { s.write(dst, all_true::<u8, 16>(s, src)); }
    I8x16Bitmask { dst, src } => { s.write(dst, bitmask::<1>(s, src)); }
    I8x16Shl { dst, a, b } => { shift::<i8, 16>(s, dst, a, b, |x, n| x << n); }
    I8x16ShrS { dst, a, b } => { shift::<i8, 16>(s, dst, a, b, |x, n| x >> n); }
    I8x16ShrU { dst, a, b } => { shift::<u8, 16>(s, dst, a, b, |x, n| x >> n); }
    I8x16Add { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::wrapping_add); }
    I8x16AddSatS { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::saturating_add); }
    I8x16AddSatU { dst, a, b } => { zip::<u8, 16>(s, dst, a, b, u8::saturating_add); }
    I8x16Sub { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::wrapping_sub); }
    I8x16SubSatS { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::saturating_sub); }
    I8x16SubSatU { dst, a, b } => { zip::<u8, 16>(s, dst, a, b, u8::saturating_sub); }
    I8x16MinS { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::min); }
    I8x16MinU { dst, a, b } => { zip::<u8, 16>(s, dst, a, b, u8::min); }
    I8x16MaxS { dst, a, b } => { zip::<i8, 16>(s, dst, a, b, i8::max); }
    I8x16MaxU { dst, a, b } => { zip::<u8, 16>(s, dst, a, b, u8::max); }
    I8x16AvgrU { dst, a, b } => {
        zip::<u8, 16>(s, dst, a, b, |x, y| ((x as u16 + y as u16 + 1) >> 1) as u8);
    }

    I16x8ExtAddPairwiseI8x16S { dst, src } => { extadd_pairwise::<i8, i16, 16, 8>(s, dst, src); }
    I16x8ExtAddPairwiseI8x16U { dst, src } => { extadd_pairwise::<u8, u16, 16, 8>(s, dst, src); }
    I16x8Abs { dst, src } => { map::<i16, i16, 8>(s, dst, src, i16::wrapping_abs); }
    I16x8Neg { dst, src } => { map::<i16, i16, 8>(s, dst, src, i16::wrapping_neg); }
    I16x8AllTrue { dst, src } => { s.write(dst, all_true::<u16, 8>(s, src)); }
    I16x8Bitmask { dst, src } => { s.write(dst, bitmask::<2>(s, src)); }
    I16x8Q15MulrSatS { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, q15mulr_sat); }
    I16x8Shl { dst, a, b } => { shift::<i16, 8>(s, dst, a, b, |x, n| x << n); }
    I16x8ShrS { dst, a, b } => { shift::<i16, 8>(s, dst, a, b, |x, n| x >> n); }
    I16x8ShrU { dst, a, b } => { shift::<u16, 8>(s, dst, a, b, |x, n| x >> n); }
    I16x8Add { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::wrapping_add); }
    I16x8AddSatS { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::saturating_add); }
    I16x8AddSatU { dst, a, b } => { zip::<u16, 8>(s, dst, a, b, u16::saturating_add); }
    I16x8Sub { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::wrapping_sub); }
    I16x8SubSatS { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::saturating_sub); }
    I16x8SubSatU { dst, a, b } => { zip::<u16, 8>(s, dst, a, b, u16::saturating_sub); }
    I16x8Mul { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::wrapping_mul); }
    I16x8MinS { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::min); }
    I16x8MinU { dst, a, b } => { zip::<u16, 8>(s, dst, a, b, u16::min); }
    I16x8MaxS { dst, a, b } => { zip::<i16, 8>(s, dst, a, b, i16::max); }
    I16x8MaxU { dst, a, b } => { zip::<u16, 8>(s, dst, a, b, u16::max); }
    I16x8AvgrU { dst, a, b } => {
        zip::<u16, 8>(s, dst, a, b, |x, y| ((x as u32 + y as u32 + 1) >> 1) as u16);
    }
    I16x8ExtMulLowI8x16S { dst, a, b } => { extmul::<i8, i16, 16, 8>(s, dst, a, b, false); }
    I16x8ExtMulHighI8x16S { dst, a, b } => { extmul::<i8, i16, 16, 8>(s, dst, a, b, true); }
    I16x8ExtMulLowI8x16U { dst, a, b } => { extmul::<u8, u16, 16, 8>(s, dst, a, b, false); }
    I16x8ExtMulHighI8x16U { dst, a, b } => { extmul::<u8, u16, 16, 8>(s, dst, a, b, true); }

    I32x4ExtAddPairwiseI16x8S { dst, src } => { extadd_pairwise::<i16, i32, 8, 4>(s, dst, src); }
    I32x4ExtAddPairwiseI16x8U { dst, src } => { extadd_pairwise::<u16, u32, 8, 4>(s, dst, src); }
    I32x4Abs { dst, src } => { map::<i32, i32, 4>(s, dst, src, i32::wrapping_abs); }
    I32x4Neg { dst, src } => { map::<i32, i32, 4>(s, dst, src, i32::wrapping_neg); }
    I32x4AllTrue { dst, src } => { s.write(dst, all_true::<u32, 4>(s, src)); }
    I32x4Bitmask { dst, src } => { s.write(dst, bitmask::<4>(s, src)); }
    I32x4Shl { dst, a, b } => { shift::<i32, 4>(s, dst, a, b, |x, n| x << n); }
    I32x4ShrS { dst, a, b } => { shift::<i32, 4>(s, dst, a, b, |x, n| x >> n); }
    I32x4ShrU { dst, a, b } => { shift::<u32, 4>(s, dst, a, b, |x, n| x >> n); }
    I32x4Add { dst, a, b } => { zip::<i32, 4>(s, dst, a, b, i32::wrapping_add); }
    I32x4Sub { dst, a, b } => { zip::<i32, 4>(s, dst, a, b, i32::wrapping_sub); }
    I32x4Mul { dst, a, b } => { zip::<i32, 4>(s, dst, a, b, i32::wrapping_mul); }
    I32x4MinS { dst, a, b } => { zip::<i32, 4>(s, dst, a, b, i32::min); }
    I32x4MinU { dst, a, b } => { zip::<u32, 4>(s, dst, a, b, u32::min); }
    I32x4MaxS { dst, a, b } => { zip::<i32, 4>(s, dst, a, b, i32::max); }
    I32x4MaxU { dst, a, b } => { zip::<u32, 4>(s, dst, a, b, u32::max); }
    I32x4DotI16x8S { dst, a, b } => { dot(s, dst, a, b); }
    I32x4ExtMulLowI16x8S { dst, a, b } => { extmul::<i16, i32, 8, 4>(s, dst, a, b, false); }
    I32x4ExtMulHighI16x8S { dst, a, b } => { extmul::<i16, i32, 8, 4>(s, dst, a, b, true); }
    I32x4ExtMulLowI16x8U { dst, a, b } => { extmul::<u16, u32, 8, 4>(s, dst, a, b, false); }
    I32x4ExtMulHighI16x8U { dst, a, b } => { extmul::<u16, u32, 8, 4>(s, dst, a, b, true); }

    I64x2Abs { dst, src } => { map::<i64, i64, 2>(s, dst, src, i64::wrapping_abs); }
    I64x2Neg { dst, src } => { map::<i64, i64, 2>(s, dst, src, i64::wrapping_neg); }
    I64x2AllTrue { dst, src } => { s.write(dst, all_true::<u64, 2>(s, src)); }
    I64x2Bitmask { dst, src } => { s.write(dst, bitmask::<8>(s, src)); }
    I64x2Shl { dst, a, b } => { shift::<i64, 2>(s, dst, a, b, |x, n| x << n); }
    I64x2ShrS { dst, a, b } => { shift::<i64, 2>(s, dst, a, b, |x, n| x >> n); }
    I64x2ShrU { dst, a, b } => { shift::<u64, 2>(s, dst, a, b, |x, n| x >> n); }
    I64x2Add { dst, a, b } => { zip::<i64, 2>(s, dst, a, b, i64::wrapping_add); }
    I64x2Sub { dst, a, b } => { zip::<i64, 2>(s, dst, a, b, i64::wrapping_sub); }
    I64x2Mul { dst, a, b } => { zip::<i64, 2>(s, dst, a, b, i64::wrapping_mul); }
    I64x2ExtMulLowI32x4S { dst, a, b } => { extmul::<i32, i64, 4, 2>(s, dst, a, b, false); }
    I64x2ExtMulHighI32x4S { dst, a, b } => { extmul::<i32, i64, 4, 2>(s, dst, a, b, true); }
    I64x2ExtMulLowI32x4U { dst, a, b } => { extmul::<u32, u64, 4, 2>(s, dst, a, b, false); }
    I64x2ExtMulHighI32x4U { dst, a, b } => { extmul::<u32, u64, 4, 2>(s, dst, a, b, true); }
}
