"""Ledger import/export benchmark (issue 2).

1. Import a 10,000-row CSV (the demo generator's applications, exported
   by the app) into an empty register: the real path (read, check every
   row against the register, back up, write in one transaction through
   the register).  Target: < 10 s.  Baselines in the same run: reading
   the same file with ``csv.reader``; and a plain ``executemany`` of the
   same applications into an empty database (the floor of writing).
2. Importing the same file again (every row matched, nothing written).
3. Export of 100,000 applications to .csv and .xlsx, with
   ``csv.writer`` of the same rows as the baseline.

Run: ``python3 bench/bench_import.py [--rows 10000] [--export-rows 100000]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.demo import build_large_database  # noqa: E402
from desktop_app.ledger import export_ledger, import_ledger  # noqa: E402
from desktop_app.storage.database import connect  # noqa: E402
from desktop_app.storage.register import APPLICATION_FIELDS, Register  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        source = work / "source.db"
        build_large_database(source, args.rows, seed=11, today=TODAY)
        src = Register(connect(source))
        csv_path = work / "ledger.csv"
        export_ledger(src, csv_path)
        records = [{k: a[k] for k in APPLICATION_FIELDS} for a in src.iter_applications()]
        src.db.conn.close()
        print(f"ledger: {args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB CSV")

        # Baseline 1: just reading the CSV.
        def read_only():
            with open(csv_path, encoding="utf-8-sig", newline="") as fh:
                return sum(1 for _ in csv.reader(fh))
        t_read, _ = timed(read_only)

        # Baseline 2: a plain executemany of the same applications.
        def plain_insert():
            db = connect(work / "plain.db")
            stamp = "2026-11-25T00:00:00"
            cols = APPLICATION_FIELDS + ["created_at", "updated_at"]
            with db.atomic():
                db.conn.executemany(
                    f"INSERT INTO applications({', '.join(cols)}) VALUES({', '.join('?' for _ in cols)})",
                    [[r.get(c) for c in APPLICATION_FIELDS] + [stamp, stamp] for r in records])
            db.conn.close()
        t_plain, _ = timed(plain_insert)

        target = Register(connect(work / "target.db"))
        t_import, summary = timed(lambda: import_ledger(target, csv_path, today=TODAY))
        assert summary.added == args.rows, summary.text()
        t_again, again = timed(lambda: import_ledger(target, csv_path, today=TODAY))
        assert again.unchanged == args.rows and not again.added and not again.updated, again.text()
        target.db.conn.close()

        # The same ledger as .xlsx (openpyxl read-only).
        xlsx_path = work / "ledger.xlsx"
        src = Register(connect(source))
        export_ledger(src, xlsx_path)
        src.db.conn.close()
        target_x = Register(connect(work / "target-x.db"))
        t_import_x, summary_x = timed(lambda: import_ledger(target_x, xlsx_path, today=TODAY))
        assert summary_x.added == args.rows, summary_x.text()
        target_x.db.conn.close()

        verdict = "OK" if t_import < 10 else "TOO SLOW"
        print(f"baseline csv.reader of the file:        {t_read:7.3f} s")
        print(f"baseline plain executemany of the rows: {t_plain:7.3f} s")
        print(f"import {args.rows} rows (check+backup+write): {t_import:7.3f} s  "
              f"= {t_import / t_read:.0f}x csv.reader, {t_import / t_plain:.0f}x executemany  "
              f"[target < 10 s: {verdict}]")
        print(f"import the same ledger as .xlsx:        {t_import_x:7.3f} s  "
              f"= {t_import_x / t_read:.0f}x csv.reader, {t_import_x / t_import:.2f}x the CSV import")
        print(f"re-import, all unchanged:               {t_again:7.3f} s  "
              f"= {t_again / t_read:.0f}x csv.reader")

        if args.export_rows:
            big = work / "big.db"
            build_large_database(big, args.export_rows, seed=12, today=TODAY)
            reg = Register(connect(big))
            rows = [[a.get(k) for k in APPLICATION_FIELDS] for a in reg.iter_applications()]

            def plain_csv():
                with open(work / "plain.csv", "w", encoding="utf-8-sig", newline="") as fh:
                    csv.writer(fh).writerows(rows)
            t_plain_csv, _ = timed(plain_csv)
            t_csv, n = timed(lambda: export_ledger(reg, work / "big.csv"))
            t_xlsx, _ = timed(lambda: export_ledger(reg, work / "big.xlsx"))
            reg.db.conn.close()
            print(f"baseline csv.writer of {n} rows:      {t_plain_csv:7.3f} s")
            print(f"export {n} rows to .csv:              {t_csv:7.3f} s  = {t_csv / t_plain_csv:.1f}x csv.writer")
            print(f"export {n} rows to .xlsx:             {t_xlsx:7.3f} s  = {t_xlsx / t_plain_csv:.1f}x csv.writer")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
