//! Installing and launching CPython builds for WASI.
//!
//! Builds come from public registry packages (listed in `release.rs`) and are
//! installed under `<data dir>/pythons/<version>/`, each with a manifest.
//! Installs are staged in `pythons/.tmp-*` and published by one rename
//! while holding `pythons/.lock`, so a directory named after a version is
//! always a complete installation.
//!
//! Typical use by the CLI:
//!
//! ```text
//! let prepare = |python: &Installation| match compile_stdlib_plan(python) {
//!     Some(plan) => run_on_flint(&plan),  // must fail on a non-zero exit
//!     None => Ok(()),                     // stdlib embedded: nothing to do
//! };
//! let store = Store::from_env()?;
//! let python = store.ensure_installed("3.12", &prepare)?;
//! let plan = launch_plan(&python, &std::env::current_dir()?, &args);
//! ```

pub mod bootstrap;
pub mod bootstrap_args;
mod data_dir;
mod fetch;
pub mod init_locale;
mod install;
mod installation;
mod launch;
mod list;
mod lock;
mod manifest;
mod progress;
mod release;
mod staging;
mod store;
mod unpack;
mod verify;

pub use installation::Installation;
pub use launch::{compile_stdlib_plan, launch_plan, layout_plan, LaunchPlan};
pub use list::format_list;
pub use store::Store;
