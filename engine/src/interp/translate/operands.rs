//! The translator's model of the Wasm operand stack.
//!
//! Each entry records where its value currently is. Values computed by instructions live in
//! their home slot; `local.get` and constants are kept lazy, so that the instruction consuming
//! them reads the local or takes an immediate, and no copy is ever emitted for them.
//!
//! Entries are slots, not values: a `v128` takes two entries (low half first), as it takes two
//! slots in a frame. Only `drop` and `select` need a value's width, so the stack just records
//! which entries are the high halves of `v128`s.

use crate::interp::code::Slot;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Operand {
    /// In its home slot.
    Temp,
    /// Equal to the current value of the local in this slot.
    Local(Slot),
    /// A constant (raw slot bits).
    Const(u64),
}

pub(super) struct Operands {
    entries: Vec<Operand>,
    /// Home slot of the bottom entry: the first slot after the locals.
    first_home: Slot,
    /// Deepest the stack has been, which sizes the frame.
    max_len: usize,
    /// Number of `Operand::Local` entries, so that writing a local only scans when needed.
    lazy_locals: usize,
    /// Depths of the entries that are the high half of a `v128`, lowest first.
    v128_highs: Vec<usize>,
}

impl Operands {
    pub(super) fn new(first_home: Slot) -> Self {
        Operands {
            entries: Vec::new(),
            first_home,
            max_len: 0,
            lazy_locals: 0,
            v128_highs: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn max_len(&self) -> usize {
        self.max_len
    }

    /// The home slot of the entry at `depth` (0 is the bottom).
    pub(super) fn home(&self, depth: usize) -> Slot {
        self.first_home + depth as Slot
    }

    pub(super) fn get(&self, depth: usize) -> Operand {
        self.entries[depth]
    }

    pub(super) fn top(&self) -> Operand {
        self.entries[self.entries.len() - 1]
    }

    pub(super) fn push(&mut self, op: Operand) {
        if matches!(op, Operand::Local(_)) {
            self.lazy_locals += 1;
        }
        self.entries.push(op);
        self.max_len = self.max_len.max(self.entries.len());
    }

    /// Pushes a value that an instruction is about to write to its home; returns that home.
    pub(super) fn push_temp(&mut self) -> Slot {
        self.push(Operand::Temp);
        self.home(self.entries.len() - 1)
    }

    /// Pops the top entry, returning it with its home slot.
    pub(super) fn pop(&mut self) -> (Operand, Slot) {
        let op = self
            .entries
            .pop()
            .expect("validated code never pops an empty stack");
        if matches!(op, Operand::Local(_)) {
            self.lazy_locals -= 1;
        }
        if self.v128_highs.last() == Some(&self.entries.len()) {
            self.v128_highs.pop();
        }
        (op, self.home(self.entries.len()))
    }

    /// Records that the top entry is the high half of a `v128` (the entry below is the low).
    pub(super) fn mark_v128_high(&mut self) {
        self.v128_highs.push(self.entries.len() - 1);
    }

    /// Whether the entry at `depth` is the high half of a `v128`.
    pub(super) fn is_v128_high(&self, depth: usize) -> bool {
        self.v128_highs.binary_search(&depth).is_ok()
    }

    /// Records that the entry at `depth` now lives in its home.
    pub(super) fn set_temp(&mut self, depth: usize) {
        if matches!(self.entries[depth], Operand::Local(_)) {
            self.lazy_locals -= 1;
        }
        self.entries[depth] = Operand::Temp;
    }

    pub(super) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            self.pop();
        }
    }

    /// Depths of the entries that read local `slot` lazily.
    pub(super) fn readers_of(&self, slot: Slot) -> Vec<usize> {
        if self.lazy_locals == 0 {
            return Vec::new();
        }
        (0..self.entries.len())
            .filter(|&d| self.entries[d] == Operand::Local(slot))
            .collect()
    }

    /// Depths of all entries that read a local lazily.
    pub(super) fn lazy_local_depths(&self) -> Vec<usize> {
        if self.lazy_locals == 0 {
            return Vec::new();
        }
        (0..self.entries.len())
            .filter(|&d| matches!(self.entries[d], Operand::Local(_)))
            .collect()
    }
}
