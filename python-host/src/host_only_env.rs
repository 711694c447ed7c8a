//! Host variables that name host paths or host-Python settings the guest cannot use: `flint
//! python` passes the host's environment through without them. Also compiled into the
//! benchmarks' wasmtime runner (`benches/src/bin/wasmtime-python.rs`), which gives CPython the
//! same guest view; it cannot depend on this binary crate, so it includes this file.

pub const HOST_ONLY_ENV: &[&str] = &[
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONUSERBASE",
    "PYTHONEXECUTABLE",
    "TMPDIR",
    "PWD",
    "OLDPWD",
];
