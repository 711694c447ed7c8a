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
    // `flint python` hands every later argument to Python unparsed; going straight there skips
    // building the parser of every subcommand, which is a measurable part of a restored
    // Python run's few milliseconds.
    let mut args = std::env::args_os();
    let outcome = match (args.next(), args.next()) {
        (Some(_), Some(command)) if command == "python" => python_cmd::python(args.collect()),
        _ => cli::dispatch(cli::Cli::parse()),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
