//! The compiled tier's view of a store: the store context, the store-level function array, a
//! vmctx per instance and a descriptor per table, kept in step with the store's entities.
//!
//! The store's entity arrays only ever grow, and they grow outside compiled code (instantiation,
//! host API calls) or inside runtime and host functions. `sync` brings this view up to date; it
//! runs on every entry into compiled code and after every host call, and costs a few
//! comparisons when nothing changed. What it does when something changed:
//!
//! - new instances: their module is compiled (once per module), and they get a vmctx;
//! - tables: each table's descriptor is pointed at its current elements;
//! - new functions: they get a `VmFunc`; a host function gets the host adapter of its type
//!   from any module of the store that has that type (a module that can call the function
//!   has its type, so the adapter is there before any such call);
//! - globals: if the store's global array moved, every vmctx's global pointers are rewritten.

use std::collections::HashMap;
use std::sync::Arc;

use super::compile::CompiledModule;
use super::libcalls::Libcall;
use super::vmctx::{VmCtxBox, VmCtxHeader, VmFunc, VmStoreCtx, VmTable};
use super::Pending;
use crate::global::GlobalEntity;
use crate::instance::InstanceEntity;
use crate::store::{FuncKind, StoreInner};
use crate::table::TableEntity;
use crate::Trap;

/// The compiled tier's state in a store.
pub(crate) struct StoreJit {
    pub ctx: Box<VmStoreCtx>,
    /// One entry per store function.
    funcs: Vec<VmFunc>,
    /// Host functions still without an adapter, by store index.
    unadapted: Vec<u32>,
    pub instances: Vec<InstanceJit>,
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

    /// Points table `index`'s descriptor at its current elements.
    pub(crate) fn refresh_table(&mut self, index: usize, table: &mut TableEntity) {
        let desc = &mut self.tables[index];
        desc.base = table.elements.as_mut_ptr();
        desc.len = table.elements.len() as u64;
    }
}

/// Brings the store's compiled-tier state up to date with its entities.
pub(crate) fn sync(inner: &mut StoreInner) -> Result<(), Trap> {
    let StoreInner {
        funcs,
        memories,
        tables,
        globals,
        instances,
        jit,
        ..
    } = inner;

    let first_new = jit.instances.len();
    let mut new_adapters = false;
    for entity in &instances[first_new..] {
        let m = &entity.module.inner;
        let code = m.jit.compiled(m).map_err(Trap::host)?;
        for (t, &type_id) in m.type_ids.iter().enumerate() {
            jit.adapters.entry(type_id).or_insert_with(|| {
                new_adapters = true;
                code.host_adapter(t as u32)
            });
        }
        jit.instances.push(InstanceJit {
            vmctx: VmCtxBox::new(code.layout.size),
            code,
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

    if new_adapters {
        let pending = std::mem::take(&mut jit.unadapted);
        for f in pending {
            jit.funcs[f as usize] = host_func(jit, f, funcs[f as usize].type_id);
        }
    }
    // A Wasm function whose instance failed to be created stays uncallable.
    for (f, e) in funcs.iter().enumerate().skip(jit.funcs.len()) {
        let vm = match e.kind {
            FuncKind::Host { .. } => host_func(jit, f as u32, e.type_id),
            FuncKind::Wasm { instance, index } => {
                let code = jit.instances.get_mut(instance as usize).and_then(|inst| {
                    let defined =
                        index.checked_sub(inst_imported(&instances[instance as usize]))?;
                    Some((inst.code.func(defined)?, inst.vmctx.as_mut_ptr()))
                });
                match code {
                    Some((code, vmctx)) => VmFunc {
                        code,
                        vmctx,
                        type_id: e.type_id,
                    },
                    None => VmFunc::NULL,
                }
            }
        };
        jit.funcs.push(vm);
    }
    jit.ctx.funcs = jit.funcs.as_ptr();

    for (k, entity) in instances.iter().enumerate().skip(first_new) {
        fill_vmctx(jit, k, entity, memories);
    }
    let moved = globals.as_ptr() != jit.globals_at;
    let rewrite = if moved { 0 } else { first_new };
    for (k, entity) in instances.iter().enumerate().skip(rewrite) {
        write_globals(&mut jit.instances[k], entity, globals);
    }
    jit.globals_at = globals.as_ptr();
    Ok(())
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
fn fill_vmctx(
    jit: &mut StoreJit,
    k: usize,
    entity: &InstanceEntity,
    memories: &[crate::memory::LinearMemory],
) {
    let store_ctx: *mut VmStoreCtx = &mut *jit.ctx;
    let m = &entity.module.inner;
    let inst = &mut jit.instances[k];
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
