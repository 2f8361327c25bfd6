"""Start-up of two or more versions of the app, interleaved with a bare window.

    python3 bench/bench_startup_ab.py REGISTER.db [--rounds 40] [--rev 9b0334b] [TREE ...]

Each round launches a bare ``QMainWindow`` child, then the app from each
source tree in turn (``--rev R`` adds the committed version R, unpacked with
``git archive``; with no tree and no ``--rev`` the working tree is compared
with HEAD), each through the real entry point until the 工作台 is drawn with
its counts (``bench_gui.APP_CHILD``'s "ready").  Interleaving puts every
drift of a noisy machine on every case alike; each median is printed with
its ratio to the bare window's median of the same run.

All children share one data folder for the run, so a register's check mark
left by the warm-up launch holds for every version (the everyday start).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui import APP_CHILD, BARE_CHILD, HIDE_NUMPY, _env  # noqa: E402


def _launch(code: str, args: list[str], env: dict, marks: tuple[str, ...]) -> list[float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", HIDE_NUMPY + code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tempfile.gettempdir())
    out = []
    for mark in marks:
        line = proc.stdout.readline()
        out.append(time.perf_counter() - start)
        if line.strip() != mark:
            proc.kill()
            raise RuntimeError(f"child failed (got {line!r}): {proc.communicate()[1][-2000:]}")
    proc.communicate(timeout=60)
    return out


def _tree_of(rev: str) -> str:
    folder = tempfile.mkdtemp(prefix=f"bench-ab-{rev[:12]}-")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("register")
    ap.add_argument("trees", nargs="*", help="source trees (folders holding desktop_app/)")
    ap.add_argument("--rev", action="append", default=[], help="a committed version to compare")
    ap.add_argument("--rounds", type=int, default=40)
    args = ap.parse_intermixed_args(argv)

    trees = [*map(_tree_of, args.rev), *args.trees] or [_tree_of("HEAD"), str(ROOT)]
    data = tempfile.mkdtemp(prefix="bench-ab-data-")

    def env_for(tree: str | None) -> dict:
        env = _env(data)
        if tree is not None:
            env["PYTHONPATH"] = tree  # before the installed copy on the path
        return env

    for tree in trees:  # as installed: compiled; one warm-up each (it also marks the register)
        compileall.compile_dir(os.path.join(tree, "desktop_app"), quiet=1)
        _launch(APP_CHILD, [args.register], env_for(tree), ("shown", "ready"))
    bare: list[float] = []
    ready: dict[str, list[float]] = {tree: [] for tree in trees}
    load = os.getloadavg()[0]
    for _ in range(args.rounds):
        bare.append(_launch(BARE_CHILD, [], env_for(None), ("shown",))[0])
        for tree in trees:
            ready[tree].append(_launch(APP_CHILD, [args.register], env_for(tree), ("shown", "ready"))[1])
    base = statistics.median(bare)
    print(f"start-up, {args.rounds} interleaved rounds, load average {load:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"  bare QMainWindow shown: median {base * 1000:6.1f} ms")
    for tree in trees:
        t = ready[tree]
        print(f"  {tree:40s} ready median {statistics.median(t) * 1000:6.1f} ms "
              f"(ratio {statistics.median(t) / base:.2f}x), min {min(t) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
