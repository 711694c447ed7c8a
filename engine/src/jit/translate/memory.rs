//! Linear memory: loads, stores, size, growth and the bulk memory instructions.
//!
//! A 32-bit memory sits at the start of a reservation of 4 GiB plus a 4 GiB guard region (see
//! `memory.rs`), so `base + zero-extended address + offset` always lands inside the
//! reservation and an access beyond the accessible pages faults; the signal handler turns the
//! fault into an out-of-bounds trap. No explicit bounds check is emitted, except for the
//! absurd static offsets within a few bytes of 4 GiB, whose accesses could reach past the guard.

use cranelift_codegen::ir::{self, types, InstBuilder, TrapCode};
use wasmparser::MemArg;

use super::FuncTranslator;
use crate::jit::libcalls::Libcall;
use crate::jit::TRAP_PENDING;

macro_rules! loads {
    ($($visit:ident => $ins:ident $(($ty:ident))? , $size:expr;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) {
                let (addr, offset) = self.heap_addr(&memarg, $size);
                let flags = self.flags.heap;
                let v = self.b.ins().$ins($(types::$ty,)? flags, addr, offset);
                self.push(v);
            }
        )*
    };
}

macro_rules! stores {
    ($($visit:ident => $ins:ident, $size:expr;)*) => {
        $(
            pub(super) fn $visit(&mut self, memarg: MemArg) {
                let v = self.pop();
                let (addr, offset) = self.heap_addr(&memarg, $size);
                let flags = self.flags.heap;
                self.b.ins().$ins(flags, v, addr, offset);
            }
        )*
    };
}

impl FuncTranslator<'_, '_> {
    /// Pops an address and returns the native address and static offset of an access of `size`
    /// bytes.
    pub(super) fn heap_addr(&mut self, memarg: &MemArg, size: u64) -> (ir::Value, i32) {
        let index = self.pop();
        let wasmparser::MemArgTarget::Memory(memory) = memarg.target else {
            self.unsupported("access to a GC array");
            return (index, 0);
        };
        let base = self.load_readonly(types::I64, self.env.layout.memory(memory));
        let index = self.b.ins().uextend(types::I64, index);
        if memarg.offset > u32::MAX as u64 - 16 {
            // The effective address is above 4 GiB - 16; such an access is in bounds only if
            // it ends by 4 GiB, the largest possible memory size.
            let ea = self.b.ins().iadd_imm_u(index, memarg.offset as i64);
            let limit = (1i64 << 32) - size as i64;
            let oob = self
                .b
                .ins()
                .icmp_imm_u(ir::condcodes::IntCC::UnsignedGreaterThan, ea, limit);
            self.b.ins().trapnz(oob, TrapCode::HEAP_OUT_OF_BOUNDS);
        }
        let addr = self.b.ins().iadd(base, index);
        match i32::try_from(memarg.offset) {
            Ok(offset) => (addr, offset),
            Err(_) => (self.b.ins().iadd_imm_u(addr, memarg.offset as i64), 0),
        }
    }

    loads! {
        visit_i32_load => load(I32), 4;
        visit_i64_load => load(I64), 8;
        visit_f32_load => load(F32), 4;
        visit_f64_load => load(F64), 8;
        visit_i32_load8_s => sload8(I32), 1;
        visit_i32_load8_u => uload8(I32), 1;
        visit_i32_load16_s => sload16(I32), 2;
        visit_i32_load16_u => uload16(I32), 2;
        visit_i64_load8_s => sload8(I64), 1;
        visit_i64_load8_u => uload8(I64), 1;
        visit_i64_load16_s => sload16(I64), 2;
        visit_i64_load16_u => uload16(I64), 2;
        visit_i64_load32_s => sload32, 4;
        visit_i64_load32_u => uload32, 4;
    }

    stores! {
        visit_i32_store => store, 4;
        visit_i64_store => store, 8;
        visit_f32_store => store, 4;
        visit_f64_store => store, 8;
        visit_i32_store8 => istore8, 1;
        visit_i32_store16 => istore16, 2;
        visit_i64_store8 => istore8, 1;
        visit_i64_store16 => istore16, 2;
        visit_i64_store32 => istore32, 4;
    }

    pub(super) fn visit_memory_size(&mut self, mem: u32) {
        let mem = self.b.ins().iconst(types::I32, mem as i64);
        let size = self.call_libcall(Libcall::MemorySize, &[mem]);
        self.push(size.expect("memory.size returns the size"));
    }

    pub(super) fn visit_memory_grow(&mut self, mem: u32) {
        let delta = self.pop();
        let mem = self.b.ins().iconst(types::I32, mem as i64);
        let old = self.call_libcall(Libcall::MemoryGrow, &[mem, delta]);
        self.push(old.expect("memory.grow returns the old size"));
    }

    /// Calls a runtime function that returns a trap status, and traps if it failed.
    pub(super) fn call_checked(&mut self, lc: Libcall, args: &[ir::Value]) {
        let status = self
            .call_libcall(lc, args)
            .expect("checked runtime functions return a status");
        self.b.ins().trapnz(status, TRAP_PENDING);
    }

    /// Pops three operands and calls `lc` with the immediates `imms` before them.
    pub(super) fn call_bulk(&mut self, lc: Libcall, imms: &[u32]) {
        let (x, y, z) = self.pop3();
        let mut args: Vec<ir::Value> = imms
            .iter()
            .map(|&i| self.b.ins().iconst(types::I32, i as i64))
            .collect();
        args.extend([x, y, z]);
        self.call_checked(lc, &args);
    }

    pub(super) fn visit_memory_fill(&mut self, mem: u32) {
        self.call_bulk(Libcall::MemoryFill, &[mem]);
    }

    pub(super) fn visit_memory_copy(&mut self, dst_mem: u32, src_mem: u32) {
        self.call_bulk(Libcall::MemoryCopy, &[dst_mem, src_mem]);
    }

    pub(super) fn visit_memory_init(&mut self, data_index: u32, mem: u32) {
        self.call_bulk(Libcall::MemoryInit, &[mem, data_index]);
    }

    pub(super) fn visit_data_drop(&mut self, data_index: u32) {
        let data = self.b.ins().iconst(types::I32, data_index as i64);
        self.call_libcall(Libcall::DataDrop, &[data]);
    }
}
