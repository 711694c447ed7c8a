//! No path reaches outside a preopened directory, whatever the function.

mod common;

use common::{Guest, Sandbox, ROOT_FD};
use flint_wasi::types::{oflags, rights, Filetype};
use flint_wasi::{Errno, WasiCtx};

const NOTCAP: Result<(), Errno> = Err(Errno::Notcapable);

#[test]
fn dotdot_and_absolute_paths() {
    let s = Sandbox::new("dotdot");
    let mut g = Guest::new(&s.root());
    for path in [
        "../secret",
        "sub/../../secret",
        "sub/../sub/../../secret",
        "/etc/passwd",
        "/",
        "..",
    ] {
        assert_eq!(g.open(path).err(), Some(Errno::Notcapable), "{path}");
        assert_eq!(
            g.filestat(path, true).err(),
            Some(Errno::Notcapable),
            "{path}"
        );
    }
    assert_eq!(g.create("../new").err(), Some(Errno::Notcapable));
    assert!(!s.top.join("new").exists());
    // Going up and back down without leaving is fine.
    let fd = g.open("sub/../file").unwrap();
    assert_eq!(g.read(fd, 5).unwrap(), b"hello");
    s.assert_secret_intact();
}

#[test]
fn symlinks_that_point_out() {
    let s = Sandbox::new("symlinks");
    s.symlink("abs", s.top.join("secret"));
    s.symlink("etc", "/etc");
    s.symlink("up", "../secret");
    s.symlink("upup", "../..");
    s.symlink("sub/climb", "../../secret");
    s.symlink("self", "self");
    s.symlink("ping", "pong");
    s.symlink("pong", "ping");
    let mut g = Guest::new(&s.root());
    for path in [
        "abs",
        "etc/passwd",
        "etc/",
        "up",
        "upup/secret",
        "sub/climb",
        "etc/../file",
    ] {
        assert_eq!(g.open(path).err(), Some(Errno::Notcapable), "open {path}");
        assert_eq!(
            g.filestat(path, true).err(),
            Some(Errno::Notcapable),
            "stat {path}"
        );
    }
    for path in ["self", "ping", "self/x"] {
        assert_eq!(g.open(path).err(), Some(Errno::Loop), "{path}");
    }
    // Without following, the links themselves are visible and harmless.
    let st = g.filestat("abs", false).unwrap();
    assert_eq!(st.filetype, Filetype::SymbolicLink);
    assert_eq!(g.readlink("etc").unwrap(), b"/etc");
    assert_eq!(
        g.open_with(ROOT_FD, false, "abs", 0, rights::ALL, 0).err(),
        Some(Errno::Loop)
    );
    // Writing through a link never reaches the target.
    let creat = oflags::CREAT | oflags::TRUNC;
    assert_eq!(
        g.open_with(ROOT_FD, true, "up", creat, rights::ALL, 0)
            .err(),
        Some(Errno::Notcapable)
    );
    assert_eq!(
        g.open_with(ROOT_FD, false, "up", creat, rights::ALL, 0)
            .err(),
        Some(Errno::Loop)
    );
    s.assert_secret_intact();
}

#[test]
fn times_through_links_stay_inside() {
    let s = Sandbox::new("times");
    s.symlink("up", "../secret");
    let before = std::fs::metadata(s.top.join("secret"))
        .unwrap()
        .modified()
        .unwrap();
    let mut g = Guest::new(&s.root());
    let p = g.put(b"up");
    let set = |g: &mut Guest, follow: u32| {
        common::ok(
            g.ctx
                .path_filestat_set_times(&mut g.mem, ROOT_FD, follow, p, 2, 0, 5, 4),
        )
    };
    assert_eq!(set(&mut g, 1), NOTCAP);
    // Not following sets the times of the link itself.
    assert_eq!(set(&mut g, 0), Ok(()));
    assert_eq!(g.filestat("up", false).unwrap().mtim, 5);
    let after = std::fs::metadata(s.top.join("secret"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn unlink_rename_and_link_act_on_links_not_targets() {
    let s = Sandbox::new("final-component");
    s.symlink("up", "../secret");
    s.symlink("etc", "/etc");
    let mut g = Guest::new(&s.root());
    // A hard link of a symlink is another symlink, not a link to the file outside.
    g.link("up", "copy").unwrap();
    assert_eq!(
        g.filestat("copy", false).unwrap().filetype,
        Filetype::SymbolicLink
    );
    assert_eq!(g.open("copy").err(), Some(Errno::Notcapable));
    g.rename("etc", "renamed").unwrap();
    assert_eq!(g.readlink("renamed").unwrap(), b"/etc");
    g.path_op(WasiCtx::path_unlink_file, "renamed").unwrap();
    g.path_op(WasiCtx::path_unlink_file, "up").unwrap();
    assert!(std::path::Path::new("/etc/passwd").exists());
    // Removing through an intermediate link that points out is refused.
    s.symlink("updir", "..");
    assert_eq!(g.path_op(WasiCtx::path_unlink_file, "updir/secret"), NOTCAP);
    assert_eq!(
        g.path_op(WasiCtx::path_remove_directory, "updir/root"),
        NOTCAP
    );
    s.assert_secret_intact();
}

#[test]
fn rename_and_link_targets_outside() {
    let s = Sandbox::new("targets");
    s.symlink("updir", "..");
    let mut g = Guest::new(&s.root());
    assert_eq!(g.rename("file", "../stolen"), NOTCAP);
    assert_eq!(g.rename("file", "updir/stolen"), NOTCAP);
    assert_eq!(g.rename("../secret", "mine"), NOTCAP);
    assert_eq!(g.rename("updir/secret", "mine"), NOTCAP);
    assert_eq!(g.link("file", "../stolen"), NOTCAP);
    assert_eq!(g.link("../secret", "mine"), NOTCAP);
    assert_eq!(g.link("updir/secret", "mine"), NOTCAP);
    assert_eq!(g.link("updir/", "mine"), NOTCAP);
    assert_eq!(g.symlink("x", "../evil"), NOTCAP);
    assert!(!s.top.join("stolen").exists() && !s.top.join("evil").exists());
    assert!(!s.root().join("mine").exists());
    s.assert_secret_intact();
}

#[test]
fn absolute_symlink_targets_are_refused() {
    let s = Sandbox::new("symlink-create");
    let mut g = Guest::new(&s.root());
    assert_eq!(g.symlink("/etc/passwd", "l"), NOTCAP);
    // A relative target that climbs out can be created, but never followed.
    g.symlink("../secret", "l").unwrap();
    assert_eq!(g.open("l").err(), Some(Errno::Notcapable));
}

#[test]
fn directory_operations_stay_inside() {
    let s = Sandbox::new("dirs");
    let mut g = Guest::new(&s.root());
    for path in ["../x", "..", "sub/../..", "/x"] {
        assert_eq!(
            g.path_op(WasiCtx::path_create_directory, path),
            NOTCAP,
            "{path}"
        );
        assert_eq!(
            g.path_op(WasiCtx::path_remove_directory, path),
            NOTCAP,
            "{path}"
        );
        assert_eq!(g.path_op(WasiCtx::path_unlink_file, path), NOTCAP, "{path}");
    }
    assert!(!s.top.join("x").exists());
    assert!(s.root().exists());
    // `.` and `..` that stay inside reach the kernel, which refuses to remove them.
    assert_eq!(
        g.path_op(WasiCtx::path_remove_directory, "sub/.."),
        Err(Errno::Notempty)
    );
    assert_eq!(
        g.path_op(WasiCtx::path_create_directory, "sub/."),
        Err(Errno::Exist)
    );
}

#[test]
fn a_directory_descriptor_is_its_own_sandbox() {
    let s = Sandbox::new("subdir");
    let mut g = Guest::new(&s.root());
    let sub = g
        .open_with(
            ROOT_FD,
            false,
            "sub",
            oflags::DIRECTORY,
            rights::DIRECTORY_BASE,
            0,
        )
        .unwrap();
    // `..` from `sub` is still inside the preopen, but above the descriptor used.
    assert_eq!(
        g.open_with(sub, false, "../file", 0, rights::ALL, 0).err(),
        Some(Errno::Notcapable)
    );
    g.open_with(sub, false, "new", oflags::CREAT, rights::ALL, 0)
        .unwrap();
    assert!(s.root().join("sub/new").exists());
}

#[test]
fn trailing_slashes() {
    let s = Sandbox::new("slashes");
    s.symlink("etc", "/etc");
    s.symlink("subl", "sub");
    let mut g = Guest::new(&s.root());
    assert_eq!(g.open("file/").err(), Some(Errno::Notdir));
    for dir in ["sub///", "subl/"] {
        assert!(
            g.open_with(ROOT_FD, false, dir, 0, rights::FD_READDIR, 0)
                .is_ok(),
            "{dir}"
        );
    }
    assert_eq!(g.filestat("etc/", false).err(), Some(Errno::Notcapable));
    assert_eq!(
        g.path_op(WasiCtx::path_unlink_file, "file/"),
        Err(Errno::Notdir)
    );
    assert_eq!(
        g.path_op(WasiCtx::path_unlink_file, "sub/"),
        Err(Errno::Isdir)
    );
    assert_eq!(
        g.path_op(WasiCtx::path_remove_directory, "etc/"),
        Err(Errno::Notdir)
    );
    assert_eq!(g.symlink("x", "dangling/"), Err(Errno::Noent));
    g.path_op(WasiCtx::path_create_directory, "made/").unwrap();
    g.rename("made/", "moved/").unwrap();
    g.path_op(WasiCtx::path_remove_directory, "moved/").unwrap();
    assert!(std::path::Path::new("/etc").is_dir());
}

#[test]
fn bad_paths() {
    let s = Sandbox::new("bad-paths");
    let mut g = Guest::new(&s.root());
    assert_eq!(g.open("").err(), Some(Errno::Noent));
    assert_eq!(g.open("file\0").err(), Some(Errno::Inval));
    let p = g.put(b"\xff\xfe");
    let out = g.reserve(4);
    let r = g
        .ctx
        .path_open(&mut g.mem, ROOT_FD, 0, p, 2, 0, 0, 0, 0, out);
    assert_eq!(r, Ok(Errno::Ilseq));
    // Pointers outside memory are `EFAULT`, never a panic.
    let r = g
        .ctx
        .path_open(&mut g.mem, ROOT_FD, 0, u32::MAX - 2, 8, 0, 0, 0, 0, out);
    assert_eq!(r, Ok(Errno::Fault));
    let p = g.put(b"file");
    let r = g
        .ctx
        .path_open(&mut g.mem, ROOT_FD, 0, p, 4, 0, 0, 0, 0, u32::MAX);
    assert_eq!(r, Ok(Errno::Fault));
}
