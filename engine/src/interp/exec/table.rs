//! Tables and references: element access, bulk table operations and the lookup behind
//! `call_indirect`. Table and segment indices are the running instance's (module indices).

use crate::store::StoreInner;
use crate::table::TableEntity;
use crate::val::{decode_funcref, encode_funcref};
use crate::{Func, TrapKind};

fn table_index(inner: &StoreInner, instance: u32, table: u32) -> usize {
    inner.instances[instance as usize].tables[table as usize] as usize
}

fn table_mut(inner: &mut StoreInner, instance: u32, table: u32) -> &mut TableEntity {
    let index = table_index(inner, instance, table);
    &mut inner.tables[index]
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
    inner: &StoreInner,
    instance: u32,
    table: u32,
    index: u32,
    type_id: u32,
) -> Result<u32, TrapKind> {
    let table = &inner.tables[table_index(inner, instance, table)];
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

pub(super) fn get(inner: &StoreInner, instance: u32, table: u32, index: u32) -> Result<u64, TrapKind> {
    let table = &inner.tables[table_index(inner, instance, table)];
    table
        .elements
        .get(index as usize)
        .copied()
        .ok_or(TrapKind::TableOutOfBounds)
}

pub(super) fn set(
    inner: &mut StoreInner,
    instance: u32,
    table: u32,
    index: u32,
    value: u64,
) -> Result<(), TrapKind> {
    let slot = table_mut(inner, instance, table)
        .elements
        .get_mut(index as usize)
        .ok_or(TrapKind::TableOutOfBounds)?;
    *slot = value;
    Ok(())
}

pub(super) fn size(inner: &StoreInner, instance: u32, table: u32) -> u32 {
    inner.tables[table_index(inner, instance, table)].elements.len() as u32
}

/// `table.grow`: the old size, or -1.
pub(super) fn grow(inner: &mut StoreInner, instance: u32, table: u32, init: u64, delta: u32) -> u32 {
    table_mut(inner, instance, table)
        .grow(delta as u64, init)
        .map_or(u32::MAX, |old| old as u32)
}

pub(super) fn fill(
    inner: &mut StoreInner,
    instance: u32,
    table: u32,
    [dst, value, len]: [u64; 3],
) -> Result<(), TrapKind> {
    let elements = &mut table_mut(inner, instance, table).elements;
    let dst = range(dst as u32, len as u32, elements.len())?;
    elements[dst].fill(value);
    Ok(())
}

pub(super) fn copy(
    inner: &mut StoreInner,
    instance: u32,
    [dst_table, src_table]: [u32; 2],
    [dst, src, len]: [u32; 3],
) -> Result<(), TrapKind> {
    let dst_index = table_index(inner, instance, dst_table);
    let src_index = table_index(inner, instance, src_table);
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
pub(super) fn init(
    inner: &mut StoreInner,
    instance: u32,
    table: u32,
    elem: u32,
    [dst, src, len]: [u32; 3],
) -> Result<(), TrapKind> {
    let inst = &inner.instances[instance as usize];
    let segment = &inst.elems[elem as usize];
    let elements = &mut inner.tables[inst.tables[table as usize] as usize].elements;
    let src = range(src, len, segment.len())?;
    let dst = range(dst, len, elements.len())?;
    elements[dst].copy_from_slice(&segment[src]);
    Ok(())
}

pub(super) fn elem_drop(inner: &mut StoreInner, instance: u32, elem: u32) {
    inner.instances[instance as usize].elems[elem as usize] = Vec::new();
}

/// The reference to function `func` (module index) of the instance.
pub(super) fn func_ref(inner: &StoreInner, instance: u32, func: u32) -> u64 {
    let func = inner.instances[instance as usize].funcs[func as usize];
    encode_funcref(Some(Func::from_index(func)))
}
