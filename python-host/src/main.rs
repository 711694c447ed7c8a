//! `flint`: run WebAssembly modules and CPython on the Flint engine.

mod cache_cmd;
mod cli;
mod engine_config;
mod host_only_env;
mod python;
mod python_cmd;
mod run;
mod snapshot;
mod snapshot_build;
mod snapshot_run;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
