"""The .xlsx reader (calamine) against openpyxl's own reading: workbooks
written with openpyxl from hypothesis-generated cells of every kind, read
back by the reader and by ``openpyxl.load_workbook(read_only=True,
data_only=True)``; the rows must be equal after the normalisation the
reader documents, written out here on its own:

* an empty cell, an empty text and an error value (#N/A, #REF!…) are None;
* a whole number is an int (Excel keeps numbers as doubles: openpyxl gives
  an int for a value written without a point, calamine a float), and an
  integer beyond 2**53 is the double nearest to it (what Excel holds; a
  writer other than Excel may have written all its digits);
* a date is a datetime (calamine gives a date when the time is 00:00);
* a row's trailing empty cells are left out, and so are blank rows.

Known differences, each tested below on its own or left out of the
generated cells: control characters written as _x000D_… are decoded by
calamine; a <t> without xml:space="preserve" has its leading and trailing
whitespace trimmed; a number in a date format beyond 9999-12-31 (Excel
shows #####) is the number for calamine, an error (None) for openpyxl.

Each workbook is read as openpyxl writes it (every text an inline string)
and as Excel writes it (the texts in the shared-strings part).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ledger_samples import actual_sheets, as_excel_writes, expected_sheets, with_sheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

# --- the cells -----------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("申请人张三预算决算公开（）〔〕号 abcXYZ019,.;:'\"&<>!?#=+-\t\n")),
               max_size=12)
DATE_FORMATS = ["yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "m/d/yy", "yyyy/m/d h:mm", "[$-804]yyyy年m月d日",
                "[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", 'm"月"d"日"', "d-mmm-yy", "mmm-yy",
                "yyyy-mm-dd h:mm:ss", "yyyy\\-mm\\-dd"]
TIME_FORMATS = ["h:mm", "h:mm:ss", "hh:mm:ss AM/PM", "mm:ss", "[$-804]上午/下午h\"时\"mm\"分\""]
DURATION_FORMATS = ["[h]:mm:ss", "[hh]:mm", "[mm]:ss"]
NUMBER_FORMATS = [None, "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.00E+00", "@", '0"件"',
                  '#,##0"元"', "[$-804]aaaa", "[Red]0.0", "0_ ", "000000"]


def _on_ms(serial: float) -> float:
    """A serial date-time on a whole millisecond, as Excel keeps them (of an
    arbitrary double, openpyxl rounds the time of day to the millisecond,
    calamine the whole serial: the two may differ by 1 ms)."""
    return round(serial * 86_400_000) / 86_400_000


def _ms(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def cell_specs(epoch_1904: bool):
    earliest = dt.datetime(1904, 1, 2) if epoch_1904 else dt.datetime(1900, 3, 1)
    return st.one_of(
        st.tuples(st.none(), st.none()),
        st.tuples(TEXT, st.none()),
        st.tuples(st.integers(-10 ** 12, 10 ** 12), st.sampled_from(NUMBER_FORMATS)),
        st.tuples(st.integers(2 ** 53, 10 ** 19) | st.integers(-10 ** 19, -2 ** 53), st.none()),
        st.tuples(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
                  st.sampled_from(NUMBER_FORMATS)),
        st.tuples(st.booleans(), st.none()),
        st.tuples(st.dates(min_value=earliest.date(), max_value=dt.date(9999, 12, 31)),
                  st.sampled_from([None] + DATE_FORMATS)),
        st.tuples(st.datetimes(min_value=earliest, max_value=dt.datetime(9999, 12, 31, 23, 59)).map(_ms),
                  st.sampled_from([None] + DATE_FORMATS)),
        st.tuples(st.times().map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)),
                  st.sampled_from([None] + TIME_FORMATS)),
        st.tuples(st.integers(0, 10 ** 6).map(lambda s: dt.timedelta(seconds=s)),
                  st.sampled_from(DURATION_FORMATS)),
        st.tuples(st.floats(min_value=1, max_value=2_958_465 - (1462 if epoch_1904 else 0)).map(_on_ms),
                  st.sampled_from(DATE_FORMATS)),
        st.tuples(st.sampled_from(["=1+1", '=CONCATENATE("a","b")', "=SUM(A1:A3)", "=A1"]), st.none()),
        st.tuples(st.sampled_from(["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]), st.none()),
    )


@st.composite
def workbooks(draw):
    epoch_1904 = draw(st.booleans())
    sheets = []
    titles = draw(st.lists(st.text(alphabet=st.sampled_from(list("台账2024年Sheet表一")), min_size=1, max_size=6),
                           min_size=1, max_size=3, unique_by=str.lower))
    for i, title in enumerate(titles):
        cells = draw(st.dictionaries(st.tuples(st.integers(1, 30), st.integers(1, 12)), cell_specs(epoch_1904),
                                     max_size=40))
        merges = draw(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 12), st.integers(0, 2), st.integers(0, 2)),
                               max_size=3))
        state = "visible" if i == 0 else draw(st.sampled_from(["visible", "hidden", "veryHidden"]))
        sheets.append((title, state, cells, merges))
    return epoch_1904, sheets


def write(path: Path, spec) -> tuple[Path, list]:
    """The workbook, and the ranges merged in each sheet."""
    epoch_1904, sheets = spec
    merged = []
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    for title, state, cells, merges in sheets:
        ws = wb.create_sheet(title)
        ws.sheet_state = state
        for (row, col), (value, number_format) in sorted(cells.items()):
            cell = ws.cell(row=row, column=col, value=value)
            if number_format is not None:
                cell.number_format = number_format
        taken: set = set()
        merged.append([])
        for row, col, down, right in merges:
            area = {(r, c) for r in range(row, row + down + 1) for c in range(col, col + right + 1)}
            if (down or right) and not area & taken:
                taken |= area
                ws.merge_cells(f"{get_column_letter(col)}{row}:{get_column_letter(col + right)}{row + down}")
                merged[-1].append((row, col, row + down, col + right))
        merged[-1].sort()
    wb.save(path)
    return path, merged


#: DIFF_EXAMPLES=1000 for a longer search
EXAMPLES = int(os.environ.get("DIFF_EXAMPLES", 60))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=workbooks())
def test_rows_equal_openpyxls_own_reading(tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("diff")
    try:
        path, merged = write(folder / "openpyxl.xlsx", spec)
    except (ValueError, TypeError, OverflowError):
        assume(False)  # a value openpyxl itself cannot write
    expected = expected_sheets(path, merged)
    assert actual_sheets(path) == expected
    excel = as_excel_writes(path, folder / "excel.xlsx")
    assert expected_sheets(excel, merged) == expected
    assert actual_sheets(excel) == expected


# --- hand-written parts: what openpyxl never writes but Excel, WPS or others do ---------------

@pytest.mark.parametrize("sheet_data", [
    # rows and cells without references: each row follows the last, each cell the one before
    '<row><c><v>1</v></c><c t="inlineStr"><is><t>甲</t></is></c></row><row r="4"><c><v>2</v></c><c r="D4"><v>3</v>'
    '</c><c><v>4</v></c></row><row><c t="b"><v>1</v></c></row>',
    # cells starting right of column A and below row 1; an empty row between
    '<row r="3" spans="3:5"><c r="C3" s="0"><v>7.5</v></c><c r="E3" t="inlineStr"><is><t>乙</t></is></c></row>'
    '<row r="4"/><row r="6"><c r="D6" t="inlineStr"><is><t xml:space="preserve"> 丙 </t></is></c></row>',
    # formulas: a cached value of each type, and none
    '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
    '<c r="C1" t="b"><f>TRUE()</f><v>1</v></c><c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E1"><f>A1</f></c>'
    '<c r="F1" t="str"><f>""</f><v></v></c><c r="G1" t="inlineStr"><is><t/></is></c><c r="H1"><v>3</v></c></row>',
    # rich text runs and a phonetic guide (left out, as openpyxl leaves it)
    '<row r="2"><c r="A2" t="inlineStr"><is><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 三 </t></r></is>'
    '</c><c r="B2" t="inlineStr"><is><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is></c></row>',
])
def test_hand_written_sheets_read_as_openpyxl_reads_them(tmp_path, sheet_data):
    path = with_sheet(tmp_path, f"<sheetData>{sheet_data}</sheetData>")
    assert actual_sheets(path) == expected_sheets(path)


def test_shared_strings_of_every_shape_read_as_openpyxl_reads_them(tmp_path):
    sst = ('<si><t>申请人</t></si>'
           '<si><t xml:space="preserve">  两端有空格  </t></si>'
           '<si><r><rPr><b/><sz val="11"/></rPr><t>加粗</t></r><r><t>普通</t></r></si>'
           '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'
           '<si><t/></si>'
           '<si><t>a_x005F_x000D_b</t></si>')
    cells = "".join(f'<c r="{col}1" t="s"><v>{i}</v></c>' for i, col in enumerate("ABCDEF"))
    path = with_sheet(tmp_path, f'<sheetData><row r="1">{cells}</row></sheetData>', sst=sst)
    assert actual_sheets(path) == expected_sheets(path)
    assert actual_sheets(path)[0][2] == [(1, ["申请人", "  两端有空格  ", "加粗普通", "東京", None, "a_x000D_b"])]


def test_escaped_characters_are_decoded_where_openpyxl_leaves_them_written(tmp_path):
    """A difference, on purpose: Excel writes a carriage return (text pasted
    from a Windows program) and other control characters as _x000D_…;
    calamine decodes them (as Excel shows them), openpyxl left them as
    written.  A control character then makes the importer ask the clerk to
    retype the cell (columns.cell_text), as for a CSV or .xls file.  A
    literal "_x000D_" is written _x005F_x000D_ and read as such by both."""
    sst = "<si><t>第一行_x000D_\n第二行</t></si><si><t>a_x005F_x000D_b</t></si><si><t>响铃_x0007_</t></si>"
    path = with_sheet(tmp_path, '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                                '<c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>x_x000D_y</t></is></c>'
                                "</row></sheetData>", sst=sst)
    assert actual_sheets(path)[0][2] == [(1, ["第一行\r\n第二行", "a_x000D_b", "响铃\x07", "x\ry"])]
    assert expected_sheets(path)[0][2] == [(1, ["第一行_x000D_\n第二行", "a_x000D_b", "响铃_x0007_", "x_x000D_y"])]


def test_text_without_preserved_spaces_is_trimmed_as_excel_shows_it(tmp_path):
    """A difference that no reader of the register sees: a <t> without
    xml:space="preserve" loses its leading and trailing spaces, tabs and
    line breaks (Excel writes "preserve" whenever a text has them; the
    importer strips every text anyway).  A text of spaces alone is then
    empty: None."""
    path = with_sheet(tmp_path, '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t> 甲 </t></is></c>'
                                '<c r="B1" t="inlineStr"><is><t>  </t></is></c><c r="C1"><v>1</v></c></row>'
                                "</sheetData>")
    assert actual_sheets(path)[0][2] == [(1, ["甲", None, 1])]


def test_date_formats_custom_and_built_in(tmp_path):
    """Custom and built-in number formats of dates, times and durations.  A
    difference, on purpose: the built-in formats of the Chinese, Japanese
    and Korean versions of Excel (ids 27-36 and 50-58, which a file names
    but does not spell out: 31 is yyyy"年"m"月"d"日") are dates for calamine
    (0.37 on), as Excel shows them there; openpyxl knows only the Western
    ones and gives the serial number, which the importer took for a date
    only in a date column."""
    styles = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
              '</numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill>'
              '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
              '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
              '<xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>'
              '<xf numFmtId="46" applyNumberFormat="1"/><xf numFmtId="31" applyNumberFormat="1"/></cellXfs>'
              "</styleSheet>")
    row = ('<row r="1"><c r="A1" s="1"><v>45721</v></c><c r="B1" s="2"><v>45721</v></c>'
           '<c r="C1" s="3"><v>45721.5</v></c><c r="D1" s="4"><v>1.25</v></c><c r="E1" s="1"><v>0.5</v></c>'
           '<c r="F1" s="5"><v>45721</v></c></row>')
    path = with_sheet(tmp_path, f"<sheetData>{row}</sheetData>", styles=styles)
    same = [dt.datetime(2025, 3, 5), dt.datetime(2025, 3, 5), dt.datetime(2025, 3, 5, 12),
            dt.timedelta(days=1, hours=6), dt.time(12)]
    assert actual_sheets(path)[0][2] == [(1, same + [dt.datetime(2025, 3, 5)])]
    assert expected_sheets(path)[0][2] == [(1, same + [45721])]


@pytest.mark.parametrize("error", ["#SPILL!", "#CALC!"])
def test_newer_error_values_stop_the_sheet_with_a_message_naming_them(tmp_path, error):
    """A difference, on purpose: calamine does not know the error values of
    Excel's dynamic arrays, and stops reading the sheet; the clerk is told
    which value, that nothing was imported and what to do (openpyxl read
    them as errors, None)."""
    from desktop_app.ledger.errors import LedgerFileError
    from desktop_app.ledger.reader import read_workbook

    path = with_sheet(tmp_path, '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>申请人</t></is></c>'
                                f'<c r="B1" t="e"><f>SEQUENCE(3)</f><v>{error}</v></c></row></sheetData>')
    assert expected_sheets(path)[0][2] == [(1, ["申请人"])]
    with pytest.raises(LedgerFileError) as caught:
        read_workbook(path)
    message = str(caught.value)
    assert f"不认识的公式错误值“{error}”" in message
    assert "没有导入任何数据" in message and "另存" in message
