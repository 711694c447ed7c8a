//! The last pass over a function's code, which makes it shorter where that saves dispatches:
//! some pairs of instructions, the second taking the first's result from the forwarding
//! register, become one (a loop counter's step and the conditional branch on the new value
//! that ends a counted loop; a shift and the mask or add that uses it; a multiplication and
//! the addition of its product; an `i32.wrap_i64` and the `i32` operation it feeds, which
//! needs no wrapping), and branches to the next instruction go. Every branch is then pointed
//! at where its target moved.

use super::rewrite::branch_offset_mut;
use crate::interp::code::{Instr, Offset, Slot};

/// Compacts `code`, in which slots from `first_home` on are operand-stack homes.
pub(super) fn compact(code: &mut Vec<Instr>, first_home: Slot) {
    let len = code.len();
    let targets: Vec<Option<usize>> = (0..len).map(|at| branch_target(code, at)).collect();
    let mut is_target = vec![false; len + 1];
    for &target in targets.iter().flatten() {
        is_target[target] = true;
    }
    // A `BrTable` selects its entry by position, so its entries stay where they are.
    let mut table_entry = vec![false; len];
    for at in 0..len {
        if let Instr::BrTable { len: entries, .. } = code[at] {
            let last = (at + 1 + entries as usize).min(len - 1);
            table_entry[at + 1..=last].fill(true);
        }
    }

    let mut kept = Vec::with_capacity(len);
    // Where each instruction (and the end) went; a dropped one's is its successor's.
    let mut moved_to = vec![0; len + 1];
    let mut at = 0;
    while at < len {
        moved_to[at] = kept.len();
        if table_entry[at] {
            kept.push((code[at], targets[at]));
            at += 1;
            continue;
        }
        if targets[at] == Some(at + 1) && at + 1 < len && matches!(code[at], Instr::Br { .. }) {
            at += 1;
            continue;
        }
        let fusable = at + 1 < len && !is_target[at + 1] && !table_entry[at + 1];
        if let Some(fused) = fusable
            .then(|| fuse(code[at], code[at + 1], first_home))
            .flatten()
        {
            kept.push((fused, targets[at + 1]));
            moved_to[at + 1] = kept.len();
            at += 2;
            continue;
        }
        kept.push((code[at], targets[at]));
        at += 1;
    }
    moved_to[len] = kept.len();

    code.clear();
    for (new_at, (mut instr, target)) in kept.into_iter().enumerate() {
        if let Some(target) = target {
            let offset = branch_offset_mut(&mut instr).expect("a branch keeps its offset");
            *offset = moved_to[target] as Offset - (new_at as Offset + 1);
        }
        code.push(instr);
    }
}

/// The target of the branch at `at`, if it is one.
fn branch_target(code: &mut [Instr], at: usize) -> Option<usize> {
    let offset = *branch_offset_mut(&mut code[at])?;
    Some((at as isize + 1 + offset as isize) as usize)
}

/// `first` and `second`, which takes `first`'s result from the forwarding register, as one
/// instruction, if there is one for them. The fused instruction writes only the pair's
/// result, so `first`'s own must be dead: overwritten by it, or in an operand-stack home
/// (slots from `first_home` on), which no one reads again before writing it once `second`
/// consumed the value; a local (a `local.tee` of it) may be read later.
fn fuse(first: Instr, second: Instr, first_home: Slot) -> Option<Instr> {
    use Instr::*;
    if let Some(fused) = fuse_step_branch(first, second) {
        return Some(fused);
    }
    Some(match (first, second) {
        (I32ShrUImm { dst: mid, a, imm }, I32AndAImm { dst, imm: mask })
            if mid == dst || mid >= first_home =>
        {
            I32ShrUAndImm {
                shift: (imm & 31) as u8,
                dst,
                a,
                mask,
            }
        }
        // Nor may `second` read where `first`'s result would have gone, as it is not written.
        (I32ShlImm { dst: mid, a, imm }, I32AddA { dst, b })
            if (mid == dst || mid >= first_home) && b != mid =>
        {
            I32AddShl {
                shift: (imm & 31) as u8,
                dst,
                index: a,
                base: b,
            }
        }
        (F64MulA { dst: mid, b }, F64AddA { dst, b: c })
            if (mid == dst || mid >= first_home) && c != mid =>
        {
            F64MulAddA { dst, b, c }
        }
        (I32WrapI64A { dst: mid }, second) if wrap_is_implied(mid, second, first_home) => second,
        _ => return None,
    })
}

/// Whether `second`, which takes the result of an `I32WrapI64A` writing `mid` from the
/// forwarding register, computes the same from the unwrapped value there: it is an `i32`
/// operation, which reads only the register's low 32 bits, and the wrapped value is dead
/// after it (as in `fuse`).
fn wrap_is_implied(mid: Slot, second: Instr, first_home: Slot) -> bool {
    use Instr::*;
    let (dst, other) = match second {
        I32AddAImm { dst, .. }
        | I32SubAImm { dst, .. }
        | I32AndAImm { dst, .. }
        | I32OrAImm { dst, .. }
        | I32XorAImm { dst, .. }
        | I32ShlAImm { dst, .. }
        | I32ShrSAImm { dst, .. }
        | I32ShrUAImm { dst, .. }
        | I32EqAImm { dst, .. }
        | I32NeAImm { dst, .. } => (dst, None),
        I32AddA { dst, b }
        | I32SubA { dst, b }
        | I32MulA { dst, b }
        | I32AndA { dst, b }
        | I32OrA { dst, b }
        | I32XorA { dst, b } => (dst, Some(b)),
        _ => return false,
    };
    (mid == dst || mid >= first_home) && other != Some(mid)
}

/// `step` and the conditional `branch` after it as one instruction, if `step` adds a small
/// immediate to a slot in place and `branch` compares the result it forwards. The offset is
/// set by the caller.
fn fuse_step_branch(step: Instr, branch: Instr) -> Option<Instr> {
    use Instr::*;
    let I32AddImm { dst: slot, a, imm } = step else {
        return None;
    };
    let imm = i16::try_from(imm).ok().filter(|_| a == slot)?;
    let offset = 0;
    Some(match branch {
        BrIfI32LtSA { b, .. } => I32StepBrIfLtS {
            imm,
            slot,
            bound: b,
            offset,
        },
        BrIfI32LtUA { b, .. } => I32StepBrIfLtU {
            imm,
            slot,
            bound: b,
            offset,
        },
        BrIfI32NeA { b, .. } => I32StepBrIfNe {
            imm,
            slot,
            bound: b,
            offset,
        },
        BrIfI32LtSAImm { imm: bound, .. } => I32StepBrIfLtSImm {
            imm,
            slot,
            bound,
            offset,
        },
        BrIfI32LtUAImm { imm: bound, .. } => I32StepBrIfLtUImm {
            imm,
            slot,
            bound,
            offset,
        },
        BrIfI32NeAImm { imm: bound, .. } => I32StepBrIfNeImm {
            imm,
            slot,
            bound,
            offset,
        },
        _ => return None,
    })
}
