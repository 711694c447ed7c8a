//! `flint python`: install, list and run CPython builds, behaving like `python3` for the user.
//!
//! `flint python install VER` and `flint python list` are subcommands; anything else is the
//! Python command line itself (`-c`, `-m`, a script, `-`), preceded optionally by Flint's own
//! options `-p VERSION` and `--tier TIER`.

use std::ffi::OsString;

use anyhow::{bail, Context, Result};
use flint_engine::Tier;

use crate::python::{self, compile_stdlib_plan, launch_plan, Installation, LaunchPlan};
use crate::run::{run_wasi, Guest};

const DEFAULT_VERSION: &str = "3.12";

/// Host variables that name host paths or host-Python settings the guest cannot use.
const HOST_ONLY_ENV: &[&str] =
    &["PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONEXECUTABLE", "TMPDIR", "PWD", "OLDPWD"];

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
                eprintln!("installed Python {} at {}", inst.version, inst.dir.display());
            }
            return Ok(0);
        }
        Some("list") => {
            print!("{}", python::format_list(store.pythons_dir(), &store.list()?));
            return Ok(0);
        }
        _ => {}
    }
    let (version, tier, py_args) = split_flint_options(args)?;
    let inst = store.ensure_installed(&version, &prepare)?;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let mut plan = launch_plan(&inst, &cwd, &py_args);
    pass_through_env(&mut plan);
    run_plan(tier, &plan)
}

/// Splits `-p VERSION` / `--tier TIER` (only before the Python arguments) from the rest.
fn split_flint_options(args: Vec<OsString>) -> Result<(String, Tier, Vec<OsString>)> {
    let mut version = DEFAULT_VERSION.to_string();
    let mut tier = Tier::Auto;
    let mut rest = args.into_iter().peekable();
    while let Some(flag) = rest.peek().and_then(|a| a.to_str()).map(str::to_string) {
        let value = match flag.as_str() {
            "-p" | "--python" | "--tier" => {
                rest.next();
                rest.next()
                    .and_then(|v| v.into_string().ok())
                    .with_context(|| format!("{flag} needs a value"))?
            }
            _ => break,
        };
        if flag == "--tier" {
            tier = crate::cli::parse_tier(&value)?;
        } else {
            version = value;
        }
    }
    Ok((version, tier, rest.collect()))
}

/// The guest sees the host's environment, as `python3` would, minus what names host paths.
fn pass_through_env(plan: &mut LaunchPlan) {
    for (k, v) in std::env::vars() {
        let set_by_plan = plan.env.iter().any(|(pk, _)| *pk == k);
        if !set_by_plan && !HOST_ONLY_ENV.contains(&k.as_str()) {
            plan.env.push((k, v));
        }
    }
}

fn guest_of(plan: &LaunchPlan) -> Result<Guest> {
    let args = plan
        .args
        .iter()
        .map(|a| a.clone().into_string().map_err(|a| anyhow::anyhow!("argument {a:?} is not UTF-8")))
        .collect::<Result<_>>()?;
    Ok(Guest {
        args,
        env: plan.env.clone(),
        preopens: plan.preopens.iter().map(|p| (p.host.clone(), p.guest.clone())).collect(),
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
    eprintln!("compiling the standard library of Python {} (once)…", inst.version);
    match run_plan(Tier::Auto, &plan)? {
        0 => Ok(()),
        code => bail!("compiling the standard library failed (exit code {code})"),
    }
}
