//! SIMD lane access (splat, extract, replace, shuffle, swizzle), bitwise operations on whole
//! vectors, and `v128` globals.

use super::simd::{extract, get, replace, set, splat};
use super::slots::Slots;
use super::variables::global_index;
use crate::interp::code::Slot;

/// `i8x16.shuffle` of the vectors in `base` and `base + 2` into `base` (see `Instr`).
#[inline(never)]
fn shuffle(s: Slots, base: Slot, from_b: u16, bytes: u64) {
    let (a, b) = (get(s, base).to_le_bytes(), get(s, base + 2).to_le_bytes());
    let out: [u8; 16] = std::array::from_fn(|i| {
        let byte = (bytes >> (4 * i) & 15) as usize;
        if from_b >> i & 1 != 0 {
            b[byte]
        } else {
            a[byte]
        }
    });
    set(s, base, u128::from_le_bytes(out));
}

/// `i8x16.swizzle`: byte `i` of the result is byte `b[i]` of `a`, or 0 if there is none.
#[inline(never)]
fn swizzle(s: Slots, dst: Slot, a: Slot, b: Slot) {
    let (a, b) = (get(s, a).to_le_bytes(), get(s, b).to_le_bytes());
    let out: [u8; 16] = std::array::from_fn(|i| a.get(b[i] as usize).copied().unwrap_or(0));
    set(s, dst, u128::from_le_bytes(out));
}

handlers! { |ctx, pc, s, mem, acc|
    V128GlobalGet { dst, global } => {
        let index = global_index(ctx, global);
        set(s, dst, ctx.inner.globals[index].value);
    }
    V128GlobalSet { src, global } => {
        let index = global_index(ctx, global);
        ctx.inner.globals[index].value = get(s, src);
    }
    I8x16Splat { dst, src } => {
        set(s, dst, splat(s.get(src), 8));
    }
    I16x8Splat { dst, src } => {
        set(s, dst, splat(s.get(src), 16));
    }
    I32x4Splat { dst, src } => {
        set(s, dst, splat(s.get(src), 32));
    }
    I64x2Splat { dst, src } => {
        set(s, dst, splat(s.get(src), 64));
    }
    I8x16ExtractLaneS { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 8, lane) as i8 as i32);
    }
    I8x16ExtractLaneU { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 8, lane) as u8 as u32);
    }
    I16x8ExtractLaneS { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 16, lane) as i16 as i32);
    }
    I16x8ExtractLaneU { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 16, lane) as u16 as u32);
    }
    I32x4ExtractLane { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 32, lane) as u32);
    }
    I64x2ExtractLane { lane, dst, src } => {
        s.write(dst, extract(get(s, src), 64, lane));
    }
    I8x16ReplaceLane { lane, dst, src, value } => {
        set(s, dst, replace(get(s, src), 8, lane, s.get(value)));
    }
    I16x8ReplaceLane { lane, dst, src, value } => {
        set(s, dst, replace(get(s, src), 16, lane, s.get(value)));
    }
    I32x4ReplaceLane { lane, dst, src, value } => {
        set(s, dst, replace(get(s, src), 32, lane, s.get(value)));
    }
    I64x2ReplaceLane { lane, dst, src, value } => {
        set(s, dst, replace(get(s, src), 64, lane, s.get(value)));
    }
    I8x16Shuffle { from_b, base, bytes } => {
        shuffle(s, base, from_b, bytes);
    }
    I8x16Swizzle { dst, a, b } => {
        swizzle(s, dst, a, b);
    }
    V128Not { dst, src } => {
        set(s, dst, !get(s, src));
    }
    V128And { dst, a, b } => {
        set(s, dst, get(s, a) & get(s, b));
    }
    V128AndNot { dst, a, b } => {
        set(s, dst, get(s, a) & !get(s, b));
    }
    V128Or { dst, a, b } => {
        set(s, dst, get(s, a) | get(s, b));
    }
    V128Xor { dst, a, b } => {
        set(s, dst, get(s, a) ^ get(s, b));
    }
    V128Bitselect { dst, other, mask } => {
        let mask = get(s, mask);
        set(s, dst, get(s, dst) & mask | get(s, other) & !mask);
    }
    V128AnyTrue { dst, src } => {
        s.write(dst, get(s, src) != 0);
    }
}
