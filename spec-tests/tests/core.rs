//! Runs every script of the core spec test suite on every tier, one test per file and tier, and
//! fails unless no directive failed.
//!
//! A small harness in libtest's style: `cargo test -p flint-spec-tests --test core -- FILTER`
//! runs the tests whose name (`<tier>::<file stem>`, e.g. `jit::i32`) contains FILTER; `--skip PATTERN`,
//! `--exact`, `--list` and `--test-threads N` work as in libtest; other flags are ignored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use flint_engine::Tier;
use flint_spec_tests::{run_files, FileReport, Options, Summary};

struct Args {
    filters: Vec<String>,
    skips: Vec<String>,
    exact: bool,
    list: bool,
    jobs: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        filters: Vec::new(),
        skips: Vec::new(),
        exact: false,
        list: false,
        jobs: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        if let Some(n) = arg.strip_prefix("--test-threads=") {
            args.jobs = n.parse().unwrap_or(0);
        } else if let Some(s) = arg.strip_prefix("--skip=") {
            args.skips.push(s.to_string());
        } else {
            match arg.as_str() {
                "--test-threads" => args.jobs = it.next().and_then(|n| n.parse().ok()).unwrap_or(0),
                "--skip" => args.skips.extend(it.next()),
                "--exact" => args.exact = true,
                "--list" => args.list = true,
                flag if flag.starts_with('-') => {}
                filter => args.filters.push(filter.to_string()),
            }
        }
    }
    args
}

impl Args {
    fn selects(&self, name: &str) -> bool {
        let hit = |p: &String| {
            if self.exact {
                name == p
            } else {
                name.contains(p.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(hit)) && !self.skips.iter().any(hit)
    }
}

/// Every tier the suite runs on.
const TIERS: [Tier; 2] = [Tier::Interp, Tier::Jit];

fn tier_name(tier: Tier) -> String {
    format!("{tier:?}").to_lowercase()
}

/// `<tier>::<file stem>`, e.g. `jit::i32`.
fn test_name(tier: Tier, path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    format!("{}::{stem}", tier_name(tier))
}

fn main() -> ExitCode {
    let args = parse_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec-testsuite/core");
    let dir = dir.canonicalize().unwrap_or(dir);
    let mut all: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "wast"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read the spec test suite at {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    all.sort();
    let selected: Vec<(Tier, Vec<PathBuf>)> = TIERS
        .iter()
        .map(|&tier| {
            let files = all
                .iter()
                .filter(|p| args.selects(&test_name(tier, p)))
                .cloned()
                .collect();
            (tier, files)
        })
        .collect();
    if args.list {
        for (tier, files) in &selected {
            for f in files {
                println!("{}: test", test_name(*tier, f));
            }
        }
        return ExitCode::SUCCESS;
    }
    let total: usize = selected.iter().map(|(_, files)| files.len()).sum();
    println!("\nrunning {total} tests");
    let mut reports = Vec::new();
    for (tier, files) in &selected {
        let options = Options {
            tier: *tier,
            jobs: args.jobs,
            ..Options::default()
        };
        let done = run_files(files, &options, |r| {
            let status = if r.failed() == 0 { "ok" } else { "FAILED" };
            println!(
                "test {} ... {status} ({} passed, {} failed, {} skipped)",
                test_name(*tier, &r.path),
                r.passed,
                r.failed(),
                r.skipped()
            );
            print!("{}", r.skip_reasons());
        });
        reports.extend(done.into_iter().map(|r| (*tier, r)));
    }
    let failing: Vec<_> = reports.iter().filter(|(_, r)| r.failed() > 0).collect();
    let max_shown = Options::default().max_failures_shown;
    for (tier, r) in &failing {
        println!("\n---- {} ----", test_name(*tier, &r.path));
        print!("{}", r.failure_details(max_shown));
    }
    if !failing.is_empty() {
        println!("\nfailures:");
        for (tier, r) in &failing {
            println!("    {}", test_name(*tier, &r.path));
        }
    }
    let ok = failing.is_empty();
    let failing = failing.len();
    let reports: Vec<FileReport> = reports.into_iter().map(|(_, r)| r).collect();
    let summary = Summary::of(&reports);
    let result = if ok { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {result}. {} tests, {failing} of them failing. Directives: {summary}\n",
        reports.len(),
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
