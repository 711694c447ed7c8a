//! The target: the host CPU, with the settings the compiled tier relies on.

use std::sync::OnceLock;

use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};

/// The host ISA; its features are detected once per process.
pub(crate) fn native() -> Result<&'static OwnedTargetIsa, String> {
    static ISA: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    ISA.get_or_init(build).as_ref().map_err(Clone::clone)
}

fn build() -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let settings = [
        ("opt_level", "speed"),
        // Checking the IR costs compile time; debug builds keep it to catch translator bugs.
        (
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        ),
        // Traps unwind by jumping to the entry shim, never through unwind tables.
        ("unwind_info", "false"),
        // Multi-value functions may return more values than there are return registers.
        ("enable_multi_ret_implicit_sret", "true"),
        // Frame pointers keep compiled frames walkable by profilers and debuggers.
        ("preserve_frame_pointers", "true"),
    ];
    for (name, value) in settings {
        flags.set(name, value).map_err(|e| format!("{name}: {e}"))?;
    }
    let isa = cranelift_native::builder().map_err(|e| format!("unsupported host: {e}"))?;
    isa.finish(settings::Flags::new(flags))
        .map_err(|e| format!("cannot configure the host ISA: {e}"))
}
