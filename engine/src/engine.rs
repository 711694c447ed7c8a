//! The engine: configuration and the process-wide registry of function signatures.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::snapshot::val_type_code;
use crate::FuncType;

/// Which execution tier runs Wasm code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tier {
    /// Translate each function lazily into the interpreter's internal code.
    #[default]
    Interp,
    /// Compile each module to native code with Cranelift when it is first run.
    Jit,
    /// Run a module's cached native code if there is some; otherwise interpret it at once
    /// while it compiles in the background, and switch calls over to the native code when it
    /// arrives (frames already running finish in the interpreter).
    Auto,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub tier: Tier,
    /// Maximum depth of nested Wasm calls before a stack-exhaustion trap.
    pub max_call_depth: usize,
    /// Maximum number of value slots on the interpreter's value stack.
    pub max_value_stack: usize,
    /// Maximum bytes of native stack compiled code may use before a stack-exhaustion trap.
    pub max_wasm_stack: usize,
    /// Where the compiled tier caches machine code across processes; `None` disables caching.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Whether Wasm code checks the engine's epoch against the store's deadline (see
    /// [`Engine::increment_epoch`] and [`crate::Store::set_epoch_deadline`]).
    pub epoch_interruption: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tier: Tier::Interp,
            max_call_depth: 20_000,
            max_value_stack: 4 << 20,
            max_wasm_stack: 2 << 20,
            cache_dir: None,
            epoch_interruption: false,
        }
    }
}

/// Shared by every module, store and linker made from it; cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    config: Config,
    types: Mutex<TypeRegistry>,
    epoch: AtomicU64,
    /// How many background compilations have finished; stores look for new code when it
    /// changes.
    code_arrivals: AtomicU64,
}

/// Interns signatures so that `call_indirect` compares two `u32`s instead of two type lists.
#[derive(Default)]
struct TypeRegistry {
    /// Id of each signature, by its key (see `TypeRegistry::key`): hashed as one byte string,
    /// where hashing the `FuncType` itself hashes each value type apart (CPython's 160
    /// signatures took 0.4 M instructions to intern, mostly in the hasher).
    ids: HashMap<Box<[u8]>, u32>,
    types: Vec<FuncType>,
    /// The key of the signature being looked up, kept to reuse its buffer.
    key: Vec<u8>,
}

impl TypeRegistry {
    fn intern(&mut self, ty: &FuncType) -> u32 {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        key.extend_from_slice(&(ty.params().len() as u32).to_le_bytes());
        key.extend(
            ty.params()
                .iter()
                .chain(ty.results())
                .map(|&t| val_type_code(t)),
        );
        let id = match self.ids.get(key.as_slice()) {
            Some(&id) => id,
            None => {
                let id = self.types.len() as u32;
                self.types.push(ty.clone());
                self.ids.insert(key.as_slice().into(), id);
                id
            }
        };
        self.key = key;
        id
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Config::default())
    }
}

impl Engine {
    pub fn new(config: Config) -> Self {
        Engine {
            inner: Arc::new(EngineInner {
                config,
                types: Mutex::default(),
                epoch: AtomicU64::new(0),
                code_arrivals: AtomicU64::new(0),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Advances the epoch; Wasm code running in a store whose deadline this reaches traps with
    /// [`crate::TrapKind::Interrupt`] (with `Config::epoch_interruption`). Cheap, and callable
    /// from any thread, e.g. a timer.
    pub fn increment_epoch(&self) {
        self.inner.epoch.fetch_add(1, Ordering::Relaxed);
    }

    /// The epoch counter, which compiled code reads directly.
    pub(crate) fn epoch(&self) -> &AtomicU64 {
        &self.inner.epoch
    }

    /// Counts a finished background compilation.
    pub(crate) fn note_code_arrival(&self) {
        self.inner.code_arrivals.fetch_add(1, Ordering::Release);
    }

    pub(crate) fn code_arrivals(&self) -> u64 {
        self.inner.code_arrivals.load(Ordering::Acquire)
    }

    /// The engine-wide id of a signature; equal signatures get equal ids.
    pub(crate) fn intern_type(&self, ty: &FuncType) -> u32 {
        let mut reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        reg.intern(ty)
    }

    /// The engine-wide ids of `types`, interned at once.
    pub(crate) fn intern_types(&self, types: &[FuncType]) -> Vec<u32> {
        let mut reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        reg.ids.reserve(types.len());
        reg.types.reserve(types.len());
        types.iter().map(|ty| reg.intern(ty)).collect()
    }

    pub(crate) fn type_of(&self, id: u32) -> FuncType {
        let reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        reg.types[id as usize].clone()
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}
