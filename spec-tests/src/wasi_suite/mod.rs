//! Runs the WASI preview1 testsuite (`shared/wasi-testsuite`, see its `SOURCE.md`) on Flint.
//!
//! Each `NAME.wasm` runs with the settings of `NAME.json` (arguments, environment, a fresh copy
//! of its root folder preopened as `/`), with standard input empty and standard output and
//! error captured; its exit code and output are compared with the expected ones.

mod config;
mod exec;
mod fixture;
mod runner;

use std::path::{Path, PathBuf};

use flint_engine::Tier;

pub use config::TestConfig;
pub use exec::run_module;
pub use fixture::Fixture;
pub use runner::{discover, run_all, run_case, Exec, Summary, TestCase};

/// The testsuite beside the repository: `../shared/wasi-testsuite`.
pub fn default_suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasi-testsuite")
}

/// Runs every test of `suite` on Flint's tier `tier`, printing failures and the line
/// `N passed, M failed`.
pub fn run_suite(suite: &Path, tier: Tier) -> std::io::Result<Summary> {
    runner::run_all(suite, &|wasm, ctx| exec::run_module(tier, wasm, ctx))
}
