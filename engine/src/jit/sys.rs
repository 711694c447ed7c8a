//! Platform glue for running compiled code: entering it under a jump buffer, and turning
//! hardware faults in it into traps. The same handler first gives the interpreter's lazily
//! filled code (`interp/exec/lazy_ops.rs`) the faults that are its first touches.
//!
//! Compiled code traps by faulting: a memory access in the guard region (SIGSEGV/SIGBUS), a
//! trap instruction (SIGILL), or a division the hardware rejects (SIGFPE). The handler looks
//! the faulting PC up among the registered trap sites; if it is one, it records the trap code
//! in the innermost activation of this thread and `siglongjmp`s back to the C shim that
//! entered compiled code, which then returns 0. Only compiled frames (and the shim's) lie
//! between the two, so no Rust destructor is skipped. Any other fault goes to the handler that
//! was installed before ours.
//!
//! The handlers are installed with `SA_NODEFER`, so leaving one by a jump leaves no signal
//! blocked and the jump buffer need not save the signal mask (which would cost a system call
//! per entry).

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::num::NonZeroU8;
use std::sync::OnceLock;

use cranelift_codegen::ir::TrapCode;

use super::registry;

type EntryFn = unsafe extern "C" fn(*const u8, *mut u8, *mut u8, *mut u64);

extern "C" {
    fn flint_jit_enter(
        jmp_slot: *mut *mut c_void,
        entry: EntryFn,
        code: *const u8,
        vmctx: *mut u8,
        caller: *mut u8,
        slots: *mut u64,
    ) -> c_int;
    fn flint_jit_unwind(jmp_buf: *mut c_void) -> !;
}

/// Most compiled frames a trap's backtrace records.
const MAX_FRAMES: usize = 128;

/// One entry into compiled code, linked to the enclosing one on this thread.
struct Activation {
    jmp_buf: *mut c_void,
    trap: u8,
    prev: *mut Activation,
    /// Program counters of the compiled frames at the trap, innermost first: the faulting
    /// instruction, then return addresses.
    pcs: [usize; MAX_FRAMES],
    frames: usize,
}

/// Why compiled code trapped, and where.
pub(crate) struct TrapInfo {
    pub code: TrapCode,
    /// As in `Activation::pcs`.
    pub pcs: Vec<usize>,
}

thread_local! {
    /// The innermost activation of this thread; const-initialised so that the signal handler
    /// can read it without lazy initialisation.
    static CURRENT: Cell<*mut Activation> = const { Cell::new(std::ptr::null_mut()) };
}

/// Calls array entry `entry` with `code`, `vmctx`, `caller` and `slots`; returns where and why
/// if compiled code trapped.
///
/// # Safety
/// `entry` must be an array entry for the signature of `code`, `vmctx` the vmctx it expects,
/// and `slots` must hold the parameters and room for the results. The store context behind
/// `vmctx` must be set up for this store (see `entry.rs`).
pub(crate) unsafe fn enter(
    entry: *const u8,
    code: *const u8,
    vmctx: *mut u8,
    caller: *mut u8,
    slots: *mut u64,
) -> Result<(), TrapInfo> {
    install_handlers();
    let mut activation = Activation {
        jmp_buf: std::ptr::null_mut(),
        trap: 0,
        prev: CURRENT.get(),
        pcs: [0; MAX_FRAMES],
        frames: 0,
    };
    let this: *mut Activation = &mut activation;
    CURRENT.set(this);
    // SAFETY: `entry` is compiled code with the `EntryFn` signature (the caller's contract);
    // the shim publishes its jump buffer through `jmp_buf`, which outlives the call.
    let returned = unsafe {
        let entry: EntryFn = std::mem::transmute(entry);
        flint_jit_enter(&raw mut (*this).jmp_buf, entry, code, vmctx, caller, slots)
    };
    // SAFETY: `this` points at `activation`, live on this frame; the handler wrote to it
    // through the same pointer before jumping back.
    let activation = unsafe { &*this };
    CURRENT.set(activation.prev);
    match returned {
        0 => Err(TrapInfo {
            code: TrapCode::from_raw(
                NonZeroU8::new(activation.trap).expect("a trap records its code"),
            ),
            pcs: activation.pcs[..activation.frames].to_vec(),
        }),
        _ => Ok(()),
    }
}

const SIGNALS: [c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The dispositions our handlers replaced, in the order of `SIGNALS`.
static PREVIOUS: OnceLock<[libc::sigaction; 4]> = OnceLock::new();

/// Installs the process's fault handlers (once): compiled code's traps, and the first touches
/// of lazily filled interpreter code (`interp/exec/lazy_ops.rs`).
pub(crate) fn install_handlers() {
    PREVIOUS.get_or_init(|| {
        // SAFETY: all-zero is a valid `sigaction` (no handler, empty mask, no flags); each
        // `sigaction` call gets valid pointers, and our handler is async-signal-safe.
        unsafe {
            let mut previous: [libc::sigaction; 4] = std::mem::zeroed();
            for (i, &sig) in SIGNALS.iter().enumerate() {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = handle as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(sig, &action, &mut previous[i]);
            }
            previous
        }
    });
}

unsafe extern "C" fn handle(sig: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` to an SA_SIGINFO handler.
    if sig == libc::SIGSEGV && crate::interp::fill_fault(unsafe { (*info).si_addr() } as usize) {
        return;
    }
    let activation = CURRENT.try_with(Cell::get).unwrap_or(std::ptr::null_mut());
    if !activation.is_null() {
        // SAFETY: the kernel passes a valid `ucontext_t` to an SA_SIGINFO handler.
        let regs = unsafe { registers(context) };
        if let Some(code) = registry::trap_at(regs.pc) {
            // SAFETY: `activation` is the live innermost activation of this thread (it is
            // unlinked before its frame returns), and the fault is in compiled code that it
            // entered, so its jump buffer is valid and only compiled frames lie above it.
            unsafe {
                let a = &mut *activation;
                a.trap = code.as_raw().get();
                a.frames = walk(regs, activation as usize, &mut a.pcs);
                flint_jit_unwind(a.jmp_buf);
            }
        }
    }
    // SAFETY: forwarding the arguments we were given to the previous disposition.
    unsafe { chain(sig, info, context) }
}

/// Passes a fault that is not ours to the disposition that was installed before ours.
unsafe fn chain(sig: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let Some(previous) = PREVIOUS.get() else {
        return;
    };
    let Some(at) = SIGNALS.iter().position(|&s| s == sig) else {
        return;
    };
    let prev = &previous[at];
    match prev.sa_sigaction {
        libc::SIG_DFL | libc::SIG_IGN => {
            // Reinstate it and return: the faulting instruction runs again and gets the
            // previous disposition (for a fault, normally death by the signal).
            // SAFETY: `prev` is a disposition the kernel gave us.
            unsafe {
                libc::sigaction(sig, prev, std::ptr::null_mut());
            }
        }
        handler if prev.sa_flags & libc::SA_SIGINFO != 0 => {
            // SAFETY: with SA_SIGINFO, `sa_sigaction` is a three-argument handler.
            unsafe {
                let f: extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) =
                    std::mem::transmute(handler);
                f(sig, info, context);
            }
        }
        handler => {
            // SAFETY: without SA_SIGINFO, `sa_handler` is a one-argument handler.
            unsafe {
                let f: extern "C" fn(c_int) = std::mem::transmute(handler);
                f(sig);
            }
        }
    }
}

/// The registers of the faulting code that the handler needs.
#[derive(Clone, Copy)]
struct Registers {
    pc: usize,
    sp: usize,
    fp: usize,
}

/// # Safety
/// `context` must be the `ucontext_t` of a signal handler invocation.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe fn registers(context: *mut c_void) -> Registers {
    // SAFETY: per the contract.
    let gregs = unsafe { &(*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs };
    Registers {
        pc: gregs[libc::REG_RIP as usize] as usize,
        sp: gregs[libc::REG_RSP as usize] as usize,
        fp: gregs[libc::REG_RBP as usize] as usize,
    }
}

/// # Safety
/// `context` must be the `ucontext_t` of a signal handler invocation.
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
unsafe fn registers(context: *mut c_void) -> Registers {
    // SAFETY: per the contract.
    let m = unsafe { &(*context.cast::<libc::ucontext_t>()).uc_mcontext };
    Registers {
        pc: m.pc as usize,
        sp: m.sp as usize,
        fp: m.regs[29] as usize,
    }
}

/// Records the faulting PC and the return addresses of the compiled frames below it, following
/// the frame-pointer chain (compiled code keeps frame pointers; each frame holds the caller's
/// frame pointer and then the return address). Only frames between the faulting stack pointer
/// and the activation record, which lies above every compiled frame, are trusted; the walk
/// stops at the first return address outside compiled code.
fn walk(regs: Registers, limit: usize, out: &mut [usize; MAX_FRAMES]) -> usize {
    out[0] = regs.pc;
    let mut n = 1;
    let mut fp = regs.fp;
    let word = std::mem::size_of::<usize>();
    while n < MAX_FRAMES && fp >= regs.sp && fp < limit && fp.is_multiple_of(word) {
        // SAFETY: `fp` is an aligned address in this thread's stack between the faulting
        // stack pointer and a live frame of ours, so both words are mapped and readable.
        let (next, ret) = unsafe {
            let frame = fp as *const usize;
            (frame.read(), frame.add(1).read())
        };
        if !registry::contains(ret) {
            break;
        }
        out[n] = ret;
        n += 1;
        if next <= fp {
            break;
        }
        fp = next;
    }
    n
}

thread_local! {
    /// Lowest address of this thread's stack, once looked up.
    static STACK_LOW: Cell<usize> = const { Cell::new(0) };
}

/// Lowest address of the current thread's stack.
fn stack_low() -> usize {
    let cached = STACK_LOW.get();
    if cached != 0 {
        return cached;
    }
    let low = main_thread_stack_low().unwrap_or_else(|| {
        // SAFETY: `pthread_getattr_np` fills `attr` for the calling thread, which is then read
        // with `pthread_attr_getstack` and destroyed; all pointers are to locals.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            let mut addr: *mut c_void = std::ptr::null_mut();
            let mut size: usize = 0;
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) == 0 {
                libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
                libc::pthread_attr_destroy(&mut attr);
            }
            addr as usize
        }
    });
    STACK_LOW.set(low);
    low
}

/// The lowest address the main thread's stack may grow to: its top less the stack size limit.
/// For the main thread, `pthread_getattr_np` reads and parses `/proc/self/maps` (to keep the
/// size clear of the mapping below), which costs a short-lived process such as a restored
/// `flint python` about 40 µs; with address randomisation that mapping lies far below any
/// sane limit, so the limit alone gives the same answer. `None` on other threads, or when
/// the limit is unset or huge.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn main_thread_stack_low() -> Option<usize> {
    extern "C" {
        /// Set by glibc at startup: the top of the main thread's stack.
        static __libc_stack_end: *const c_void;
    }
    // SAFETY: plain system calls; `__libc_stack_end` is written once, before `main`.
    let (top, limit) = unsafe {
        if libc::getpid() != libc::gettid() {
            return None;
        }
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_STACK, &mut limit) != 0 {
            return None;
        }
        (__libc_stack_end as usize, limit.rlim_cur)
    };
    if limit == libc::RLIM_INFINITY || limit > 1 << 30 {
        return None;
    }
    // glibc's own answer is the same or one page higher (it rounds the size down to pages).
    let page = crate::zeroed::page_size();
    Some((top.div_ceil(page) * page).checked_sub(limit as usize)? + page)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main_thread_stack_low() -> Option<usize> {
    None
}

/// Stack kept free below compiled code for host functions and the signal handler.
const HOST_STACK_RESERVE: usize = 256 << 10;

/// The stack limit for compiled code entered from the current frame: at most `max_stack`
/// bytes below here, and never into the reserve at the bottom of the thread's stack.
pub(crate) fn stack_limit(max_stack: usize) -> usize {
    let here = {
        let marker = 0u8;
        std::ptr::addr_of!(marker) as usize
    };
    let floor = stack_low().saturating_add(HOST_STACK_RESERVE);
    here.saturating_sub(max_stack).max(floor)
}
