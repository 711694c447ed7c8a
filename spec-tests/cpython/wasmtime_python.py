"""Runs an installed Flint CPython under wasmtime (the PyPI wheel), with the same guest view
(argv, environment, preopens) as `flint python`, for differential tests and benchmarks.

Usage: wasmtime_python.py VERSION [PYTHON-ARGS...]
The compiled module is cached next to this run's temp dir (`$FLINT_WASMTIME_CACHE` or
/tmp/flint-wasmtime-cache) so only the first run pays for compilation.
"""
import hashlib
import os
import sys
import tempfile

import wasmtime

from importlib.metadata import version as _dist_version

WASMTIME_VERSION = _dist_version("wasmtime")


def installation(version):
    home = os.environ.get("FLINT_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "flint")
    pythons = os.path.join(home, "pythons")
    for name in sorted(os.listdir(pythons)):
        if name == version or name.startswith(version + "."):
            d = os.path.join(pythons, name)
            manifest = dict(
                line.split(" = ", 1) for line in open(os.path.join(d, "flint-python.manifest")).read().splitlines()
                if " = " in line)
            return d, manifest
    sys.exit(f"Python {version} is not installed: run `flint python install {version}`")


def module(engine, wasm):
    cache_dir = os.environ.get("FLINT_WASMTIME_CACHE", os.path.join(tempfile.gettempdir(), "flint-wasmtime-cache"))
    os.makedirs(cache_dir, exist_ok=True)
    st = os.stat(wasm)
    key = hashlib.sha256(f"{wasm}:{st.st_size}:{st.st_mtime_ns}:{WASMTIME_VERSION}".encode()).hexdigest()[:24]
    cached = os.path.join(cache_dir, key + ".cwasm")
    if os.path.exists(cached):
        return wasmtime.Module.deserialize_file(engine, cached)
    m = wasmtime.Module.from_file(engine, wasm)
    tmp = cached + f".tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(m.serialize())
    os.replace(tmp, cached)
    return m


def main():
    version, args = sys.argv[1], sys.argv[2:]
    d, manifest = installation(version)
    cwd = os.getcwd()
    cfg = wasmtime.WasiConfig()
    cfg.argv = ["python3"] + args
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "TMPDIR", "PWD", "OLDPWD")}
    cfg.preopen_dir(cwd, "/")
    if cwd != "/":
        cfg.preopen_dir(cwd, cwd)
    cfg.preopen_dir(tempfile.gettempdir(), "/tmp")
    if manifest.get("prefix", "none") != "none":
        cfg.preopen_dir(os.path.join(d, manifest["prefix"]), manifest["prefix_guest"])
        env["PYTHONHOME"] = manifest["prefix_guest"]
    cfg.env = list(env.items())
    cfg.inherit_stdin()
    cfg.inherit_stdout()
    cfg.inherit_stderr()
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module(engine, os.path.join(d, manifest["wasm"])))
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        sys.exit(e.code)
    sys.exit(0)


if __name__ == "__main__":
    main()
