//! Command-line interface: argument definitions and dispatch to the subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "flint",
    version,
    about = "A WebAssembly runtime built to run Python"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Execution tier, as chosen on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TierArg {
    /// The interpreter only.
    Interp,
    /// Native code only, compiled before the first call (or found in the code cache).
    Jit,
    /// Cached native code if there is some; else the interpreter at once, switching to native
    /// code when its compilation in the background finishes.
    Auto,
}

impl From<TierArg> for flint_engine::Tier {
    fn from(t: TierArg) -> Self {
        match t {
            TierArg::Interp => flint_engine::Tier::Interp,
            TierArg::Jit => flint_engine::Tier::Jit,
            TierArg::Auto => flint_engine::Tier::Auto,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run a WASI command module.
    Run(RunArgs),
    /// Run WebAssembly spec test scripts (.wast).
    Wast {
        #[arg(long, value_enum, default_value = "auto")]
        tier: TierArg,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compile modules to native code now, into the code cache, for later runs to use.
    Compile {
        /// Quietly and at low priority: how a run that exits before its own background
        /// compilation is done has it finished.
        #[arg(long, hide = true)]
        background: bool,
        #[arg(required = true, value_name = "MODULE")]
        modules: Vec<PathBuf>,
    },
    /// Manage the code cache.
    Cache {
        #[command(subcommand)]
        command: CacheCommand,
    },
    /// Install, list and run CPython: `flint python install 3.12`, `flint python list`,
    /// `flint python [-p VERSION] [--tier TIER] [PYTHON-ARGS...]`.
    #[command(disable_help_flag = true)]
    Python {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
}

#[derive(Subcommand)]
enum CacheCommand {
    /// Print the cache directory ($FLINT_CACHE_DIR, else $XDG_CACHE_HOME/flint, else
    /// ~/.cache/flint).
    Dir,
    /// Remove every cached module.
    Clean,
}

/// Parses a tier name as the `--tier` options accept it.
pub fn parse_tier(name: &str) -> anyhow::Result<flint_engine::Tier> {
    TierArg::from_str(name, true)
        .map(Into::into)
        .map_err(|_| anyhow::anyhow!("unknown tier `{name}` (expected interp, jit or auto)"))
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// Preopen a host directory, optionally under another guest path: HOST[::GUEST].
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    pub dirs: Vec<String>,
    /// Set an environment variable for the guest: K=V.
    #[arg(long = "env", value_name = "K=V")]
    pub env: Vec<String>,
    #[arg(long, value_enum, default_value = "auto")]
    pub tier: TierArg,
    /// The module to run.
    pub module: PathBuf,
    /// Arguments passed to the guest (after its program name).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// Runs the chosen subcommand; returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Run(args) => crate::run::run(args),
        Command::Wast { tier, files } => {
            let options = flint_spec_tests::Options {
                tier: tier.into(),
                cache_dir: crate::engine_config::cache_dir(),
                ..flint_spec_tests::Options::default()
            };
            let code = flint_spec_tests::run_cli_with(&files, &options);
            Ok(code.clamp(0, 255) as u8)
        }
        Command::Compile {
            background,
            modules,
        } => crate::cache_cmd::compile(&modules, background),
        Command::Cache { command } => match command {
            CacheCommand::Dir => crate::cache_cmd::print_dir(),
            CacheCommand::Clean => crate::cache_cmd::clean(),
        },
        Command::Python { args } => crate::python_cmd::python(args),
    }
}
