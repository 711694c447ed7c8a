//! Runs every script of the core spec test suite, one test per file, and fails unless no
//! directive failed.
//!
//! A small harness in libtest's style: `cargo test -p flint-spec-tests --test core -- FILTER`
//! runs the files whose test name (`core::<file stem>`) contains FILTER; `--skip PATTERN`,
//! `--exact`, `--list` and `--test-threads N` work as in libtest; other flags are ignored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use flint_spec_tests::{run_files, Options, Summary};

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

fn test_name(path: &Path) -> String {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    format!("core::{stem}")
}

fn main() -> ExitCode {
    let args = parse_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec-testsuite/core");
    let dir = dir.canonicalize().unwrap_or(dir);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "wast"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read the spec test suite at {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    files.retain(|p| args.selects(&test_name(p)));
    if args.list {
        for f in &files {
            println!("{}: test", test_name(f));
        }
        return ExitCode::SUCCESS;
    }
    let options = Options {
        jobs: args.jobs,
        ..Options::default()
    };
    println!("\nrunning {} tests", files.len());
    let reports = run_files(&files, &options, |r| {
        let status = if r.failed() == 0 { "ok" } else { "FAILED" };
        println!(
            "test {} ... {status} ({} passed, {} failed, {} skipped)",
            test_name(&r.path),
            r.passed,
            r.failed(),
            r.skipped()
        );
        print!("{}", r.skip_reasons());
    });
    let failing: Vec<_> = reports.iter().filter(|r| r.failed() > 0).collect();
    for r in &failing {
        println!("\n---- {} ----", test_name(&r.path));
        print!("{}", r.failure_details(options.max_failures_shown));
    }
    if !failing.is_empty() {
        println!("\nfailures:");
        for r in &failing {
            println!("    {}", test_name(&r.path));
        }
    }
    let summary = Summary::of(&reports);
    let result = if failing.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {result}. {} files, {} of them failing. Directives: {summary}\n",
        reports.len(),
        failing.len()
    );
    if failing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
