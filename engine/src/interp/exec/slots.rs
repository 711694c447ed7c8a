//! Access to the slots of the running frame, and the typed view of a slot's bits.

use crate::interp::code::Slot;

/// The running frame's slots: a pointer to its slot 0 in the value stack.
///
/// Invariant, established by whoever creates it (frame entry and resumption): the value stack
/// holds at least `frame_slots` slots from this pointer on, and is not reallocated while the
/// pointer is in use (it only grows on frame entry, which makes a new `Slots`). The translator
/// only emits slot indices below `frame_slots`.
#[derive(Clone, Copy)]
pub(super) struct Slots(*mut u64);

impl Slots {
    pub(super) fn new(ptr: *mut u64) -> Self {
        Slots(ptr)
    }

    #[inline(always)]
    pub(super) fn get(self, slot: Slot) -> u64 {
        // SAFETY: `slot` is within the frame, which lies in the live value stack (see above).
        unsafe { *self.0.add(slot as usize) }
    }

    #[inline(always)]
    pub(super) fn set(self, slot: Slot, value: u64) {
        // SAFETY: as in `get`.
        unsafe { *self.0.add(slot as usize) = value }
    }

    #[inline(always)]
    pub(super) fn read<T: SlotValue>(self, slot: Slot) -> T {
        T::from_slot(self.get(slot))
    }

    #[inline(always)]
    pub(super) fn write<T: SlotValue>(self, slot: Slot, value: T) {
        self.set(slot, value.into_slot())
    }
}

/// A value type as the bits of a slot (see `val.rs`: `i32` zero-extended, floats as bits).
pub(super) trait SlotValue: Copy {
    fn from_slot(bits: u64) -> Self;
    fn into_slot(self) -> u64;
}

impl SlotValue for u32 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        bits as u32
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self as u64
    }
}

impl SlotValue for i32 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        bits as i32
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self as u32 as u64
    }
}

impl SlotValue for u64 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        bits
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self
    }
}

impl SlotValue for i64 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        bits as i64
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self as u64
    }
}

impl SlotValue for f32 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        f32::from_bits(bits as u32)
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self.to_bits() as u64
    }
}

impl SlotValue for f64 {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        f64::from_bits(bits)
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self.to_bits()
    }
}

impl SlotValue for bool {
    #[inline(always)]
    fn from_slot(bits: u64) -> Self {
        bits as u32 != 0
    }
    #[inline(always)]
    fn into_slot(self) -> u64 {
        self as u64
    }
}
