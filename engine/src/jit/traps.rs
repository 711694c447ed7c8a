//! The trap codes of compiled code and the trap kinds they stand for.

use cranelift_codegen::ir::TrapCode;

use crate::TrapKind;

pub(crate) const TRAP_UNREACHABLE: TrapCode = TrapCode::unwrap_user(1);
pub(crate) const TRAP_TABLE_OUT_OF_BOUNDS: TrapCode = TrapCode::unwrap_user(2);
pub(crate) const TRAP_INDIRECT_NULL: TrapCode = TrapCode::unwrap_user(3);
pub(crate) const TRAP_BAD_SIGNATURE: TrapCode = TrapCode::unwrap_user(4);
/// A runtime function or host function failed and left its trap in the store.
pub(crate) const TRAP_PENDING: TrapCode = TrapCode::unwrap_user(5);
/// `call_indirect` past the end of its table.
pub(crate) const TRAP_INDIRECT_OUT_OF_BOUNDS: TrapCode = TrapCode::unwrap_user(6);

/// The kind of a trap raised with `code`; `None` for `TRAP_PENDING`, whose trap is in the
/// store.
pub(crate) fn trap_kind(code: TrapCode) -> Option<TrapKind> {
    Some(match code {
        TrapCode::STACK_OVERFLOW => TrapKind::StackOverflow,
        TrapCode::HEAP_OUT_OF_BOUNDS => TrapKind::MemoryOutOfBounds,
        TrapCode::INTEGER_OVERFLOW => TrapKind::IntegerOverflow,
        TrapCode::INTEGER_DIVISION_BY_ZERO => TrapKind::IntegerDivideByZero,
        TrapCode::BAD_CONVERSION_TO_INTEGER => TrapKind::BadConversionToInteger,
        TRAP_UNREACHABLE => TrapKind::Unreachable,
        TRAP_TABLE_OUT_OF_BOUNDS => TrapKind::TableOutOfBounds,
        TRAP_INDIRECT_NULL => TrapKind::IndirectCallToNull,
        TRAP_BAD_SIGNATURE => TrapKind::BadSignature,
        TRAP_INDIRECT_OUT_OF_BOUNDS => TrapKind::UndefinedElement,
        _ => return None,
    })
}
