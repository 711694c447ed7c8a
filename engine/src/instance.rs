//! Instantiation: import checking, allocation of entities, segment initialisation and the start
//! function, in the order the spec prescribes.

use std::collections::HashMap;

use crate::const_expr::{ConstEnv, ConstExpr};
use crate::global::GlobalEntity;
use crate::memory::LinearMemory;
use crate::module::{DataMode, ElemItems, ElemMode, EntityIndex, ModuleInner};
use crate::shared_slice::SharedSlice;
use crate::store::{FuncEntity, FuncKind};
use crate::table::TableEntity;
use crate::{
    Error, Func, Global, Memory, Module, Store, Table, Trap, TrapKind, TypedFunc, WasmParams,
    WasmResults,
};

/// An exported or imported entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    Func(Func),
    Table(Table),
    Memory(Memory),
    Global(Global),
}

impl Extern {
    pub fn into_func(self) -> Option<Func> {
        match self {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }
    pub fn into_memory(self) -> Option<Memory> {
        match self {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }
    pub fn into_table(self) -> Option<Table> {
        match self {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }
    pub fn into_global(self) -> Option<Global> {
        match self {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

/// A handle to an instance in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

/// An instance's view of the store: module-level indices mapped to store-level ones.
pub(crate) struct InstanceEntity {
    pub module: Module,
    /// Store index of each function; shared with the snapshot a restored instance came from.
    pub funcs: SharedSlice<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Resolved items of each element segment; emptied when the segment is dropped.
    pub elems: Vec<Vec<u64>>,
    pub data_dropped: DroppedSegments,
    pub exports: HashMap<String, Extern>,
}

/// Which of an instance's data segments are dropped (active ones at instantiation, others by
/// `data.drop`): a bit each, since CPython has 24,171 segments and every restore copies the
/// set.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DroppedSegments {
    words: Vec<u64>,
    len: usize,
}

impl DroppedSegments {
    /// `len` segments, none dropped.
    pub(crate) fn new(len: usize) -> Self {
        DroppedSegments {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// The set whose bits are `words` (as `words` returns them), if they describe `len`
    /// segments.
    pub(crate) fn from_words(len: usize, words: Vec<u64>) -> Option<Self> {
        let extra = (words.len() * 64).checked_sub(len)?;
        let tail_clear = words
            .last()
            .is_none_or(|&w| extra == 0 || w >> (64 - extra) == 0);
        (words.len() == len.div_ceil(64) && tail_clear).then_some(DroppedSegments { words, len })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    /// Whether segment `k` is dropped; panics past the end, as slice indexing does.
    pub(crate) fn contains(&self, k: usize) -> bool {
        assert!(k < self.len, "data segment {k} of {}", self.len);
        self.words[k / 64] >> (k % 64) & 1 != 0
    }

    /// Drops segment `k`; panics past the end, as slice indexing does.
    pub(crate) fn insert(&mut self, k: usize) {
        assert!(k < self.len, "data segment {k} of {}", self.len);
        self.words[k / 64] |= 1 << (k % 64);
    }
}

impl InstanceEntity {
    /// Bytes of data segment `index`, empty once dropped.
    pub(crate) fn data(&self, index: usize) -> &[u8] {
        if self.data_dropped.contains(index) {
            &[]
        } else {
            self.module.inner.data_bytes(index)
        }
    }
}

struct InitEnv<'a> {
    inner: &'a crate::store::StoreInner,
    instance: &'a InstanceEntity,
}

impl ConstEnv for InitEnv<'_> {
    fn global(&self, index: u32) -> u128 {
        self.inner.globals[self.instance.globals[index as usize] as usize].value
    }
    fn func(&self, index: u32) -> Func {
        Func::from_index(self.instance.funcs[index as usize])
    }
}

impl Instance {
    /// Instantiates `module` with `imports` given in the order of the module's imports.
    pub fn new<T>(
        store: &mut Store<T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance, Error> {
        let m = &module.inner;
        if !m.engine.same(&store.engine) {
            return Err(Error::Usage(
                "module and store belong to different engines".into(),
            ));
        }
        if imports.len() != m.imports.len() {
            return Err(Error::Unlinkable(format!(
                "expected {} imports, got {}",
                m.imports.len(),
                imports.len()
            )));
        }
        let index = store.inner.instances.len() as u32;
        let mut entity = InstanceEntity {
            module: module.clone(),
            funcs: SharedSlice::default(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            elems: Vec::new(),
            data_dropped: DroppedSegments::new(m.datas.len()),
            exports: HashMap::new(),
        };
        let mut funcs = Vec::with_capacity(m.funcs.len());
        for (import, ext) in m.imports.iter().zip(imports) {
            check_import(store, m, import.index, *ext).map_err(|why| {
                Error::Unlinkable(format!("{}::{}: {why}", import.module, import.name))
            })?;
            match *ext {
                Extern::Func(f) => funcs.push(f.index()),
                Extern::Table(t) => entity.tables.push(t.0),
                Extern::Memory(mem) => entity.memories.push(mem.0),
                Extern::Global(g) => entity.globals.push(g.0),
            }
        }
        allocate(store, m, index, funcs, &mut entity)?;
        for (name, idx) in &m.exports {
            let ext = match *idx {
                EntityIndex::Func(i) => Extern::Func(Func::from_index(entity.funcs[i as usize])),
                EntityIndex::Table(i) => Extern::Table(Table(entity.tables[i as usize])),
                EntityIndex::Memory(i) => Extern::Memory(Memory(entity.memories[i as usize])),
                EntityIndex::Global(i) => Extern::Global(Global(entity.globals[i as usize])),
            };
            entity.exports.insert(name.clone(), ext);
        }
        store.inner.instances.push(entity);
        initialize(store, index)?;
        if let Some(start) = m.start {
            let f = Func::from_index(store.inner.instances[index as usize].funcs[start as usize]);
            crate::func::call_raw(store, f, &mut [])?;
        }
        Ok(Instance(index))
    }

    pub fn get_export<T>(&self, store: &Store<T>, name: &str) -> Option<Extern> {
        store.inner.instances[self.0 as usize]
            .exports
            .get(name)
            .copied()
    }

    /// Every export, in no particular order.
    pub fn exports<T>(&self, store: &Store<T>) -> Vec<(String, Extern)> {
        let exports = &store.inner.instances[self.0 as usize].exports;
        exports.iter().map(|(n, e)| (n.clone(), *e)).collect()
    }

    pub fn get_func<T>(&self, store: &Store<T>, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    pub fn get_memory<T>(&self, store: &Store<T>, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    pub fn get_table<T>(&self, store: &Store<T>, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    pub fn get_global<T>(&self, store: &Store<T>, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    pub fn get_typed_func<P: WasmParams, R: WasmResults, T>(
        &self,
        store: &Store<T>,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        let f = self
            .get_func(store, name)
            .ok_or_else(|| Error::Usage(format!("no exported function `{name}`")))?;
        f.typed(store)
    }

    pub fn module<'a, T>(&self, store: &'a Store<T>) -> &'a Module {
        &store.inner.instances[self.0 as usize].module
    }
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, min: u64, max: Option<u64>) -> bool {
    actual_min >= min
        && match max {
            None => true,
            Some(max) => actual_max.is_some_and(|am| am <= max),
        }
}

fn check_import<T>(
    store: &Store<T>,
    m: &ModuleInner,
    index: EntityIndex,
    ext: Extern,
) -> Result<(), String> {
    let inner = &store.inner;
    match (index, ext) {
        (EntityIndex::Func(i), Extern::Func(f)) => {
            let actual = inner.funcs[f.index() as usize].type_id;
            if actual != m.func_type_id(i) {
                return Err(format!(
                    "incompatible import type: expected {}, found {}",
                    m.func_type(i),
                    store.engine.type_of(actual)
                ));
            }
        }
        (EntityIndex::Table(i), Extern::Table(t)) => {
            let want = m.tables[i as usize];
            let have = &inner.tables[t.0 as usize];
            if have.ty.element != want.element
                || !limits_match(
                    have.elements.len() as u64,
                    have.ty.maximum,
                    want.minimum,
                    want.maximum,
                )
            {
                return Err("incompatible import type: table".into());
            }
        }
        (EntityIndex::Memory(i), Extern::Memory(mem)) => {
            let want = m.memories[i as usize];
            let have = &inner.memories[mem.0 as usize];
            if !limits_match(have.pages(), have.ty.maximum, want.minimum, want.maximum) {
                return Err("incompatible import type: memory".into());
            }
        }
        (EntityIndex::Global(i), Extern::Global(g)) => {
            if inner.globals[g.0 as usize].ty != m.globals[i as usize] {
                return Err("incompatible import type: global".into());
            }
        }
        _ => return Err("incompatible import type: wrong kind of entity".into()),
    }
    Ok(())
}

/// Creates the module's own functions (after the imported `funcs`), tables, memories and
/// globals.
fn allocate<T>(
    store: &mut Store<T>,
    m: &ModuleInner,
    instance: u32,
    mut funcs: Vec<u32>,
    entity: &mut InstanceEntity,
) -> Result<(), Error> {
    for i in m.num_imported_funcs..m.funcs.len() as u32 {
        let ty = m.func_type(i);
        let f = store.push_func(FuncEntity {
            kind: FuncKind::Wasm { instance, index: i },
            type_id: m.func_type_id(i),
            param_slots: ty.param_slots() as u32,
            result_slots: ty.result_slots() as u32,
        });
        funcs.push(f.index());
    }
    entity.funcs = funcs.into();
    for ty in &m.tables[m.num_imported_tables as usize..] {
        store.inner.tables.push(TableEntity::new(*ty, 0)?);
        entity.tables.push(store.inner.tables.len() as u32 - 1);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        store.inner.memories.push(LinearMemory::new(*ty)?);
        entity.memories.push(store.inner.memories.len() as u32 - 1);
    }
    for (k, init) in m.global_inits.iter().enumerate() {
        let ty = m.globals[m.num_imported_globals as usize + k];
        let value = init.eval(&InitEnv {
            inner: &store.inner,
            instance: entity,
        });
        store.inner.globals.push(GlobalEntity { ty, value });
        entity.globals.push(store.inner.globals.len() as u32 - 1);
    }
    let elems = m
        .elems
        .iter()
        .map(|seg| {
            let env = InitEnv {
                inner: &store.inner,
                instance: entity,
            };
            match &seg.items {
                ElemItems::Funcs(funcs) => funcs
                    .iter()
                    .map(|&f| ConstExpr::ref_func(f).eval(&env) as u64)
                    .collect(),
                ElemItems::Exprs(exprs) => exprs.iter().map(|e| e.eval(&env) as u64).collect(),
            }
        })
        .collect();
    entity.elems = elems;
    Ok(())
}

/// Runs the active element and data segments, then drops them (and the declared ones).
fn initialize<T>(store: &mut Store<T>, instance: u32) -> Result<(), Error> {
    let inner = &mut store.inner;
    let module = inner.instances[instance as usize].module.clone();
    let m = &module.inner;
    for (k, seg) in m.elems.iter().enumerate() {
        match &seg.mode {
            ElemMode::Passive => continue,
            ElemMode::Declared => {}
            ElemMode::Active { table, offset } => {
                let inst = &inner.instances[instance as usize];
                let offset = offset.eval(&InitEnv {
                    inner,
                    instance: inst,
                }) as u32 as usize;
                let table = inst.tables[*table as usize] as usize;
                let items = std::mem::take(&mut inner.instances[instance as usize].elems[k]);
                let dest = &mut inner.tables[table].elements;
                if offset
                    .checked_add(items.len())
                    .is_none_or(|end| end > dest.len())
                {
                    return Err(Trap::new(TrapKind::TableOutOfBounds).into());
                }
                dest[offset..offset + items.len()].copy_from_slice(&items);
            }
        }
        inner.instances[instance as usize].elems[k].clear();
    }
    for (k, seg) in m.datas.segments()?.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let inst = &inner.instances[instance as usize];
            let offset = offset.eval(&InitEnv {
                inner,
                instance: inst,
            }) as u32 as usize;
            let mem = &mut inner.memories[inst.memories[*memory as usize] as usize];
            let bytes = m.data_bytes(k);
            let dest = mem.bytes_mut();
            if offset
                .checked_add(bytes.len())
                .is_none_or(|end| end > dest.len())
            {
                return Err(Trap::new(TrapKind::MemoryOutOfBounds).into());
            }
            dest[offset..offset + bytes.len()].copy_from_slice(bytes);
            inner.instances[instance as usize].data_dropped.insert(k);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::DroppedSegments;

    #[test]
    fn dropped_segments_round_trip_through_their_words() {
        for len in [0, 1, 63, 64, 65, 24_171] {
            let mut set = DroppedSegments::new(len);
            let dropped: Vec<usize> = (0..len).filter(|k| k % 3 == 0 || k + 1 == len).collect();
            for &k in &dropped {
                set.insert(k);
            }
            assert!((0..len).all(|k| set.contains(k) == dropped.contains(&k)));
            let again = DroppedSegments::from_words(len, set.words().to_vec());
            assert_eq!(again.as_ref(), Some(&set));
        }
        // Words for another length, or bits past the end: not a set.
        assert!(DroppedSegments::from_words(65, vec![0]).is_none());
        assert!(DroppedSegments::from_words(64, vec![0, 0]).is_none());
        assert!(DroppedSegments::from_words(3, vec![0b1000]).is_none());
        assert!(DroppedSegments::from_words(3, vec![0b100]).is_some());
    }
}
