"""The register's text search as SQL alone: the scan of ``search_text`` against
the n-gram index (issue 19), on a copy of a benchmark register.

For each needle, alternating the two, ``--tries`` times: the ids the register's
filter selects, ordered by id (``register_where`` with and without the index);
each figure is the worst and the median, with the median's ratio to a
``SELECT count(*) FROM applications`` of the same file in the same run.  Also
the size of the index beside the table, and the load average.

``python3 bench/bench_search_index.py REGISTER.db [--tries 20]`` (the register
must already be migrated: open a copy with the app or ``bench_register.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.storage.applications import ApplicationQuery, register_where  # noqa: E402
from desktop_app.storage.search_index import INDEX, SearchIndex  # noqa: E402

#: bench_register's eight needles, then words in nearly every application of the
#: benchmark register (某, 20, 某某), common and rare words of one to four
#: characters, serial fragments and a two-word search of common words.
NEEDLES = ["张", "征地", "某某律师事务所", "2025-00", "补偿 公开", "不存在的内容xyz", "李某", "拆迁",
           "某", "20", "某某", "公开", "信息", "申请", "环境", "征收补偿", "王", "〔2025〕", "0731", "某某 20",
           "国有建设用地使用权出让合同"]


class _Db:
    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def atomic(self):
        import contextlib

        return contextlib.nullcontext(self)


def _time(conn, sql: str, params) -> tuple[float, int]:
    t = time.perf_counter()
    n = len(conn.execute(sql, params).fetchall())
    return time.perf_counter() - t, n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--needles", help="comma-separated, instead of the default set")
    args = parser.parse_args(argv)
    import sqlite3

    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    index = SearchIndex(_Db(conn))
    if not index.usable():
        print("no usable search index in this register (migrate a copy first)")
        return 2
    needles = args.needles.split(",") if args.needles else NEEDLES
    count = conn.execute("SELECT count(*) FROM applications").fetchone()[0]
    sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    index_bytes = sum(v for k, v in sizes.items() if k == INDEX or k.startswith(INDEX + "_"))
    print(f"{args.db}: {count:,} applications; file {os.path.getsize(args.db) / 1e6:,.1f} MB, table "
          f"{sizes.get('applications', 0) / 1e6:,.1f} MB, idx_search_text {sizes.get('idx_search_text', 0) / 1e6:,.1f} "
          f"MB, n-gram index {index_bytes / 1e6:,.2f} MB")
    print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    base = []
    for _ in range(args.tries):
        base.append(_time(conn, "SELECT count(*) FROM applications", [])[0])
    b = statistics.median(base)
    print(f"baseline SELECT count(*) FROM applications: worst {max(base) * 1000:.1f} ms, median {b * 1000:.2f} ms")
    print(f"{'needle':<16} {'found':>9}   {'scan worst / median (ratio)':>32}   {'index worst / median (ratio)':>32}")
    worst_scan = worst_index = 0.0
    for needle in needles:
        q = ApplicationQuery(text=needle)
        scan_where, scan_params = register_where(q)
        index_where, index_params = register_where(q, index)
        assert INDEX in index_where and INDEX not in scan_where
        scan_sql = f"SELECT id FROM applications WHERE {scan_where} ORDER BY id"
        index_sql = f"SELECT id FROM applications WHERE {index_where} ORDER BY id"
        scans, indexed = [], []
        for _ in range(args.tries):
            t, n_scan = _time(conn, scan_sql, scan_params)
            scans.append(t)
            t, n_index = _time(conn, index_sql, index_params)
            indexed.append(t)
            assert n_scan == n_index, needle
        worst_scan, worst_index = max(worst_scan, max(scans)), max(worst_index, max(indexed))

        def fmt(xs):
            return (f"{max(xs) * 1000:8.1f} / {statistics.median(xs) * 1000:7.1f} ms "
                    f"({statistics.median(xs) / b:6.0f}x)")
        print(f"{needle:<16} {n_scan:>9,}   {fmt(scans):>32}   {fmt(indexed):>32}", flush=True)
    print(f"worst of all: scan {worst_scan * 1000:.1f} ms, index {worst_index * 1000:.1f} ms")
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
