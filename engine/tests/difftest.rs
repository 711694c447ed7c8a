//! Differential test of the tiers: random valid modules from `wasm-smith` run on the
//! interpreter and on the compiled tier must behave alike — the same instantiation outcome,
//! the same results or trap kinds from every exported function, and the same exported memory
//! and globals afterwards. They run on the auto tier too, where each module's code arrives
//! from its background compilation at some point of the run, so that calls mix the tiers at
//! unpredictable points; whatever the mix, the outcome must be the same.
//!
//! Every module is instrumented with fuel (`ensure_termination`) so that it cannot loop
//! forever; NaNs are canonicalised by the generator (in `v128` lanes too) so that results
//! compare bit for bit.
//! Stack exhaustion is a resource limit that the tiers measure differently (frames against
//! native stack bytes), so a call that exhausts the stack on either tier ends the comparison
//! of its module.
//!
//! `FLINT_DIFFTEST_CASES` sets the number of modules (200 by default, a few seconds) and
//! `FLINT_DIFFTEST_SEED` the first seed; a mismatch names the seed of its module and writes
//! the module to the temporary directory.

use arbitrary::Unstructured;
use flint_engine::{
    Config, Engine, Error, Extern, Func, Instance, Linker, Module, Store, Tier, TrapKind, Val,
    ValType,
};

/// Fuel per module: loop iterations and calls it may make in all, across calls.
const FUEL: u32 = 10_000;
/// Bytes of randomness per module, which bound its size.
const ENTROPY: usize = 16 << 10;

/// SplitMix64: a seeded source of bytes, enough for a test that must be reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n.div_ceil(8))
            .flat_map(|_| self.next().to_le_bytes())
            .take(n)
            .collect()
    }

    /// Mostly interesting values: zero, small numbers, extremes; sometimes anything.
    fn int(&mut self) -> u64 {
        const SPECIAL: [u64; 8] = [0, 1, 2, u64::MAX, 0x8000_0000, 0x7fff_ffff, 1 << 63, 16];
        match self.next() % 4 {
            0 => SPECIAL[(self.next() % 8) as usize],
            1 => self.next() % 256,
            _ => self.next(),
        }
    }
}

fn smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        // Wasm 2.0: what Flint implements.
        simd_enabled: true,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        tail_call_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_descriptors_enabled: false,
        compact_imports_enabled: false,
        multi_value_enabled: true,
        reference_types_enabled: true,
        bulk_memory_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        max_memories: 1,
        max_tables: 2,
        max_imports: 0,
        min_funcs: 5,
        max_funcs: 20,
        max_memory32_bytes: 1 << 20,
        max_table_elements: 10_000,
        canonicalize_nans: true,
        export_everything: true,
        ..wasm_smith::Config::default()
    }
}

/// What a call did: its results, or the kind of its trap.
type Outcome = Result<Vec<Val>, TrapKind>;

/// Everything observable about one module on one tier.
#[derive(Debug, PartialEq)]
struct Run {
    instantiated: Result<(), String>,
    calls: Vec<(String, Outcome)>,
    /// Exported memories' sizes and content hashes, and exported globals' values, at the end.
    state: Vec<(String, (usize, u64), Vec<Val>)>,
    /// A call exhausted the stack, which ended the run early.
    exhausted: bool,
}

fn trap_kind(e: &Error) -> Result<TrapKind, String> {
    match e.as_trap() {
        Some(t) => Ok(t.kind().clone()),
        None => Err(e.to_string()),
    }
}

fn args_for(ty: &[ValType], rng: &mut Rng) -> Vec<Val> {
    ty.iter()
        .map(|t| match t {
            ValType::I32 => Val::I32(rng.int() as i32),
            ValType::I64 => Val::I64(rng.int() as i64),
            ValType::F32 => Val::F32(match rng.next() % 3 {
                0 => (rng.int() as i32 as f32).to_bits(),
                _ => rng.next() as u32,
            }),
            ValType::F64 => Val::F64(match rng.next() % 3 {
                0 => (rng.int() as i64 as f64).to_bits(),
                _ => rng.next(),
            }),
            ValType::V128 => Val::V128(u128::from(rng.int()) | u128::from(rng.int()) << 64),
            other => Val::default_for(*other),
        })
        .collect()
}

/// Runs `bytes` on `tier`, calling every exported function with arguments from `seed`.
fn run(bytes: &[u8], tier: Tier, seed: u64) -> Run {
    let engine = Engine::new(Config {
        tier,
        ..Config::default()
    });
    let module = Module::new(&engine, bytes.to_vec()).expect("wasm-smith modules are valid");
    let mut store = Store::new(&engine, ());
    let mut run = Run {
        instantiated: Ok(()),
        calls: Vec::new(),
        state: Vec::new(),
        exhausted: false,
    };
    let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => {
            let kind = trap_kind(&e);
            run.exhausted = kind == Ok(TrapKind::StackOverflow);
            run.instantiated = Err(match kind {
                Ok(kind) => format!("trap: {kind:?}"),
                Err(other) => other,
            });
            return run;
        }
    };
    let mut rng = Rng(seed);
    let funcs: Vec<(String, Func)> = exports(&store, instance)
        .into_iter()
        .filter_map(|(name, e)| match e {
            Extern::Func(f) => Some((name, f)),
            _ => None,
        })
        .collect();
    // Each function twice, the second time with the state the first call left.
    for (name, f) in funcs.iter().chain(&funcs) {
        let ty = f.ty(&store);
        let args = args_for(ty.params(), &mut rng);
        let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
        let outcome = match f.call(&mut store, &args, &mut results) {
            Ok(()) => Ok(results),
            Err(e) => Err(trap_kind(&e).unwrap_or_else(|msg| panic!("{name}: {msg}"))),
        };
        if outcome == Err(TrapKind::StackOverflow) {
            run.exhausted = true;
            return run;
        }
        run.calls.push((name.clone(), outcome));
    }
    run.state = state_of(&store, instance);
    run
}

/// The instance's exports, in name order (the same on both tiers).
fn exports(store: &Store<()>, instance: Instance) -> Vec<(String, Extern)> {
    let mut exports = instance.exports(store);
    exports.sort_by(|a, b| a.0.cmp(&b.0));
    exports
}

fn state_of(store: &Store<()>, instance: Instance) -> Vec<(String, (usize, u64), Vec<Val>)> {
    let mut state = Vec::new();
    for (name, e) in exports(store, instance) {
        match e {
            Extern::Memory(m) => {
                let data = m.data(store);
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash_slice(data, &mut h);
                let digest = (data.len(), std::hash::Hasher::finish(&h));
                state.push((name, digest, Vec::new()));
            }
            Extern::Global(g) => state.push((name, (0, 0), vec![g.get(store)])),
            _ => {}
        }
    }
    state
}

/// Whether two values are the same, NaNs counting as equal to NaNs of the same width (the
/// spec leaves their payloads open).
fn same_val(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::F32(x), Val::F32(y)) => {
            x == y || (f32::from_bits(*x).is_nan() && f32::from_bits(*y).is_nan())
        }
        (Val::F64(x), Val::F64(y)) => {
            x == y || (f64::from_bits(*x).is_nan() && f64::from_bits(*y).is_nan())
        }
        _ => a == b,
    }
}

fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_val(a, b)),
        _ => a == b,
    }
}

/// Compares the interpreter's run with another tier's; `None` if they agree (or a stack exhaustion makes them incomparable).
fn difference(interp: &Run, other: &Run, tier: &str) -> Option<String> {
    let exhausted = interp.exhausted || other.exhausted;
    if interp.instantiated != other.instantiated && !exhausted {
        return Some(format!(
            "instantiation: interp {:?}, {tier} {:?}",
            interp.instantiated, other.instantiated
        ));
    }
    for ((name, a), (_, b)) in interp.calls.iter().zip(&other.calls) {
        if !same_outcome(a, b) {
            return Some(format!("{name}: interp {a:?}, {tier} {b:?}"));
        }
    }
    if exhausted {
        return None;
    }
    if interp.calls.len() != other.calls.len() {
        return Some("a different number of calls".into());
    }
    for ((name, mem_a, globals_a), (_, mem_b, globals_b)) in interp.state.iter().zip(&other.state) {
        if mem_a != mem_b {
            return Some(format!("memory {name} differs on {tier}"));
        }
        if !globals_a.iter().zip(globals_b).all(|(a, b)| same_val(a, b)) {
            return Some(format!(
                "global {name}: interp {globals_a:?}, {tier} {globals_b:?}"
            ));
        }
    }
    None
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn interpreter_and_compiled_tier_agree() {
    let cases = env_u64("FLINT_DIFFTEST_CASES", 200);
    let first = env_u64("FLINT_DIFFTEST_SEED", 0x5eed);

    let (mut calls, mut traps, mut exhausted, mut unusable, mut failed_instantiations) =
        (0, 0, 0, 0, 0);
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for seed in first..first + cases {
        let entropy = Rng(seed).bytes(ENTROPY);
        let mut u = Unstructured::new(&entropy);
        // Half the modules avoid trapping instructions, so that more calls run to the end.
        let config = wasm_smith::Config {
            disallow_traps: seed % 2 == 1,
            ..smith_config()
        };
        let Ok(mut module) = wasm_smith::Module::new(config, &mut u) else {
            unusable += 1;
            continue;
        };
        if module.ensure_termination(FUEL).is_err() {
            unusable += 1;
            continue;
        }
        let bytes = module.to_bytes();
        let interp = run(&bytes, Tier::Interp, seed);
        let jit = run(&bytes, Tier::Jit, seed);
        let auto = run(&bytes, Tier::Auto, seed);
        calls += interp.calls.len();
        failed_instantiations += usize::from(interp.instantiated.is_err());
        for (_, o) in &interp.calls {
            if let Err(k) = o {
                *kinds.entry(format!("{k:?}")).or_default() += 1;
            }
        }
        traps += interp.calls.iter().filter(|(_, o)| o.is_err()).count();
        exhausted += usize::from(interp.exhausted || jit.exhausted || auto.exhausted);
        let diff = difference(&interp, &jit, "jit").or_else(|| difference(&interp, &auto, "auto"));
        if let Some(diff) = diff {
            let path = std::env::temp_dir().join(format!("flint-difftest-{seed}.wasm"));
            let _ = std::fs::write(&path, &bytes);
            failures.push(format!("seed {seed} ({}): {diff}", path.display()));
        }
    }
    eprintln!(
        "difftest: {cases} seeds from {first}: {} modules run ({failed_instantiations} failed to \
         instantiate), {calls} calls ({traps} trapped: {kinds:?}), {exhausted} ended by stack \
         exhaustion, {unusable} seeds gave no module",
        cases - unusable
    );
    assert!(
        failures.is_empty(),
        "tiers disagree:\n{}",
        failures.join("\n")
    );
}
