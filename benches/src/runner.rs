//! The engines under comparison, behind one small interface: compile a kernel once, then
//! instantiate it afresh and time one call of its `run(i32) -> i64` export, as often as asked.

mod flint;
mod wasmi;
mod wasmtime;

use std::time::Duration;

pub use self::flint::Flint;
pub use self::wasmi::Wasmi;
pub use self::wasmtime::Wasmtime;

/// One engine (a column of the report).
pub trait Runner {
    /// The column heading, e.g. `flint-interp`.
    fn name(&self) -> String;

    /// Compiles (and validates) a module once.
    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Loaded>>;
}

/// A module compiled by one engine.
pub trait Loaded {
    /// Instantiates the module in a new store and calls `run(arg)`, timing the call only.
    fn run(&self, arg: i32) -> anyhow::Result<Sample>;
}

/// The outcome of one timed call.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub checksum: i64,
    pub time: Duration,
}
