//! wasmi, the reference interpreter, with its default configuration.

use std::time::Instant;

use ::wasmi::{Engine, Linker, Module, Store};

use super::{Loaded, Runner, Sample};

#[derive(Default)]
pub struct Wasmi {
    engine: Engine,
}

impl Runner for Wasmi {
    fn name(&self) -> String {
        "wasmi".to_string()
    }

    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Loaded>> {
        let module = Module::new(&self.engine, wasm)?;
        Ok(Box::new(WasmiModule {
            engine: self.engine.clone(),
            module,
        }))
    }
}

struct WasmiModule {
    engine: Engine,
    module: Module,
}

impl Loaded for WasmiModule {
    fn run(&self, arg: i32) -> anyhow::Result<Sample> {
        let mut store = Store::new(&self.engine, ());
        let instance =
            Linker::<()>::new(&self.engine).instantiate_and_start(&mut store, &self.module)?;
        let run = instance.get_typed_func::<i32, i64>(&store, "run")?;
        let start = Instant::now();
        let checksum = run.call(&mut store, arg)?;
        Ok(Sample {
            checksum,
            time: start.elapsed(),
        })
    }
}
