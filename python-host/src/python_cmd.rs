//! `flint python`: install, list and run CPython builds, behaving like `python3` for the user.
//!
//! `flint python install VER`, `flint python list` and `flint python snapshot` are
//! subcommands; anything else is the Python command line itself (`-c`, `-m`, a script, `-`),
//! preceded optionally by Flint's own options `-p VERSION`, `--tier TIER`, `--no-snapshot`
//! and `--preload MOD[,MOD...]`.
//!
//! Runs restore a snapshot of CPython taken after its initialisation (see `crate::snapshot`)
//! when the command line allows it; others, and all runs with `--no-snapshot`, boot CPython.

use std::ffi::OsString;

use std::io::IsTerminal;

use anyhow::{bail, Context, Result};
use flint_engine::{Engine, Tier};

use crate::host_only_env::HOST_ONLY_ENV;
use crate::python::bootstrap::{Program, Work};
use crate::python::{
    self, bootstrap_args, compile_stdlib_plan, launch_plan, Installation, LaunchPlan,
};
use crate::run::{run_wasi, Guest};
use crate::snapshot::PythonSnapshot;
use crate::snapshot_run::{run_restored, Ending};

const DEFAULT_VERSION: &str = "3.12";

pub fn python(args: Vec<OsString>) -> Result<u8> {
    let store = python::Store::from_env()?;
    match args.first().and_then(|a| a.to_str()) {
        Some("install") => {
            let versions = &args[1..];
            if versions.is_empty() {
                bail!("usage: flint python install VERSION...");
            }
            for v in versions {
                let v = v.to_str().context("version is not valid UTF-8")?;
                let inst = store.install(v, &prepare)?;
                eprintln!(
                    "installed Python {} at {}",
                    inst.version,
                    inst.dir.display()
                );
            }
            return Ok(0);
        }
        Some("list") => {
            print!(
                "{}",
                python::format_list(store.pythons_dir(), &store.list()?)
            );
            return Ok(0);
        }
        Some("snapshot") => {
            let (opts, rest) = split_flint_options(args[1..].to_vec())?;
            if !rest.is_empty() {
                bail!("usage: flint python snapshot [-p VERSION] [--preload MOD[,MOD...]]");
            }
            let inst = store.ensure_installed(&opts.version, &prepare)?;
            let snapshot = PythonSnapshot::new(&data_dir(&store)?, &inst, &opts.preload, &[])?;
            snapshot.build()?;
            eprintln!("built {}", snapshot.path.display());
            return Ok(0);
        }
        _ => {}
    }
    let (opts, py_args) = split_flint_options(args)?;
    let inst = store.ensure_installed(&opts.version, &prepare)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut plan = launch_plan(&inst, &cwd, &py_args);
    let base_env = plan.env.clone();
    pass_through_env(&mut plan);
    // A restored run resumes interpreter frames; in the auto tier the calls they make (the
    // program's own code among them) run compiled code from the cache. The compiled tier
    // alone, having no interpreter frames to resume, boots.
    if opts.snapshot && opts.tier != Tier::Jit {
        if let Some((work, init_env)) = snapshot_work(&plan, &cwd, &base_env) {
            let snapshot =
                PythonSnapshot::new(&data_dir(&store)?, &inst, &opts.preload, &init_env)?;
            let engine = Engine::new(crate::engine_config::engine_config(opts.tier));
            let loaded = snapshot.open_or_build(&engine)?;
            let finished = run_restored(
                &engine,
                loaded,
                &plan,
                &work,
                Default::default(),
                Ending::ExitProcess,
            )?;
            return Ok(finished.exit_code_without_teardown());
        }
    }
    run_plan(opts.tier, &plan)
}

/// The data directory, which holds `pythons/` and `snapshots/`.
fn data_dir(store: &python::Store) -> Result<std::path::PathBuf> {
    Ok(store
        .pythons_dir()
        .parent()
        .context("the pythons directory has a parent")?
        .to_path_buf())
}

/// The work a snapshot can run for `plan`, and the `PYTHON*` and locale variables that snapshot
/// must be built with; `None` if this run must boot CPython: options that act during
/// initialisation, the hash seed, a coerced C locale, the interactive prompt, or a script that
/// is a directory, zip file or bytecode.
fn snapshot_work(
    plan: &LaunchPlan,
    cwd: &std::path::Path,
    base_env: &[(String, String)],
) -> Option<(Work, Vec<(String, String)>)> {
    let init_env = bootstrap_args::init_env(&plan.env, base_env)?;
    let stdin_is_tty = std::io::stdin().is_terminal();
    let (program, argv) = bootstrap_args::classify(&plan.args[1..], stdin_is_tty)?;
    if let Program::Script(path) = &program {
        let host = cwd.join(
            std::path::Path::new(path)
                .strip_prefix("/")
                .unwrap_or(path.as_ref()),
        );
        if !bootstrap_args::is_plain_script(&host) {
            return None;
        }
    }
    let work = Work {
        program,
        argv,
        orig_argv: plan.args.clone(),
        env: plan.env.clone(),
    };
    Some((work, init_env))
}

/// Flint's own options of `flint python`.
struct Options {
    version: String,
    tier: Tier,
    /// Whether runs may restore a snapshot (`--no-snapshot` turns it off).
    snapshot: bool,
    preload: Vec<String>,
}

/// Splits Flint's options (only before the Python arguments) from the rest.
fn split_flint_options(args: Vec<OsString>) -> Result<(Options, Vec<OsString>)> {
    let mut opts = Options {
        version: DEFAULT_VERSION.to_string(),
        tier: Tier::Auto,
        snapshot: true,
        preload: Vec::new(),
    };
    let mut rest = args.into_iter().peekable();
    while let Some(flag) = rest.peek().and_then(|a| a.to_str()).map(str::to_string) {
        if flag == "--no-snapshot" {
            rest.next();
            opts.snapshot = false;
            continue;
        }
        let value = match flag.as_str() {
            "-p" | "--python" | "--tier" | "--preload" => {
                rest.next();
                rest.next()
                    .and_then(|v| v.into_string().ok())
                    .with_context(|| format!("{flag} needs a value"))?
            }
            _ => break,
        };
        match flag.as_str() {
            "--tier" => opts.tier = crate::cli::parse_tier(&value)?,
            "--preload" => opts.preload.extend(
                value
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(str::to_string),
            ),
            _ => opts.version = value,
        }
    }
    Ok((opts, rest.collect()))
}

/// The guest sees the host's environment, as `python3` would, minus what names host paths, and
/// minus variables the guest's environment cannot hold: names or values that are not UTF-8, and
/// names with `=` (which a `NAME=value` entry cannot delimit).
fn pass_through_env(plan: &mut LaunchPlan) {
    for (k, v) in std::env::vars_os() {
        let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) else {
            continue;
        };
        let set_by_plan = plan.env.iter().any(|(pk, _)| *pk == k);
        if !set_by_plan && !k.contains('=') && !HOST_ONLY_ENV.contains(&k.as_str()) {
            plan.env.push((k, v));
        }
    }
}

fn guest_of(plan: &LaunchPlan) -> Result<Guest> {
    let args = plan
        .args
        .iter()
        .map(|a| {
            a.clone()
                .into_string()
                .map_err(|a| anyhow::anyhow!("argument {a:?} is not UTF-8"))
        })
        .collect::<Result<_>>()?;
    Ok(Guest {
        args,
        env: plan.env.clone(),
        preopens: plan
            .preopens
            .iter()
            .map(|p| (p.host.clone(), p.guest.clone()))
            .collect(),
    })
}

fn run_plan(tier: Tier, plan: &LaunchPlan) -> Result<u8> {
    run_wasi(tier, &plan.wasm, &guest_of(plan)?)
}

/// The install-time preparation: for a build with its stdlib on disk, compile the `.pyc` files
/// with that very CPython running on Flint (the shipped ones are stale).
fn prepare(inst: &Installation) -> Result<()> {
    let Some(plan) = compile_stdlib_plan(inst) else {
        return Ok(());
    };
    eprintln!(
        "compiling the standard library of Python {} (once)…",
        inst.version
    );
    match run_plan(Tier::Auto, &plan)? {
        0 => Ok(()),
        code => bail!("compiling the standard library failed (exit code {code})"),
    }
}
