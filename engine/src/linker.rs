//! The linker: a namespace of named definitions that resolves a module's imports.

use std::collections::HashMap;

use crate::store::HostFn;
use crate::{Engine, Error, Extern, FuncType, Instance, IntoFunc, Module, Store, Trap, Val};

enum Definition<T> {
    Extern(Extern),
    /// A host function not yet placed in a store; it is, once per store that uses it.
    Host(FuncType, HostFn<T>),
}

pub struct Linker<T> {
    engine: Engine,
    /// Definitions by module name, then by name: looked up by `&str` without building a key
    /// (a restore looks up every host function of the snapshot).
    defs: HashMap<String, HashMap<String, Definition<T>>>,
    allow_shadowing: bool,
}

impl<T> Linker<T> {
    pub fn new(engine: &Engine) -> Self {
        Linker {
            engine: engine.clone(),
            defs: HashMap::new(),
            allow_shadowing: false,
        }
    }

    /// Lets later definitions replace earlier ones of the same name.
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self, Error> {
        if !self.allow_shadowing && self.def(module, name).is_some() {
            return Err(Error::Usage(format!(
                "`{module}::{name}` is already defined"
            )));
        }
        self.defs
            .entry(module.to_string())
            .or_default()
            .insert(name.to_string(), def);
        Ok(self)
    }

    fn def(&self, module: &str, name: &str) -> Option<&Definition<T>> {
        self.defs.get(module)?.get(name)
    }

    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self, Error> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines a host function from a closure with typed parameters and results.
    pub fn func_wrap<P, R>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, P, R>,
    ) -> Result<&mut Self, Error> {
        let (ty, host) = f.into_func();
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines a host function with a dynamic signature.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(crate::Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error>
    where
        T: 'static,
    {
        let host = crate::func::dynamic_host_fn(ty.clone(), f);
        self.insert(module, name, Definition::Host(ty, host))
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        store: &Store<T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self, Error> {
        for (name, ext) in instance.exports(store) {
            self.define(module, &name, ext)?;
        }
        Ok(self)
    }

    /// Looks a definition up, placing a pending host function in `store`.
    pub fn get(&self, store: &mut Store<T>, module: &str, name: &str) -> Option<Extern> {
        let def = self.def(module, name)?;
        Some(match def {
            Definition::Extern(e) => *e,
            Definition::Host(ty, host) => Extern::Func(store.define_host_func(ty, host.clone())),
        })
    }

    /// The host function defined as `module::name`, to be placed in a store by its caller;
    /// `Err` if that name defines an existing entity instead.
    pub(crate) fn host_func(
        &self,
        module: &str,
        name: &str,
    ) -> Option<Result<(&FuncType, &HostFn<T>), ()>> {
        Some(match self.def(module, name)? {
            Definition::Host(ty, host) => Ok((ty, host)),
            Definition::Extern(_) => Err(()),
        })
    }

    pub fn instantiate(&self, store: &mut Store<T>, module: &Module) -> Result<Instance, Error> {
        if !self.engine.same(module.engine()) {
            return Err(Error::Usage(
                "module and linker belong to different engines".into(),
            ));
        }
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        for import in &module.inner.imports {
            let ext = match self.def(&import.module, &import.name) {
                Some(Definition::Extern(e)) => *e,
                Some(Definition::Host(ty, host)) => {
                    Extern::Func(store.define_host_func(ty, host.clone()))
                }
                None => {
                    return Err(Error::Unlinkable(format!(
                        "unknown import: `{}::{}` has not been defined",
                        import.module, import.name
                    )))
                }
            };
            imports.push(ext);
        }
        Instance::new(store, module, &imports)
    }
}
