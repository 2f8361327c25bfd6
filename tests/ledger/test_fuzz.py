"""Fuzzing the importer (issue 6): malformed CSV/XLSX never crash it,
never import part of a file, and every refusal names the row and reason."""

import csv
import datetime as dt
import io
import random
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.ledger.importer import read_table
from desktop_app.services import applications
from desktop_app.services.ledger import (
    LedgerFileError,
    LedgerImportError,
    import_ledger,
)
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 11, 25)
HEADER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "通信地址",
          "电子邮箱", "申请内容", "答复日期", "办理结果", "结果细项", "备注"]

VALID = {
    "申请编号": ["", "2026-0001", "2025-0107", "2026-0001"],
    "收到日期": ["2026-03-05", "2026/3/5", "2026年3月5日", dt.datetime(2025, 12, 1)],
    "申请方式": ["", "网络", "信函", "当面"],
    "申请人类型": ["自然人", "商业企业", "其他组织"],
    "申请人": ["张某某", "某某科技有限公司"],
    "证件号码": ["", "11010519491231002X"],
    "联系电话": ["", "13812345678", "0731-88001234"],
    "通信地址": ["", "某某路1号"],
    "电子邮箱": ["", "a@example.com"],
    "申请内容": ["征地补偿方案", "财政预算"],
    "答复日期": [""],
    "办理结果": [""],
    "结果细项": [""],
    "备注": ["", "无"],
}
NASTY = [
    "", " ", "=HYPERLINK(\"http://evil.example\",\"点我\")", "=1+1", "+1", "-1", "@SUM(A1:A2)",
    "'=x", "2026-02-30", "2099-01-01", "1900-01-01", "不予公开", "（三）", "属于国家秘密", "重复申请",
    "其他", "法人", "X" * 6000, "a\nb", "\"", "'", "；", "0", "-0", 12345, 3.5, 46086,
    110105194912310020, "\u200b", "\ufeff申请人", "张三\t", "\x01\x02",
]


def cell_strategy(header):
    return st.one_of(st.sampled_from(VALID.get(header, [""])), st.sampled_from(NASTY),
                     st.text(max_size=30))


@st.composite
def ledgers(draw):
    headers = draw(st.permutations(HEADER))
    if draw(st.booleans()):
        headers = headers[:draw(st.integers(3, len(headers)))]  # missing columns
    if draw(st.integers(0, 4)) == 0:
        headers = headers + [draw(st.sampled_from(["经办人", "", "申请人", "=cmd"]))]
    n = draw(st.integers(0, 6))
    if draw(st.booleans()):
        # Well-formed rows (so that whole files do get imported), with
        # at most one nasty cell somewhere.
        rows = [[draw(st.sampled_from(VALID.get(h, [""]))) if h != "申请编号" else "" for h in headers]
                for _ in range(n)]
        if rows and draw(st.booleans()):
            r, c = draw(st.integers(0, n - 1)), draw(st.integers(0, len(headers) - 1))
            rows[r][c] = draw(cell_strategy(headers[c]))
    else:
        rows = [[draw(cell_strategy(h)) for h in headers] for _ in range(n)]
    if rows and draw(st.booleans()):
        del rows[-1][draw(st.integers(0, len(rows[-1]) - 1)):]  # a ragged row
    return headers, rows


def _write(headers, rows, fmt, path):
    if fmt == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in [headers] + rows:
            safe = []
            for c in r:
                if isinstance(c, str):
                    c = openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", c)
                safe.append(c)
            ws.append(safe)
        wb.save(path)
        return
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows([[c.isoformat() if isinstance(c, dt.date) else c for c in r] for r in rows])
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gbk"}[fmt]
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


def _check(path):
    with tempfile.TemporaryDirectory() as d:
        reg = open_register(Path(d) / "r.db", create=True)
        try:
            data_rows = len(read_table(path).rows)
        except LedgerFileError:
            data_rows = None
        try:
            summary = import_ledger(reg, path, today=TODAY, backup=False)
        except LedgerFileError as exc:
            assert str(exc)
            assert applications.count(reg) == 0
        except LedgerImportError as exc:
            assert exc.problems
            assert applications.count(reg) == 0  # never a partial import
            assert reg.store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
            for p in exc.problems:
                assert 2 <= p.row <= 2 + (data_rows or 0) + 5
                assert p.message.strip("。；")
                assert p.text().startswith(f"第{p.row}行：")
        else:
            # All or nothing: every data row was added (a fresh register
            # has nothing to update); template rows are the only skip.
            assert summary.added == applications.count(reg) == data_rows
        finally:
            reg.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.sampled_from(["csv-utf8", "csv-bom", "csv-gbk", "xlsx"]))
def test_malformed_ledgers_never_crash_nor_import_partly(ledger, fmt):
    headers, rows = ledger
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / ("l.xlsx" if fmt == "xlsx" else "l.csv")
        _write(headers, rows, fmt, path)
        _check(path)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_arbitrary_bytes_are_refused_cleanly(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"x{suffix}"
        path.write_bytes(data)
        _check(path)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_corrupted_xlsx_is_refused_cleanly(seed):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.xlsx"
        _write(HEADER, [[VALID[h][0] for h in HEADER]], "xlsx", path)
        data = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        path.write_bytes(bytes(data))
        _check(path)


def test_huge_csv_cell_is_a_clean_error(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(",".join(HEADER) + "\n" + "2026-0001,2026-03-05,,自然人,张某," + "x" * 200_000 + "\n",
                    encoding="utf-8")
    _check(path)


@given(st.text(max_size=40))
def test_neutralise_is_undone_exactly(text):
    from desktop_app.ledger.columns import neutralise, unneutralise

    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralise(out) == text
