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
    session.store.db.execute("UPDATE applications SET applicant_name = '' WHERE id = ?", [rows[0].id])
    session.store.db.execute("UPDATE applications SET phone = NULL WHERE id = ?", [rows[1].id])
    for n, app in zip((9, 10, 100), rows[2:5]):
        session.store.applications.update(app.id, {"serial": f"望政依申〔2025〕{n}号"}, stamp=None)
    recycle_bin.delete_application(session, rows[5].id)
    session.store.db.conn.commit()
    yield session
    session.close()


def _models(session):
    sql = RegisterModel()
    sql.set_source(SessionSource(session, sql.fields(), sql.columns))
    memory = RegisterModel()
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
