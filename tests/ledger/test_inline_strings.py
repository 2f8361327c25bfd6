"""Inline strings (``t="inlineStr"``, as Apache POI's streaming writer and
openpyxl write every text) read by the reader (calamine) give what
openpyxl's own parser gives: the plain text, then the text of each
formatted run; phonetic guides (``rPh``) left out."""

from __future__ import annotations

import datetime as dt
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_samples import actual_sheets, expected_sheets, with_sheet
from openpyxl import Workbook

from desktop_app.ledger import reader

texts = st.text(alphabet=st.sampled_from(list("申请人 \t\n张三a1&<>\"'x5F")), max_size=8)


def _t(text: str) -> str:
    """A <t> as writers write it: xml:space="preserve" when the text starts
    or ends with whitespace (calamine, like Excel, trims it otherwise)."""
    attr = ' xml:space="preserve"' if text != text.strip(" \t\r\n") else ""
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<t{attr}>{body}</t>" if body else f"<t{attr}/>"


run = st.builds(lambda fmt, text: "<r>" + ('<rPr><b/><sz val="11"/></rPr>' if fmt else "") + _t(text) + "</r>",
                st.booleans(), texts)
phonetic = st.builds(lambda text: f'<rPh sb="0" eb="1">{_t(text)}</rPh>', texts)
# the shape of the schema (CT_Rst): a plain text, or formatted runs; then phonetic guides
inline = st.builds(lambda plain, runs, guides: (_t(plain) if plain is not None else "") + "".join(runs) + "".join(guides),
                   st.none() | texts, st.lists(run, max_size=3), st.lists(phonetic, max_size=2))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(inline, min_size=1, max_size=4))
def test_inline_text_equals_openpyxls_rich_text_content(tmp_path_factory, contents):
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is>{content}</is></c>' for i, content in enumerate(contents))
    path = with_sheet(tmp_path_factory.mktemp("inline"), f'<sheetData><row r="1">{cells}</row></sheetData>')
    assert actual_sheets(path) == expected_sheets(path)


def test_every_cell_shape_reads_as_openpyxls_parser_reads_it(tmp_path):
    cells = [
        '<c r="B7" t="inlineStr" s="0"><is><t>申请人</t></is></c>',
        '<c t="inlineStr"><is><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 三 </t></r></is></c>',
        '<c r="E7" t="inlineStr"/>',
        '<c r="F7" t="inlineStr"><is/></c>',
        '<c r="G7" t="n"><v>42</v></c>',
        '<c r="H7" t="str"><v>公式</v></c>',
        '<c r="I7" t="inlineStr"><is><t>末尾</t></is></c>',
    ]
    path = with_sheet(tmp_path, f'<sheetData><row r="7">{"".join(cells)}</row></sheetData>')
    assert actual_sheets(path) == expected_sheets(path)
    assert actual_sheets(path)[0][2] == [(7, [None, "申请人", "张 三 ", None, None, None, 42, "公式", "末尾"])]


def test_a_ledger_written_with_inline_strings_reads_as_openpyxl_reads_it(tmp_path):
    path = tmp_path / "inline.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["收到日期", "申请人", "申请内容"])
    ws.append([dt.date(2025, 3, 5), "张三", " 预算  决算 "])
    ws.append([dt.date(2025, 3, 6), "李四", "三公经费\n2024年"])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert 't="inlineStr"' in sheet_xml  # the writer really wrote inline strings
    sheets = reader.read_xlsx(path)
    rows = [values for _n, values in sheets[0].rows]
    assert rows[0] == ["收到日期", "申请人", "申请内容"]
    assert rows[1][1:] == ["张三", " 预算  决算 "]
    assert rows[2][1:] == ["李四", "三公经费\n2024年"]
    assert actual_sheets(path) == expected_sheets(path)
