//! Immutable lists that every store restored from one snapshot shares: built in memory, or
//! read in place from the snapshot's mapping. A restore that copied CPython's large per-function
//! tables (11,500 entries each) would fault in tens of fresh pages for them every time.

use std::ptr::NonNull;
use std::sync::Arc;

use crate::snapshot::Mapping;

/// A shared, immutable list of `T`, held as a pointer and a length so that reading it costs
/// what reading a slice does.
pub(crate) struct SharedSlice<T> {
    ptr: NonNull<T>,
    len: usize,
    /// What keeps the items alive.
    _owner: Owner<T>,
}

enum Owner<T> {
    Built(Arc<[T]>),
    Mapped(Arc<Mapping>),
}

impl<T> Clone for Owner<T> {
    fn clone(&self) -> Self {
        match self {
            Owner::Built(items) => Owner::Built(Arc::clone(items)),
            Owner::Mapped(map) => Owner::Mapped(Arc::clone(map)),
        }
    }
}

impl<T> Clone for SharedSlice<T> {
    fn clone(&self) -> Self {
        SharedSlice {
            ptr: self.ptr,
            len: self.len,
            _owner: self._owner.clone(),
        }
    }
}

// SAFETY: the items are immutable and owned by `_owner`, which is `Send` and `Sync` when `T`
// is.
unsafe impl<T: Send + Sync> Send for SharedSlice<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for SharedSlice<T> {}

impl<T> Default for SharedSlice<T> {
    fn default() -> Self {
        SharedSlice::built(Arc::new([]))
    }
}

impl<T> From<Vec<T>> for SharedSlice<T> {
    fn from(items: Vec<T>) -> Self {
        SharedSlice::built(items.into())
    }
}

impl<T> SharedSlice<T> {
    pub(crate) fn built(items: Arc<[T]>) -> Self {
        SharedSlice {
            ptr: NonNull::from(&*items).cast(),
            len: items.len(),
            _owner: Owner::Built(items),
        }
    }

    /// The `len` items at `ptr`, inside `map`.
    ///
    /// # Safety
    /// `ptr` must be aligned for `T` and point at `len` valid items inside `map`.
    pub(crate) unsafe fn mapped(map: Arc<Mapping>, ptr: *const T, len: usize) -> Self {
        SharedSlice {
            ptr: NonNull::new(ptr.cast_mut()).expect("a pointer into a mapping"),
            len,
            _owner: Owner::Mapped(map),
        }
    }
}

impl<T> std::ops::Deref for SharedSlice<T> {
    type Target = [T];

    #[inline(always)]
    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` and `len` describe valid, immutable items that `_owner` keeps alive
        // (an `Arc` of them, or a mapping checked to hold them), for as long as `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for SharedSlice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
