//! Building a Python snapshot: CPython booted on the interpreter with the bootstrap as its
//! `-c` program, captured when the bootstrap reads its work from standard input.

use anyhow::{bail, Context, Result};
use flint_engine::{Config, Engine, Linker, Module, Snapshot, Store, Tier, Trap};
use flint_wasi::{MemoryPipe, Stdio, WasiCtx};

use std::path::{Path, PathBuf};

use crate::python::bootstrap::{Program, Work};
use crate::snapshot::{PythonSnapshot, KEY_SECTION, WASI_SECTION};
use crate::snapshot_run::{run_restored, Ending};

/// The store data of a build: the guest's WASI state and what the capture produced.
struct Build {
    wasi: WasiCtx,
    taken: Option<Result<(Snapshot, Vec<u8>), String>>,
}

/// The message of the trap that stops the build's guest once captured.
const TAKEN: &str = "snapshot taken";

impl PythonSnapshot<'_> {
    /// Builds the snapshot and writes it (atomically) to its path.
    pub fn build(&self) -> Result<()> {
        let root = EmptyDir::new()?;
        let plan = self.build_plan(&root.0);
        let engine = Engine::new(Config {
            tier: Tier::Interp,
            ..Config::default()
        });
        let module = Module::from_file(&engine, &self.inst.wasm)
            .with_context(|| format!("cannot load {}", self.inst.wasm.display()))?;
        let (stdout, stderr) = (MemoryPipe::default(), MemoryPipe::default());
        let mut builder = WasiCtx::builder();
        for a in &plan.args {
            builder.arg(a.to_str().context("bootstrap arguments are UTF-8")?);
        }
        for (k, v) in &plan.env {
            builder.env(k, v);
        }
        for p in &plan.preopens {
            builder.preopened_dir(&p.host, p.guest.clone());
        }
        builder
            .stdin(Stdio::Pipe(MemoryPipe::default()))
            .stdout(Stdio::Pipe(stdout.clone()))
            .stderr(Stdio::Pipe(stderr.clone()));
        let wasi = builder
            .build()
            .context("cannot open the preopened directories")?;

        let mut linker = Linker::new(&engine);
        flint_wasi::add_to_linker(&mut linker, |b: &mut Build| &mut b.wasi)?;
        flint_wasi::snapshot::hook_reads(
            &mut linker,
            |b| &mut b.wasi,
            0,
            |caller| {
                let taken = caller
                    .snapshot()
                    .map_err(|e| e.to_string())
                    .and_then(|snap| {
                        let wasi = flint_wasi::snapshot::encode_state(&caller.data().wasi);
                        Ok((snap, wasi.map_err(|e| e.to_string())?))
                    });
                caller.data_mut().taken = Some(taken);
                Err(Trap::host(TAKEN))
            },
        )?;
        let mut store = Store::new(&engine, Build { wasi, taken: None });
        let instance = linker.instantiate(&mut store, &module)?;
        let start = instance.get_typed_func::<(), (), _>(&store, "_start")?;
        let outcome = start.call(&mut store, ());
        let (mut snap, wasi) = match store.data_mut().taken.take() {
            Some(Ok(taken)) => taken,
            Some(Err(why)) => bail!(
                "cannot take a snapshot of Python {}: {why}",
                self.inst.version
            ),
            None => bail!(
                "Python {} stopped before its snapshot could be taken ({}):\n{}{}",
                self.inst.version,
                match outcome {
                    Ok(()) => "it returned".to_string(),
                    Err(trap) => trap.to_string(),
                },
                String::from_utf8_lossy(&stdout.contents()),
                String::from_utf8_lossy(&stderr.contents()),
            ),
        };
        snap.add_section(WASI_SECTION, wasi)?;
        snap.add_section(KEY_SECTION, self.layout_key().into_bytes())?;
        let dir = self
            .path
            .parent()
            .context("snapshot path has a directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // The snapshot reaches its own path only trained: a build cut short (the user's ^C
        // during a first run) must not leave a snapshot that every later run uses without its
        // interpreter code, a few milliseconds slower each time.
        let untrained = self.untrained_path();
        snap.write(&untrained, &self.inst.wasm)?;
        let trained = self.train(&root.0, &untrained);
        let _ = Snapshot::remove(&untrained);
        trained
    }

    /// Where a build keeps its snapshot while training it: beside the snapshot, one name per
    /// snapshot (a concurrent build replaces the file by renaming, so the one that is being
    /// trained from stays mapped intact).
    fn untrained_path(&self) -> PathBuf {
        let mut name = std::ffi::OsString::from(".");
        name.push(self.path.file_name().unwrap_or_default());
        name.push(".untrained");
        self.path.with_file_name(name)
    }

    /// Runs typical programs on restores of the snapshot at `untrained`, then writes it to its
    /// path with the interpreter code they needed and the memory pages they all wrote (see
    /// `LoadedSnapshot::write_with_code`), so that real runs start with that code instead of
    /// translating it, and copy those pages at once instead of one fault at a time.
    fn train(&self, root: &Path, untrained: &Path) -> Result<()> {
        let engine = Engine::new(Config {
            tier: Tier::Interp,
            ..Config::default()
        });
        let loaded = self.open_at(&engine, untrained)?;
        std::fs::write(root.join("train.py"), TRAINING_SCRIPT)
            .with_context(|| format!("cannot write {}", root.display()))?;
        let plan = self.build_plan(root);
        let programs = [
            (Program::Command(TRAINING_COMMAND.into()), "-c"),
            (Program::Script("train.py".into()), "train.py"),
        ];
        for (program, argv0) in programs {
            let work = Work {
                program,
                argv: vec![argv0.into()],
                orig_argv: vec!["python3".into(), argv0.into()],
                env: plan.env.clone(),
            };
            let stdio = [(); 3].map(|()| Stdio::Pipe(MemoryPipe::default()));
            let finished = run_restored(&engine, &loaded, &plan, &work, stdio, Ending::Return)?;
            loaded.learn_written_pages(finished.store());
        }
        loaded.write_with_code(&self.path)?;
        Ok(())
    }
}

/// What the training runs do: what most programs do early (print, format, handle errors, read
/// files, import pure-Python modules) and, for the script, fail with a traceback.
const TRAINING_COMMAND: &str = "print('hello', 1, 2.5, [1], {'a': (1,)})";
const TRAINING_SCRIPT: &str = r#"import json, os, sys
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x!r}, {self.y:.2f})"
points = [Point(i, i / 3) for i in range(10)]
data = json.loads(json.dumps({"points": [repr(p) for p in points], "n": len(points)}))
try:
    {}["missing"]
except KeyError as e:
    print("error", e, file=sys.stderr)
with open(__file__) as f:
    lines = f.read().splitlines()
print(sys.argv, os.getcwd(), len(lines), data["n"], " ".join(str(i) for i in range(5)))
raise SystemExit("done")
"#;

/// An empty directory for the guest's `/` during a build, so that nothing of the user's cwd
/// gets into the snapshot (imports search `/` first); removed when dropped.
struct EmptyDir(std::path::PathBuf);

impl EmptyDir {
    fn new() -> Result<EmptyDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "flint-snapshot-root-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(EmptyDir(path))
    }
}

impl Drop for EmptyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
