//! Memory access: the executor's cached view of memory 0, loads and stores through it with
//! explicit bounds checks, and the bulk memory operations.

use super::{forwarded, Ctx};
use crate::instance::InstanceEntity;
use crate::memory::LinearMemory;
use crate::store::StoreInner;
use crate::TrapKind;

/// Base and length of the running instance's memory 0, refreshed whenever either may have
/// changed: on `memory.grow`, after host calls and when switching instances. A memory never
/// moves and never shrinks, so the view's bytes stay mapped for as long as the store lives.
#[derive(Clone, Copy)]
pub(super) struct MemView {
    base: *mut u8,
    len: usize,
}

impl MemView {
    /// A view in which every access is out of bounds.
    pub(super) fn empty() -> Self {
        MemView {
            base: std::ptr::NonNull::dangling().as_ptr(),
            len: 0,
        }
    }

    /// The view of `instance`'s memory 0 (empty if it has none).
    pub(super) fn of(inner: &StoreInner, instance: u32) -> Self {
        match memory(&inner.instances[instance as usize]) {
            Some(index) => {
                let mem = &inner.memories[index];
                MemView {
                    base: mem.base(),
                    len: mem.len(),
                }
            }
            None => MemView::empty(),
        }
    }

    pub(super) fn len(self) -> usize {
        self.len
    }

    /// Start of the `N` bytes at `addr + offset`, if they are in bounds.
    #[inline(always)]
    fn at<const N: usize>(self, addr: u32, offset: u32) -> Result<*mut u8, TrapKind> {
        // Both are 32-bit, so the sum cannot overflow a 64-bit usize.
        let start = addr as usize + offset as usize;
        if start + N > self.len {
            return Err(TrapKind::MemoryOutOfBounds);
        }
        Ok(self.base.wrapping_add(start))
    }

    #[inline(always)]
    pub(super) fn load<const N: usize>(self, addr: u32, offset: u32) -> Result<[u8; N], TrapKind> {
        let ptr = self.at::<N>(addr, offset)?;
        // SAFETY: the N bytes at `ptr` lie within the memory's first `len` bytes, which are
        // mapped read/write (see the type's comment); no Rust reference to them is live while
        // Wasm code runs.
        Ok(unsafe { std::ptr::read_unaligned(ptr as *const [u8; N]) })
    }

    #[inline(always)]
    pub(super) fn store<const N: usize>(
        self,
        addr: u32,
        offset: u32,
        bytes: [u8; N],
    ) -> Result<(), TrapKind> {
        let ptr = self.at::<N>(addr, offset)?;
        // SAFETY: as in `load`.
        unsafe { std::ptr::write_unaligned(ptr as *mut [u8; N], bytes) };
        Ok(())
    }
}

/// Store index of an instance's memory 0.
fn memory(instance: &InstanceEntity) -> Option<usize> {
    instance.memories.first().map(|&m| m as usize)
}

fn memory_mut<'c>(ctx: &'c mut Ctx<'_>) -> &'c mut LinearMemory {
    let instance = &ctx.inner.instances[ctx.instance as usize];
    let index = memory(instance).expect("validated: has a memory");
    &mut ctx.inner.memories[index]
}

/// `start..start + len` if it lies within `size` (checked in 64 bits, as the spec requires).
fn range(start: u32, len: u32, size: usize) -> Result<std::ops::Range<usize>, TrapKind> {
    let end = start as u64 + len as u64;
    if end > size as u64 {
        return Err(TrapKind::MemoryOutOfBounds);
    }
    Ok(start as usize..end as usize)
}

/// `memory.grow`: the old size in pages, or -1.
fn grow(ctx: &mut Ctx<'_>, delta: u32) -> u32 {
    memory_mut(ctx)
        .grow(delta as u64)
        .map_or(u32::MAX, |old| old as u32)
}

fn fill(ctx: &mut Ctx<'_>, [dst, value, len]: [u32; 3]) -> Result<(), TrapKind> {
    let bytes = memory_mut(ctx).bytes_mut();
    let dst = range(dst, len, bytes.len())?;
    bytes[dst].fill(value as u8);
    Ok(())
}

fn copy(ctx: &mut Ctx<'_>, [dst, src, len]: [u32; 3]) -> Result<(), TrapKind> {
    let bytes = memory_mut(ctx).bytes_mut();
    let src = range(src, len, bytes.len())?;
    let dst = range(dst, len, bytes.len())?;
    bytes.copy_within(src, dst.start);
    Ok(())
}

/// `memory.init` from data segment `data` (empty once dropped).
fn init(ctx: &mut Ctx<'_>, data: u32, [dst, src, len]: [u32; 3]) -> Result<(), TrapKind> {
    let inner = &mut *ctx.inner;
    let instance = &inner.instances[ctx.instance as usize];
    let segment = instance.data(data as usize);
    let index = memory(instance).expect("validated: has a memory");
    let bytes = inner.memories[index].bytes_mut();
    let src = range(src, len, segment.len())?;
    let dst = range(dst, len, bytes.len())?;
    bytes[dst].copy_from_slice(&segment[src]);
    Ok(())
}

handlers! { |ctx, pc, s, mem, acc|
    I32Load { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u32::from_le_bytes(bytes));
    }
    I32LoadA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u32::from_le_bytes(bytes));
    }
    I64Load { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u64::from_le_bytes(bytes));
    }
    I64LoadA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u64::from_le_bytes(bytes));
    }
    I32Load8S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, i8::from_le_bytes(bytes) as i32);
    }
    I32Load8SA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, i8::from_le_bytes(bytes) as i32);
    }
    I32Load8U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u8::from_le_bytes(bytes) as u32);
    }
    I32Load8UA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u8::from_le_bytes(bytes) as u32);
    }
    I32Load16S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, i16::from_le_bytes(bytes) as i32);
    }
    I32Load16SA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, i16::from_le_bytes(bytes) as i32);
    }
    I32Load16U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u16::from_le_bytes(bytes) as u32);
    }
    I32Load16UA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u16::from_le_bytes(bytes) as u32);
    }
    I64Load8S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, i8::from_le_bytes(bytes) as i64);
    }
    I64Load8SA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, i8::from_le_bytes(bytes) as i64);
    }
    I64Load8U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u8::from_le_bytes(bytes) as u64);
    }
    I64Load8UA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u8::from_le_bytes(bytes) as u64);
    }
    I64Load16S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, i16::from_le_bytes(bytes) as i64);
    }
    I64Load16SA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, i16::from_le_bytes(bytes) as i64);
    }
    I64Load16U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u16::from_le_bytes(bytes) as u64);
    }
    I64Load16UA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u16::from_le_bytes(bytes) as u64);
    }
    I64Load32S { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, i32::from_le_bytes(bytes) as i64);
    }
    I64Load32SA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, i32::from_le_bytes(bytes) as i64);
    }
    I64Load32U { dst, addr, offset } => {
        let bytes = trap_on!(ctx, mem.load(s.read(addr), offset));
        put!(s, acc, dst, u32::from_le_bytes(bytes) as u64);
    }
    I64Load32UA { dst, offset } => {
        let bytes = trap_on!(ctx, mem.load(forwarded(acc), offset));
        put!(s, acc, dst, u32::from_le_bytes(bytes) as u64);
    }
    Store8 { addr, src, offset } => {
        let bytes = (s.get(src) as u8).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store8A { addr, offset } => {
        let bytes = (acc as u8).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store8AddrA { src, offset } => {
        let bytes = (s.get(src) as u8).to_le_bytes();
        trap_on!(ctx, mem.store(forwarded(acc), offset, bytes));
    }
    Store16 { addr, src, offset } => {
        let bytes = (s.get(src) as u16).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store16A { addr, offset } => {
        let bytes = (acc as u16).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store16AddrA { src, offset } => {
        let bytes = (s.get(src) as u16).to_le_bytes();
        trap_on!(ctx, mem.store(forwarded(acc), offset, bytes));
    }
    Store32 { addr, src, offset } => {
        let bytes = (s.get(src) as u32).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store32A { addr, offset } => {
        let bytes = (acc as u32).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store32AddrA { src, offset } => {
        let bytes = (s.get(src) as u32).to_le_bytes();
        trap_on!(ctx, mem.store(forwarded(acc), offset, bytes));
    }
    Store64 { addr, src, offset } => {
        let bytes = (s.get(src)).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store64A { addr, offset } => {
        let bytes = (acc).to_le_bytes();
        trap_on!(ctx, mem.store(s.read(addr), offset, bytes));
    }
    Store64AddrA { src, offset } => {
        let bytes = (s.get(src)).to_le_bytes();
        trap_on!(ctx, mem.store(forwarded(acc), offset, bytes));
    }
    Store8Imm { addr, value, offset } => {
        trap_on!(ctx, mem.store(s.read(addr), offset, (value as u8).to_le_bytes()));
    }
    Store16Imm { addr, value, offset } => {
        trap_on!(ctx, mem.store(s.read(addr), offset, (value as u16).to_le_bytes()));
    }
    Store32Imm { addr, value, offset } => {
        trap_on!(ctx, mem.store(s.read(addr), offset, value.to_le_bytes()));
    }
    Store64Imm { addr, value, offset } => {
        trap_on!(ctx, mem.store(s.read(addr), offset, (value as i64).to_le_bytes()));
    }
    MemorySize { dst } => {
        put!(s, acc, dst, (mem.len() as u64 / crate::WASM_PAGE_SIZE) as u32);
    }
    MemoryGrow { dst, delta } => {
        put!(s, acc, dst, grow(ctx, s.read(delta)));
        mem = MemView::of(ctx.inner, ctx.instance);
    }
    MemoryFill { base } => {
        trap_on!(ctx, fill(ctx, [0, 1, 2].map(|i| s.read(base + i))));
    }
    MemoryCopy { base } => {
        trap_on!(ctx, copy(ctx, [0, 1, 2].map(|i| s.read(base + i))));
    }
    MemoryInit { base, data } => {
        trap_on!(ctx, init(ctx, data, [0, 1, 2].map(|i| s.read(base + i))));
    }
    DataDrop { data } => {
        ctx.inner.instances[ctx.instance as usize]
            .data_dropped
            .insert(data as usize);
    }
}
