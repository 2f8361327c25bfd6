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

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, KeepTogether, NextPageTemplate, PageBreak, Paragraph,
                                Spacer)

from .fonts import FontSet, resolve_fonts
from .layout import (CHAR, LINE, PAGE_DL, TEXT_WIDTH, DocumentStart, FullPageDrawing, build_pdf,
                     make_styles, para, ruled_table, seal_space, signature_block, text)

ENVELOPE_RED = Color(0.80, 0.08, 0.08)

NONE, WITH_ENVELOPE, ENVELOPE_ONLY = "none", "with", "only"


def _paragraphs(snapshot: dict, styles) -> list:
    out = []
    for p in snapshot.get("paragraphs") or []:
        for line in str(p).split("\n"):
            if line.strip():
                out.append(Paragraph(text(line.strip()), styles.body))
    return out


def _table(snapshot: dict, styles) -> list:
    spec = snapshot.get("table")
    if not spec:
        return []
    if snapshot.get("kind") == "service":
        tall = ("受送达人签名或盖章", "代收人及代收理由", "备注")
        rows = []
        for label, value in spec["rows"]:
            cell = [para(value, styles.cell)]
            if label in tall:
                cell.append(Spacer(1, LINE * 1.2))
            rows.append([para(label, styles.cell_label), cell])
        return [ruled_table(rows, [TEXT_WIDTH * 0.3, TEXT_WIDTH * 0.7], valign="MIDDLE")]
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
    w = TEXT_WIDTH
    return [Spacer(1, LINE * 0.3),
            ruled_table(rows, [w * 0.34, w * 0.2, w * 0.22, w * 0.24], spans=spans),
            Spacer(1, LINE * 0.3)]


def _reply_slip(snapshot: dict, styles) -> list:
    title = para("第三方意见回执", styles.cell_label)
    rows = [
        [para("文号", styles.cell_label), para(snapshot.get("doc_number"), styles.cell)],
        [para("第三方", styles.cell_label), para(snapshot.get("recipient", {}).get("name"), styles.cell)],
        [para("意见", styles.cell_label), para("□ 同意公开　　　　□ 不同意公开", styles.cell)],
        [para("理由", styles.cell_label), [Spacer(1, LINE * 2.6)]],
        [para("签名或盖章", styles.cell_label), para("\n\n　　　　　　　　　　　　年　　月　　日", styles.cell)],
    ]
    table = ruled_table(rows, [TEXT_WIDTH * 0.22, TEXT_WIDTH * 0.78])
    return [CondPageBreak(LINE * 9), Spacer(1, LINE * 0.6),
            KeepTogether([Paragraph(text("- - - - - - - - - - - - - （沿此线剪下）- - - - - - - - - - - - -"),
                                    styles.cell_center),
                          Spacer(1, LINE * 0.3), title, Spacer(1, LINE * 0.2), table])]


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
        # The form first, its note below, then the serving agency.
        story += table
        note = [Paragraph(text(p), styles.note) for p in snapshot.get("paragraphs") or []]
        story += [Spacer(1, LINE * 0.3)] + note
        story.append(KeepTogether([seal_space(), signature]))
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


# --- envelope -----------------------------------------------------------------------


def _wrap_lines(s: str, font: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    for ch in s:
        if stringWidth(cur + ch, font, size) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def envelope_painter(snapshot: dict, fonts: FontSet):
    """A function drawing the envelope of ``snapshot`` on a DL page."""
    recipient = snapshot.get("recipient") or {}
    agency = snapshot.get("agency") or {}
    boxes = snapshot.get("envelope_boxes", True)

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
        addr_font, addr_size = fonts.body, 14
        lines = _wrap_lines(str(recipient.get("address") or ""), addr_font, addr_size, 150 * mm)[:3]
        y = height - 34 * mm
        c.setFont(addr_font, addr_size)
        for line in lines:
            c.drawString(22 * mm, y, line)
            y -= addr_size * 1.45
        name = str(recipient.get("name") or "")
        name_size = 20
        while name_size > 12 and stringWidth(name + "  收", fonts.heading, name_size) > 170 * mm:
            name_size -= 1
        c.setFont(fonts.heading, name_size)
        c.drawCentredString(width / 2, min(y - 6 * mm, 50 * mm), f"{name}  收")
        # Sender, bottom right.
        c.setFont(fonts.body, 10.5)
        right = width - 12 * mm
        sender_lines = []
        if agency.get("address"):
            sender_lines += _wrap_lines(agency["address"], fonts.body, 10.5, 110 * mm)[:2]
        sender_lines.append(agency.get("name") or "")
        if agency.get("postcode"):
            sender_lines.append(f"邮政编码：{agency['postcode']}")
        y = 10 * mm + (len(sender_lines) - 1) * 14
        for line in sender_lines:
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
                 fonts: FontSet | None = None, settings: dict | None = None, progress=None):
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
