"""Every sort of the register page at N applications (issue 19).

``python3 bench/bench_sorts.py [--sizes 100000,1000000] [--tries 20] [--folder DIR]``

For each column of the register (the default columns and the features' ones, such
as 剩余工作日), the time from a click on its header (``sortByColumn``, ascending and
descending alternately) until the rows in view are painted: the worst and the median
of ``--tries`` tries, with the ratio of the worst to a baseline measured in the same
process (a plain ``SELECT count(*) FROM applications`` of the same file).  The
registers are those of ``bench/build_register.py`` (kept in the temp folder, or in
``--folder``); the app upgrades a copy in place the first time it opens it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_register import cached  # noqa: E402


def child(db: str, tries: int) -> None:
    from bench_register import open_window
    from PySide6.QtCore import QCoreApplication, Qt

    app, window, register, base, _rss0 = open_window(db, tries)
    page = window.show_page("register")
    while page.is_loading():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    print(f"{page.model.rowCount():,} applications, {tries} tries per column, load average "
          f"{os.getloadavg()[0]:.2f}; baseline `count(*)` {base * 1000:.2f} ms", flush=True)
    for col, column in enumerate(page.model.columns):
        xs = []
        for i in range(tries):
            order = Qt.AscendingOrder if i % 2 == 0 else Qt.DescendingOrder
            t = time.perf_counter()
            page.table.sortByColumn(col, order)
            QCoreApplication.processEvents()
            page.table.viewport().repaint()
            xs.append(time.perf_counter() - t)
        how = f"SQL order {column.sort_field}" if column.sort_field else "sorted in Python"
        print(f"  sort by {column.header:<6} worst {max(xs) * 1000:8.1f} ms  median "
              f"{statistics.median(xs) * 1000:8.1f} ms  ratio {max(xs) / base:7.0f}x baseline  ({how})",
              flush=True)
    window.close()
    register.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--folder", default=os.environ.get("DISCLOSURE_DESK_BENCH_DIR"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.tries)
        return 0
    for n in (int(s) for s in args.sizes.split(",")):
        db = cached(n, args.folder)
        subprocess.run([sys.executable, __file__, "--child", str(db), "--tries", str(args.tries)], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
