//! Timing whole processes: wall-clock time, the processor time the process used, which the
//! other work on a shared machine disturbs much less, and its page faults, which are most of a
//! restored Flint run's time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// One run of a process.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    /// From spawn to exit, as the user waits for it.
    pub wall: Duration,
    /// User plus system time of the process and of the children it waited for.
    pub cpu: Duration,
    /// Minor page faults of the process and of the children it waited for.
    pub faults: u64,
}

/// `cmd` (program and its first arguments) with `args` appended, run in `dir`, without the
/// `PYTHON*` variables of this environment: they change how CPython initialises (and which
/// snapshot `flint python` uses), and each contestant must start from the same settings.
pub fn command(cmd: &[String], args: &[&str], dir: &Path) -> Command {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]).args(args).current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("PYTHON") {
            c.env_remove(k);
        }
    }
    c
}

/// Processor time and minor page faults of every child this process has waited for so far.
fn children_usage() -> (Duration, u64) {
    // SAFETY: `getrusage` writes one `rusage` into the zeroed value it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        tv(usage.ru_utime) + tv(usage.ru_stime),
        usage.ru_minflt as u64,
    )
}

/// Runs `c` to its end with its output discarded; fails if it fails. The processor time and
/// the page faults are the growth of this process's children's totals, so runs must not
/// overlap.
pub fn time(mut c: Command) -> Result<Timed> {
    let what = format!("{c:?}");
    let (cpu_before, faults_before) = children_usage();
    let start = Instant::now();
    let out = c
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    let wall = start.elapsed();
    let (cpu_after, faults_after) = children_usage();
    let cpu = cpu_after.saturating_sub(cpu_before);
    let faults = faults_after.saturating_sub(faults_before);
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(Timed { wall, cpu, faults })
}
