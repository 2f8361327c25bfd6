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
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer,
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

# Chinese line-breaking (避头): reportlab's CJK wrapper lets a character in
# ALL_CANNOT_START hang in the margin rather than start a line, but its
# list lacks the full-width Chinese punctuation; add it (process-wide: it
# only ever improves CJK wrapping).
_NO_LINE_START = "，：；！？”’》〉」』）】〕…、。．"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START = _module.ALL_CANNOT_START + "".join(
        ch for ch in _NO_LINE_START if ch not in _module.ALL_CANNOT_START)


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
    font = doc._dd_fonts.title
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
    storage.atomic), a binary file object, or None to return the bytes."""
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
    """Agency name centred over the date; the date four characters in from
    the right margin; two lines of room above for the seal."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = max(stringWidth(agency or "", styles.signature.fontName, BODY_SIZE),
                stringWidth(date_cn, styles.signature.fontName, BODY_SIZE)) + 4
    width = min(width, TEXT_WIDTH - 4 * CHAR)
    rows = [[para(agency, styles.signature), ""], [para(date_cn, styles.signature), ""]]
    t = Table(rows, colWidths=[width, 4 * CHAR], hAlign="RIGHT")
    t.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def seal_space() -> Spacer:
    return Spacer(1, LINE * 2)


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
