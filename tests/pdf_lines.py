"""Lines of text as printed, rebuilt from the character boxes of a PDF
(pdfplumber), and the Chinese line-breaking rules checked on them.

A *line* is a run of characters on one baseline, cut where a table rule
passes between two characters or where the gap is wider than a
character; the *next line* of a line is the nearest line below it,
within two line heights, that overlaps it horizontally and lies between
the same table rules.  The rules are stated here independently of the
renderer (desktop_app.documents.layout), so a mistake in one is not
repeated in the other.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pdfplumber

CLOSING = "，。、；：？！）》」』】〕…%"
OPENING = "（《「『【〔“‘"
DIGIT = re.compile(r"[0-9]")
UNIT_AFTER_NUMBER = "年月日号件个%万元页条项次名"
#: Runs that must never be split between two lines.
WHOLE = [
    re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
    re.compile(r"\d{4}-\d{2}-\d{2}"),
    re.compile(r"[\u4e00-\u9fff]{2,4}〔\d{4}〕第?\d+号"),
    re.compile(r"\d+(?:个工作日|件|个|日|号|元|页|%)"),
    re.compile(r"[0-9A-Z]{18}"),  # ID numbers, unified social credit codes
]


@dataclass
class Line:
    page: int
    baseline: float
    size: float
    chars: list = field(default_factory=list)
    cell: tuple[float, float] | None = None  # the table rules left and right of it

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    def __repr__(self) -> str:
        return f"p{self.page + 1}@{self.baseline:.0f}:{self.text!r}"


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    verticals: list[tuple[float, float, float]]    # x, top, bottom (from the top of the page)
    horizontals: list[tuple[float, float, float]]  # y, x0, x1


def _rules(page):
    """The table rules of a page: vertical (x, top, bottom) and
    horizontal (y, x0, x1), in pdfplumber's top-down coordinates."""
    verticals, horizontals = [], []
    for e in page.edges:
        if abs(e["x0"] - e["x1"]) < 1.5 and abs(e["top"] - e["bottom"]) > 4:
            verticals.append(((e["x0"] + e["x1"]) / 2, e["top"], e["bottom"]))
        elif abs(e["top"] - e["bottom"]) < 1.5 and abs(e["x0"] - e["x1"]) > 4:
            horizontals.append(((e["top"] + e["bottom"]) / 2, e["x0"], e["x1"]))
    return verticals, horizontals


def _rule_between(verticals, xa: float, xb: float, y: float) -> bool:
    return any(xa - 0.5 < x < xb + 0.5 and lo - 1 <= y <= hi + 1 for x, lo, hi in verticals)


def _rule_across(horizontals, upper: Line, lower: Line) -> bool:
    """Whether a table rule runs between two lines (two rows of a table)."""
    x0, x1 = max(upper.x0, lower.x0), min(upper.x1, lower.x1)
    return any(upper.baseline < y < lower.baseline - lower.size * 0.7 and a <= x1 and b >= x0
               for y, a, b in horizontals)


def _cell_of(verticals, x0: float, x1: float, y: float) -> tuple[float, float] | None:
    left = [x for x, lo, hi in verticals if x <= x0 + 0.5 and lo - 1 <= y <= hi + 1]
    right = [x for x, lo, hi in verticals if x >= x1 - 0.5 and lo - 1 <= y <= hi + 1]
    if left and right:
        return max(left), min(right)
    return None


def read_pages(data: bytes) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages):
            verticals, horizontals = _rules(page)
            rows: dict[float, list] = {}
            for c in page.chars:
                if not c["upright"] or not c["text"].strip():
                    continue
                base = round(page.height - c["matrix"][5], 1)  # from the top, like pdfplumber
                key = next((k for k in rows if abs(k - base) < 0.6), base)
                rows.setdefault(key, []).append(c)
            lines = []
            for base, chars in sorted(rows.items()):  # top of the page first
                chars.sort(key=lambda c: c["x0"])
                current: Line | None = None
                for c in chars:
                    if current is not None:
                        prev = current.chars[-1]
                        gap = c["x0"] - prev["x1"]
                        if gap > max(prev["size"], c["size"]) * 1.05 or \
                                _rule_between(verticals, prev["x1"], c["x0"], base - c["size"] / 3):
                            lines.append(current)
                            current = None
                    if current is None:
                        current = Line(n, base, c["size"])
                    current.chars.append(c)
                    current.size = max(current.size, c["size"])
                if current is not None:
                    lines.append(current)
            for line in lines:
                line.cell = _cell_of(verticals, line.x0, line.x1, line.baseline - line.size / 3)
            pages.append(Page(n, float(page.width), float(page.height), lines, verticals, horizontals))
    return pages


def next_line(page: Page, line: Line) -> Line | None:
    """The line that continues ``line`` (same column, next baseline)."""
    below = [m for m in page.lines
             if line.baseline + 0.8 * line.size < m.baseline < line.baseline + 2.2 * line.size
             and m.x0 < line.x1 and m.x1 > line.x0 and m.cell == line.cell
             and not _rule_across(page.horizontals, line, m)]
    if not below:
        return None
    top = min(m.baseline for m in below)
    same = [m for m in below if abs(m.baseline - top) < 0.6]
    return min(same, key=lambda m: abs(m.x0 - line.x0))


def violations(data: bytes, right_edge: float | None = None, *, known_whole=()) -> list[str]:
    """Every breach of the rules in the PDF, as readable sentences.

    ``right_edge``: the x of the text area's right edge on A4 pages
    (glyphs past it are reported); ``known_whole``: strings (a document
    number, an ID number, a date) that must each print on one line
    wherever they occur."""
    out = []
    pages = read_pages(data)
    for page in pages:
        for line in page.lines:
            text = line.text
            if text[0] in CLOSING:
                out.append(f"line starts with {text[0]}: {line}")
            nxt = next_line(page, line)
            if text[-1] in OPENING and nxt is not None:
                out.append(f"line ends with {text[-1]}: {line}")
            if right_edge is not None and page.width < page.height and line.x1 > right_edge + 0.5:
                out.append(f"past the right edge by {line.x1 - right_edge:.1f} pt: {line}")
            if line.cell is not None:
                left, right = line.cell
                if line.x0 < left - 0.3 or line.x1 > right + 0.3:
                    out.append(f"runs over its table cell: {line}")
            if nxt is None:
                continue
            a, b = text, nxt.text
            if DIGIT.match(a[-1]) and (DIGIT.match(b[0]) or b[0] in UNIT_AFTER_NUMBER):
                out.append(f"number split: {line} / {nxt}")
            joined = a + b
            for rx in WHOLE:
                for m in rx.finditer(joined):
                    if m.start() < len(a) < m.end():
                        out.append(f"{m.group()} split: {line} / {nxt}")
            for s in known_whole:
                for k in range(1, len(s)):
                    if a.endswith(s[:k]) and b.startswith(s[k:]):
                        out.append(f"{s} split: {line} / {nxt}")
    return sorted(set(out))


def all_text(data: bytes) -> str:
    """The text of every line, in reading order, without spaces."""
    return "".join(line.text for page in read_pages(data) for line in page.lines).replace(" ", "")
