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
4. (issue 10) An agency's own ledger of 10,000 rows as .xlsx and as .xls:
   a title row, synonym headers (受理编号, 收件日期, 申请人姓名, 身份证号,
   申请公开内容, 答复时间, 答复结果…), the agency's numbering
   (望政依申〔2025〕N号), Chinese date texts.  Target: < 10 s each; the
   baseline is reading the same file with the plain library in the same
   run (openpyxl read-only ``iter_rows``; xlrd ``row_values``).

Run: ``python3 bench/bench_import.py [--rows 10000] [--export-rows 100000]``
(``--only-agency`` runs part 4 alone; it needs xlwt, a test dependency, to
write the .xls).
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

from desktop_app.services.demo import build_large_database  # noqa: E402
from desktop_app.services.ledger import export_ledger, import_ledger  # noqa: E402
from desktop_app.domain.records import APPLICATION_FIELDS  # noqa: E402
from desktop_app.services import applications  # noqa: E402
from desktop_app.services.session import open_register  # noqa: E402
from desktop_app.storage.database import connect  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


AGENCY_HEADERS = ["序号", "受理编号", "收件日期", "申请人姓名", "申请人类别", "身份证号", "联系电话", "通讯地址",
                  "申请公开内容", "申请渠道", "答复时间", "答复结果", "具体情形", "经办人"]


def agency_rows(records: list[dict]) -> list[list]:
    """The applications as an agency's own ledger writes them."""
    from desktop_app.domain import catalog
    from desktop_app.ledger.columns import applicant_type_label

    out = []
    for i, r in enumerate(records, start=1):
        d = dt.date.fromisoformat(r["receipt_date"])
        reply = dt.date.fromisoformat(r["reply_date"]) if r["reply_date"] else None
        outcome = catalog.OUTCOMES.get(r["outcome"] or "")
        out.append([
            i, f"望政依申〔{d.year}〕{i}号", f"{d.year}年{d.month}月{d.day}日", r["applicant_name"],
            applicant_type_label(r["applicant_type"], r["org_kind"]), r["id_number"] or "", r["phone"] or "",
            r["address"] or "", r["info_description"], catalog.CHANNELS.get(r["channel"] or "", ""),
            f"{reply.year}.{reply.month}.{reply.day}" if reply else "",
            catalog.OUTCOME_SHORT_LABELS.get(r["outcome"] or "", ""),
            outcome.reasons[r["outcome_reason"] - 1] if outcome and r["outcome_reason"] else "", "王某",
        ])
    return out


def write_agency_xlsx(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("依申请公开台账")
    ws.append(["望城区人民政府办公室政府信息公开申请登记台账"])
    ws.append(AGENCY_HEADERS)
    for row in rows:
        ws.append(row)
    ws.append(["合计", None, f"{len(rows)}件"])
    wb.save(path)


def write_agency_xls(path: Path, rows: list[list]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("依申请公开台账")
    sh.write(0, 0, "望城区人民政府办公室政府信息公开申请登记台账")
    for c, h in enumerate(AGENCY_HEADERS):
        sh.write(1, c, h)
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row):
            if v not in ("", None):
                sh.write(r, c, v)
    sh.write(len(rows) + 2, 0, "合计")
    book.save(str(path))


def plain_openpyxl(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    wb.close()
    return n


def plain_calamine(path: Path) -> int:
    """The same file read with python-calamine alone (what the import reads .xlsx with)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    n = sum(1 for name in wb.sheet_names for _ in wb.get_sheet_by_name(name).iter_rows())
    wb.close()
    return n


def plain_xlrd(path: Path) -> int:
    import xlrd

    book = xlrd.open_workbook(str(path))
    n = sum(len(sh.row_values(r)) > 0 for sh in book.sheets() for r in range(sh.nrows))
    book.release_resources()
    return n


def bench_agency(work: Path, source: Path, rows_wanted: int) -> None:
    src = open_register(source, create=True)
    records = [a.values() for a in sorted(applications.all_applications(src), key=lambda a: (a.receipt_date, a.id))]
    src.close()
    rows = agency_rows(records)
    for fmt, writer, plain, name in (("xlsx", write_agency_xlsx, plain_openpyxl, "openpyxl read-only iter_rows"),
                                     ("xls", write_agency_xls, plain_xlrd, "xlrd open_workbook + row_values")):
        path = work / f"agency.{fmt}"
        writer(path, rows)
        t_plain, n = timed(lambda: plain(path))
        target = open_register(work / f"agency-{fmt}.db", create=True)
        t_import, summary = timed(lambda: import_ledger(target, path, today=TODAY))
        assert summary.added == rows_wanted, summary.text()
        t_again, again = timed(lambda: import_ledger(target, path, today=TODAY))
        assert again.unchanged == rows_wanted, again.text()
        target.close()
        verdict = "OK" if t_import < 10 else "TOO SLOW"
        print(f"agency ledger .{fmt} ({path.stat().st_size / 1e6:.1f} MB, synonym headers, {n} rows read):")
        print(f"  baseline {name}: {t_plain:7.3f} s")
        print(f"  import {rows_wanted} rows (read+check+backup+write): {t_import:7.3f} s  "
              f"= {t_import / t_plain:.1f}x the plain read  [target < 10 s: {verdict}]"
              f"  ({summary.flagged} flagged 待核实)")
        print(f"  re-import, all unchanged:            {t_again:7.3f} s  = {t_again / t_plain:.1f}x the plain read")
        if fmt == "xlsx":  # the library the import reads .xlsx with
            t_cal, _ = timed(lambda: plain_calamine(path))
            print(f"  baseline python-calamine read (what the import uses): {t_cal:7.3f} s; import "
                  f"= {t_import / t_cal:.1f}x, re-import = {t_again / t_cal:.1f}x")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--only-agency", action="store_true", help="only the agency's own ledger (part 4)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        if args.only_agency:
            source = work / "source.db"
            build_large_database(source, args.rows, seed=11, today=TODAY)
            bench_agency(work, source, args.rows)
            return 0
        source = work / "source.db"
        build_large_database(source, args.rows, seed=11, today=TODAY)
        src = open_register(source, create=True)
        csv_path = work / "ledger.csv"
        export_ledger(src, csv_path)
        records = [a.values() for a in applications.all_applications(src)]
        src.close()
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
            cols = [*APPLICATION_FIELDS, "created_at", "updated_at"]
            with db.atomic():
                db.conn.executemany(
                    f"INSERT INTO applications({', '.join(cols)}) VALUES({', '.join('?' for _ in cols)})",
                    [[r.get(c) for c in APPLICATION_FIELDS] + [stamp, stamp] for r in records])
            db.conn.close()
        t_plain, _ = timed(plain_insert)

        target = open_register(work / "target.db", create=True)
        t_import, summary = timed(lambda: import_ledger(target, csv_path, today=TODAY))
        assert summary.added == args.rows, summary.text()
        t_again, again = timed(lambda: import_ledger(target, csv_path, today=TODAY))
        assert again.unchanged == args.rows and not again.added and not again.updated, again.text()
        target.close()

        # The same ledger as .xlsx (openpyxl read-only).
        xlsx_path = work / "ledger.xlsx"
        src = open_register(source, create=True)
        export_ledger(src, xlsx_path)
        src.close()
        target_x = open_register(work / "target-x.db", create=True)
        t_import_x, summary_x = timed(lambda: import_ledger(target_x, xlsx_path, today=TODAY))
        assert summary_x.added == args.rows, summary_x.text()
        target_x.close()

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

        bench_agency(work, source, args.rows)

        if args.export_rows:
            big = work / "big.db"
            build_large_database(big, args.export_rows, seed=12, today=TODAY)
            reg = open_register(big, create=True)
            rows = [[getattr(a, k) for k in APPLICATION_FIELDS] for a in applications.all_applications(reg)]

            def plain_csv():
                with open(work / "plain.csv", "w", encoding="utf-8-sig", newline="") as fh:
                    csv.writer(fh).writerows(rows)
            t_plain_csv, _ = timed(plain_csv)
            t_csv, n = timed(lambda: export_ledger(reg, work / "big.csv"))
            t_xlsx, _ = timed(lambda: export_ledger(reg, work / "big.xlsx"))
            reg.close()
            print(f"baseline csv.writer of {n} rows:      {t_plain_csv:7.3f} s")
            print(f"export {n} rows to .csv:              {t_csv:7.3f} s  = {t_csv / t_plain_csv:.1f}x csv.writer")
            print(f"export {n} rows to .xlsx:             {t_xlsx:7.3f} s  = {t_xlsx / t_plain_csv:.1f}x csv.writer")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
