//! Globals. The value is a raw 128-bit cell (scalars and references in the low 64 bits).

use crate::{Error, GlobalType, Mutability, Store, Val};

/// A handle to a global in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    pub value: u128,
}

impl GlobalEntity {
    pub(crate) fn get(&self) -> Val {
        let v = self.value;
        Val::read_slots(self.ty.content, &[v as u64, (v >> 64) as u64])
    }
}

pub(crate) fn val_to_cell(val: Val) -> u128 {
    let mut slots = Vec::with_capacity(2);
    val.write_slots(&mut slots);
    slots[0] as u128 | (slots.get(1).copied().unwrap_or(0) as u128) << 64
}

impl Global {
    /// Creates a host-defined global.
    pub fn new<T>(store: &mut Store<T>, ty: GlobalType, val: Val) -> Result<Global, Error> {
        if val.ty() != ty.content {
            return Err(Error::Usage(format!(
                "global of type {} given {}",
                ty.content,
                val.ty()
            )));
        }
        store.inner.globals.push(GlobalEntity {
            ty,
            value: val_to_cell(val),
        });
        Ok(Global(store.inner.globals.len() as u32 - 1))
    }

    pub fn get<T>(&self, store: &Store<T>) -> Val {
        store.inner.globals[self.0 as usize].get()
    }

    pub fn set<T>(&self, store: &mut Store<T>, val: Val) -> Result<(), Error> {
        let g = &mut store.inner.globals[self.0 as usize];
        if g.ty.mutability != Mutability::Var {
            return Err(Error::Usage("cannot set an immutable global".into()));
        }
        if val.ty() != g.ty.content {
            return Err(Error::Usage(
                "global set with a value of the wrong type".into(),
            ));
        }
        g.value = val_to_cell(val);
        Ok(())
    }

    pub fn ty<T>(&self, store: &Store<T>) -> GlobalType {
        store.inner.globals[self.0 as usize].ty
    }
}
