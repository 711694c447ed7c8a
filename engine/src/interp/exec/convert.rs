//! Conversions. Trapping float-to-int conversions check the range before converting: the
//! bounds are the first values whose truncation falls outside the target type.

use super::forwarded;
use crate::TrapKind;

/// Truncates `a` if `lo < a < hi` (the exclusive bounds of values that truncate in range).
macro_rules! checked_trunc {
    ($a:expr, $lo:expr, $hi:expr, $to:ty) => {{
        let a = $a;
        if a.is_nan() {
            Err(TrapKind::BadConversionToInteger)
        } else if a > $lo && a < $hi {
            Ok(a as $to)
        } else {
            Err(TrapKind::IntegerOverflow)
        }
    }};
}

pub(super) fn i32_wrap_i64(a: u64) -> u32 {
    a as u32
}
pub(super) fn i64_extend_i32_s(a: i32) -> i64 {
    a as i64
}
pub(super) fn i32_trunc_f32_s(a: f32) -> Result<i32, TrapKind> {
    checked_trunc!(a, -2147483904.0f32, 2147483648.0f32, i32)
}
pub(super) fn i32_trunc_f32_u(a: f32) -> Result<u32, TrapKind> {
    checked_trunc!(a, -1.0f32, 4294967296.0f32, u32)
}
pub(super) fn i32_trunc_f64_s(a: f64) -> Result<i32, TrapKind> {
    checked_trunc!(a, -2147483649.0f64, 2147483648.0f64, i32)
}
pub(super) fn i32_trunc_f64_u(a: f64) -> Result<u32, TrapKind> {
    checked_trunc!(a, -1.0f64, 4294967296.0f64, u32)
}
pub(super) fn i64_trunc_f32_s(a: f32) -> Result<i64, TrapKind> {
    checked_trunc!(a, -9223373136366403584.0f32, 9223372036854775808.0f32, i64)
}
pub(super) fn i64_trunc_f32_u(a: f32) -> Result<u64, TrapKind> {
    checked_trunc!(a, -1.0f32, 18446744073709551616.0f32, u64)
}
pub(super) fn i64_trunc_f64_s(a: f64) -> Result<i64, TrapKind> {
    checked_trunc!(a, -9223372036854777856.0f64, 9223372036854775808.0f64, i64)
}
pub(super) fn i64_trunc_f64_u(a: f64) -> Result<u64, TrapKind> {
    checked_trunc!(a, -1.0f64, 18446744073709551616.0f64, u64)
}

// Rust's `as` casts from float to int saturate and map NaN to 0, as the `_sat` forms require.
pub(super) fn i32_trunc_sat_f32_s(a: f32) -> i32 {
    a as i32
}
pub(super) fn i32_trunc_sat_f32_u(a: f32) -> u32 {
    a as u32
}
pub(super) fn i32_trunc_sat_f64_s(a: f64) -> i32 {
    a as i32
}
pub(super) fn i32_trunc_sat_f64_u(a: f64) -> u32 {
    a as u32
}
pub(super) fn i64_trunc_sat_f32_s(a: f32) -> i64 {
    a as i64
}
pub(super) fn i64_trunc_sat_f32_u(a: f32) -> u64 {
    a as u64
}
pub(super) fn i64_trunc_sat_f64_s(a: f64) -> i64 {
    a as i64
}
pub(super) fn i64_trunc_sat_f64_u(a: f64) -> u64 {
    a as u64
}

// Rust's int-to-float `as` casts round to nearest, ties to even, as Wasm's `convert` does.
pub(super) fn f32_convert_i32_s(a: i32) -> f32 {
    a as f32
}
pub(super) fn f32_convert_i32_u(a: u32) -> f32 {
    a as f32
}
pub(super) fn f32_convert_i64_s(a: i64) -> f32 {
    a as f32
}
pub(super) fn f32_convert_i64_u(a: u64) -> f32 {
    a as f32
}
pub(super) fn f64_convert_i32_s(a: i32) -> f64 {
    a as f64
}
pub(super) fn f64_convert_i32_u(a: u32) -> f64 {
    a as f64
}
pub(super) fn f64_convert_i64_s(a: i64) -> f64 {
    a as f64
}
pub(super) fn f64_convert_i64_u(a: u64) -> f64 {
    a as f64
}
pub(super) fn f32_demote_f64(a: f64) -> f32 {
    a as f32
}
pub(super) fn f64_promote_f32(a: f32) -> f64 {
    a as f64
}

handlers! { |ctx, pc, s, mem, acc|
    I32WrapI64 { dst, src } => {
        put!(s, acc, dst, i32_wrap_i64(s.read(src)));
    }
    I32WrapI64A { dst } => {
        put!(s, acc, dst, i32_wrap_i64(forwarded(acc)));
    }
    I64ExtendI32S { dst, src } => {
        put!(s, acc, dst, i64_extend_i32_s(s.read(src)));
    }
    I64ExtendI32SA { dst } => {
        put!(s, acc, dst, i64_extend_i32_s(forwarded(acc)));
    }
    I32TruncF32S { dst, src } => {
        let value = trap_on!(ctx, i32_trunc_f32_s(s.read(src)));
        put!(s, acc, dst, value);
    }
    I32TruncF32SA { dst } => {
        let value = trap_on!(ctx, i32_trunc_f32_s(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32TruncF32U { dst, src } => {
        let value = trap_on!(ctx, i32_trunc_f32_u(s.read(src)));
        put!(s, acc, dst, value);
    }
    I32TruncF32UA { dst } => {
        let value = trap_on!(ctx, i32_trunc_f32_u(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32TruncF64S { dst, src } => {
        let value = trap_on!(ctx, i32_trunc_f64_s(s.read(src)));
        put!(s, acc, dst, value);
    }
    I32TruncF64SA { dst } => {
        let value = trap_on!(ctx, i32_trunc_f64_s(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32TruncF64U { dst, src } => {
        let value = trap_on!(ctx, i32_trunc_f64_u(s.read(src)));
        put!(s, acc, dst, value);
    }
    I32TruncF64UA { dst } => {
        let value = trap_on!(ctx, i32_trunc_f64_u(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64TruncF32S { dst, src } => {
        let value = trap_on!(ctx, i64_trunc_f32_s(s.read(src)));
        put!(s, acc, dst, value);
    }
    I64TruncF32SA { dst } => {
        let value = trap_on!(ctx, i64_trunc_f32_s(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64TruncF32U { dst, src } => {
        let value = trap_on!(ctx, i64_trunc_f32_u(s.read(src)));
        put!(s, acc, dst, value);
    }
    I64TruncF32UA { dst } => {
        let value = trap_on!(ctx, i64_trunc_f32_u(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64TruncF64S { dst, src } => {
        let value = trap_on!(ctx, i64_trunc_f64_s(s.read(src)));
        put!(s, acc, dst, value);
    }
    I64TruncF64SA { dst } => {
        let value = trap_on!(ctx, i64_trunc_f64_s(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I64TruncF64U { dst, src } => {
        let value = trap_on!(ctx, i64_trunc_f64_u(s.read(src)));
        put!(s, acc, dst, value);
    }
    I64TruncF64UA { dst } => {
        let value = trap_on!(ctx, i64_trunc_f64_u(forwarded(acc)));
        put!(s, acc, dst, value);
    }
    I32TruncSatF32S { dst, src } => {
        put!(s, acc, dst, i32_trunc_sat_f32_s(s.read(src)));
    }
    I32TruncSatF32SA { dst } => {
        put!(s, acc, dst, i32_trunc_sat_f32_s(forwarded(acc)));
    }
    I32TruncSatF32U { dst, src } => {
        put!(s, acc, dst, i32_trunc_sat_f32_u(s.read(src)));
    }
    I32TruncSatF32UA { dst } => {
        put!(s, acc, dst, i32_trunc_sat_f32_u(forwarded(acc)));
    }
    I32TruncSatF64S { dst, src } => {
        put!(s, acc, dst, i32_trunc_sat_f64_s(s.read(src)));
    }
    I32TruncSatF64SA { dst } => {
        put!(s, acc, dst, i32_trunc_sat_f64_s(forwarded(acc)));
    }
    I32TruncSatF64U { dst, src } => {
        put!(s, acc, dst, i32_trunc_sat_f64_u(s.read(src)));
    }
    I32TruncSatF64UA { dst } => {
        put!(s, acc, dst, i32_trunc_sat_f64_u(forwarded(acc)));
    }
    I64TruncSatF32S { dst, src } => {
        put!(s, acc, dst, i64_trunc_sat_f32_s(s.read(src)));
    }
    I64TruncSatF32SA { dst } => {
        put!(s, acc, dst, i64_trunc_sat_f32_s(forwarded(acc)));
    }
    I64TruncSatF32U { dst, src } => {
        put!(s, acc, dst, i64_trunc_sat_f32_u(s.read(src)));
    }
    I64TruncSatF32UA { dst } => {
        put!(s, acc, dst, i64_trunc_sat_f32_u(forwarded(acc)));
    }
    I64TruncSatF64S { dst, src } => {
        put!(s, acc, dst, i64_trunc_sat_f64_s(s.read(src)));
    }
    I64TruncSatF64SA { dst } => {
        put!(s, acc, dst, i64_trunc_sat_f64_s(forwarded(acc)));
    }
    I64TruncSatF64U { dst, src } => {
        put!(s, acc, dst, i64_trunc_sat_f64_u(s.read(src)));
    }
    I64TruncSatF64UA { dst } => {
        put!(s, acc, dst, i64_trunc_sat_f64_u(forwarded(acc)));
    }
    F32ConvertI32S { dst, src } => {
        put!(s, acc, dst, f32_convert_i32_s(s.read(src)));
    }
    F32ConvertI32SA { dst } => {
        put!(s, acc, dst, f32_convert_i32_s(forwarded(acc)));
    }
    F32ConvertI32U { dst, src } => {
        put!(s, acc, dst, f32_convert_i32_u(s.read(src)));
    }
    F32ConvertI32UA { dst } => {
        put!(s, acc, dst, f32_convert_i32_u(forwarded(acc)));
    }
    F32ConvertI64S { dst, src } => {
        put!(s, acc, dst, f32_convert_i64_s(s.read(src)));
    }
    F32ConvertI64SA { dst } => {
        put!(s, acc, dst, f32_convert_i64_s(forwarded(acc)));
    }
    F32ConvertI64U { dst, src } => {
        put!(s, acc, dst, f32_convert_i64_u(s.read(src)));
    }
    F32ConvertI64UA { dst } => {
        put!(s, acc, dst, f32_convert_i64_u(forwarded(acc)));
    }
    F64ConvertI32S { dst, src } => {
        put!(s, acc, dst, f64_convert_i32_s(s.read(src)));
    }
    F64ConvertI32SA { dst } => {
        put!(s, acc, dst, f64_convert_i32_s(forwarded(acc)));
    }
    F64ConvertI32U { dst, src } => {
        put!(s, acc, dst, f64_convert_i32_u(s.read(src)));
    }
    F64ConvertI32UA { dst } => {
        put!(s, acc, dst, f64_convert_i32_u(forwarded(acc)));
    }
    F64ConvertI64S { dst, src } => {
        put!(s, acc, dst, f64_convert_i64_s(s.read(src)));
    }
    F64ConvertI64SA { dst } => {
        put!(s, acc, dst, f64_convert_i64_s(forwarded(acc)));
    }
    F64ConvertI64U { dst, src } => {
        put!(s, acc, dst, f64_convert_i64_u(s.read(src)));
    }
    F64ConvertI64UA { dst } => {
        put!(s, acc, dst, f64_convert_i64_u(forwarded(acc)));
    }
    F32DemoteF64 { dst, src } => {
        put!(s, acc, dst, f32_demote_f64(s.read(src)));
    }
    F32DemoteF64A { dst } => {
        put!(s, acc, dst, f32_demote_f64(forwarded(acc)));
    }
    F64PromoteF32 { dst, src } => {
        put!(s, acc, dst, f64_promote_f32(s.read(src)));
    }
    F64PromoteF32A { dst } => {
        put!(s, acc, dst, f64_promote_f32(forwarded(acc)));
    }
}
