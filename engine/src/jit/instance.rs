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
//!   (and every import of them) now point at their code, and the interpreter is told to send
//!   new calls of them here;
//! - tables: each table's descriptor is pointed at its current elements;
//! - new functions: they get a `VmFunc`; a host function, or a Wasm function without code yet,
//!   gets the host adapter of its type from any module of the store that has that type (a
//!   module that can call the function has its type, so the adapter is there before any
//!   such call);
//! - globals: if the store's global array moved, every vmctx's global pointers are rewritten.

use std::collections::HashMap;
use std::sync::Arc;

use super::compile::CompiledModule;
use super::libcalls::Libcall;
use super::vmctx::{VmCtxBox, VmCtxHeader, VmFunc, VmStoreCtx, VmTable};
use super::Pending;
use crate::global::GlobalEntity;
use crate::instance::InstanceEntity;
use crate::store::{FuncEntity, FuncKind, StoreInner};
use crate::table::TableEntity;
use crate::{Tier, Trap};

/// The compiled tier's state in a store.
pub(crate) struct StoreJit {
    pub ctx: Box<VmStoreCtx>,
    /// One entry per store function.
    funcs: Vec<VmFunc>,
    /// Functions reached through the host-call path still without an adapter, by store index.
    unadapted: Vec<u32>,
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
            funcs: Vec::new(),
            unadapted: Vec::new(),
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
    pub(crate) fn func(&self, index: u32) -> VmFunc {
        self.funcs[index as usize]
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
    let mut new_adapters = false;
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
            jit.adapters.entry(type_id).or_insert_with(|| {
                new_adapters = true;
                code.host_adapter(t as u32)
            });
        }
        jit.instances[*k] = Some(InstanceJit {
            vmctx: VmCtxBox::new(code.layout.size),
            code: Arc::clone(code),
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

    // Functions of instances that got their code now and already had an entry switch over.
    for (k, _) in &arrived {
        let entity = &instances[*k];
        let defined = &entity.funcs[inst_imported(entity) as usize..];
        for &f in defined {
            if (f as usize) < jit.funcs.len() {
                jit.funcs[f as usize] = compiled_func(jit, instances, &funcs[f as usize]);
            }
            interp.send_calls_out(f);
        }
    }
    jit.unadapted.retain(|&f| match funcs[f as usize].kind {
        FuncKind::Wasm { instance, .. } => !arrived.iter().any(|&(k, _)| k == instance as usize),
        FuncKind::Host { .. } => true,
    });
    if new_adapters {
        let pending = std::mem::take(&mut jit.unadapted);
        for f in pending {
            jit.funcs[f as usize] = host_func(jit, f, funcs[f as usize].type_id);
        }
    }
    jit.funcs.reserve(funcs.len() - jit.funcs.len());
    for (f, e) in funcs.iter().enumerate().skip(jit.funcs.len()) {
        let f = f as u32;
        let vm = match e.kind {
            FuncKind::Host { .. } => host_func(jit, f, e.type_id),
            FuncKind::Wasm { instance, .. } => match jit.instances.get(instance as usize) {
                Some(Some(_)) => compiled_func(jit, instances, e),
                Some(None) => host_func(jit, f, e.type_id),
                // A Wasm function whose instance failed to be created stays uncallable.
                None => VmFunc::NULL,
            },
        };
        jit.funcs.push(vm);
    }
    jit.ctx.funcs = jit.funcs.as_ptr();

    for (k, _) in &arrived {
        fill_vmctx(jit, *k, &instances[*k], memories);
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

/// The `VmFunc` of a Wasm function of an instance that has its code.
fn compiled_func(jit: &mut StoreJit, instances: &[InstanceEntity], e: &FuncEntity) -> VmFunc {
    let FuncKind::Wasm { instance, index } = e.kind else {
        unreachable!("only Wasm functions have compiled code")
    };
    let inst = jit.instances[instance as usize]
        .as_mut()
        .expect("the instance has its code");
    let defined = index - inst_imported(&instances[instance as usize]);
    VmFunc {
        code: inst.code.func(defined).expect("a defined function"),
        vmctx: inst.vmctx.as_mut_ptr(),
        type_id: e.type_id,
    }
}

fn inst_imported(entity: &InstanceEntity) -> u32 {
    entity.module.inner.num_imported_funcs
}

/// The `VmFunc` of host function `f`; recorded for later if no adapter exists yet.
fn host_func(jit: &mut StoreJit, f: u32, type_id: u32) -> VmFunc {
    let code = match jit.adapters.get(&type_id) {
        Some(&code) => code,
        None => {
            jit.unadapted.push(f);
            std::ptr::null()
        }
    };
    VmFunc {
        code,
        vmctx: std::ptr::without_provenance_mut(f as usize),
        type_id,
    }
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
    entity: &InstanceEntity,
    memories: &[crate::memory::LinearMemory],
) {
    let store_ctx: *mut VmStoreCtx = &mut *jit.ctx;
    let m = &entity.module.inner;
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
    for (i, &f) in entity.funcs.iter().enumerate() {
        if (i as u32) < m.num_imported_funcs {
            v.write(layout.imported_func(i as u32), jit.funcs[f as usize]);
        }
        v.write(layout.func_ref(i as u32), f as u64 + 1);
    }
    for (t, &id) in m.type_ids.iter().enumerate() {
        v.write(layout.type_id(t as u32), id);
    }
}

fn write_globals(inst: &mut InstanceJit, entity: &InstanceEntity, globals: &mut [GlobalEntity]) {
    let layout = inst.code.layout;
    for (i, &g) in entity.globals.iter().enumerate() {
        let cell: *mut u128 = &mut globals[g as usize].value;
        inst.vmctx.write(layout.global(i as u32), cell);
    }
}
