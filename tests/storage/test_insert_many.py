"""Issue 19: the bulk insert of the ledger import writes its rows several to
a statement, within the SQLite build's limit on bound values, with the
deadline columns, status and 待核实 flags computed before the write."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from desktop_app.domain.records import ApplicationFields
from desktop_app.services import applications
from desktop_app.storage import applications as table
from desktop_app.storage.applications import ApplicationQuery


def _records(n: int, start: int = 1) -> list[ApplicationFields]:
    return [ApplicationFields(serial=f"2025-{k:05d}", receipt_date="2025-03-05", applicant_type="natural_person",
                              applicant_name=f"申请人{k}", info_description=f"第{k}项信息", status="received")
            for k in range(start, start + n)]


def _insert_traced(store, n: int) -> list[int]:
    """Insert ``n`` rows; the number of rows each INSERT statement took."""
    seen: dict[str, None] = {}  # (a trigger's firing traces its statement again)

    def trace(sql: str) -> None:
        if sql.startswith("INSERT INTO applications("):
            seen[sql] = None

    store.db.conn.set_trace_callback(trace)
    try:
        with store.transaction():
            ids = store.applications.insert_many(_records(n), "STAMP-T")
    finally:
        store.db.conn.set_trace_callback(None)
    assert ids == list(range(1, n + 1))
    return [sql.count("'STAMP-T'") // 2 for sql in seen]  # created_at and updated_at of each row


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Connection.setlimit is Python 3.11+")
def test_an_old_sqlite_limit_of_999_values_splits_the_rows_into_more_statements(register):
    register.store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)  # as SQLite before 3.32 has it
    rows = _insert_traced(register.store, 250)
    per = rows[0]
    assert 1 < per < table._ROWS_PER_STATEMENT
    assert sum(rows) == 250 and len(rows) == -(-250 // per)
    assert applications.count(register) == 250
    # every row reached the search index with the transaction
    assert list(applications.register_ids(register, ApplicationQuery(text="申请人250"))) == [250]


def test_a_new_sqlite_takes_a_hundred_rows_a_statement(register):
    if sqlite3.sqlite_version_info < (3, 32):
        pytest.skip("this SQLite allows 999 bound values: see the test above")
    assert _insert_traced(register.store, 250) == [100, 100, 50]


def test_derived_columns_status_and_flags_go_in_with_the_row(register):
    store = register.store
    with store.transaction():
        first, second = store.applications.insert_many(
            _records(2), "2025-03-05T09:00:00",
            derived=[{"due_date": "2025-04-02", "clock_state": "running", "limit_days": 20, "status": "extended",
                      "extension_days": 20, "deadline_provisional": True}, {}],
            review=[{"phone": "电话号码位数不对"}, {}])
    a, b = store.applications.get(first), store.applications.get(second)
    assert (a.due_date, a.clock_state, a.limit_days, a.status, a.extension_days, a.deadline_provisional) == (
        "2025-04-02", "running", 20, "extended", 20, True)
    assert a.review_reasons == {"phone": "电话号码位数不对"}
    # a row with nothing computed keeps the table's defaults
    assert (b.due_date, b.status, b.extension_days, b.paused_days, b.deadline_provisional, b.review_reasons) == (
        None, "received", 0, 0, False, {})
    raw = store.db.execute("SELECT extension_days, paused_days, deadline_provisional FROM applications "
                           "WHERE id = ?", [second]).fetchone()
    assert tuple(raw) == (0, 0, 0)


def test_ids_follow_the_highest_one_and_may_be_given(register):
    store = register.store
    with store.transaction():
        assert store.applications.insert_many(_records(3), "t") == [1, 2, 3]
        assert store.applications.next_id() == 4
        assert store.applications.insert_many(_records(2, start=10), "t", first_id=7) == [7, 8]
        assert store.applications.next_id() == 9
