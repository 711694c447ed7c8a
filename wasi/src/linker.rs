//! Registers the WASI functions with a Flint [`Linker`].

use flint_engine::{Caller, Error, Linker, Trap};

use crate::ctx::WasiCtx;
use crate::errno::{WasiExit, WasiResult};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Runs one WASI function on the calling instance's memory (empty when it exports none, so
/// that every pointer is `EFAULT`) and turns its outcome into the wasm result or a trap.
pub(crate) fn call<T>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx, &mut [u8]) -> WasiResult,
) -> Result<i32, Trap> {
    let result = match caller.memory_and_data() {
        Some((mem, data)) => f(get(data), mem),
        None => f(get(caller.data_mut()), &mut []),
    };
    match result {
        Ok(errno) => Ok(i32::from(errno.raw())),
        Err(WasiExit(code)) => Err(Trap::exit(code)),
    }
}

/// One `func_wrap` per line: `name(param: type, ...)`, calling the [`WasiCtx`] method of the
/// same name with the same parameters.
macro_rules! register {
    ($linker:ident, $get:ident; $($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            $linker.func_wrap(
                MODULE,
                stringify!($name),
                move |mut caller: Caller<'_, T>, $($arg: $ty),*| {
                    call(&mut caller, $get, |ctx, mem| ctx.$name(mem, $($arg),*))
                },
            )?;
        )*
    };
}

/// Defines every `wasi_snapshot_preview1` function in `linker`; `get` finds the [`WasiCtx`] in
/// the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasiCtx,
) -> Result<(), Error> {
    register! { linker, get;
        args_get(argv: u32, argv_buf: u32);
        args_sizes_get(argc: u32, argv_buf_size: u32);
        environ_get(environ: u32, environ_buf: u32);
        environ_sizes_get(count: u32, buf_size: u32);
        clock_res_get(id: u32, resolution: u32);
        clock_time_get(id: u32, precision: u64, time: u32);
        fd_advise(fd: u32, offset: u64, len: u64, advice: u32);
        fd_allocate(fd: u32, offset: u64, len: u64);
        fd_close(fd: u32);
        fd_datasync(fd: u32);
        fd_fdstat_get(fd: u32, buf: u32);
        fd_fdstat_set_flags(fd: u32, flags: u32);
        fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64);
        fd_filestat_get(fd: u32, buf: u32);
        fd_filestat_set_size(fd: u32, size: u64);
        fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst_flags: u32);
        fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32);
        fd_prestat_get(fd: u32, buf: u32);
        fd_prestat_dir_name(fd: u32, path: u32, path_len: u32);
        fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32);
        fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32);
        fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32);
        fd_renumber(fd: u32, to: u32);
        fd_seek(fd: u32, offset: i64, whence: u32, newoffset: u32);
        fd_sync(fd: u32);
        fd_tell(fd: u32, offset: u32);
        fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32);
        path_create_directory(fd: u32, path: u32, path_len: u32);
        path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, buf: u32);
        path_filestat_set_times(
            fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32
        );
        path_link(
            old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32,
            new_fd: u32, new_path: u32, new_path_len: u32
        );
        path_open(
            fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32,
            base: u64, inheriting: u64, fdflags: u32, opened_fd: u32
        );
        path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32);
        path_remove_directory(fd: u32, path: u32, path_len: u32);
        path_rename(
            fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32
        );
        path_symlink(old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32);
        path_unlink_file(fd: u32, path: u32, path_len: u32);
        poll_oneoff(subs: u32, events: u32, nsubscriptions: u32, nevents: u32);
        proc_raise(signal: u32);
        sched_yield();
        random_get(buf: u32, len: u32);
        sock_accept(fd: u32, flags: u32, result_fd: u32);
        sock_recv(
            fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32
        );
        sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32);
        sock_shutdown(fd: u32, how: u32);
    }
    // `proc_exit` returns nothing: it always ends the program.
    linker.func_wrap(
        MODULE,
        "proc_exit",
        move |mut caller: Caller<'_, T>, code: u32| {
            call(&mut caller, get, |ctx, mem| ctx.proc_exit(mem, code)).map(drop)
        },
    )?;
    Ok(())
}
