"""Runs CPython's own regression tests (3.11's `test` package) on Flint and on wasmtime, module
by module, and prints both results side by side.

Usage: regrtest.py [--engines flint,wasmtime] [--flint PATH] [--timeout S] [--tier T] [--no-snapshot]
                   [MODULE...]
Modules default to modules.txt beside this file. Exit code 1 when Flint fails a module that
wasmtime passes (or, with Flint alone, when Flint fails any module).
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def modules_from_file():
    with open(os.path.join(HERE, "modules.txt")) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def command(engine, args, module):
    py = ["-m", "test", "-q", module]
    if engine == "flint":
        tier = ["--tier", args.tier] if args.tier else []
        boot = ["--no-snapshot"] if args.no_snapshot else []
        return [args.flint, "python", "-p", "3.11", *tier, *boot, *py]
    return [sys.executable, os.path.join(HERE, "wasmtime_python.py"), "3.11", *py]


def run(engine, args, module):
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as cwd:
        try:
            p = subprocess.run(command(engine, args, module), cwd=cwd, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, errors="replace", timeout=args.timeout)
            status = "pass" if p.returncode == 0 else f"FAIL({p.returncode})"
            tail = (p.stdout + p.stderr).strip().splitlines()[-12:]
        except subprocess.TimeoutExpired:
            status, tail = "TIMEOUT", []
    return status, time.monotonic() - start, tail


def default_flint():
    # The workspace builds for the host's own target triple (.cargo/config.toml), so release
    # binaries land in target/<triple>/release.
    found = glob.glob(os.path.join(HERE, "../../target/*/release/flint"))
    return found[0] if found else os.path.join(HERE, "../../target/release/flint")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="flint,wasmtime")
    ap.add_argument("--flint", default=default_flint())
    ap.add_argument("--tier", default=None)
    ap.add_argument("--no-snapshot", action="store_true", help="boot CPython instead of restoring")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("modules", nargs="*")
    args = ap.parse_args()
    engines = args.engines.split(",")
    if "flint" in engines and not os.path.isfile(args.flint):
        sys.exit(f"regrtest: no flint at {args.flint}: build it (cargo build --release -p flint) or pass --flint")
    modules = args.modules or modules_from_file()
    print(f"{'module':28}" + "".join(f"{e:>22}" for e in engines), flush=True)
    results = {e: {} for e in engines}
    for m in modules:
        row = f"{m:28}"
        for e in engines:
            status, secs, tail = run(e, args, m)
            results[e][m] = status
            row += f"{status + f' {secs:.1f}s':>22}"
            if status != "pass" and args.verbose:
                row += "\n    " + "\n    ".join(tail)
        print(row, flush=True)
    for e in engines:
        passed = sum(1 for s in results[e].values() if s == "pass")
        print(f"{e}: {passed} passed, {len(modules) - passed} failed")
    flint = results.get("flint", {})
    reference = results.get("wasmtime")
    regressions = [m for m, s in flint.items() if s != "pass" and (reference is None or reference[m] == "pass")]
    if regressions:
        print("Flint fails where the reference passes: " + " ".join(regressions))
    sys.exit(1 if regressions else 0)


if __name__ == "__main__":
    main()
