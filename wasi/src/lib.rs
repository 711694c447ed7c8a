//! WASI preview1 (`wasi_snapshot_preview1`) for Flint.
//!
//! [`WasiCtx`] holds a guest's WASI state and has one method per WASI function. Each takes the
//! guest's memory as `&mut [u8]` plus the raw wasm arguments and returns the errno for the
//! guest, or [`WasiExit`] for `proc_exit`; so everything but the engine glue in [`linker`] works
//! and is tested without an engine.
//!
//! Sandboxing: guest paths resolve only below the directory descriptor they are relative to,
//! enforced by the kernel (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`); operations
//! that must not follow their final component act on the parent directory and the final name.
//! Absolute paths, `..` above the directory and symlinks leading out fail with `ENOTCAPABLE`,
//! symlink loops with `ELOOP`.

// The methods mirror the WASI functions, parameter for parameter; some have up to nine.
#![allow(clippy::too_many_arguments)]

mod args;
mod clocks;
mod ctx;
mod errno;
mod fd;
mod fd_table;
mod filestat;
pub mod linker;
mod memory;
mod path;
mod poll;
mod proc;
mod sandbox;
pub mod snapshot;
mod sock;
mod sys;
pub mod types;

pub use ctx::{Preopen, WasiCtx, WasiCtxBuilder};
pub use errno::{Errno, WasiExit, WasiResult};
pub use fd_table::{FdEntry, FdKind, FdTable, MemoryPipe, Stdio};
pub use filestat::Filestat;
pub use linker::add_to_linker;
pub use memory::GuestMemory;
