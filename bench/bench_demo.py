"""The demo register's time to fill (``disclosure-desk --demo`` on a first
start) and the large bench register's time to build, each with its ratio
to the same run's baseline: writing the same number of rows into a plain
SQLite table.

    python3 bench/bench_demo.py [--runs 3] [--large 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.services.demo import build_large_database, fill_demo  # noqa: E402
from desktop_app.services.session import open_register  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def baseline(path: Path, rows: int) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)")
    with con:
        con.executemany("INSERT INTO t (a, b, c) VALUES (?, ?, ?)",
                        ((f"申请人{i}", f"2026-{i % 12 + 1:02d}-01", "内容" * 10) for i in range(rows)))
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large", type=int, default=5000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    times: dict[str, list[float]] = {"plain sqlite3, same row count": [], "demo register filled": [],
                                     f"large register ({args.large:,}) built": []}
    demo_rows = 0
    for run in range(args.runs):
        session = open_register(work / f"demo{run}.db", create=True)
        t = time.perf_counter()
        fill_demo(session, today=TODAY)
        times["demo register filled"].append(time.perf_counter() - t)
        demo_rows = session.store.db.execute("SELECT count(*) FROM applications").fetchone()[0]
        session.close()
        t = time.perf_counter()
        baseline(work / f"plain{run}.db", demo_rows)
        times["plain sqlite3, same row count"].append(time.perf_counter() - t)
        t = time.perf_counter()
        build_large_database(work / f"large{run}.db", args.large, seed=1, today=TODAY)
        times[f"large register ({args.large:,}) built"].append(time.perf_counter() - t)
    base = statistics.median(times["plain sqlite3, same row count"])
    print(f"demo register: {demo_rows} applications; {args.runs} runs")
    for name, xs in times.items():
        print(f"  {name:<32} median {statistics.median(xs) * 1000:8.0f} ms  "
              f"runs {', '.join(f'{x * 1000:.0f}' for x in xs)}  ratio {statistics.median(xs) / base:6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
