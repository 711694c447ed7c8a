//! Running a test module on Flint's engine.

use std::path::Path;

use flint_engine::{Config, Engine, Linker, Module, Store, Tier, TypedFunc};
use flint_wasi::WasiCtx;

/// Instantiates the module with WASI on an engine of tier `tier` and runs `_start`;
/// `proc_exit` ends it with its code.
pub fn run_module(tier: Tier, wasm: &Path, ctx: WasiCtx) -> Result<i32, String> {
    let engine = Engine::new(Config {
        tier,
        ..Config::default()
    });
    let module = Module::from_file(&engine, wasm).map_err(|e| format!("cannot load: {e}"))?;
    let mut linker = Linker::new(&engine);
    flint_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)
        .map_err(|e| format!("cannot link WASI: {e}"))?;
    let mut store = Store::new(&engine, ctx);
    let exit = |e: flint_engine::Error| match e.as_trap().and_then(|t| t.exit_code()) {
        Some(code) => Ok(code),
        None => Err(format!("failed: {e}")),
    };
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return exit(e),
    };
    let start: TypedFunc<(), ()> = instance
        .get_typed_func(&store, "_start")
        .map_err(|e| format!("no `_start`: {e}"))?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(trap) => trap.exit_code().ok_or_else(|| format!("trapped: {trap}")),
    }
}
