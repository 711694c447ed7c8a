//! Compilation of a whole module, as a pipeline of stages:
//!
//! 1. `ModuleEnv`: what translation needs to know about the module;
//! 2. `compile_jobs`: every defined function plus an array entry and a host adapter per type,
//!    each translated to CLIF and compiled to machine code, in parallel (`CompiledFunc`s);
//! 3. `link`: the functions laid out in one image, with calls between them resolved
//!    (`Image`, position-independent);
//! 4. `CompiledModule::new`: the image mapped executable and its trap sites registered.
//!
//! With a cache directory configured, an image is stored there after stage 3 (see `cache.rs`);
//! `Module::new` looks it up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::ExternalName;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, FinalizedRelocTarget};
use cranelift_frontend::FunctionBuilderContext;

use super::cache::{Cache, Entry};
use super::code::CodeMemory;
use super::image_meta::{ImageMeta, TrapSite};
use super::registry::{self, Registration};
use super::translate::{translate_function, ModuleEnv};
use super::vmctx::{VmLayout, VmShape};
use super::{isa, trampoline};
use crate::module::ModuleInner;

/// Reports compilation progress: units compiled so far, and in all.
pub(crate) type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

/// One unit of compilation.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// A defined function, by defined index.
    Func(u32),
    /// The array entry of a module type.
    ArrayEntry(u32),
    /// The host adapter of a module type.
    HostAdapter(u32),
}

/// A call from one defined function to another, to patch at link time.
struct Call {
    offset: u32,
    kind: Reloc,
    /// Defined index of the callee.
    callee: u32,
    addend: i64,
}

/// Machine code of one job, positioned at 0.
struct CompiledFunc {
    code: Vec<u8>,
    alignment: u32,
    calls: Vec<Call>,
    traps: Vec<TrapSite>,
}

/// A module's machine code, laid out and linked.
pub(crate) struct Image {
    pub code: Vec<u8>,
    pub meta: ImageMeta,
}

/// A module's compiled code, shared by all its instances in every store.
pub(crate) struct CompiledModule {
    // Declared first so that it is dropped first: the handler must stop finding trap sites in
    // the code before the code is unmapped.
    _registration: Registration,
    code: CodeMemory,
    meta: Arc<ImageMeta>,
    /// Where the defined functions end: the trampolines follow them.
    funcs_end: u32,
    pub layout: VmLayout,
}

impl CompiledModule {
    fn at(&self, offset: u32) -> *const u8 {
        self.code.start().wrapping_add(offset as usize)
    }

    /// Native code of defined function `defined`, if the module has that function.
    pub(crate) fn func(&self, defined: u32) -> Option<*const u8> {
        Some(self.at(self.meta.func(defined)?))
    }

    pub(crate) fn array_entry(&self, type_index: u32) -> *const u8 {
        self.at(self.meta.array_entry(type_index))
    }

    pub(crate) fn host_adapter(&self, type_index: u32) -> *const u8 {
        self.at(self.meta.host_adapter(type_index))
    }

    /// The defined function whose code contains `pc`.
    pub(crate) fn defined_func_at(&self, pc: usize) -> Option<u32> {
        let offset = u32::try_from(pc.checked_sub(self.code.start() as usize)?).ok()?;
        if offset >= self.funcs_end {
            return None;
        }
        self.meta.defined_func_at(offset)
    }

    /// Registers the trap sites of `code`, which is laid out as `meta` says.
    pub(crate) fn new(code: CodeMemory, meta: ImageMeta, layout: VmLayout) -> Self {
        let funcs_end = meta.funcs_end(code.len() as u32);
        let meta = Arc::new(meta);
        let registration = registry::register(code.start(), code.len(), Arc::clone(&meta));
        CompiledModule {
            _registration: registration,
            code,
            meta,
            funcs_end,
            layout,
        }
    }
}

/// The vmctx layout of module `m`'s instances.
pub(crate) fn layout_of(m: &ModuleInner) -> VmLayout {
    VmLayout::new(VmShape {
        memories: m.memories.len() as u32,
        tables: m.tables.len() as u32,
        globals: m.globals.len() as u32,
        imported_funcs: m.num_imported_funcs,
        types: m.types.len() as u32,
    })
}

/// The code of cache entry `entry` for module `m`, if the entry fits the module.
pub(crate) fn from_entry(m: &ModuleInner, entry: Entry) -> Result<CompiledModule, String> {
    let counts = entry.meta.counts();
    if counts.funcs as usize != m.bodies.len() || counts.types as usize != m.types.len() {
        return Err("it does not fit the module".into());
    }
    Ok(CompiledModule::new(entry.code, entry.meta, layout_of(m)))
}

/// Compiles module `m` on up to `threads` threads, calling `progress` with the number of
/// units compiled so far and the total, and stores the result in `cache`.
pub(crate) fn compile_module(
    m: &ModuleInner,
    cache: Option<&Cache>,
    threads: usize,
    progress: &Progress<'_>,
) -> Result<CompiledModule, String> {
    let isa = isa::native()?;
    let layout = layout_of(m);
    let env = ModuleEnv::new(m, layout, &**isa);
    let types = env.types.len() as u32;
    let jobs: Vec<Job> = (0..env.num_defined_funcs())
        .map(Job::Func)
        .chain((0..types).map(Job::ArrayEntry))
        .chain((0..types).map(Job::HostAdapter))
        .collect();
    let compiled = compile_jobs(&env, &**isa, &jobs, threads, progress)?;
    let image = link(&jobs, compiled, types as usize)?;
    if let Some(cache) = cache {
        // The cache only saves time: failing to fill it is not an error.
        let _ = cache.store(&image);
    }
    let code = CodeMemory::new(&image.code)?;
    Ok(CompiledModule::new(code, image.meta, layout))
}

/// Per-thread reusable compilation state.
struct Worker {
    ctx: Context,
    fctx: FunctionBuilderContext,
}

/// Fewest jobs worth a thread of their own: spawning one costs about as much as compiling a
/// few small functions.
const JOBS_PER_THREAD: usize = 16;

fn compile_jobs(
    env: &ModuleEnv<'_>,
    isa: &dyn TargetIsa,
    jobs: &[Job],
    threads: usize,
    progress: &Progress<'_>,
) -> Result<Vec<CompiledFunc>, String> {
    let threads = threads.min(jobs.len().div_ceil(JOBS_PER_THREAD)).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<CompiledFunc, String>>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    let work = || {
        let mut worker = Worker {
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
        };
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&job) = jobs.get(i) else { break };
            let result = compile_job(env, isa, job, &mut worker);
            results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
        }
    };
    if threads == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(work);
            }
        });
    }
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

fn compile_job(
    env: &ModuleEnv<'_>,
    isa: &dyn TargetIsa,
    job: Job,
    w: &mut Worker,
) -> Result<CompiledFunc, String> {
    w.ctx.clear();
    match job {
        Job::Func(i) => translate_function(env, i, &mut w.ctx.func, &mut w.fctx)
            .map_err(|e| format!("function {}: {e}", env.num_imported_funcs + i))?,
        Job::ArrayEntry(t) => trampoline::array_entry(env, t, &mut w.ctx.func, &mut w.fctx),
        Job::HostAdapter(t) => trampoline::host_adapter(env, t, &mut w.ctx.func, &mut w.fctx),
    }
    w.ctx
        .compile(isa, &mut ControlPlane::default())
        .map_err(|e| format!("{job:?}: {:?}", e.inner))?;
    let compiled = w.ctx.compiled_code().expect("just compiled");
    let names = w.ctx.func.params.user_named_funcs();
    let mut calls = Vec::new();
    for reloc in compiled.buffer.relocs() {
        let callee = match &reloc.target {
            FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => names[*name].index,
            other => return Err(format!("{job:?}: unexpected relocation to {other:?}")),
        };
        calls.push(Call {
            offset: reloc.offset,
            kind: reloc.kind,
            callee,
            addend: reloc.addend,
        });
    }
    let traps = compiled
        .buffer
        .traps()
        .iter()
        .map(|t| TrapSite {
            offset: t.offset,
            code: t.code,
        })
        .collect();
    Ok(CompiledFunc {
        code: compiled.code_buffer().to_vec(),
        alignment: compiled.buffer.alignment,
        calls,
        traps,
    })
}

/// Functions start at least this aligned, for the instruction fetcher's sake.
const FUNCTION_ALIGNMENT: u32 = 16;

fn link(jobs: &[Job], funcs: Vec<CompiledFunc>, types: usize) -> Result<Image, String> {
    let mut code = Vec::new();
    let mut traps = Vec::new();
    let mut func_starts = Vec::new();
    let mut array_entries = vec![0; types];
    let mut host_adapters = vec![0; types];
    let mut starts = Vec::with_capacity(funcs.len());
    for (job, f) in jobs.iter().zip(&funcs) {
        let align = f.alignment.max(FUNCTION_ALIGNMENT) as usize;
        code.resize(code.len().next_multiple_of(align), 0);
        let start = code.len() as u32;
        starts.push(start);
        code.extend_from_slice(&f.code);
        traps.extend(f.traps.iter().map(|t| TrapSite {
            offset: start + t.offset,
            code: t.code,
        }));
        match *job {
            Job::Func(_) => func_starts.push(start),
            Job::ArrayEntry(t) => array_entries[t as usize] = start,
            Job::HostAdapter(t) => host_adapters[t as usize] = start,
        }
    }
    for (f, &start) in funcs.iter().zip(&starts) {
        for call in &f.calls {
            let site = start + call.offset;
            let target = func_starts[call.callee as usize];
            patch_call(&mut code, site, target, call)?;
        }
    }
    let meta = ImageMeta::encode(&func_starts, &array_entries, &host_adapters, traps);
    Ok(Image { code, meta })
}

/// Patches the PC-relative call at `site` to reach `target` (both image offsets).
fn patch_call(code: &mut [u8], site: u32, target: u32, call: &Call) -> Result<(), String> {
    let at = site as usize;
    let delta = target as i64 + call.addend - site as i64;
    match call.kind {
        Reloc::X86CallPCRel4 | Reloc::X86PCRel4 => {
            let delta = i32::try_from(delta).map_err(|_| "call out of range".to_string())?;
            code[at..at + 4].copy_from_slice(&delta.to_le_bytes());
        }
        Reloc::Arm64Call => {
            let insn = u32::from_le_bytes(code[at..at + 4].try_into().expect("4 bytes"));
            let imm = ((delta >> 2) as u32) & 0x03ff_ffff;
            code[at..at + 4].copy_from_slice(&((insn & 0xfc00_0000) | imm).to_le_bytes());
        }
        other => return Err(format!("unsupported relocation {other:?}")),
    }
    Ok(())
}
