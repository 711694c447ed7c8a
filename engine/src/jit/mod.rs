//! The compiled tier: Wasm functions translated to native code with Cranelift.
//!
//! - `translate/`: Wasm to CLIF, one file per operator family;
//! - `trampoline.rs`: adapters between the runtime's slots and native calls;
//! - `compile.rs`: the module pipeline (translate, compile in parallel, link, load);
//! - `cache.rs`: the on-disk code cache;
//! - `vmctx.rs`: the data compiled code reads and its layout;
//! - `instance.rs`: that data kept in step with a store's entities;
//! - `entry.rs`: calls between the runtime and compiled code;
//! - `libcalls.rs`: runtime functions compiled code calls;
//! - `sys.rs`, `shim.c`, `registry.rs`, `code.rs`: executable memory, and traps by signal.
//!
//! Calling convention: every compiled function takes `(callee vmctx, caller vmctx, Wasm
//! params...)` and returns its Wasm results, in Cranelift's `tail` convention; references are
//! their raw 64-bit encoding. Host functions are reached through a per-signature host adapter
//! with the same convention, so calls need not know what they call.

mod cache;
mod code;
mod compile;
mod entry;
mod image_meta;
mod instance;
mod isa;
mod libcalls;
mod registry;
mod sys;
#[cfg(test)]
mod tests;
mod trampoline;
mod translate;
mod traps;
mod vmctx;

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

pub(crate) use cache::module_digest;
pub(crate) use entry::call_wasm;
pub(crate) use instance::{code_arrived, runs_compiled, sync, StoreJit};
pub(crate) use sys::install_handlers as install_fault_handlers;
use traps::trap_kind;
pub(crate) use traps::{
    TRAP_BAD_SIGNATURE, TRAP_INDIRECT_NULL, TRAP_INDIRECT_OUT_OF_BOUNDS, TRAP_PENDING,
    TRAP_TABLE_OUT_OF_BOUNDS, TRAP_UNREACHABLE,
};

use crate::module::ModuleInner;
use crate::{Engine, Error, Tier, Trap};

/// What a runtime or host function leaves in the store when it makes compiled code trap.
pub(crate) enum Pending {
    Trap(Trap),
    /// A host function panicked; the panic resumes once compiled frames are left behind.
    Panic(Box<dyn Any + Send>),
}

/// A module's compiled code, made once and shared by all its instances.
#[derive(Default)]
pub(crate) struct ModuleJit {
    compiled: OnceLock<Result<Arc<compile::CompiledModule>, String>>,
    /// The module's entry in the engine's code cache, if the engine has one.
    cache: Option<cache::Cache>,
    /// Whether a compilation in the background has been started.
    background: AtomicBool,
    /// Where making the code stands: one of the `PHASE_` constants.
    phase: AtomicU8,
}

/// Waiting for another process that compiles the module into the cache.
const PHASE_WAITING: u8 = 1;
/// Compiling.
const PHASE_COMPILING: u8 = 2;
/// The code (or the reason there is none) is there.
const PHASE_DONE: u8 = 3;

impl ModuleJit {
    /// The module's code, compiled now on all cores unless it already is.
    fn compiled(&self, m: &ModuleInner) -> Result<Arc<compile::CompiledModule>, String> {
        self.compiled_with(m, all_cores(), &|_, _| {})
    }

    fn compiled_with(
        &self,
        m: &ModuleInner,
        threads: usize,
        progress: &compile::Progress<'_>,
    ) -> Result<Arc<compile::CompiledModule>, String> {
        self.compiled
            .get_or_init(|| {
                let code = self.make(m, threads, progress).map(Arc::new);
                self.phase.store(PHASE_DONE, Ordering::Release);
                code
            })
            .clone()
            .map_err(|e| format!("cannot compile the module: {e}"))
    }

    /// Compiles the module, or with a cache, takes its entry if another process has just
    /// written it (one that this process waited for while it compiled the module).
    fn make(
        &self,
        m: &ModuleInner,
        threads: usize,
        progress: &compile::Progress<'_>,
    ) -> Result<compile::CompiledModule, String> {
        let mut _lock = None;
        if let Some(cache) = &self.cache {
            // Without the lock (an unwritable cache directory, say) the module is just compiled.
            _lock = cache
                .lock(|| self.phase.store(PHASE_WAITING, Ordering::Release))
                .ok();
            // A process that this one waited for may have written the entry meanwhile.
            let written = cache.open().ok().flatten();
            if let Some(code) = written.and_then(|entry| compile::from_entry(m, entry).ok()) {
                return Ok(code);
            }
        }
        self.phase.store(PHASE_COMPILING, Ordering::Release);
        compile::compile_module(m, self.cache.as_ref(), threads, progress)
    }

    /// The module's code if it is ready, without waiting or compiling.
    fn ready(&self) -> Option<Arc<compile::CompiledModule>> {
        self.compiled.get()?.as_ref().ok().cloned()
    }

    /// The module's code if it is ready or an intact cache entry holds it, without waiting
    /// for a compiling process or compiling.
    fn ready_or_cached(&self, m: &ModuleInner) -> Option<Arc<compile::CompiledModule>> {
        if let Some(code) = self.ready() {
            return Some(code);
        }
        let cache = self.cache.as_ref()?;
        let entry = cache.open().unwrap_or_else(|reason| {
            warn_damaged(cache, &reason);
            None
        })?;
        let code = compile::from_entry(m, entry)
            .map_err(|reason| warn_damaged(cache, &reason))
            .ok()?;
        // Another thread may have set it meanwhile: either code is the module's.
        let _ = self.compiled.set(Ok(Arc::new(code)));
        self.ready()
    }
}

fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The engine settings that the cache key covers besides the module: those that change the
/// generated code, and the validator's (an entry vouches for its module's validity).
fn cache_options(engine: &Engine) -> String {
    format!(
        "epoch_interruption={};features={:x}",
        engine.config().epoch_interruption,
        crate::module::SUPPORTED_FEATURES.bits()
    )
}

/// What the code cache holds for a module, looked up before the module is decoded.
pub(crate) struct CacheProbe {
    cache: Option<cache::Cache>,
    entry: Option<cache::Entry>,
}

impl CacheProbe {
    /// Whether an intact entry exists: it was written for a module with exactly these bytes
    /// that had passed validation, so validating them again can be skipped.
    pub(crate) fn proves_valid(&self) -> bool {
        self.entry.is_some()
    }
}

/// Looks up the code cache entry of a module with `bytes`, if the engine compiles and caches;
/// a damaged entry is reported on stderr and ignored (compiling the module replaces it).
pub(crate) fn probe_cache(engine: &Engine, bytes: &[u8]) -> CacheProbe {
    let none = CacheProbe {
        cache: None,
        entry: None,
    };
    let Some(cache) = cache_of(engine, &cache::module_digest(bytes)) else {
        return none;
    };
    let entry = cache.open().unwrap_or_else(|reason| {
        warn_damaged(&cache, &reason);
        None
    });
    CacheProbe {
        cache: Some(cache),
        entry,
    }
}

/// The code cache entry of a module with digest `digest`, if the engine compiles and caches.
fn cache_of(engine: &Engine, digest: &[u8; 32]) -> Option<cache::Cache> {
    let config = engine.config();
    let dir = config
        .cache_dir
        .as_deref()
        .filter(|_| config.tier != Tier::Interp)?;
    let isa = isa::native().ok()?;
    Some(cache::Cache::new(
        dir,
        cache::key(&**isa, &cache_options(engine), digest),
    ))
}

/// The compiled-tier state of a module restored from a snapshot, whose digest the snapshot
/// recorded: its cache entry is looked up when code is first wanted, not now.
pub(crate) fn restored_module_jit(engine: &Engine, digest: &[u8; 32]) -> ModuleJit {
    ModuleJit {
        cache: cache_of(engine, digest),
        ..ModuleJit::default()
    }
}

fn warn_damaged(cache: &cache::Cache, reason: &str) {
    eprintln!(
        "warning: ignoring code cache file {}: {reason}; the module is compiled again",
        cache.path().display()
    );
}

/// The compiled-tier state of decoded module `m`, given what the cache held for it.
pub(crate) fn module_jit(m: &ModuleInner, probe: CacheProbe) -> ModuleJit {
    let jit = ModuleJit {
        cache: probe.cache,
        ..ModuleJit::default()
    };
    if let (Some(entry), Some(cache)) = (probe.entry, &jit.cache) {
        match compile::from_entry(m, entry) {
            Ok(code) => {
                let _ = jit.compiled.set(Ok(Arc::new(code)));
            }
            Err(reason) => warn_damaged(cache, &reason),
        }
    }
    jit
}

/// Removes every code cache entry from `dir`, a cache directory (see [`crate::Config::cache_dir`]),
/// and leaves other files alone; returns how many files it removed. A missing directory is an
/// empty cache.
pub fn clear_code_cache(dir: &std::path::Path) -> std::io::Result<usize> {
    cache::clear(dir)
}

/// Compiles module `m` unless it already is, on all cores, calling `progress` with the number
/// of units (functions and trampolines) compiled so far and the total.
pub(crate) fn precompile(
    m: &ModuleInner,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(), Error> {
    m.jit
        .compiled_with(m, all_cores(), progress)
        .map(drop)
        .map_err(Error::Unsupported)
}

/// Whether this process is compiling module `m` in the background (auto tier) — not merely
/// waiting for another process that compiles it into the cache.
pub(crate) fn compiling_in_background(m: &ModuleInner) -> bool {
    m.jit.background.load(Ordering::Acquire)
        && m.jit.phase.load(Ordering::Acquire) == PHASE_COMPILING
}

/// Whether this process started compiling module `m` in the background: then its runs began
/// on the interpreter alone, which runs far more of the module's interpreter code than runs
/// on compiled code do.
pub(crate) fn started_in_background(m: &ModuleInner) -> bool {
    m.jit.background.load(Ordering::Acquire)
}

/// Starts compiling module `m` on a background thread, once; the engine is told when the code
/// is ready (see `Engine::code_arrivals`). Leaves one core to the thread that runs the
/// interpreter meanwhile.
fn start_background(m: &Arc<ModuleInner>) {
    if m.jit.compiled.get().is_some() || m.jit.background.swap(true, Ordering::AcqRel) {
        return;
    }
    let module = Arc::clone(m);
    // Without a thread the module just stays interpreted.
    let _ = std::thread::Builder::new()
        .name("flint-compile".into())
        .spawn(move || {
            let threads = all_cores().saturating_sub(1).max(1);
            // A failure leaves the module interpreted; the interpreter reports the problem
            // if it meets it too.
            let _ = module.jit.compiled_with(&module, threads, &|_, _| {});
            module.engine.note_code_arrival();
        });
}
