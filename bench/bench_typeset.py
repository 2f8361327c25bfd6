"""Typesetting benchmark (issue 16): what the Chinese line-breaking rules
cost.

Breaking and drawing 200 long paragraphs of a notice's body text (A4,
三号, justified; the 申请内容 of tests/typeset_samples.py) with the app's
Paragraph (避头尾, numbers, dates, 文号 and ID numbers kept whole,
justified by character spacing); baseline: reportlab's own CJK
Paragraph on the same text and style, in the same run.  Medians of 7.

Run: ``python3 bench/bench_typeset.py``.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from reportlab.platypus import Paragraph as PlainParagraph  # noqa: E402
from reportlab.platypus import SimpleDocTemplate  # noqa: E402

from desktop_app.documents import layout  # noqa: E402
from desktop_app.documents.fonts import resolve_fonts  # noqa: E402

import typeset_samples as samples  # noqa: E402


def median_time(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def build(paragraph_class, texts, style) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, leftMargin=layout.MARGIN_LEFT, rightMargin=layout.MARGIN_RIGHT)
    doc.build([paragraph_class(layout.text(t), style) for t in texts])
    return buf.getvalue()


def main() -> int:
    fonts = resolve_fonts({})
    style = layout.make_styles(fonts).body
    texts = [samples.CONTENT] * 200
    base = median_time(lambda: build(PlainParagraph, texts, style))
    ours = median_time(lambda: build(layout.Paragraph, texts, style))
    chars = sum(len(t) for t in texts)
    print(f"font: {fonts.body}; {len(texts)} paragraphs, {chars} characters")
    print(f"baseline: reportlab CJK Paragraph   {base * 1000:8.1f} ms   1.00")
    print(f"layout.Paragraph (rules, justified)  {ours * 1000:8.1f} ms   {ours / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
