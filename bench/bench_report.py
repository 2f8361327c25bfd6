"""Annual report benchmark (issue 5).

1. Section 三 statistics of one year of a 100,000-application register
   (fetch the needed columns + count in Python, the path the GUI and the
   CLI use).  Target: < 300 ms.  Baseline in the same run: one plain SQL
   ``GROUP BY`` over the same rows (applicant type, kind, outcome, reason)
   — what a hand-written query would cost, without the year logic.
2. The whole report document of that year (sections 二–四, narrative
   drafts), and the PDF export of it.  Target for the PDF: < 2 s.
   Baseline: a one-page reportlab PDF with the same embedded font.
3. The drill-down of the busiest cell (the applications behind
   一、本年新收·总计).

Run: ``python3 bench/bench_report.py [--rows 100000] [--year 2025]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from desktop_app.services.demo import build_large_database  # noqa: E402
from desktop_app.documents.fonts import resolve_fonts  # noqa: E402
from desktop_app.services.report import export_report  # noqa: E402
from desktop_app.domain import report_stats as rs  # noqa: E402
from desktop_app.services import report  # noqa: E402
from desktop_app.services import settings as settings_service  # noqa: E402
from desktop_app.services.session import open_register  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def best_of(fn, repeat: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--year", type=int, default=2025)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_report_"))
    db_path = work / "large.db"
    t = time.perf_counter()
    build_large_database(db_path, args.rows, today=TODAY)
    print(f"built {args.rows:,} applications in {time.perf_counter() - t:.1f} s ({db_path})")
    reg = open_register(db_path, create=True)
    year = args.year
    start, end = rs.year_bounds(year)
    in_scope = reg.store.db.execute(
        "SELECT count(*) FROM applications WHERE receipt_date <= ? AND "
        "(reply_date IS NULL OR reply_date >= ? OR outcome IS NULL)", [end, start]).fetchone()[0]
    print(f"year {year}: {in_scope:,} applications in scope of the table")

    def group_by():
        return reg.store.db.execute(
            "SELECT applicant_type, org_kind, outcome, outcome_reason, count(*) FROM applications "
            "WHERE receipt_date <= ? AND (reply_date IS NULL OR reply_date >= ? OR outcome IS NULL) "
            "GROUP BY 1, 2, 3, 4", [end, start]).fetchall()

    base, _ = best_of(group_by)
    stats, s3 = best_of(lambda: report.section3(reg, year))
    fetch, rows = best_of(lambda: reg.store.report.section3_rows(year))
    count, _ = best_of(lambda: rs.compute_section3(rows, year))
    print(f"plain SQL GROUP BY (baseline)           {base * 1000:8.1f} ms")
    print(f"section 三 statistics (fetch + count)    {stats * 1000:8.1f} ms  "
          f"ratio {stats / base:.2f}x  target < 300 ms: {'OK' if stats < 0.3 else 'SLOW'}")
    print(f"  of which fetch {fetch * 1000:.1f} ms, count {count * 1000:.1f} ms")
    print(f"  identity errors: {s3.identity_errors()}  新收 {s3.value('new'):,}  "
          f"办结 {s3.value('total'):,}  结转 {s3.value('carry_forward'):,}")

    doc_time, document = best_of(lambda: report.build_document(reg, year), repeat=3)
    print(f"whole report document                   {doc_time * 1000:8.1f} ms  ratio {doc_time / base:.2f}x")
    drill, ids = best_of(lambda: report.applications_in_cell(reg, year, "new"), repeat=3)
    print(f"drill-down 一、本年新收·总计 ({len(ids):,} rows)  {drill * 1000:8.1f} ms  ratio {drill / base:.2f}x")

    fonts = resolve_fonts(settings_service.get_settings(reg))

    def one_page():
        c = canvas.Canvas(str(work / "base.pdf"), pagesize=A4)
        c.setFont(fonts.body, 12)
        c.drawString(100, 700, "政府信息公开工作年度报告")
        c.showPage()
        c.save()

    pdf_base, _ = best_of(one_page, repeat=3)
    pdf, _ = best_of(lambda: export_report(document, work / "report.pdf", settings_service.get_settings(reg)), repeat=3)
    print(f"one-page reportlab PDF (baseline)       {pdf_base * 1000:8.1f} ms")
    print(f"annual report PDF export                {pdf * 1000:8.1f} ms  ratio {pdf / pdf_base:.2f}x  "
          f"target < 2 s: {'OK' if pdf < 2 else 'SLOW'}")
    for ext in (".docx", ".xlsx", ".json"):
        t, _ = best_of(lambda: export_report(document, work / f"report{ext}"), repeat=3)
        print(f"annual report {ext:5s} export              {t * 1000:8.1f} ms")
    gui_bench(reg, db_path, year, base)
    reg.close()
    return 0


def gui_bench(reg, db_path, year: int, base: float) -> None:
    """The 年度报告 page on the same register (Qt offscreen): opening it on
    a year, and the drill-down of 一、本年新收·总计."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.ui.qt_workarounds import protect_none_refcount

    protect_none_refcount()
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.context import AppContext
    from desktop_app.ui.features import FEATURES
    from desktop_app.ui.report_page import ReportPage

    app = QApplication.instance() or QApplication([])
    context = AppContext(reg, FEATURES)
    page = ReportPage(context)
    page.show()
    app.processEvents()

    def load():
        page.load_year()
        app.processEvents()

    page.year.blockSignals(True)
    page.year.setValue(year)
    page.year.blockSignals(False)
    t, _ = best_of(load, repeat=3)
    print(f"report page: load year {year} (tables, check, texts) {t * 1000:8.1f} ms  ratio {t / base:.2f}x")

    def drill():
        page.show_cell(("section3", "new", "total"))
        app.processEvents()

    t, _ = best_of(drill, repeat=3)
    print(f"report page: drill-down list of {page.cell_model.rowCount():,} applications "
          f"{t * 1000:8.1f} ms  ratio {t / base:.2f}x")
    page.close()


if __name__ == "__main__":
    raise SystemExit(main())
