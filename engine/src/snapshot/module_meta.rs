//! The decoded form of a module (everything in `ModuleInner` but its bytes), written into a
//! snapshot so that a restore skips validation and decoding: for CPython that is tens of
//! milliseconds of work on a 26 MB module. The snapshot records the identity of the `.wasm`
//! file the module came from (see `file.rs`), which is what makes skipping validation safe.
//!
//! A load does as little per item as it can: the function bodies are a table of records read
//! in place (`records.rs`), and what a restore rarely needs, the data segments and the
//! function names, is only located here and decoded from the module's own sections on first
//! use.

use std::sync::Arc;

use super::codec::{Reader, Writer};
use super::mapping::{Mapping, ModuleBytes};
use super::records::{Record, Records};
use crate::const_expr::{ConstExpr, ConstOp};
use crate::interp::ModuleCode;
use crate::module::{
    DataSegments, ElemItems, ElemMode, ElemSegment, EntityIndex, FuncBody, FuncNames, Import,
    ModuleInner,
};
use crate::{
    Engine, Error, FuncType, GlobalType, MemoryType, Module, Mutability, RefType, TableType,
    ValType,
};

pub(crate) fn encode(m: &ModuleInner, w: &mut Writer) {
    w.bytes(&crate::jit::module_digest(&m.bytes));
    w.u8(u8::from(m.interp_code.epoch_checks()));
    match &m.name {
        Some(name) => {
            w.u8(1);
            w.str(name);
        }
        None => w.u8(0),
    }
    w.len(m.types.len());
    for ty in &m.types {
        func_type(w, ty);
    }
    w.len(m.imports.len());
    for import in &m.imports {
        w.str(&import.module);
        w.str(&import.name);
        entity(w, import.index);
    }
    w.u32s_aligned(&m.funcs);
    w.len(m.tables.len());
    for t in &m.tables {
        table_type(w, t);
    }
    w.len(m.memories.len());
    for mem in &m.memories {
        memory_type(w, mem);
    }
    w.len(m.globals.len());
    for g in &m.globals {
        global_type(w, g);
    }
    for n in [
        m.num_imported_funcs,
        m.num_imported_tables,
        m.num_imported_memories,
        m.num_imported_globals,
    ] {
        w.u32(n);
    }
    w.len(m.global_inits.len());
    for init in &m.global_inits {
        const_expr(w, init);
    }
    w.len(m.exports.len());
    for (name, index) in &m.exports {
        w.str(name);
        entity(w, *index);
    }
    w.opt_u64(m.start.map(u64::from));
    w.len(m.elems.len());
    for seg in &m.elems {
        match &seg.mode {
            ElemMode::Passive => w.u8(0),
            ElemMode::Active { table, offset } => {
                w.u8(1);
                w.u32(*table);
                const_expr(w, offset);
            }
            ElemMode::Declared => w.u8(2),
        }
        w.u8(ref_type_code(seg.ty));
        match &seg.items {
            ElemItems::Funcs(funcs) => {
                w.u8(1);
                w.u32s_aligned(funcs);
            }
            ElemItems::Exprs(exprs) => {
                w.u8(0);
                w.len(exprs.len());
                for item in exprs {
                    const_expr(w, item);
                }
            }
        }
    }
    w.len(m.datas.len());
    opt_range(w, m.datas.section());
    records(w, &m.bodies);
    opt_range(w, m.func_names.section());
}

fn opt_range(w: &mut Writer, range: Option<std::ops::Range<usize>>) {
    match range {
        Some(range) => {
            w.u8(1);
            w.u64(range.start as u64);
            w.u64(range.end as u64);
        }
        None => w.u8(0),
    }
}

fn read_opt_range(r: &mut Reader<'_>, len: usize) -> Result<Option<std::ops::Range<usize>>, Error> {
    Ok(if r.bool()? {
        Some(read_range(r, len)?)
    } else {
        None
    })
}

/// A table of records, written as it is held, so that a restore reads it in place.
fn records<R: Record>(w: &mut Writer, table: &Records<R>) {
    w.len(table.len());
    w.buf.extend_from_slice(table.bytes());
}

/// The table of records written by `records`, in place in `map`.
fn read_records<R: Record>(r: &mut Reader<'_>, map: &Arc<Mapping>) -> Result<Records<R>, Error> {
    let n = r.count(R::SIZE)?;
    let bytes = r.take(n * R::SIZE)?;
    Records::mapped(map, bytes, n).ok_or_else(|| r.error("a table lies outside the snapshot"))
}

/// Rebuilds a module from its encoded form (read by `r` from `map`) and its bytes, interning
/// its types in `engine`; `code` makes its interpreter code slots from its engine signature
/// numbers and its count of defined functions.
///
/// The section's checksum has caught damage; the checks here keep a file that passes it
/// anyway from making the runtime index out of bounds later.
pub(crate) fn decode(
    engine: &Engine,
    bytes: ModuleBytes,
    map: &Arc<Mapping>,
    r: &mut Reader<'_>,
    code: impl FnOnce(&[u32], usize, bool) -> Result<ModuleCode, Error>,
) -> Result<Module, Error> {
    let digest: [u8; 32] = r
        .bytes()?
        .try_into()
        .map_err(|_| r.error("bad module digest"))?;
    let epoch_checks = r.bool()?;
    let name = if r.bool()? {
        Some(r.str()?.to_string())
    } else {
        None
    };
    let n = r.count(2)?;
    let mut types = Vec::with_capacity(n);
    for _ in 0..n {
        types.push(read_func_type(r)?);
    }
    let type_ids = engine.intern_types(&types);
    let n = r.count(13)?;
    let mut imports = Vec::with_capacity(n);
    for _ in 0..n {
        imports.push(Import {
            module: r.str()?.to_string(),
            name: r.str()?.to_string(),
            index: read_entity(r)?,
        });
    }
    let funcs = r.u32s_shared(Some(map))?;
    // The largest, without branching out early: one vectorised pass over 11,000 functions.
    if let Some(bad) = funcs
        .iter()
        .copied()
        .max()
        .filter(|&t| t as usize >= types.len())
    {
        return Err(r.error(format!("function of unknown type {bad}")));
    }
    let n = r.count(10)?;
    let mut tables = Vec::with_capacity(n);
    for _ in 0..n {
        tables.push(read_table_type(r)?);
    }
    let n = r.count(11)?;
    let mut memories = Vec::with_capacity(n);
    for _ in 0..n {
        memories.push(read_memory_type(r)?);
    }
    let n = r.count(2)?;
    let mut globals = Vec::with_capacity(n);
    for _ in 0..n {
        globals.push(read_global_type(r)?);
    }
    let num_imported_funcs = r.u32()?;
    let num_imported_tables = r.u32()?;
    let num_imported_memories = r.u32()?;
    let num_imported_globals = r.u32()?;
    let n = r.count(4)?;
    let mut global_inits = Vec::with_capacity(n);
    for _ in 0..n {
        global_inits.push(read_const_expr(r)?);
    }
    let n = r.count(9)?;
    let mut exports = Vec::with_capacity(n);
    for _ in 0..n {
        exports.push((r.str()?.to_string(), read_entity(r)?));
    }
    let start = r.opt_u64()?.map(|s| s as u32);
    let n = r.count(6)?;
    let mut elems = Vec::with_capacity(n);
    for _ in 0..n {
        let mode = match r.u8()? {
            0 => ElemMode::Passive,
            1 => ElemMode::Active {
                table: r.u32()?,
                offset: read_const_expr(r)?,
            },
            2 => ElemMode::Declared,
            b => return Err(r.error(format!("bad element segment mode {b}"))),
        };
        let ty = read_ref_type(r)?;
        let items = if r.bool()? {
            ElemItems::Funcs(r.u32s_shared(Some(map))?)
        } else {
            let k = r.count(4)?;
            ElemItems::Exprs(
                (0..k)
                    .map(|_| read_const_expr(r))
                    .collect::<Result<_, _>>()?,
            )
        };
        elems.push(ElemSegment { mode, ty, items });
    }
    let data_count = r.u32()? as usize;
    let datas = DataSegments::lazy(bytes.clone(), read_opt_range(r, bytes.len())?, data_count);
    let bodies: Records<FuncBody> = read_records(r, map)?;
    if num_imported_funcs as usize + bodies.len() != funcs.len() {
        return Err(r.error("function and body counts disagree"));
    }
    let func_names = match read_opt_range(r, bytes.len())? {
        Some(range) => FuncNames::new(bytes.clone(), range),
        None => FuncNames::default(),
    };
    r.finish()?;
    // Tens of thousands of records for CPython: checked in one pass each, as arrays of known
    // size and without branching out early, which the compiler turns into straight-line code.
    let len = bytes.len();
    let within = |range: &std::ops::Range<usize>| (range.start <= range.end) & (range.end <= len);
    let (body_records, _) = bodies.bytes().as_chunks::<{ FuncBody::SIZE }>();
    let bodies_ok = body_records
        .iter()
        .fold(true, |ok, b| ok & within(&FuncBody::read(b).range));
    if !bodies_ok {
        return Err(r.error("a function body lies outside the module"));
    }
    let in_range = |e: &ConstExpr| {
        e.ops().iter().all(|op| match *op {
            ConstOp::RefFunc(f) => (f as usize) < funcs.len(),
            ConstOp::GlobalGet(g) => (g as usize) < globals.len(),
            _ => true,
        })
    };
    let bad_elem = |seg: &ElemSegment| {
        let bad_offset = matches!(&seg.mode, ElemMode::Active { table, offset }
            if *table as usize >= tables.len() || !in_range(offset));
        bad_offset
            || match &seg.items {
                ElemItems::Funcs(items) => items.iter().any(|&f| f as usize >= funcs.len()),
                ElemItems::Exprs(items) => !items.iter().all(in_range),
            }
    };
    if elems.iter().any(bad_elem)
        || !global_inits.iter().all(in_range)
        || global_inits.len() + num_imported_globals as usize != globals.len()
    {
        return Err(r.error("an index lies outside the module"));
    }
    let interp_code = code(&type_ids, bodies.len(), epoch_checks)?;
    let inner = ModuleInner {
        engine: engine.clone(),
        bytes,
        name,
        types,
        type_ids,
        imports,
        funcs,
        tables,
        memories,
        globals,
        num_imported_funcs,
        num_imported_tables,
        num_imported_memories,
        num_imported_globals,
        global_inits,
        exports,
        start,
        elems,
        datas,
        interp_code,
        bodies,
        func_names,
        jit: crate::jit::restored_module_jit(engine, &digest),
    };
    Ok(Module {
        inner: Arc::new(inner),
    })
}

fn read_range(r: &mut Reader<'_>, len: usize) -> Result<std::ops::Range<usize>, Error> {
    let (start, end) = (r.u64()?, r.u64()?);
    if start > end || end > len as u64 {
        return Err(r.error("a byte range lies outside the module"));
    }
    Ok(start as usize..end as usize)
}

pub(crate) fn val_type_code(t: ValType) -> u8 {
    match t {
        ValType::I32 => 0,
        ValType::I64 => 1,
        ValType::F32 => 2,
        ValType::F64 => 3,
        ValType::V128 => 4,
        ValType::Ref(r) => ref_type_code(r),
    }
}

fn ref_type_code(r: RefType) -> u8 {
    match r {
        RefType::FuncRef => 5,
        RefType::ExternRef => 6,
    }
}

pub(crate) fn read_val_type(r: &mut Reader<'_>) -> Result<ValType, Error> {
    Ok(match r.u8()? {
        0 => ValType::I32,
        1 => ValType::I64,
        2 => ValType::F32,
        3 => ValType::F64,
        4 => ValType::V128,
        5 => ValType::FUNCREF,
        6 => ValType::EXTERNREF,
        b => return Err(r.error(format!("bad value type {b}"))),
    })
}

fn read_ref_type(r: &mut Reader<'_>) -> Result<RefType, Error> {
    match read_val_type(r)? {
        ValType::Ref(t) => Ok(t),
        other => Err(r.error(format!("{other} is not a reference type"))),
    }
}

pub(crate) fn func_type(w: &mut Writer, ty: &FuncType) {
    for list in [ty.params(), ty.results()] {
        w.len(list.len());
        for t in list {
            w.u8(val_type_code(*t));
        }
    }
}

pub(crate) fn read_func_type(r: &mut Reader<'_>) -> Result<FuncType, Error> {
    // Each list allocated at its size (collecting `Result`s would grow it step by step).
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        let n = r.count(1)?;
        list.reserve_exact(n);
        for _ in 0..n {
            list.push(read_val_type(r)?);
        }
    }
    let [params, results] = lists;
    Ok(FuncType::new(params, results))
}

pub(crate) fn table_type(w: &mut Writer, t: &TableType) {
    w.u8(ref_type_code(t.element));
    w.u64(t.minimum);
    w.opt_u64(t.maximum);
}

pub(crate) fn read_table_type(r: &mut Reader<'_>) -> Result<TableType, Error> {
    Ok(TableType {
        element: read_ref_type(r)?,
        minimum: r.u64()?,
        maximum: r.opt_u64()?,
    })
}

pub(crate) fn memory_type(w: &mut Writer, m: &MemoryType) {
    w.u64(m.minimum);
    w.opt_u64(m.maximum);
    w.u8(m.shared as u8);
    w.u8(m.memory64 as u8);
}

pub(crate) fn read_memory_type(r: &mut Reader<'_>) -> Result<MemoryType, Error> {
    Ok(MemoryType {
        minimum: r.u64()?,
        maximum: r.opt_u64()?,
        shared: r.bool()?,
        memory64: r.bool()?,
    })
}

pub(crate) fn global_type(w: &mut Writer, g: &GlobalType) {
    w.u8(val_type_code(g.content));
    w.u8(matches!(g.mutability, Mutability::Var) as u8);
}

pub(crate) fn read_global_type(r: &mut Reader<'_>) -> Result<GlobalType, Error> {
    Ok(GlobalType {
        content: read_val_type(r)?,
        mutability: if r.bool()? {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

fn entity(w: &mut Writer, e: EntityIndex) {
    let (kind, index) = match e {
        EntityIndex::Func(i) => (0, i),
        EntityIndex::Table(i) => (1, i),
        EntityIndex::Memory(i) => (2, i),
        EntityIndex::Global(i) => (3, i),
    };
    w.u8(kind);
    w.u32(index);
}

fn read_entity(r: &mut Reader<'_>) -> Result<EntityIndex, Error> {
    let kind = r.u8()?;
    let index = r.u32()?;
    Ok(match kind {
        0 => EntityIndex::Func(index),
        1 => EntityIndex::Table(index),
        2 => EntityIndex::Memory(index),
        3 => EntityIndex::Global(index),
        b => return Err(r.error(format!("bad entity kind {b}"))),
    })
}

fn const_expr(w: &mut Writer, e: &ConstExpr) {
    w.len(e.ops().len());
    for op in e.ops() {
        match *op {
            ConstOp::I32(v) => {
                w.u8(0);
                w.u32(v as u32);
            }
            ConstOp::I64(v) => {
                w.u8(1);
                w.u64(v as u64);
            }
            ConstOp::F32(v) => {
                w.u8(2);
                w.u32(v);
            }
            ConstOp::F64(v) => {
                w.u8(3);
                w.u64(v);
            }
            ConstOp::V128(v) => {
                w.u8(4);
                w.u128(v);
            }
            ConstOp::RefNull => w.u8(5),
            ConstOp::RefFunc(i) => {
                w.u8(6);
                w.u32(i);
            }
            ConstOp::GlobalGet(i) => {
                w.u8(7);
                w.u32(i);
            }
            ConstOp::I32Add => w.u8(8),
            ConstOp::I32Sub => w.u8(9),
            ConstOp::I32Mul => w.u8(10),
            ConstOp::I64Add => w.u8(11),
            ConstOp::I64Sub => w.u8(12),
            ConstOp::I64Mul => w.u8(13),
        }
    }
}

fn read_const_expr(r: &mut Reader<'_>) -> Result<ConstExpr, Error> {
    let n = r.count(1)?;
    if n == 1 {
        return Ok(ConstExpr::single(read_const_op(r)?));
    }
    let mut ops = Vec::with_capacity(n);
    for _ in 0..n {
        ops.push(read_const_op(r)?);
    }
    Ok(ConstExpr::from_ops(ops))
}

fn read_const_op(r: &mut Reader<'_>) -> Result<ConstOp, Error> {
    Ok(match r.u8()? {
        0 => ConstOp::I32(r.u32()? as i32),
        1 => ConstOp::I64(r.u64()? as i64),
        2 => ConstOp::F32(r.u32()?),
        3 => ConstOp::F64(r.u64()?),
        4 => ConstOp::V128(r.u128()?),
        5 => ConstOp::RefNull,
        6 => ConstOp::RefFunc(r.u32()?),
        7 => ConstOp::GlobalGet(r.u32()?),
        8 => ConstOp::I32Add,
        9 => ConstOp::I32Sub,
        10 => ConstOp::I32Mul,
        11 => ConstOp::I64Add,
        12 => ConstOp::I64Sub,
        13 => ConstOp::I64Mul,
        b => return Err(r.error(format!("bad constant operator {b}"))),
    })
}
