"""Documents benchmark (issue 4).

1. One notice (a reply letter: prepare from the record + render the PDF
   with the embedded CJK font) after the first.  Target: < 150 ms.
   The first one (font file parsed, reportlab warmed up) is shown too.
2. 500 receipts in one batch: prepare, number (one transaction) and
   render into one PDF with envelopes.  Target: < 30 s.
3. The blank application form; the preview rasterisation of one A4 page
   at 96 dpi (pdfium, what the print preview shows).

Baseline in the same run: a one-page reportlab PDF with one line of text
in the same embedded font (the least a notice can cost).

Run: ``python3 bench/bench_documents.py [--batch 500]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from desktop_app.documents import fonts as fonts_mod  # noqa: E402
from desktop_app.documents.form import render_form  # noqa: E402
from desktop_app.services import applications, notices, printing  # noqa: E402
from desktop_app.services import settings as settings_service  # noqa: E402
from desktop_app.services.session import open_register  # noqa: E402

AGENCY = {"agency_name": "望城区人民政府办公室", "agency_address": "湖南省长沙市望城区雷锋大道1号",
          "agency_postcode": "410200", "agency_phone": "0731-88001234", "doc_number_prefix": "望政公开",
          "reconsideration_body": "长沙市望城区人民政府", "litigation_court": "长沙市望城区人民法院"}


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def baseline_page(font_name: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font_name, 16)
    c.drawString(80, 700, "政府信息公开申请答复告知书")
    c.showPage()
    c.save()
    return buf.getvalue()


def record(i: int) -> dict:
    return {
        "receipt_date": dt.date(2026, 3, 2) + dt.timedelta(days=i % 20),
        "channel": "letter", "applicant_type": "natural_person", "applicant_name": f"申请人{i:04d}",
        "address": f"湖南省长沙市岳麓区麓山南路{i}号", "postcode": "410083",
        "info_description": "2025年本区老旧小区改造项目的立项批复文件、资金预算明细和招标文件",
        "outcome": "withheld", "outcome_reason": 6, "reply_date": "2026-04-20",
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp())
    reg = open_register(tmp / "bench.db", create=True)
    settings_service.update_settings(reg, AGENCY)
    with reg.store.transaction():
        ids = [applications.register_application(reg, record(i)).app_id for i in range(args.batch)]

    t_fonts, fs = timed(lambda: fonts_mod.resolve_fonts(settings_service.get_settings(reg)))
    print(f"fonts: {fs.describe()}  embedded={fs.embedded}  (resolve {t_fonts * 1000:.0f} ms, first time)")

    base, _ = timed(lambda: baseline_page(fs.body), repeat=20)
    print(f"baseline: one-page reportlab PDF, same font            {base * 1000:8.1f} ms   1.0×")

    def one_notice():
        draft = notices.prepare(reg, ids[0], "reply")
        return printing.notice_pdf(draft.snapshot)

    first, _ = timed(one_notice)
    one, pdf = timed(one_notice, repeat=20)
    print(f"first reply letter (cold)                               {first * 1000:8.1f} ms {first / base:6.1f}×")
    print(f"one reply letter after the first (median of 20)         {one * 1000:8.1f} ms {one / base:6.1f}×"
          f"   target < 150 ms: {'OK' if one < 0.150 else 'MISSED'}")

    form, _ = timed(lambda: render_form(None, settings_service.get_settings(reg)), repeat=10)
    print(f"blank application form                                   {form * 1000:8.1f} ms {form / base:6.1f}×")

    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(pdf)
        raster, _ = timed(lambda: doc[0].render(scale=96 / 72, rev_byteorder=True), repeat=10)
        print(f"preview: rasterise one A4 page at 96 dpi (pdfium)       {raster * 1000:8.1f} ms {raster / base:6.1f}×")
    except ImportError:
        print("preview rasterisation: pypdfium2 not installed")

    def batch():
        drafts = notices.prepare_many(reg, ids, "receipt")
        issued = notices.issue_many(reg, drafts)
        return printing.batch_pdf([d.snapshot for d in issued], envelopes=printing.WITH_ENVELOPE)

    t_batch, data = timed(batch)
    size = len(data) / 1024
    print(f"{args.batch} receipts + envelopes in one batch PDF             {t_batch:8.2f} s  {t_batch / base:6.0f}×"
          f"   target < 30 s: {'OK' if t_batch < 30 else 'MISSED'}   ({size:.0f} KB, "
          f"{t_batch / args.batch * 1000:.1f} ms per application)")
    reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
