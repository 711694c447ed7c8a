//! Flint's benchmarks: compute kernels written in WAT (`kernels/`) and one [`runner::Runner`]
//! per engine that runs them, so that the `throughput` binary can compare engines in one run.

pub mod kernels;
pub mod process;
pub mod python;
pub mod runner;
pub mod stats;
