"""政府信息公开目录 (Regulation Art. 12: 索引、名称、内容概述、生成日期) and
政府信息公开指南 as PDFs: A4, the project's CJK fonts and Chinese line
breaking (:mod:`.layout`), the catalogue's header row repeated on every page."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, Table, TableStyle

from ..domain.items import ItemRecord
from ..domain.validation import format_date_cn
from .fonts import resolve_fonts
from .layout import TEXT_WIDTH, Paragraph, build_pdf, make_styles, text

HEADERS = ["索引号", "信息名称", "内容概述", "生成日期", "公开日期"]
#: Narrower side margins than a notice: the catalogue is a table.
CATALOGUE_MARGINS = (25 * mm, 25 * mm, 18 * mm, 18 * mm)


def write_catalogue_pdf(records: Iterable[ItemRecord], out: str | os.PathLike[str] | None, *, agency: str,
                        settings: Mapping[str, Any] | None = None, today: _dt.date | None = None) -> bytes | None:
    today = today or _dt.date.today()
    fonts = resolve_fonts(dict(settings or {}))
    styles = make_styles(fonts, cell_size=10.5)
    width = TEXT_WIDTH + (28 + 26 - 36) * mm  # the page less the catalogue's side margins
    head = ParagraphStyle("cat_head", parent=styles.cell_label, fontSize=10.5, leading=14)
    cell = ParagraphStyle("cat_cell", parent=styles.cell, fontSize=10.5, leading=14.5)
    center = ParagraphStyle("cat_center", parent=cell, alignment=TA_CENTER)
    rows: list[list[Any]] = [[Paragraph(h, head) for h in HEADERS]]
    n = 0
    for r in records:
        n += 1
        name = text(r.title) + (f"<br/><font color='#444444'>{text(r.doc_number)}</font>" if r.doc_number else "")
        rows.append([Paragraph(text(r.index_no or ""), cell), Paragraph(name, cell),
                     Paragraph(text(r.summary or ""), cell),
                     Paragraph(text(r.formed_on or ""), center), Paragraph(text(r.published_on or ""), center)])
    if n == 0:
        rows.append([Paragraph("（无）", center), Paragraph("", cell), Paragraph("", cell), Paragraph("", cell),
                     Paragraph("", cell)])
    # the 索引号 on one line (up to a third of the width), dates fixed, the
    # rest shared by the name (more) and the summary
    date_w = stringWidth("2026-12-31", cell.fontName, cell.fontSize) + 10
    index_w = min(width / 3, max([stringWidth(r[0].getPlainText(), cell.fontName, cell.fontSize) + 10
                                  for r in rows[1:]] + [stringWidth("索引号", head.fontName, head.fontSize) + 10]))
    rest = width - index_w - 2 * date_w
    widths = [index_w, rest * 0.55, rest * 0.45, date_w, date_w]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    title_style = ParagraphStyle("cat_title", parent=styles.title, fontSize=18, leading=27)
    note = ParagraphStyle("cat_note", parent=styles.small, alignment=TA_CENTER)
    story = [Paragraph(text(f"{agency}政府信息公开目录" if agency else "政府信息公开目录"), title_style),
             Paragraph(text(f"共{n}条　编制日期：{format_date_cn(today)}"), note), Spacer(1, 4 * mm), table]
    return build_pdf(story, out, fonts, title="政府信息公开目录", author=agency, subject="政府信息公开目录",
                     a4_margins=CATALOGUE_MARGINS)


def write_guide_pdf(guide: str, out: str | os.PathLike[str] | None, *, agency: str,
                    settings: Mapping[str, Any] | None = None) -> bytes | None:
    """The guide: its first line as the title, each further line a paragraph
    (lines like “一、…” as headings)."""
    fonts = resolve_fonts(dict(settings or {}))
    styles = make_styles(fonts)
    lines = [line.strip() for line in (guide or "").splitlines() if line.strip()]
    title, body = (lines[0], lines[1:]) if lines else ("政府信息公开指南", [])
    story: list[Any] = [Paragraph(text(title), styles.title), Spacer(1, 4 * mm)]
    for line in body:
        heading = len(line) <= 20 and line[:1] in "一二三四五六七八九十" and "、" in line[:3]
        story.append(Paragraph(text(line), styles.heading if heading else styles.body))
    return build_pdf(story, out, fonts, title=title, author=agency, subject="政府信息公开指南")
