//! Flint, at a chosen tier.

use std::time::Instant;

use flint_engine::{Config, Engine, Linker, Module, Store, Tier};

use super::{Loaded, Runner, Sample};

pub struct Flint {
    engine: Engine,
}

impl Flint {
    pub fn new(tier: Tier) -> Self {
        Flint {
            engine: Engine::new(Config {
                tier,
                ..Config::default()
            }),
        }
    }

    /// Parses a `--tier` value.
    pub fn parse_tier(name: &str) -> anyhow::Result<Tier> {
        match name {
            "interp" => Ok(Tier::Interp),
            "jit" => Ok(Tier::Jit),
            "auto" => Ok(Tier::Auto),
            _ => anyhow::bail!("unknown tier `{name}` (expected interp, jit or auto)"),
        }
    }
}

impl Runner for Flint {
    fn name(&self) -> String {
        let tier = match self.engine.config().tier {
            Tier::Interp => "interp",
            Tier::Jit => "jit",
            Tier::Auto => "auto",
        };
        format!("flint-{tier}")
    }

    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Loaded>> {
        let module = Module::new(&self.engine, wasm)?;
        Ok(Box::new(FlintModule {
            engine: self.engine.clone(),
            module,
        }))
    }
}

struct FlintModule {
    engine: Engine,
    module: Module,
}

impl Loaded for FlintModule {
    fn run(&self, arg: i32) -> anyhow::Result<Sample> {
        let mut store = Store::new(&self.engine, ());
        let instance = Linker::new(&self.engine).instantiate(&mut store, &self.module)?;
        let run = instance.get_typed_func::<i32, i64, _>(&store, "run")?;
        let start = Instant::now();
        let checksum = run.call(&mut store, arg)?;
        Ok(Sample {
            checksum,
            time: start.elapsed(),
        })
    }
}
