//! Guest path resolution, confined to the directory a descriptor names.
//!
//! Every lookup goes through `openat2(2)` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`,
//! relative to the guest's directory descriptor: the kernel refuses absolute paths, `..` above
//! that directory and symlinks (absolute, or relative ones that climb out) that would leave it,
//! and does so atomically, without races against concurrent renames. Operations that must not
//! follow their final component (unlink, rename, link, symlink, mkdir, rmdir) resolve only the
//! parent directory that way and then act on the parent descriptor plus the final name, which
//! the kernel never follows for those calls.

use std::ffi::{CStr, CString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use crate::errno::Errno;
use crate::sys;

/// The resolution flags of every guest lookup.
const RESOLVE: u64 = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;

/// Rejects what never names a file below a directory: the empty path and absolute paths.
fn check(path: &str) -> Result<(), Errno> {
    if path.is_empty() {
        Err(Errno::Noent)
    } else if path.starts_with('/') {
        Err(Errno::Notcapable)
    } else {
        Ok(())
    }
}

/// A resolution that would leave the directory fails with `EXDEV`: report it as a capability
/// violation.
fn escape(e: Errno) -> Errno {
    match e {
        Errno::Xdev => Errno::Notcapable,
        e => e,
    }
}

/// Opens guest `path` below `dir` with `open(2)` flags `flags` (`O_CLOEXEC` is added). Symlinks
/// are followed, the final one too unless `flags` has `O_NOFOLLOW`, but never out of `dir`.
pub(crate) fn open(
    dir: BorrowedFd<'_>,
    path: &str,
    flags: libc::c_int,
    mode: libc::mode_t,
) -> Result<OwnedFd, Errno> {
    check(path)?;
    sys::openat2(
        dir,
        &sys::cstr(path)?,
        flags | libc::O_CLOEXEC,
        mode,
        RESOLVE,
    )
    .map_err(escape)
}

/// An `O_PATH` handle on guest `path` below `dir`, following the final symlink or not.
pub(crate) fn open_path(dir: BorrowedFd<'_>, path: &str, follow: bool) -> Result<OwnedFd, Errno> {
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    open(dir, path, libc::O_PATH | nofollow, 0)
}

/// A guest path split into the directory that holds its final component and that component.
pub(crate) struct Split<'a> {
    /// The parent directory, when it is not `dir` itself.
    parent: Option<OwnedFd>,
    dir: BorrowedFd<'a>,
    /// The final component, with one `/` kept when the guest path ended in slashes so that the
    /// kernel applies its trailing-slash rules (the name must then be a directory).
    name: CString,
}

impl Split<'_> {
    pub(crate) fn dir(&self) -> BorrowedFd<'_> {
        match &self.parent {
            Some(fd) => fd.as_fd(),
            None => self.dir,
        }
    }

    pub(crate) fn name(&self) -> &CStr {
        &self.name
    }

    /// Whether the guest path ended in a slash.
    pub(crate) fn trailing_slash(&self) -> bool {
        self.name.as_bytes().ends_with(b"/")
    }
}

/// Splits guest `path` below `dir` for an operation on its final component itself.
pub(crate) fn split<'a>(dir: BorrowedFd<'a>, path: &str) -> Result<Split<'a>, Errno> {
    check(path)?;
    let trimmed = path.trim_end_matches('/');
    let slash = trimmed.len() != path.len();
    let (parent, last) = match trimmed.rfind('/') {
        Some(i) => (Some(&trimmed[..i]), &trimmed[i + 1..]),
        None => (None, trimmed),
    };
    let parent = match parent {
        Some(p) => Some(open(dir, p, libc::O_PATH | libc::O_DIRECTORY, 0)?),
        None => None,
    };
    if last == "." || last == ".." {
        // The kernel refuses to unlink, rename, link or create `.` and `..`, but the directory
        // they name must still lie below `dir`.
        open(dir, trimmed, libc::O_PATH | libc::O_DIRECTORY, 0)?;
    }
    let name = if slash {
        format!("{last}/")
    } else {
        last.to_string()
    };
    Ok(Split {
        parent,
        dir,
        name: sys::cstr(&name)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// A scratch directory `root` inside a parent that also holds a file `secret`.
    struct Scratch {
        top: std::path::PathBuf,
        root: fs::File,
    }

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let top = std::env::temp_dir()
                .join(format!("flint-wasi-sandbox-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&top);
            fs::create_dir_all(top.join("root/sub/deeper")).unwrap();
            fs::write(top.join("secret"), b"outside").unwrap();
            fs::write(top.join("root/inside"), b"inside").unwrap();
            let root = fs::File::open(top.join("root")).unwrap();
            Scratch { top, root }
        }

        fn dir(&self) -> BorrowedFd<'_> {
            self.root.as_fd()
        }

        fn link(&self, at: &str, target: &str) {
            symlink(target, self.top.join("root").join(at)).unwrap();
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.top);
        }
    }

    fn open_err(s: &Scratch, path: &str) -> Errno {
        open(s.dir(), path, libc::O_RDONLY, 0).expect_err(path)
    }

    #[test]
    fn dotdot_and_absolute_paths_are_refused() {
        let s = Scratch::new("dotdot");
        assert_eq!(open_err(&s, "../secret"), Errno::Notcapable);
        assert_eq!(open_err(&s, "sub/../../secret"), Errno::Notcapable);
        assert_eq!(
            open_err(&s, "sub/deeper/../../../secret"),
            Errno::Notcapable
        );
        assert_eq!(open_err(&s, ".."), Errno::Notcapable);
        assert_eq!(open_err(&s, "/etc/passwd"), Errno::Notcapable);
        assert_eq!(open_err(&s, "/"), Errno::Notcapable);
        assert_eq!(open_err(&s, ""), Errno::Noent);
        // Climbing and coming back down stays inside.
        assert!(open(s.dir(), "sub/deeper/../../inside", libc::O_RDONLY, 0).is_ok());
        assert!(open(s.dir(), "sub/./deeper/.././../inside", libc::O_RDONLY, 0).is_ok());
    }

    #[test]
    fn symlinks_out_are_refused() {
        let s = Scratch::new("symlinks");
        s.link("abs", "/etc/passwd");
        s.link("absdir", "/etc");
        s.link("up", "../secret");
        s.link("upup", "../..");
        s.link("sub/deeper/climb", "../../../secret");
        s.link("loop", "loop");
        s.link("loop_a", "loop_b");
        s.link("loop_b", "loop_a");
        s.link("ok", "sub/../inside");
        for path in [
            "abs",
            "absdir/passwd",
            "up",
            "upup/etc/passwd",
            "sub/deeper/climb",
        ] {
            assert_eq!(open_err(&s, path), Errno::Notcapable, "{path}");
        }
        // Intermediate components are checked as well.
        assert_eq!(open_err(&s, "absdir/hostname"), Errno::Notcapable);
        assert_eq!(open_err(&s, "upup/secret"), Errno::Notcapable);
        assert_eq!(open_err(&s, "loop"), Errno::Loop);
        assert_eq!(open_err(&s, "loop_a"), Errno::Loop);
        assert_eq!(open_err(&s, "loop/x"), Errno::Loop);
        assert!(open(s.dir(), "ok", libc::O_RDONLY, 0).is_ok());
        // Not following the final symlink gives `ELOOP`, never the target.
        let nofollow = libc::O_RDONLY | libc::O_NOFOLLOW;
        assert_eq!(open(s.dir(), "abs", nofollow, 0).err(), Some(Errno::Loop));
        // An `O_PATH` handle on the link itself is fine: it reaches nothing outside.
        let fd = open_path(s.dir(), "abs", false).unwrap();
        let st = sys::fstat(fd.as_fd()).unwrap();
        assert_eq!(st.st_mode & libc::S_IFMT, libc::S_IFLNK);
        assert_eq!(
            open_path(s.dir(), "abs", true).err(),
            Some(Errno::Notcapable)
        );
        // A trailing slash forces the final symlink to be followed: still confined.
        assert_eq!(
            open_path(s.dir(), "absdir/", false).err(),
            Some(Errno::Notcapable)
        );
    }

    #[test]
    fn split_checks_the_parent() {
        let s = Scratch::new("split");
        s.link("absdir", "/etc");
        s.link("updir", "..");
        let err = |p: &str| split(s.dir(), p).err();
        assert_eq!(err("../secret"), Some(Errno::Notcapable));
        assert_eq!(err("absdir/passwd"), Some(Errno::Notcapable));
        assert_eq!(err("updir/secret"), Some(Errno::Notcapable));
        assert_eq!(err(".."), Some(Errno::Notcapable));
        assert_eq!(err("sub/../.."), Some(Errno::Notcapable));
        assert_eq!(err("/secret"), Some(Errno::Notcapable));
        let sp = split(s.dir(), "sub/deeper//").unwrap();
        assert_eq!(sp.name().to_bytes(), b"deeper/");
        assert!(sp.trailing_slash());
        let sp = split(s.dir(), "sub/x").unwrap();
        assert_eq!(sp.name().to_bytes(), b"x");
        // The final component is never followed by unlink: removing the link `absdir` removes
        // the link, not `/etc`.
        let sp = split(s.dir(), "absdir").unwrap();
        sys::unlinkat(sp.dir(), sp.name(), 0).unwrap();
        assert!(std::path::Path::new("/etc").exists());
    }
}
