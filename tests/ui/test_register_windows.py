"""Issue 19: the register model reads ids through indexed SQL and rows in
pages; its filters and orders are those of the columns' own Python keys."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import applications, recycle_bin
from desktop_app.services.demo import build_large_database
from desktop_app.services.session import open_register
from desktop_app.ui.register_model import (
    PAGE, MemorySource, RegisterFilter, RegisterModel, SessionSource,
)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "register.db"
    build_large_database(path, 3_000, seed=7, today=dt.date(2026, 11, 20))
    session = open_register(path)
    # odd values the orders must place as the Python keys do: blanks, agency numbering
    rows = applications.search(session)[:6]
    # (through the storage layer, which keeps the stored search text with the fields)
    session.store.applications.update(rows[0].id, {"applicant_name": ""}, stamp=None)
    session.store.applications.update(rows[1].id, {"phone": None}, stamp=None)
    for n, app in zip((9, 10, 100), rows[2:5]):
        session.store.applications.update(app.id, {"serial": f"望政依申〔2025〕{n}号"}, stamp=None)
    recycle_bin.delete_application(session, rows[5].id)
    # codes no catalogue knows (shown as written, sorted among the labels by their text), a raw
    # value spelled as a label, reasons out of range or missing, blanks
    odd = applications.search(session)[10:24]
    values = [("channel", "微信"), ("channel", "当面"), ("channel", "zz"), ("channel", ""), ("channel", "一网通办"),
              ("outcome", "某种结果"), ("outcome", "不予公开"), ("outcome", ""), ("outcome", "Z")]
    for app, (field_name, value) in zip(odd, values):
        session.store.applications.update(app.id, {field_name: value}, stamp=None)
    for app, (outcome, reason) in zip(odd[9:], [("withheld", 99), ("withheld", None), ("disclosed", 3),
                                                ("other", 0), ("unavailable", 2)]):
        session.store.applications.update(app.id, {"outcome": outcome, "outcome_reason": reason}, stamp=None)
    # 申请内容 sharing its indexed 16-character prefix but not the rest (duplicates among them), a
    # text of exactly the prefix's length and longer ones starting with it, a blank title ('' or
    # NULL), a title with no description, a blank text, characters beyond the BMP and full-width
    # ones; statuses no catalogue knows (rank 99, between and around the known codes)
    shared = "申请公开望城区城市更新工作方案的全部附件"
    contents = [(None, shared + "乙"), (None, shared + "甲"), (None, shared + "乙"), (None, shared),
                (None, shared + "甲二"), ("", shared + "丙"), (None, shared[:16]), (None, shared[:16] + "A"),
                (None, shared[:15]), ("望城区城市更新工作方案", ""), ("望城区城市更新工作方案", "附件"),
                (None, ""), ("", ""), (None, "𠀀申请"), (None, "ＡＢＣ申请"), (None, "ABC申请")]
    for app, (title, description) in zip(applications.search(session)[30:60], contents):
        session.store.applications.update(app.id, {"info_title": title, "info_description": description},
                                          stamp=None)
    # organisations of no kind, of a blank one, of kinds no catalogue knows (below, between and above
    # the known ones: 其他), an applicant type no catalogue knows with a kind (自然人)
    for app, (kind_type, kind) in zip(applications.search(session)[80:86], [
            ("organisation", None), ("organisation", ""), ("organisation", "aaa"), ("organisation", "m_kind"),
            ("organisation", "zzz"), ("someone", "business")]):
        session.store.applications.update(app.id, {"applicant_type": kind_type, "org_kind": kind}, stamp=None)
    open_ones = applications.search(session, applications.ApplicationQuery(status="open"))
    for app, status in zip(open_ones[10:14], ["", "archived", "zz", "received"]):
        session.store.applications.update(app.id, {"status": status}, stamp=None)
    session.store.db.conn.commit()
    yield session
    session.close()


def _models(session, columns=None):
    sql = RegisterModel(columns)
    sql.set_source(SessionSource(session, sql.fields(), sql.columns))
    memory = RegisterModel(list(columns) if columns else None)
    memory.set_rows(applications.table_rows(session, memory.fields()))
    return sql, memory


def _ids(model):
    return [model.app_id(r) for r in range(model.rowCount())]


FILTERS = [
    RegisterFilter(),
    RegisterFilter(status="open"),
    RegisterFilter(status="closed"),
    RegisterFilter(year=2025),
    RegisterFilter(category="natural_person"),
    RegisterFilter(category="commercial"),
    RegisterFilter(category="other"),
    RegisterFilter(text="某某"),
    RegisterFilter(text="征地 公开"),
    RegisterFilter(text="2026-00"),
    RegisterFilter(text="望政依申"),
    RegisterFilter(text="2026_0"),  # LIKE wildcards are plain characters in a search
    RegisterFilter(text="%"),
    RegisterFilter(text="ZH"),  # (ASCII case does not matter)
    RegisterFilter(year=2026, status="open", text="补偿"),
]


def test_sql_filters_select_the_same_applications_in_the_same_order_as_python(big):
    sql, memory = _models(big)
    for flt in FILTERS:
        sql.set_filter(flt)
        memory.set_filter(flt)
        assert _ids(sql) == _ids(memory), flt
    assert sql.total_count() == memory.total_count() == 2_999
    assert sql.years() == memory.years()
    assert sql.review_count() == memory.review_count()


@pytest.mark.parametrize("key", ["serial", "receipt_date", "applicant_name", "status", "channel",
                                 "reply_date", "id_number", "phone", "outcome", "info_description"])
def test_every_column_sorts_in_sql_exactly_as_its_python_sort_key(big, key):
    sql, memory = _models(big)
    col = sql.column_index(key)
    for order, flt in itertools.product((Qt.AscendingOrder, Qt.DescendingOrder),
                                        (RegisterFilter(), RegisterFilter(status="open"))):
        for model in (sql, memory):
            model.set_filter(flt)
            model.sort(col, order)
        assert _ids(sql) == _ids(memory), (key, order, flt)


def test_the_model_holds_only_the_pages_in_view(big, monkeypatch):
    from desktop_app.ui import register_model

    monkeypatch.setattr(register_model, "MAX_PAGES", 3)
    sql, _memory = _models(big)
    assert sql.cached_row_count() == 0  # nothing read before it is shown
    name = sql.column_index("applicant_name")
    first = sql.index(0, name).data()
    assert sql.cached_row_count() == PAGE
    for row in range(0, sql.rowCount(), PAGE // 2):  # scroll through everything
        sql.index(row, name).data()
    assert PAGE * 2 < sql.cached_row_count() <= PAGE * 3 < sql.rowCount()
    assert sql.index(0, name).data() == first  # read again when it scrolls back


def test_selection_follows_its_row_across_a_sort(big, qtbot):
    from PySide6.QtWidgets import QTableView

    sql, _memory = _models(big)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(sql)
    wanted = sql.app_id(1234)
    view.selectRow(1234)
    sql.sort(sql.column_index("applicant_name"), Qt.AscendingOrder)
    selected = view.selectionModel().selectedRows()
    assert [sql.app_id(i.row()) for i in selected] == [wanted]


def test_memory_source_drops_deleted_rows_and_adds_new_ones(big):
    model = RegisterModel()
    rows = applications.table_rows(big, model.fields())[:3]
    model.set_rows(rows)
    assert isinstance(model.source(), MemorySource) and model.total_count() == 3
    model.update_rows([rows[0]["id"]], [])
    assert rows[0]["id"] not in _ids(model) and model.total_count() == 2


# --- windows (issue 19, third session): a count per group, windows by LIMIT/OFFSET, positions by count ---

from desktop_app.services.applications import ApplicationQuery  # noqa: E402
from desktop_app.storage.applications import register_sorts  # noqa: E402

WINDOW_QUERIES = [ApplicationQuery(), ApplicationQuery(status="open"), ApplicationQuery(year=2025),
                  ApplicationQuery(category="other"), ApplicationQuery(text="某某")]


def _all_columns(session):
    """The register's columns with the deadline feature's 答复期限 and 剩余工作日."""
    from types import SimpleNamespace

    from desktop_app.services.deadlines import load_calendar
    from desktop_app.ui import deadline_columns
    from desktop_app.ui.register_model import DEFAULT_COLUMNS

    context = SimpleNamespace(calendar=lambda: load_calendar(session), today=lambda: dt.date(2026, 11, 20))
    extra = deadline_columns.columns(context)
    at = [c.key for c in DEFAULT_COLUMNS].index("status") + 1
    return [*DEFAULT_COLUMNS[:at], *extra, *DEFAULT_COLUMNS[at:]]


def _python_order(session, sort, descending, flt):
    """The order of the columns' own Python keys (the in-memory model) for the column of ``sort``."""
    memory = RegisterModel(_all_columns(session))
    memory.set_rows(applications.table_rows(session, memory.fields()))
    column = next(i for i, c in enumerate(memory.columns) if c.sort_field == sort)
    memory.set_filter(flt)
    memory.sort(column, Qt.DescendingOrder if descending else Qt.AscendingOrder)
    return _ids(memory)


@pytest.mark.parametrize("sort", sorted(register_sorts()))
def test_every_window_of_every_sql_order_is_the_slice_of_the_python_order(big, sort, qapp):
    query, flt = ApplicationQuery(status="open"), RegisterFilter(status="open")
    fields = ["serial", "applicant_name"]
    for descending in (False, True):
        expected = _python_order(big, sort, descending, flt)
        counts = applications.register_counts(big, query, sort, descending)
        assert sum(counts) == len(expected) and min(counts) >= 0
        # windows of an odd size cross the groups' edges (blanks last in both directions)
        for size in (1, 37, 200):
            got = []
            for offset in range(0, len(expected) + size, size):
                window = applications.register_window(big, query, sort, descending, offset, size, fields, counts)
                assert [r["id"] for r in window] == expected[offset:offset + size], (sort, descending, offset)
                got += [r["id"] for r in window]
            assert got == expected
        assert list(applications.register_ids(big, query, sort, descending)) == expected


@pytest.mark.parametrize("query", WINDOW_QUERIES, ids=lambda q: f"{q.status}-{q.year}-{q.category}-{q.text}")
def test_windows_under_every_filter_match_the_full_order_for_each_sort(big, query):
    fields = ["serial"]
    for sort in sorted(register_sorts()):
        for descending in (False, True):
            full = list(applications.register_ids(big, query, sort, descending))
            counts = applications.register_counts(big, query, sort, descending)
            assert sum(counts) == len(full), (sort, descending)
            for offset in (0, 1, len(full) // 3, len(full) - 5):
                window = applications.register_window(big, query, sort, descending, max(offset, 0), 150,
                                                      fields, counts)
                assert [r["id"] for r in window] == full[max(offset, 0):max(offset, 0) + 150], (sort, offset)


@pytest.mark.parametrize("sort", [None, *sorted(register_sorts())])
def test_the_position_of_an_application_is_counted_in_sql_as_its_index_in_the_order(big, sort):
    for query in (ApplicationQuery(), ApplicationQuery(status="closed"), ApplicationQuery(text="某某"),
                  ApplicationQuery(text="某某律师事务所")):
        for descending in (False, True):
            full = list(applications.register_ids(big, query, sort, descending))
            counts = applications.register_counts(big, query, sort, descending)
            for row in [*range(0, len(full), 97), len(full) - 1]:
                assert applications.register_position(big, query, sort, descending, full[row], counts) == row
    # not selected (open, under a filter for closed ones), in the recycle bin, or never existed: -1
    open_one = applications.register_ids(big, ApplicationQuery(status="open"))[0]
    deleted = applications.search(big, ApplicationQuery())[0].id  # (live: checked below to be found)
    assert applications.register_position(big, ApplicationQuery(status="closed"), sort, False, open_one) == -1
    assert applications.register_position(big, ApplicationQuery(), sort, False, 10_000_000) == -1
    assert applications.register_position(big, ApplicationQuery(), sort, False, deleted) >= 0
    binned = [i for i in range(1, 3_001) if not applications.exists(big, i)]
    assert binned and applications.register_position(big, ApplicationQuery(), sort, False, binned[0]) == -1


@pytest.mark.parametrize("near", [0, 400, 20_000])
def test_a_search_position_near_either_end_or_farther_in_is_its_index_in_the_order(big, monkeypatch, near):
    from desktop_app.storage import applications as stored

    # (rows near an end of their group are counted through their own text, the rest with the found set)
    monkeypatch.setattr(stored, "NEAR_END_ROWS", near)
    for query in (ApplicationQuery(text="某某"), ApplicationQuery(text="某某律师事务所"),
                  ApplicationQuery(text="征地 2026", status="closed")):
        for sort in ("receipt_date", "applicant_name", "due_date", "status", None):
            for descending in (False, True):
                full = list(applications.register_ids(big, query, sort, descending))
                counts = applications.register_counts(big, query, sort, descending)
                for row in sorted({*range(0, len(full), 41), *range(max(len(full) - 5, 0), len(full))}):
                    assert applications.register_position(big, query, sort, descending, full[row], counts) == row
                outside = next(i for i in applications.register_ids(big, ApplicationQuery()) if i not in set(full))
                assert applications.register_position(big, query, sort, descending, outside, counts) == -1


def test_the_model_never_reads_every_selected_id_for_a_sql_order(big, monkeypatch, qapp):
    """Filters, sorts, scrolling and finding a row work from counts and windows alone."""
    def whole_list(*_args, **_kwargs):
        raise AssertionError("the register read every selected row")

    monkeypatch.setattr(applications, "register_ids", whole_list)
    monkeypatch.setattr(applications, "register_rows", whole_list)
    sql, memory = _models(big, _all_columns(big))
    windowed = [c.key for c in sql.columns if c.sort_field and applications.register_windowed(big, c.sort_field)]
    # (the orders m0010's and m0014's indexes walk)
    assert set(windowed) >= {"serial", "receipt_date", "applicant_name", "due_date", "status", "applicant_category",
                             "reply_date", "id_number", "phone"}
    for col, c in enumerate(sql.columns):
        if c.key not in windowed:  # (below)
            continue
        for order in (Qt.AscendingOrder, Qt.DescendingOrder):
            for flt in (RegisterFilter(), RegisterFilter(category="natural_person", status="closed")):
                for model in (sql, memory):
                    model.set_filter(flt)
                    model.sort(col, order)
                assert sql.rowCount() == memory.rowCount() == sql.visible_count()
                for row in (0, sql.rowCount() // 2, sql.rowCount() - 1):
                    assert sql.app_id(row) == memory.app_id(row), (c.key, order, row)
                    sql._pages.clear()  # (found by counting, not in a page read before)
                    assert sql.row_of(memory.app_id(row)) == row
    assert sql.cached_row_count() <= PAGE * 3


def test_selection_follows_its_row_across_a_sort_when_its_page_was_never_read(big, qtbot):
    from PySide6.QtWidgets import QTableView

    sql, memory = _models(big)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(sql)
    view.selectRow(2_500)
    wanted = sql.app_id(2_500)
    for model in (sql, memory):
        model.sort(model.column_index("outcome"), Qt.DescendingOrder)
    selected = view.selectionModel().selectedRows()
    assert [sql.app_id(i.row()) for i in selected] == [wanted]
    assert selected[0].row() == _ids(memory).index(wanted)


def test_a_column_without_a_sql_order_is_sorted_in_python_exactly_as_in_memory(big, qapp):
    sql, memory = _models(big, _all_columns(big))
    col = sql.column_index("days_left")
    assert sql.columns[col].sort_field is None
    for order in (Qt.AscendingOrder, Qt.DescendingOrder):
        for flt in (RegisterFilter(), RegisterFilter(status="open"), RegisterFilter(status="closed"),
                    RegisterFilter(year=2026, category="natural_person"), RegisterFilter(needs_review=True),
                    RegisterFilter(text="某")):  # (the in-memory model knows no 逾期)
            for model in (sql, memory):
                model.set_filter(flt)
                model.sort(col, order)
            assert _ids(sql) == _ids(memory), (order, flt)
    sql.set_filter(RegisterFilter())
    memory.set_filter(RegisterFilter())
    some = _ids(memory)[len(_ids(memory)) // 2]
    assert sql.row_of(some) == _ids(memory).index(some)


def test_sorting_by_days_left_reads_only_the_open_applications_from_the_status_index(big, monkeypatch, qapp):
    """剩余工作日: the closed ones (one key, after the rest) are read in windows in
    serial order; only the open ones are read (from the status index), and their
    days counted once per distinct combination of the deadline columns."""
    sql, memory = _models(big, _all_columns(big))
    col = sql.column_index("days_left")
    column = sql.columns[col]
    assert column.key_of_fields
    read = []
    real = applications.register_open_rows

    def counted(session, query, fields):
        found = real(session, query, fields)
        read.append(len(found[0]))
        return found

    def whole_register(*_args, **_kwargs):
        raise AssertionError("more than the open applications were read")

    monkeypatch.setattr(applications, "register_open_rows", counted)
    for name in ("register_rows", "register_ids", "rows_of_ids"):
        monkeypatch.setattr(applications, name, whole_register)
    open_ids, _ties, open_values = real(big, applications.ApplicationQuery(), column.fields)
    open_count = len(open_ids)
    combinations = len(set(open_values))
    assert combinations < open_count / 2  # (what the memo saves: the bench registers' ratio is 1 to 20)
    for order in (Qt.AscendingOrder, Qt.DescendingOrder):
        memory.sort(col, order)
        calls = []
        real_key = column.sort_key
        monkeypatch.setattr(column, "sort_key", lambda r, _k=real_key, _calls=calls: _calls.append(1) or _k(r))
        sql.sort(col, order)
        monkeypatch.setattr(column, "sort_key", real_key)
        assert len(calls) == combinations, order
        assert _ids(sql) == _ids(memory), order
        expected = _ids(memory)
        for row in (0, open_count - 1, open_count, len(expected) - 1):  # (both parts, both edges)
            row = row if order == Qt.AscendingOrder else len(expected) - 1 - row
            sql._pages.clear()
            assert sql.row_of(expected[row]) == row, (order, row)
    assert read == [open_count, open_count] and 0 < open_count < sql.rowCount()


def test_days_left_with_an_open_status_but_a_closed_clock_sorts_every_row_together(big, qapp):
    """A status no catalogue knows on an application whose clock is closed: its key is the
    closed ones' key, so the register reads and sorts every row, as in memory."""
    app = applications.search(big, applications.ApplicationQuery(status="closed"))[5]
    big.store.applications.update(app.id, {"status": "archived"}, stamp=None)
    try:
        sql, memory = _models(big, _all_columns(big))
        col = sql.column_index("days_left")
        for flt in (RegisterFilter(), RegisterFilter(status="open")):
            for order in (Qt.AscendingOrder, Qt.DescendingOrder):
                for model in (sql, memory):
                    model.set_filter(flt)
                    model.sort(col, order)
                assert app.id in _ids(sql) and _ids(sql) == _ids(memory), (flt, order)
    finally:
        big.store.applications.update(app.id, {"status": "closed"}, stamp=None)
        big.store.db.conn.commit()


def test_the_open_applications_are_read_from_the_status_index_alone(big):
    """The days of 剩余工作日 come from ``idx_register_status`` (m0016): two range
    searches (before and after 已办结), covering, never a pass over the closed ones."""
    from desktop_app.ui.deadline_columns import FIELDS

    db = big.store.db
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        applications.register_open_rows(big, applications.ApplicationQuery(year=2026), FIELDS)
    finally:
        db.conn.set_trace_callback(None)
    sql = next(s for s in statements if "UNION ALL" in s)
    plan = [r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}")]
    searches = [p for p in plan if p.startswith(("SEARCH", "SCAN"))]
    assert searches == ["SEARCH applications USING COVERING INDEX idx_register_status (status<?)",
                        "SEARCH applications USING COVERING INDEX idx_register_status (status>?)"], plan
    with pytest.raises(ValueError):
        applications.register_open_rows(big, applications.ApplicationQuery(status="closed"), FIELDS)


def test_an_order_no_index_walks_reads_its_ids_once_sorted_by_sql_and_rows_by_id(big, monkeypatch):
    from desktop_app.ui.register_model import IdList

    def python_rows(*_args, **_kwargs):
        raise AssertionError("the order was computed in Python")

    monkeypatch.setattr(applications, "register_rows", python_rows)
    sql, memory = _models(big)
    for key in ("info_description", "outcome", "channel", "applicant_category"):
        col = sql.column_index(key)
        sort = sql.columns[col].sort_field
        for order in (Qt.AscendingOrder, Qt.DescendingOrder):
            for model in (sql, memory):
                model.sort(col, order)
            assert isinstance(sql._rows, IdList) != applications.register_windowed(big, sort)
            assert _ids(sql) == _ids(memory), (key, order)


def test_a_search_finding_many_is_read_in_windows_and_one_finding_few_by_id(big, monkeypatch):
    from desktop_app.storage import applications as stored
    from desktop_app.ui.register_model import IdList, SqlWindows

    monkeypatch.setattr(stored, "LARGE_AT_LEAST", 50)  # (windows from 50 found in this small register)
    sql, memory = _models(big)
    rare = applications.search(big)[40].serial  # (found once)
    statements: list[str] = []
    big.store.applications.search._counted_at = None  # (forget the counts kept by earlier tests)
    big.store.db.conn.set_trace_callback(statements.append)
    for text, kind in (("某某", SqlWindows), ("征地 2026", SqlWindows), ("某某律师事务所", SqlWindows),
                       (rare, IdList), ("公开 信息", IdList), ("不存在的内容", IdList)):
        for key in ("applicant_name", "receipt_date", "serial", "status", "channel", "outcome"):
            for order in (Qt.AscendingOrder, Qt.DescendingOrder):
                for model in (sql, memory):
                    model.set_filter(RegisterFilter(text=text))
                    model.sort(model.column_index(key), order)
                assert isinstance(sql._rows, kind), (text, key)
                assert _ids(sql) == _ids(memory), (text, key, order)
        assert (sql.rowCount() > 50) == (kind is SqlWindows), text
    big.store.db.conn.set_trace_callback(None)
    # the windowed searches alone are counted in the n-gram index: over the table only
    # the blank group of an order is counted (an index lookup), or the groups of an order
    # by status or label in one pass over the rows found (read by id), never group by group
    counted = [s for s in statements if "count(*)" in s and "search_index" in s]
    assert any(s.startswith("SELECT count(*) FROM search_index") for s in counted)
    assert any(s.startswith("SELECT count(*), count(*) FILTER") for s in counted)
    assert all(s.startswith(("SELECT count(*) FROM search_index", "SELECT count(*) FROM (SELECT 1 FROM search_index",
                             "SELECT count(*) FROM applications WHERE id IN", "SELECT count(*), count(*) FILTER"))
               or s.endswith(("_name = '')", "IS NULL)", "_date = '')")) for s in counted), counted


# --- m0016_order_keys (fourth session): 申请内容 by its indexed prefix, 办理状态 and 申请人类型 by their indexes ---

ORDER_KEY_FILTERS = [(ApplicationQuery(), RegisterFilter()),
                     (ApplicationQuery(category="business"), RegisterFilter(category="business")),
                     (ApplicationQuery(year=2025), RegisterFilter(year=2025)),
                     (ApplicationQuery(status="closed"), RegisterFilter(status="closed")),
                     (ApplicationQuery(category="other"), RegisterFilter(category="other")),
                     (ApplicationQuery(year=2026, category="natural_person"),
                      RegisterFilter(year=2026, category="natural_person"))]


@pytest.mark.parametrize("sort", ["content", "status", "applicant_category"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_window_of_the_content_status_and_category_orders_is_the_python_slice_under_each_filter(
        big, sort, descending, qapp):
    """Windows of every size, starting anywhere (inside a block of rows sharing the content's
    16-character prefix, across the blanks), are the slices of the columns' own Python order;
    and each row's position is its index in it."""
    assert applications.register_windowed(big, sort)
    for query, flt in ORDER_KEY_FILTERS:
        expected = _python_order(big, sort, descending, flt)
        counts = applications.register_counts(big, query, sort, descending)
        assert sum(counts) == len(expected) and min(counts) >= 0, (sort, query)
        for size in (1, 7, 200):
            got = []
            for offset in range(0, len(expected) + size, size):
                window = applications.register_window(big, query, sort, descending, offset, size, ["serial"], counts)
                got += [r["id"] for r in window]
            assert got == expected, (sort, descending, query, size)
        for row in [*range(0, len(expected), 61), len(expected) - 1]:
            assert applications.register_position(big, query, sort, descending, expected[row], counts) == row


def test_the_content_order_places_shared_prefixes_blanks_and_titles_as_python_does(big, qapp):
    """The fixture's contents sharing their first 16 characters, exactly 16 characters long,
    blank, title-only: in the order the Python key gives, read window by window."""
    ids = {a.id for a in applications.search(big)[30:46]}
    for descending in (False, True):
        expected = [i for i in _python_order(big, "content", descending, RegisterFilter()) if i in ids]
        counts = applications.register_counts(big, ApplicationQuery(), "content", descending)
        got = []
        for offset in range(0, sum(counts), 5):
            got += [r["id"] for r in applications.register_window(big, ApplicationQuery(), "content", descending,
                                                                  offset, 5, ["serial"], counts) if r["id"] in ids]
        assert got == expected and len(expected) == 16, descending


def test_a_search_in_the_content_status_and_category_orders_is_the_python_order(big, monkeypatch, qapp):
    """A search read in windows (one finding many) or by id, sorted by 申请内容 (its prefix
    window walking the index with the words checked), 办理状态 or 申请人类型: the rows of the
    columns' own Python order."""
    from desktop_app.storage import applications as stored

    monkeypatch.setattr(stored, "LARGE_AT_LEAST", 50)  # (windows from 50 found in this small register)
    sql, memory = _models(big)
    rare = applications.search(big)[40].serial
    for text in ("某某", "征地 2026", "某某律师事务所", rare, "申请公开望城区"):
        for key in ("info_description", "status", "applicant_category"):
            for order in (Qt.AscendingOrder, Qt.DescendingOrder):
                for model in (sql, memory):
                    model.set_filter(RegisterFilter(text=text))
                    model.sort(model.column_index(key), order)
                assert _ids(sql) == _ids(memory), (text, key, order)
                for row in (0, sql.rowCount() // 2, sql.rowCount() - 1):
                    sql._pages.clear()
                    assert sql.row_of(memory.app_id(row)) == row, (text, key, order, row)
