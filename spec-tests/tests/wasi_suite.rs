//! The WASI preview1 testsuite, run on both of Flint's tiers with `flint-wasi`.

use flint_engine::Tier;
use flint_spec_tests::wasi_suite;

fn run(tier: Tier) {
    let suite = wasi_suite::default_suite_dir();
    println!("WASI testsuite on {tier:?}:");
    let summary = wasi_suite::run_suite(&suite, tier).expect("cannot read the testsuite");
    assert!(
        summary.passed + summary.failed > 0,
        "no tests in {}",
        suite.display()
    );
    assert_eq!(
        summary.failed, 0,
        "{} WASI tests failed on {tier:?}",
        summary.failed
    );
}

#[test]
fn wasi_testsuite_interp() {
    run(Tier::Interp);
}

#[test]
fn wasi_testsuite_jit() {
    run(Tier::Jit);
}
