def _flint_bootstrap(exc_type, exc, tb):
    # Runs as the sys.excepthook of the snapshot build's `python3 -c`, which raises once it has
    # set it (see the end): CPython calls the hook with no Python frame left below it, as a
    # program's own first frame has none. It imports what the snapshot preloads, then reads the
    # work of a run from standard input: the snapshot is taken at that read, and every
    # restored run resumes here with its own work. It keeps __main__ as a fresh `-c` run has
    # it, and mirrors what CPython's main does for each way to give a program.
    import sys

    exc_type = exc = tb = None
    sys.excepthook = sys.__excepthook__
    # PyErr_Print, which called the hook, recorded the build's exception.
    for name in ("last_exc", "last_type", "last_value", "last_traceback"):
        if hasattr(sys, name):
            delattr(sys, name)
    fresh = set(sys.modules)
    import os, io, gc, marshal, atexit, _weakref

    # The program sees sys.modules as a fresh run has it, without the bootstrap's own imports.
    for name in set(sys.modules) - fresh:
        del sys.modules[name]
    for name in PRELOAD:
        __import__(name)

    def read_exact(n):
        data = b""
        while len(data) < n:
            chunk = os.read(0, n - len(data))
            if not chunk:
                raise EOFError("the work of the run ended early")
            data += chunk
        return data

    def resume(head):
        # The run, from the rest of its work's length on.
        size = int.from_bytes(head + read_exact(4 - len(head)), "little")
        _, mode, payload, argv, orig_argv, env_keys, env_values = marshal.loads(read_exact(size))
        fsdecode = os.fsdecode

        # This run's environment, in C's environ and in os.environ's mapping as os.environ's own
        # methods would set it, without their encoding and decoding of every variable.
        data = os.environ._data
        for key in data:
            os.unsetenv(key)
        data.clear()
        list(map(os.putenv, env_keys, env_values))
        data.update(zip(env_keys, env_values))
        sys.argv[:] = [fsdecode(a) for a in argv]
        sys.orig_argv[:] = [fsdecode(a) for a in orig_argv]
        # Import finders of relative sys.path entries ('') cached the build's working directory.
        # (Not importlib.invalidate_caches(): on 3.12 that imports importlib.metadata.)
        cache = sys.path_importer_cache
        for entry in [e for e in cache if not e.startswith("/")]:
            del cache[entry]
        time = sys.modules.get("time")
        if hasattr(time, "tzset"):
            time.tzset()
        # Randomness seeded while the snapshot was built must not be shared by every run.
        random = sys.modules.get("random")
        if random is not None:
            random.seed()
        tempfile = sys.modules.get("tempfile")
        if tempfile is not None:
            tempfile._name_sequence = None

        # The snapshot's streams were made for pipes (CPython's create_stdio); a terminal makes
        # standard input and output line-buffered. (Files look like pipes through WASI: not
        # seekable.)
        for fd, stream in ((0, sys.stdin), (1, sys.stdout)):
            if not stream.write_through and os.isatty(fd):
                stream.reconfigure(line_buffering=True)

        # The program runs in a __main__ of its own, made as the one a fresh run starts with
        # (the bootstrap's holds the same names), which its end can then let go of as
        # CPython's finalisation does: the bootstrap's frames keep theirs alive to the end.
        program = type(sys)("__main__")
        main = program.__dict__
        main.update(sys.modules["__main__"].__dict__)
        main["__annotations__"] = {}
        sys.modules["__main__"] = program
        program = None

        def write_stderr(text):
            # As CPython's PySys_WriteStderr: to C's stderr when sys.stderr is None.
            if sys.stderr is not None:
                sys.stderr.write(text)
            else:
                os.write(2, text.encode("utf-8", "backslashreplace"))

        def exit_status(e):
            # What CPython's handle_system_exit makes of SystemExit.code.
            code = e.code
            if code is None:
                return 0
            if isinstance(code, int):
                # (int)PyLong_AsLong(code), whose C long has 32 bits on WASI: -1 when too
                # large, with the OverflowError printed to sys.stderr (if any) from 3.12 on.
                if -(1 << 31) <= code < 1 << 31:
                    return code
                if sys.stderr is not None and sys.version_info >= (3, 12):
                    sys.stderr.write("OverflowError: Python int too large to convert to C long\n")
                return -1
            write_stderr(str(code) + "\n")
            return 1

        def flush_streams(report_stdout):
            # As CPython's flush_std_files: whether both streams could be flushed; a failure of
            # standard output is reported as unraisable the first time (the second time, after
            # finalize_modules, CPython's sys no longer holds the program's streams).
            flushed = True
            for stream in (getattr(sys, "stdout", None), getattr(sys, "stderr", None)):
                if stream is None or getattr(stream, "closed", False):
                    continue
                try:
                    stream.flush()
                except Exception as e:
                    flushed = False
                    if report_stdout and stream is sys.stdout:
                        tb = without_frames(e.__traceback__, flush_streams.__code__)
                        failed = (type(e), e, tb, None, stream)
                        e = None
                        sys.unraisablehook(unraisable_args(failed))
            return flushed

        def finish(status):
            # CPython's finalisation (Py_FinalizeEx), for the program's part of the heap (the
            # snapshot's objects stay as they are): exit handlers, the streams flushed, the last
            # exception forgotten, then the program's modules let go of as finalize_modules
            # does: they leave sys.modules, what that leaves unreachable is collected (so that
            # __del__ methods see their module's globals intact), and only the modules still
            # alive are cleared, underscored names first. One collection, not CPython's three,
            # and of the youngest generation alone when the run's objects are all there: a
            # full collection also empties CPython's free lists, 0.1 ms of first touches.
            threading = sys.modules.get("threading")
            if threading is not None:
                threading._shutdown()
            atexit._run_exitfuncs()
            flushed = flush_streams(True)
            for name in ("last_exc", "last_type", "last_value", "last_traceback"):
                if hasattr(sys, name):
                    setattr(sys, name, None)
            leaving = []
            for name in reversed([m for m in sys.modules if m not in before] + ["__main__"]):
                module = sys.modules.pop(name, None)
                # Only real modules, as CPython's finalisation: sys.modules may also hold classes
                # or other objects whose __dict__ is read-only.
                if isinstance(module, type(sys)):
                    leaving.append(_weakref.ref(module))
            module = None
            # The snapshot's objects are frozen, so the older generations hold only objects
            # of the run that collections during it moved there.
            gc.collect(2 if gc.get_objects(1) or gc.get_objects(2) else 0)
            for ref in leaving:
                module = ref()
                if module is not None:
                    d = module.__dict__
                    for key in [k for k in d if k[:1] == "_" and k != "__builtins__"]:
                        d[key] = None
                    for key in [k for k in d if k != "__builtins__"]:
                        d[key] = None
            module = d = None
            if not (flush_streams(False) and flushed):
                status = 120
            if interrupted:
                # Py_RunMain's exit_sigint(): WASI has no kill(), so the status a shell gives.
                status = 130
            os._exit(status & 0xFF)

        def without_frames(tb, *codes):
            # Traceback `tb` without its first entries, those of the bootstrap's `codes`:
            # CPython reads and calls the program, its excepthook and its streams' flush from C.
            while tb is not None and tb.tb_frame.f_code in codes:
                tb = tb.tb_next
            return tb

        def report(e):
            # Printed as CPython's PyErr_Print would, without the bootstrap's frame the program
            # ran in. Called outside any `except` block, so that the program's excepthook runs
            # with no exception being handled, as under PyErr_Print.
            tb = e.__traceback__ = without_frames(e.__traceback__, resume.__code__, compile_read.__code__)
            sys.last_type, sys.last_value, sys.last_traceback = type(e), e, tb
            if sys.version_info >= (3, 12):
                sys.last_exc = e
            if not hasattr(sys, "excepthook"):
                write_stderr("sys.excepthook is missing\n")
                sys.__excepthook__(type(e), e, e.__traceback__)
                return 1
            failed = None
            try:
                sys.excepthook(type(e), e, e.__traceback__)
            except SystemExit as x:
                return exit_status(x)
            except BaseException as x:
                failed = x
            if failed is not None:
                failed.__traceback__ = without_frames(failed.__traceback__, report.__code__)
                write_stderr("Error in sys.excepthook:\n")
                sys.__excepthook__(type(failed), failed, failed.__traceback__)
                write_stderr("\nOriginal exception was:\n")
                sys.__excepthook__(type(e), e, e.__traceback__)
            return 1

        def compile_read(source, name):
            # compile() of the bytes of a script or of standard input, which CPython's file
            # tokenizer reads in a fresh run: it reports a NUL byte where it finds it, where
            # compile() has a message of its own.
            at = source.find(b"\0")
            if at >= 0:
                start = source.rfind(b"\n", 0, at) + 1
                end = source.find(b"\n", at) + 1 or len(source)
                line = source[start:end].decode("utf-8", "replace")
                lineno = source.count(b"\n", 0, at) + 1
                where = (name, lineno, 0, line, lineno, 0)
                raise SyntaxError("source code cannot contain null bytes", where)
            return compile(source, name, "exec")

        # The program runs in this frame's own `try` (a frame less below it than a function
        # of its own would be), mirroring what CPython's main does for each way to give one.
        status = 0
        uncaught = None
        interrupted = False
        if mode == b"f":
            # As CPython's _Py_abspath() and its sys.path[0] for a script on WASI (no
            # realpath()): the working directory joined as is, the script's directory as given.
            given = fsdecode(payload)
            path = given if given.startswith("/") else os.getcwd() + "/" + given
            # As pymain_get_importer: CPython first asks sys.path_hooks whether the script is a
            # directory or zip file to run (the zip importer opens it, which takes a descriptor
            # number), and caches the answer.
            if path not in cache:
                cache[path] = None
                for hook in sys.path_hooks:
                    try:
                        cache[path] = hook(path)
                        break
                    except ImportError:
                        pass
            try:
                os.stat(path)
            except OSError as e:
                sys.stderr.write(
                    "%s: can't open file %r: [Errno %d] %s\n"
                    % (sys.orig_argv[0], path, e.errno, e.strerror)
                )
                finish(2)
        try:
            if mode == b"c":
                exec(compile(fsdecode(payload), "<string>", "exec"), main)
            elif mode == b"m":
                # CPython's sys.path[0] for -m, on WASI (no realpath()): ".".
                sys.path[0] = "."
                import runpy

                # Called from C, as CPython's pymain_run_module calls it (on 3.11 that call
                # counts towards the recursion limit).
                runpy._run_module_as_main.__call__(fsdecode(payload))
            elif mode == b"f":
                cut = given.rfind("/")
                sys.path[0] = given[: max(cut, 1)] if cut >= 0 else ""
                loaders = sys.modules["_frozen_importlib_external"]
                main["__loader__"] = loaders.SourceFileLoader("__main__", path)
                main["__file__"] = path
                main["__cached__"] = None
                try:
                    with io.open(path, "rb") as f:
                        source = f.read()
                    exec(compile_read(source, path), main)
                finally:
                    del main["__file__"], main["__cached__"]
            else:
                source = b""
                while True:
                    chunk = os.read(0, 1 << 16)
                    if not chunk:
                        break
                    source += chunk
                main["__file__"] = "<stdin>"
                main["__cached__"] = None
                try:
                    exec(compile_read(source, "<stdin>"), main)
                finally:
                    del main["__file__"], main["__cached__"]
        except SystemExit as e:
            status = exit_status(e)
        except BaseException as e:
            uncaught = e
        # As run_eval_code_obj: only KeyboardInterrupt itself, not its subclasses.
        interrupted = type(uncaught) is KeyboardInterrupt
        if uncaught is not None:
            status = report(uncaught)
        main = uncaught = None
        finish(status)

    # The arguments CPython's PyErr_WriteUnraisable gives sys.unraisablehook, whose type only
    # an unraisable exception shows.
    unraisable = []
    sys.unraisablehook, hook = unraisable.append, sys.unraisablehook

    class Unraisable:
        def __del__(self):
            raise Exception

    Unraisable()
    sys.unraisablehook = hook
    unraisable_args = type(unraisable[0])
    del unraisable, hook, Unraisable

    # compile() makes CPython create its AST types on first use, which takes long on an
    # interpreter; every run compiles its program, so the snapshot holds them made.
    compile("pass", "<string>", "exec")
    # Everything alive now is in every restored run: leave it out of garbage collections (which
    # would otherwise walk the whole heap, and write to every object it visits).
    gc.freeze()
    # The modules of the snapshot, which the run's end leaves alone.
    before = set(sys.modules)
    # The snapshot is taken at this read; each restored run finds its work here, ahead of its
    # standard input.
    head = os.read(0, 4)
    # The frames alive at the read resume on Flint's interpreter tier, many times slower than
    # compiled code, and CPython runs a Python function's calls of Python functions in the
    # function's own eval loop: a call through a C slot starts a new eval loop instead, which
    # runs compiled, so all of the run happens in there.
    resume.__call__(head)


__import__("sys").excepthook = _flint_bootstrap
del _flint_bootstrap
raise RuntimeError("the snapshot is taken in sys.excepthook")
