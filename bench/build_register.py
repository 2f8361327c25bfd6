"""Build a register of N applications for the benchmarks (issue 19).

``python3 bench/build_register.py PATH [-n 100000] [--seed 1]``

Writes through the storage layer's bulk path (``Store.applications.insert_many``
and ``events.insert_many`` in one transaction, via
``services.demo.build_large_database``): varied applicants (a pool of returning
people and organisations), statuses, channels, outcomes and receipt dates over two
years, a ``received`` (and ``replied``) event per application, then the stored
derived deadline columns computed in bulk, as the register keeps them.  1,000,000
applications take a couple of minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: str | os.PathLike[str], n: int, seed: int = 1) -> float:
    """Build the register at ``path`` (must not exist); returns seconds taken."""
    from desktop_app.services.demo import build_large_database

    t = time.perf_counter()
    build_large_database(path, n, seed=seed)
    return time.perf_counter() - t


def cached(n: int, folder: str | os.PathLike[str] | None = None) -> Path:
    """A register of ``n`` applications kept in the temp folder between runs."""
    import tempfile

    path = Path(folder or tempfile.gettempdir()) / f"disclosure_desk_register_{n}.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        if tmp.exists():
            tmp.unlink()
        seconds = build(tmp, n)
        tmp.rename(path)
        print(f"built {n:,} applications in {seconds:.1f} s: {path}", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build a benchmark register of N applications")
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if os.path.exists(args.path):
        parser.error(f"{args.path} exists")
    seconds = build(args.path, args.n, args.seed)
    size = os.path.getsize(args.path) / 1e6
    print(f"{args.n:,} applications in {seconds:.1f} s, {size:.1f} MB: {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
