//! The store: owner of every runtime entity and of the host's data.

use crate::global::GlobalEntity;
use crate::instance::InstanceEntity;
use crate::memory::LinearMemory;
use crate::table::TableEntity;
use crate::{Engine, Trap};

/// A host function in its raw calling convention: parameters arrive in the slots, results are
/// written back from the start of the same slots (which hold max(params, results) slots).
pub(crate) type HostFn<T> =
    std::sync::Arc<dyn Fn(crate::Caller<'_, T>, &mut [u64]) -> Result<(), Trap> + Send + Sync>;

/// What a store-level function is. Its layout is fixed (a `u32` tag, 0 or 1, then the
/// variant's fields) so that a snapshot can hold the store's functions as they lie in memory
/// (see `snapshot/store_image.rs`).
#[derive(Debug, Clone, Copy)]
#[repr(u32)]
pub(crate) enum FuncKind {
    /// Function `index` (module-level index space) of instance `instance`.
    Wasm { instance: u32, index: u32 } = 0,
    /// Entry `host` of the store's host functions.
    Host { host: u32 } = 1,
}

/// Six `u32`s: the kind's tag and two fields (the second 0 for a host function), the type id,
/// the parameter and result slot counts.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct FuncEntity {
    pub kind: FuncKind,
    /// Engine-interned signature id.
    pub type_id: u32,
    pub param_slots: u32,
    pub result_slots: u32,
}

const _: () = assert!(
    std::mem::size_of::<FuncEntity>() == FuncEntity::WORDS * 4
        && std::mem::align_of::<FuncEntity>() == 4
        && std::mem::offset_of!(FuncEntity, type_id) == 12
);

impl FuncEntity {
    /// The size of an entity in `u32`s.
    pub(crate) const WORDS: usize = 6;

    /// The entity as it lies in memory, padding as 0.
    pub(crate) fn words(&self) -> [u32; Self::WORDS] {
        let (tag, a, b) = match self.kind {
            FuncKind::Wasm { instance, index } => (0, instance, index),
            FuncKind::Host { host } => (1, host, 0),
        };
        [tag, a, b, self.type_id, self.param_slots, self.result_slots]
    }
}

/// A table of functions shared by every store restored from one snapshot (see
/// `shared_slice.rs`).
pub(crate) type SharedFuncs = crate::shared_slice::SharedSlice<FuncEntity>;

/// The store's functions, by store index. A restored store starts from the snapshot's table,
/// shared with every other store restored from it (CPython's has 11,500 entries, which a
/// restore would otherwise copy and fault in); functions added later go in a table of its own.
#[derive(Default)]
pub(crate) struct FuncTable {
    /// The first `shared.len()` functions.
    shared: SharedFuncs,
    /// The functions after those.
    added: Vec<FuncEntity>,
}

impl FuncTable {
    /// A table starting with `shared`.
    pub(crate) fn shared(shared: SharedFuncs) -> Self {
        FuncTable {
            shared,
            added: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.shared.len() + self.added.len()
    }

    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> Option<&FuncEntity> {
        match index.checked_sub(self.shared.len()) {
            None => self.shared.get(index),
            Some(added) => self.added.get(added),
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &FuncEntity> {
        self.shared.iter().chain(&self.added)
    }

    pub(crate) fn push(&mut self, entity: FuncEntity) {
        self.added.push(entity);
    }
}

impl std::ops::Index<usize> for FuncTable {
    type Output = FuncEntity;

    #[inline(always)]
    fn index(&self, index: usize) -> &FuncEntity {
        match index.checked_sub(self.shared.len()) {
            None => &self.shared[index],
            Some(added) => &self.added[added],
        }
    }
}

/// Everything in a store except the host-typed parts, so that runtime code need not be generic.
pub(crate) struct StoreInner {
    pub funcs: FuncTable,
    pub memories: Vec<LinearMemory>,
    pub tables: Vec<TableEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    /// The interpreter's value stack and call frames: plain data, so that a suspended
    /// execution can be captured.
    pub interp: crate::interp::InterpState,
    /// The compiled tier's view of the store (vmctxs, function array, store context).
    pub jit: crate::jit::StoreJit,
    /// Wasm code traps once the engine's epoch reaches this (with epoch interruption on).
    pub epoch_deadline: u64,
    /// The store's engine, for the runtime code that only sees this part of the store.
    pub engine: Engine,
}

pub struct Store<T> {
    pub(crate) engine: Engine,
    pub(crate) inner: StoreInner,
    pub(crate) host_funcs: Vec<HostFn<T>>,
    pub(crate) data: T,
}

impl<T> Store<T> {
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            engine: engine.clone(),
            inner: StoreInner {
                funcs: FuncTable::default(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                interp: crate::interp::InterpState::new(engine.config()),
                jit: Default::default(),
                epoch_deadline: u64::MAX,
                engine: engine.clone(),
            },
            host_funcs: Vec::new(),
            data,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn data(&self) -> &T {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    pub fn into_data(self) -> T {
        self.data
    }

    /// Makes Wasm code trap once the engine's epoch has advanced `ticks` beyond its current
    /// value (with `Config::epoch_interruption`).
    pub fn set_epoch_deadline(&mut self, ticks: u64) {
        let now = self
            .engine
            .epoch()
            .load(std::sync::atomic::Ordering::Relaxed);
        self.inner.epoch_deadline = now.saturating_add(ticks);
    }

    pub(crate) fn push_func(&mut self, entity: FuncEntity) -> crate::Func {
        self.inner.funcs.push(entity);
        crate::Func::from_index(self.inner.funcs.len() as u32 - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::{FuncEntity, FuncKind};

    /// `words` is how an entity lies in memory, which a snapshot's table read in place
    /// relies on.
    #[test]
    fn entities_lie_in_memory_as_their_words() {
        let entities = [
            FuncEntity {
                kind: FuncKind::Wasm {
                    instance: 3,
                    index: 70_000,
                },
                type_id: 9,
                param_slots: 2,
                result_slots: 1,
            },
            FuncEntity {
                kind: FuncKind::Host { host: 5 },
                type_id: 4,
                param_slots: 0,
                result_slots: 3,
            },
        ];
        for entity in entities {
            let words = entity.words();
            // SAFETY: `words` is aligned and as large as an entity, and its first word, the
            // tag, is 0 or 1.
            let read = unsafe { *words.as_ptr().cast::<FuncEntity>() };
            assert_eq!(read.words(), words);
            assert_eq!(format!("{read:?}"), format!("{entity:?}"));
        }
    }
}
