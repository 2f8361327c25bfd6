"""Every PDF the app makes, typeset by the Chinese rules: the lines are
rebuilt from the character boxes of each PDF (tests/pdf_lines.py) and
checked — no line starts with closing punctuation or ends with opening
punctuation, no number, date, 文号 or ID number is split across lines,
nothing passes the text's right edge or its table cell; signature blocks
stay with their text, tables fill the text width without leaving one
character alone in a header, a draft report says 草稿, XLSX rows are as
tall as their text.  The values are long on purpose (tests/typeset_samples.py)."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import typeset_samples as samples
from openpyxl import load_workbook
from pdf_lines import all_text, next_line, read_pages, violations
from reportlab.pdfgen import canvas

from desktop_app.documents import layout, notices, templates
from desktop_app.documents.fonts import resolve_fonts
from desktop_app.documents.report_xlsx import write_report_xlsx
from desktop_app.domain import catalog

RIGHT_EDGE = layout.PAGE_A4[0] - layout.MARGIN_RIGHT
LEFT_EDGE = layout.MARGIN_LEFT
REPLIES = [f"reply_{code}" + (f"_{r}" if r else "")
           for code, o in catalog.OUTCOMES.items()
           for r in (range(1, len(o.reasons) + 1) if o.reasons else [None])]
NOTICES = ["receipt", "receipt_org", "correction", "extension", "third_party", "fee_per_page", "later_date", "service"] + REPLIES
PDFS = NOTICES + ["form_blank", "form_person", "form_org", "envelope", "envelope_third_party", "batch",
                  "breakdown", "report_draft", "report_final"]
#: Values that must each print on one line wherever they occur.
WHOLE = [samples.ID_NUMBER, samples.USCC, "望住建发〔2025〕第128号", "国办公开办函〔2021〕30号",
         "国办函〔2020〕109号", "2025年12月31日", "2026年3月5日", "20个工作日", "0731-88001234"]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    return samples.all_pdfs(tmp_path_factory.mktemp("typeset"))


def compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_pdf_the_app_makes_is_among_the_samples(pdfs):
    assert sorted(pdfs) == sorted(PDFS)
    # every notice kind and every reply wording the templates know
    kinds = {"third_party": "third_party", "fee": "fee_per_page"}
    for kind in notices.NOTICE_KINDS:
        if kind != "reply":
            assert kinds.get(kind, kind) in pdfs
    for tkind in templates.TEMPLATE_KINDS:
        if tkind.startswith("reply_"):
            assert any(name.startswith(tkind) for name in pdfs), tkind


@pytest.mark.parametrize("name", PDFS)
def test_pdf_obeys_the_chinese_line_breaking_rules(pdfs, name):
    found = violations(pdfs[name], RIGHT_EDGE, known_whole=WHOLE)
    assert found == [], "\n".join(found)


def test_the_checker_sees_each_breach_in_a_badly_set_pdf(tmp_path):
    """The checks can fail: the lines the issue saw, drawn as they were
    printed, are each reported."""
    fonts = resolve_fonts({})
    out = tmp_path / "bad.pdf"
    c = canvas.Canvas(str(out), pagesize=layout.PAGE_A4)
    c.setFont(fonts.body, 16)
    top = layout.PAGE_A4[1] - layout.MARGIN_TOP
    bad = ["本年度共办结申请42件，其中予以公开12件，部分公开8件，", "。结转下年度继续办理9件",
           "不予处理6件（", "占14.3%），答复期限为2025年12", "月31日，共办理8", "件，身份证号码4301051949",
           "12310024，此行很长很长很长很长很长很长很长很长很长很长很长很长很长"]
    for i, line in enumerate(bad):
        c.drawString(LEFT_EDGE, top - i * layout.LINE, line)
    c.save()
    found = "\n".join(violations(out.read_bytes(), RIGHT_EDGE, known_whole=WHOLE))
    assert "line starts with 。" in found
    assert "line ends with （" in found
    assert "2025年12月31日 split" in found and "8件 split" in found
    assert f"{samples.ID_NUMBER} split" in found
    assert "past the right edge" in found


def test_the_rule_set_on_the_issue_examples():
    """The breaks the issue saw are not made: 。 never starts a line,
    （ never ends one, 2025年12月31日 / 办理8件 / an ID number stay whole."""
    def lines(s, width_chars):
        widths = [8.0 if ord(ch) < 128 else 16.0 for ch in s]
        return [s[a:b] for a, b in layout.break_lines(s, widths, width_chars * 16)]

    got = lines("本年度办结42件，不予处理6件（占14.3%），结转下年度继续办理9件。", 9)
    assert all(not ln.startswith(("。", "，", "）", "%")) and not ln.endswith("（") for ln in got), got
    assert "".join(got) == "本年度办结42件，不予处理6件（占14.3%），结转下年度继续办理9件。"
    for width in range(8, 20):
        text = "答复期限为2025年12月31日，共办理8件，文号望政公开〔2026〕第12号，身份证号码430105194912310024。"
        got = lines(text, width)
        joined = "|".join(got)
        for whole in ("2025年12月31日", "8件", "望政公开〔2026〕第12号", "430105194912310024"):
            end = text.index(whole) + len(whole)
            unit = whole + (text[end] if text[end] in "，。" else "")  # 。 may not start the next line
            if sum(8 if ord(c) < 128 else 16 for c in unit) <= width * 16:  # fits on a line
                assert any(whole in ln for ln in got), (width, joined)
        assert max(sum(8 if ord(c) < 128 else 16 for c in ln) for ln in got) <= width * 16, joined


def test_a_run_longer_than_the_line_breaks_after_a_separator():
    s = "电子邮箱ouyang.mouomou.applicant2026@example-mail-service.com.cn"
    widths = [8.0 if ord(ch) < 128 else 16.0 for ch in s]
    got = [s[a:b] for a, b in layout.break_lines(s, widths, 160)]
    assert "".join(got) == s
    assert all(ln[-1] in ".@-" or ln == got[-1] or not ln[-1].isascii() for ln in got), got


def _gap_per_character(ln) -> float:
    """The space a line short of the right edge would need between each
    two of its characters to end flush, as a fraction of its size."""
    return (RIGHT_EDGE - ln.x1) / max(1, len(ln.chars) - 1) / ln.size


def test_justified_lines_end_flush_with_the_right_edge(pdfs):
    """A full line of a notice's body ends at the right edge (character
    spacing), not ragged short of it; only a line ended early by a run
    kept whole (a date, a number, a 文号) that would need more than normal
    spacing stays ragged."""
    pages = read_pages(pdfs["receipt"])
    def continued(ln):  # followed by the next line of the same paragraph (not an indented first line)
        nxt = next_line(pages[0], ln)
        return nxt is not None and abs(nxt.x0 - LEFT_EDGE) < 1

    body = [ln for ln in pages[0].lines if ln.size == layout.BODY_SIZE and abs(ln.x0 - LEFT_EDGE) < 1
            and continued(ln)]
    flush = [ln for ln in body if RIGHT_EDGE - 1.5 < ln.x1 <= RIGHT_EDGE + 0.5]
    assert len(flush) >= 6
    for ln in body:
        assert ln in flush or _gap_per_character(ln) > layout.NORMAL_STRETCH, ln


def test_a_line_ended_early_by_a_date_kept_whole_is_not_stretched(pdfs):
    """The fee notice's payment line as an older template words it
    (“…20个工作日内，即” / “2026年4月3日前…”): the date moves whole to the
    next line and the line before it is left ragged, not spread with wide
    gaps; no line of any notice is spaced wider than normal."""
    text = ("请你单位自收到本通知书次日起20个工作日内，即2026年4月3日前缴纳上述费用。"
            "缴费方式：请持本通知书到本机关政府信息公开工作机构办理缴费手续。")
    snapshot = {"title": "政府信息公开信息处理费收费通知书", "addressee": "某某公司：", "paragraphs": [text]}
    from desktop_app.documents import render

    lines = [ln for page in read_pages(render.render_notice(snapshot)) for ln in page.lines
             if ln.size == layout.BODY_SIZE]
    payment = next(ln for ln in lines if ln.text.endswith("即"))
    assert next_line(read_pages(render.render_notice(snapshot))[0], payment).text.startswith("2026年4月3日前")
    assert payment.x1 < RIGHT_EDGE - 10  # ragged
    for name in NOTICES:
        for page in read_pages(pdfs[name]):
            for ln in page.lines:
                gaps = [b["x0"] - a["x1"] for a, b in zip(ln.chars, ln.chars[1:])
                        if not a["text"].isascii() and not b["text"].isascii()]
                if gaps and ln.size >= layout.BODY_SIZE:
                    assert max(gaps) <= ln.size * (layout.NORMAL_STRETCH + 0.02), (name, ln)


def cell_text(data: bytes, start: str) -> str:
    """The text of the wrapped cell (or paragraph) whose first line
    starts with ``start``, its lines followed down the page."""
    for page in read_pages(data):
        for ln in page.lines:
            if ln.text.startswith(start):
                out = [ln.text]
                while (ln := next_line(page, ln)) is not None:
                    out.append(ln.text)
                return "".join(out)
    return ""


def test_nothing_is_lost_in_wrapping(pdfs):
    text = all_text(pdfs["receipt"])
    assert compact(samples.CONTENT.rstrip("。")) in text
    assert compact(samples.ADDRESS) in cell_text(pdfs["form_person"], samples.ADDRESS[:16])
    assert compact(samples.ORG_NAME) in cell_text(pdfs["form_org"], samples.ORG_NAME[:10])
    assert samples.USCC in all_text(pdfs["form_org"])


@pytest.mark.parametrize("name", [n for n in NOTICES])
def test_signature_block_is_never_alone_on_a_page(pdfs, name):
    pages = read_pages(pdfs[name])
    agency = samples.AGENCY["agency_name"]
    signed = [p for p in pages if any(compact(ln.text) == compact(agency) for ln in p.lines)]
    assert signed, "no signature found"
    page = signed[-1]
    sig_y = max(ln.baseline for ln in page.lines if compact(ln.text) == compact(agency))
    above = [ln for ln in page.lines if ln.baseline < sig_y - 1 and ln.size >= 12]
    assert len(above) >= 2, f"signature alone on page {page.number + 1}"


def test_service_return_fits_one_page(pdfs):
    assert len(read_pages(pdfs["service"])) == 1


def test_envelope_text_stays_inside_the_envelope(pdfs):
    for name in ("envelope", "envelope_third_party"):
        for page in read_pages(pdfs[name]):
            assert page.width > page.height  # DL, landscape
            for ln in page.lines:
                assert ln.x0 >= 8 * 72 / 25.4 and ln.x1 <= page.width - 8 * 72 / 25.4, ln
    # the long name wraps onto two lines rather than run edge to edge
    text = all_text(pdfs["envelope"])
    assert compact(samples.ORG_NAME) + "收" in text


def _tables(page):
    """x extent of the horizontal rules of a page (its tables)."""
    return [(a, b) for _y, a, b in page.horizontals]


def test_report_tables_fill_the_text_width_and_headers_leave_no_character_alone(pdfs):
    pages = read_pages(pdfs["report_final"])
    with_tables = [p for p in pages if p.horizontals]
    assert len(with_tables) >= 2
    for page in with_tables:
        left = min(a for a, _b in _tables(page))
        right = max(b for _a, b in _tables(page))
        assert abs(left - LEFT_EDGE) < 1.5 and abs(right - RIGHT_EDGE) < 1.5, (left, right)
        for ln in page.lines:
            if ln.cell is None:
                continue
            nxt = next_line(page, ln)
            if nxt is not None and len(nxt.text) == 1 and not nxt.text.isascii():
                pytest.fail(f"one character alone in a cell: {ln} / {nxt}")
    # the header of section 四 reads 结果/维持, never 结果维/持
    texts = [ln.text for p in pages for ln in p.lines]
    assert "结果维" not in texts and "商业企" not in texts


def test_notice_tables_fill_the_text_width(pdfs):
    for name in ("fee_per_page", "service"):
        page = next(p for p in read_pages(pdfs[name]) if p.horizontals)
        left = min(a for a, _b in _tables(page))
        right = max(b for _a, b in _tables(page))
        assert abs(left - LEFT_EDGE) < 1.5 and abs(right - RIGHT_EDGE) < 1.5, (name, left, right)


def test_filled_form_keeps_id_numbers_on_one_line(pdfs):
    for name, number in (("form_person", samples.ID_NUMBER), ("form_org", samples.USCC)):
        lines = [ln.text for p in read_pages(pdfs[name]) for ln in p.lines]
        assert number in lines, (name, [t for t in lines if t[:4] == number[:4]])


def test_draft_report_carries_a_visible_draft_mark_and_the_final_none(pdfs):
    draft = all_text(pdfs["report_draft"])
    final = all_text(pdfs["report_final"])
    assert "【请补充" in draft and "【请补充" not in final
    pages = read_pages(pdfs["report_draft"])
    for page in pages:  # on every page: the line above the text ...
        texts = [ln.text for ln in page.lines]
        assert any(t.startswith("草稿：文中尚有") for t in texts), page.number
    with pdfplumber.open(io.BytesIO(pdfs["report_draft"])) as pdf:  # ... and 草稿 across the page
        for page in pdf.pages:
            big = "".join(c["text"] for c in page.chars if c["size"] >= 100)
            assert big == "草稿", page.page_number
    assert "草稿" not in final


def test_xlsx_rows_are_as_tall_as_their_wrapped_text(tmp_path):
    document = samples.report_documents(tmp_path)["report_final"]
    out = tmp_path / "r.xlsx"
    write_report_xlsx(document, out)
    ws = load_workbook(out)["三、依申请公开"]
    line = 10 * 1.3  # 10 pt text
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in ("社会公益组织", "法律服务机构"):
                # 6 characters in a column of 7.5 units (about 3.5 characters): two lines
                assert ws.row_dimensions[cell.row].height >= 2 * line
            if isinstance(cell.value, str) and cell.value.startswith("1.申请人无正当理由逾期不补正"):
                width = ws.column_dimensions[cell.column_letter].width
                per_line = int((width - 1) / (2 * 10 / 11))
                lines = -(-len(cell.value) // per_line)
                assert lines >= 2 and ws.row_dimensions[cell.row].height >= lines * line


def test_a_paragraph_never_ends_with_one_character_alone():
    """三、本年度办理结果 in a column four characters wide: greedy breaking
    leaves 果 alone; the line before gives it one more (度办理 / 结果),
    when the paragraph keeps its count of lines."""
    from reportlab.lib.styles import ParagraphStyle

    fonts = resolve_fonts({})
    style = ParagraphStyle("cell", fontName=fonts.body, fontSize=10, leading=13)
    text = "三、本年度办理结果"
    greedy = layout.break_lines(text, [10.0] * len(text), [40.0])
    assert [text[a:b] for a, b in greedy] == ["三、本年", "度办理结", "果"]
    p = layout.Paragraph(text, style)
    p.wrap(40.2, 1000)
    lines = ["".join(w.text for w in line.words) for line in p.blPara.lines]
    assert "".join(lines) == text and len(lines) == 3
    assert all(len(line) > 1 for line in lines), lines
    # a last line after a forced break stays as written
    p = layout.Paragraph("第一行的字<br/>末", style)
    p.wrap(200, 1000)
    assert ["".join(w.text for w in line.words) for line in p.blPara.lines][-1] == "末"
