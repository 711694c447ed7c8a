//! What the SIMD handler families share: `v128` values in their two slots, and their lanes.
//!
//! A `v128` is handled as a `u128` whose little-endian bytes are the lanes, lane 0 first (so
//! the low slot holds the low lanes). The lane-wise helpers are kept out of line: they work on
//! arrays in their own stack frame, and a handler whose own stack memory escaped into a call
//! would lose the tail call that dispatches the next instruction (see `mod.rs`).

use super::slots::Slots;
use crate::interp::code::Slot;

/// The `v128` in `slot` and `slot + 1`.
#[inline(always)]
pub(super) fn get(s: Slots, slot: Slot) -> u128 {
    s.get(slot) as u128 | (s.get(slot + 1) as u128) << 64
}

/// Writes a `v128` to `slot` and `slot + 1`.
#[inline(always)]
pub(super) fn set(s: Slots, slot: Slot, value: u128) {
    s.set(slot, value as u64);
    s.set(slot + 1, (value >> 64) as u64);
}

/// All-ones in the low `bits` bits.
const fn lane_mask(bits: u32) -> u128 {
    u128::MAX >> (128 - bits)
}

/// Every lane of `bits` bits set to the low `bits` of `value`.
#[inline(always)]
pub(super) fn splat(value: u64, bits: u32) -> u128 {
    let mask = lane_mask(bits);
    (value as u128 & mask) * (u128::MAX / mask)
}

/// Lane `lane` of `bits` bits of `v`, in the low bits.
#[inline(always)]
pub(super) fn extract(v: u128, bits: u32, lane: u8) -> u64 {
    (v >> (lane as u32 * bits)) as u64
}

/// `v` with lane `lane` of `bits` bits replaced by the low `bits` of `value`.
#[inline(always)]
pub(super) fn replace(v: u128, bits: u32, lane: u8, value: u64) -> u128 {
    let at = lane as u32 * bits;
    let mask = lane_mask(bits);
    v & !(mask << at) | (value as u128 & mask) << at
}

/// A lane type: a number stored little-endian in `BYTES` bytes of a `v128`. Floats are lanes
/// by their bits, so NaN payloads pass through unchanged.
pub(super) trait Lane: Copy {
    const BYTES: usize;
    fn read(bytes: &[u8]) -> Self;
    fn write(self, bytes: &mut [u8]);
}

macro_rules! lane_types {
    ($($t:ty),*) => {
        $(
            impl Lane for $t {
                const BYTES: usize = std::mem::size_of::<$t>();

                #[inline(always)]
                fn read(bytes: &[u8]) -> Self {
                    let mut le = [0; std::mem::size_of::<$t>()];
                    le.copy_from_slice(&bytes[..Self::BYTES]);
                    <$t>::from_le_bytes(le)
                }

                #[inline(always)]
                fn write(self, bytes: &mut [u8]) {
                    bytes[..Self::BYTES].copy_from_slice(&self.to_le_bytes());
                }
            }
        )*
    };
}

lane_types!(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64);

/// The `N` lanes of type `T` of a `v128`, lane 0 first. Taking `N` lanes of `T` from a vector
/// that does not have exactly that many is a compile error.
#[inline(always)]
pub(super) fn lanes<T: Lane, const N: usize>(v: u128) -> [T; N] {
    const { assert!(N * T::BYTES == 16) };
    let bytes = v.to_le_bytes();
    std::array::from_fn(|i| T::read(&bytes[i * T::BYTES..]))
}

/// The `v128` made of `lanes`, lane 0 first.
#[inline(always)]
pub(super) fn from_lanes<T: Lane, const N: usize>(lanes: [T; N]) -> u128 {
    const { assert!(N * T::BYTES == 16) };
    let mut bytes = [0; 16];
    for (i, lane) in lanes.into_iter().enumerate() {
        lane.write(&mut bytes[i * T::BYTES..]);
    }
    u128::from_le_bytes(bytes)
}

/// The low (or, with `high`, the high) half of the `N` lanes of `T` of `v`: `M = N / 2` lanes.
#[inline(always)]
pub(super) fn half<T: Lane, const N: usize, const M: usize>(v: u128, high: bool) -> [T; M] {
    const { assert!(2 * M == N) };
    let all = lanes::<T, N>(v);
    let start = if high { M } else { 0 };
    std::array::from_fn(|i| all[start + i])
}

/// The `v128` whose lanes of `T` are all-ones where `results` holds and zero elsewhere: how
/// comparisons give their results.
#[inline(always)]
fn mask<T: Lane, const N: usize>(results: [bool; N]) -> u128 {
    let ones = u128::MAX >> (128 - 8 * T::BYTES);
    let mut out = 0;
    for (i, &r) in results.iter().enumerate() {
        if r {
            out |= ones << (i * 8 * T::BYTES);
        }
    }
    out
}

/// `dst = f(src)` lane-wise, with lanes of `T` in and of `R` out (`N` of each).
#[inline(never)]
pub(super) fn map<T: Lane, R: Lane, const N: usize>(
    s: Slots,
    dst: Slot,
    src: Slot,
    f: impl Fn(T) -> R,
) {
    set(s, dst, from_lanes(lanes::<T, N>(get(s, src)).map(f)));
}

/// `dst = f(a, b)` lane-wise.
#[inline(never)]
pub(super) fn zip<T: Lane, const N: usize>(
    s: Slots,
    dst: Slot,
    a: Slot,
    b: Slot,
    f: impl Fn(T, T) -> T,
) {
    let (a, b) = (lanes::<T, N>(get(s, a)), lanes::<T, N>(get(s, b)));
    set(
        s,
        dst,
        from_lanes::<T, N>(std::array::from_fn(|i| f(a[i], b[i]))),
    );
}

/// `dst` is all-ones in the lanes where `f(a, b)` holds, zero elsewhere.
#[inline(never)]
pub(super) fn compare<T: Lane, const N: usize>(
    s: Slots,
    dst: Slot,
    a: Slot,
    b: Slot,
    f: impl Fn(T, T) -> bool,
) {
    let (a, b) = (lanes::<T, N>(get(s, a)), lanes::<T, N>(get(s, b)));
    set(s, dst, mask::<T, N>(std::array::from_fn(|i| f(a[i], b[i]))));
}

/// `dst = f(a, count)` lane-wise, for a shift by the `i32` in `count`: taken modulo the lane
/// width, as the spec requires.
#[inline(never)]
pub(super) fn shift<T: Lane, const N: usize>(
    s: Slots,
    dst: Slot,
    a: Slot,
    count: Slot,
    f: impl Fn(T, u32) -> T,
) {
    let count = s.read::<u32>(count) % (8 * T::BYTES as u32);
    set(
        s,
        dst,
        from_lanes(lanes::<T, N>(get(s, a)).map(|lane| f(lane, count))),
    );
}

/// Whether every lane of the `v128` in `src` is non-zero.
#[inline(never)]
pub(super) fn all_true<T: Lane + PartialEq + Default, const N: usize>(s: Slots, src: Slot) -> bool {
    lanes::<T, N>(get(s, src))
        .iter()
        .all(|&lane| lane != T::default())
}

/// The top bit of every lane of the `v128` in `src`, lane 0 in bit 0.
#[inline(never)]
pub(super) fn bitmask<const BYTES: usize>(s: Slots, src: Slot) -> u32 {
    let v = get(s, src);
    let lanes = 16 / BYTES;
    (0..lanes).fold(0, |bits, i| {
        let top = (v >> ((i + 1) * 8 * BYTES - 1)) & 1;
        bits | (top as u32) << i
    })
}
