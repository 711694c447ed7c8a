//! Script values and the engine's [`Val`]: arguments in, results checked against expectations
//! (NaN patterns, per-lane `v128` patterns, reference expectations, `either` alternatives).

use flint_engine::Val;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};

/// Converts an `invoke` argument; `Err` says why the runner cannot represent it.
pub(crate) fn arg_to_val(arg: &WastArg<'_>) -> Result<Val, String> {
    let core = match arg {
        WastArg::Core(core) => core,
        _ => return Err("component-model argument".into()),
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(heap) => match null_kind(heap)? {
            NullKind::Func => Val::FuncRef(None),
            NullKind::Extern => Val::ExternRef(None),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(*n)),
        WastArgCore::RefHost(_) => return Err("`ref.host` argument (GC proposal)".into()),
    })
}

enum NullKind {
    Func,
    Extern,
}

fn null_kind(heap: &HeapType<'_>) -> Result<NullKind, String> {
    match heap {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Ok(NullKind::Func),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Ok(NullKind::Extern),
        other => Err(format!("null reference of heap type {other:?}")),
    }
}

/// Whether `actual` satisfies `expected`; `Err` says why the runner cannot check it.
pub(crate) fn matches(expected: &WastRet<'_>, actual: &Val) -> Result<bool, String> {
    match expected {
        WastRet::Core(core) => matches_core(core, actual),
        _ => Err("component-model result".into()),
    }
}

fn matches_core(expected: &WastRetCore<'_>, actual: &Val) -> Result<bool, String> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(heap), actual) => {
            let kind = heap.as_ref().map(null_kind).transpose()?;
            matches!(
                (kind, actual),
                (None, Val::FuncRef(None) | Val::ExternRef(None))
                    | (Some(NullKind::Func), Val::FuncRef(None))
                    | (Some(NullKind::Extern), Val::ExternRef(None))
            )
        }
        (WastRetCore::RefExtern(e), Val::ExternRef(Some(a))) => e.is_none_or(|e| e == *a),
        // The script names the function by an index of the module that made it, which the
        // embedder API cannot map back; any non-null function reference is accepted.
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::Either(alternatives), actual) => {
            for alt in alternatives {
                if matches_core(alt, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => {
            return Err(format!(
                "GC-proposal expectation {}",
                describe_core(expected)
            ))
        }
        _ => false,
    })
}

fn f32_matches(expected: &NanPattern<F32>, bits: u32) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<F64>, bits: u64) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Lane `i` of `width` bits of a little-endian `v128`.
fn lane(v: u128, width: u32, i: usize) -> u128 {
    let mask = if width == 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    };
    (v >> (width as usize * i)) & mask
}

fn v128_matches(expected: &V128Pattern, v: u128) -> bool {
    match expected {
        V128Pattern::I8x16(l) => (0..16).all(|i| lane(v, 8, i) == l[i] as u8 as u128),
        V128Pattern::I16x8(l) => (0..8).all(|i| lane(v, 16, i) == l[i] as u16 as u128),
        V128Pattern::I32x4(l) => (0..4).all(|i| lane(v, 32, i) == l[i] as u32 as u128),
        V128Pattern::I64x2(l) => (0..2).all(|i| lane(v, 64, i) == l[i] as u64 as u128),
        V128Pattern::F32x4(l) => (0..4).all(|i| f32_matches(&l[i], lane(v, 32, i) as u32)),
        V128Pattern::F64x2(l) => (0..2).all(|i| f64_matches(&l[i], lane(v, 64, i) as u64)),
    }
}

/// A value as the report shows it, e.g. `i32:42` or `f32:nan (0x7fc00000)`.
pub(crate) fn describe_val(v: &Val) -> String {
    match *v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(b) => format!("f32:{} ({b:#010x})", f32::from_bits(b)),
        Val::F64(b) => format!("f64:{} ({b:#018x})", f64::from_bits(b)),
        Val::V128(x) => format!("v128:{x:#034x}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(f)) => format!("ref.func {f:?}"),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(n)) => format!("ref.extern {n}"),
    }
}

/// A list of values, e.g. `(i32:1 i64:2)`.
pub(crate) fn describe_vals(vals: &[Val]) -> String {
    let parts: Vec<String> = vals.iter().map(describe_val).collect();
    format!("({})", parts.join(" "))
}

/// `invoke` arguments as the report shows them, e.g. ` i32:1 f32:2 (0x40000000)`.
pub(crate) fn describe_args(args: &[WastArg<'_>]) -> String {
    args.iter()
        .map(|a| match arg_to_val(a) {
            Ok(v) => format!(" {}", describe_val(&v)),
            Err(why) => format!(" <{why}>"),
        })
        .collect()
}

/// A list of expectations, in the same style as [`describe_vals`].
pub(crate) fn describe_rets(rets: &[WastRet<'_>]) -> String {
    let parts: Vec<String> = rets
        .iter()
        .map(|r| match r {
            WastRet::Core(core) => describe_core(core),
            _ => "<component value>".into(),
        })
        .collect();
    format!("({})", parts.join(" "))
}

fn describe_f32(p: &NanPattern<F32>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => format!("{} ({:#010x})", f32::from_bits(v.bits), v.bits),
    }
}

fn describe_f64(p: &NanPattern<F64>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => format!("{} ({:#018x})", f64::from_bits(v.bits), v.bits),
    }
}

fn describe_v128(p: &V128Pattern) -> String {
    fn join<T>(lanes: &[T], f: impl Fn(&T) -> String) -> String {
        lanes.iter().map(f).collect::<Vec<_>>().join(" ")
    }
    match p {
        V128Pattern::I8x16(l) => format!("i8x16 {}", join(l, |x| x.to_string())),
        V128Pattern::I16x8(l) => format!("i16x8 {}", join(l, |x| x.to_string())),
        V128Pattern::I32x4(l) => format!("i32x4 {}", join(l, |x| x.to_string())),
        V128Pattern::I64x2(l) => format!("i64x2 {}", join(l, |x| x.to_string())),
        V128Pattern::F32x4(l) => format!("f32x4 {}", join(l, describe_f32)),
        V128Pattern::F64x2(l) => format!("f64x2 {}", join(l, describe_f64)),
    }
}

fn describe_core(r: &WastRetCore<'_>) -> String {
    match r {
        WastRetCore::I32(x) => format!("i32:{x}"),
        WastRetCore::I64(x) => format!("i64:{x}"),
        WastRetCore::F32(p) => format!("f32:{}", describe_f32(p)),
        WastRetCore::F64(p) => format!("f64:{}", describe_f64(p)),
        WastRetCore::V128(p) => format!("v128:{}", describe_v128(p)),
        WastRetCore::RefNull(None) => "ref.null".into(),
        WastRetCore::RefNull(Some(h)) => match null_kind(h) {
            Ok(NullKind::Func) => "ref.null func".into(),
            Ok(NullKind::Extern) => "ref.null extern".into(),
            Err(_) => format!("ref.null {h:?}"),
        },
        WastRetCore::RefExtern(None) => "ref.extern".into(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefHost(n) => format!("ref.host {n}"),
        WastRetCore::RefFunc(_) => "ref.func".into(),
        WastRetCore::RefAny => "ref.any".into(),
        WastRetCore::RefEq => "ref.eq".into(),
        WastRetCore::RefArray => "ref.array".into(),
        WastRetCore::RefStruct => "ref.struct".into(),
        WastRetCore::RefI31 => "ref.i31".into(),
        WastRetCore::RefI31Shared => "ref.i31_shared".into(),
        WastRetCore::Either(alts) => {
            let parts: Vec<String> = alts.iter().map(describe_core).collect();
            format!("either({})", parts.join(" | "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f32p(p: NanPattern<F32>, bits: u32) -> bool {
        f32_matches(&p, bits)
    }

    #[test]
    fn f32_nan_patterns() {
        assert!(f32p(NanPattern::CanonicalNan, 0x7fc0_0000));
        assert!(f32p(NanPattern::CanonicalNan, 0xffc0_0000));
        assert!(!f32p(NanPattern::CanonicalNan, 0x7fc0_0001));
        assert!(f32p(NanPattern::ArithmeticNan, 0x7fc0_0001));
        assert!(f32p(NanPattern::ArithmeticNan, 0xffe0_0000));
        assert!(!f32p(NanPattern::ArithmeticNan, 0x7fa0_0000));
        assert!(!f32p(NanPattern::ArithmeticNan, 0x3f80_0000));
        assert!(f32p(
            NanPattern::Value(F32 { bits: 0x7fa0_0000 }),
            0x7fa0_0000
        ));
        assert!(!f32p(NanPattern::Value(F32 { bits: 0 }), 0x8000_0000));
    }

    #[test]
    fn f64_nan_patterns() {
        assert!(f64_matches(
            &NanPattern::CanonicalNan,
            0xfff8_0000_0000_0000
        ));
        assert!(!f64_matches(
            &NanPattern::CanonicalNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(!f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff4_0000_0000_0000
        ));
    }

    #[test]
    fn v128_lanes_are_little_endian() {
        let v = u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(v128_matches(&V128Pattern::I32x4([1, 2, 3, -1]), v));
        assert!(!v128_matches(&V128Pattern::I32x4([1, 2, 3, 4]), v));
        assert!(v128_matches(
            &V128Pattern::I64x2([0x0000_0002_0000_0001, -0x0000_0000_ffff_fffd]),
            v
        ));
        let nans = 0x7fc0_0000_u128 | (0xffc0_0000_u128 << 32) | (0x7fc0_0001_u128 << 64);
        let lanes = [
            NanPattern::CanonicalNan,
            NanPattern::CanonicalNan,
            NanPattern::ArithmeticNan,
            NanPattern::Value(F32 { bits: 0 }),
        ];
        assert!(v128_matches(&V128Pattern::F32x4(lanes), nans));
    }
}
