//! Python snapshots for `flint python`: CPython captured right after its initialisation (and
//! any preloaded imports), restored by every run in a few milliseconds instead of booting.
//!
//! Files live in `<data dir>/snapshots/`, one per Python version and preload list:
//! `<version>.snap`, `<version>-preload-<hash>.snap`. A snapshot is built on first use and
//! rebuilt when it is unusable: damaged or truncated, written by another engine build, taken of
//! another `.wasm` file, or of another guest layout or bootstrap (its `PYHO` section records
//! those, see [`layout_key`]). Each file is written atomically, so concurrent runs never see a
//! partial one.
//!
//! Limits: every run restored from one snapshot shares CPython's string hash seed (chosen at
//! initialisation; runs with PYTHONHASHSEED set boot afresh), and shares the imports done
//! before the capture point (`sys.modules` of a fresh `-c` run, plus any preloads).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flint_engine::{Engine, LoadedSnapshot};

use crate::python::{bootstrap, layout_plan, Installation, LaunchPlan};

/// The section holding [`layout_key`].
pub const KEY_SECTION: [u8; 4] = *b"PYHO";
/// The section holding the WASI state.
pub const WASI_SECTION: [u8; 4] = *b"WASI";

/// One snapshot of one installed Python with one preload list.
pub struct PythonSnapshot<'a> {
    pub inst: &'a Installation,
    /// Sorted and deduplicated module names.
    pub preload: Vec<String>,
    /// `PYTHON*` and locale variables CPython initialises with (see `bootstrap_args::init_env`),
    /// sorted.
    pub init_env: Vec<(String, String)>,
    pub path: PathBuf,
}

impl<'a> PythonSnapshot<'a> {
    /// The snapshot of `inst` initialised with `init_env` and with `preload` imported, in data
    /// directory `data_dir`.
    pub fn new(
        data_dir: &Path,
        inst: &'a Installation,
        preload: &[String],
        init_env: &[(String, String)],
    ) -> Result<Self> {
        let mut preload = preload.to_vec();
        preload.sort();
        preload.dedup();
        let mut init_env = init_env.to_vec();
        init_env.sort();
        if let Some(bad) = preload.iter().find(|m| !bootstrap::is_module_name(m)) {
            anyhow::bail!("--preload: `{bad}` is not a module name");
        }
        let name = if preload.is_empty() && init_env.is_empty() {
            format!("{}.snap", inst.version)
        } else {
            // BLAKE3, whose probe of the processor's features the engine needs anyway, rather
            // than SHA-256, which probes again on first use (about 15 µs of a restored run).
            let mut h = blake3::Hasher::new();
            for m in &preload {
                h.update(format!("preload {m}\n").as_bytes());
            }
            for (k, v) in &init_env {
                h.update(format!("env {k}={v}\n").as_bytes());
            }
            let hex: String = h.finalize().as_bytes()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{}-{hex}.snap", inst.version)
        };
        Ok(PythonSnapshot {
            inst,
            preload,
            init_env,
            path: data_dir.join("snapshots").join(name),
        })
    }

    /// The guest layout and bootstrap the snapshot is built with: the empty `root` at `/`.
    pub fn build_plan(&self, root: &Path) -> LaunchPlan {
        let mut plan = layout_plan(self.inst, root);
        plan.env.extend(self.init_env.iter().cloned());
        plan.args.push("-c".into());
        plan.args.push(bootstrap::source(&self.preload).into());
        plan
    }

    /// Opens the snapshot, building it first if it is missing, and rebuilding it (with a
    /// warning) if it is unusable.
    ///
    /// The snapshot is kept for the rest of the process: a run restores it once and exits, and
    /// freeing the module it holds (tens of thousands of allocations for CPython) would add
    /// about a tenth to the run's time for nothing.
    pub fn open_or_build(&self, engine: &Engine) -> Result<&'static LoadedSnapshot> {
        if self.path.exists() {
            match self.open(engine) {
                Ok(loaded) => return Ok(Box::leak(Box::new(loaded))),
                Err(why) => eprintln!(
                    "flint: warning: rebuilding the snapshot {}: {why:#}",
                    self.path.display()
                ),
            }
        }
        self.build()?;
        let loaded = self.open(engine).with_context(|| {
            format!(
                "cannot use the snapshot just built at {}",
                self.path.display()
            )
        })?;
        Ok(Box::leak(Box::new(loaded)))
    }

    /// Opens the snapshot and checks that it is this one.
    pub fn open(&self, engine: &Engine) -> Result<LoadedSnapshot> {
        self.open_at(engine, &self.path)
    }

    /// Opens the snapshot file at `path` and checks that it is this snapshot.
    pub fn open_at(&self, engine: &Engine, path: &Path) -> Result<LoadedSnapshot> {
        let loaded = LoadedSnapshot::load(engine, path, &self.inst.wasm)?;
        if loaded.section(KEY_SECTION) != Some(self.layout_key().as_bytes()) {
            anyhow::bail!("it was taken with another guest layout, bootstrap or preload list");
        }
        Ok(loaded)
    }

    /// What besides the engine and the module a snapshot depends on: the guest's preopen
    /// names, its environment at initialisation, and its bootstrap (which names the preloads
    /// and the work descriptor).
    pub fn layout_key(&self) -> String {
        let plan = self.build_plan(Path::new("/"));
        let mut key = format!("flint python snapshot 1\nversion {}\n", self.inst.version);
        for p in &plan.preopens {
            key.push_str(&format!("preopen {}\n", p.guest));
        }
        for (k, v) in &plan.env {
            key.push_str(&format!("env {k}={v}\n"));
        }
        for a in &plan.args {
            // The arguments are text (the bootstrap among them, several kilobytes, checked at
            // every run): `to_str` checks that much faster than `to_string_lossy` converts it.
            let text = a.to_str().map_or_else(|| a.to_string_lossy(), Into::into);
            key.push_str("arg ");
            key.push_str(&text);
            key.push('\n');
        }
        key
    }
}
