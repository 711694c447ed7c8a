//! The on-disk code cache: a linked image per module, stored under a key that covers everything
//! the code depends on, and mapped straight from the file when found.
//!
//! The key hashes the module's bytes, the engine version, a fingerprint of the compiled tier's
//! sources (see `build.rs`), the engine settings that affect code, the target triple and every
//! Cranelift setting, the detected CPU features included. Images are position-independent (see `compile.rs`), so a file's code is
//! mapped read+execute as it is, shared through the page cache by every process that loads it.
//!
//! A cache file is written to a temporary name and renamed into place, so readers see either
//! no file or a complete one; anything unexpected in a file makes it a miss.
//!
//! File layout (little-endian):
//!
//! ```text
//! magic "FLINTJC1", key [32], code offset u64, code length u64,
//! defined functions u32, types u32, trap sites u32,
//! function offsets [u32], array entry offsets [u32], host adapter offsets [u32],
//! trap sites [(offset u32, code u32)],
//! (hole up to the code offset, a multiple of CODE_ALIGN)
//! code
//! ```

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::num::NonZeroU8;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use cranelift_codegen::ir::TrapCode;
use cranelift_codegen::isa::TargetIsa;

use super::code::CodeMemory;
use super::compile::{CompiledModule, Image, ImageMeta};
use super::registry::TrapSite;
use super::translate::ModuleEnv;

const MAGIC: &[u8; 8] = b"FLINTJC1";
/// Code starts at a multiple of this, a multiple of every page size in use.
const CODE_ALIGN: u64 = 64 << 10;
/// Bytes before the variable-length metadata.
const FIXED: usize = 8 + 32 + 8 + 8 + 4 * 3;

pub(crate) struct Cache<'a> {
    dir: &'a Path,
    key: [u8; 32],
}

impl<'a> Cache<'a> {
    /// `options` describes the engine settings that affect generated code.
    pub(crate) fn new(dir: &'a Path, isa: &dyn TargetIsa, options: &str, module: &[u8]) -> Self {
        let mut h = blake3::Hasher::new();
        h.update(MAGIC);
        for part in [
            env!("CARGO_PKG_VERSION"),
            env!("FLINT_JIT_FINGERPRINT"),
            &isa.triple().to_string(),
            &isa.flags().to_string(),
            options,
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        for flag in isa.isa_flags() {
            h.update(flag.to_string().as_bytes());
            h.update(b"\n");
        }
        h.update(&(module.len() as u64).to_le_bytes());
        h.update(module);
        Cache {
            dir,
            key: *h.finalize().as_bytes(),
        }
    }

    fn path(&self) -> PathBuf {
        let name: String = self.key.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.flintc"))
    }

    /// The cached code of the module, if the cache has a valid entry for it.
    pub(crate) fn load(&self, env: &ModuleEnv<'_>) -> Option<CompiledModule> {
        let mut file = File::open(self.path()).ok()?;
        let mut fixed = [0u8; FIXED];
        file.read_exact(&mut fixed).ok()?;
        let mut r = Reader(&fixed);
        if r.bytes(8)? != MAGIC || r.bytes(32)? != self.key {
            return None;
        }
        let (code_offset, code_len) = (r.u64()?, r.u64()?);
        let (funcs, types, traps) = (r.u32()?, r.u32()?, r.u32()?);
        if funcs != env.num_defined_funcs() || types as usize != env.types.len() || code_len == 0 {
            return None;
        }
        let meta_len = 4 * (funcs as usize + 2 * types as usize) + 8 * traps as usize;
        if (FIXED + meta_len) as u64 > code_offset
            || file.metadata().ok()?.len() != code_offset.checked_add(code_len)?
        {
            return None;
        }
        let mut meta = vec![0u8; meta_len];
        file.read_exact(&mut meta).ok()?;
        let meta = parse_meta(&meta, funcs, types, traps, code_len)?;
        let code = CodeMemory::map_file(&file, code_offset, code_len as usize).ok()?;
        Some(CompiledModule::new(code, meta, env.layout))
    }

    /// Writes `image` to the cache.
    pub(crate) fn store(&self, image: &Image) -> std::io::Result<()> {
        if image.code.is_empty() {
            return Ok(());
        }
        std::fs::create_dir_all(self.dir)?;
        let path = self.path();
        // Unique among concurrent writers, in this process and others.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let tmp = self.dir.join(format!(
            ".{}.{}.{}.tmp",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let result = write_file(&tmp, &self.key, image).and_then(|()| std::fs::rename(&tmp, &path));
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

fn write_file(path: &Path, key: &[u8; 32], image: &Image) -> std::io::Result<()> {
    let m = &image.meta;
    let mut head = Vec::new();
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(key);
    let meta_len = 4 * (m.funcs.len() + 2 * m.array_entries.len()) + 8 * m.traps.len();
    let code_offset = ((FIXED + meta_len) as u64).next_multiple_of(CODE_ALIGN);
    head.extend_from_slice(&code_offset.to_le_bytes());
    head.extend_from_slice(&(image.code.len() as u64).to_le_bytes());
    for n in [m.funcs.len(), m.array_entries.len(), m.traps.len()] {
        head.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for offset in m
        .funcs
        .iter()
        .chain(&m.array_entries)
        .chain(&m.host_adapters)
    {
        head.extend_from_slice(&offset.to_le_bytes());
    }
    for t in &m.traps {
        head.extend_from_slice(&t.offset.to_le_bytes());
        head.extend_from_slice(&u32::from(t.code.as_raw().get()).to_le_bytes());
    }
    let mut file = File::create(path)?;
    file.write_all(&head)?;
    // Seeking past the end leaves a hole rather than writing padding.
    file.seek(SeekFrom::Start(code_offset))?;
    file.write_all(&image.code)?;
    file.sync_data()
}

fn parse_meta(
    bytes: &[u8],
    funcs: u32,
    types: u32,
    traps: u32,
    code_len: u64,
) -> Option<ImageMeta> {
    let mut r = Reader(bytes);
    let mut offsets = |n: u32| -> Option<Vec<u32>> {
        (0..n)
            .map(|_| r.u32().filter(|&o| (o as u64) < code_len))
            .collect()
    };
    let funcs = offsets(funcs)?;
    let array_entries = offsets(types)?;
    let host_adapters = offsets(types)?;
    let traps = (0..traps)
        .map(|_| {
            let offset = r.u32().filter(|&o| (o as u64) < code_len)?;
            let code = u8::try_from(r.u32()?).ok().and_then(NonZeroU8::new)?;
            Some(TrapSite {
                offset,
                code: TrapCode::from_raw(code),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ImageMeta {
        traps,
        funcs,
        array_entries,
        host_adapters,
    })
}

/// Reads little-endian fields off the front of a byte slice.
struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn bytes(&mut self, n: usize) -> Option<&'b [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
}
