//! Safe extraction of one directory of a `.tar.gz` package.
//!
//! Packages come from public registries, so the archive is untrusted: every
//! entry path must stay inside the destination, and links may only point
//! downwards, which keeps every path that goes through a link inside too.

use anyhow::{bail, Context, Result};
use flate2::read::GzDecoder;
use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Component, Path, PathBuf};
use tar::EntryType;

/// Which part of the archive to extract.
pub(crate) struct Selection<'a> {
    /// Archive directory whose contents are extracted into the destination.
    pub keep: &'a str,
    /// Directory names skipped together with everything below them.
    pub skip_dirs: &'a [&'a str],
}

/// What an extraction wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Unpacked {
    pub files: u64,
    pub bytes: u64,
    /// Entries left out because they are under a skipped directory.
    pub skipped: u64,
}

/// Extracts the selected directory of `archive` into `dest`.
///
/// Refuses the whole archive if any entry (kept or not) is absolute, climbs
/// with `..`, or is a link that could lead outside `dest`: such an archive
/// is not a registry package we expect, so nothing of it is trusted.
pub(crate) fn unpack_tar_gz(
    archive: &Path,
    dest: &Path,
    selection: &Selection,
) -> Result<Unpacked> {
    let file = File::open(archive).with_context(|| format!("cannot open {}", archive.display()))?;
    let mut tar = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
    let keep = safe_relative(Path::new(selection.keep))?;
    fs::create_dir_all(dest).with_context(|| format!("cannot create {}", dest.display()))?;

    let mut stats = Unpacked::default();
    let mut found = false;
    let entries = tar
        .entries()
        .with_context(|| format!("cannot read {}", archive.display()))?;
    for entry in entries {
        let mut entry = entry.with_context(|| format!("corrupt archive {}", archive.display()))?;
        let raw = entry
            .path()
            .with_context(|| format!("bad entry name in {}", archive.display()))?
            .into_owned();
        let refuse = || format!("{}: refusing entry {}", archive.display(), raw.display());
        let path = safe_relative(&raw).with_context(refuse)?;
        let kind = classify(&entry).with_context(refuse)?;

        let Ok(rel) = path.strip_prefix(&keep) else {
            continue;
        };
        found = true;
        if rel.as_os_str().is_empty() {
            continue;
        }
        if rel
            .iter()
            .any(|c| selection.skip_dirs.iter().any(|s| c == *s))
        {
            stats.skipped += 1;
            continue;
        }
        let target = dest.join(rel);
        let failed = || format!("{}: cannot extract {}", archive.display(), raw.display());
        match kind {
            Kind::Directory => fs::create_dir_all(&target).with_context(failed)?,
            Kind::File => {
                create_parent(&target).with_context(failed)?;
                entry.unpack(&target).with_context(failed)?;
                stats.files += 1;
                stats.bytes += entry.size();
            }
            Kind::Symlink(link) => {
                create_parent(&target).with_context(failed)?;
                std::os::unix::fs::symlink(&link, &target).with_context(failed)?;
            }
            Kind::HardLink(link) => {
                // Hard link targets are archive paths, so they must lie in
                // the kept directory to exist in the destination.
                let Ok(original) = link.strip_prefix(&keep) else {
                    bail!(
                        "{}: hard link to {} leaves {}/",
                        refuse(),
                        link.display(),
                        selection.keep
                    );
                };
                create_parent(&target).with_context(failed)?;
                fs::hard_link(dest.join(original), &target).with_context(failed)?;
            }
            Kind::Metadata => {}
        }
    }
    if !found {
        bail!("{} has no {}/ directory", archive.display(), selection.keep);
    }
    Ok(stats)
}

/// What an archive entry becomes, with link targets already checked.
enum Kind {
    Directory,
    File,
    Symlink(PathBuf),
    HardLink(PathBuf),
    /// Records (pax headers, GNU long names) that carry no file of their own.
    Metadata,
}

fn classify<R: std::io::Read>(entry: &tar::Entry<R>) -> Result<Kind> {
    let link = || -> Result<PathBuf> {
        match entry.link_name().context("bad link target")? {
            Some(link) if !link.as_os_str().is_empty() => Ok(link.into_owned()),
            _ => bail!("link has an empty target"),
        }
    };
    Ok(match entry.header().entry_type() {
        EntryType::Directory => Kind::Directory,
        EntryType::Regular | EntryType::Continuous => Kind::File,
        // A symlink may only name a path below its own directory: with no
        // `..` and no absolute targets, no chain of links can climb out.
        EntryType::Symlink => {
            let target = link()?;
            safe_relative(&target).context("symlink points outside the destination")?;
            Kind::Symlink(target)
        }
        EntryType::Link => Kind::HardLink(safe_relative(&link()?)?),
        EntryType::XGlobalHeader
        | EntryType::XHeader
        | EntryType::GNULongName
        | EntryType::GNULongLink => Kind::Metadata,
        other => bail!("unsupported entry type {other:?}"),
    })
}

/// Normalizes an archive path, refusing anything that is not a plain
/// downward relative path.
fn safe_relative(path: &Path) -> Result<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => bail!("path {} contains '..'", path.display()),
            Component::RootDir | Component::Prefix(_) => {
                bail!("path {} is absolute", path.display())
            }
        }
    }
    Ok(out)
}

fn create_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use tar::{Builder, Header};

    /// One archive member, written with raw header bytes so that tests can
    /// produce the malicious names that `tar::Builder` refuses to write.
    pub(crate) enum Member<'a> {
        File(&'a str, &'a [u8]),
        Dir(&'a str),
        Symlink(&'a str, &'a str),
        HardLink(&'a str, &'a str),
    }

    pub(crate) fn write_tar_gz(path: &Path, members: &[Member]) {
        let file = File::create(path).unwrap();
        let mut builder = Builder::new(GzEncoder::new(file, Compression::fast()));
        for member in members {
            let (name, kind, link, data): (&str, EntryType, &str, &[u8]) = match member {
                Member::File(name, data) => (name, EntryType::Regular, "", data),
                Member::Dir(name) => (name, EntryType::Directory, "", b""),
                Member::Symlink(name, to) => (name, EntryType::Symlink, to, b""),
                Member::HardLink(name, to) => (name, EntryType::Link, to, b""),
            };
            let mut header = Header::new_old();
            header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
            header.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
            header.set_entry_type(kind);
            header.set_mode(if kind == EntryType::Directory {
                0o755
            } else {
                0o644
            });
            header.set_size(data.len() as u64);
            header.set_mtime(1_700_000_000);
            header.set_cksum();
            builder.append(&header, data).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap();
    }

    fn unpack(members: &[Member], keep: &str) -> (tempfile::TempDir, Result<Unpacked>) {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("pkg.tar.gz");
        write_tar_gz(&archive, members);
        let selection = Selection {
            keep,
            skip_dirs: &["__pycache__"],
        };
        let result = unpack_tar_gz(&archive, &dir.path().join("out"), &selection);
        (dir, result)
    }

    fn nothing_escaped(dir: &tempfile::TempDir) {
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn extracts_only_the_kept_directory() {
        let (dir, result) = unpack(
            &[
                Member::File("pkg/setup.py", b"ignored"),
                Member::Dir("pkg/tree/"),
                Member::File("pkg/tree/bin/python.wasm", b"\0asm"),
                Member::File("./pkg/tree/lib/os.py", b"import sys\n"),
                Member::File("pkg/tree/lib/__pycache__/os.cpython-311.pyc", b"stale"),
            ],
            "pkg/tree",
        );
        let stats = result.unwrap();
        assert_eq!(
            stats,
            Unpacked {
                files: 2,
                bytes: 15,
                skipped: 1
            }
        );
        let out = dir.path().join("out");
        assert_eq!(fs::read(out.join("bin/python.wasm")).unwrap(), b"\0asm");
        assert_eq!(fs::read(out.join("lib/os.py")).unwrap(), b"import sys\n");
        assert!(!out.join("lib/__pycache__").exists());
        assert!(!out.join("setup.py").exists());
    }

    #[test]
    fn refuses_parent_dir_entries_even_outside_the_kept_directory() {
        let (dir, result) = unpack(
            &[
                Member::File("pkg/ok", b"x"),
                Member::File("pkg/../../evil", b"x"),
            ],
            "pkg",
        );
        let err = format!("{:#}", result.unwrap_err());
        assert!(
            err.contains("refusing entry") && err.contains(".."),
            "{err}"
        );
        nothing_escaped(&dir);
    }

    #[test]
    fn refuses_absolute_entries() {
        let (_dir, result) = unpack(&[Member::File("/tmp/evil", b"x")], "tmp");
        let err = format!("{:#}", result.unwrap_err());
        assert!(err.contains("absolute"), "{err}");
    }

    #[test]
    fn refuses_symlinks_that_climb_or_are_absolute() {
        for target in ["../evil", "/etc", "sub/../../evil", ""] {
            let (dir, result) = unpack(&[Member::Symlink("pkg/link", target)], "pkg");
            assert!(result.is_err(), "symlink to {target:?} was accepted");
            nothing_escaped(&dir);
        }
    }

    #[test]
    fn refuses_writing_through_a_symlink_that_points_out() {
        let (dir, result) = unpack(
            &[
                Member::Symlink("pkg/up", ".."),
                Member::File("pkg/up/evil", b"x"),
            ],
            "pkg",
        );
        assert!(result.is_err());
        nothing_escaped(&dir);
    }

    #[test]
    fn keeps_symlinks_that_point_inside() {
        let (dir, result) = unpack(
            &[
                Member::File("pkg/lib/real.py", b"x"),
                Member::Symlink("pkg/link.py", "lib/real.py"),
            ],
            "pkg",
        );
        result.unwrap();
        assert_eq!(fs::read(dir.path().join("out/link.py")).unwrap(), b"x");
    }

    #[test]
    fn hard_links_must_stay_in_the_kept_directory() {
        let (dir, result) = unpack(
            &[
                Member::File("pkg/a", b"x"),
                Member::HardLink("pkg/b", "pkg/a"),
            ],
            "pkg",
        );
        result.unwrap();
        assert_eq!(fs::read(dir.path().join("out/b")).unwrap(), b"x");

        let (_dir, result) = unpack(
            &[
                Member::File("other/a", b"x"),
                Member::HardLink("pkg/b", "other/a"),
            ],
            "pkg",
        );
        assert!(result.is_err());
        let (_dir, result) = unpack(&[Member::HardLink("pkg/b", "../../etc/passwd")], "pkg");
        assert!(result.is_err());
    }

    #[test]
    fn missing_kept_directory_is_an_error() {
        let (_dir, result) = unpack(&[Member::File("other/a", b"x")], "pkg");
        let err = result.unwrap_err().to_string();
        assert!(err.contains("no pkg/ directory"), "{err}");
    }

    #[test]
    fn corrupt_archives_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("broken.tgz");
        fs::write(&archive, b"not gzip at all").unwrap();
        let selection = Selection {
            keep: "package",
            skip_dirs: &[],
        };
        let err = unpack_tar_gz(&archive, &dir.path().join("out"), &selection).unwrap_err();
        assert!(format!("{err:#}").contains("broken.tgz"), "{err:#}");
    }
}
