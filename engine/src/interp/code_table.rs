//! The interpreter code of each store function that has run here, by store index: what every
//! call looks up.
//!
//! A restore fills the entries of its frames' functions, which CPython has at indices up to
//! 11,500: written entry by entry, the table's empty entries below them faulted in 180 KB in
//! every restored process. An empty entry is all-zero bytes here, so the table grows in zeroed
//! memory (`zeroed.rs`) and only the pages of entries that get set are ever touched.

use std::ptr::NonNull;
use std::sync::Arc;

use super::code::CompiledFunc;
use crate::zeroed::ZeroedSlice;

/// A store function's code and the instance it runs in.
#[derive(Clone, Copy)]
pub(crate) struct FuncCode<'a> {
    pub code: &'a CompiledFunc,
    pub instance: u32,
}

#[derive(Default)]
pub(crate) struct CodeTable {
    /// By store index.
    entries: ZeroedSlice<Entry>,
    /// The code every entry points into, kept alive as long as the table.
    owned: Vec<Arc<CompiledFunc>>,
}

/// All-zero bytes are the empty entry: `None` and instance 0.
#[derive(Clone, Copy)]
struct Entry {
    code: Option<NonNull<CompiledFunc>>,
    instance: u32,
}

impl CodeTable {
    /// The code of store function `func`, if set.
    #[inline(always)]
    pub(crate) fn get(&self, func: u32) -> Option<FuncCode<'_>> {
        let entry = self.entries.get(func as usize)?;
        Some(FuncCode {
            // SAFETY: a set entry points into an `Arc` that `owned` holds until the table is
            // dropped, so the code lives at least as long as `&self`.
            code: unsafe { entry.code?.as_ref() },
            instance: entry.instance,
        })
    }

    /// Sets the code of store function `func`, run in `instance`.
    pub(crate) fn set(&mut self, func: u32, code: Arc<CompiledFunc>, instance: u32) {
        let index = func as usize;
        if index >= self.entries.len() {
            self.reserve((index + 1).max(2 * self.entries.len()));
        }
        self.entries[index] = Entry {
            code: Some(NonNull::from(&*code)),
            instance,
        };
        self.owned.push(code);
    }

    /// Makes room for the functions below store index `len`, so that setting them does not
    /// copy the table again.
    pub(crate) fn reserve(&mut self, len: usize) {
        if len <= self.entries.len() {
            return;
        }
        // SAFETY: all-zero bytes are a valid `Entry`: `None` (the null-pointer optimisation
        // guarantees it for `Option<NonNull<_>>`) and instance 0.
        let mut grown: ZeroedSlice<Entry> = unsafe { ZeroedSlice::new(len) };
        grown[..self.entries.len()].copy_from_slice(&self.entries);
        self.entries = grown;
    }
}

// SAFETY: the entries only point into the `Arc<CompiledFunc>`s the table owns, and
// `CompiledFunc` is `Send` and `Sync`: the table may move to another thread with them.
unsafe impl Send for CodeTable {}
// SAFETY: as for `Send`: shared access only reads the entries.
unsafe impl Sync for CodeTable {}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(frame_slots: u32) -> Arc<CompiledFunc> {
        Arc::new(CompiledFunc::new(0, 0, frame_slots, &[]))
    }

    #[test]
    fn entries_start_empty_and_keep_their_code_through_growth() {
        let mut table = CodeTable::default();
        assert!(table.get(0).is_none());
        table.set(5, code(3), 1);
        table.reserve(40);
        table.set(30, code(4), 2);
        assert!(table.get(4).is_none() && table.get(31).is_none() && table.get(99).is_none());
        let five = table.get(5).expect("set");
        assert_eq!((five.code.frame_slots, five.instance), (3, 1));
        let thirty = table.get(30).expect("set");
        assert_eq!((thirty.code.frame_slots, thirty.instance), (4, 2));
    }
}
