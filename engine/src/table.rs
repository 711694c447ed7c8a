//! Tables of references, stored as raw slots (see `val.rs` for the encoding).

use crate::{Error, Store, TableType, Val};

/// Tables larger than this cannot be created or grown: it bounds host memory use.
pub(crate) const MAX_TABLE_ELEMENTS: u64 = 10_000_000;

/// A handle to a table in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

pub(crate) struct TableEntity {
    pub ty: TableType,
    pub elements: Vec<u64>,
}

impl TableEntity {
    pub(crate) fn new(ty: TableType, init: u64) -> Result<Self, Error> {
        if ty.minimum > MAX_TABLE_ELEMENTS {
            return Err(Error::Resource(format!("table of {} elements", ty.minimum)));
        }
        Ok(TableEntity {
            ty,
            elements: vec![init; ty.minimum as usize],
        })
    }

    /// Grows by `delta` elements set to `init`; returns the old size or `None`.
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elements.len() as u64;
        let new = old.checked_add(delta)?;
        let max = self
            .ty
            .maximum
            .unwrap_or(u32::MAX as u64)
            .min(MAX_TABLE_ELEMENTS);
        if new > max {
            return None;
        }
        self.elements.resize(new as usize, init);
        self.ty.minimum = new;
        Some(old)
    }
}

impl Table {
    pub fn size<T>(&self, store: &Store<T>) -> u64 {
        store.inner.tables[self.0 as usize].elements.len() as u64
    }

    pub fn ty<T>(&self, store: &Store<T>) -> TableType {
        store.inner.tables[self.0 as usize].ty
    }

    pub fn get<T>(&self, store: &Store<T>, index: u64) -> Option<Val> {
        let t = &store.inner.tables[self.0 as usize];
        let raw = *t.elements.get(index as usize)?;
        Some(Val::read_slots(crate::ValType::Ref(t.ty.element), &[raw]))
    }

    pub fn set<T>(&self, store: &mut Store<T>, index: u64, val: Val) -> Result<(), Error> {
        let t = &mut store.inner.tables[self.0 as usize];
        if val.ty() != crate::ValType::Ref(t.ty.element) {
            return Err(Error::Usage("table element of the wrong type".into()));
        }
        let slot = t
            .elements
            .get_mut(index as usize)
            .ok_or_else(|| Error::Usage(format!("table index {index} out of bounds")))?;
        *slot = val.to_raw();
        Ok(())
    }

    /// Grows by `delta` elements set to `init`, returning the previous size.
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u64, init: Val) -> Result<u64, Error> {
        store.inner.tables[self.0 as usize]
            .grow(delta, init.to_raw())
            .ok_or_else(|| Error::Usage(format!("table cannot grow by {delta}")))
    }
}
