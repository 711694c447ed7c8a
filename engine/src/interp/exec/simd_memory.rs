//! SIMD loads and stores: whole vectors, widening loads, splats, zero-extended loads and single
//! lanes. Bounds are checked by the memory view like every other access (`memory.rs`).

use super::simd::{extract, from_lanes, get, replace, set, splat, Lane};

/// The eight bytes of a widening load as `N` lanes of `T`, each widened to `W`.
#[inline(never)]
fn widen<T: Lane, W: Lane + From<T>, const N: usize>(bytes: [u8; 8]) -> u128 {
    from_lanes::<W, N>(std::array::from_fn(|i| {
        W::from(T::read(&bytes[i * T::BYTES..]))
    }))
}

handlers! { |ctx, pc, s, mem, acc|
    V128Load { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load::<16>(s.read(addr), offset));
        set(s, dst, u128::from_le_bytes(bytes));
    }
    V128Load8x8S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<i8, i16, 8>(bytes));
    }
    V128Load8x8U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<u8, u16, 8>(bytes));
    }
    V128Load16x4S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<i16, i32, 4>(bytes));
    }
    V128Load16x4U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<u16, u32, 4>(bytes));
    }
    V128Load32x2S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<i32, i64, 2>(bytes));
    }
    V128Load32x2U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, widen::<u32, u64, 2>(bytes));
    }
    V128Load8Splat { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load::<1>(s.read(addr), offset));
        set(s, dst, splat(u8::from_le_bytes(bytes) as u64, 8));
    }
    V128Load16Splat { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, splat(u16::from_le_bytes(bytes) as u64, 16));
    }
    V128Load32Splat { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, splat(u32::from_le_bytes(bytes) as u64, 32));
    }
    V128Load64Splat { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, splat(u64::from_le_bytes(bytes), 64));
    }
    V128Load32Zero { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, u32::from_le_bytes(bytes) as u128);
    }
    V128Load64Zero { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        set(s, dst, u64::from_le_bytes(bytes) as u128);
    }
    V128Store { addr, src, offset } => {
        trap_on!(ctx, mem.store(s.read(addr), offset, get(s, src).to_le_bytes()));
    }
    V128Load8Lane { lane, base, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(base), offset));
        let value = u8::from_le_bytes(bytes) as u64;
        set(s, base, replace(get(s, base + 1), 8, lane, value));
    }
    V128Load16Lane { lane, base, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(base), offset));
        let value = u16::from_le_bytes(bytes) as u64;
        set(s, base, replace(get(s, base + 1), 16, lane, value));
    }
    V128Load32Lane { lane, base, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(base), offset));
        let value = u32::from_le_bytes(bytes) as u64;
        set(s, base, replace(get(s, base + 1), 32, lane, value));
    }
    V128Load64Lane { lane, base, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(base), offset));
        let value = u64::from_le_bytes(bytes);
        set(s, base, replace(get(s, base + 1), 64, lane, value));
    }
    V128Store8Lane { lane, addr, src, offset } => {
        let bytes = (extract(get(s, src), 8, lane) as u8).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    V128Store16Lane { lane, addr, src, offset } => {
        let bytes = (extract(get(s, src), 16, lane) as u16).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    V128Store32Lane { lane, addr, src, offset } => {
        let bytes = (extract(get(s, src), 32, lane) as u32).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    V128Store64Lane { lane, addr, src, offset } => {
        let bytes = extract(get(s, src), 64, lane).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
}
