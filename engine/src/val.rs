//! Values at the API boundary and their raw slot encoding, the one encoding both tiers use.
//!
//! A slot is a `u64`. Integers are stored zero-extended, floats as their bit patterns (so NaN
//! payloads survive), `v128` as two slots (low half first), references as `0` for null and
//! `index + 1` otherwise.

use crate::{Func, RefType, ValType};

/// A reference value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    Func(Option<Func>),
    /// An opaque host reference; the payload is chosen by the embedder.
    Extern(Option<u32>),
}

/// A Wasm value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    /// Bit pattern of an `f32`.
    F32(u32),
    /// Bit pattern of an `f64`.
    F64(u64),
    V128(u128),
    FuncRef(Option<Func>),
    ExternRef(Option<u32>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
        }
    }

    /// The zero value of a type: what locals and new table slots start as.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::Ref(RefType::FuncRef) => Val::FuncRef(None),
            ValType::Ref(RefType::ExternRef) => Val::ExternRef(None),
        }
    }

    /// Appends the raw slots of this value.
    pub(crate) fn write_slots(&self, out: &mut Vec<u64>) {
        match *self {
            Val::I32(v) => out.push(v as u32 as u64),
            Val::I64(v) => out.push(v as u64),
            Val::F32(v) => out.push(v as u64),
            Val::F64(v) => out.push(v),
            Val::V128(v) => {
                out.push(v as u64);
                out.push((v >> 64) as u64);
            }
            Val::FuncRef(f) => out.push(encode_funcref(f)),
            Val::ExternRef(e) => out.push(encode_externref(e)),
        }
    }

    /// Reads a value of type `ty` from the front of `slots`.
    pub(crate) fn read_slots(ty: ValType, slots: &[u64]) -> Val {
        match ty {
            ValType::I32 => Val::I32(slots[0] as u32 as i32),
            ValType::I64 => Val::I64(slots[0] as i64),
            ValType::F32 => Val::F32(slots[0] as u32),
            ValType::F64 => Val::F64(slots[0]),
            ValType::V128 => Val::V128(slots[0] as u128 | ((slots[1] as u128) << 64)),
            ValType::Ref(RefType::FuncRef) => Val::FuncRef(decode_funcref(slots[0])),
            ValType::Ref(RefType::ExternRef) => Val::ExternRef(decode_externref(slots[0])),
        }
    }

    /// The raw slot of a non-v128 value.
    pub(crate) fn to_raw(self) -> u64 {
        let mut v = Vec::with_capacity(2);
        self.write_slots(&mut v);
        v[0]
    }
}

pub(crate) fn encode_funcref(f: Option<Func>) -> u64 {
    f.map_or(0, |f| f.index() as u64 + 1)
}

pub(crate) fn decode_funcref(raw: u64) -> Option<Func> {
    (raw != 0).then(|| Func::from_index((raw - 1) as u32))
}

pub(crate) fn encode_externref(e: Option<u32>) -> u64 {
    e.map_or(0, |e| e as u64 + 1)
}

pub(crate) fn decode_externref(raw: u64) -> Option<u32> {
    (raw != 0).then(|| (raw - 1) as u32)
}

impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Self {
        Val::F32(v.to_bits())
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::F64(v.to_bits())
    }
}
