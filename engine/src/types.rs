//! Type descriptions shared by the runtime, both tiers and the public API.

use std::fmt;

/// A reference type of the Wasm 2.0 feature set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    FuncRef,
    ExternRef,
}

/// A value type. `V128` values take two interpreter slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref(RefType),
}

impl ValType {
    pub const FUNCREF: ValType = ValType::Ref(RefType::FuncRef);
    pub const EXTERNREF: ValType = ValType::Ref(RefType::ExternRef);

    /// Number of 64-bit interpreter slots a value of this type occupies.
    pub fn slots(self) -> usize {
        match self {
            ValType::V128 => 2,
            _ => 1,
        }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Result<Self, crate::Error> {
        Ok(match ty {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::V128 => ValType::V128,
            wasmparser::ValType::Ref(r) => ValType::Ref(RefType::from_wasmparser(r)?),
        })
    }
}

impl RefType {
    pub(crate) fn from_wasmparser(ty: wasmparser::RefType) -> Result<Self, crate::Error> {
        if ty == wasmparser::RefType::FUNCREF {
            Ok(RefType::FuncRef)
        } else if ty == wasmparser::RefType::EXTERNREF {
            Ok(RefType::ExternRef)
        } else {
            Err(crate::Error::Unsupported(format!("reference type {ty:?}")))
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(RefType::FuncRef) => "funcref",
            ValType::Ref(RefType::ExternRef) => "externref",
        })
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    pub fn results(&self) -> &[ValType] {
        &self.results
    }

    /// Slots taken by the parameters in the interpreter's calling convention.
    pub fn param_slots(&self) -> usize {
        self.params.iter().map(|t| t.slots()).sum()
    }

    /// Slots taken by the results in the interpreter's calling convention.
    pub fn result_slots(&self) -> usize {
        self.results.iter().map(|t| t.slots()).sum()
    }

    pub(crate) fn from_wasmparser(ty: &wasmparser::FuncType) -> Result<Self, crate::Error> {
        let params = ty
            .params()
            .iter()
            .map(|t| ValType::from_wasmparser(*t))
            .collect::<Result<_, _>>()?;
        let results = ty
            .results()
            .iter()
            .map(|t| ValType::from_wasmparser(*t))
            .collect::<Result<_, _>>()?;
        Ok(FuncType { params, results })
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| {
            v.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        write!(
            f,
            "(func (param {}) (result {}))",
            list(&self.params),
            list(&self.results)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutability {
    Const,
    Var,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    pub content: ValType,
    pub mutability: Mutability,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    pub element: RefType,
    pub minimum: u64,
    pub maximum: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Sizes in 64 KiB pages.
    pub minimum: u64,
    pub maximum: Option<u64>,
    pub shared: bool,
    pub memory64: bool,
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}
