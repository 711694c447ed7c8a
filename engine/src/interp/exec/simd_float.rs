//! SIMD float lanes. Each lane follows the scalar operation's rules (`float.rs`: NaN
//! propagation, signed zeros, rounding); only `pmin`/`pmax`, which have no scalar form, are
//! defined here.

use super::float::{
    f32_abs, f32_add, f32_ceil, f32_div, f32_eq, f32_floor, f32_ge, f32_gt, f32_le, f32_lt,
    f32_max, f32_min, f32_mul, f32_ne, f32_nearest, f32_neg, f32_sqrt, f32_sub, f32_trunc, f64_abs,
    f64_add, f64_ceil, f64_div, f64_eq, f64_floor, f64_ge, f64_gt, f64_le, f64_lt, f64_max,
    f64_min, f64_mul, f64_ne, f64_nearest, f64_neg, f64_sqrt, f64_sub, f64_trunc,
};
use super::simd::{compare, map, zip};

/// Pseudo-minimum: `b < a ? b : a`, so a NaN or a zero of either sign in `a` is kept unless
/// `b` is strictly less.
fn pmin<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

/// Pseudo-maximum: `a < b ? b : a`.
fn pmax<T: PartialOrd>(a: T, b: T) -> T {
    if a < b {
        b
    } else {
        a
    }
}

handlers! { |ctx, pc, s, mem, acc|
    F32x4Eq { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_eq); }
    F32x4Ne { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_ne); }
    F32x4Lt { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_lt); }
    F32x4Gt { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_gt); }
    F32x4Le { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_le); }
    F32x4Ge { dst, a, b } => { compare::<f32, 4>(s, dst, a, b, f32_ge); }
    F32x4Ceil { dst, src } => { map::<f32, f32, 4>(s, dst, src, f32_ceil); }
    F32x4Floor { dst, src } => { map::<f32, f32, 4>(s, dst, src, f32_floor); }
    F32x4Trunc { dst, src } => { map::<f32, f32, 4>(s, dst, src, f32_trunc); }
    F32x4Nearest { dst, src } => { map::<f32, f32, 4>(s, dst, src, f32_nearest); }
    F32x4Abs { dst, src } => { map::<u32, u32, 4>(s, dst, src, f32_abs); }
    F32x4Neg { dst, src } => { map::<u32, u32, 4>(s, dst, src, f32_neg); }
    F32x4Sqrt { dst, src } => { map::<f32, f32, 4>(s, dst, src, f32_sqrt); }
    F32x4Add { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_add); }
    F32x4Sub { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_sub); }
    F32x4Mul { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_mul); }
    F32x4Div { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_div); }
    F32x4Min { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_min); }
    F32x4Max { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, f32_max); }
    F32x4PMin { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, pmin); }
    F32x4PMax { dst, a, b } => { zip::<f32, 4>(s, dst, a, b, pmax); }

    F64x2Eq { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_eq); }
    F64x2Ne { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_ne); }
    F64x2Lt { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_lt); }
    F64x2Gt { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_gt); }
    F64x2Le { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_le); }
    F64x2Ge { dst, a, b } => { compare::<f64, 2>(s, dst, a, b, f64_ge); }
    F64x2Ceil { dst, src } => { map::<f64, f64, 2>(s, dst, src, f64_ceil); }
    F64x2Floor { dst, src } => { map::<f64, f64, 2>(s, dst, src, f64_floor); }
    F64x2Trunc { dst, src } => { map::<f64, f64, 2>(s, dst, src, f64_trunc); }
    F64x2Nearest { dst, src } => { map::<f64, f64, 2>(s, dst, src, f64_nearest); }
    F64x2Abs { dst, src } => { map::<u64, u64, 2>(s, dst, src, f64_abs); }
    F64x2Neg { dst, src } => { map::<u64, u64, 2>(s, dst, src, f64_neg); }
    F64x2Sqrt { dst, src } => { map::<f64, f64, 2>(s, dst, src, f64_sqrt); }
    F64x2Add { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_add); }
    F64x2Sub { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_sub); }
    F64x2Mul { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_mul); }
    F64x2Div { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_div); }
    F64x2Min { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_min); }
    F64x2Max { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, f64_max); }
    F64x2PMin { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, pmin); }
    F64x2PMax { dst, a, b } => { zip::<f64, 2>(s, dst, a, b, pmax); }
}
