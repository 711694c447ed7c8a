//! Functions: handles, calls from the host, host functions and their typed wrappers.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::store::{FuncEntity, FuncKind, HostFn};
use crate::{Error, Extern, FuncType, Store, Trap, Val, ValType};

/// A handle to a function in a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(u32);

impl Func {
    pub(crate) fn from_index(index: u32) -> Self {
        Func(index)
    }

    pub(crate) fn index(self) -> u32 {
        self.0
    }

    /// Defines a host function with a dynamic signature.
    pub fn new<T>(
        store: &mut Store<T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        let host = dynamic_host_fn(ty.clone(), f);
        store.define_host_func(&ty, host)
    }

    /// Defines a host function from a closure with typed parameters and results.
    pub fn wrap<T, P, R>(store: &mut Store<T>, f: impl IntoFunc<T, P, R>) -> Func {
        let (ty, host) = f.into_func();
        store.define_host_func(&ty, host)
    }

    pub fn ty<T>(&self, store: &Store<T>) -> FuncType {
        store
            .engine
            .type_of(store.inner.funcs[self.0 as usize].type_id)
    }

    /// Calls the function with dynamically typed values.
    pub fn call<T>(
        &self,
        store: &mut Store<T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let ty = self.ty(store);
        if params.len() != ty.params().len()
            || params.iter().zip(ty.params()).any(|(v, t)| v.ty() != *t)
        {
            return Err(Error::Usage(format!(
                "wrong arguments for a function of type {ty}"
            )));
        }
        if results.len() != ty.results().len() {
            return Err(Error::Usage(format!(
                "wrong number of results for type {ty}"
            )));
        }
        let mut slots = Vec::with_capacity(ty.param_slots().max(ty.result_slots()));
        for p in params {
            p.write_slots(&mut slots);
        }
        slots.resize(ty.param_slots().max(ty.result_slots()), 0);
        call_raw(store, *self, &mut slots)?;
        let mut at = 0;
        for (r, t) in results.iter_mut().zip(ty.results()) {
            *r = Val::read_slots(*t, &slots[at..]);
            at += t.slots();
        }
        Ok(())
    }

    /// A statically typed view of the function, checked once here.
    pub fn typed<T, P: WasmParams, R: WasmResults>(
        &self,
        store: &Store<T>,
    ) -> Result<TypedFunc<P, R>, Error> {
        let ty = self.ty(store);
        if ty.params() != P::valtypes().as_slice() || ty.results() != R::valtypes().as_slice() {
            return Err(Error::Usage(format!(
                "function of type {ty} does not match the typed view"
            )));
        }
        Ok(TypedFunc {
            func: *self,
            _marker: PhantomData,
        })
    }
}

impl<T> Store<T> {
    pub(crate) fn define_host_func(&mut self, ty: &FuncType, host: HostFn<T>) -> Func {
        self.host_funcs.push(host);
        let entity = FuncEntity {
            kind: FuncKind::Host {
                host: self.host_funcs.len() as u32 - 1,
            },
            type_id: self.engine.intern_type(ty),
            param_slots: ty.param_slots() as u32,
            result_slots: ty.result_slots() as u32,
        };
        self.push_func(entity)
    }
}

/// Calls any store function with raw slots (params in, results out).
pub(crate) fn call_raw<T>(store: &mut Store<T>, func: Func, slots: &mut [u64]) -> Result<(), Trap> {
    match store.inner.funcs[func.0 as usize].kind {
        FuncKind::Host { host } => call_host(store, host, None, slots),
        FuncKind::Wasm { .. } => match store.engine.config().tier {
            crate::Tier::Interp => crate::interp::call_wasm(store, func, slots),
            crate::Tier::Jit => crate::jit::call_wasm(store, func, slots),
            crate::Tier::Auto => {
                if crate::jit::runs_compiled(&mut store.inner, func.index())? {
                    crate::jit::call_wasm(store, func, slots)
                } else {
                    crate::interp::call_wasm(store, func, slots)
                }
            }
        },
    }
}

/// Calls host function `host`, on behalf of `instance` when Wasm code is the caller.
pub(crate) fn call_host<T>(
    store: &mut Store<T>,
    host: u32,
    instance: Option<u32>,
    slots: &mut [u64],
) -> Result<(), Trap> {
    let f = Arc::clone(&store.host_funcs[host as usize]);
    f(Caller { store, instance }, slots)
}

pub(crate) fn dynamic_host_fn<T>(
    ty: FuncType,
    f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
) -> HostFn<T> {
    Arc::new(move |caller, slots| {
        let mut params = Vec::with_capacity(ty.params().len());
        let mut at = 0;
        for t in ty.params() {
            params.push(Val::read_slots(*t, &slots[at..]));
            at += t.slots();
        }
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        f(caller, &params, &mut results)?;
        let mut out = Vec::with_capacity(slots.len());
        for (r, t) in results.iter().zip(ty.results()) {
            if r.ty() != *t {
                return Err(Trap::host(format!(
                    "host function returned {} for {t}",
                    r.ty()
                )));
            }
            r.write_slots(&mut out);
        }
        slots[..out.len()].copy_from_slice(&out);
        Ok(())
    })
}

/// The context a host function runs in: the store and the calling instance.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<u32>,
}

impl<T> Caller<'_, T> {
    pub fn data(&self) -> &T {
        &self.store.data
    }

    pub fn data_mut(&mut self) -> &mut T {
        &mut self.store.data
    }

    /// The store, to call back into Wasm or reach other entities.
    pub fn store_mut(&mut self) -> &mut Store<T> {
        self.store
    }

    /// An export of the calling instance.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let instance = self.instance?;
        self.store.inner.instances[instance as usize]
            .exports
            .get(name)
            .copied()
    }

    /// The calling instance's exported memory `memory` and the host data, borrowed together.
    pub fn memory_and_data(&mut self) -> Option<(&mut [u8], &mut T)> {
        match self.get_export("memory")? {
            Extern::Memory(m) => Some(m.data_and_store_mut(self.store)),
            _ => None,
        }
    }
}

/// A value type that crosses the host boundary in one slot.
pub trait WasmTy: Copy + Send + 'static {
    fn valtype() -> ValType;
    fn to_raw(self) -> u64;
    fn from_raw(raw: u64) -> Self;
}

macro_rules! wasm_ty {
    ($ty:ty, $vt:expr, |$v:ident| $to:expr, |$r:ident| $from:expr) => {
        impl WasmTy for $ty {
            fn valtype() -> ValType {
                $vt
            }
            fn to_raw(self) -> u64 {
                let $v = self;
                $to
            }
            fn from_raw($r: u64) -> Self {
                $from
            }
        }
    };
}

wasm_ty!(i32, ValType::I32, |v| v as u32 as u64, |r| r as u32 as i32);
wasm_ty!(u32, ValType::I32, |v| v as u64, |r| r as u32);
wasm_ty!(i64, ValType::I64, |v| v as u64, |r| r as i64);
wasm_ty!(u64, ValType::I64, |v| v, |r| r);
wasm_ty!(f32, ValType::F32, |v| v.to_bits() as u64, |r| {
    f32::from_bits(r as u32)
});
wasm_ty!(f64, ValType::F64, |v| v.to_bits(), |r| f64::from_bits(r));

/// A list of parameters: `()`, one [`WasmTy`] or a tuple of them.
pub trait WasmParams: Send {
    fn valtypes() -> Vec<ValType>;
    fn write(self, slots: &mut [u64]);
}

/// A list of results: `()`, one [`WasmTy`] or a tuple of them.
pub trait WasmResults: Sized {
    fn valtypes() -> Vec<ValType>;
    fn read(slots: &[u64]) -> Self;
    fn write(self, slots: &mut [u64]);
}

impl<A: WasmTy> WasmParams for A {
    fn valtypes() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn write(self, slots: &mut [u64]) {
        slots[0] = self.to_raw();
    }
}

impl<A: WasmTy> WasmResults for A {
    fn valtypes() -> Vec<ValType> {
        vec![A::valtype()]
    }
    fn read(slots: &[u64]) -> Self {
        A::from_raw(slots[0])
    }
    fn write(self, slots: &mut [u64]) {
        slots[0] = self.to_raw();
    }
}

macro_rules! tuples {
    ($($name:ident)*) => {
        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
        impl<$($name: WasmTy),*> WasmParams for ($($name,)*) {
            fn valtypes() -> Vec<ValType> {
                vec![$($name::valtype()),*]
            }
            fn write(self, slots: &mut [u64]) {
                let ($($name,)*) = self;
                let mut i = 0;
                $( slots[i] = $name.to_raw(); i += 1; )*
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments, clippy::unused_unit)]
        impl<$($name: WasmTy),*> WasmResults for ($($name,)*) {
            fn valtypes() -> Vec<ValType> {
                vec![$($name::valtype()),*]
            }
            fn read(slots: &[u64]) -> Self {
                let mut i = 0;
                ($({ let v = $name::from_raw(slots[i]); i += 1; v },)*)
            }
            fn write(self, slots: &mut [u64]) {
                let ($($name,)*) = self;
                let mut i = 0;
                $( slots[i] = $name.to_raw(); i += 1; )*
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
        impl<T, F, $($name: WasmTy,)* R> IntoFunc<T, ($($name,)*), R> for F
        where
            F: Fn(Caller<'_, T>, $($name),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new(vec![$($name::valtype()),*], R::valtypes());
                let host: HostFn<T> = Arc::new(move |caller, slots| {
                    let mut i = 0;
                    $( let $name = $name::from_raw(slots[i]); i += 1; )*
                    self(caller, $($name),*).write_host(slots)
                });
                (ty, host)
            }
        }
    };
}

tuples!();
tuples!(A1);
tuples!(A1 A2);
tuples!(A1 A2 A3);
tuples!(A1 A2 A3 A4);
tuples!(A1 A2 A3 A4 A5);
tuples!(A1 A2 A3 A4 A5 A6);
tuples!(A1 A2 A3 A4 A5 A6 A7);
tuples!(A1 A2 A3 A4 A5 A6 A7 A8);
tuples!(A1 A2 A3 A4 A5 A6 A7 A8 A9);
tuples!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10);
tuples!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11);
tuples!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12);

/// What a host closure may return: results, or results or a trap.
pub trait HostResult {
    fn valtypes() -> Vec<ValType>;
    fn write_host(self, slots: &mut [u64]) -> Result<(), Trap>;
}

impl<R: WasmResults> HostResult for R {
    fn valtypes() -> Vec<ValType> {
        R::valtypes()
    }
    fn write_host(self, slots: &mut [u64]) -> Result<(), Trap> {
        self.write(slots);
        Ok(())
    }
}

impl<R: WasmResults> HostResult for Result<R, Trap> {
    fn valtypes() -> Vec<ValType> {
        R::valtypes()
    }
    fn write_host(self, slots: &mut [u64]) -> Result<(), Trap> {
        self?.write(slots);
        Ok(())
    }
}

/// A closure usable as a host function.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFn<T>);
}

/// A function with a statically known signature: calls skip the dynamic type checks.
pub struct TypedFunc<P, R> {
    func: Func,
    _marker: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub fn call<T>(&self, store: &mut Store<T>, params: P) -> Result<R, Trap> {
        let e = store.inner.funcs[self.func.0 as usize];
        let mut slots = [0u64; 16];
        let n = (e.param_slots.max(e.result_slots)) as usize;
        if n <= slots.len() {
            params.write(&mut slots);
            call_raw(store, self.func, &mut slots[..n])?;
            Ok(R::read(&slots))
        } else {
            let mut slots = vec![0u64; n];
            params.write(&mut slots);
            call_raw(store, self.func, &mut slots)?;
            Ok(R::read(&slots))
        }
    }

    pub fn func(&self) -> Func {
        self.func
    }
}
