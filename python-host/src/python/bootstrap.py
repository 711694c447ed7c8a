def _flint_bootstrap():
    # Runs as `python3 -c` in the snapshot build. It imports what the snapshot preloads, then
    # reads the work of a run from standard input: the snapshot is taken at that read,
    # and every restored run resumes here with its own work. It keeps __main__ as a fresh
    # `-c` run has it, and mirrors what CPython's main does for each way to give a program.
    del globals()["_flint_bootstrap"]
    import sys

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
        # standard output line-buffered. (Files look like pipes through WASI: not seekable.)
        if not sys.stdout.write_through and os.isatty(1):
            sys.stdout.reconfigure(line_buffering=True)

        # The program runs in a __main__ of its own, made as the one a fresh run starts with
        # (the bootstrap's holds the same names), which its end can then let go of as
        # CPython's finalisation does: the bootstrap's frames keep theirs alive to the end.
        program = type(sys)("__main__")
        main = program.__dict__
        main.update(sys.modules["__main__"].__dict__)
        main["__annotations__"] = {}
        sys.modules["__main__"] = program
        program = None

        def exit_status(e):
            # What CPython's handle_system_exit makes of SystemExit.code.
            code = e.code
            if code is None:
                return 0
            if isinstance(code, int):
                return code
            if sys.stderr is not None:
                sys.stderr.write(str(code) + "\n")
            return 1

        def flush_streams():
            # As CPython's flush_std_files: whether standard output could be flushed.
            flushed = True
            for stream in (sys.stdout, sys.stderr):
                try:
                    if stream is not None and not stream.closed:
                        stream.flush()
                except Exception:
                    if stream is sys.stdout:
                        flushed = False
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
            flushed = flush_streams()
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
            if not (flush_streams() and flushed):
                status = 120
            os._exit(status & 0xFF)

        def report(e):
            # Printed as CPython's PyErr_Print would, without the bootstrap's own frames; a
            # function of its own, so that no frame of the bootstrap still holds the traceback
            # (and every object its frames hold) when `finish` collects them.
            tb = e.__traceback__
            while tb is not None and tb.tb_frame.f_code in ours:
                tb = tb.tb_next
            e.__traceback__ = tb
            sys.last_type, sys.last_value, sys.last_traceback = type(e), e, tb
            if sys.version_info >= (3, 12):
                sys.last_exc = e
            sys.excepthook(type(e), e, tb)
            return 1

        def run_file(name, filename, loader):
            main["__file__"] = name
            main["__cached__"] = None
            try:
                if loader is not None:
                    main["__loader__"] = loader
                with io.open(filename, "rb") as f:
                    source = f.read()
                exec(compile(source, name, "exec"), main)
            finally:
                del main["__file__"], main["__cached__"]

        def run():
            if mode == b"c":
                exec(compile(fsdecode(payload), "<string>", "exec"), main)
            elif mode == b"m":
                # CPython's sys.path[0] for -m, on WASI (no realpath()): ".".
                sys.path[0] = "."
                import runpy

                runpy._run_module_as_main(fsdecode(payload))
            elif mode == b"f":
                # As CPython's _Py_abspath() and its sys.path[0] for a script on WASI (no
                # realpath()): the working directory joined as is, the script's directory as given.
                given = fsdecode(payload)
                path = given if given.startswith("/") else os.getcwd() + "/" + given
                try:
                    os.stat(path)
                except OSError as e:
                    sys.stderr.write(
                        "%s: can't open file %r: [Errno %d] %s\n"
                        % (sys.orig_argv[0], path, e.errno, e.strerror)
                    )
                    return 2
                cut = given.rfind("/")
                sys.path[0] = given[: max(cut, 1)] if cut >= 0 else ""
                loaders = sys.modules["_frozen_importlib_external"]
                loader = loaders.SourceFileLoader("__main__", path)
                run_file(path, path, loader)
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
                    exec(compile(source, "<stdin>", "exec"), main)
                finally:
                    del main["__file__"], main["__cached__"]
            return 0

        ours.update((run.__code__, run_file.__code__))
        try:
            status = run()
        except SystemExit as e:
            status = exit_status(e)
        except BaseException as e:
            status = report(e)
        main = None
        finish(status)

    # Frames of the bootstrap, left out of the program's tracebacks.
    ours = {sys._getframe(0).f_code, sys._getframe(1).f_code, resume.__code__}
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


_flint_bootstrap()
