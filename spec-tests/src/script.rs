//! The directive loop: parses a `.wast` script and runs its directives in order against one
//! store, recording an outcome for every directive.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use flint_engine::{Config, Engine, Error, Instance, Linker, Module, Store, TrapKind, Val};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::report::{Failure, FileReport, LineIndex, Skip};
use crate::{spectest, values};

/// What running one directive came to.
enum Outcome {
    Pass,
    Fail {
        expected: String,
        actual: String,
    },
    /// Not run, for this reason.
    Skip(String),
    /// The engine does not support a module the rest of the file builds on: this directive and
    /// all after it are skipped, for this reason.
    SkipRest(String),
}

fn fail(expected: impl Into<String>, actual: impl Into<String>) -> Outcome {
    Outcome::Fail {
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// Runs the script `src`, read from `path`.
pub(crate) fn run_source(path: PathBuf, src: &str, options: &crate::Options) -> FileReport {
    let mut report = FileReport::new(path);
    let lines = LineIndex::new(src);
    let mut lexer = Lexer::new(src);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => {
            report.error = Some(parse_error(&lines, &e));
            return report;
        }
    };
    let directives = match parser::parse::<Wast<'_>>(&buf) {
        Ok(wast) => wast.directives,
        Err(e) => {
            report.error = Some(parse_error(&lines, &e));
            return report;
        }
    };
    let mut runner = match Runner::new(options) {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(format!("cannot set up the spectest module: {e}"));
            return report;
        }
    };
    let mut skipping_rest = false;
    for directive in directives {
        let (line, col) = lines.line_col(directive.span().offset());
        let count = count_directives(&directive);
        if skipping_rest {
            if let Some(last) = report.skips.last_mut() {
                last.count += count;
            }
            continue;
        }
        let name = describe_directive(&directive);
        let outcome =
            catch_unwind(AssertUnwindSafe(|| runner.run(directive))).unwrap_or_else(|payload| {
                fail("no panic", format!("panic: {}", panic_message(&*payload)))
            });
        match outcome {
            Outcome::Pass => report.passed += 1,
            Outcome::Fail { expected, actual } => report.failures.push(Failure {
                line,
                col,
                directive: name,
                expected,
                actual,
            }),
            Outcome::Skip(reason) => report.skips.push(Skip {
                line,
                col,
                count,
                reason,
            }),
            Outcome::SkipRest(reason) => {
                report.skips.push(Skip {
                    line,
                    col,
                    count,
                    reason,
                });
                skipping_rest = true;
            }
        }
    }
    report
}

fn parse_error(lines: &LineIndex, e: &wast::Error) -> String {
    let (line, col) = lines.line_col(e.span().offset());
    let message = e.message();
    let first = message.lines().next().unwrap_or_default();
    format!("cannot parse the script at {line}:{col}: {first}")
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".into()
    }
}

/// Directives a directive stands for in the counts: a thread counts with all it contains.
fn count_directives(d: &WastDirective<'_>) -> usize {
    match d {
        WastDirective::Thread(t) => 1 + t.directives.iter().map(count_directives).sum::<usize>(),
        _ => 1,
    }
}

fn id_suffix(id: Option<Id<'_>>) -> String {
    id.map(|id| format!(" ${}", id.name())).unwrap_or_default()
}

fn describe_invoke(i: &WastInvoke<'_>) -> String {
    format!(
        "(invoke{} {:?}{})",
        id_suffix(i.module),
        i.name,
        values::describe_args(&i.args)
    )
}

fn describe_exec(e: &WastExecute<'_>) -> String {
    match e {
        WastExecute::Invoke(i) => describe_invoke(i),
        WastExecute::Wat(_) => "(module)".into(),
        WastExecute::Get { module, global, .. } => {
            format!("(get{} {global:?})", id_suffix(*module))
        }
    }
}

fn describe_directive(d: &WastDirective<'_>) -> String {
    match d {
        WastDirective::Module(m) => format!("module{}", id_suffix(m.name())),
        WastDirective::ModuleDefinition(m) => format!("module definition{}", id_suffix(m.name())),
        WastDirective::ModuleInstance {
            instance, module, ..
        } => format!(
            "module instance{}{}",
            id_suffix(*instance),
            id_suffix(*module)
        ),
        WastDirective::AssertMalformed { message, .. } => format!("assert_malformed {message:?}"),
        WastDirective::AssertInvalid { message, .. } => format!("assert_invalid {message:?}"),
        WastDirective::AssertInvalidCustom { message, .. } => {
            format!("assert_invalid_custom {message:?}")
        }
        WastDirective::AssertMalformedCustom { message, .. } => {
            format!("assert_malformed_custom {message:?}")
        }
        WastDirective::Register { name, module, .. } => {
            format!("register {name:?}{}", id_suffix(*module))
        }
        WastDirective::Invoke(i) => describe_invoke(i),
        WastDirective::AssertTrap { exec, .. } => format!("assert_trap {}", describe_exec(exec)),
        WastDirective::AssertReturn { exec, .. } => {
            format!("assert_return {}", describe_exec(exec))
        }
        WastDirective::AssertExhaustion { call, .. } => {
            format!("assert_exhaustion {}", describe_invoke(call))
        }
        WastDirective::AssertUnlinkable { message, .. } => {
            format!("assert_unlinkable {message:?}")
        }
        WastDirective::AssertException { exec, .. } => {
            format!("assert_exception {}", describe_exec(exec))
        }
        WastDirective::AssertSuspension { exec, .. } => {
            format!("assert_suspension {}", describe_exec(exec))
        }
        WastDirective::Thread(t) => format!("thread ${}", t.name.name()),
        WastDirective::Wait { thread, .. } => format!("wait ${}", thread.name()),
    }
}

/// An engine error as the report shows it, on one line.
fn describe_error(e: &Error) -> String {
    match e {
        Error::Trap(t) => format!("trap {:?}", t.kind().message()),
        other => other.to_string().replace('\n', " "),
    }
}

/// Whether a trap of `kind` is the trap the script expects by `expected`, its spec message.
fn trap_matches(expected: &str, kind: &TrapKind) -> bool {
    let actual = kind.message();
    if !actual.is_empty() && (expected.starts_with(actual) || actual.starts_with(expected)) {
        return true;
    }
    // The spec says "undefined element" for a `call_indirect` past the end of the table, which
    // the engine reports as an out-of-bounds table access.
    expected.starts_with("undefined element") && *kind == TrapKind::TableOutOfBounds
}

fn is_component(m: &QuoteWat<'_>) -> bool {
    matches!(
        m,
        QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    )
}

const COMPONENTS: &str = "the component model is not supported";

/// The binary of a script module; `Err` is why its text did not parse or encode.
fn encode(m: &mut QuoteWat<'_>) -> Result<Vec<u8>, String> {
    m.encode().map_err(|e| {
        let message = e.message();
        message.lines().next().unwrap_or_default().to_string()
    })
}

/// Engine results of executing an action: values, or the engine's error.
type Executed = Result<Vec<Val>, Error>;

/// The state a script runs in.
struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recently instantiated module: the target of `invoke` without a module name.
    current: Option<Instance>,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    last_definition: Option<Module>,
}

impl Runner {
    fn new(options: &crate::Options) -> Result<Self, Error> {
        let engine = Engine::new(Config {
            tier: options.tier,
            cache_dir: options.cache_dir.clone(),
            ..Config::default()
        });
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&engine, &mut store, &mut linker)?;
        Ok(Runner {
            engine,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(mut m) => {
                if is_component(&m) {
                    return Outcome::SkipRest(COMPONENTS.into());
                }
                let id = m.name();
                let bytes = match encode(&mut m) {
                    Ok(b) => b,
                    Err(e) => return fail("a module", format!("text error: {e}")),
                };
                let module = match Module::new(&self.engine, bytes) {
                    Ok(m) => m,
                    Err(Error::Unsupported(why)) => return Outcome::SkipRest(unsupported(&why)),
                    Err(e) => return fail("a valid module", describe_error(&e)),
                };
                self.instantiate_current(&module, id)
            }
            WastDirective::ModuleDefinition(mut m) => {
                if is_component(&m) {
                    return Outcome::SkipRest(COMPONENTS.into());
                }
                let id = m.name();
                let bytes = match encode(&mut m) {
                    Ok(b) => b,
                    Err(e) => return fail("a module", format!("text error: {e}")),
                };
                match Module::new(&self.engine, bytes) {
                    Ok(module) => {
                        if let Some(id) = id {
                            self.definitions.insert(id.name().into(), module.clone());
                        }
                        self.last_definition = Some(module);
                        Outcome::Pass
                    }
                    Err(Error::Unsupported(why)) => Outcome::SkipRest(unsupported(&why)),
                    Err(e) => fail("a valid module", describe_error(&e)),
                }
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                match definition {
                    Some(def) => self.instantiate_current(&def, instance),
                    None => fail(
                        "a module definition",
                        format!("no module definition{}", id_suffix(module)),
                    ),
                }
            }
            WastDirective::Register { name, module, .. } => {
                let instance = match self.instance(module) {
                    Ok(i) => i,
                    Err(o) => return o,
                };
                match self.linker.instance(&self.store, name, instance) {
                    Ok(_) => Outcome::Pass,
                    Err(e) => fail("registration", describe_error(&e)),
                }
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Err(o) => o,
                Ok(Ok(_)) => Outcome::Pass,
                Ok(Err(Error::Unsupported(why))) => Outcome::Skip(unsupported(&why)),
                Ok(Err(e)) => fail("a normal return", describe_error(&e)),
            },
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            WastDirective::AssertTrap { exec, message, .. } => {
                let executed = self.execute(exec);
                expect_trap(executed, message)
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let executed = self.invoke(&call);
                expect_trap(executed, message)
            }
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.assert_rejected(module, "malformed", message),
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.assert_rejected(module, "invalid", message),
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => self.assert_unlinkable(&mut module, message),
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => Outcome::Skip(
                "assertions on custom sections (annotations proposal) are not checked".into(),
            ),
            WastDirective::AssertException { .. } => {
                Outcome::Skip("exception handling is not supported".into())
            }
            WastDirective::AssertSuspension { .. } => {
                Outcome::Skip("stack switching is not supported".into())
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Outcome::Skip("threads in scripts are not supported".into())
            }
        }
    }

    /// Instantiates `module` as the current module, under `id` if it has one.
    fn instantiate_current(&mut self, module: &Module, id: Option<Id<'_>>) -> Outcome {
        self.current = None;
        match self.linker.instantiate(&mut self.store, module) {
            Ok(instance) => {
                self.current = Some(instance);
                if let Some(id) = id {
                    self.instances.insert(id.name().into(), instance);
                }
                Outcome::Pass
            }
            Err(Error::Unsupported(why)) => Outcome::SkipRest(unsupported(&why)),
            Err(e) => fail("a successful instantiation", describe_error(&e)),
        }
    }

    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, Outcome> {
        match id {
            Some(id) => self.instances.get(id.name()).copied().ok_or_else(|| {
                fail(
                    format!("an instance ${}", id.name()),
                    "no instance of that name",
                )
            }),
            None => self
                .current
                .ok_or_else(|| fail("a current module", "no module instantiated")),
        }
    }

    /// Calls an export; the outer `Err` is an outcome decided before the call.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Executed, Outcome> {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| fail(format!("an exported function {:?}", invoke.name), "none"))?;
        let args = invoke
            .args
            .iter()
            .map(values::arg_to_val)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|why| Outcome::Skip(format!("cannot pass {why}")))?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|()| results))
    }

    /// Runs an action; the outer `Err` is an outcome decided before it ran.
    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Executed, Outcome> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module)?;
                let g = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| fail(format!("an exported global {global:?}"), "none"))?;
                Ok(Ok(vec![g.get(&self.store)]))
            }
            WastExecute::Wat(wat) => {
                let mut m = QuoteWat::Wat(wat);
                if is_component(&m) {
                    return Err(Outcome::Skip(COMPONENTS.into()));
                }
                let bytes =
                    encode(&mut m).map_err(|e| fail("a module", format!("text error: {e}")))?;
                Ok(Module::new(&self.engine, bytes)
                    .and_then(|module| self.linker.instantiate(&mut self.store, &module))
                    .map(|_| Vec::new()))
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Outcome {
        let want = || values::describe_rets(expected);
        let got = match self.execute(exec) {
            Err(o) => return o,
            Ok(Ok(vals)) => vals,
            Ok(Err(Error::Unsupported(why))) => return Outcome::Skip(unsupported(&why)),
            Ok(Err(e)) => return fail(want(), describe_error(&e)),
        };
        if got.len() != expected.len() {
            return fail(want(), values::describe_vals(&got));
        }
        for (e, a) in expected.iter().zip(&got) {
            match values::matches(e, a) {
                Ok(true) => {}
                Ok(false) => return fail(want(), values::describe_vals(&got)),
                Err(why) => return Outcome::Skip(format!("cannot check {why}")),
            }
        }
        Outcome::Pass
    }

    /// `assert_malformed` / `assert_invalid`: any failure to load passes.
    fn assert_rejected(&mut self, mut module: QuoteWat<'_>, kind: &str, message: &str) -> Outcome {
        if is_component(&module) {
            return Outcome::Skip(COMPONENTS.into());
        }
        let Ok(bytes) = encode(&mut module) else {
            return Outcome::Pass;
        };
        match Module::new(&self.engine, bytes) {
            Ok(_) => fail(format!("{kind} module: {message:?}"), "the module loaded"),
            Err(Error::Unsupported(why)) => Outcome::Skip(unsupported(&why)),
            Err(_) => Outcome::Pass,
        }
    }

    fn assert_unlinkable(&mut self, module: &mut Wat<'_>, message: &str) -> Outcome {
        if matches!(module, Wat::Component(_)) {
            return Outcome::Skip(COMPONENTS.into());
        }
        let want = || format!("unlinkable: {message:?}");
        let bytes = match module.encode() {
            Ok(b) => b,
            Err(e) => return fail(want(), format!("text error: {}", e.message())),
        };
        let module = match Module::new(&self.engine, bytes) {
            Ok(m) => m,
            Err(Error::Unsupported(why)) => return Outcome::Skip(unsupported(&why)),
            Err(e) => return fail(want(), describe_error(&e)),
        };
        match self.linker.instantiate(&mut self.store, &module) {
            Ok(_) => fail(want(), "the module instantiated"),
            Err(Error::Unlinkable(_)) => Outcome::Pass,
            Err(Error::Unsupported(why)) => Outcome::Skip(unsupported(&why)),
            Err(e) => fail(want(), describe_error(&e)),
        }
    }
}

fn unsupported(why: &str) -> String {
    format!("unsupported by the engine: {why}")
}

/// `assert_trap` / `assert_exhaustion`: the action must trap with the expected message.
fn expect_trap(executed: Result<Executed, Outcome>, message: &str) -> Outcome {
    let want = || format!("trap {message:?}");
    match executed {
        Err(o) => o,
        Ok(Ok(vals)) => fail(want(), values::describe_vals(&vals)),
        Ok(Err(Error::Trap(t))) if trap_matches(message, t.kind()) => Outcome::Pass,
        Ok(Err(Error::Unsupported(why))) => Outcome::Skip(unsupported(&why)),
        Ok(Err(e)) => fail(want(), describe_error(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> FileReport {
        run_source("t.wast".into(), src, &crate::Options::default())
    }

    #[test]
    fn trap_messages() {
        assert!(trap_matches("unreachable", &TrapKind::Unreachable));
        assert!(trap_matches(
            "uninitialized element 2",
            &TrapKind::UninitializedElement
        ));
        assert!(trap_matches(
            "undefined element",
            &TrapKind::TableOutOfBounds
        ));
        assert!(trap_matches(
            "call stack exhausted",
            &TrapKind::StackOverflow
        ));
        assert!(!trap_matches("unreachable", &TrapKind::IntegerOverflow));
        assert!(!trap_matches(
            "undefined element",
            &TrapKind::MemoryOutOfBounds
        ));
    }

    #[test]
    fn unparseable_script_is_one_error() {
        let r = run("(module (func)) (assert_return (invoke \"f\") (i32.const))");
        let err = r.error.clone().expect("a parse error");
        assert!(err.starts_with("cannot parse the script at 1:"), "{err}");
        assert!(!err.contains('\n'));
        assert_eq!(r.failed(), 1);
    }

    #[test]
    fn load_time_directives() {
        let r = run(r#"
            (module $M (global (export "g") i32 (i32.const 7)) (memory (export "m") 1))
            (assert_return (get "g") (i32.const 7))
            (assert_return (get $M "g") (i32.const 7))
            (assert_return (get "g") (i32.const 8))
            (register "M" $M)
            (module (import "M" "g" (global i32)) (import "spectest" "table" (table 10 funcref)))
            (module binary "\00asm" "\01\00\00\00")
            (module quote "(memory 1)")
            (assert_malformed (module quote "(func") "unexpected end")
            (assert_malformed (module binary "\00asm") "unexpected end")
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_invalid (module) "should fail")
            (assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
            (assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible")
            (assert_trap (module (memory 1) (data (i32.const 70000) "x")) "out of bounds memory access")
            (assert_trap (module (table 1 funcref) (func) (elem (i32.const 1) 0)) "out of bounds table access")
            (invoke $Nope "f")
        "#);
        let lines: Vec<usize> = r.failures.iter().map(|f| f.line).collect();
        assert_eq!(lines, [5, 13, 18], "{}", r.render(100));
        assert_eq!(r.passed, 14);
        assert_eq!(r.skipped(), 0);
        assert!(r.failures[0].actual.contains("i32:7"));
    }

    #[test]
    fn execution_directives() {
        let r = run(r#"
            (module
              (func (export "id") (param externref) (result externref) (local.get 0))
              (func (export "null") (result funcref) (ref.null func))
              (func $f (export "fref") (result funcref) (ref.func $f))
              (func (export "nan") (result f32) (f32.const nan:0x600000))
              (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
              (func $loop (export "loop") (call $loop)))
            (assert_return (invoke "id" (ref.extern 5)) (ref.extern 5))
            (assert_return (invoke "id" (ref.null extern)) (ref.null extern))
            (assert_return (invoke "null") (ref.null func))
            (assert_return (invoke "fref") (ref.func))
            (assert_return (invoke "nan") (f32.const nan:arithmetic))
            (assert_return (invoke "div" (i32.const 1)) (either (i32.const 0) (i32.const 1)))
            (assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
            (assert_exhaustion (invoke "loop") "call stack exhausted")
            (invoke "div" (i32.const 1))
            (assert_return (invoke "id" (ref.extern 5)) (ref.extern 6))
            (assert_return (invoke "null") (ref.null extern))
            (assert_return (invoke "nan") (f32.const nan:canonical))
            (assert_return (invoke "div" (i32.const 1)) (either (i32.const 2) (i32.const 3)))
            (assert_trap (invoke "div" (i32.const 0)) "integer overflow")
            (assert_return (invoke "div" (i32.const 1)))
            (invoke "div" (i32.const 0))
        "#);
        let lines: Vec<usize> = r.failures.iter().map(|f| f.line).collect();
        assert_eq!(lines, (18..=24).collect::<Vec<_>>(), "{}", r.render(100));
        assert_eq!(r.passed, 10);
        assert_eq!(r.failures[4].actual, "trap \"integer divide by zero\"");
    }

    /// SIMD modules run (on the compiled tier here, which needs no interpreter support), and
    /// `v128` results compare lane by lane in whatever shape the script writes them.
    #[test]
    fn simd_modules_run() {
        let options = crate::Options {
            tier: flint_engine::Tier::Jit,
            ..crate::Options::default()
        };
        let r = run_source(
            "t.wast".into(),
            r#"
            (module (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)))
            (assert_return (invoke "v") (v128.const i32x4 1 2 3 4))
            (assert_return (invoke "v") (v128.const i64x2 0x2_0000_0001 0x4_0000_0003))
            (assert_return (invoke "v") (v128.const i32x4 1 2 3 5))
        "#,
            &options,
        );
        assert_eq!(r.passed, 3, "{}", r.render(100));
        assert_eq!(r.failures.len(), 1);
        assert_eq!(r.skipped(), 0);
    }

    #[test]
    fn skips_are_reported() {
        let r = run(r#"
            (module (func (export "f") (param externref)))
            (assert_exception (invoke "f" (ref.extern 1)))
            (thread $T (module) (invoke "x"))
            (wait $T)
        "#);
        assert_eq!(r.passed, 1);
        assert_eq!(r.skipped(), 5);
        assert_eq!(r.skips.len(), 3);
    }
}
