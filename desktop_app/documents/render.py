"""Render notice snapshots (see :mod:`.notices`) and envelopes to PDF.

* :func:`render_notice` — one notice, optionally followed by its envelope;
* :func:`render_envelope` — an envelope alone (DL, 220×110 mm);
* :func:`render_batch` — the notices (and/or envelopes) of several
  applications in one PDF for one print run; page numbers restart at
  each notice.

``out`` is a path (written atomically), a binary file, or None for bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, NextPageTemplate, PageBreak, Spacer

from .fonts import FontSet, resolve_fonts
from .layout import (CHAR, LINE, PAGE_DL, TEXT_HEIGHT, TEXT_WIDTH, DocumentStart, FullPageDrawing, Paragraph, build_pdf,
                     fit_columns, make_styles, para, ruled_table, seal_space, signature_block, text,
                     wrap_text)

ENVELOPE_RED = Color(0.80, 0.08, 0.08)

NONE, WITH_ENVELOPE, ENVELOPE_ONLY = "none", "with", "only"


def _paragraphs(snapshot: dict, styles) -> list:
    out = []
    for p in snapshot.get("paragraphs") or []:
        for line in str(p).split("\n"):
            if line.strip():
                out.append(Paragraph(text(line.strip()), styles.body))
    return out


SERVICE_TALL_ROWS = ("受送达人签名或盖章", "代收人及代收理由", "备注")


def _table(snapshot: dict, styles, room: float = LINE * 1.2) -> list:
    """The snapshot's table; ``room`` is the space left to write by hand
    in the tall rows of the service return."""
    spec = snapshot.get("table")
    if not spec:
        return []
    if snapshot.get("kind") == "service":
        rows: list[list[Any]] = []
        for label, value in spec["rows"]:
            cell = [para(value, styles.cell)]
            if label in SERVICE_TALL_ROWS:
                cell.append(Spacer(1, room))
            rows.append([para(label, styles.cell_label), cell])
        return [ruled_table(rows, fit_columns(rows, TEXT_WIDTH, natural=(0,)), valign="MIDDLE")]
    header = [para(h, styles.cell_label) for h in spec["header"]]
    rows = [header]
    for r in spec["rows"]:
        rows.append([para(r[0], styles.cell), para(r[1], styles.cell_center),
                     para(r[2], styles.cell_center), para(r[3], styles.cell_center)])
    total = spec.get("total")
    spans = []
    if total:
        rows.append([para(total[0], styles.cell_label), "", "", para(total[3], styles.cell_center)])
        spans.append(((0, len(rows) - 1), (2, len(rows) - 1)))
    return [Spacer(1, LINE * 0.3),
            ruled_table(rows, fit_columns(rows, TEXT_WIDTH, spans=spans), spans=spans),
            Spacer(1, LINE * 0.3)]


def _reply_slip(snapshot: dict, styles) -> list:
    title = para("第三方意见回执", styles.cell_label)
    rows: list[list[Any]] = [
        [para("文号", styles.cell_label), para(snapshot.get("doc_number"), styles.cell)],
        [para("第三方", styles.cell_label), para(snapshot.get("recipient", {}).get("name"), styles.cell)],
        [para("意见", styles.cell_label), para("□ 同意公开　　　　□ 不同意公开", styles.cell)],
        [para("理由", styles.cell_label), [Spacer(1, LINE * 2.6)]],
        [para("签名或盖章", styles.cell_label), para("\n\n　　　　　　　　　　　　年　　月　　日", styles.cell)],
    ]
    table = ruled_table(rows, fit_columns(rows, TEXT_WIDTH, natural=(0,)))
    return [CondPageBreak(LINE * 9), Spacer(1, LINE * 0.6),
            KeepTogether([CutLine("（沿此线剪下）", styles.cell_center), Spacer(1, LINE * 0.3), title,
                          Spacer(1, LINE * 0.2), table])]


class CutLine(Flowable):
    """A dashed line across the text width with a word in its middle
    (“沿此线剪下”), on one line whatever the width."""

    def __init__(self, label: str, style):
        super().__init__()
        self.label, self.style = label, style

    def wrap(self, aw, ah):
        self.width, self.height = aw, self.style.leading
        return self.width, self.height

    def draw(self):
        c = self.canv
        size = self.style.fontSize
        label_w = stringWidth(self.label, self.style.fontName, size)
        y = self.height / 2
        gap = size / 2
        c.saveState()
        c.setDash(3, 3)
        c.setLineWidth(0.6)
        c.line(0, y, (self.width - label_w) / 2 - gap, y)
        c.line((self.width + label_w) / 2 + gap, y, self.width, y)
        c.setFont(self.style.fontName, size)
        c.drawCentredString(self.width / 2, y - size * 0.35, self.label)
        c.restoreState()


def notice_story(snapshot: dict, fonts: FontSet) -> list:
    """The flowables of one notice (starting on a fresh A4 page)."""
    styles = make_styles(fonts)
    story: list = [DocumentStart(numbered=True)]
    story.append(para(snapshot.get("title"), styles.title))
    if snapshot.get("doc_number"):
        story.append(para(snapshot["doc_number"], styles.doc_number))
    if snapshot.get("addressee"):
        story.append(para(snapshot["addressee"], styles.addressee))
    body = _paragraphs(snapshot, styles)
    table = _table(snapshot, styles)
    signature = signature_block(snapshot.get("agency", {}).get("name") or "", snapshot.get("date_cn") or "",
                                styles)
    if snapshot.get("kind") == "service":
        # One page: the form, its note below, then the serving agency; the
        # rows to write in by hand give up room when long entries need it.
        note = [Paragraph(text(p), styles.note) for p in snapshot.get("paragraphs") or []]
        room, seal = LINE * 1.2, 2.0

        def tail():
            return [Spacer(1, LINE * 0.3)] + note + [seal_space(seal), signature]

        while _height(story + _table(snapshot, styles, room) + tail()) > TEXT_HEIGHT:
            if room > LINE * 0.5:
                room -= LINE * 0.1
            elif seal > 1:
                seal -= 0.25
            else:
                break  # a record too long for one page: the tail moves on whole
        story += _table(snapshot, styles, room)
        story.append(KeepTogether(tail()))
        return story
    if table:
        # The fee table follows the paragraph that states the amount.
        at = len(body)
        fee = snapshot.get("fee") or {}
        amount = f"{fee.get('amount')}元" if fee.get("amount") is not None else None
        texts = [p for p in snapshot.get("paragraphs") or [] for p in str(p).split("\n") if p.strip()]
        if amount:
            for i, t in enumerate(texts):
                if amount in t:
                    at = i + 1
                    break
        body = body[:at] + table + body[at:]
    story += body[:-1]
    story.append(KeepTogether(body[-1:] + [seal_space(), signature]))
    if snapshot.get("reply_slip"):
        story += _reply_slip(snapshot, styles)
    return story


def _height(flowables: list) -> float:
    total = 0.0
    for f in flowables:
        _w, h = f.wrap(TEXT_WIDTH, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


# --- envelope -----------------------------------------------------------------------


def _fit_lines(value: str, font: str, sizes, width: float, most: int) -> tuple[float, list[str]]:
    """The largest of ``sizes`` at which ``value`` wraps (by the Chinese
    line-breaking rules) into at most ``most`` lines of ``width``; at
    the smallest size, every line it takes (nothing is cut off)."""
    size, lines = sizes[-1], []
    for size in sizes:
        lines = wrap_text(value, font, size, width)
        if len(lines) <= most:
            break
    return size, lines


# Long: the envelope drawn top to bottom, one block per printed field
def envelope_painter(snapshot: dict, fonts: FontSet):
    """A function drawing the envelope of ``snapshot`` on a DL page."""
    recipient = snapshot.get("recipient") or {}
    agency = snapshot.get("agency") or {}
    boxes = snapshot.get("envelope_boxes", True)

    # Long: the envelope drawn top to bottom, one block per printed field
    def paint(c, width, height):
        c.saveState()
        # Postcode: six boxes at top left (8×10 mm, 2 mm apart).
        postcode = "".join(ch for ch in str(recipient.get("postcode") or "") if ch.isdigit())[:6]
        x0, top = 12 * mm, height - 10 * mm
        bw, bh, gap = 8 * mm, 10 * mm, 2 * mm
        c.setStrokeColor(ENVELOPE_RED)
        c.setLineWidth(0.8)
        for i in range(6):
            x = x0 + i * (bw + gap)
            if boxes:
                c.rect(x, top - bh, bw, bh)
            if i < len(postcode):
                c.setFillColor(Color(0, 0, 0))
                c.setFont(fonts.heading, 18)
                c.drawCentredString(x + bw / 2, top - bh + 2.6 * mm, postcode[i])
        # Stamp area, top right.
        if boxes:
            c.setDash(3, 2)
            c.rect(width - 10 * mm - 22 * mm, height - 10 * mm - 26 * mm, 22 * mm, 26 * mm)
            c.setDash()
            c.setFillColor(ENVELOPE_RED)
            c.setFont(fonts.body, 8)
            c.drawCentredString(width - 10 * mm - 11 * mm, height - 10 * mm - 14 * mm, "贴邮票处")
        c.setFillColor(Color(0, 0, 0))
        # Recipient address and name.
        addr_size, lines = _fit_lines(str(recipient.get("address") or ""), fonts.body,
                                      (14, 13, 12, 11, 10), 150 * mm, 3)
        y = height - 34 * mm
        c.setFont(fonts.body, addr_size)
        for line in lines:
            c.drawString(22 * mm, y, line)
            y -= addr_size * 1.45
        name = f"{recipient.get('name') or ''}  收"
        name_size, name_lines = _fit_lines(name, fonts.heading, (20, 19, 18, 17, 16, 15, 14), 170 * mm, 1)
        if len(name_lines) > 1:
            name_size, name_lines = _fit_lines(name, fonts.heading, (16, 15, 14, 13, 12), 170 * mm, 2)
        c.setFont(fonts.heading, name_size)
        y = min(y - 6 * mm, 50 * mm + (len(name_lines) - 1) * name_size * 1.3)
        for line in name_lines:
            c.drawCentredString(width / 2, y, line)
            y -= name_size * 1.3
        # Sender, bottom right.
        right = width - 12 * mm
        sender: list[tuple[float, str]] = []
        if agency.get("address"):
            size, lines = _fit_lines(agency["address"], fonts.body, (10.5, 10, 9.5, 9, 8.5, 8), 110 * mm, 2)
            sender += [(size, line) for line in lines]
        if agency.get("name"):
            size, lines = _fit_lines(agency["name"], fonts.body, (10.5, 10, 9.5, 9, 8.5, 8), 110 * mm, 1)
            sender += [(size, line) for line in lines]
        if agency.get("postcode"):
            sender.append((10.5, f"邮政编码：{agency['postcode']}"))
        y = 10 * mm + (len(sender) - 1) * 14
        for size, line in sender:
            c.setFont(fonts.body, size)
            c.drawRightString(right, y, line)
            y -= 14
        if snapshot.get("doc_number"):
            c.setFont(fonts.body, 8)
            c.drawString(12 * mm, 8 * mm, f"内件：{snapshot['doc_number']}")
        c.restoreState()

    return paint


def envelope_story(snapshot: dict, fonts: FontSet) -> list:
    return [DocumentStart(numbered=False), FullPageDrawing(PAGE_DL[0], PAGE_DL[1],
                                                           envelope_painter(snapshot, fonts))]


# --- whole PDFs ---------------------------------------------------------------------------


def _meta(snapshots: list[dict]) -> tuple[str, str, str]:
    first = snapshots[0] if snapshots else {}
    author = (first.get("agency") or {}).get("name") or ""
    if len(snapshots) == 1:
        return first.get("title") or "", author, first.get("doc_number") or ""
    return f"批量打印：{len(snapshots)}件文书", author, ""


def render_batch(snapshots: Iterable[dict], out=None, *, envelopes: str = NONE,
                 fonts: FontSet | None = None, settings: dict | None = None, progress=None) -> bytes | None:
    """Notices of several applications in one PDF: each notice (page
    numbers restarting), followed by its envelope when ``envelopes`` is
    ``"with"``, or envelopes only (``"only"``).  ``progress(i, n)`` is
    called as the story is assembled."""
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("没有要打印的文书。")
    fonts = fonts or resolve_fonts(settings)
    story: list = []
    current = "A4"
    n = len(snapshots)
    for i, snap in enumerate(snapshots):
        parts: list[tuple[str, list]] = []
        if envelopes != ENVELOPE_ONLY:
            parts.append(("A4", notice_story(snap, fonts)))
        if envelopes in (WITH_ENVELOPE, ENVELOPE_ONLY):
            parts.append(("DL", envelope_story(snap, fonts)))
        for template, flowables in parts:
            if story:
                if template != current:
                    story.append(NextPageTemplate(template))
                story.append(PageBreak())
            current = template
            story += flowables
        if progress:
            progress(i + 1, n)
    title, author, subject = _meta(snapshots)
    first_template = "DL" if envelopes == ENVELOPE_ONLY else "A4"
    return build_pdf(story, out, fonts, title=title, author=author, subject=subject,
                     first_template=first_template)


def render_notice(snapshot: dict, out=None, *, with_envelope: bool = False, fonts: FontSet | None = None,
                  settings: dict | None = None):
    return render_batch([snapshot], out, envelopes=WITH_ENVELOPE if with_envelope else NONE,
                        fonts=fonts, settings=settings)


def render_envelope(snapshot: dict, out=None, *, fonts: FontSet | None = None, settings: dict | None = None):
    return render_batch([snapshot], out, envelopes=ENVELOPE_ONLY, fonts=fonts, settings=settings)


__all__ = ["render_notice", "render_envelope", "render_batch", "notice_story", "envelope_story",
           "NONE", "WITH_ENVELOPE", "ENVELOPE_ONLY", "CHAR"]
