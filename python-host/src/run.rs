//! `flint run`: instantiate a command module and call `_start`.

use anyhow::Context;
use flint_engine::{Config, Engine, Linker, Module, Store};

use crate::cli::RunArgs;

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let engine = Engine::new(Config { tier: args.tier.into(), ..Config::default() });
    let module = Module::from_file(&engine, &args.module)
        .with_context(|| format!("cannot load {}", args.module.display()))?;
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), (), _>(&store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(trap) => match trap.exit_code() {
            Some(code) => Ok(code as u8),
            None => {
                eprintln!("error: {trap}");
                Ok(134)
            }
        },
    }
}
