//! SIMD conversions between lane types: saturating narrowing, widening, float/integer
//! conversions and float precision changes. Lanes convert like the scalar operations
//! (`convert.rs`).

use super::convert::{
    f32_convert_i32_s, f32_convert_i32_u, f32_demote_f64, f64_convert_i32_s, f64_convert_i32_u,
    f64_promote_f32, i32_trunc_sat_f32_s, i32_trunc_sat_f32_u, i32_trunc_sat_f64_s,
    i32_trunc_sat_f64_u,
};
use super::simd::{from_lanes, get, half, lanes, map, set, Lane};
use super::slots::Slots;
use crate::interp::code::Slot;

/// The lanes of `a` and then those of `b`, each narrowed to half its width by `f`.
#[inline(never)]
fn narrow<T: Lane, R: Lane, const N: usize, const M: usize>(
    s: Slots,
    dst: Slot,
    a: Slot,
    b: Slot,
    f: impl Fn(T) -> R,
) {
    const { assert!(M == 2 * N) };
    let (a, b) = (lanes::<T, N>(get(s, a)), lanes::<T, N>(get(s, b)));
    set(
        s,
        dst,
        from_lanes::<R, M>(std::array::from_fn(|i| {
            f(if i < N { a[i] } else { b[i - N] })
        })),
    );
}

/// The low (or high) half of the lanes of `src`, each converted to twice its width by `f`.
#[inline(never)]
fn widen<T: Lane, R: Lane, const N: usize, const M: usize>(
    s: Slots,
    dst: Slot,
    src: Slot,
    high: bool,
    f: impl Fn(T) -> R,
) {
    set(
        s,
        dst,
        from_lanes::<R, M>(half::<T, N, M>(get(s, src), high).map(f)),
    );
}

/// The two `f64` lanes of `src` converted by `f` to the low two of four 32-bit lanes, the
/// others zero.
#[inline(never)]
fn f64x2_to_low<R: Lane + Default>(s: Slots, dst: Slot, src: Slot, f: impl Fn(f64) -> R) {
    let [x, y] = lanes::<f64, 2>(get(s, src));
    set(
        s,
        dst,
        from_lanes::<R, 4>([f(x), f(y), R::default(), R::default()]),
    );
}

handlers! { |ctx, pc, s, mem, acc|
    I8x16NarrowI16x8S { dst, a, b } => {
        narrow::<i16, i8, 8, 16>(s, dst, a, b, |x| x.clamp(i8::MIN as i16, i8::MAX as i16) as i8);
    }
    I8x16NarrowI16x8U { dst, a, b } => {
        narrow::<i16, u8, 8, 16>(s, dst, a, b, |x| x.clamp(0, u8::MAX as i16) as u8);
    }
    I16x8NarrowI32x4S { dst, a, b } => {
        narrow::<i32, i16, 4, 8>(s, dst, a, b, |x| x.clamp(i16::MIN as i32, i16::MAX as i32) as i16);
    }
    I16x8NarrowI32x4U { dst, a, b } => {
        narrow::<i32, u16, 4, 8>(s, dst, a, b, |x| x.clamp(0, u16::MAX as i32) as u16);
    }
    I16x8ExtendLowI8x16S { dst, src } => { widen::<i8, i16, 16, 8>(s, dst, src, false, i16::from); }
    I16x8ExtendHighI8x16S { dst, src } => { widen::<i8, i16, 16, 8>(s, dst, src, true, i16::from); }
    I16x8ExtendLowI8x16U { dst, src } => { widen::<u8, u16, 16, 8>(s, dst, src, false, u16::from); }
    I16x8ExtendHighI8x16U { dst, src } => { widen::<u8, u16, 16, 8>(s, dst, src, true, u16::from); }
    I32x4ExtendLowI16x8S { dst, src } => { widen::<i16, i32, 8, 4>(s, dst, src, false, i32::from); }
    I32x4ExtendHighI16x8S { dst, src } => { widen::<i16, i32, 8, 4>(s, dst, src, true, i32::from); }
    I32x4ExtendLowI16x8U { dst, src } => { widen::<u16, u32, 8, 4>(s, dst, src, false, u32::from); }
    I32x4ExtendHighI16x8U { dst, src } => { widen::<u16, u32, 8, 4>(s, dst, src, true, u32::from); }
    I64x2ExtendLowI32x4S { dst, src } => { widen::<i32, i64, 4, 2>(s, dst, src, false, i64::from); }
    I64x2ExtendHighI32x4S { dst, src } => { widen::<i32, i64, 4, 2>(s, dst, src, true, i64::from); }
    I64x2ExtendLowI32x4U { dst, src } => { widen::<u32, u64, 4, 2>(s, dst, src, false, u64::from); }
    I64x2ExtendHighI32x4U { dst, src } => { widen::<u32, u64, 4, 2>(s, dst, src, true, u64::from); }
    I32x4TruncSatF32x4S { dst, src } => { map::<f32, i32, 4>(s, dst, src, i32_trunc_sat_f32_s); }
    I32x4TruncSatF32x4U { dst, src } => { map::<f32, u32, 4>(s, dst, src, i32_trunc_sat_f32_u); }
    F32x4ConvertI32x4S { dst, src } => { map::<i32, f32, 4>(s, dst, src, f32_convert_i32_s); }
    F32x4ConvertI32x4U { dst, src } => { map::<u32, f32, 4>(s, dst, src, f32_convert_i32_u); }
    I32x4TruncSatF64x2SZero { dst, src } => { f64x2_to_low(s, dst, src, i32_trunc_sat_f64_s); }
    I32x4TruncSatF64x2UZero { dst, src } => { f64x2_to_low(s, dst, src, i32_trunc_sat_f64_u); }
    F64x2ConvertLowI32x4S { dst, src } => {
        widen::<i32, f64, 4, 2>(s, dst, src, false, f64_convert_i32_s);
    }
    F64x2ConvertLowI32x4U { dst, src } => {
        widen::<u32, f64, 4, 2>(s, dst, src, false, f64_convert_i32_u);
    }
    F32x4DemoteF64x2Zero { dst, src } => { f64x2_to_low(s, dst, src, f32_demote_f64); }
    F64x2PromoteLowF32x4 { dst, src } => {
        widen::<f32, f64, 4, 2>(s, dst, src, false, f64_promote_f32);
    }
}
