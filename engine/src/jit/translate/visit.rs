//! Wires wasmparser's `VisitOperator` and `VisitSimdOperator` to the translator's per-family
//! methods.
//!
//! The trait is implemented on a wrapper rather than on `FuncTranslator` itself so that an
//! operator without a translator method is a compile error instead of a call back into the
//! trait method of the same name.

use wasmparser::{VisitOperator, VisitSimdOperator};

use super::FuncTranslator;

pub(super) struct Visitor<'t, 'a, 'f>(pub &'t mut FuncTranslator<'a, 'f>);

macro_rules! define_visitor {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( define_visitor!(one $proposal $visit $($($arg: $argty),*)?); )*
    };
    // The Wasm 2.0 proposals are translated.
    (one mvp $($rest:tt)*) => { define_visitor!(forward $($rest)*); };
    (one sign_extension $($rest:tt)*) => { define_visitor!(forward $($rest)*); };
    (one saturating_float_to_int $($rest:tt)*) => { define_visitor!(forward $($rest)*); };
    (one bulk_memory $($rest:tt)*) => { define_visitor!(forward $($rest)*); };
    (one reference_types $($rest:tt)*) => { define_visitor!(forward $($rest)*); };
    (one simd $($rest:tt)*) => { define_visitor!(forward_simd $($rest)*); };
    // Validation rejects the others before translation; should one slip through, it fails
    // translation instead of being miscompiled.
    (one $proposal:ident $visit:ident $($arg:ident: $argty:ty),*) => {
        fn $visit(&mut self $(, $arg: $argty)*) {
            $( let _ = $arg; )*
            self.0.unsupported(stringify!($visit));
        }
    };
    (forward $visit:ident $($arg:ident: $argty:ty),*) => {
        fn $visit(&mut self $(, $arg: $argty)*) {
            FuncTranslator::$visit(self.0 $(, $arg)*)
        }
    };
    (forward_simd $visit:ident $($arg:ident: $argty:ty),*) => {
        fn $visit(&mut self $(, $arg: $argty)*) {
            self.0.require_simd();
            FuncTranslator::$visit(self.0 $(, $arg)*)
        }
    };
}

impl<'a> VisitOperator<'a> for Visitor<'_, '_, '_> {
    type Output = ();

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = ()>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(define_visitor);
}

impl<'a> VisitSimdOperator<'a> for Visitor<'_, '_, '_> {
    wasmparser::for_each_visit_simd_operator!(define_visitor);
}
