//! Tables and references: element access, bulk table operations and the lookup behind
//! `call_indirect`. Table and segment indices are the running instance's (module indices).

use super::Ctx;
use crate::table::TableEntity;
use crate::val::{decode_funcref, encode_funcref};
use crate::{Func, TrapKind};

fn table_index(ctx: &Ctx<'_>, table: u32) -> usize {
    ctx.inner.instances[ctx.instance as usize].tables[table as usize] as usize
}

fn table_mut<'c>(ctx: &'c mut Ctx<'_>, table: u32) -> &'c mut TableEntity {
    let index = table_index(ctx, table);
    &mut ctx.inner.tables[index]
}

/// `start..start + len` if it lies within `size`.
fn range(start: u32, len: u32, size: usize) -> Result<std::ops::Range<usize>, TrapKind> {
    let end = start as u64 + len as u64;
    if end > size as u64 {
        return Err(TrapKind::TableOutOfBounds);
    }
    Ok(start as usize..end as usize)
}

/// The store function `call_indirect` calls: element `index` of `table`, which must be a
/// function of signature `type_id`.
#[inline(always)]
pub(super) fn indirect_callee(
    ctx: &Ctx<'_>,
    table: u32,
    index: u32,
    type_id: u32,
) -> Result<u32, TrapKind> {
    let inner = &*ctx.inner;
    let table = &inner.tables[table_index(ctx, table)];
    let raw = *table
        .elements
        .get(index as usize)
        .ok_or(TrapKind::UndefinedElement)?;
    let func = decode_funcref(raw)
        .ok_or(TrapKind::IndirectCallToNull)?
        .index();
    if inner.funcs[func as usize].type_id != type_id {
        return Err(TrapKind::BadSignature);
    }
    Ok(func)
}

fn get(ctx: &Ctx<'_>, table: u32, index: u32) -> Result<u64, TrapKind> {
    ctx.inner.tables[table_index(ctx, table)]
        .elements
        .get(index as usize)
        .copied()
        .ok_or(TrapKind::TableOutOfBounds)
}

fn set(ctx: &mut Ctx<'_>, table: u32, index: u32, value: u64) -> Result<(), TrapKind> {
    let slot = table_mut(ctx, table)
        .elements
        .get_mut(index as usize)
        .ok_or(TrapKind::TableOutOfBounds)?;
    *slot = value;
    Ok(())
}

fn size(ctx: &Ctx<'_>, table: u32) -> u32 {
    ctx.inner.tables[table_index(ctx, table)].elements.len() as u32
}

/// `table.grow`: the old size, or -1.
fn grow(ctx: &mut Ctx<'_>, table: u32, init: u64, delta: u32) -> u32 {
    table_mut(ctx, table)
        .grow(delta as u64, init)
        .map_or(u32::MAX, |old| old as u32)
}

fn fill(ctx: &mut Ctx<'_>, table: u32, [dst, value, len]: [u64; 3]) -> Result<(), TrapKind> {
    let elements = &mut table_mut(ctx, table).elements;
    let dst = range(dst as u32, len as u32, elements.len())?;
    elements[dst].fill(value);
    Ok(())
}

fn copy(
    ctx: &mut Ctx<'_>,
    [dst_table, src_table]: [u32; 2],
    [dst, src, len]: [u32; 3],
) -> Result<(), TrapKind> {
    let dst_index = table_index(ctx, dst_table);
    let src_index = table_index(ctx, src_table);
    let inner = &mut *ctx.inner;
    if dst_index == src_index {
        let elements = &mut inner.tables[dst_index].elements;
        let src = range(src, len, elements.len())?;
        let dst = range(dst, len, elements.len())?;
        elements.copy_within(src, dst.start);
        return Ok(());
    }
    let [dst_table, src_table] = inner
        .tables
        .get_disjoint_mut([dst_index, src_index])
        .expect("distinct table indices");
    let src = range(src, len, src_table.elements.len())?;
    let dst = range(dst, len, dst_table.elements.len())?;
    dst_table.elements[dst].copy_from_slice(&src_table.elements[src]);
    Ok(())
}

/// `table.init` from element segment `elem` (empty once dropped).
fn init(
    ctx: &mut Ctx<'_>,
    table: u32,
    elem: u32,
    [dst, src, len]: [u32; 3],
) -> Result<(), TrapKind> {
    let inner = &mut *ctx.inner;
    let inst = &inner.instances[ctx.instance as usize];
    let segment = &inst.elems[elem as usize];
    let elements = &mut inner.tables[inst.tables[table as usize] as usize].elements;
    let src = range(src, len, segment.len())?;
    let dst = range(dst, len, elements.len())?;
    elements[dst].copy_from_slice(&segment[src]);
    Ok(())
}

/// The reference to function `func` (module index) of the instance.
fn func_ref(ctx: &Ctx<'_>, func: u32) -> u64 {
    let func = ctx.inner.instances[ctx.instance as usize].funcs[func as usize];
    encode_funcref(Some(Func::from_index(func)))
}

handlers! { |ctx, pc, s, mem, acc|
    TableGet { dst, index, table } => {
        put!(s, acc, dst, trap_on!(ctx, get(ctx, table, s.read(index))));
    }
    TableSet { index, value, table } => {
        trap_on!(ctx, set(ctx, table, s.read(index), s.get(value)));
    }
    TableSize { dst, table } => {
        put!(s, acc, dst, size(ctx, table));
    }
    TableGrow { base, table } => {
        let (init, delta) = (s.get(base), s.read(base + 1));
        s.write(base, grow(ctx, table, init, delta));
    }
    TableFill { base, table } => {
        trap_on!(ctx, fill(ctx, table, [0, 1, 2].map(|i| s.get(base + i))));
    }
    TableCopy { base, dst_table, src_table } => {
        let operands = [0, 1, 2].map(|i| s.read(base + i));
        trap_on!(ctx, copy(ctx, [dst_table, src_table], operands));
    }
    TableInit { base, table, elem } => {
        trap_on!(ctx, init(ctx, table, elem, [0, 1, 2].map(|i| s.read(base + i))));
    }
    ElemDrop { elem } => {
        ctx.inner.instances[ctx.instance as usize].elems[elem as usize] = Vec::new();
    }
    RefFunc { dst, func } => {
        put!(s, acc, dst, func_ref(ctx, func));
    }
    RefIsNull { dst, src } => {
        put!(s, acc, dst, s.get(src) == 0);
    }
}
