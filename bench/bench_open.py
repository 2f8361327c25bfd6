"""What recognising a register costs when it is opened (issue 11).

    python3 bench/bench_open.py [--repeat 21] [--rows 100000]

Every open first looks at the file read-only (``recognition.probe``: an
``immutable`` connection, the header marker, the tables and columns
against those the recorded migrations create), then opens it for writing
(``connect``).  Baseline, measured in the same run: a bare
``sqlite3.connect`` + ``SELECT count(*) FROM applications`` of the same
file.  Figures are medians in milliseconds, each with its ratio to the
baseline; the first ``expected_schema`` (migrations applied once to an
in-memory database, then cached for the process) is shown on its own.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--rows", type=int, default=100000)
    a = ap.parse_args()

    from desktop_app.services.demo import build_large_database
    from desktop_app.storage import database, recognition
    from desktop_app.storage.integrity import quick_check

    tmp = Path(tempfile.mkdtemp(prefix="bench-open-"))
    try:
        path = tmp / "register.db"
        build_large_database(path, a.rows)
        size = path.stat().st_size / 1024 / 1024

        t = time.perf_counter()
        recognition.expected_schema.cache_clear()
        recognition.expected_schema(frozenset(recognition.KNOWN_NAMES))
        first_schema = (time.perf_counter() - t) * 1000

        def bare():
            c = sqlite3.connect(path)
            c.execute("SELECT count(*) FROM applications").fetchone()
            c.close()

        def probe():
            recognition.probe(path)

        def connect():
            database.connect(path, create=False).conn.close()

        def check():
            quick_check(path)

        base = median_ms(bare, a.repeat)
        rows = [("baseline: sqlite3.connect + count(*)", base),
                ("probe (read-only recognition)", median_ms(probe, a.repeat)),
                ("connect (probe + open for writing)", median_ms(connect, a.repeat)),
                ("quick_check (start-up integrity check)", median_ms(check, a.repeat))]
        print(f"{a.rows} applications, {size:.1f} MB, medians of {a.repeat}")
        for name, ms in rows:
            print(f"{name:<42} {ms:8.2f} ms  {ms / base:6.2f}x")
        print(f"{'first expected_schema (once per process)':<42} {first_schema:8.2f} ms  {first_schema / base:6.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
