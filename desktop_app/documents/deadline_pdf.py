"""期限计算说明: the day-by-day arithmetic of an application's periods as
an A4 PDF, for the file and for a reviewer when a deadline is disputed.

Built from :func:`desktop_app.domain.deadlines.breakdowns`; fonts and page
layout are the documents' own (GB/T 9704 margins, embedded CJK fonts);
a path is written atomically.
"""

from __future__ import annotations

import datetime as _dt

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer, Table, TableStyle

from ..domain.deadlines import Breakdown
from .fonts import resolve_fonts
from .layout import Paragraph, build_pdf, make_styles, text

WEEKDAYS = "一二三四五六日"
BASIS = ("计算依据：《中华人民共和国政府信息公开条例》第三十条、第三十二条、第三十三条；"
         "《政府信息公开信息处理费管理办法》。工作日按国务院办公厅公布的法定节假日和调休安排"
         "（及本机关登记的调整）计算；收到申请（或起算事项）当日不计，期限届满于其后第N个工作日。")


def breakdown_story(breakdowns: list[Breakdown], header: list[tuple[str, str]], fonts) -> list:
    styles = make_styles(fonts, cell_size=10.5)
    small = ParagraphStyle("dd_small", parent=styles.cell, fontSize=10.5, leading=14)
    small_center = ParagraphStyle("dd_small_c", parent=small, alignment=TA_CENTER)
    head = ParagraphStyle("dd_head", parent=styles.cell, fontName=fonts.heading, fontSize=12, leading=18,
                          spaceBefore=10, spaceAfter=4)
    note = ParagraphStyle("dd_note", parent=small, fontSize=10, leading=14)
    story: list = [Paragraph(text("政府信息公开申请办理期限计算说明"), styles.title), Spacer(1, 6)]
    info_rows = [[Paragraph(text(k), small), Paragraph(text(v), small)] for k, v in header]
    info = Table(info_rows, colWidths=[80, 360], hAlign="LEFT")
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                              ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    story.append(info)
    for b in breakdowns:
        story.append(Paragraph(text(b.title), head))
        skipped = [r for r in b.rows if r.counted is None]
        end = f"{b.end.isoformat()}（星期{WEEKDAYS[b.end.weekday()]}）" if b.end else "—"
        story.append(Paragraph(text(
            f"起算日 {b.start.isoformat()}（{b.start_note}，当日不计）；届满日 {end}；"
            f"计入 {b.days} 个工作日，其间不计 {len(skipped)} 天。"), small))
        rows = [[Paragraph(text(h), small_center) for h in ("日期", "星期", "计数", "说明")]]
        rows.append([Paragraph(text(b.start.isoformat()), small),
                     Paragraph(text("周" + WEEKDAYS[b.start.weekday()]), small_center),
                     Paragraph(text("起算日"), small_center), Paragraph(text(f"{b.start_note}（当日不计）"), small)])
        shade = []
        for i, r in enumerate(b.rows, start=2):
            note_text = r.reason
            if r.counted and r.date == b.end:
                note_text = "届满日" + (f"；{r.reason}" if r.reason else "")
            rows.append([Paragraph(text(r.date.isoformat()), small),
                         Paragraph(text("周" + WEEKDAYS[r.date.weekday()]), small_center),
                         Paragraph(text(f"第{r.counted}日" if r.counted else "不计"), small_center),
                         Paragraph(text(note_text), small)])
            if r.counted is None:
                shade.append(i)
        table = Table(rows, colWidths=[80, 40, 50, 270], repeatRows=1, hAlign="LEFT")
        style = [("GRID", (0, 0), (-1, -1), 0.5, "black"),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                 ("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6")]
        for i in shade:
            style.append(("BACKGROUND", (0, i), (-1, i), "#f2f2f2"))
        table.setStyle(TableStyle(style))
        story.append(table)
        for n in b.notes:
            story.append(Paragraph(text(n), note))
    story.append(Spacer(1, 10))
    story.append(Paragraph(text(BASIS), note))
    story.append(Paragraph(text(f"制表日期：{_dt.date.today().isoformat()}"), note))
    return story


def render_breakdown(breakdowns: list[Breakdown], header: list[tuple[str, str]], out=None, *,
                     settings: dict | None = None, title: str = "期限计算说明") -> bytes | None:
    """Write the PDF to ``out`` (a path, atomically; a binary file; or
    None to return the bytes)."""
    fonts = resolve_fonts(settings or {})
    story = breakdown_story(breakdowns, header, fonts)
    return build_pdf(story, out, fonts, title=title, author=(settings or {}).get("agency_name") or "",
                     subject="政府信息公开申请办理期限计算明细")
