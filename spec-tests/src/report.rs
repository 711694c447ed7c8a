//! What a run found, per file and in total, and how it is printed.

use std::fmt::Write as _;
use std::path::PathBuf;

/// A directive that did not do what the script expects.
#[derive(Debug, Clone)]
pub struct Failure {
    /// 1-based position of the directive in the file.
    pub line: usize,
    pub col: usize,
    /// The directive, e.g. `assert_return (invoke "add")`.
    pub directive: String,
    pub expected: String,
    pub actual: String,
}

/// Directives not run, with the reason: one entry per directive, or one for the rest of a file
/// after a module the engine does not support.
#[derive(Debug, Clone)]
pub struct Skip {
    pub line: usize,
    pub col: usize,
    /// How many directives this entry covers.
    pub count: usize,
    pub reason: String,
}

/// The outcome of one `.wast` file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub passed: usize,
    pub failures: Vec<Failure>,
    pub skips: Vec<Skip>,
    /// Set when the file could not be read or parsed at all; it then counts as one failure.
    pub error: Option<String>,
}

impl FileReport {
    pub(crate) fn new(path: PathBuf) -> Self {
        FileReport {
            path,
            passed: 0,
            failures: Vec::new(),
            skips: Vec::new(),
            error: None,
        }
    }

    pub fn failed(&self) -> usize {
        self.failures.len() + usize::from(self.error.is_some())
    }

    pub fn skipped(&self) -> usize {
        self.skips.iter().map(|s| s.count).sum()
    }

    /// The file name, for headings.
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// One line: `name: ok|FAILED (N passed, M failed, K skipped)`.
    pub fn status_line(&self) -> String {
        let status = if self.failed() == 0 { "ok" } else { "FAILED" };
        format!(
            "{}: {status} ({})",
            self.path.display(),
            counts(self.passed, self.failed(), self.skipped())
        )
    }

    /// The status line, [`FileReport::failure_details`] and [`FileReport::skip_reasons`].
    pub fn render(&self, max_failures: usize) -> String {
        format!(
            "{}\n{}{}",
            self.status_line(),
            self.failure_details(max_failures),
            self.skip_reasons()
        )
    }

    /// The file error and at most `max_failures` failures, indented; a failure takes three
    /// lines (where and what, expected, got).
    pub fn failure_details(&self, max_failures: usize) -> String {
        let mut out = String::new();
        let path = self.path.display();
        if let Some(err) = &self.error {
            let _ = writeln!(out, "  error: {err}");
        }
        for f in self.failures.iter().take(max_failures) {
            let _ = writeln!(
                out,
                "  {path}:{}:{}: {}\n      expected: {}\n      got:      {}",
                f.line, f.col, f.directive, f.expected, f.actual
            );
        }
        if self.failures.len() > max_failures {
            let _ = writeln!(
                out,
                "  ... and {} more failures",
                self.failures.len() - max_failures
            );
        }
        out
    }

    /// Every skip with its reason, one indented line each.
    pub fn skip_reasons(&self) -> String {
        let mut out = String::new();
        let path = self.path.display();
        for s in &self.skips {
            let what = if s.count == 1 {
                "skipped".to_string()
            } else {
                format!("skipped {} directives from here", s.count)
            };
            let _ = writeln!(out, "  {path}:{}:{}: {what}: {}", s.line, s.col, s.reason);
        }
        out
    }
}

/// Totals over several files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut s = Summary::default();
        for r in reports {
            s.passed += r.passed;
            s.failed += r.failed();
            s.skipped += r.skipped();
        }
        s
    }
}

impl std::fmt::Display for Summary {
    /// `N passed, M failed, K skipped`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&counts(self.passed, self.failed, self.skipped))
    }
}

fn counts(passed: usize, failed: usize, skipped: usize) -> String {
    format!("{passed} passed, {failed} failed, {skipped} skipped")
}

/// Maps byte offsets of a source text to 1-based line and column numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line + 1, offset - self.starts[line] + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index() {
        let idx = LineIndex::new("ab\ncd\n\nx");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(1), (1, 2));
        assert_eq!(idx.line_col(3), (2, 1));
        assert_eq!(idx.line_col(6), (3, 1));
        assert_eq!(idx.line_col(7), (4, 1));
    }

    #[test]
    fn render_counts_and_limits() {
        let mut r = FileReport::new("dir/x.wast".into());
        r.passed = 3;
        for i in 0..3 {
            r.failures.push(Failure {
                line: i + 1,
                col: 1,
                directive: "assert_return (invoke \"f\")".into(),
                expected: "(i32:1)".into(),
                actual: "(i32:0)".into(),
            });
        }
        r.skips.push(Skip {
            line: 9,
            col: 1,
            count: 4,
            reason: "unsupported feature: simd".into(),
        });
        assert_eq!(
            r.status_line(),
            "dir/x.wast: FAILED (3 passed, 3 failed, 4 skipped)"
        );
        let text = r.render(2);
        assert!(text.contains("dir/x.wast:2:1: assert_return (invoke \"f\")"));
        assert!(!text.contains("dir/x.wast:3:1"));
        assert!(text.contains("... and 1 more failures"));
        assert!(text.contains("dir/x.wast:9:1: skipped 4 directives from here: unsupported"));
        assert_eq!(
            Summary::of(&[r]).to_string(),
            "3 passed, 3 failed, 4 skipped"
        );
    }
}
