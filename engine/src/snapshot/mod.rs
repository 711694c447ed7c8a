//! Snapshots: a store captured while suspended in a host call, written to a file, and restored
//! later, in this process or another, as a new store that resumes the suspended execution.
//!
//! Taking one: a host function calls [`Caller::snapshot`]. The interpreter keeps all execution
//! state as plain data in the store (value stack, frames, the host call in progress), so the
//! capture is a copy of the store's entities: memories, tables, globals, instances (with their
//! dropped segments), the interpreter's frames and value stack, and the pending host call. The
//! embedder adds its own state as extra sections ([`Snapshot::add_section`]), e.g. the WASI
//! descriptor table, and writes the file ([`Snapshot::write`]).
//!
//! Restoring: [`LoadedSnapshot::load`] opens and verifies the file once (format, engine build,
//! module file identity, checksums) and rebuilds the module from its recorded metadata without
//! validating or decoding the `.wasm` again; [`LoadedSnapshot::instantiate`] then creates a
//! fresh store from it as often as wanted, mapping memory images copy-on-write, and
//! [`Suspended::resume`] makes the pending host call again, in the new store (so its answer
//! comes from the new store's host state), and runs the frames to completion in the
//! interpreter's executor, as if the call had just returned.
//!
//! What a snapshot cannot hold is refused when it is taken: calls nested inside host calls,
//! host functions not linked by import name, several modules in one store, shared memories.

mod code_cache;
mod code_pages;
mod codec;
mod file;
mod mapping;
mod memory_image;
mod module_meta;
mod records;
mod store_image;
mod written_pages;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use self::code_cache::CachedCode;
pub use self::code_pages::CodePagesRecorder;
use self::codec::{Reader, Writer};
use self::file::{ModuleIdentity, SectionEntry, SectionOut, SnapshotFile};
pub(crate) use self::mapping::{Mapping, ModuleBytes};
pub(crate) use self::module_meta::val_type_code;
pub(crate) use self::records::{partition_point, u32_at, Record, Records};
use self::store_image::StoreImage;
use self::written_pages::WrittenPages;
use crate::file_stamp::FileStamp;
use crate::interp::{HostCall, ModuleCode};
use crate::memory::LinearMemory;
use crate::{Caller, Engine, Error, Instance, Linker, Module, Store, Trap, Val};

const MODULE_SECTION: [u8; 4] = *b"MODL";
const STORE_SECTION: [u8; 4] = *b"STOR";
const MEMORY_SECTION: [u8; 4] = *b"MEMI";
const WRITTEN_SECTION: [u8; 4] = *b"WRIT";
const ENGINE_SECTIONS: [[u8; 4]; 6] = [
    MODULE_SECTION,
    STORE_SECTION,
    MEMORY_SECTION,
    WRITTEN_SECTION,
    code_cache::INDEX_SECTION,
    code_cache::CODE_SECTION,
];

/// A store captured inside a host call, with the embedder's sections, ready to be written.
pub struct Snapshot {
    module: Module,
    store: StoreImage,
    /// Each memory's contents up to its last non-zero page.
    memories: Vec<Vec<u8>>,
    sections: Vec<([u8; 4], Vec<u8>)>,
}

impl<T> Caller<'_, T> {
    /// Captures the whole store, suspended in the host call this caller is running. Restoring
    /// it makes this same host call again (with the same arguments, in the restored store) and
    /// continues from there. Only possible from a host call made by interpreted code from the
    /// outermost call into Wasm.
    pub fn snapshot(&self) -> Result<Snapshot, Error> {
        let (store, module) = StoreImage::capture(self.store)?;
        let memories = self
            .store
            .inner
            .memories
            .iter()
            .map(|m| {
                let bytes = m.bytes();
                bytes[..memory_image::image_len(bytes)].to_vec()
            })
            .collect();
        Ok(Snapshot {
            module,
            store,
            memories,
            sections: Vec::new(),
        })
    }
}

impl Snapshot {
    /// Adds a section of the embedder's own, found again with [`LoadedSnapshot::section`].
    pub fn add_section(&mut self, tag: [u8; 4], data: Vec<u8>) -> Result<(), Error> {
        if ENGINE_SECTIONS.contains(&tag) || self.sections.iter().any(|(t, _)| *t == tag) {
            return Err(Error::Usage(format!(
                "snapshot section tag {} is already in use",
                file::tag_name(tag)
            )));
        }
        self.sections.push((tag, data));
        Ok(())
    }

    /// Removes the snapshot file at `path` with the records kept beside it (of its check, of
    /// its code pages); a missing file is not an error.
    pub fn remove(path: &Path) -> std::io::Result<()> {
        file::remove(path)
    }

    /// Writes the snapshot to `path` (atomically: a complete file or none). `module_file` is
    /// the `.wasm` file the module was loaded from; its identity is recorded so that a restore
    /// can trust the recorded module metadata without validating the module again.
    pub fn write(&self, path: &Path, module_file: &Path) -> Result<(), Error> {
        let io = |e| Error::Io(module_file.display().to_string(), e);
        let meta = std::fs::metadata(module_file).map_err(io)?;
        let bytes = &self.module.inner.bytes;
        let file_bytes = std::fs::read(module_file).map_err(io)?;
        let hash = *blake3::hash(bytes).as_bytes();
        if meta.len() != bytes.len() as u64 || *blake3::hash(&file_bytes).as_bytes() != hash {
            return Err(Error::Usage(format!(
                "{} is not the file the snapshot's module was loaded from",
                module_file.display()
            )));
        }
        let identity = ModuleIdentity {
            len: meta.len(),
            hash,
            stamp: FileStamp::of(&meta),
        };
        let mut module = Writer::default();
        module_meta::encode(&self.module.inner, &mut module);
        let mut store = Writer::default();
        self.store.encode(&mut store);
        let mut sections = vec![
            SectionOut {
                tag: MODULE_SECTION,
                index: 0,
                data: &module.buf,
                image: false,
            },
            SectionOut {
                tag: STORE_SECTION,
                index: 0,
                data: &store.buf,
                image: false,
            },
        ];
        for (tag, data) in &self.sections {
            sections.push(SectionOut {
                tag: *tag,
                index: 0,
                data,
                image: false,
            });
        }
        for (k, image) in self.memories.iter().enumerate() {
            sections.push(SectionOut {
                tag: MEMORY_SECTION,
                index: k as u32,
                data: image,
                image: true,
            });
        }
        file::write(path, &identity, &sections)
    }
}

/// A verified snapshot file with its module rebuilt: instantiate it as often as wanted.
pub struct LoadedSnapshot {
    file: SnapshotFile,
    path: PathBuf,
    module: Module,
    store: StoreImage,
    images: Vec<SectionEntry>,
    /// Whether a record of the code pages restored runs touch was found beside the file.
    pages_recorded: bool,
    /// The memory pages that training runs wrote, kept in the file.
    written: Option<WrittenPages>,
    /// The memory pages written by every run given to `learn_written_pages` so far.
    learned: Mutex<Option<WrittenPages>>,
}

impl LoadedSnapshot {
    /// Opens the snapshot at `path`, taken of the module in `module_file`. Fails with
    /// [`Error::Snapshot`] if the file is damaged or truncated, was written by another engine
    /// build, or if `module_file` changed since the snapshot was written.
    pub fn load(engine: &Engine, path: &Path, module_file: &Path) -> Result<LoadedSnapshot, Error> {
        let snapshot = SnapshotFile::open(path)?;
        let hot_pages = code_pages::read(path, &snapshot.sum);
        let pages_recorded = hot_pages.is_some();
        let wasm =
            File::open(module_file).map_err(|e| Error::Io(module_file.display().to_string(), e))?;
        let meta = wasm
            .metadata()
            .map_err(|e| Error::Io(module_file.display().to_string(), e))?;
        if meta.len() != snapshot.module.len || FileStamp::of(&meta) != snapshot.module.stamp {
            return Err(Error::Snapshot(format!(
                "{} changed since the snapshot was taken",
                module_file.display()
            )));
        }
        let bytes = Mapping::map(
            &wasm,
            meta.len() as usize,
            &module_file.display().to_string(),
        )?;
        let meta_section = snapshot.required(MODULE_SECTION, 0)?;
        let code_sections = snapshot
            .section(code_cache::INDEX_SECTION, 0)
            .zip(snapshot.section(code_cache::CODE_SECTION, 0));
        let module = module_meta::decode(
            engine,
            ModuleBytes::Mapped(Arc::new(bytes)),
            &snapshot.map,
            &mut Reader::new(snapshot.bytes(meta_section), "module"),
            |type_ids, defined, epoch_checks| {
                if engine.config().epoch_interruption && !epoch_checks {
                    return Err(Error::Snapshot(
                        "it was taken without the epoch checks that this engine's epoch \
                         interruption needs"
                            .into(),
                    ));
                }
                let Some((index, code)) = code_sections else {
                    return Ok(ModuleCode::new(defined, epoch_checks));
                };
                let cached = CachedCode::decode(
                    &mut Reader::new(snapshot.bytes(index), "code index"),
                    Arc::clone(&snapshot.map),
                    (code.offset as usize, code.len as usize),
                    type_ids,
                    defined,
                    hot_pages.unwrap_or_default(),
                )?;
                Ok(match cached {
                    Some(cached) => {
                        ModuleCode::with_source(defined, epoch_checks, Box::new(cached))
                    }
                    None => ModuleCode::new(defined, epoch_checks),
                })
            },
        )?;
        let store_section = snapshot.required(STORE_SECTION, 0)?;
        let store = StoreImage::decode(
            &mut Reader::new(snapshot.bytes(store_section), "store"),
            &module,
        )?;
        let mut images = Vec::with_capacity(store.memories.len());
        for (k, ty) in store.memories.iter().enumerate() {
            let image = snapshot.required(MEMORY_SECTION, k as u32)?;
            if image.len > ty.minimum.saturating_mul(crate::WASM_PAGE_SIZE) {
                return Err(Error::Snapshot(format!(
                    "memory image {k} is larger than its memory"
                )));
            }
            images.push(image);
        }
        let written = match snapshot.section(WRITTEN_SECTION, 0) {
            Some(section) => Some(WrittenPages::decode(&mut Reader::new(
                snapshot.bytes(section),
                "written pages",
            ))?),
            None => None,
        };
        Ok(LoadedSnapshot {
            file: snapshot,
            path: path.to_path_buf(),
            module,
            store,
            images,
            pages_recorded,
            written,
            learned: Mutex::new(None),
        })
    }

    /// Writes this snapshot again to `path`, now holding the interpreter code of every function
    /// its module has run so far (here or in the restores made from it), so that restores from
    /// the new file take that code instead of translating it, and the memory pages learned by
    /// [`LoadedSnapshot::learn_written_pages`], if any. Run a representative workload on
    /// restores first, then write.
    pub fn write_with_code(&self, path: &Path) -> Result<(), Error> {
        let (index, code) = code_cache::encode(&self.module.inner)?;
        let written = self
            .learned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|w| {
                let mut out = Writer::default();
                w.encode(&mut out);
                out.buf
            });
        let replaced = |tag| {
            [code_cache::INDEX_SECTION, code_cache::CODE_SECTION].contains(&tag)
                || (tag == WRITTEN_SECTION && written.is_some())
        };
        let mut sections: Vec<SectionOut<'_>> = self
            .file
            .sections()
            .iter()
            .filter(|s| !replaced(s.tag))
            .map(|s| SectionOut {
                tag: s.tag,
                index: s.index,
                data: self.file.bytes(*s),
                image: !s.checked,
            })
            .collect();
        sections.push(SectionOut {
            tag: code_cache::INDEX_SECTION,
            index: 0,
            data: &index,
            image: false,
        });
        sections.push(SectionOut {
            tag: code_cache::CODE_SECTION,
            index: 0,
            data: &code,
            image: true,
        });
        if let Some(written) = &written {
            sections.push(SectionOut {
                tag: WRITTEN_SECTION,
                index: 0,
                data: written,
                image: false,
            });
        }
        file::write(path, &self.file.module, &sections)
    }

    /// Learns which memory pages a run restored from this snapshot wrote, from `store` (made by
    /// [`LoadedSnapshot::instantiate`]) once the run is over: the pages written by every run
    /// given here are those that [`LoadedSnapshot::write_with_code`] keeps in the file for
    /// [`LoadedSnapshot::populate_written_pages`].
    pub fn learn_written_pages<T>(&self, store: &Store<T>) {
        let images: Vec<&[u8]> = self.images.iter().map(|i| self.file.bytes(*i)).collect();
        let memories: Vec<&[u8]> = store.inner.memories.iter().map(|m| m.bytes()).collect();
        let run = WrittenPages::compare(&images, &memories);
        let mut learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
        match learned.as_mut() {
            Some(learned) => learned.intersect(&run),
            None => *learned = Some(run),
        }
    }

    /// Copies into `store` (just made by [`LoadedSnapshot::instantiate`]) the memory pages that
    /// the snapshot's training runs all wrote, in a few system calls, where the run would take
    /// two page faults on most of them. For a process about to run the restored program; a
    /// server that restores ahead of requests may leave them to their faults.
    pub fn populate_written_pages<T>(&self, store: &Store<T>) {
        if let Some(written) = &self.written {
            written.populate(&store.inner.memories);
        }
    }

    /// What records, at the end of a run restored from this snapshot, which pages of its
    /// lazily filled interpreter code the run touched, so that later loads fill them at once;
    /// `None` if the snapshot has that record already or holds no interpreter code, or if its
    /// engine runs everything on the interpreter (its runs touch far more of that code than
    /// runs that call compiled code, which are what the record is for).
    pub fn code_pages_recorder(&self) -> Option<CodePagesRecorder> {
        let has_code = self.file.section(code_cache::CODE_SECTION, 0).is_some();
        let compiles = self.module.engine().config().tier != crate::Tier::Interp;
        (has_code && compiles && !self.pages_recorded).then(|| CodePagesRecorder {
            module: self.module.clone(),
            snapshot: self.path.clone(),
            key: self.file.sum,
        })
    }

    /// The module the snapshot was taken of.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// An embedder section added with [`Snapshot::add_section`].
    pub fn section(&self, tag: [u8; 4]) -> Option<&[u8]> {
        if ENGINE_SECTIONS.contains(&tag) {
            return None;
        }
        Some(self.file.bytes(self.file.section(tag, 0)?))
    }

    /// Creates a new store holding the snapshot's state, with `data` as its host data and the
    /// snapshot's host functions linked again from `linker` (by import name). The store's
    /// execution is suspended; [`Suspended::resume`] continues it.
    pub fn instantiate<T>(
        &self,
        linker: &Linker<T>,
        data: T,
    ) -> Result<(Store<T>, Suspended), Error> {
        let mut store = Store::new(self.module.engine(), data);
        for (ty, image) in self.store.memories.iter().zip(&self.images) {
            let mut mem = LinearMemory::new(*ty)?;
            memory_image::map(&mut mem, &self.file.file, image.offset, image.len as usize)?;
            store.inner.memories.push(mem);
        }
        let call = self.store.rebuild(&mut store, &self.module, linker)?;
        let entry = store.inner.interp.frames[call.base].func;
        Ok((store, Suspended { call, entry }))
    }
}

/// The execution of a restored store, suspended in a host call.
#[must_use = "a restored store does nothing until it is resumed"]
pub struct Suspended {
    call: HostCall,
    /// Store index of the function the suspended call into Wasm entered.
    entry: u32,
}

impl Suspended {
    /// The instance whose code made the suspended host call.
    pub fn instance(&self) -> Instance {
        Instance(self.call.instance)
    }

    /// Makes the suspended host call again, in `store` (the one
    /// [`LoadedSnapshot::instantiate`] returned with this value), and runs until the call into
    /// Wasm that was suspended returns; returns its results.
    pub fn resume<T>(self, store: &mut Store<T>) -> Result<Vec<Val>, Trap> {
        let frames = &store.inner.interp.frames;
        if frames.get(self.call.base).map(|f| f.func) != Some(self.entry) {
            return Err(Trap::host("resumed in a store other than the restored one"));
        }
        let ty = store
            .engine
            .type_of(store.inner.funcs[self.entry as usize].type_id);
        if store.engine.config().tier != crate::Tier::Interp {
            // The restored frames are interpreted, but the calls they make run compiled code
            // as soon as it exists: at once when the code cache held it, else when the
            // background compilation delivers it (the interpreter's epoch checks notice).
            crate::jit::sync(&mut store.inner)?;
        }
        let fp = crate::interp::resume(store, self.call)?;
        let stack = &store.inner.interp.stack;
        let mut at = fp;
        Ok(ty
            .results()
            .iter()
            .map(|t| {
                let v = Val::read_slots(*t, &stack[at..]);
                at += t.slots();
                v
            })
            .collect())
    }
}
