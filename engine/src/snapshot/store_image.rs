//! The state of a store suspended in a host call, as plain data: what `Caller::snapshot`
//! captures and what `LoadedSnapshot::instantiate` rebuilds a store from.
//!
//! Entities keep their store indices, so that everything holding one (function references in
//! tables and globals, interpreter frames) stays valid as it is. Host functions are recorded by
//! the import name they were linked under and linked again from the restoring linker; memory
//! contents travel separately, as images (see `memory_image.rs`).
//!
//! The store's function table (24 bytes a function, 276 KB for CPython) is written as it lies
//! in memory, at the end of the section and 8-byte aligned, with the type ids a fresh engine
//! gives (the module's types interned first, then the host functions' in their order). A
//! restore into such an engine, the usual case, checks every entity against what the
//! instances and host functions make it and then reads the table in place from the mapping,
//! instead of writing a fresh one per process; any other engine builds the table.

use std::collections::HashMap;
use std::sync::Arc;

use super::codec::{Reader, Writer};
use super::mapping::Mapping;
use super::module_meta::{
    func_type, global_type, memory_type, read_func_type, read_global_type, read_memory_type,
    read_table_type, table_type,
};
use super::records::{Record, Records};
use crate::global::GlobalEntity;
use crate::instance::{DroppedSegments, InstanceEntity};
use crate::interp::{Frame, HostCall};
use crate::module::EntityIndex;
use crate::module::ModuleInner;
use crate::shared_slice::SharedSlice;
use crate::store::{FuncEntity, FuncKind, FuncTable, SharedFuncs};
use crate::table::TableEntity;
use crate::{
    Engine, Error, Extern, FuncType, Global, GlobalType, Linker, Memory, MemoryType, Module,
    RefType, Store, Table, TableType, ValType,
};

/// A host function of the store, linked again by its import name on restore.
pub(crate) struct HostImage {
    /// Its store function index.
    pub index: u32,
    pub module: String,
    pub name: String,
    pub ty: FuncType,
}

pub(crate) struct TableImage {
    pub ty: TableType,
    /// Read in place from a loaded snapshot: a restore copies them into its table anyway.
    pub elements: Records<u64>,
}

pub(crate) struct GlobalImage {
    pub ty: GlobalType,
    pub value: u128,
}

pub(crate) struct InstanceImage {
    /// Shared with the instances restored from it.
    pub funcs: SharedSlice<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Read in place from a loaded snapshot: a restore copies them into its instance.
    pub elems: Vec<Records<u64>>,
    pub data_dropped: DroppedSegments,
}

impl InstanceImage {
    /// The state of `instance` that a snapshot keeps.
    fn of(instance: &InstanceEntity) -> Self {
        InstanceImage {
            funcs: instance.funcs.clone(),
            tables: instance.tables.clone(),
            memories: instance.memories.clone(),
            globals: instance.globals.clone(),
            elems: instance
                .elems
                .iter()
                .map(|items| items.iter().copied().collect())
                .collect(),
            data_dropped: instance.data_dropped.clone(),
        }
    }

    /// A restored instance of `module` with this state and `exports`.
    fn entity(&self, module: &Module, exports: HashMap<String, Extern>) -> InstanceEntity {
        InstanceEntity {
            module: module.clone(),
            funcs: self.funcs.clone(),
            tables: self.tables.clone(),
            memories: self.memories.clone(),
            globals: self.globals.clone(),
            elems: self.elems.iter().map(Records::to_vec).collect(),
            data_dropped: self.data_dropped.clone(),
            exports,
        }
    }
}

/// The suspended host call, with the host function named by its store function index (host
/// function numbers are an artefact of linking order).
pub(crate) struct PendingCall {
    pub func: u32,
    pub instance: u32,
    pub args: u64,
    pub params: u32,
    pub results: u32,
    pub base: u64,
}

pub(crate) struct StoreImage {
    /// Every store function as the runtime holds it, shared by every restore. Host function
    /// `k` of `hosts` is the `k`th one a restore links, the host index its entry names. A
    /// captured image holds the type ids of a fresh engine, which is what is written.
    pub funcs: SharedFuncs,
    /// The host functions, by increasing index.
    pub hosts: Vec<HostImage>,
    pub tables: Vec<TableImage>,
    /// Type of each memory, its minimum being its current size.
    pub memories: Vec<MemoryType>,
    pub globals: Vec<GlobalImage>,
    pub instances: Vec<InstanceImage>,
    pub frames: Vec<Frame>,
    /// The interpreter's value stack up to the frames' top; read in place from a loaded
    /// snapshot: a restore copies it into its interpreter.
    pub stack: Records<u64>,
    pub call: PendingCall,
}

impl StoreImage {
    /// Captures `store`, which must be inside a host call made by interpreted code from the
    /// outermost call into Wasm.
    pub(crate) fn capture<T>(store: &Store<T>) -> Result<(StoreImage, Module), Error> {
        let inner = &store.inner;
        let call = inner.interp.host_call.ok_or_else(|| {
            Error::Snapshot(
                "not inside a host call made by the interpreter (snapshots are taken from host \
                 functions, in the interpreter tier)"
                    .into(),
            )
        })?;
        if call.base != 0 {
            return Err(Error::Snapshot(
                "inside a nested call into Wasm; snapshots are taken from the outermost one".into(),
            ));
        }
        let module = match inner.instances.first() {
            Some(first) => first.module.clone(),
            None => return Err(Error::Snapshot("the store has no instance".into())),
        };
        if inner
            .instances
            .iter()
            .any(|i| !std::sync::Arc::ptr_eq(&i.module.inner, &module.inner))
        {
            return Err(Error::Snapshot(
                "the store holds instances of several modules; snapshots cover one".into(),
            ));
        }
        let names = import_names(store);
        let mut hosts = Vec::new();
        for (k, f) in inner.funcs.iter().enumerate() {
            if let FuncKind::Host { .. } = f.kind {
                let (module, name) = names.get(&(k as u32)).ok_or_else(|| {
                    Error::Snapshot(format!(
                        "host function {k} was not linked as an import, so it cannot be \
                         linked again on restore"
                    ))
                })?;
                hosts.push(HostImage {
                    index: k as u32,
                    module: module.clone(),
                    name: name.clone(),
                    ty: store.engine.type_of(f.type_id),
                });
            }
        }
        let host_func = inner
            .funcs
            .iter()
            .position(|f| matches!(f.kind, FuncKind::Host { host } if host == call.host))
            .ok_or_else(|| Error::Snapshot("the pending host function has no handle".into()))?;
        if inner.memories.iter().any(|m| m.ty.shared) {
            return Err(Error::Snapshot("shared memories are not supported".into()));
        }
        let top = inner
            .interp
            .top()
            .max(call.args + call.params.max(call.results));
        let instances: Vec<InstanceImage> = inner.instances.iter().map(InstanceImage::of).collect();
        let ids = TypeIds::of(&Engine::default(), &module.inner, &hosts);
        let funcs = func_entities(&module.inner, &instances, &hosts, inner.funcs.len(), &ids)
            .ok_or_else(|| {
                Error::Snapshot(
                    "the store's functions are not its instances' and host functions".into(),
                )
            })?;
        let image = StoreImage {
            funcs: SharedFuncs::built(funcs),
            hosts,
            tables: inner
                .tables
                .iter()
                .map(|t| TableImage {
                    ty: t.ty,
                    elements: t.elements.iter().copied().collect(),
                })
                .collect(),
            memories: inner
                .memories
                .iter()
                .map(|m| MemoryType {
                    minimum: m.pages(),
                    ..m.ty
                })
                .collect(),
            globals: inner
                .globals
                .iter()
                .map(|g| GlobalImage {
                    ty: g.ty,
                    value: g.value,
                })
                .collect(),
            instances,
            frames: inner.interp.frames.clone(),
            stack: inner.interp.stack[..top].iter().copied().collect(),
            call: PendingCall {
                func: host_func as u32,
                instance: call.instance,
                args: call.args as u64,
                params: call.params as u32,
                results: call.results as u32,
                base: call.base as u64,
            },
        };
        Ok((image, module))
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.len(self.funcs.len());
        w.len(self.hosts.len());
        for h in &self.hosts {
            w.u32(h.index);
            w.str(&h.module);
            w.str(&h.name);
            func_type(w, &h.ty);
        }
        w.len(self.tables.len());
        for t in &self.tables {
            table_type(w, &t.ty);
            w.len(t.elements.len());
            w.buf.extend_from_slice(t.elements.bytes());
        }
        w.len(self.memories.len());
        for m in &self.memories {
            memory_type(w, m);
        }
        w.len(self.globals.len());
        for g in &self.globals {
            global_type(w, &g.ty);
            w.u128(g.value);
        }
        w.len(self.instances.len());
        for i in &self.instances {
            w.u32s_aligned(&i.funcs);
            w.u32s(&i.tables);
            w.u32s(&i.memories);
            w.u32s(&i.globals);
            w.len(i.elems.len());
            for e in &i.elems {
                u64_records(w, e);
            }
            w.len(i.data_dropped.len());
            w.len(i.data_dropped.words().len());
            for &word in i.data_dropped.words() {
                w.u64(word);
            }
        }
        w.len(self.frames.len());
        for f in &self.frames {
            w.u32(f.func);
            w.u32(f.pc);
            w.u32(f.fp);
        }
        u64_records(w, &self.stack);
        let c = &self.call;
        w.u32(c.func);
        w.u32(c.instance);
        w.u64(c.args);
        w.u32(c.params);
        w.u32(c.results);
        w.u64(c.base);
        // A count of zeros up to the table, which starts at a multiple of 8 in the section
        // (and so in the file, whose sections start at multiples of 8).
        let pad = (8 - (w.buf.len() + 1) % 8) % 8;
        w.u8(pad as u8);
        w.buf.resize(w.buf.len() + pad, 0);
        for f in self.funcs.iter() {
            for word in f.words() {
                w.u32(word);
            }
        }
    }

    /// Decodes and checks an image against `module`: every index the runtime will follow
    /// without checking must be in range.
    pub(crate) fn decode(r: &mut Reader<'_>, module: &Module) -> Result<StoreImage, Error> {
        let m = &module.inner;
        // Checked against the instances' function lists and the table at the end of the
        // section (which the section holds) before anything is allocated for it.
        let func_count = r.u32()? as usize;
        let k = r.count(15)?;
        let mut hosts = Vec::with_capacity(k);
        for _ in 0..k {
            hosts.push(HostImage {
                index: r.u32()?,
                module: r.str()?.to_string(),
                name: r.str()?.to_string(),
                ty: read_func_type(r)?,
            });
        }
        let n = r.count(14)?;
        let mut tables = Vec::with_capacity(n);
        for _ in 0..n {
            let ty = read_table_type(r)?;
            let elements = read_u64_records(r, m)?;
            if ty.element == RefType::FuncRef && elements.iter().any(|e| e > func_count as u64) {
                return Err(r.error("a table refers to an unknown function"));
            }
            tables.push(TableImage { ty, elements });
        }
        let n = r.count(11)?;
        let mut memories = Vec::with_capacity(n);
        for _ in 0..n {
            memories.push(read_memory_type(r)?);
        }
        let n = r.count(18)?;
        let mut globals = Vec::with_capacity(n);
        for _ in 0..n {
            let ty = read_global_type(r)?;
            let value = r.u128()?;
            if ty.content == ValType::FUNCREF && value > func_count as u128 {
                return Err(r.error("a global refers to an unknown function"));
            }
            globals.push(GlobalImage { ty, value });
        }
        let n = r.count(24)?;
        let mut instances = Vec::with_capacity(n);
        for _ in 0..n {
            let i = InstanceImage {
                funcs: r.u32s_shared(m.bodies.mapping())?,
                tables: r.u32s()?,
                memories: r.u32s()?,
                globals: r.u32s()?,
                elems: {
                    let k = r.count(4)?;
                    (0..k)
                        .map(|_| read_u64_records(r, m))
                        .collect::<Result<_, _>>()?
                },
                data_dropped: {
                    let len = r.u32()? as usize;
                    let n = r.count(8)?;
                    let words = (0..n).map(|_| r.u64()).collect::<Result<_, _>>()?;
                    DroppedSegments::from_words(len, words)
                        .ok_or_else(|| r.error("bad set of dropped data segments"))?
                },
            };
            let bad_ref = i.elems.iter().zip(&m.elems).any(|(items, seg)| {
                seg.ty == RefType::FuncRef && items.iter().any(|e| e > func_count as u64)
            });
            if bad_ref {
                return Err(r.error("an element segment refers to an unknown function"));
            }
            let fits = |v: &[u32], want: usize, have: usize| {
                v.len() == want && v.iter().all(|&x| (x as usize) < have)
            };
            if !fits(&i.funcs, m.funcs.len(), func_count)
                || !fits(&i.tables, m.tables.len(), tables.len())
                || !fits(&i.memories, m.memories.len(), memories.len())
                || !fits(&i.globals, m.globals.len(), globals.len())
                || i.elems.len() != m.elems.len()
                || i.data_dropped.len() != m.datas.len()
            {
                return Err(r.error("an instance does not match the module"));
            }
            instances.push(i);
        }
        let n = r.count(12)?;
        let mut frames = Vec::with_capacity(n);
        for _ in 0..n {
            frames.push(Frame {
                func: r.u32()?,
                pc: r.u32()?,
                fp: r.u32()?,
            });
        }
        let stack = read_u64_records(r, m)?;
        let call = PendingCall {
            func: r.u32()?,
            instance: r.u32()?,
            args: r.u64()?,
            params: r.u32()?,
            results: r.u32()?,
            base: r.u64()?,
        };
        let pad = r.u8()? as usize;
        r.take(pad)?;
        let size = std::mem::size_of::<FuncEntity>();
        let table = r.take(
            func_count
                .checked_mul(size)
                .ok_or_else(|| r.error("truncated"))?,
        )?;
        r.finish()?;
        if !hosts.windows(2).all(|w| w[0].index < w[1].index) {
            return Err(r.error("the host functions are out of order"));
        }
        let ids = TypeIds {
            module: m.type_ids.clone(),
            hosts: hosts
                .iter()
                .map(|h| module.engine().intern_type(&h.ty))
                .collect(),
        };
        let funcs = match in_place(m, &instances, &hosts, &ids, table) {
            Some(funcs) => funcs,
            None => SharedFuncs::built(
                func_entities(m, &instances, &hosts, func_count, &ids)
                    .ok_or_else(|| r.error("the functions do not match the instances"))?,
            ),
        };
        let is_host = |k: u32| {
            funcs
                .get(k as usize)
                .is_some_and(|f| matches!(f.kind, FuncKind::Host { .. }))
        };
        if !is_host(call.func) || call.instance as usize >= instances.len() {
            return Err(r.error("the pending call is not a host call"));
        }
        Ok(StoreImage {
            funcs,
            hosts,
            tables,
            memories,
            globals,
            instances,
            frames,
            stack,
            call,
        })
    }

    /// Fills `store`, which holds nothing but this image's memories, with the image's other
    /// entities, linking host functions from `linker`; returns the pending host call.
    pub(crate) fn rebuild<T>(
        &self,
        store: &mut Store<T>,
        module: &Module,
        linker: &Linker<T>,
    ) -> Result<HostCall, Error> {
        let m = &module.inner;
        // In the order of `hosts`, so that each one gets the host index its entry names.
        for HostImage {
            module, name, ty, ..
        } in &self.hosts
        {
            let host = match linker.host_func(module, name) {
                Some(Ok((linked, host))) if linked == ty => host,
                Some(Ok((linked, _))) => {
                    return Err(Error::Unlinkable(format!(
                        "`{module}::{name}` has type {linked}, the snapshot expects {ty}"
                    )))
                }
                Some(Err(())) => {
                    return Err(Error::Unlinkable(format!(
                        "`{module}::{name}` is defined by an existing entity; a restore needs \
                         host functions the linker can place in the new store"
                    )))
                }
                None => {
                    return Err(Error::Unlinkable(format!(
                        "the snapshot needs host function `{module}::{name}`, which the \
                         linker does not define"
                    )))
                }
            };
            store.host_funcs.push(host.clone());
        }
        store.inner.funcs = FuncTable::shared(self.funcs.clone());
        for t in &self.tables {
            store.inner.tables.push(TableEntity {
                ty: t.ty,
                elements: t.elements.to_vec(),
            });
        }
        for g in &self.globals {
            store.inner.globals.push(GlobalEntity {
                ty: g.ty,
                value: g.value,
            });
        }
        for i in &self.instances {
            let exports: HashMap<String, Extern> = m
                .exports
                .iter()
                .map(|(name, index)| {
                    let ext = match *index {
                        EntityIndex::Func(k) => {
                            Extern::Func(crate::Func::from_index(i.funcs[k as usize]))
                        }
                        EntityIndex::Table(k) => Extern::Table(Table(i.tables[k as usize])),
                        EntityIndex::Memory(k) => Extern::Memory(Memory(i.memories[k as usize])),
                        EntityIndex::Global(k) => Extern::Global(Global(i.globals[k as usize])),
                    };
                    (name.clone(), ext)
                })
                .collect();
            store.inner.instances.push(i.entity(module, exports));
        }
        let interp = &mut store.inner.interp;
        interp.frames = self.frames.clone();
        interp.stack = self.stack.to_vec();
        let c = &self.call;
        let FuncKind::Host { host } = store.inner.funcs[c.func as usize].kind else {
            return Err(Error::Snapshot(
                "the pending call is not a host call".into(),
            ));
        };
        let call = HostCall {
            host,
            instance: c.instance,
            args: c.args as usize,
            params: c.params as usize,
            results: c.results as usize,
            base: c.base as usize,
        };
        crate::interp::prepare_resume(&mut store.inner, &call)
            .map_err(|why| Error::Snapshot(format!("cannot resume: {why}")))?;
        Ok(call)
    }
}

/// The type ids an engine gives the module's types and the host functions' types.
struct TypeIds {
    module: Vec<u32>,
    hosts: Vec<u32>,
}

impl TypeIds {
    /// Those `engine` gives them; interning the module's types first, as a restore does,
    /// makes them the ids a restore into a fresh engine gives.
    fn of(engine: &Engine, m: &ModuleInner, hosts: &[HostImage]) -> TypeIds {
        TypeIds {
            module: engine.intern_types(&m.types),
            hosts: hosts.iter().map(|h| engine.intern_type(&h.ty)).collect(),
        }
    }
}

/// Visits the `count` store functions: the defined functions of each of the `instances`,
/// each at the store index its function list gives, and the `hosts` at theirs, numbered in
/// their order, with type ids `ids`. `None` unless these cover every index exactly once (each
/// instance's defined functions at consecutive indices, as instantiation places them, and the
/// hosts by increasing index), or if `visit` says no.
fn each_func(
    m: &ModuleInner,
    instances: &[InstanceImage],
    hosts: &[HostImage],
    count: usize,
    ids: &TypeIds,
    mut visit: impl FnMut(usize, FuncEntity) -> bool,
) -> Option<()> {
    let imported = m.num_imported_funcs as usize;
    let defined = m.funcs.len() - imported;
    if instances
        .len()
        .checked_mul(defined)?
        .checked_add(hosts.len())?
        != count
    {
        return None;
    }
    // Per module type: engine signature and slot counts, looked up for each function.
    let types: Vec<(u32, u32, u32)> = m
        .types
        .iter()
        .zip(&ids.module)
        .map(|(ty, &id)| (id, ty.param_slots() as u32, ty.result_slots() as u32))
        .collect();
    // The instances' ranges of store indices, in increasing order, and the hosts' indices
    // (increasing too) must not overlap: with the count above, they cover every index once.
    if !hosts.windows(2).all(|w| w[0].index < w[1].index) {
        return None;
    }
    let mut next_free = 0;
    let mut host_indices = hosts.iter().map(|h| h.index as usize).peekable();
    for (instance, image) in instances.iter().enumerate() {
        let store_indices = image.funcs.get(imported..)?;
        if store_indices.len() != defined {
            return None;
        }
        let Some(&first) = store_indices.first() else {
            continue;
        };
        let first = first as usize;
        let end = first.checked_add(defined)?;
        while host_indices.next_if(|&h| h < first).is_some() {}
        if first < next_free || end > count || host_indices.peek().is_some_and(|&h| h < end) {
            return None;
        }
        next_free = end;
        let defined = store_indices.iter().zip(&m.funcs[imported..]);
        for ((k, (&store_index, &ty)), index) in (first..).zip(defined).zip(imported as u32..) {
            let (type_id, param_slots, result_slots) = *types.get(ty as usize)?;
            let entity = FuncEntity {
                kind: FuncKind::Wasm {
                    instance: instance as u32,
                    index,
                },
                type_id,
                param_slots,
                result_slots,
            };
            if store_index as usize != k || !visit(k, entity) {
                return None;
            }
        }
    }
    for ((host, h), &type_id) in hosts.iter().enumerate().zip(&ids.hosts) {
        let entity = FuncEntity {
            kind: FuncKind::Host { host: host as u32 },
            type_id,
            param_slots: h.ty.param_slots() as u32,
            result_slots: h.ty.result_slots() as u32,
        };
        if h.index as usize >= count || !visit(h.index as usize, entity) {
            return None;
        }
    }
    Some(())
}

/// The store functions (see `each_func`) in a table of their own.
fn func_entities(
    m: &ModuleInner,
    instances: &[InstanceImage],
    hosts: &[HostImage],
    count: usize,
    ids: &TypeIds,
) -> Option<Arc<[FuncEntity]>> {
    // Allocated once and written in place, each entry once.
    let mut table = Arc::<[FuncEntity]>::new_uninit_slice(count);
    let funcs = Arc::get_mut(&mut table)?;
    each_func(m, instances, hosts, count, ids, |k, entity| {
        funcs[k].write(entity);
        true
    })?;
    // SAFETY: `each_func` succeeded, so it visited every index below `count`, each once,
    // and every visit wrote its entry.
    Some(unsafe { table.assume_init() })
}

/// The store functions (see `each_func`) read in place from `table`, the snapshot's copy of
/// them; `None` unless it lies in the snapshot's mapping, suitably aligned, and holds exactly
/// those functions (as it does unless the engine numbered its types differently from a fresh
/// one).
fn in_place(
    m: &ModuleInner,
    instances: &[InstanceImage],
    hosts: &[HostImage],
    ids: &TypeIds,
    table: &[u8],
) -> Option<SharedFuncs> {
    // The snapshot's mapping: the one the module's function bodies are read from.
    let map: &Arc<Mapping> = m.bodies.mapping()?;
    map.offset_of(table)?;
    let size = std::mem::size_of::<FuncEntity>();
    let ptr = table.as_ptr().cast::<FuncEntity>();
    // Read as pairs of words: the records are 24 bytes, so on a multiple of 8 each is three
    // aligned `u64`s, half the loads and comparisons of its six words.
    if !ptr.cast::<u64>().is_aligned() || cfg!(target_endian = "big") {
        return None;
    }
    let count = table.len() / size;
    // SAFETY: `table` is aligned for `u64` and holds `count` entities' worth of bytes, three
    // `u64`s each; any bytes are valid `u64`s.
    let records = unsafe { std::slice::from_raw_parts(ptr.cast::<[u64; 3]>(), count) };
    each_func(m, instances, hosts, count, ids, |k, entity| {
        let w = entity.words();
        let pair = |i: usize| u64::from(w[2 * i]) | u64::from(w[2 * i + 1]) << 32;
        // In registers: comparing whole arrays made the compiler store the expected words
        // and load them back at once, a stall at every function.
        let have = &records[k];
        (have[0] ^ pair(0)) | (have[1] ^ pair(1)) | (have[2] ^ pair(2)) == 0
    })?;
    // SAFETY: `table` lies in `map`, is aligned for `FuncEntity` and holds `count` of them:
    // on a little-endian target, each record was checked to be the words of an entity (its
    // tag 0 or 1), which is how the entity lies in memory.
    Some(unsafe { SharedFuncs::mapped(Arc::clone(map), ptr, count) })
}

/// Writes `records` as `read_u64_records` reads them: their count, then their bytes.
fn u64_records(w: &mut Writer, records: &Records<u64>) {
    w.len(records.len());
    w.buf.extend_from_slice(records.bytes());
}

/// A count and that many `u64`s, read in place when they lie in the snapshot's mapping (the
/// one the module's function bodies are read from), copied otherwise.
fn read_u64_records(r: &mut Reader<'_>, m: &ModuleInner) -> Result<Records<u64>, Error> {
    let len = r.count(8)?;
    let bytes = r.take(len * 8)?;
    Ok(m.bodies
        .mapping()
        .and_then(|map| Records::mapped(map, bytes, len))
        .unwrap_or_else(|| bytes.chunks_exact(8).map(u64::read).collect()))
}

/// The import name of every store function that some instance imported.
fn import_names<T>(store: &Store<T>) -> HashMap<u32, (String, String)> {
    let mut names = HashMap::new();
    for inst in &store.inner.instances {
        for import in &inst.module.inner.imports {
            if let EntityIndex::Func(i) = import.index {
                names
                    .entry(inst.funcs[i as usize])
                    .or_insert_with(|| (import.module.clone(), import.name.clone()));
            }
        }
    }
    names
}
