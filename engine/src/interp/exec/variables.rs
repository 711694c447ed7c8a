//! Globals, by the running instance's module index. A global's cell is 128 bits wide; every
//! type but `v128` uses its low 64 bits.

use crate::store::StoreInner;

fn global_index(inner: &StoreInner, instance: u32, global: u32) -> usize {
    inner.instances[instance as usize].globals[global as usize] as usize
}

#[inline(always)]
pub(super) fn global_get(inner: &StoreInner, instance: u32, global: u32) -> u64 {
    inner.globals[global_index(inner, instance, global)].value as u64
}

#[inline(always)]
pub(super) fn global_set(inner: &mut StoreInner, instance: u32, global: u32, value: u64) {
    let index = global_index(inner, instance, global);
    inner.globals[index].value = value as u128;
}
