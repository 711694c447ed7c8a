//! The WASI preview1 testsuite, run on Flint's engine with `flint-wasi`.

use flint_spec_tests::wasi_suite;

#[test]
fn wasi_testsuite() {
    let suite = wasi_suite::default_suite_dir();
    let summary = wasi_suite::run_suite(&suite).expect("cannot read the testsuite");
    assert!(summary.passed + summary.failed > 0, "no tests found in {}", suite.display());
    assert_eq!(summary.failed, 0, "{} WASI tests failed", summary.failed);
}
