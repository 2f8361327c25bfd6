"""The page and the type of the app's documents, after GB/T 9704-2012
《党政机关公文格式》, and the PDF builder every document goes through.

* A4 (210×297 mm); margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm
  right, leaving the 156×225 mm text area of the standard.
* Body in a 仿宋-style font at 16 pt (三号), 22 lines to the page
  (leading ≈ 28.9 pt), paragraphs indented two characters; the title at
  22 pt (二号), centred; headings in a 黑体-style font.
* Page numbers “— 1 —” in 14 pt (四号), 7 mm below the text area, odd
  pages right and even pages left, one character in from the edge.
* The agency name and the date at the foot, the date four characters from
  the right, with room above for the seal; kept on one page with the
  last paragraph so a two-page notice never leaves them alone.

A PDF may hold several documents (a batch print); page numbers restart at
each :class:`DocumentStart`.  Envelope pages (DL, 220×110 mm) use their own
page template and carry no page number.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer,
                                Table, TableStyle)

from .. import APP_NAME, __version__
from ..files.atomic import atomic_path
from .fonts import FontSet

PAGE_A4 = A4
PAGE_DL = (220 * mm, 110 * mm)

MARGIN_TOP = 37 * mm
MARGIN_BOTTOM = 35 * mm
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
TEXT_WIDTH = PAGE_A4[0] - MARGIN_LEFT - MARGIN_RIGHT   # 156 mm
TEXT_HEIGHT = PAGE_A4[1] - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

BODY_SIZE = 16            # 三号
TITLE_SIZE = 22           # 二号
PAGE_NUMBER_SIZE = 14     # 四号
LINE = TEXT_HEIGHT / 22   # 22 lines to the page
CHAR = BODY_SIZE          # one character (全角) wide

CREATOR = f"{APP_NAME} {__version__}"

# --- Chinese line breaking ------------------------------------------------------------
#
# One rule set for every line of every PDF (paragraphs, table cells, the
# envelope), after the 禁则 of Chinese typesetting (GB/T 15834 and the
# W3C "Requirements for Chinese Text Layout"):
#
# * a line never starts with closing punctuation (避头) nor ends with
#   opening punctuation (避尾); the character is not hung in the margin
#   but the break moves back, so nothing passes the right edge;
# * numbers stay with their unit (8件, 20个工作日, 85%), dates stay whole
#   (2025年12月31日, 2025-12-31), a 文号 stays whole (望政公开〔2026〕第12号),
#   and so do runs of Latin letters and digits (ID numbers, credit codes,
#   telephone numbers, e-mail addresses); only a run longer than the line
#   is broken, after one of . @ / - _ where it can;
# * justified lines are set flush on both sides by spacing the characters
#   (reportlab justifies by word spaces only, which Chinese lines lack);
# * centred cells (table headers, labels) are balanced: the lines of a
#   wrapped cell are made as even as the width allows, never 商业企/业.

#: Never at the start of a line (closing punctuation and the like).
NO_LINE_START = "，。、；：？！）》」』】〕〉］｝〗〙…‥’”·．%‰,.;:?!)]}>"
#: Never at the end of a line (opening punctuation).
NO_LINE_END = "（《「『【〔〈［｛〖〘“‘([{<"
_UNIT = "(?:%|‰|℃|万元|亿元|个工作日|个月|工作日|周岁|[个件日天年月号元万亿条款项次页名人家份张册本届期位时分秒岁倍户处])"
_ALNUM = r"[0-9A-Za-z](?:[0-9A-Za-z]|[.,:/@_\-+#&'](?=[0-9A-Za-z]))*"
#: Runs kept on one line, most specific first.
KEEP_WHOLE = re.compile("|".join(f"(?:{p})" for p in (
    # 文号 (望政公开〔2026〕第12号): the issuer's short name is the Chinese
    # characters before 〔, at most six, not running back over a word
    # such as 为 or 号 that ends the sentence before it ("文号为望住建发〔…").
    r"(?:(?![为是的和与及或在于对将把被从向号即如])[\u3400-\u9fff]){0,6}[〔［\[]\d{4}[〕］\]]第?\d+号",
    r"[□■☐☑☒][^\s\u00a0]{1,12}",                        # a tick box with its label
    r"年[\u00a0\u3000 ]*月[\u00a0\u3000 ]*日",              # a date left blank to fill in: 年　月　日
    r"\d{4}年\d{1,2}月\d{1,2}日", r"\d{4}年\d{1,2}月", r"\d{1,2}月\d{1,2}日",  # dates
    r"第?[ \u00a0]?" + _ALNUM + f"(?:[ \u00a0]?{_UNIT})?",   # numbers with their unit, codes, words
    r"——+", r"…+",
)))
_SOFT_AFTER = ".@/-_:"  # where a run too long for its line breaks first
_OK, _IN_RUN, _PUNCT = 0, 1, 2  # how bad a break before a character is


def break_penalties(chars: str) -> list[int]:
    """For each position i, how bad a line break before ``chars[i]`` is:
    0 allowed, 1 inside a run kept whole, 2 against the punctuation rules
    (position 0 is never a break)."""
    n = len(chars)
    pen = [_OK] * n
    for m in KEEP_WHOLE.finditer(chars):
        for i in range(m.start() + 1, m.end()):
            pen[i] = _IN_RUN
    for i in range(1, n):
        if chars[i] in NO_LINE_START or chars[i - 1] in NO_LINE_END:
            pen[i] = _PUNCT
    if n:
        pen[0] = _PUNCT
    return pen


def _soft(chars: str, i: int) -> bool:
    """Whether a run too long for its line may break before ``chars[i]``
    first: after a separator of a Latin run, or after a Chinese character
    (望政公开 / 〔2026〕, 2025年 / 12月31日), never between digits or a
    number and its unit."""
    return chars[i - 1] in _SOFT_AFTER or not chars[i - 1].isascii()


def _last(pen, i: int, lower: int, ok) -> int | None:
    """The rightmost break position in (lower, i] that ``ok`` accepts."""
    for j in range(i, lower, -1):
        if ok(j):
            return j
    return None


def break_lines(chars: str, widths: list[float], max_widths, hard: AbstractSet[int] = frozenset()) -> list[tuple[int, int]]:
    """Greedy line breaking by the rules above.  ``widths[i]`` is the
    advance of ``chars[i]``; ``hard`` holds the indices of forced breaks
    (a forced break ends its line and belongs to it).  Returns (start,
    end) slices, spaces at a break left out."""
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    n = len(chars)
    pen = break_penalties(chars)
    runs: list[tuple[int, int] | None] = [None] * n
    for m in KEEP_WHOLE.finditer(chars):
        for k in range(m.start(), m.end()):
            runs[k] = (m.start(), m.end())
    lines: list[tuple[int, int]] = []
    s = 0
    while s < n:
        while s < n and chars[s] == " " and s not in hard:  # no line starts with a space
            s += 1
        if s >= n:
            break
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        w, i = 0.0, s
        while i < n and i not in hard:
            if w + widths[i] > limit + 1e-6 and i > s:
                break
            w += widths[i]
            i += 1
        if i >= n:
            lines.append((s, n))
            break
        if i in hard:
            lines.append((s, i + 1))
            s = i + 1
            continue
        b = None
        # A run too long for any line is broken where the line is full
        # rather than moved whole to a line it cannot fit either.
        floor = s
        run = runs[i]
        if run is not None and run[0] > s:
            next_limit = max_widths[min(len(lines) + 1, len(max_widths) - 1)]
            if sum(widths[run[0]:run[1]]) > next_limit + 1e-6:
                floor = run[0]
        b = _last(pen, i, max(s, floor), lambda j: pen[j] == _OK)
        if b is None:
            b = (_last(pen, i, max(s, floor), lambda j: pen[j] == _IN_RUN and _soft(chars, j))
                 or _last(pen, i, s, lambda j: pen[j] == _IN_RUN and _soft(chars, j))
                 or _last(pen, i, s, lambda j: pen[j] <= _IN_RUN)
                 or _last(pen, i, s, lambda j: True))
        if b is None:  # one character wider than the line
            b = max(i, s + 1)
        e = b
        while e > s + 1 and chars[e - 1] == " ":
            e -= 1
        lines.append((s, e))
        s = b
    return lines


def _units(chars: str, soft_runs: bool = True) -> list[tuple[int, int]]:
    """The pieces between allowed breaks (and soft breaks inside long runs)."""
    pen = break_penalties(chars)
    cuts = [i for i in range(1, len(chars)) if pen[i] == _OK or (soft_runs and pen[i] == _IN_RUN and _soft(chars, i))]
    bounds = [0] + cuts + [len(chars)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def wrap_text(value: str, font: str, size: float, width: float) -> list[str]:
    """Plain text broken into lines of at most ``width`` points by the
    rules above (for text drawn directly on the canvas: the envelope)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for part in str(value or "").split("\n"):
        widths = [stringWidth(ch, font, size) for ch in part]
        out += [part[a:b] for a, b in break_lines(part, widths, width)]
    return out


_WIDTHS: dict[tuple[str, float, str], float] = {}


def _char_width(ch: str, font: str, size: float) -> float:
    key = (font, size, ch)
    w = _WIDTHS.get(key)
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        w = _WIDTHS[key] = stringWidth(ch, font, size)
    return w


def _frag_chars(frags) -> tuple[list[int], str, list[float], set[int]]:
    """reportlab's frags as one string for the rules ('\n' for a forced
    break, U+FFFC for an object), with each character's frag (index) and
    advance, and the indices of forced breaks."""
    owner: list[int] = []
    parts: list[str] = []
    widths: list[float] = []
    hard: set[int] = set()
    for k, f in enumerate(frags):
        t = f.text if hasattr(f, "text") else ""
        if isinstance(t, bytes):
            t = t.decode("utf8")
        if t:
            parts.append(t)
            owner += [k] * len(t)
            widths += [_char_width(ch, f.fontName, f.fontSize) for ch in t]
        else:
            if hasattr(f, "lineBreak"):
                hard.add(len(owner))
                parts.append("\n")
                widths.append(0.0)
            else:
                parts.append("\ufffc")
                widths.append(getattr(getattr(f, "cbDefn", None), "width", 0) or 0.0)
            owner.append(k)
    return owner, "".join(parts), widths, hard


def _make_line(frags, owner, chars, a: int, b: int, used: float, limit: float, forced: bool):
    """A reportlab FragLine of chars[a:b] (one word per run of one frag)."""
    words = []
    size = ascent = descent = 0.0
    k = a
    while k < b:
        f = frags[owner[k]]
        e = k
        while e < b and owner[e] == owner[k]:
            e += 1
        w = f.clone()
        w.text = "" if chars[k] in "\n\ufffc" and not getattr(f, "text", "") else chars[k:e]
        words.append(w)
        fs = getattr(f, "fontSize", 0) or 0
        if fs:
            asc, desc = _rl_paragraph.getAscentDescent(f.fontName, fs)
            size, ascent, descent = max(size, fs), max(ascent, asc), min(descent, desc)
        k = e
    line = _rl_paragraph.FragLine(kind=1, extraSpace=limit - used, wordCount=1, words=words, fontSize=size,
                                  ascent=ascent, descent=descent, maxWidth=limit, currentWidth=used,
                                  lineBreak=forced)
    line.dd_glyphs = sum(1 for k in range(a, b) if chars[k] not in "\n\ufffc")
    return line


class Paragraph(_RLParagraph):
    """reportlab's Paragraph broken by the Chinese rules above, justified
    by character spacing, balanced when centred.  Every paragraph of the
    app's PDFs is one of these (``para`` makes them)."""

    def breakLines(self, width):  # every paragraph, whatever its wordWrap
        return self.breakLinesCJK(width)

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        if not self.frags:
            return _rl_paragraph.ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                                           textColor=style.textColor, lines=[], ascent=style.fontSize,
                                           descent=-0.2 * style.fontSize)
        owner, chars, widths, hard = _frag_chars(self.frags)
        spans = break_lines(chars, widths, maxWidths, hard)
        if style.alignment == TA_CENTER and 1 < len(spans) <= 8:
            spans = _balance_segments(chars, widths, maxWidths, spans, hard)
        else:
            spans = _no_lone_last(chars, widths, maxWidths, spans, hard)
        lines = []
        for n, (a, b) in enumerate(spans):
            limit = maxWidths[min(n, len(maxWidths) - 1)]
            used = sum(widths[a:b])
            lines.append(_make_line(self.frags, owner, chars, a, b, used, limit, b - 1 in hard))
        bl = _rl_paragraph.ParaLines(kind=1, lines=lines)
        bl.dd_cjk = True
        return bl

    def _get_split_blParaFunc(self):
        # Lines of Chinese text rejoin without the space reportlab puts
        # between the lines of Western text.
        if getattr(self.blPara, "dd_cjk", False):
            return _rejoin_lines
        return super()._get_split_blParaFunc()

    def content_widths(self) -> tuple[float, float]:
        """(narrowest, natural) width of the text: the widest piece that
        may not be broken, and the widest line when nothing wraps; a
        centred paragraph's narrowest width leaves no character alone on
        a line of its own."""
        _owner, chars, widths, hard = _frag_chars(self.frags)
        style = self.style
        indent = style.leftIndent + style.rightIndent
        natural, start = 0.0, 0
        for k in sorted(hard) + [len(chars)]:
            natural = max(natural, sum(widths[start:k]))
            start = k + 1
        narrow = max((sum(widths[a:b]) for a, b in _units(chars)), default=0.0)
        if style.alignment == TA_CENTER and natural > narrow and not hard:
            step = max(1.0, style.fontSize / 4)
            w = narrow
            while w < natural:
                if all(sum(1 for k in range(a, b) if chars[k] not in NO_LINE_START) > 1
                       for a, b in break_lines(chars, widths, [w], set())):
                    break
                w += step
            narrow = min(w, natural)
        return narrow + indent + max(style.firstLineIndent, 0), natural + indent + max(style.firstLineIndent, 0)


_NICE_BEFORE = "（《“〔【"
_NICE_AFTER = "）》”〕】，、；：。"


def _balanced(chars: str, widths: list[float], limit: float, count: int) -> list[tuple[int, int]]:
    """The narrowest layout of ``chars`` in ``count`` lines, or, when one
    not much wider breaks only at punctuation (长沙市……建设局 /
    （区人民防空办公室）), that one."""
    lo, hi = max(widths, default=0.0), limit
    best = break_lines(chars, widths, [limit])
    for _ in range(14):
        mid = (lo + hi) / 2
        trial = break_lines(chars, widths, [mid])
        if len(trial) <= count:
            best, hi = trial, mid
        else:
            lo = mid
    narrow = hi
    step = max(1.0, (limit - narrow) / 16)
    w = narrow
    while w <= limit + 1e-6:
        trial = break_lines(chars, widths, [w])
        if len(trial) == count and all(chars[b] in _NICE_BEFORE or chars[b - 1] in _NICE_AFTER
                                       for _a, b in trial[:-1]):
            return trial
        w += step
    return best


def _lone(chars: str, span: tuple[int, int]) -> bool:
    """Whether a line holds one character only (closing punctuation aside)."""
    return sum(1 for k in range(*span) if chars[k] not in NO_LINE_START and chars[k] != " ") == 1


def _no_lone_last(chars, widths, max_widths, spans, hard) -> list[tuple[int, int]]:
    """A paragraph whose last line would hold one character alone (三、本年 /
    度办理结 / 果) takes one more down from the line before (度办理 / 结果),
    when that keeps the count of lines; a last line after a forced break
    stays as written."""
    if len(spans) < 2 or not _lone(chars, spans[-1]) or spans[-2][1] - 1 in hard:
        return spans
    n = len(spans)
    a, b = spans[-2]
    limits = [max_widths[min(k, len(max_widths) - 1)] for k in range(n)]
    limits[n - 2] = sum(widths[a:b]) - 0.01  # the line before, one piece shorter
    trial = break_lines(chars, widths, limits, hard)
    if len(trial) == n and trial[:-2] == spans[:-2] and not _lone(chars, trial[-1]) \
            and not _lone(chars, trial[-2]):
        return trial
    return spans


def _balance_segments(chars, widths, max_widths, spans, hard) -> list[tuple[int, int]]:
    """Balance each part of a centred paragraph between forced breaks."""
    limit = max(max_widths)
    out: list[tuple[int, int]] = []
    group: list[tuple[int, int]] = []
    for span in spans + [None]:
        if span is not None:
            group.append(span)
            if span[1] - 1 not in hard:
                continue
        if not group:
            continue
        a = group[0][0]
        b = group[-1][1] - (1 if group[-1][1] - 1 in hard else 0)
        if len(group) > 1:
            part = _balanced(chars[a:b], widths[a:b], limit, len(group))
            part = [(a + x, a + y) for x, y in part]
            if group[-1][1] != b:  # the forced break stays at the end of its line
                part[-1] = (part[-1][0], group[-1][1])
            out += part
        else:
            out += group
        group = []
    return out


def _rejoin_lines(bl_para, start, stop):
    return [w for line in bl_para.lines[start:stop] for w in line.words]


_rl_justify_line = getattr(_rl_paragraph, "_justifyDrawParaLineX", None)


#: The most space added between two characters to set a line flush, as a
#: fraction of the font size: what a full line needs (its last character
#: did not fit; under 0.08 in every document the app prints).  A line
#: ended early because the run after it is kept whole (a date, a 文号, a
#: number with its unit) or by the punctuation rules would need more:
#: stretched, its characters (and the digits of a number) stand visibly
#: apart, so it is left ragged instead, as a line before a forced break is.
NORMAL_STRETCH = 1 / 8


def _justify_line(tx, offset, line, last=0):
    """Draw a justified line; a line of Chinese text is set flush on both
    sides by spacing its characters, never more than
    :data:`NORMAL_STRETCH` (else it stays ragged)."""
    glyphs = getattr(line, "dd_glyphs", 0)
    extra = getattr(line, "extraSpace", 0)
    if (glyphs > 1 and not last and not getattr(line, "lineBreak", False) and extra > 1e-6
            and extra / (glyphs - 1) <= line.fontSize * NORMAL_STRETCH):
        tx.setCharSpace(extra / (glyphs - 1))
        line.extraSpace = 0
        try:
            return _rl_justify_line(tx, offset, line, last)
        finally:
            line.extraSpace = extra
            tx.setCharSpace(0)
    return _rl_justify_line(tx, offset, line, last)


if _rl_justify_line is not None and not getattr(_rl_justify_line, "dd_wrapped", False):
    # Only lines made by Paragraph above carry dd_glyphs; every other line
    # is drawn exactly as before.
    _justify_line.dd_wrapped = True  # type: ignore[attr-defined]  # the mark that says reportlab is patched once
    _rl_paragraph._justifyDrawParaLineX = _justify_line


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_flush: ParagraphStyle
    addressee: ParagraphStyle
    title: ParagraphStyle
    doc_number: ParagraphStyle
    heading: ParagraphStyle
    signature: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_center: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle


def make_styles(fonts: FontSet, cell_size: float = 14) -> Styles:
    body = ParagraphStyle("body", fontName=fonts.body, fontSize=BODY_SIZE, leading=LINE,
                          firstLineIndent=2 * CHAR, alignment=TA_JUSTIFY, wordWrap="CJK",
                          allowOrphans=0, allowWidows=0)
    cell = ParagraphStyle("cell", fontName=fonts.body, fontSize=cell_size, leading=cell_size * 1.35,
                          wordWrap="CJK", alignment=TA_LEFT)
    return Styles(
        body=body,
        body_flush=ParagraphStyle("body_flush", parent=body, firstLineIndent=0),
        addressee=ParagraphStyle("addressee", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        title=ParagraphStyle("title", fontName=fonts.title, fontSize=TITLE_SIZE,
                             leading=TITLE_SIZE * 1.5, alignment=TA_CENTER, wordWrap="CJK",
                             spaceAfter=LINE * 0.3),
        doc_number=ParagraphStyle("doc_number", parent=body, firstLineIndent=0, alignment=TA_CENTER,
                                  spaceAfter=LINE * 0.5),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.heading, firstLineIndent=2 * CHAR),
        signature=ParagraphStyle("signature", parent=body, firstLineIndent=0, alignment=TA_CENTER),
        cell=cell,
        cell_label=ParagraphStyle("cell_label", parent=cell, fontName=fonts.heading, alignment=TA_CENTER),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        small=ParagraphStyle("small", parent=cell, fontSize=min(cell_size, 10.5), leading=min(cell_size, 10.5) * 1.4),
        note=ParagraphStyle("note", parent=body, fontSize=12, leading=18, firstLineIndent=0),
    )


def text(value) -> str:
    """Plain text for a Paragraph: XML-escaped, newlines kept as breaks,
    full-width spaces kept (reportlab would collapse them like blanks)."""
    return escape(str(value or "")).replace("\n", "<br/>").replace("\u3000", "\u00a0\u00a0")


def para(value, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


# --- multi-document PDFs ------------------------------------------------------------


class DocumentStart(Flowable):
    """Zero-size marker: page numbers restart here (a new document in a
    batch), and whether the following pages are numbered."""

    def __init__(self, numbered: bool = True):
        super().__init__()
        self.numbered = numbered

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        doc = self.canv._doctemplate
        doc._dd_start_page = self.canv.getPageNumber()
        doc._dd_numbered = self.numbered


class FullPageDrawing(Flowable):
    """A flowable filling a whole-page frame and drawing with absolute page
    coordinates (the envelope)."""

    def __init__(self, width: float, height: float, painter):
        super().__init__()
        self.width, self.height, self.painter = width, height, painter

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        self.painter(self.canv, self.width, self.height)


def _page_number(canv, doc) -> None:
    if not getattr(doc, "_dd_numbered", True):
        return
    start = getattr(doc, "_dd_start_page", 1)
    n = canv.getPageNumber() - start + 1
    if n < 1:
        return
    label = f"— {n} —"
    canv.saveState()
    font = doc._dd_fonts.song or doc._dd_fonts.body  # GB/T 9704: 4号宋体
    canv.setFont(font, PAGE_NUMBER_SIZE)
    y = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE
    if n % 2:  # odd: right, one character in
        canv.drawRightString(PAGE_A4[0] - MARGIN_RIGHT - PAGE_NUMBER_SIZE, y, label)
    else:
        canv.drawString(MARGIN_LEFT + PAGE_NUMBER_SIZE, y, label)
    canv.restoreState()


class DeskDocTemplate(BaseDocTemplate):
    """A4 pages after GB/T 9704 ('A4') and DL envelope pages ('DL')."""

    def __init__(self, target, fonts: FontSet, *, title: str, author: str, subject: str = "",
                 a4_margins: tuple[float, float, float, float] | None = None, first_template: str = "A4"):
        top, bottom, left, right = a4_margins or (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT)
        super().__init__(target, pagesize=PAGE_A4, leftMargin=left, rightMargin=right,
                         topMargin=top, bottomMargin=bottom, title=title, author=author,
                         subject=subject, creator=CREATOR, producer=CREATOR, invariant=1,
                         lang="zh-CN")
        self._dd_fonts = fonts
        self._dd_start_page = 1
        self._dd_numbered = True
        a4 = Frame(left, bottom, PAGE_A4[0] - left - right, PAGE_A4[1] - top - bottom,
                   id="a4", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        dl = Frame(0, 0, PAGE_DL[0], PAGE_DL[1], id="dl", leftPadding=0, rightPadding=0,
                   topPadding=0, bottomPadding=0)
        templates = [
            PageTemplate(id="A4", frames=[a4], pagesize=PAGE_A4, onPageEnd=_page_number),
            PageTemplate(id="DL", frames=[dl], pagesize=PAGE_DL),
        ]
        templates.sort(key=lambda t: t.id != first_template)
        self.addPageTemplates(templates)


def build_pdf(story: list, out, fonts: FontSet, *, title: str, author: str, subject: str = "",
              a4_margins=None, first_template: str = "A4") -> bytes | None:
    """Render ``story``.  ``out`` is a path (written atomically through
    files.atomic), a binary file object, or None to return the bytes."""
    def make(target):
        return DeskDocTemplate(target, fonts, title=title, author=author, subject=subject,
                               a4_margins=a4_margins, first_template=first_template)

    if out is None:
        buf = io.BytesIO()
        make(buf).build(story)
        return buf.getvalue()
    if isinstance(out, (str, os.PathLike)):
        with atomic_path(out) as tmp:
            make(str(tmp)).build(story)
        return None
    make(out).build(story)
    return None


# --- tables sized by their content ------------------------------------------------------


SHORT_CELL = 8  # a label of at most this many characters stays on one line when the table allows


def cell_widths(cell, short: int = 0) -> tuple[float, float]:
    """(narrowest, natural) width of a table cell's content (a Paragraph,
    a MinHeight around one, a list of flowables, or a string); a text of
    at most ``short`` characters has its natural width as narrowest
    (labels; a centred header is balanced instead)."""
    if isinstance(cell, Paragraph):
        narrow, natural = cell.content_widths()
        if short and cell.style.alignment != TA_CENTER and len(cell.getPlainText().strip()) <= short:
            narrow = natural
        return narrow, natural
    if isinstance(cell, MinHeight):
        return cell_widths(cell.content, short)
    if isinstance(cell, (list, tuple)):
        pairs = [cell_widths(c, short) for c in cell] or [(0.0, 0.0)]
        return max(p[0] for p in pairs), max(p[1] for p in pairs)
    return 0.0, 0.0


def fit_columns(rows: list[list], total: float, *, spans: Iterable = (), padding: float = 8,
                fixed: dict[int, float] | None = None, natural: Iterable[int] = ()) -> list[float]:
    """Column widths filling ``total`` points, sized by the cells'
    content: no column narrower than its widest unbreakable piece (a
    centred header never leaves one character alone on a line; short
    labels stay on one line when the width allows), the room left shared
    in proportion to what each column would take unwrapped.  ``spans``
    as for :func:`ruled_table`; ``padding`` is a cell's left plus right
    padding; ``fixed`` columns keep their width; ``natural`` columns
    (labels) get their whole unwrapped width when that leaves the others
    their narrowest."""
    widths = _fit_columns(rows, total, spans, padding, fixed, natural, SHORT_CELL)
    if widths is None:
        widths = _fit_columns(rows, total, spans, padding, fixed, natural, 0)
    assert widths is not None  # without the short-cell rule the columns always fit
    return widths


def _fit_columns(rows, total, spans, padding, fixed, natural, short) -> list[float] | None:
    fixed = dict(fixed or {})
    ncols = max(len(r) for r in rows)
    covered, wide = set(), []
    for (c0, r0), (c1, r1) in spans:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
        if c1 > c0:
            wide.append((r0, c0, c1))
    wide_origins = {(r, c) for r, c, _ in wide}
    lo, hi = [0.0] * ncols, [0.0] * ncols
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if (r, c) in covered or (r, c) in wide_origins:
                continue
            mn, mx = cell_widths(cell, short)
            if mx > 0:
                lo[c], hi[c] = max(lo[c], mn + padding), max(hi[c], mx + padding)
    for r, c0, c1 in wide:
        mn, mx = cell_widths(rows[r][c0], short)
        cols = [c for c in range(c0, c1 + 1) if c not in fixed] or list(range(c0, c1 + 1))
        for vec, need in ((lo, mn + padding), (hi, mx + padding)):
            have = sum(vec[c] for c in range(c0, c1 + 1))
            if need > have:
                for c in cols:
                    vec[c] += (need - have) / len(cols)
    for c, w in fixed.items():
        lo[c] = hi[c] = w
    hi = [max(h, low) for low, h in zip(lo, hi)]
    free = [c for c in range(ncols) if c not in fixed]
    for c in natural:
        if sum(lo) - lo[c] + hi[c] <= total:
            lo[c] = hi[c]
    if sum(lo) >= total:
        if short:
            return None
        scale = (total - sum(fixed.values())) / max(sum(lo[c] for c in free), 1e-6)
        return [lo[c] if c in fixed else lo[c] * scale for c in range(ncols)]
    if sum(hi) <= total:
        extra = total - sum(hi)
        weight = sum(hi[c] for c in free) or 1.0
        return [hi[c] + (extra * hi[c] / weight if c in free else 0) for c in range(ncols)]
    room = total - sum(lo)
    slack = sum(hi[c] - lo[c] for c in free) or 1.0
    return [lo[c] + (room * (hi[c] - lo[c]) / slack if c in free else 0) for c in range(ncols)]


def ruled_table(rows: list[list], col_widths: list[float], *, spans: Iterable = (),
                min_heights: list[float] | None = None, label_cols: Iterable[int] = (0,),
                valign: str = "MIDDLE", line_width: float = 0.75, label_background=None) -> Table:
    """A table with ruled cells; cells are flowables (Paragraphs wrap)."""
    table = Table(rows, colWidths=col_widths, rowHeights=min_heights, repeatRows=0, hAlign="CENTER")
    style = [
        ("GRID", (0, 0), (-1, -1), line_width, "black"),
        ("BOX", (0, 0), (-1, -1), line_width * 1.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for span in spans:
        style.append(("SPAN",) + tuple(span))
    if label_background:
        for c in label_cols:
            style.append(("BACKGROUND", (c, 0), (c, -1), label_background))
    table.setStyle(TableStyle(style))
    return table


def signature_block(agency: str, date_cn: str, styles: Styles) -> Table:
    """Agency name centred over the date; the block four characters in
    from the right margin (less when a long agency name needs the room,
    so the name keeps to one line while it fits the text width); two
    lines of room above for the seal (:func:`seal_space`)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = max(stringWidth(agency or "", styles.signature.fontName, BODY_SIZE),
                stringWidth(date_cn, styles.signature.fontName, BODY_SIZE)) + 4
    width = min(width, TEXT_WIDTH)
    right = max(0.0, min(4 * CHAR, TEXT_WIDTH - width))
    rows = [[para(agency, styles.signature), ""], [para(date_cn, styles.signature), ""]]
    t = Table(rows, colWidths=[width, right], hAlign="RIGHT")
    t.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def seal_space(lines: float = 2) -> Spacer:
    return Spacer(1, LINE * lines)


ALIGN_RIGHT = TA_RIGHT


class MinHeight(Flowable):
    """A cell's content with a minimum height (room to write by hand);
    grows with its content, so long text still wraps inside the cell."""

    def __init__(self, content: Flowable, min_height: float, valign: str = "top"):
        super().__init__()
        self.content, self.min_height, self.valign = content, min_height, valign

    def wrap(self, aw, ah):
        w, h = self.content.wrap(aw, ah)
        self._content_height = h
        self.width, self.height = w, max(h, self.min_height)
        return self.width, self.height

    def draw(self):
        y = self.height - self._content_height
        if self.valign == "middle":
            y /= 2
        self.content.drawOn(self.canv, 0, y)
