//! The `spectest` host module the scripts import from, exactly as the official interpreter
//! provides it: `print*` functions, four immutable globals, a table and a memory.

use flint_engine::{Caller, Engine, Error, Instance, Linker, Module, Store};

/// The non-function part of `spectest`, as a module: the engine creates tables and memories
/// only for instances, and instantiating this one runs no Wasm code.
const ENTITIES: &str = r#"(module
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2))"#;

/// Defines `spectest` in `linker`. The `print*` functions accept their arguments and print
/// nothing, so that a run's output is only its report.
pub(crate) fn define(
    engine: &Engine,
    store: &mut Store<()>,
    linker: &mut Linker<()>,
) -> Result<(), Error> {
    let bytes = wast::parser::parse::<wast::Wat>(
        &wast::parser::ParseBuffer::new(ENTITIES).map_err(|e| Error::Malformed(e.to_string()))?,
    )
    .and_then(|mut wat| wat.encode())
    .map_err(|e| Error::Malformed(e.to_string()))?;
    let module = Module::new(engine, bytes)?;
    let instance = Instance::new(store, &module, &[])?;
    linker.instance(store, "spectest", instance)?;
    linker.func_wrap("spectest", "print", |_: Caller<'_, ()>| {})?;
    linker.func_wrap("spectest", "print_i32", |_: Caller<'_, ()>, _: i32| {})?;
    linker.func_wrap("spectest", "print_i64", |_: Caller<'_, ()>, _: i64| {})?;
    linker.func_wrap("spectest", "print_f32", |_: Caller<'_, ()>, _: f32| {})?;
    linker.func_wrap("spectest", "print_f64", |_: Caller<'_, ()>, _: f64| {})?;
    linker.func_wrap(
        "spectest",
        "print_i32_f32",
        |_: Caller<'_, ()>, _: i32, _: f32| {},
    )?;
    linker.func_wrap(
        "spectest",
        "print_f64_f64",
        |_: Caller<'_, ()>, _: f64, _: f64| {},
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use flint_engine::{Extern, Val};

    use super::*;

    #[test]
    fn spectest_exports() {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        define(&engine, &mut store, &mut linker).unwrap();
        let global = |store: &mut Store<()>, name| match linker.get(store, "spectest", name) {
            Some(Extern::Global(g)) => g.get(store),
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(global(&mut store, "global_i32"), Val::I32(666));
        assert_eq!(global(&mut store, "global_i64"), Val::I64(666));
        assert_eq!(global(&mut store, "global_f32"), Val::from(666.6f32));
        assert_eq!(global(&mut store, "global_f64"), Val::from(666.6f64));
        let Some(Extern::Table(t)) = linker.get(&mut store, "spectest", "table") else {
            panic!("no table");
        };
        assert_eq!((t.size(&store), t.ty(&store).maximum), (10, Some(20)));
        let Some(Extern::Memory(m)) = linker.get(&mut store, "spectest", "memory") else {
            panic!("no memory");
        };
        assert_eq!((m.size(&store), m.ty(&store).maximum), (1, Some(2)));
        let Some(Extern::Func(f)) = linker.get(&mut store, "spectest", "print_i32_f32") else {
            panic!("no print_i32_f32");
        };
        f.call(&mut store, &[Val::I32(1), Val::from(2.0f32)], &mut [])
            .unwrap();
    }
}
