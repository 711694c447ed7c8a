//! The interpreter's internal code: a register machine over the slots of a call frame.
//!
//! A frame is a window of the value stack laid out as
//! `[ params | locals | operand-stack homes ]`. Every Wasm operand-stack position has a fixed
//! home slot (`locals + depth`), so instructions name their operands and result by slot index
//! instead of pushing and popping: `local.get` and constants usually cost nothing, because the
//! translator lets instructions read locals and immediates directly.
//!
//! Many instructions also have forms that take an operand from the register in which the
//! previous instruction forwards its result (see `translate/forward.rs`).
//!
//! Branch offsets are relative to the instruction after the branch. Every instruction fits in
//! 16 bytes (checked below); stored with its handler's address (`exec::Op`), a function's code
//! is one flat array.

use std::any::Any;
use std::sync::Arc;

use super::exec::{LazyOps, Op, Ops};

/// A frame-relative slot index.
pub(crate) type Slot = u32;

/// A branch displacement in instructions, counted from the instruction after the branch.
pub(crate) type Offset = i32;

/// A function translated for the interpreter.
pub(crate) struct CompiledFunc {
    /// Slots holding the parameters (slots `0..param_slots` of the frame).
    pub param_slots: u32,
    /// Slots of the declared locals, zeroed on entry (right after the parameters).
    pub local_slots: u32,
    /// Total frame size: parameters, locals and the deepest operand stack.
    pub frame_slots: u32,
    /// The instructions, each with its handler.
    pub code: Ops,
}

/// Functions with at least this many bytes of threaded code read from a snapshot are filled on
/// first touch (`exec/lazy_ops.rs`). A page filled that way costs about four times what
/// threading it does (a signal and a protection change) unless a record of earlier runs had it
/// filled at once, and the function a memory file of its own: that pays where most pages stay
/// untouched, as in the few steps a restored frame of a large function takes. For CPython:
/// the eval loop (511 KB, 14 pages touched) and the outermost frame's function (54 KB, which
/// a run that exits from inside never returns to).
const LAZY_BYTES: usize = 32 << 10;

impl CompiledFunc {
    /// A function of the given frame layout running `instrs`.
    pub(crate) fn new(
        param_slots: u32,
        local_slots: u32,
        frame_slots: u32,
        instrs: &[Instr],
    ) -> Self {
        CompiledFunc {
            param_slots,
            local_slots,
            frame_slots,
            code: Ops::thread(instrs),
        }
    }

    /// Like `new`, for instructions that stay where they are for as long as `owner` lives (a
    /// snapshot's mapping): a large function's code is then threaded page by page as the
    /// executor first reaches each page, instead of all at once, but for the pages at indices
    /// `hot_pages` (which earlier runs touched), threaded now.
    ///
    /// # Safety
    ///
    /// `instrs` must stay unchanged for as long as `owner` lives.
    pub(crate) unsafe fn in_place(
        param_slots: u32,
        local_slots: u32,
        frame_slots: u32,
        instrs: &[Instr],
        owner: Arc<dyn Any + Send + Sync>,
        hot_pages: &[u32],
    ) -> Self {
        let lazy = instrs.len() * size_of::<Op>() >= LAZY_BYTES;
        // SAFETY: the caller's contract.
        let code = lazy
            .then(|| unsafe { LazyOps::new(instrs.as_ptr(), instrs.len(), owner) })
            .flatten()
            .map_or_else(
                || Ops::thread(instrs),
                |mut ops| {
                    ops.prefill(hot_pages);
                    Ops::Lazy(ops)
                },
            );
        CompiledFunc {
            param_slots,
            local_slots,
            frame_slots,
            code,
        }
    }

    /// The instructions without their handlers (which are addresses in this process), e.g. to
    /// store them.
    pub(crate) fn instrs(&self) -> Vec<Instr> {
        self.code.instrs()
    }

    /// The indices of the pages of threaded code filled so far, if the code is filled page by
    /// page.
    pub(crate) fn filled_pages(&self) -> Option<Vec<u32>> {
        match &self.code {
            Ops::Lazy(ops) => Some(ops.filled_pages()),
            Ops::Threaded(_) => None,
        }
    }
}

/// One interpreter instruction. Names follow Wasm where the meaning is the same; `Imm` variants
/// take their right operand as an immediate (sign-extended for `i64`); `BrIf*` variants are a
/// comparison fused with a conditional branch.
///
/// Values of type `f32`/`f64` are handled as their bit patterns wherever the operation does not
/// care (loads, stores, copies, reinterpretations), which is what keeps NaN payloads intact.
///
/// `repr(u16)` gives the discriminant a defined place and size: the executor reads it as the
/// opcode that selects the handler.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u16)]
pub(crate) enum Instr {
    // Control.
    Unreachable,
    /// At function entries and loop headers, when the engine asks for it: traps once the
    /// engine's epoch reaches the store's deadline, and lets compiled code that arrived in the
    /// meantime take over new calls (see `exec/epoch.rs`).
    EpochCheck,
    Br {
        offset: Offset,
    },
    BrIfNez {
        cond: Slot,
        offset: Offset,
    },
    BrIfEqz {
        cond: Slot,
        offset: Offset,
    },
    /// Continues like the `min(index, len)`-th of the `len + 1` instructions that follow: `Br`s,
    /// or the returns that jump threading replaced some of them with.
    BrTable {
        index: Slot,
        len: u32,
    },
    Return,
    /// Returns the single value in `src`.
    Return1 {
        src: Slot,
    },
    /// Returns the `len` values in `src..src + len`.
    ReturnSpan {
        src: Slot,
        len: u32,
    },
    /// Calls function `func` (module index); arguments are in `base..`, results land there.
    Call {
        func: u32,
        base: Slot,
    },
    /// Calls the function at element `index` of table `table`, which must have the signature
    /// `type_id` (engine-interned); arguments and results as for `Call`.
    CallIndirect {
        table: u16,
        base: Slot,
        index: Slot,
        type_id: u32,
    },

    // Comparisons fused with a conditional branch.
    BrIfI32Eq {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32Ne {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32LtS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32LtU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32GtS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32GtU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32LeS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32LeU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32GeS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32GeU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI32EqImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32NeImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32LtSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32LtUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32GtSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32GtUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32LeSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32LeUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32GeSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI32GeUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64Eq {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64Ne {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64LtS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64LtU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64GtS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64GtU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64LeS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64LeU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64GeS {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64GeU {
        a: Slot,
        b: Slot,
        offset: Offset,
    },
    BrIfI64EqImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64NeImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64LtSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64LtUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64GtSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64GtUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64LeSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64LeUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64GeSImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },
    BrIfI64GeUImm {
        a: Slot,
        imm: i32,
        offset: Offset,
    },

    // Moves.
    Copy {
        dst: Slot,
        src: Slot,
    },
    /// Copies `len` slots from `src..` to `dst..`, lowest first (`dst <= src` when they overlap).
    CopySpan {
        dst: Slot,
        src: Slot,
        len: u32,
    },
    Const {
        dst: Slot,
        value: u64,
    },
    /// `dst` (holding the first operand of `select`) becomes `other` if `cond` is zero.
    Select {
        dst: Slot,
        cond: Slot,
        other: Slot,
    },

    // Globals (module indices).
    GlobalGet {
        dst: Slot,
        global: u32,
    },
    GlobalSet {
        src: Slot,
        global: u32,
    },

    // Memory 0. The effective address is `addr + offset`, both unsigned 32-bit.
    I32Load {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load8S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load8U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load16S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load16U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load8S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load8U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load16S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load16U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load32S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load32U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    /// Stores the low byte of `src`.
    Store8 {
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    Store16 {
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    Store32 {
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    Store64 {
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    /// Stores the low byte of `value`.
    Store8Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    Store16Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    Store32Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    /// Stores `value` sign-extended to 64 bits.
    Store64Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    MemorySize {
        dst: Slot,
    },
    MemoryGrow {
        dst: Slot,
        delta: Slot,
    },
    /// Operands `dst, value, len` in `base..base + 3`.
    MemoryFill {
        base: Slot,
    },
    /// Operands `dst, src, len` in `base..base + 3`.
    MemoryCopy {
        base: Slot,
    },
    /// Operands `dst, src, len` in `base..base + 3`.
    MemoryInit {
        base: Slot,
        data: u32,
    },
    DataDrop {
        data: u32,
    },

    // Tables (module indices) and references.
    TableGet {
        dst: Slot,
        index: Slot,
        table: u32,
    },
    TableSet {
        index: Slot,
        value: Slot,
        table: u32,
    },
    TableSize {
        dst: Slot,
        table: u32,
    },
    /// Operands `init, delta` in `base..base + 2`; the result goes to `base`.
    TableGrow {
        base: Slot,
        table: u32,
    },
    /// Operands `index, value, len` in `base..base + 3`.
    TableFill {
        base: Slot,
        table: u32,
    },
    /// Operands `dst, src, len` in `base..base + 3`.
    TableCopy {
        base: Slot,
        dst_table: u32,
        src_table: u32,
    },
    /// Operands `dst, src, len` in `base..base + 3`.
    TableInit {
        base: Slot,
        table: u32,
        elem: u32,
    },
    ElemDrop {
        elem: u32,
    },
    RefFunc {
        dst: Slot,
        func: u32,
    },
    RefIsNull {
        dst: Slot,
        src: Slot,
    },

    // i32 arithmetic and comparisons.
    I32Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32And {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Or {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Xor {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotr {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32AddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32SubImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32MulImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32DivSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32DivUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32RemSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32RemUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32AndImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32OrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32XorImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32RotlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32RotrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32EqImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32NeImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32Clz {
        dst: Slot,
        src: Slot,
    },
    I32Ctz {
        dst: Slot,
        src: Slot,
    },
    I32Popcnt {
        dst: Slot,
        src: Slot,
    },
    I32Extend8S {
        dst: Slot,
        src: Slot,
    },
    I32Extend16S {
        dst: Slot,
        src: Slot,
    },

    // i64 arithmetic and comparisons.
    I64Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64And {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Or {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Xor {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotr {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64AddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64SubImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64MulImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64DivSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64DivUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64RemSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64RemUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64AndImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64OrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64XorImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64RotlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64RotrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64EqImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64NeImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64Clz {
        dst: Slot,
        src: Slot,
    },
    I64Ctz {
        dst: Slot,
        src: Slot,
    },
    I64Popcnt {
        dst: Slot,
        src: Slot,
    },
    I64Extend8S {
        dst: Slot,
        src: Slot,
    },
    I64Extend16S {
        dst: Slot,
        src: Slot,
    },
    I64Extend32S {
        dst: Slot,
        src: Slot,
    },

    // f32 and f64 arithmetic and comparisons.
    F32Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Copysign {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Abs {
        dst: Slot,
        src: Slot,
    },
    F32Neg {
        dst: Slot,
        src: Slot,
    },
    F32Ceil {
        dst: Slot,
        src: Slot,
    },
    F32Floor {
        dst: Slot,
        src: Slot,
    },
    F32Trunc {
        dst: Slot,
        src: Slot,
    },
    F32Nearest {
        dst: Slot,
        src: Slot,
    },
    F32Sqrt {
        dst: Slot,
        src: Slot,
    },
    F64Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Copysign {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Abs {
        dst: Slot,
        src: Slot,
    },
    F64Neg {
        dst: Slot,
        src: Slot,
    },
    F64Ceil {
        dst: Slot,
        src: Slot,
    },
    F64Floor {
        dst: Slot,
        src: Slot,
    },
    F64Trunc {
        dst: Slot,
        src: Slot,
    },
    F64Nearest {
        dst: Slot,
        src: Slot,
    },
    F64Sqrt {
        dst: Slot,
        src: Slot,
    },

    // Conversions. Reinterpretations and `i64.extend_i32_u` need no instruction: slots hold
    // bit patterns and `i32` values are kept zero-extended (see `val.rs`).
    I32WrapI64 {
        dst: Slot,
        src: Slot,
    },
    I64ExtendI32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncF32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncF32U {
        dst: Slot,
        src: Slot,
    },
    I32TruncF64S {
        dst: Slot,
        src: Slot,
    },
    I32TruncF64U {
        dst: Slot,
        src: Slot,
    },
    I64TruncF32S {
        dst: Slot,
        src: Slot,
    },
    I64TruncF32U {
        dst: Slot,
        src: Slot,
    },
    I64TruncF64S {
        dst: Slot,
        src: Slot,
    },
    I64TruncF64U {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF32U {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF64S {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF64U {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF32S {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF32U {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF64S {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF64U {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI32S {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI32U {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI64S {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI64U {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI32S {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI32U {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI64S {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI64U {
        dst: Slot,
        src: Slot,
    },
    F32DemoteF64 {
        dst: Slot,
        src: Slot,
    },
    F64PromoteF32 {
        dst: Slot,
        src: Slot,
    },

    // Forms that take one operand from the register holding the previous instruction's
    // result (see `exec/mod.rs`): `A` the first operand, `B` the second; `AImm` pairs the
    // register with an immediate.
    I32AddA {
        dst: Slot,
        b: Slot,
    },
    I32SubA {
        dst: Slot,
        b: Slot,
    },
    I32MulA {
        dst: Slot,
        b: Slot,
    },
    I32DivSA {
        dst: Slot,
        b: Slot,
    },
    I32DivUA {
        dst: Slot,
        b: Slot,
    },
    I32RemSA {
        dst: Slot,
        b: Slot,
    },
    I32RemUA {
        dst: Slot,
        b: Slot,
    },
    I32AndA {
        dst: Slot,
        b: Slot,
    },
    I32OrA {
        dst: Slot,
        b: Slot,
    },
    I32XorA {
        dst: Slot,
        b: Slot,
    },
    I32ShlA {
        dst: Slot,
        b: Slot,
    },
    I32ShrSA {
        dst: Slot,
        b: Slot,
    },
    I32ShrUA {
        dst: Slot,
        b: Slot,
    },
    I32RotlA {
        dst: Slot,
        b: Slot,
    },
    I32RotrA {
        dst: Slot,
        b: Slot,
    },
    I32EqA {
        dst: Slot,
        b: Slot,
    },
    I32NeA {
        dst: Slot,
        b: Slot,
    },
    I32LtSA {
        dst: Slot,
        b: Slot,
    },
    I32LtUA {
        dst: Slot,
        b: Slot,
    },
    I32GtSA {
        dst: Slot,
        b: Slot,
    },
    I32GtUA {
        dst: Slot,
        b: Slot,
    },
    I32LeSA {
        dst: Slot,
        b: Slot,
    },
    I32LeUA {
        dst: Slot,
        b: Slot,
    },
    I32GeSA {
        dst: Slot,
        b: Slot,
    },
    I32GeUA {
        dst: Slot,
        b: Slot,
    },
    I32AddAImm {
        dst: Slot,
        imm: i32,
    },
    I32SubAImm {
        dst: Slot,
        imm: i32,
    },
    I32MulAImm {
        dst: Slot,
        imm: i32,
    },
    I32DivSAImm {
        dst: Slot,
        imm: i32,
    },
    I32DivUAImm {
        dst: Slot,
        imm: i32,
    },
    I32RemSAImm {
        dst: Slot,
        imm: i32,
    },
    I32RemUAImm {
        dst: Slot,
        imm: i32,
    },
    I32AndAImm {
        dst: Slot,
        imm: i32,
    },
    I32OrAImm {
        dst: Slot,
        imm: i32,
    },
    I32XorAImm {
        dst: Slot,
        imm: i32,
    },
    I32ShlAImm {
        dst: Slot,
        imm: i32,
    },
    I32ShrSAImm {
        dst: Slot,
        imm: i32,
    },
    I32ShrUAImm {
        dst: Slot,
        imm: i32,
    },
    I32RotlAImm {
        dst: Slot,
        imm: i32,
    },
    I32RotrAImm {
        dst: Slot,
        imm: i32,
    },
    I32EqAImm {
        dst: Slot,
        imm: i32,
    },
    I32NeAImm {
        dst: Slot,
        imm: i32,
    },
    I32LtSAImm {
        dst: Slot,
        imm: i32,
    },
    I32LtUAImm {
        dst: Slot,
        imm: i32,
    },
    I32GtSAImm {
        dst: Slot,
        imm: i32,
    },
    I32GtUAImm {
        dst: Slot,
        imm: i32,
    },
    I32LeSAImm {
        dst: Slot,
        imm: i32,
    },
    I32LeUAImm {
        dst: Slot,
        imm: i32,
    },
    I32GeSAImm {
        dst: Slot,
        imm: i32,
    },
    I32GeUAImm {
        dst: Slot,
        imm: i32,
    },
    I32SubB {
        dst: Slot,
        a: Slot,
    },
    I32DivSB {
        dst: Slot,
        a: Slot,
    },
    I32DivUB {
        dst: Slot,
        a: Slot,
    },
    I32RemSB {
        dst: Slot,
        a: Slot,
    },
    I32RemUB {
        dst: Slot,
        a: Slot,
    },
    I32ShlB {
        dst: Slot,
        a: Slot,
    },
    I32ShrSB {
        dst: Slot,
        a: Slot,
    },
    I32ShrUB {
        dst: Slot,
        a: Slot,
    },
    I32RotlB {
        dst: Slot,
        a: Slot,
    },
    I32RotrB {
        dst: Slot,
        a: Slot,
    },
    I32ClzA {
        dst: Slot,
    },
    I32CtzA {
        dst: Slot,
    },
    I32PopcntA {
        dst: Slot,
    },
    I32Extend8SA {
        dst: Slot,
    },
    I32Extend16SA {
        dst: Slot,
    },
    I64AddA {
        dst: Slot,
        b: Slot,
    },
    I64SubA {
        dst: Slot,
        b: Slot,
    },
    I64MulA {
        dst: Slot,
        b: Slot,
    },
    I64DivSA {
        dst: Slot,
        b: Slot,
    },
    I64DivUA {
        dst: Slot,
        b: Slot,
    },
    I64RemSA {
        dst: Slot,
        b: Slot,
    },
    I64RemUA {
        dst: Slot,
        b: Slot,
    },
    I64AndA {
        dst: Slot,
        b: Slot,
    },
    I64OrA {
        dst: Slot,
        b: Slot,
    },
    I64XorA {
        dst: Slot,
        b: Slot,
    },
    I64ShlA {
        dst: Slot,
        b: Slot,
    },
    I64ShrSA {
        dst: Slot,
        b: Slot,
    },
    I64ShrUA {
        dst: Slot,
        b: Slot,
    },
    I64RotlA {
        dst: Slot,
        b: Slot,
    },
    I64RotrA {
        dst: Slot,
        b: Slot,
    },
    I64EqA {
        dst: Slot,
        b: Slot,
    },
    I64NeA {
        dst: Slot,
        b: Slot,
    },
    I64LtSA {
        dst: Slot,
        b: Slot,
    },
    I64LtUA {
        dst: Slot,
        b: Slot,
    },
    I64GtSA {
        dst: Slot,
        b: Slot,
    },
    I64GtUA {
        dst: Slot,
        b: Slot,
    },
    I64LeSA {
        dst: Slot,
        b: Slot,
    },
    I64LeUA {
        dst: Slot,
        b: Slot,
    },
    I64GeSA {
        dst: Slot,
        b: Slot,
    },
    I64GeUA {
        dst: Slot,
        b: Slot,
    },
    I64AddAImm {
        dst: Slot,
        imm: i32,
    },
    I64SubAImm {
        dst: Slot,
        imm: i32,
    },
    I64MulAImm {
        dst: Slot,
        imm: i32,
    },
    I64DivSAImm {
        dst: Slot,
        imm: i32,
    },
    I64DivUAImm {
        dst: Slot,
        imm: i32,
    },
    I64RemSAImm {
        dst: Slot,
        imm: i32,
    },
    I64RemUAImm {
        dst: Slot,
        imm: i32,
    },
    I64AndAImm {
        dst: Slot,
        imm: i32,
    },
    I64OrAImm {
        dst: Slot,
        imm: i32,
    },
    I64XorAImm {
        dst: Slot,
        imm: i32,
    },
    I64ShlAImm {
        dst: Slot,
        imm: i32,
    },
    I64ShrSAImm {
        dst: Slot,
        imm: i32,
    },
    I64ShrUAImm {
        dst: Slot,
        imm: i32,
    },
    I64RotlAImm {
        dst: Slot,
        imm: i32,
    },
    I64RotrAImm {
        dst: Slot,
        imm: i32,
    },
    I64EqAImm {
        dst: Slot,
        imm: i32,
    },
    I64NeAImm {
        dst: Slot,
        imm: i32,
    },
    I64LtSAImm {
        dst: Slot,
        imm: i32,
    },
    I64LtUAImm {
        dst: Slot,
        imm: i32,
    },
    I64GtSAImm {
        dst: Slot,
        imm: i32,
    },
    I64GtUAImm {
        dst: Slot,
        imm: i32,
    },
    I64LeSAImm {
        dst: Slot,
        imm: i32,
    },
    I64LeUAImm {
        dst: Slot,
        imm: i32,
    },
    I64GeSAImm {
        dst: Slot,
        imm: i32,
    },
    I64GeUAImm {
        dst: Slot,
        imm: i32,
    },
    I64SubB {
        dst: Slot,
        a: Slot,
    },
    I64DivSB {
        dst: Slot,
        a: Slot,
    },
    I64DivUB {
        dst: Slot,
        a: Slot,
    },
    I64RemSB {
        dst: Slot,
        a: Slot,
    },
    I64RemUB {
        dst: Slot,
        a: Slot,
    },
    I64ShlB {
        dst: Slot,
        a: Slot,
    },
    I64ShrSB {
        dst: Slot,
        a: Slot,
    },
    I64ShrUB {
        dst: Slot,
        a: Slot,
    },
    I64RotlB {
        dst: Slot,
        a: Slot,
    },
    I64RotrB {
        dst: Slot,
        a: Slot,
    },
    I64ClzA {
        dst: Slot,
    },
    I64CtzA {
        dst: Slot,
    },
    I64PopcntA {
        dst: Slot,
    },
    I64Extend8SA {
        dst: Slot,
    },
    I64Extend16SA {
        dst: Slot,
    },
    I64Extend32SA {
        dst: Slot,
    },
    F32AddA {
        dst: Slot,
        b: Slot,
    },
    F32SubA {
        dst: Slot,
        b: Slot,
    },
    F32MulA {
        dst: Slot,
        b: Slot,
    },
    F32DivA {
        dst: Slot,
        b: Slot,
    },
    F32MinA {
        dst: Slot,
        b: Slot,
    },
    F32MaxA {
        dst: Slot,
        b: Slot,
    },
    F32CopysignA {
        dst: Slot,
        b: Slot,
    },
    F32EqA {
        dst: Slot,
        b: Slot,
    },
    F32NeA {
        dst: Slot,
        b: Slot,
    },
    F32LtA {
        dst: Slot,
        b: Slot,
    },
    F32GtA {
        dst: Slot,
        b: Slot,
    },
    F32LeA {
        dst: Slot,
        b: Slot,
    },
    F32GeA {
        dst: Slot,
        b: Slot,
    },
    F32SubB {
        dst: Slot,
        a: Slot,
    },
    F32DivB {
        dst: Slot,
        a: Slot,
    },
    F32CopysignB {
        dst: Slot,
        a: Slot,
    },
    F32AbsA {
        dst: Slot,
    },
    F32NegA {
        dst: Slot,
    },
    F32CeilA {
        dst: Slot,
    },
    F32FloorA {
        dst: Slot,
    },
    F32TruncA {
        dst: Slot,
    },
    F32NearestA {
        dst: Slot,
    },
    F32SqrtA {
        dst: Slot,
    },
    F64AddA {
        dst: Slot,
        b: Slot,
    },
    F64SubA {
        dst: Slot,
        b: Slot,
    },
    F64MulA {
        dst: Slot,
        b: Slot,
    },
    F64DivA {
        dst: Slot,
        b: Slot,
    },
    F64MinA {
        dst: Slot,
        b: Slot,
    },
    F64MaxA {
        dst: Slot,
        b: Slot,
    },
    F64CopysignA {
        dst: Slot,
        b: Slot,
    },
    F64EqA {
        dst: Slot,
        b: Slot,
    },
    F64NeA {
        dst: Slot,
        b: Slot,
    },
    F64LtA {
        dst: Slot,
        b: Slot,
    },
    F64GtA {
        dst: Slot,
        b: Slot,
    },
    F64LeA {
        dst: Slot,
        b: Slot,
    },
    F64GeA {
        dst: Slot,
        b: Slot,
    },
    F64SubB {
        dst: Slot,
        a: Slot,
    },
    F64DivB {
        dst: Slot,
        a: Slot,
    },
    F64CopysignB {
        dst: Slot,
        a: Slot,
    },
    F64AbsA {
        dst: Slot,
    },
    F64NegA {
        dst: Slot,
    },
    F64CeilA {
        dst: Slot,
    },
    F64FloorA {
        dst: Slot,
    },
    F64TruncA {
        dst: Slot,
    },
    F64NearestA {
        dst: Slot,
    },
    F64SqrtA {
        dst: Slot,
    },
    I32WrapI64A {
        dst: Slot,
    },
    I64ExtendI32SA {
        dst: Slot,
    },
    I32TruncF32SA {
        dst: Slot,
    },
    I32TruncF32UA {
        dst: Slot,
    },
    I32TruncF64SA {
        dst: Slot,
    },
    I32TruncF64UA {
        dst: Slot,
    },
    I64TruncF32SA {
        dst: Slot,
    },
    I64TruncF32UA {
        dst: Slot,
    },
    I64TruncF64SA {
        dst: Slot,
    },
    I64TruncF64UA {
        dst: Slot,
    },
    I32TruncSatF32SA {
        dst: Slot,
    },
    I32TruncSatF32UA {
        dst: Slot,
    },
    I32TruncSatF64SA {
        dst: Slot,
    },
    I32TruncSatF64UA {
        dst: Slot,
    },
    I64TruncSatF32SA {
        dst: Slot,
    },
    I64TruncSatF32UA {
        dst: Slot,
    },
    I64TruncSatF64SA {
        dst: Slot,
    },
    I64TruncSatF64UA {
        dst: Slot,
    },
    F32ConvertI32SA {
        dst: Slot,
    },
    F32ConvertI32UA {
        dst: Slot,
    },
    F32ConvertI64SA {
        dst: Slot,
    },
    F32ConvertI64UA {
        dst: Slot,
    },
    F64ConvertI32SA {
        dst: Slot,
    },
    F64ConvertI32UA {
        dst: Slot,
    },
    F64ConvertI64SA {
        dst: Slot,
    },
    F64ConvertI64UA {
        dst: Slot,
    },
    F32DemoteF64A {
        dst: Slot,
    },
    F64PromoteF32A {
        dst: Slot,
    },
    I32LoadA {
        dst: Slot,
        offset: u32,
    },
    I64LoadA {
        dst: Slot,
        offset: u32,
    },
    I32Load8SA {
        dst: Slot,
        offset: u32,
    },
    I32Load8UA {
        dst: Slot,
        offset: u32,
    },
    I32Load16SA {
        dst: Slot,
        offset: u32,
    },
    I32Load16UA {
        dst: Slot,
        offset: u32,
    },
    I64Load8SA {
        dst: Slot,
        offset: u32,
    },
    I64Load8UA {
        dst: Slot,
        offset: u32,
    },
    I64Load16SA {
        dst: Slot,
        offset: u32,
    },
    I64Load16UA {
        dst: Slot,
        offset: u32,
    },
    I64Load32SA {
        dst: Slot,
        offset: u32,
    },
    I64Load32UA {
        dst: Slot,
        offset: u32,
    },
    /// Stores the register.
    Store8A {
        addr: Slot,
        offset: u32,
    },
    /// Stores `src` at the address in the register.
    Store8AddrA {
        src: Slot,
        offset: u32,
    },
    /// Stores the register.
    Store16A {
        addr: Slot,
        offset: u32,
    },
    /// Stores `src` at the address in the register.
    Store16AddrA {
        src: Slot,
        offset: u32,
    },
    /// Stores the register.
    Store32A {
        addr: Slot,
        offset: u32,
    },
    /// Stores `src` at the address in the register.
    Store32AddrA {
        src: Slot,
        offset: u32,
    },
    /// Stores the register.
    Store64A {
        addr: Slot,
        offset: u32,
    },
    /// Stores `src` at the address in the register.
    Store64AddrA {
        src: Slot,
        offset: u32,
    },
    BrIfNezA {
        offset: Offset,
    },
    BrIfEqzA {
        offset: Offset,
    },
    BrIfI32EqA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32NeA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32LtSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32LtUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32GtSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32GtUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32LeSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32LeUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32GeSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32GeUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI32EqAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32NeAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32LtSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32LtUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32GtSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32GtUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32LeSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32LeUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32GeSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI32GeUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64EqA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64NeA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64LtSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64LtUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64GtSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64GtUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64LeSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64LeUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64GeSA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64GeUA {
        b: Slot,
        offset: Offset,
    },
    BrIfI64EqAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64NeAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64LtSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64LtUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64GtSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64GtUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64LeSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64LeUAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64GeSAImm {
        imm: i32,
        offset: Offset,
    },
    BrIfI64GeUAImm {
        imm: i32,
        offset: Offset,
    },
    CopyA {
        dst: Slot,
    },
    GlobalSetA {
        global: u32,
    },
    Return1A,

    // SIMD (fixed-width, 128-bit). A `v128` operand or result names the first of its two
    // slots (low half first); a lane's index is its immediate `lane`. `v128.const` needs no
    // instruction: the translator keeps it as two 64-bit constants, one per slot, which become
    // two ordinary `Const` instructions when materialized. Names follow Wasm.
    // SIMD lanes, bitwise operations and v128 globals.
    /// `v128` globals: the whole 128-bit cell, in two slots.
    V128GlobalGet {
        dst: Slot,
        global: u32,
    },
    V128GlobalSet {
        src: Slot,
        global: u32,
    },
    /// Splats also serve `f32x4`/`f64x2` (slots hold float bits), as do lane extracts and
    /// replacements.
    I8x16Splat {
        dst: Slot,
        src: Slot,
    },
    I16x8Splat {
        dst: Slot,
        src: Slot,
    },
    I32x4Splat {
        dst: Slot,
        src: Slot,
    },
    I64x2Splat {
        dst: Slot,
        src: Slot,
    },
    I8x16ExtractLaneS {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I8x16ExtractLaneU {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I16x8ExtractLaneS {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I16x8ExtractLaneU {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I32x4ExtractLane {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I64x2ExtractLane {
        lane: u8,
        dst: Slot,
        src: Slot,
    },
    I8x16ReplaceLane {
        lane: u8,
        dst: Slot,
        src: Slot,
        value: Slot,
    },
    I16x8ReplaceLane {
        lane: u8,
        dst: Slot,
        src: Slot,
        value: Slot,
    },
    I32x4ReplaceLane {
        lane: u8,
        dst: Slot,
        src: Slot,
        value: Slot,
    },
    I64x2ReplaceLane {
        lane: u8,
        dst: Slot,
        src: Slot,
        value: Slot,
    },
    /// Operands `a, b` in `base..base + 4`; the result goes to `base`. Byte `i` of the result is
    /// byte `bytes >> 4 * i & 15` of `b` if bit `i` of `from_b` is set, else of `a`: the 16
    /// lane indices of the immediate, each below 32, split so that the whole shuffle fits in
    /// one instruction.
    I8x16Shuffle {
        from_b: u16,
        base: Slot,
        bytes: u64,
    },
    I8x16Swizzle {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    V128Not {
        dst: Slot,
        src: Slot,
    },
    V128And {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    V128AndNot {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    V128Or {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    V128Xor {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    /// `dst` (holding the first operand) takes the bits of `other` where `mask` is clear.
    V128Bitselect {
        dst: Slot,
        other: Slot,
        mask: Slot,
    },
    V128AnyTrue {
        dst: Slot,
        src: Slot,
    },
    // SIMD memory.
    V128Load {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load8x8S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load8x8U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load16x4S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load16x4U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load32x2S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load32x2U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load8Splat {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load16Splat {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load32Splat {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load64Splat {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load32Zero {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Load64Zero {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    V128Store {
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    /// The address in `base` and the vector in `base + 1..base + 3`; the result goes to `base`.
    V128Load8Lane {
        lane: u8,
        base: Slot,
        offset: u32,
    },
    V128Load16Lane {
        lane: u8,
        base: Slot,
        offset: u32,
    },
    V128Load32Lane {
        lane: u8,
        base: Slot,
        offset: u32,
    },
    V128Load64Lane {
        lane: u8,
        base: Slot,
        offset: u32,
    },
    V128Store8Lane {
        lane: u8,
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    V128Store16Lane {
        lane: u8,
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    V128Store32Lane {
        lane: u8,
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    V128Store64Lane {
        lane: u8,
        addr: Slot,
        src: Slot,
        offset: u32,
    },
    // SIMD integer lanes.
    I8x16Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16Abs {
        dst: Slot,
        src: Slot,
    },
    I8x16Neg {
        dst: Slot,
        src: Slot,
    },
    I8x16Popcnt {
        dst: Slot,
        src: Slot,
    },
    I8x16AllTrue {
        dst: Slot,
        src: Slot,
    },
    I8x16Bitmask {
        dst: Slot,
        src: Slot,
    },
    I8x16Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16AddSatS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16AddSatU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16SubSatS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16SubSatU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16MinS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16MinU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16MaxS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16MaxU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16AvgrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtAddPairwiseI8x16S {
        dst: Slot,
        src: Slot,
    },
    I16x8ExtAddPairwiseI8x16U {
        dst: Slot,
        src: Slot,
    },
    I16x8Abs {
        dst: Slot,
        src: Slot,
    },
    I16x8Neg {
        dst: Slot,
        src: Slot,
    },
    I16x8AllTrue {
        dst: Slot,
        src: Slot,
    },
    I16x8Bitmask {
        dst: Slot,
        src: Slot,
    },
    I16x8Q15MulrSatS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8AddSatS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8AddSatU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8SubSatS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8SubSatU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8MinS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8MinU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8MaxS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8MaxU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8AvgrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtMulLowI8x16S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtMulHighI8x16S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtMulLowI8x16U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtMulHighI8x16U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ExtAddPairwiseI16x8S {
        dst: Slot,
        src: Slot,
    },
    I32x4ExtAddPairwiseI16x8U {
        dst: Slot,
        src: Slot,
    },
    I32x4Abs {
        dst: Slot,
        src: Slot,
    },
    I32x4Neg {
        dst: Slot,
        src: Slot,
    },
    I32x4AllTrue {
        dst: Slot,
        src: Slot,
    },
    I32x4Bitmask {
        dst: Slot,
        src: Slot,
    },
    I32x4Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4MinS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4MinU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4MaxS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4MaxU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4DotI16x8S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ExtMulLowI16x8S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ExtMulHighI16x8S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ExtMulLowI16x8U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32x4ExtMulHighI16x8U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Abs {
        dst: Slot,
        src: Slot,
    },
    I64x2Neg {
        dst: Slot,
        src: Slot,
    },
    I64x2AllTrue {
        dst: Slot,
        src: Slot,
    },
    I64x2Bitmask {
        dst: Slot,
        src: Slot,
    },
    I64x2Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ExtMulLowI32x4S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ExtMulHighI32x4S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ExtMulLowI32x4U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64x2ExtMulHighI32x4U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    // SIMD float lanes.
    F32x4Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Ceil {
        dst: Slot,
        src: Slot,
    },
    F32x4Floor {
        dst: Slot,
        src: Slot,
    },
    F32x4Trunc {
        dst: Slot,
        src: Slot,
    },
    F32x4Nearest {
        dst: Slot,
        src: Slot,
    },
    F32x4Abs {
        dst: Slot,
        src: Slot,
    },
    F32x4Neg {
        dst: Slot,
        src: Slot,
    },
    F32x4Sqrt {
        dst: Slot,
        src: Slot,
    },
    F32x4Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4PMin {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32x4PMax {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Ceil {
        dst: Slot,
        src: Slot,
    },
    F64x2Floor {
        dst: Slot,
        src: Slot,
    },
    F64x2Trunc {
        dst: Slot,
        src: Slot,
    },
    F64x2Nearest {
        dst: Slot,
        src: Slot,
    },
    F64x2Abs {
        dst: Slot,
        src: Slot,
    },
    F64x2Neg {
        dst: Slot,
        src: Slot,
    },
    F64x2Sqrt {
        dst: Slot,
        src: Slot,
    },
    F64x2Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2PMin {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64x2PMax {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    // SIMD conversions between lane types.
    I8x16NarrowI16x8S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I8x16NarrowI16x8U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8NarrowI32x4S {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8NarrowI32x4U {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I16x8ExtendLowI8x16S {
        dst: Slot,
        src: Slot,
    },
    I16x8ExtendLowI8x16U {
        dst: Slot,
        src: Slot,
    },
    I16x8ExtendHighI8x16S {
        dst: Slot,
        src: Slot,
    },
    I16x8ExtendHighI8x16U {
        dst: Slot,
        src: Slot,
    },
    I32x4ExtendLowI16x8S {
        dst: Slot,
        src: Slot,
    },
    I32x4ExtendLowI16x8U {
        dst: Slot,
        src: Slot,
    },
    I32x4ExtendHighI16x8S {
        dst: Slot,
        src: Slot,
    },
    I32x4ExtendHighI16x8U {
        dst: Slot,
        src: Slot,
    },
    I64x2ExtendLowI32x4S {
        dst: Slot,
        src: Slot,
    },
    I64x2ExtendLowI32x4U {
        dst: Slot,
        src: Slot,
    },
    I64x2ExtendHighI32x4S {
        dst: Slot,
        src: Slot,
    },
    I64x2ExtendHighI32x4U {
        dst: Slot,
        src: Slot,
    },
    I32x4TruncSatF32x4S {
        dst: Slot,
        src: Slot,
    },
    I32x4TruncSatF32x4U {
        dst: Slot,
        src: Slot,
    },
    F32x4ConvertI32x4S {
        dst: Slot,
        src: Slot,
    },
    F32x4ConvertI32x4U {
        dst: Slot,
        src: Slot,
    },
    I32x4TruncSatF64x2SZero {
        dst: Slot,
        src: Slot,
    },
    I32x4TruncSatF64x2UZero {
        dst: Slot,
        src: Slot,
    },
    F64x2ConvertLowI32x4S {
        dst: Slot,
        src: Slot,
    },
    F64x2ConvertLowI32x4U {
        dst: Slot,
        src: Slot,
    },
    F32x4DemoteF64x2Zero {
        dst: Slot,
        src: Slot,
    },
    F64x2PromoteLowF32x4 {
        dst: Slot,
        src: Slot,
    },

    // A loop counter's step fused with the loop's conditional branch on it (see
    // `translate/compact.rs`): `slot += imm`, then the branch if the new value compares with
    // `bound` (a slot, or an immediate in the `Imm` forms) as named.
    I32StepBrIfLtS {
        imm: i16,
        slot: Slot,
        bound: Slot,
        offset: Offset,
    },
    I32StepBrIfLtU {
        imm: i16,
        slot: Slot,
        bound: Slot,
        offset: Offset,
    },
    I32StepBrIfNe {
        imm: i16,
        slot: Slot,
        bound: Slot,
        offset: Offset,
    },
    I32StepBrIfLtSImm {
        imm: i16,
        slot: Slot,
        bound: i32,
        offset: Offset,
    },
    I32StepBrIfLtUImm {
        imm: i16,
        slot: Slot,
        bound: i32,
        offset: Offset,
    },
    I32StepBrIfNeImm {
        imm: i16,
        slot: Slot,
        bound: i32,
        offset: Offset,
    },

    // Shift-and-combine pairs fused into one instruction (see `translate/compact.rs`).
    /// `(a >> shift) & mask`, unsigned: a field extraction.
    I32ShrUAndImm {
        shift: u8,
        dst: Slot,
        a: Slot,
        mask: i32,
    },
    /// `base + (index << shift)`: an address into an array.
    I32AddShl {
        shift: u8,
        dst: Slot,
        index: Slot,
        base: Slot,
    },
    /// `forwarded * b + c`, rounded after each operation (not a fused multiply-add): a dot
    /// product's step.
    F64MulAddA {
        dst: Slot,
        b: Slot,
        c: Slot,
    },
}

const _: () = assert!(std::mem::size_of::<Instr>() == 16);
