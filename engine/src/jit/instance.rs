//! The compiled tier's view of a store: the store context, the store-level function array, a
//! vmctx per instance and a descriptor per table, kept in step with the store's entities.
//!
//! The store's entity arrays only ever grow, and they grow outside compiled code (instantiation,
//! host API calls) or inside runtime and host functions. `sync` brings this view up to date; it
//! runs on every entry into compiled code and after every host call, and costs a few
//! comparisons when nothing changed. What it does when something changed:
//!
//! - new instances: their module is compiled (once per module), and they get a vmctx. In the
//!   auto tier a module whose code is not ready is compiled in the background instead, and
//!   its instances wait without a vmctx; their functions are reached through the host-call
//!   path, which runs them in the interpreter;
//! - instances whose code arrived (auto tier): they get their vmctx, their functions' entries
//!   are emptied to be filled again with their code (the imports of them written earlier keep
//!   the host-call path, which sends the call to the code), and the interpreter is told to
//!   send new calls of them here;
//! - tables: each table's descriptor is pointed at its current elements;
//! - new functions: the function array grows to cover them, with empty entries;
//! - globals: if the store's global array moved, every vmctx's global pointers are rewritten.
//!
//! The function array, read by `call_indirect`, is filled lazily: a restored CPython store
//! has 11,500 functions, of which a run calls a few hundred indirectly, and writing every
//! entry up front cost a fifth of a millisecond per process. An entry is filled (`fill`) when
//! `call_indirect` finds it empty, through the `FillEntry` runtime function, and when an
//! instance's vmctx takes an import from it. A host function, or a Wasm function without code
//! yet, gets the host adapter of its type from any module of the store that has that type; a
//! module that can call the function has its type, so the adapter is there before any such
//! call, and without one the entry stays empty (`call_indirect` then traps: no module with
//! code has the function's type).

use std::collections::HashMap;
use std::sync::Arc;

use super::compile::CompiledModule;
use super::libcalls::Libcall;
use super::vmctx::{VmCtxBox, VmCtxHeader, VmFunc, VmStoreCtx, VmTable};
use super::Pending;
use crate::global::GlobalEntity;
use crate::instance::InstanceEntity;
use crate::module::Module;
use crate::shared_slice::SharedSlice;
use crate::store::{FuncKind, FuncTable, StoreInner};
use crate::table::TableEntity;
use crate::zeroed::ZeroedSlice;
use crate::{Tier, Trap};

/// The compiled tier's state in a store.
pub(crate) struct StoreJit {
    pub ctx: Box<VmStoreCtx>,
    /// An entry per store function (at least), empty until filled; compiled code may index
    /// it with any function reference of the store.
    pub(super) funcs: ZeroedSlice<VmFunc>,
    /// Functions of instances waiting for their code whose entries were filled with the
    /// host-call path, by store index: emptied when the code arrives.
    pub(super) via_host: Vec<u32>,
    /// One entry per store instance; `None` while its module's code is not ready.
    pub instances: Vec<Option<InstanceJit>>,
    /// Instances waiting for their module's code (auto tier).
    waiting: Vec<u32>,
    /// The engine's count of finished background compilations when `waiting` was last checked.
    arrivals_seen: u64,
    /// One descriptor per store table.
    #[expect(
        clippy::vec_box,
        reason = "vmctxs point at the descriptors, which must not move"
    )]
    tables: Vec<Box<VmTable>>,
    /// Host adapter of each engine type id seen in the store's modules.
    adapters: HashMap<u32, *const u8>,
    /// Where the store's globals were when the vmctxs' global pointers were written.
    globals_at: *const GlobalEntity,
    /// A trap (or host panic) left by a runtime or host function for the entry point.
    pub pending: Option<Pending>,
    /// Nesting depth of entries into compiled code.
    pub depth: u32,
}

// SAFETY: the raw pointers point into data owned by the same store (its entities, vmctxs and
// table descriptors) or into code kept alive by `Arc`s in it; they are only followed by code
// running on behalf of the store, which requires `&mut Store`.
unsafe impl Send for StoreJit {}
// SAFETY: as above; `&StoreJit` gives no access through the pointers.
unsafe impl Sync for StoreJit {}

pub(crate) struct InstanceJit {
    pub code: Arc<CompiledModule>,
    pub vmctx: VmCtxBox,
    module: Module,
    /// The instance's function list (module index to store index), shared with its entity.
    funcs: SharedSlice<u32>,
}

impl InstanceJit {
    /// The entry of function `index` (module-level index space) if it is a defined function
    /// of the instance whose store index is `f`.
    fn entry(&self, index: u32, f: u32) -> Option<VmFunc> {
        let m = &self.module.inner;
        if self.funcs.get(index as usize) != Some(&f) {
            return None;
        }
        Some(VmFunc {
            code: self.code.func(index.checked_sub(m.num_imported_funcs)?)?,
            vmctx: self.vmctx.addr(),
            type_tag: VmFunc::type_tag(m.func_type_id(index)),
        })
    }
}

impl Default for StoreJit {
    fn default() -> Self {
        StoreJit {
            ctx: Box::new(VmStoreCtx {
                stack_limit: 0,
                funcs: std::ptr::null(),
                host_call: None,
                store: std::ptr::null_mut(),
                inner: std::ptr::null_mut(),
                epoch: std::ptr::null(),
                epoch_deadline: u64::MAX,
                libcalls: Libcall::addresses(),
            }),
            funcs: ZeroedSlice::default(),
            via_host: Vec::new(),
            instances: Vec::new(),
            waiting: Vec::new(),
            arrivals_seen: 0,
            tables: Vec::new(),
            adapters: HashMap::new(),
            globals_at: std::ptr::null(),
            pending: None,
            depth: 0,
        }
    }
}

impl StoreJit {
    /// The entry of Wasm function `f`, function `index` of instance `instance`, which has its
    /// code.
    pub(crate) fn func(&self, instance: u32, index: u32, f: u32) -> VmFunc {
        self.instances[instance as usize]
            .as_ref()
            .and_then(|inst| inst.entry(index, f))
            .expect("a Wasm function of an instance with code")
    }

    /// Whether instance `instance` has its code, so that calls of its functions run compiled.
    pub(crate) fn has_code(&self, instance: u32) -> bool {
        self.instances
            .get(instance as usize)
            .is_some_and(Option::is_some)
    }

    /// Points table `index`'s descriptor at its current elements.
    pub(crate) fn refresh_table(&mut self, index: usize, table: &mut TableEntity) {
        let desc = &mut self.tables[index];
        desc.base = table.elements.as_mut_ptr();
        desc.len = table.elements.len() as u64;
    }
}

/// Brings the store's compiled-tier state up to date with its entities. In the compiled tier
/// it compiles the modules of new instances first; otherwise it never waits for code.
pub(crate) fn sync(inner: &mut StoreInner) -> Result<(), Trap> {
    let wait_for_code = inner.engine.config().tier == Tier::Jit;
    let arrivals = inner.engine.code_arrivals();
    let StoreInner {
        funcs,
        memories,
        tables,
        globals,
        instances,
        jit,
        interp,
        ..
    } = inner;

    // Instances that get their code now: new ones whose module is ready, and waiting ones
    // whose module's code arrived.
    let mut arrived = Vec::new();
    for (k, entity) in instances.iter().enumerate().skip(jit.instances.len()) {
        let m = &entity.module.inner;
        let code = if wait_for_code {
            Some(m.jit.compiled(m).map_err(Trap::host)?)
        } else {
            m.jit.ready_or_cached(m).or_else(|| {
                super::start_background(&entity.module.inner);
                None
            })
        };
        jit.instances.push(None);
        match code {
            Some(code) => arrived.push((k, code)),
            None => jit.waiting.push(k as u32),
        }
    }
    if arrivals != jit.arrivals_seen {
        jit.arrivals_seen = arrivals;
        jit.waiting.retain(|&k| {
            let m = &instances[k as usize].module.inner;
            match m.jit.ready() {
                Some(code) => {
                    arrived.push((k as usize, code));
                    false
                }
                None => true,
            }
        });
    }
    for (k, code) in &arrived {
        let m = &instances[*k].module.inner;
        for (t, &type_id) in m.type_ids.iter().enumerate() {
            jit.adapters
                .entry(type_id)
                .or_insert_with(|| code.host_adapter(t as u32));
        }
        let entity = &instances[*k];
        jit.instances[*k] = Some(InstanceJit {
            vmctx: VmCtxBox::new(code.layout.size),
            code: Arc::clone(code),
            module: entity.module.clone(),
            funcs: entity.funcs.clone(),
        });
    }

    while jit.tables.len() < tables.len() {
        jit.tables.push(Box::new(VmTable {
            base: std::ptr::null_mut(),
            len: 0,
        }));
    }
    for (i, table) in tables.iter_mut().enumerate() {
        jit.refresh_table(i, table);
    }

    // Functions of instances that got their code now switch over: their entries filled with
    // the host-call path are emptied, and the interpreter sends their calls here.
    jit.via_host.retain(|&f| {
        let switches = match funcs[f as usize].kind {
            FuncKind::Wasm { instance, .. } => arrived.iter().any(|&(k, _)| k == instance as usize),
            FuncKind::Host { .. } => false,
        };
        if switches {
            jit.funcs[f as usize] = VmFunc::EMPTY;
        }
        !switches
    });
    for (k, _) in &arrived {
        let entity = &instances[*k];
        // Highest index first, so that the interpreter's list grows once, not per function.
        for &f in entity.funcs[inst_imported(entity) as usize..].iter().rev() {
            interp.send_calls_out(f);
        }
    }
    if jit.funcs.len() < funcs.len() {
        let mut grown = VmFunc::empty_array(funcs.len().max(2 * jit.funcs.len()));
        grown[..jit.funcs.len()].copy_from_slice(&jit.funcs);
        jit.funcs = grown;
        jit.ctx.funcs = jit.funcs.as_ptr();
    }

    for (k, _) in &arrived {
        fill_vmctx(jit, *k, funcs, instances, memories);
    }
    let moved = globals.as_ptr() != jit.globals_at;
    for (k, entity) in instances.iter().enumerate() {
        let fresh = arrived.iter().any(|&(a, _)| a == k);
        if let Some(inst) = jit.instances[k].as_mut().filter(|_| moved || fresh) {
            write_globals(inst, entity, globals);
        }
    }
    jit.globals_at = globals.as_ptr();
    Ok(())
}

/// Whether a background compilation finished since the store last looked: cheap enough for
/// the interpreter to ask at every loop header.
#[inline(always)]
pub(crate) fn code_arrived(inner: &StoreInner) -> bool {
    inner.engine.code_arrivals() != inner.jit.arrivals_seen
}

/// Whether calls of Wasm function `func` run compiled code (in the auto tier, once its
/// module's code is ready); brings the compiled tier's state up to date first.
pub(crate) fn runs_compiled(inner: &mut StoreInner, func: u32) -> Result<bool, Trap> {
    sync(inner)?;
    Ok(match inner.funcs[func as usize].kind {
        FuncKind::Wasm { instance, .. } => inner.jit.has_code(instance),
        FuncKind::Host { .. } => false,
    })
}

fn inst_imported(entity: &InstanceEntity) -> u32 {
    entity.module.inner.num_imported_funcs
}

/// The entry of store function `f`, filled first if it is empty and can be filled: with the
/// function's code if its instance has it, else with the host-call path through the adapter
/// of its type. Empty for a function the store does not hold.
pub(super) fn fill(
    jit: &mut StoreJit,
    funcs: &FuncTable,
    instances: &[InstanceEntity],
    f: u32,
) -> VmFunc {
    let Some(&current) = jit.funcs.get(f as usize) else {
        return VmFunc::EMPTY;
    };
    if current.type_tag != 0 {
        return current;
    }
    let Some(e) = funcs.get(f as usize) else {
        return VmFunc::EMPTY;
    };
    let via_host = || {
        jit.adapters.get(&e.type_id).map(|&code| VmFunc {
            code,
            vmctx: std::ptr::without_provenance_mut(f as usize),
            type_tag: VmFunc::type_tag(e.type_id),
        })
    };
    let entry = match e.kind {
        FuncKind::Host { .. } => via_host(),
        FuncKind::Wasm { instance, index } => match jit.instances.get(instance as usize) {
            Some(Some(inst)) => inst.entry(index, f),
            // Waiting for its code: unless `f` is no function of that instance (a function
            // left by an instantiation that failed).
            Some(None) => instances[instance as usize]
                .funcs
                .get(index as usize)
                .filter(|&&g| g == f)
                .and_then(|_| via_host())
                .inspect(|_| jit.via_host.push(f)),
            None => None,
        },
    };
    let entry = entry.unwrap_or(VmFunc::EMPTY);
    jit.funcs[f as usize] = entry;
    entry
}

/// Writes everything but the global pointers into instance `k`'s new vmctx.
///
/// Imports are written once, here: compiled code loads them as read-only, so an entry must
/// never change under it. An imported function that switches over to compiled code later is
/// still reached correctly through its old entry (the host-call path, which sends the call to
/// its code).
fn fill_vmctx(
    jit: &mut StoreJit,
    k: usize,
    funcs: &FuncTable,
    instances: &[InstanceEntity],
    memories: &[crate::memory::LinearMemory],
) {
    let store_ctx: *mut VmStoreCtx = &mut *jit.ctx;
    let entity = &instances[k];
    let m = &entity.module.inner;
    let imported = &entity.funcs[..m.num_imported_funcs as usize];
    let imports: Vec<VmFunc> = imported
        .iter()
        .map(|&f| fill(jit, funcs, instances, f))
        .collect();
    let inst = jit.instances[k]
        .as_mut()
        .expect("the instance has its code");
    let layout = inst.code.layout;
    let v = &mut inst.vmctx;
    v.write(
        0,
        VmCtxHeader {
            store_ctx,
            instance: k as u32,
        },
    );
    for (i, &mem) in entity.memories.iter().enumerate() {
        v.write(layout.memory(i as u32), memories[mem as usize].base());
    }
    for (i, &t) in entity.tables.iter().enumerate() {
        let desc: *mut VmTable = &mut *jit.tables[t as usize];
        v.write(layout.table(i as u32), desc);
    }
    for (i, (&f, import)) in imported.iter().zip(imports).enumerate() {
        v.write(layout.imported_func(i as u32), import);
        v.write(layout.imported_func_ref(i as u32), f as u64 + 1);
    }
    if let Some(&first) = entity.funcs.get(imported.len()) {
        v.write(layout.defined_func_ref(), first as u64 + 1);
    }
    for (t, &id) in m.type_ids.iter().enumerate() {
        v.write(layout.type_tag(t as u32), VmFunc::type_tag(id));
    }
}

fn write_globals(inst: &mut InstanceJit, entity: &InstanceEntity, globals: &mut [GlobalEntity]) {
    let layout = inst.code.layout;
    for (i, &g) in entity.globals.iter().enumerate() {
        let cell: *mut u128 = &mut globals[g as usize].value;
        inst.vmctx.write(layout.global(i as u32), cell);
    }
}
