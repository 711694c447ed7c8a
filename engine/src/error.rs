//! The engine's error type: everything that can go wrong before or around execution.

use std::fmt;

use crate::Trap;

#[derive(Debug)]
pub enum Error {
    /// The bytes are not a well-formed module (binary or text).
    Malformed(String),
    /// The module is well-formed but fails validation.
    Invalid(String),
    /// The module uses a feature this engine does not support.
    Unsupported(String),
    /// An import could not be satisfied, or had the wrong type.
    Unlinkable(String),
    /// Execution trapped (also during instantiation: segment initialisation, start function).
    Trap(Trap),
    /// Wrong use of the API: type mismatch of call arguments, unknown export, and the like.
    Usage(String),
    /// An I/O failure, with the path it concerns.
    Io(String, std::io::Error),
    /// The host ran out of a resource (address space for a memory reservation, ...).
    Resource(String),
    /// A snapshot cannot be taken here, or a snapshot file is damaged, truncated or does not
    /// match this engine or module.
    Snapshot(String),
}

impl Error {
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Malformed(m) => write!(f, "malformed module: {m}"),
            Error::Invalid(m) => write!(f, "invalid module: {m}"),
            Error::Unsupported(m) => write!(f, "unsupported feature: {m}"),
            Error::Unlinkable(m) => write!(f, "unlinkable: {m}"),
            Error::Trap(t) => t.fmt(f),
            Error::Usage(m) => f.write_str(m),
            Error::Io(path, e) => write!(f, "{path}: {e}"),
            Error::Resource(m) => write!(f, "out of resources: {m}"),
            Error::Snapshot(m) => write!(f, "snapshot: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}
