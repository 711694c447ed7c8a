//! Jump threading, once the code is complete: a `Br` to a return instruction becomes that
//! return, which saves a dispatch wherever a block's result leaves the function (the arms of
//! an `if` that is the function's last expression, for instance).

use super::forward::use_forwarded;
use super::rewrite::{branch_offset_mut, result_slot_mut};
use crate::interp::code::Instr;

pub(super) fn thread_jumps(code: &mut [Instr]) {
    let mut targets = vec![false; code.len() + 1];
    for at in 0..code.len() {
        if let Some(target) = branch_target(code, at) {
            targets[target] = true;
        }
    }
    for at in 0..code.len() {
        let Instr::Br { .. } = code[at] else { continue };
        let Some(target) = branch_target(code, at) else {
            continue;
        };
        // `Return1A` reads the forwarding register, which holds something else here.
        let mut ret = match code.get(target) {
            Some(ret @ (Instr::Return | Instr::Return1 { .. } | Instr::ReturnSpan { .. })) => *ret,
            _ => continue,
        };
        // Like any instruction, the return may take its operand from the previous one, as long
        // as that is the only way to reach it.
        if let (Instr::Return1 { src }, false, Some(prev)) = (ret, targets[at], at.checked_sub(1)) {
            if result_slot_mut(&mut code[prev]).is_some_and(|dst| *dst == src) {
                ret = use_forwarded(ret, src).unwrap_or(ret);
            }
        }
        code[at] = ret;
    }
}

/// The target of the branch at `at`, if it is one.
fn branch_target(code: &mut [Instr], at: usize) -> Option<usize> {
    let offset = *branch_offset_mut(&mut code[at])?;
    Some((at as isize + 1 + offset as isize) as usize)
}
