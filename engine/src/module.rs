//! Modules: decoding and validation with `wasmparser`, into the data the runtime and both tiers
//! read. A `Module` is immutable and shared by every instance made from it.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use wasmparser::{Parser, Payload, Validator, WasmFeatures};

use crate::const_expr::ConstExpr;
use crate::shared_slice::SharedSlice;
use crate::snapshot::{ModuleBytes, Record, Records};
use crate::{
    Engine, Error, ExternType, FuncType, GlobalType, MemoryType, Mutability, RefType, TableType,
    ValType,
};

/// The features Flint executes: Wasm 2.0.
pub(crate) const SUPPORTED_FEATURES: WasmFeatures = WasmFeatures::WASM2;

#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub index: EntityIndex,
}

pub(crate) enum ElemMode {
    Passive,
    Active { table: u32, offset: ConstExpr },
    Declared,
}

pub(crate) struct ElemSegment {
    pub mode: ElemMode,
    pub ty: RefType,
    pub items: ElemItems,
}

/// The items of an element segment: those of a function table (CPython's has thousands) are
/// nearly always plain function indices, kept as such rather than as an expression each.
pub(crate) enum ElemItems {
    /// Shared with the snapshot a restored module came from.
    Funcs(SharedSlice<u32>),
    Exprs(Vec<ConstExpr>),
}

pub(crate) enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

pub(crate) struct DataSegment {
    pub mode: DataMode,
    /// Byte range of the segment's contents within the module's bytes.
    pub range: Range<usize>,
}

/// A module's data segments, decoded from its data section. A restored module decodes them
/// the first time they are needed: a restore of CPython never needs them (its 24,000 segments
/// are all active, applied before the snapshot was taken), and checking and reading them was
/// a third of a load.
#[derive(Default)]
pub(crate) struct DataSegments {
    len: usize,
    /// The module's bytes and where its data section lies in them, if it has one.
    source: Option<(ModuleBytes, Range<usize>)>,
    segments: OnceLock<Result<Vec<DataSegment>, String>>,
}

impl DataSegments {
    /// The `len` segments of the data section at `section` of `bytes`, decoded on first use.
    pub(crate) fn lazy(bytes: ModuleBytes, section: Option<Range<usize>>, len: usize) -> Self {
        DataSegments {
            len,
            source: section.map(|range| (bytes, range)),
            segments: OnceLock::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Where the data section lies in the module's bytes.
    pub(crate) fn section(&self) -> Option<Range<usize>> {
        self.source.as_ref().map(|(_, range)| range.clone())
    }

    /// The segments; an error if the data section does not hold the `len` segments expected
    /// (a module file changed behind a snapshot's back).
    pub(crate) fn segments(&self) -> Result<&[DataSegment], Error> {
        self.segments
            .get_or_init(|| {
                let segments = match &self.source {
                    Some((bytes, range)) => {
                        decode_data_section(bytes, range.clone()).map_err(|e| e.to_string())?
                    }
                    None => Vec::new(),
                };
                if segments.len() != self.len {
                    return Err(format!(
                        "the data section holds {} segments, {} were expected",
                        segments.len(),
                        self.len
                    ));
                }
                Ok(segments)
            })
            .as_deref()
            .map_err(|why| Error::Malformed(format!("data segments: {why}")))
    }
}

/// Decodes the data section at `section` of the module `bytes`.
fn decode_data_section(bytes: &[u8], section: Range<usize>) -> Result<Vec<DataSegment>, Error> {
    let contents = bytes
        .get(section.clone())
        .ok_or_else(|| Error::Malformed("the data section lies outside the module".into()))?;
    let reader = wasmparser::BinaryReader::new(contents, section.start as u64);
    let mut segments = Vec::new();
    for data in wasmparser::DataSectionReader::new(reader).map_err(bad)? {
        let data = data.map_err(bad)?;
        let start = data.data.as_ptr() as usize - bytes.as_ptr() as usize;
        let mode = match data.kind {
            wasmparser::DataKind::Passive => DataMode::Passive,
            wasmparser::DataKind::Active {
                memory_index,
                offset_expr,
            } => DataMode::Active {
                memory: memory_index,
                offset: ConstExpr::decode(&offset_expr)?,
            },
        };
        segments.push(DataSegment {
            mode,
            range: start..start + data.data.len(),
        });
    }
    Ok(segments)
}

/// Where a defined function's body lies within the module's bytes.
pub(crate) struct FuncBody {
    pub range: Range<usize>,
}

/// A body's record: start and end.
impl Record for FuncBody {
    const SIZE: usize = 8;

    fn read(b: &[u8]) -> Self {
        let b: &[u8; Self::SIZE] = b.try_into().expect("a whole record");
        let field = |k: usize| crate::snapshot::u32_at(b, 4 * k) as usize;
        FuncBody {
            range: field(0)..field(1),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.range.start as u32).to_le_bytes());
        out.extend_from_slice(&(self.range.end as u32).to_le_bytes());
    }
}

/// The names of a module's functions, for backtraces: decoded from its name section the first
/// time one is asked for, since a run rarely needs any (CPython names 11,000 functions).
#[derive(Default)]
pub(crate) struct FuncNames {
    source: Option<(ModuleBytes, Range<usize>)>,
    names: OnceLock<HashMap<u32, String>>,
}

impl FuncNames {
    /// The names in the name section at `range` of `bytes`.
    pub(crate) fn new(bytes: ModuleBytes, range: Range<usize>) -> FuncNames {
        FuncNames {
            source: Some((bytes, range)),
            names: OnceLock::new(),
        }
    }

    /// Where the module's name section lies in its bytes, if it has one.
    pub(crate) fn section(&self) -> Option<Range<usize>> {
        self.source.as_ref().map(|(_, range)| range.clone())
    }

    /// The name of function `index` (module index space), looked up like a map's entry.
    pub(crate) fn get(&self, index: &u32) -> Option<&String> {
        self.names
            .get_or_init(|| {
                let mut names = HashMap::new();
                if let Some((bytes, range)) = &self.source {
                    let reader =
                        wasmparser::BinaryReader::new(&bytes[range.clone()], range.start as u64);
                    // A malformed name section is ignored, as the spec asks of custom sections.
                    let _ =
                        decode_func_names(wasmparser::NameSectionReader::new(reader), &mut names);
                }
                names
            })
            .get(index)
    }
}

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub bytes: ModuleBytes,
    pub name: Option<String>,
    pub types: Vec<FuncType>,
    /// Engine-interned id of every entry of `types`.
    pub type_ids: Vec<u32>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: SharedSlice<u32>,
    pub tables: Vec<TableType>,
    pub memories: Vec<MemoryType>,
    pub globals: Vec<GlobalType>,
    pub num_imported_funcs: u32,
    pub num_imported_tables: u32,
    pub num_imported_memories: u32,
    pub num_imported_globals: u32,
    /// Initialisers of the defined globals.
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<(String, EntityIndex)>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: DataSegments,
    /// Bodies of the defined functions.
    pub bodies: Records<FuncBody>,
    pub func_names: FuncNames,
    /// Interpreter code, translated lazily per function.
    pub interp_code: crate::interp::ModuleCode,
    /// Native code, compiled on first use in the compiled tier.
    pub jit: crate::jit::ModuleJit,
}

/// An import of a module, as the API reports it.
#[derive(Debug, Clone)]
pub struct ImportType {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

/// An export of a module, as the API reports it.
#[derive(Debug, Clone)]
pub struct ExportType {
    pub name: String,
    pub ty: ExternType,
}

impl Module {
    /// Decodes and validates a binary module. With a compiling tier and a code cache, a cache
    /// entry for the module stands for its validation (see `jit/cache.rs`) and brings its code.
    pub fn new(engine: &Engine, bytes: impl Into<Vec<u8>>) -> Result<Module, Error> {
        let bytes = bytes.into();
        let probe = crate::jit::probe_cache(engine, &bytes);
        if !probe.proves_valid() {
            validate(&bytes)?;
        }
        let mut inner = decode(engine, bytes)?;
        inner.jit = crate::jit::module_jit(&inner, probe);
        Ok(Module {
            inner: Arc::new(inner),
        })
    }

    pub fn from_file(engine: &Engine, path: impl AsRef<std::path::Path>) -> Result<Module, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        Module::new(engine, bytes)
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// Compiles the module to native code now rather than on first use (or in the
    /// background), and fills the engine's code cache if it has one. Does nothing in the
    /// interpreter tier.
    pub fn precompile(&self) -> Result<(), Error> {
        self.precompile_with_progress(&|_, _| {})
    }

    /// [`Module::precompile`], calling `progress` from the compiling threads with the number
    /// of units (functions and trampolines) compiled so far and the total.
    pub fn precompile_with_progress(
        &self,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(), Error> {
        match self.inner.engine.config().tier {
            crate::Tier::Interp => Ok(()),
            crate::Tier::Jit | crate::Tier::Auto => crate::jit::precompile(&self.inner, progress),
        }
    }

    /// Whether this process is compiling the module in the background (auto tier). That
    /// compilation ends with the process: a host about to exit may want to have it finished
    /// elsewhere, so that the code cache has the module next time (`flint` runs
    /// `flint compile` for this).
    pub fn is_compiling_in_background(&self) -> bool {
        crate::jit::compiling_in_background(&self.inner)
    }

    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    pub fn imports(&self) -> Vec<ImportType> {
        self.inner
            .imports
            .iter()
            .map(|i| ImportType {
                module: i.module.clone(),
                name: i.name.clone(),
                ty: self.inner.extern_type(i.index),
            })
            .collect()
    }

    pub fn exports(&self) -> Vec<ExportType> {
        self.inner
            .exports
            .iter()
            .map(|(name, index)| ExportType {
                name: name.clone(),
                ty: self.inner.extern_type(*index),
            })
            .collect()
    }
}

impl ModuleInner {
    pub(crate) fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize] as usize]
    }

    pub(crate) fn func_type_id(&self, func_index: u32) -> u32 {
        self.type_ids[self.funcs[func_index as usize] as usize]
    }

    pub(crate) fn extern_type(&self, index: EntityIndex) -> ExternType {
        match index {
            EntityIndex::Func(i) => ExternType::Func(self.func_type(i).clone()),
            EntityIndex::Table(i) => ExternType::Table(self.tables[i as usize]),
            EntityIndex::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            EntityIndex::Global(i) => ExternType::Global(self.globals[i as usize]),
        }
    }

    /// Data bytes of a data segment; none if the segments cannot be decoded (which
    /// instantiation reports).
    pub(crate) fn data_bytes(&self, index: usize) -> &[u8] {
        match self.datas.segments() {
            Ok(segments) => &self.bytes[segments[index].range.clone()],
            Err(_) => &[],
        }
    }

    /// Body bytes of a defined function, with their offset in the module for error messages.
    pub(crate) fn body(&self, defined_index: usize) -> wasmparser::FunctionBody<'_> {
        let range = self.bodies.get(defined_index).range;
        let reader = wasmparser::BinaryReader::new(&self.bytes[range.clone()], range.start as u64);
        wasmparser::FunctionBody::new(reader)
    }
}

/// Validates the whole module (every function body too) so that invalid modules are rejected at
/// load, as the spec requires, even though the interpreter translates bodies lazily.
fn validate(bytes: &[u8]) -> Result<(), Error> {
    let mut validator = Validator::new_with_features(SUPPORTED_FEATURES);
    validator.validate_all(bytes).map(drop).map_err(classify)
}

/// Tells a malformed binary from an invalid one, by the message wasmparser gives: the binary
/// reader's errors concern encoding, the validator's concern types and indices.
/// wasmparser's message, on one line (some embed pretty-printed values), with its offset.
fn describe(err: &wasmparser::BinaryReaderError) -> String {
    let words: Vec<&str> = err.message().split_whitespace().collect();
    format!("{} (at offset {:#x})", words.join(" "), err.offset())
}

fn classify(err: wasmparser::BinaryReaderError) -> Error {
    let msg = describe(&err);
    let m = err.message();
    let invalid = [
        "type mismatch",
        "unknown",
        "invalid",
        "duplicate export",
        "constant expression required",
        "global is immutable",
        "must be",
        "multiple",
        "alignment must not be larger",
        "size minimum must not",
        "exceeds",
        "undeclared function reference",
        "start function",
        "data count section required",
    ];
    if invalid.iter().any(|p| m.contains(p)) && !m.contains("unknown section") {
        Error::Invalid(msg)
    } else {
        Error::Malformed(msg)
    }
}

fn bad(e: wasmparser::BinaryReaderError) -> Error {
    Error::Malformed(describe(&e))
}

fn table_type(t: wasmparser::TableType) -> Result<TableType, Error> {
    Ok(TableType {
        element: RefType::from_wasmparser(t.element_type)?,
        minimum: t.initial,
        maximum: t.maximum,
    })
}

fn memory_type(m: wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        minimum: m.initial,
        maximum: m.maximum,
        shared: m.shared,
        memory64: m.memory64,
    }
}

fn global_type(g: wasmparser::GlobalType) -> Result<GlobalType, Error> {
    Ok(GlobalType {
        content: ValType::from_wasmparser(g.content_type)?,
        mutability: if g.mutable {
            Mutability::Var
        } else {
            Mutability::Const
        },
    })
}

/// Decodes an already validated module into `ModuleInner`.
fn decode(engine: &Engine, bytes: Vec<u8>) -> Result<ModuleInner, Error> {
    if u32::try_from(bytes.len()).is_err() {
        return Err(Error::Unsupported("modules of 4 GiB or more".into()));
    }
    let bytes = Arc::new(bytes);
    let mut data_section = None;
    let mut bodies = Vec::new();
    let mut names_section = None;
    // Type index of every function, collected before it becomes the module's shared list.
    let mut funcs = Vec::new();
    let mut m = ModuleInner {
        engine: engine.clone(),
        bytes: ModuleBytes::Owned(Arc::clone(&bytes)),
        name: None,
        types: Vec::new(),
        type_ids: Vec::new(),
        imports: Vec::new(),
        funcs: SharedSlice::default(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        num_imported_funcs: 0,
        num_imported_tables: 0,
        num_imported_memories: 0,
        num_imported_globals: 0,
        global_inits: Vec::new(),
        exports: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: DataSegments::default(),
        bodies: Records::default(),
        func_names: FuncNames::default(),
        interp_code: Default::default(),
        jit: Default::default(),
    };
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload.map_err(bad)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(bad)?.into_types() {
                        let ty = FuncType::from_wasmparser(sub.unwrap_func())?;
                        m.type_ids.push(engine.intern_type(&ty));
                        m.types.push(ty);
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(bad)?;
                    let index = match import.ty {
                        wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                            funcs.push(t);
                            m.num_imported_funcs += 1;
                            EntityIndex::Func(funcs.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Table(t) => {
                            m.tables.push(table_type(t)?);
                            m.num_imported_tables += 1;
                            EntityIndex::Table(m.tables.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Memory(t) => {
                            m.memories.push(memory_type(t));
                            m.num_imported_memories += 1;
                            EntityIndex::Memory(m.memories.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Global(t) => {
                            m.globals.push(global_type(t)?);
                            m.num_imported_globals += 1;
                            EntityIndex::Global(m.globals.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Tag(_) => {
                            return Err(Error::Unsupported("exception tags".into()))
                        }
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        index,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    funcs.push(t.map_err(bad)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(bad)?;
                    if !matches!(table.init, wasmparser::TableInit::RefNull) {
                        return Err(Error::Unsupported("table initialiser expressions".into()));
                    }
                    m.tables.push(table_type(table.ty)?);
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    m.memories.push(memory_type(mem.map_err(bad)?));
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g.map_err(bad)?;
                    m.globals.push(global_type(g.ty)?);
                    m.global_inits.push(ConstExpr::decode(&g.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(bad)?;
                    let index = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            EntityIndex::Func(e.index)
                        }
                        wasmparser::ExternalKind::Table => EntityIndex::Table(e.index),
                        wasmparser::ExternalKind::Memory => EntityIndex::Memory(e.index),
                        wasmparser::ExternalKind::Global => EntityIndex::Global(e.index),
                        wasmparser::ExternalKind::Tag => {
                            return Err(Error::Unsupported("exception tags".into()))
                        }
                    };
                    m.exports.push((e.name.to_string(), index));
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                for elem in reader {
                    m.elems.push(decode_elem(elem.map_err(bad)?)?);
                }
            }
            Payload::DataSection(reader) => {
                let range = reader.range();
                data_section = Some(range.start as usize..range.end as usize);
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push(FuncBody {
                    range: range.start as usize..range.end as usize,
                });
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                    // A malformed name section is ignored, as the spec asks of custom sections.
                    let _ = decode_module_name(names, &mut m);
                    let range = reader.data_range();
                    names_section = Some(range.start as usize..range.end as usize);
                }
            }
            _ => {}
        }
    }
    m.funcs = funcs.into();
    m.interp_code = crate::interp::ModuleCode::new(
        bodies.len(),
        crate::interp::wants_epoch_checks(engine.config()),
    );
    // Decoded now, so that a malformed section fails the load, then kept.
    let datas = match &data_section {
        Some(range) => decode_data_section(&bytes, range.clone())?,
        None => Vec::new(),
    };
    m.datas = DataSegments {
        len: datas.len(),
        source: data_section.map(|range| (ModuleBytes::Owned(Arc::clone(&bytes)), range)),
        segments: OnceLock::from(Ok(datas)),
    };
    m.bodies = bodies.into_iter().collect();
    if let Some(range) = names_section {
        m.func_names = FuncNames::new(ModuleBytes::Owned(bytes), range);
    }
    Ok(m)
}

fn decode_elem(elem: wasmparser::Element<'_>) -> Result<ElemSegment, Error> {
    let mode = match elem.kind {
        wasmparser::ElementKind::Passive => ElemMode::Passive,
        wasmparser::ElementKind::Declared => ElemMode::Declared,
        wasmparser::ElementKind::Active {
            table_index,
            offset_expr,
        } => ElemMode::Active {
            table: table_index.unwrap_or(0),
            offset: ConstExpr::decode(&offset_expr)?,
        },
    };
    let (ty, items) = match elem.items {
        wasmparser::ElementItems::Functions(funcs) => {
            let funcs: Vec<u32> = funcs.into_iter().collect::<Result<_, _>>().map_err(bad)?;
            (RefType::FuncRef, ElemItems::Funcs(funcs.into()))
        }
        wasmparser::ElementItems::Expressions(ty, exprs) => {
            let mut items = Vec::new();
            for e in exprs {
                items.push(ConstExpr::decode(&e.map_err(bad)?)?);
            }
            (RefType::from_wasmparser(ty)?, ElemItems::Exprs(items))
        }
    };
    Ok(ElemSegment { mode, ty, items })
}

/// The module's name, from its name section; the function names are left for `FuncNames`.
fn decode_module_name(
    names: wasmparser::NameSectionReader<'_>,
    m: &mut ModuleInner,
) -> Result<(), wasmparser::BinaryReaderError> {
    for name in names {
        if let wasmparser::Name::Module { name, .. } = name? {
            m.name = Some(name.to_string());
        }
    }
    Ok(())
}

fn decode_func_names(
    names: wasmparser::NameSectionReader<'_>,
    out: &mut HashMap<u32, String>,
) -> Result<(), wasmparser::BinaryReaderError> {
    for name in names {
        if let wasmparser::Name::Function(map) = name? {
            for naming in map {
                let naming = naming?;
                out.insert(naming.index, naming.name.to_string());
            }
        }
    }
    Ok(())
}
