//! The WASI functions, called directly on a [`WasiCtx`] with a fake guest memory.

mod common;

use std::os::unix::net::UnixStream;

use common::{ok, Guest, Sandbox, ROOT_FD};
use flint_wasi::types::{clockid, eventtype, fdflags, oflags, rights, whence, Filetype};
use flint_wasi::{Errno, FdKind, Stdio, WasiCtx, WasiExit};

#[test]
fn args_and_environment() {
    let s = Sandbox::new("args");
    let mut g = Guest::with(&s.root(), |b| {
        b.arg("one").env("A", "1").env("B", "x=y");
    });
    let (n, size) = (g.reserve(4), g.reserve(4));
    ok(g.ctx.args_sizes_get(&mut g.mem, n, size)).unwrap();
    assert_eq!((g.u32_at(n), g.u32_at(size)), (2, 9));
    let (ptrs, buf) = (g.reserve(8), g.reserve(9));
    ok(g.ctx.args_get(&mut g.mem, ptrs, buf)).unwrap();
    assert_eq!(g.bytes_at(buf, 9), b"prog\0one\0");
    assert_eq!(g.u32_at(ptrs + 4), buf + 5);
    ok(g.ctx.environ_sizes_get(&mut g.mem, n, size)).unwrap();
    assert_eq!((g.u32_at(n), g.u32_at(size)), (2, 10));
    ok(g.ctx.environ_get(&mut g.mem, ptrs, buf)).unwrap();
    assert_eq!(g.bytes_at(buf, 10), b"A=1\0B=x=y\0");
    assert_eq!(
        g.ctx.args_get(&mut g.mem, ptrs, u32::MAX - 3),
        Ok(Errno::Fault)
    );
}

#[test]
fn stdio_pipes() {
    let s = Sandbox::new("stdio");
    let mut g = Guest::new(&s.root());
    assert_eq!(g.read(0, 100).unwrap(), b"input");
    assert_eq!(g.read(0, 100).unwrap(), b"");
    assert_eq!(g.write(1, b"out").unwrap(), 3);
    assert_eq!(g.stdout.contents(), b"out");
    assert_eq!(g.write(0, b"x").err(), Some(Errno::Notcapable));
    assert_eq!(g.seek(1, 0, whence::SET).err(), Some(Errno::Notcapable));
    let (ty, _, base, _) = g.fdstat(1).unwrap();
    assert_eq!(ty, Filetype::Unknown as u8);
    assert_eq!(base & (rights::FD_SEEK | rights::FD_TELL), 0);
    assert_eq!(g.write(42, b"x").err(), Some(Errno::Badf));
}

#[test]
fn stdio_to_a_file() {
    let s = Sandbox::new("stdio-file");
    let path = s.top.join("out.txt");
    let file = std::fs::File::create(&path).unwrap();
    let mut g = Guest::with(&s.root(), |b| {
        b.stdout(Stdio::File(file));
    });
    g.write(1, b"to ").unwrap();
    g.write(1, b"file").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"to file");
}

#[test]
fn read_write_seek_tell() {
    let s = Sandbox::new("rw");
    let mut g = Guest::new(&s.root());
    let fd = g.open("file").unwrap();
    assert_eq!(g.read(fd, 5).unwrap(), b"hello");
    assert_eq!(g.seek(fd, 0, whence::CUR).unwrap(), 5);
    assert_eq!(g.seek(fd, -5, whence::END).unwrap(), 6);
    assert_eq!(g.read(fd, 100).unwrap(), b"world");
    assert_eq!(g.seek(fd, -100, whence::CUR).err(), Some(Errno::Inval));
    g.seek(fd, 6, whence::SET).unwrap();
    g.write(fd, b"WORLD!").unwrap();
    let out = g.reserve(8);
    ok(g.ctx.fd_tell(&mut g.mem, fd, out)).unwrap();
    assert_eq!(g.u64_at(out), 12);
    assert_eq!(
        std::fs::read(s.root().join("file")).unwrap(),
        b"hello WORLD!"
    );
    // The offset is plain data in the table.
    assert_eq!(g.ctx.fds().get(fd).unwrap().offset, 12);

    // pread/pwrite leave the offset alone.
    let buf = g.reserve(5);
    let iov = g.put(&[buf.to_le_bytes(), 5u32.to_le_bytes()].concat());
    let n = g.reserve(4);
    ok(g.ctx.fd_pread(&mut g.mem, fd, iov, 1, 6, n)).unwrap();
    assert_eq!(g.bytes_at(buf, 5), b"WORLD");
    ok(g.ctx.fd_pwrite(&mut g.mem, fd, iov, 1, 0, n)).unwrap();
    assert_eq!(g.ctx.fds().get(fd).unwrap().offset, 12);
    assert_eq!(
        std::fs::read(s.root().join("file")).unwrap(),
        b"WORLD WORLD!"
    );

    // An iovec outside memory is `EFAULT`.
    let bad = g.put(&[(u32::MAX - 2).to_le_bytes(), 8u32.to_le_bytes()].concat());
    assert_eq!(g.ctx.fd_read(&mut g.mem, fd, bad, 1, n), Ok(Errno::Fault));
    assert_eq!(g.ctx.fd_write(&mut g.mem, fd, bad, 1, n), Ok(Errno::Fault));
    assert_eq!(
        g.ctx.fd_write(&mut g.mem, fd, iov, u32::MAX, n),
        Ok(Errno::Fault)
    );
}

/// A read or write of a regular file moves the whole request, however large, as the host's
/// own does: Python reads a file's size in one `os.read` and takes a short count for EOF.
#[test]
fn large_reads_and_writes_are_whole() {
    const LEN: usize = (64 << 20) + 3;
    let s = Sandbox::new("large-io");
    let data: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
    std::fs::write(s.root().join("big"), &data).unwrap();
    let mut g = Guest::new(&s.root());
    g.mem.resize(3 * LEN + (2 << 20), 0);
    let fd = g.open("big").unwrap();
    assert!(g.read(fd, LEN as u32 + 10).unwrap() == data);

    let buf = g.reserve(LEN as u32);
    let iov = g.put(&[buf.to_le_bytes(), (LEN as u32).to_le_bytes()].concat());
    let n = g.reserve(4);
    ok(g.ctx.fd_pread(&mut g.mem, fd, iov, 1, 0, n)).unwrap();
    assert_eq!(g.u32_at(n), LEN as u32);
    ok(g.ctx.fd_pwrite(&mut g.mem, fd, iov, 1, LEN as u64, n)).unwrap();
    assert_eq!(g.u32_at(n), LEN as u32);

    let copy = g.create("copy").unwrap();
    assert_eq!(g.write(copy, &data[..]).unwrap(), LEN as u32);
    assert!(std::fs::read(s.root().join("copy")).unwrap() == data);
}

#[test]
fn append_and_flags() {
    let s = Sandbox::new("append");
    let mut g = Guest::new(&s.root());
    let fd = g
        .open_with(ROOT_FD, false, "file", 0, rights::ALL, fdflags::APPEND)
        .unwrap();
    g.write(fd, b"!").unwrap();
    assert_eq!(g.ctx.fds().get(fd).unwrap().offset, 12);
    assert_eq!(g.fdstat(fd).unwrap().1, fdflags::APPEND);
    ok(g.ctx.fd_fdstat_set_flags(&mut g.mem, fd, 0)).unwrap();
    g.seek(fd, 0, whence::SET).unwrap();
    g.write(fd, b"J").unwrap();
    assert_eq!(
        std::fs::read(s.root().join("file")).unwrap(),
        b"Jello world!"
    );
    let sync = u32::from(fdflags::SYNC);
    assert_eq!(
        g.ctx.fd_fdstat_set_flags(&mut g.mem, fd, sync),
        Ok(Errno::Notsup)
    );
    assert_eq!(
        g.ctx.fd_fdstat_set_flags(&mut g.mem, fd, 1 << 9),
        Ok(Errno::Inval)
    );
}

#[test]
fn rights_only_shrink() {
    let s = Sandbox::new("rights");
    let mut g = Guest::new(&s.root());
    let fd = g
        .open_with(ROOT_FD, false, "file", 0, rights::FD_READ, 0)
        .unwrap();
    let (ty, _, base, inheriting) = g.fdstat(fd).unwrap();
    assert_eq!(
        (ty, base, inheriting),
        (Filetype::RegularFile as u8, rights::FD_READ, 0)
    );
    assert_eq!(g.write(fd, b"x").err(), Some(Errno::Notcapable));
    assert_eq!(
        g.ctx.fd_fdstat_set_rights(&mut g.mem, fd, rights::ALL, 0),
        Ok(Errno::Notcapable)
    );
    ok(g.ctx.fd_fdstat_set_rights(&mut g.mem, fd, 0, 0)).unwrap();
    assert_eq!(g.read(fd, 1).err(), Some(Errno::Notcapable));

    // A directory without `path_open` opens nothing.
    let base = rights::DIRECTORY_BASE & !rights::PATH_OPEN;
    let inheriting = rights::DIRECTORY_INHERITING;
    ok(g.ctx
        .fd_fdstat_set_rights(&mut g.mem, ROOT_FD, base, inheriting))
    .unwrap();
    assert_eq!(g.open("file").err(), Some(Errno::Notcapable));
    // A file is not a directory to open things in.
    let file = g.put(b"file");
    let out = g.reserve(4);
    let r = g.ctx.path_open(&mut g.mem, fd, 0, file, 4, 0, 0, 0, 0, out);
    assert_eq!(r, Ok(Errno::Notdir));
}

#[test]
fn directories_and_readdir() {
    let s = Sandbox::new("readdir");
    let mut g = Guest::new(&s.root());
    let dir = g.open_with(ROOT_FD, false, "sub", oflags::DIRECTORY, rights::ALL, 0);
    assert_eq!(
        dir.err(),
        Some(Errno::Isdir),
        "a directory opened for writing"
    );
    let dir = g
        .open_with(
            ROOT_FD,
            false,
            "sub",
            oflags::DIRECTORY,
            rights::DIRECTORY_BASE,
            0,
        )
        .unwrap();
    assert_eq!(g.read(dir, 1).err(), Some(Errno::Notcapable));
    assert_eq!(g.seek(dir, 0, whence::CUR).err(), Some(Errno::Notcapable));
    for name in ["a", "b", "c"] {
        g.create(&format!("sub/{name}")).unwrap();
    }
    let (buf, used) = (g.reserve(4096), g.reserve(4));
    ok(g.ctx.fd_readdir(&mut g.mem, dir, buf, 4096, 0, used)).unwrap();
    let mut names = Vec::new();
    let mut at = buf;
    let end = buf + g.u32_at(used);
    while at < end {
        let namlen = g.u32_at(at + 16);
        names.push(String::from_utf8(g.bytes_at(at + 24, namlen).to_vec()).unwrap());
        at += 24 + namlen;
    }
    names.sort();
    assert_eq!(names, [".", "..", "a", "b", "c"]);
    // A small buffer is filled completely; the guest asks again from a cookie.
    ok(g.ctx.fd_readdir(&mut g.mem, dir, buf, 30, 0, used)).unwrap();
    assert_eq!(g.u32_at(used), 30);
    ok(g.ctx.fd_readdir(&mut g.mem, dir, buf, 4096, 4, used)).unwrap();
    let namlen = g.u32_at(buf + 16);
    assert_eq!(g.u32_at(used), 24 + namlen);
    assert_eq!(g.u64_at(buf), 5);
    // The entry knows where it is.
    match &g.ctx.fds().get(dir).unwrap().kind {
        FdKind::Path { preopen, rel } => {
            assert_eq!(*preopen, 0);
            assert_eq!(rel, std::path::Path::new("sub"));
        }
        k => panic!("unexpected kind {k:?}"),
    }
}

#[test]
fn prestat_and_close() {
    let s = Sandbox::new("prestat");
    let mut g = Guest::new(&s.root());
    let buf = g.reserve(8);
    ok(g.ctx.fd_prestat_get(&mut g.mem, ROOT_FD, buf)).unwrap();
    assert_eq!((g.mem[buf as usize], g.u32_at(buf + 4)), (0, 1));
    assert_eq!(
        g.ctx.fd_prestat_dir_name(&mut g.mem, ROOT_FD, buf, 0),
        Ok(Errno::Nametoolong)
    );
    ok(g.ctx.fd_prestat_dir_name(&mut g.mem, ROOT_FD, buf, 8)).unwrap();
    assert_eq!(g.mem[buf as usize], b'/');
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, 1, buf), Ok(Errno::Badf));
    assert_eq!(g.ctx.fd_prestat_get(&mut g.mem, 4, buf), Ok(Errno::Badf));
    assert_eq!(g.ctx.preopens()[0].guest_path, "/");
    let fd = g.open("file").unwrap();
    ok(g.ctx.fd_renumber(&mut g.mem, fd, 1)).unwrap();
    assert_eq!(g.fdstat(fd).err(), Some(Errno::Badf));
    assert_eq!(g.fdstat(1).unwrap().0, Filetype::RegularFile as u8);
    g.close(ROOT_FD).unwrap();
    assert_eq!(g.close(ROOT_FD).err(), Some(Errno::Badf));
}

#[test]
fn filestat_and_times() {
    let s = Sandbox::new("filestat");
    let mut g = Guest::new(&s.root());
    let st = g.filestat("file", false).unwrap();
    assert_eq!(
        (st.filetype, st.size, st.nlink),
        (Filetype::RegularFile, 11, 1)
    );
    let fd = g.open("file").unwrap();
    ok(g.ctx.fd_filestat_set_size(&mut g.mem, fd, 3)).unwrap();
    ok(g.ctx.fd_filestat_set_times(&mut g.mem, fd, 7, 9, 1 | 4)).unwrap();
    let st = g.filestat("file", false).unwrap();
    assert_eq!((st.size, st.atim, st.mtim), (3, 7, 9));
    assert_eq!(
        g.ctx.fd_filestat_set_times(&mut g.mem, fd, 0, 0, 4 | 8),
        Ok(Errno::Inval)
    );
    assert_eq!(
        g.ctx.fd_filestat_set_times(&mut g.mem, fd, 0, 0, 1 | 2),
        Ok(Errno::Inval)
    );
    assert_eq!(
        g.ctx.fd_filestat_set_size(&mut g.mem, ROOT_FD, 0),
        Ok(Errno::Notcapable)
    );
    ok(g.ctx.fd_allocate(&mut g.mem, fd, 0, 100)).unwrap();
    ok(g.ctx.fd_advise(&mut g.mem, fd, 0, 0, 1)).unwrap();
    assert_eq!(g.ctx.fd_advise(&mut g.mem, fd, 0, 0, 6), Ok(Errno::Inval));
    ok(g.ctx.fd_sync(&mut g.mem, fd)).unwrap();
    ok(g.ctx.fd_datasync(&mut g.mem, fd)).unwrap();
    assert_eq!(g.filestat("file", false).unwrap().size, 100);
}

#[test]
fn links_and_renames_inside() {
    let s = Sandbox::new("links");
    let mut g = Guest::new(&s.root());
    g.link("file", "sub/hard").unwrap();
    assert_eq!(g.filestat("file", false).unwrap().nlink, 2);
    assert_eq!(g.link("sub", "dirlink"), Err(Errno::Perm));
    assert_eq!(g.link("file", "sub/hard"), Err(Errno::Exist));
    g.symlink("../file", "sub/soft").unwrap();
    let fd = g.open("sub/soft").unwrap();
    assert_eq!(g.read(fd, 5).unwrap(), b"hello");
    assert_eq!(g.readlink("sub/soft").unwrap(), b"../file");
    assert_eq!(g.readlink("file"), Err(Errno::Inval));
    g.rename("sub/hard", "moved").unwrap();
    assert!(s.root().join("moved").exists());
    assert_eq!(
        g.path_op(WasiCtx::path_remove_directory, "sub"),
        Err(Errno::Notempty)
    );
    assert_eq!(
        g.path_op(WasiCtx::path_remove_directory, "file"),
        Err(Errno::Notdir)
    );
    assert_eq!(
        g.path_op(WasiCtx::path_unlink_file, "sub"),
        Err(Errno::Isdir)
    );
    let p = g.put(b"file");
    let r = g.ctx.path_link(&mut g.mem, ROOT_FD, 1, p, 4, ROOT_FD, p, 4);
    assert_eq!(
        r,
        Ok(Errno::Inval),
        "following symlinks in path_link is refused"
    );
}

#[test]
fn clocks_random_and_exit() {
    let s = Sandbox::new("misc");
    let mut g = Guest::new(&s.root());
    let out = g.reserve(8);
    ok(g.ctx.clock_time_get(&mut g.mem, clockid::REALTIME, 0, out)).unwrap();
    assert!(g.u64_at(out) > 1_600_000_000_000_000_000);
    ok(g.ctx.clock_res_get(&mut g.mem, clockid::MONOTONIC, out)).unwrap();
    assert!(g.u64_at(out) > 0);
    assert_eq!(
        g.ctx.clock_time_get(&mut g.mem, 9, 0, out),
        Ok(Errno::Inval)
    );
    let buf = g.reserve(64);
    ok(g.ctx.random_get(&mut g.mem, buf, 64)).unwrap();
    assert!(g.bytes_at(buf, 64).iter().any(|&b| b != 0));
    assert_eq!(g.ctx.random_get(&mut g.mem, u32::MAX, 2), Ok(Errno::Fault));
    assert_eq!(g.ctx.proc_exit(&mut g.mem, 7), Err(WasiExit(7)));
    assert_eq!(g.ctx.proc_raise(&mut g.mem, 9), Ok(Errno::Nosys));
    assert_eq!(g.ctx.sched_yield(&mut g.mem), Ok(Errno::Success));
}

#[test]
fn proc_exit_runs_its_hook_once() {
    let s = Sandbox::new("exit-hook");
    let mut g = Guest::new(&s.root());
    let codes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = codes.clone();
    g.ctx
        .on_proc_exit(move |code| seen.lock().unwrap().push(code));
    assert_eq!(g.ctx.proc_exit(&mut g.mem, 300), Err(WasiExit(300)));
    assert_eq!(g.ctx.proc_exit(&mut g.mem, 4), Err(WasiExit(4)));
    assert_eq!(*codes.lock().unwrap(), [300]);
}

/// Writes one subscription; `u` is the union's first word (clock id or fd).
fn subscription(g: &mut Guest, userdata: u64, tag: u8, u: u32, timeout: u64) -> u32 {
    let mut sub = [0u8; 48];
    sub[0..8].copy_from_slice(&userdata.to_le_bytes());
    sub[8] = tag;
    sub[16..20].copy_from_slice(&u.to_le_bytes());
    sub[24..32].copy_from_slice(&timeout.to_le_bytes());
    g.put(&sub)
}

#[test]
fn poll_clocks_and_fds() {
    let s = Sandbox::new("poll");
    let mut g = Guest::new(&s.root());
    let (events, n) = (g.reserve(32 * 3), g.reserve(4));
    // A lone clock sleeps.
    let sub = subscription(&mut g, 7, eventtype::CLOCK, clockid::MONOTONIC, 5_000_000);
    let start = std::time::Instant::now();
    ok(g.ctx.poll_oneoff(&mut g.mem, sub, events, 1, n)).unwrap();
    assert!(start.elapsed() >= std::time::Duration::from_millis(5));
    assert_eq!((g.u32_at(n), g.u64_at(events)), (1, 7));
    // A readable pipe and a bad descriptor answer at once, the clock does not fire.
    let first = subscription(
        &mut g,
        1,
        eventtype::CLOCK,
        clockid::MONOTONIC,
        10_000_000_000,
    );
    subscription(&mut g, 2, eventtype::FD_READ, 0, 0);
    subscription(&mut g, 3, eventtype::FD_WRITE, 99, 0);
    ok(g.ctx.poll_oneoff(&mut g.mem, first, events, 3, n)).unwrap();
    assert_eq!(g.u32_at(n), 2);
    assert_eq!((g.u64_at(events), g.u64_at(events + 16)), (2, 5));
    let error = u16::from_le_bytes([g.mem[events as usize + 40], g.mem[events as usize + 41]]);
    assert_eq!((g.u64_at(events + 32), error), (3, Errno::Badf.raw()));
    assert_eq!(
        g.ctx.poll_oneoff(&mut g.mem, sub, events, 0, n),
        Ok(Errno::Inval)
    );
}

#[test]
fn sockets() {
    let s = Sandbox::new("sock");
    let (ours, theirs) = UnixStream::pair().unwrap();
    let mut g = Guest::with(&s.root(), |b| {
        b.preopened_socket(theirs);
    });
    let sock = 4;
    assert_eq!(g.fdstat(sock).unwrap().0, Filetype::SocketStream as u8);
    std::io::Write::write_all(&mut &ours, b"ping").unwrap();
    let buf = g.reserve(16);
    let iov = g.put(&[buf.to_le_bytes(), 16u32.to_le_bytes()].concat());
    let (len, flags) = (g.reserve(4), g.reserve(4));
    ok(g.ctx.sock_recv(&mut g.mem, sock, iov, 1, 0, len, flags)).unwrap();
    assert_eq!(g.bytes_at(buf, g.u32_at(len)), b"ping");
    let data = g.put(b"pong");
    let iov = g.put(&[data.to_le_bytes(), 4u32.to_le_bytes()].concat());
    ok(g.ctx.sock_send(&mut g.mem, sock, iov, 1, 0, len)).unwrap();
    let mut got = [0u8; 4];
    std::io::Read::read_exact(&mut &ours, &mut got).unwrap();
    assert_eq!(&got, b"pong");
    ok(g.ctx.sock_shutdown(&mut g.mem, sock, 2)).unwrap();
    assert_eq!(g.ctx.sock_shutdown(&mut g.mem, 1, 2), Ok(Errno::Notsock));
    assert_eq!(g.ctx.sock_shutdown(&mut g.mem, 77, 2), Ok(Errno::Badf));
    assert_eq!(g.ctx.sock_shutdown(&mut g.mem, sock, 4), Ok(Errno::Inval));
    assert_eq!(g.ctx.sock_accept(&mut g.mem, 1, 0, len), Ok(Errno::Notsock));
}
