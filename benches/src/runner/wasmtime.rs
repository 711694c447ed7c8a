//! wasmtime, with its default configuration (Cranelift, optimising for speed): the reference
//! for Flint's compiled tier.

use std::time::Instant;

use ::wasmtime::{Engine, Linker, Module, Store};

use super::{Loaded, Runner, Sample};

#[derive(Default)]
pub struct Wasmtime {
    engine: Engine,
}

impl Runner for Wasmtime {
    fn name(&self) -> String {
        "wasmtime".to_string()
    }

    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Loaded>> {
        let module = Module::new(&self.engine, wasm)?;
        Ok(Box::new(WasmtimeModule {
            engine: self.engine.clone(),
            module,
        }))
    }
}

struct WasmtimeModule {
    engine: Engine,
    module: Module,
}

impl Loaded for WasmtimeModule {
    fn run(&self, arg: i32) -> anyhow::Result<Sample> {
        let mut store = Store::new(&self.engine, ());
        let instance = Linker::<()>::new(&self.engine).instantiate(&mut store, &self.module)?;
        let run = instance.get_typed_func::<i32, i64>(&mut store, "run")?;
        let start = Instant::now();
        let checksum = run.call(&mut store, arg)?;
        Ok(Sample {
            checksum,
            time: start.elapsed(),
        })
    }
}
