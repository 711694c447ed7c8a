//! A fixed number of slots, each set at most once to an `Arc<T>`, in zeroed memory.
//!
//! A module's interpreter code has a slot per defined function (CPython has 11,500), of which a
//! restored run fills a few dozen. Slots that `OnceLock` makes have to be written one by one,
//! which faulted in the whole table (about 180 KB) in every process; an empty slot here is a
//! null pointer, so the table is zeroed memory (`zeroed.rs`) and only the pages of slots that
//! get set are ever touched.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;

use crate::zeroed::ZeroedSlice;

pub(crate) struct LazySlots<T> {
    /// Each null, or a pointer from `Arc::into_raw` that this table owns one count of.
    slots: ZeroedSlice<AtomicPtr<T>>,
    /// The table owns `Arc<T>`s: it is `Send` and `Sync` as they are.
    owns: PhantomData<Arc<T>>,
}

impl<T> LazySlots<T> {
    /// `len` empty slots.
    pub(crate) fn new(len: usize) -> Self {
        LazySlots {
            // SAFETY: all-zero bytes are a valid `AtomicPtr<T>`: it has the bit validity of
            // `*mut T`, and zero is the null pointer.
            slots: unsafe { ZeroedSlice::new(len) },
            owns: PhantomData,
        }
    }

    /// The value of slot `k`, if set.
    pub(crate) fn get(&self, k: usize) -> Option<&T> {
        let ptr = self.slots[k].load(Ordering::Acquire);
        // SAFETY: a non-null slot holds a pointer from `Arc::into_raw` whose count the table
        // owns until it is dropped, so the value lives at least as long as `&self`.
        unsafe { ptr.as_ref() }
    }

    /// Slot `k`'s value as a new reference, if set.
    pub(crate) fn get_arc(&self, k: usize) -> Option<Arc<T>> {
        let ptr = self.slots[k].load(Ordering::Acquire);
        if ptr.is_null() {
            return None;
        }
        // SAFETY: `ptr` came from `Arc::into_raw` and the table's count keeps it alive, so a
        // count may be added and a new `Arc` made from it.
        unsafe {
            Arc::increment_strong_count(ptr);
            Some(Arc::from_raw(ptr))
        }
    }

    /// Sets slot `k` to `value` unless it is set already; returns the slot's value either way
    /// (so that of two threads setting it at once, both get the first one's).
    pub(crate) fn get_or_set(&self, k: usize, value: Arc<T>) -> Arc<T> {
        let new = Arc::into_raw(value).cast_mut();
        match self.slots[k].compare_exchange(
            std::ptr::null_mut(),
            new,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => self.get_arc(k).expect("just set"),
            Err(_) => {
                // SAFETY: `new` came from `Arc::into_raw` above and was not stored: this takes
                // its count back, to drop it.
                drop(unsafe { Arc::from_raw(new) });
                self.get_arc(k).expect("set by another thread")
            }
        }
    }

    /// The set slots' values with their indices, in increasing order of index.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &T)> + '_ {
        (0..self.slots.len()).filter_map(|k| Some((k, self.get(k)?)))
    }
}

impl<T> Default for LazySlots<T> {
    fn default() -> Self {
        LazySlots::new(0)
    }
}

impl<T> Drop for LazySlots<T> {
    fn drop(&mut self) {
        for slot in self.slots.iter_mut() {
            let ptr = *slot.get_mut();
            if !ptr.is_null() {
                // SAFETY: the table owns one count of every non-null slot's `Arc`; it is
                // given back once, here.
                drop(unsafe { Arc::from_raw(ptr) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_start_empty_keep_their_first_value_and_free_it() {
        let slots = LazySlots::new(5);
        assert!(slots.get(3).is_none());
        let first = Arc::new(7);
        assert_eq!(*slots.get_or_set(3, Arc::clone(&first)), 7);
        assert_eq!(*slots.get_or_set(3, Arc::new(8)), 7);
        assert_eq!(slots.get(3), Some(&7));
        assert_eq!(slots.iter().collect::<Vec<_>>(), vec![(3, &7)]);
        assert_eq!(Arc::strong_count(&first), 2);
        drop(slots);
        assert_eq!(Arc::strong_count(&first), 1);
        assert!(LazySlots::<u8>::new(0).iter().next().is_none());
    }
}
