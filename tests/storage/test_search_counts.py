"""Issue 19: a search alone is counted in the n-gram index, and the count is
kept only while the register is unchanged: a write of this connection or a
commit of another forgets it, and nothing counted inside a transaction is
kept (a rollback would undo what the count saw)."""

from __future__ import annotations

import sqlite3

from desktop_app.domain.records import ApplicationFields
from desktop_app.storage.applications import search_text


class _Rollback(Exception):
    pass


def _add(store, n: int, name: str, first: int) -> None:
    store.applications.insert_many([ApplicationFields(
        serial=f"2025-{first + i:04d}", receipt_date="2025-03-05", applicant_type="natural_person",
        applicant_name=name, info_description="征地补偿", status="received") for i in range(n)],
        "2025-03-05T09:00:00")


def test_a_search_count_is_kept_until_the_register_changes(register, db_path):
    store = register.store
    index = store.applications.search
    with store.transaction():
        _add(store, 3, "张三", 1)
    assert index.count(["张"]) == 3 and index.count(["征地补偿"]) == 3
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    assert index.count(["张"]) == 3  # kept: the index is not asked again
    store.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "count(*)" in s]
    with store.transaction():  # this connection writes
        _add(store, 1, "张四", 4)
    assert index.count(["张"]) == 4
    other = sqlite3.connect(db_path)  # another program commits (the triggers log it for the index)
    values = {"serial": "2025-0009", "applicant_name": "张五", "info_description": "征地补偿"}
    other.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, info_description, "
                  "status, created_at, updated_at, search_text) VALUES(?, '2025-03-05', 'natural_person', ?, ?, "
                  "'received', 'x', 'x', ?)", [values["serial"], values["applicant_name"],
                                                 values["info_description"], search_text(values)])
    other.commit()
    other.close()
    assert index.count(["张"]) == 5 and index.count(["征地补偿"]) == 5


def test_a_count_taken_inside_a_rolled_back_transaction_is_not_kept(register):
    store = register.store
    index = store.applications.search
    with store.transaction():
        _add(store, 2, "张三", 1)
    assert index.count(["张"]) == 2
    try:
        with store.transaction():
            _add(store, 1, "张四", 3)
            assert index.count(["张"]) == 3
            raise _Rollback
    except _Rollback:
        pass
    assert index.count(["张"]) == 2


def test_the_recycle_bin_is_left_out_of_a_search_count(register):
    from desktop_app.services import recycle_bin

    store = register.store
    with store.transaction():
        _add(store, 3, "张三", 1)
    recycle_bin.delete_application(register, 2)
    assert store.applications.search.count(["张"]) == 2
    assert store.applications.search.count(["征地补偿"]) == 2
