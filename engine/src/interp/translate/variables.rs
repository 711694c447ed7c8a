//! Locals and globals. `local.get` emits nothing: the operand stays a lazy reference to the
//! local until something consumes it. `local.set` after an operation redirects the operation's
//! result into the local instead of copying it.

use super::operands::Operand;
use super::rewrite::result_slot_mut;
use super::{Result, Translator};
use crate::interp::code::{Instr, Slot};

impl Translator<'_> {
    /// Pops the top operand into the local at `slot`; returns an operand equal to the new value.
    fn write_local(&mut self, slot: Slot) -> Operand {
        let fresh = self.fresh_top();
        let (value, home) = self.operands.pop();
        if value == Operand::Local(slot) {
            return value;
        }
        let readers = self.operands.readers_of(slot);
        if readers.is_empty() {
            if let Some(at) = fresh {
                if let Some(dst) = result_slot_mut(&mut self.code[at]) {
                    *dst = slot;
                    self.fresh = None;
                    self.forwarded = Some((at, slot));
                    return Operand::Local(slot);
                }
            }
        }
        // Operands that still read the old value get it copied to their homes first.
        for depth in readers {
            self.materialize(depth);
        }
        match value {
            Operand::Temp => {
                self.emit(Instr::Copy {
                    dst: slot,
                    src: home,
                });
            }
            Operand::Local(src) => {
                self.emit(Instr::Copy { dst: slot, src });
            }
            Operand::Const(value) => {
                self.emit(Instr::Const { dst: slot, value });
                return Operand::Const(value);
            }
        }
        Operand::Local(slot)
    }

    pub(super) fn visit_local_get(&mut self, local_index: u32) -> Result {
        let slot = self.local_slot(local_index);
        self.operands.push(Operand::Local(slot));
        if self.local_is_v128(local_index) {
            self.operands.push(Operand::Local(slot + 1));
            self.operands.mark_v128_high();
        }
        Ok(())
    }

    pub(super) fn visit_local_set(&mut self, local_index: u32) -> Result {
        let slot = self.local_slot(local_index);
        if self.local_is_v128(local_index) {
            self.write_local(slot + 1);
        }
        self.write_local(slot);
        Ok(())
    }

    pub(super) fn visit_local_tee(&mut self, local_index: u32) -> Result {
        let slot = self.local_slot(local_index);
        if self.local_is_v128(local_index) {
            let high = self.write_local(slot + 1);
            let low = self.write_local(slot);
            self.operands.push(low);
            self.operands.push(high);
            self.operands.mark_v128_high();
            return Ok(());
        }
        let value = self.write_local(slot);
        self.operands.push(value);
        Ok(())
    }

    pub(super) fn visit_global_get(&mut self, global_index: u32) -> Result {
        if self.global_is_v128(global_index) {
            return self.v128_global_get(global_index);
        }
        let dst = self.operands.push_temp();
        self.emit_result(Instr::GlobalGet {
            dst,
            global: global_index,
        });
        Ok(())
    }

    pub(super) fn visit_global_set(&mut self, global_index: u32) -> Result {
        if self.global_is_v128(global_index) {
            return self.v128_global_set(global_index);
        }
        let src = self.pop_slot();
        self.emit(Instr::GlobalSet {
            src,
            global: global_index,
        });
        Ok(())
    }
}
