//! Traps: the one definition of every way Wasm execution can stop abnormally, shared by the
//! interpreter, the compiled tier and host functions.

use std::fmt;

/// The kind of a trap. The spec's trap kinds first, then the embedder's own reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapKind {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallToNull,
    UninitializedElement,
    /// `call_indirect` with an index past the end of the table.
    UndefinedElement,
    BadSignature,
    IntegerOverflow,
    IntegerDivideByZero,
    BadConversionToInteger,
    StackOverflow,
    /// The deadline set on the store passed.
    Interrupt,
    /// The guest asked to exit the process (WASI `proc_exit`).
    Exit(i32),
    /// A host function failed.
    Host(String),
}

impl TrapKind {
    /// The message the spec tests' `assert_trap` expects (a prefix match is enough).
    pub fn message(&self) -> &str {
        match self {
            TrapKind::Unreachable => "unreachable",
            TrapKind::MemoryOutOfBounds => "out of bounds memory access",
            TrapKind::TableOutOfBounds => "out of bounds table access",
            TrapKind::IndirectCallToNull => "uninitialized element",
            TrapKind::UninitializedElement => "uninitialized element",
            TrapKind::UndefinedElement => "undefined element",
            TrapKind::BadSignature => "indirect call type mismatch",
            TrapKind::IntegerOverflow => "integer overflow",
            TrapKind::IntegerDivideByZero => "integer divide by zero",
            TrapKind::BadConversionToInteger => "invalid conversion to integer",
            TrapKind::StackOverflow => "call stack exhausted",
            TrapKind::Interrupt => "interrupted: deadline reached",
            TrapKind::Exit(_) => "exit",
            TrapKind::Host(msg) => msg,
        }
    }
}

/// One frame of a Wasm backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    pub func_index: u32,
    pub func_name: Option<String>,
    pub module_name: Option<String>,
}

/// A trap with the Wasm backtrace at the point it happened (innermost frame first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    kind: TrapKind,
    backtrace: Vec<FrameInfo>,
}

impl Trap {
    pub fn new(kind: TrapKind) -> Self {
        Trap {
            kind,
            backtrace: Vec::new(),
        }
    }

    /// A trap that ends the program with an exit code (WASI `proc_exit`).
    pub fn exit(code: i32) -> Self {
        Trap::new(TrapKind::Exit(code))
    }

    /// A trap raised by a host function.
    pub fn host(msg: impl Into<String>) -> Self {
        Trap::new(TrapKind::Host(msg.into()))
    }

    pub fn kind(&self) -> &TrapKind {
        &self.kind
    }

    pub fn exit_code(&self) -> Option<i32> {
        match self.kind {
            TrapKind::Exit(code) => Some(code),
            _ => None,
        }
    }

    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    pub(crate) fn push_frame(&mut self, frame: FrameInfo) {
        self.backtrace.push(frame);
    }
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Self {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TrapKind::Exit(code) => write!(f, "exit with code {code}")?,
            kind => write!(f, "wasm trap: {}", kind.message())?,
        }
        if !self.backtrace.is_empty() {
            write!(f, "\nwasm backtrace:")?;
            for (i, frame) in self.backtrace.iter().enumerate() {
                let module = frame.module_name.as_deref().unwrap_or("<module>");
                match &frame.func_name {
                    Some(name) => write!(f, "\n  {i:>3}: {module}!{name}")?,
                    None => write!(
                        f,
                        "\n  {i:>3}: {module}!<wasm function {}>",
                        frame.func_index
                    )?,
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for Trap {}
