//! The process-wide map from code addresses to trap sites, which the signal handler consults to
//! tell a trap in compiled code from a fault anywhere else.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use cranelift_codegen::ir::TrapCode;

use super::image_meta::ImageMeta;

struct CodeObject {
    end: usize,
    /// Holds the trap sites.
    meta: Arc<ImageMeta>,
}

/// Code objects by start address. Registration happens outside compiled code and the handler
/// only reads, so a handler never waits for its own thread.
static REGISTRY: RwLock<BTreeMap<usize, CodeObject>> = RwLock::new(BTreeMap::new());

/// Keeps a code object registered until dropped.
pub(crate) struct Registration {
    start: usize,
}

pub(crate) fn register(start: *const u8, len: usize, meta: Arc<ImageMeta>) -> Registration {
    let start = start as usize;
    let object = CodeObject {
        end: start + len,
        meta,
    };
    REGISTRY
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(start, object);
    Registration { start }
}

impl Drop for Registration {
    fn drop(&mut self) {
        REGISTRY
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.start);
    }
}

/// Whether `pc` lies in registered code. Called from the signal handler.
pub(crate) fn contains(pc: usize) -> bool {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    registry
        .range(..=pc)
        .next_back()
        .is_some_and(|(_, object)| pc < object.end)
}

/// The trap code of the instruction at `pc`, if it is a trap site of registered code. Called
/// from the signal handler: it neither allocates nor panics.
pub(crate) fn trap_at(pc: usize) -> Option<TrapCode> {
    let registry = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    let (&start, object) = registry.range(..=pc).next_back()?;
    if pc >= object.end {
        return None;
    }
    object.meta.trap_at((pc - start) as u32)
}
