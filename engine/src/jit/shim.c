/* Entry into compiled code under a jump buffer, for the compiled tier's trap handling
 * (see sys.rs). This is C because a function that returns twice (sigsetjmp) cannot be
 * written in Rust. */

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*flint_entry_fn)(const void *code, void *vmctx, void *caller, uint64_t *slots);

/* Calls `entry`; returns 1 when it returns and 0 when a trap jumps back here. The jump buffer
 * lives in this frame and is published through `*jmp_slot`. The signal mask is not saved: the
 * handlers run with SA_NODEFER, so jumping out of one leaves the mask as it was. */
int flint_jit_enter(void **jmp_slot, flint_entry_fn entry, const void *code, void *vmctx,
                    void *caller, uint64_t *slots) {
    sigjmp_buf buf;
    if (sigsetjmp(buf, 0) != 0) {
        return 0;
    }
    *jmp_slot = &buf;
    entry(code, vmctx, caller, slots);
    return 1;
}

void flint_jit_unwind(void *jmp_buf) {
    siglongjmp(*(sigjmp_buf *)jmp_buf, 1);
}

void flint_jit_flush_icache(void *start, size_t len) {
    __builtin___clear_cache((char *)start, (char *)start + len);
}
