//! Running Python from a snapshot: the restored CPython gets this run's WASI resources and
//! finds this run's work queued ahead of its standard input.

use anyhow::{Context, Result};
use flint_engine::{Engine, Linker, LoadedSnapshot, Store};
use flint_wasi::snapshot::{restore_state, Rebind};
use flint_wasi::{Stdio, WasiCtx};

use crate::python::bootstrap::Work;
use crate::python::LaunchPlan;
use crate::snapshot::WASI_SECTION;

/// A restored run that has ended, with the store it ran in.
pub struct Finished {
    pub exit_code: u8,
    store: Store<WasiCtx>,
}

impl Finished {
    /// The store the run ended in.
    pub fn store(&self) -> &Store<WasiCtx> {
        &self.store
    }

    /// The exit code, leaving the store allocated: for a process that exits next, which frees
    /// it all at once, where tearing it down (the guest's memory, the engine's per-function
    /// state) would cost a few tenths of a millisecond at the end of every run.
    pub fn exit_code_without_teardown(self) -> u8 {
        let code = self.exit_code;
        std::mem::forget(self.store);
        code
    }
}

/// What becomes of this process when the restored guest exits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The run returns to the caller.
    Return,
    /// The process exits with the guest's exit code as soon as the guest asks to exit: its
    /// stack is not unwound (a signal out of compiled code, then every restored frame recorded
    /// for the trap's backtrace), which took about 0.1 ms of every CPython run.
    ExitProcess,
}

/// Restores `loaded` for the guest described by `plan` (arguments, environment, this run's host
/// directories) with standard streams `stdio`, hands it `work` and runs it to the end (or, with
/// [`Ending::ExitProcess`], to the exit of this process when the guest exits).
pub fn run_restored(
    engine: &Engine,
    loaded: &LoadedSnapshot,
    plan: &LaunchPlan,
    work: &Work,
    stdio: [Stdio; 3],
    ending: Ending,
) -> Result<Finished> {
    let state = loaded
        .section(WASI_SECTION)
        .context("the snapshot has no WASI state")?;
    let args = plan
        .args
        .iter()
        .map(|a| {
            // The message of a booted run (`python_cmd::guest_of`), for the same command line.
            a.to_str()
                .map(str::to_string)
                .with_context(|| format!("argument {a:?} is not UTF-8"))
        })
        .collect::<Result<_>>()?;
    let mut wasi = restore_state(
        state,
        Rebind {
            args,
            env: plan.env.clone(),
            dirs: plan
                .preopens
                .iter()
                .map(|p| (p.guest.clone(), p.host.clone()))
                .collect(),
            stdio,
        },
    )
    .context("cannot restore the snapshot's WASI state")?;
    wasi.prefix_input(0, &work.encode())?;
    // The first run records which pages of the snapshot's lazily filled interpreter code it
    // touched, for later runs to fill at once.
    let pages = loaded.code_pages_recorder().map(std::sync::Arc::new);
    if ending == Ending::ExitProcess {
        let module = loaded.module().clone();
        let wasm = plan.wasm.clone();
        let pages = pages.clone();
        wasi.on_proc_exit(move |code| {
            // What the end of a returning run does before its process exits.
            crate::cache_cmd::finish_in_background(&module, &wasm);
            if let Some(pages) = &pages {
                let _ = pages.write();
            }
            // The exit status a returning run gives, the code's low byte.
            std::process::exit(i32::from(code as u8))
        });
    }
    let mut linker = Linker::new(engine);
    flint_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
    let (mut store, suspended) = loaded.instantiate(&linker, wasi)?;
    loaded.populate_written_pages(&store);
    let outcome = suspended.resume(&mut store);
    // Without a cache entry, the auto tier began compiling the module: the next run gets it.
    crate::cache_cmd::finish_in_background(loaded.module(), &plan.wasm);
    if let Some(pages) = &pages {
        let _ = pages.write();
    }
    let exit_code = match outcome {
        Ok(_) => 0,
        Err(trap) => match trap.exit_code() {
            Some(code) => code as u8,
            None => {
                eprintln!("error: {trap}");
                134
            }
        },
    };
    Ok(Finished { exit_code, store })
}
