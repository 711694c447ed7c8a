//! What the engine's interpreter test binaries share.

use flint_engine::{Engine, Instance, Linker, Module, Store};

/// An instance of the module in `wat` on a default engine, with no imports, in a fresh store.
pub fn instantiate(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    (store, instance)
}
