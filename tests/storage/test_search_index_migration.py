"""Issue 19: m0012_search_index upgrades a register built at the previous
version (the index built from every stored text, the search then served by
it), and wherever the index cannot answer the search scans as before with the
same results: SQLite without FTS5, a register whose index this SQLite cannot
read, more pending writes than a search takes in."""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app.domain.records import ApplicationFields
from desktop_app.services.session import open_register
from desktop_app.storage import database, search_index
from desktop_app.storage.applications import search_text
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES
from search_index_helpers import brute_force, expected_contents, index_contents, searched

ROWS = [("2025-0001", "张三", None, None, "征地补偿安置方案"),
        ("2025-0002", "王某某", "Ｚｈａｎｇ Wei", "环境影响评价", "环境信息公开申请"),
        ("〔2025〕3号", "某某律师事务所", "李某", None, "征收补偿决定 0731-88881234"),
        ("2025-0004", "ΣΟΦΙΑ", None, "İstanbul", "Straße 公开")]
QUERIES = ["张", "张三", "王", "环境", "征收补偿", "2025-00", "〔2025〕", "0731", "ｚｈａｎｇ", "zhang", "wei 环境",
           "某某律师事务所", "补偿 公开", "σοφια", "i̇stanbul", "straße", "三王", "不存在", "信息 某"]


def _add(store, rows=ROWS):
    with store.transaction():
        store.applications.insert_many([ApplicationFields(
            serial=s, receipt_date="2025-03-05", applicant_type="natural_person", applicant_name=n,
            contact_name=c, info_title=t, info_description=d, status="received") for s, n, c, t, d in rows],
            "2025-03-05T09:00:00")


def _check_search(store, *, by_index: bool) -> None:
    nonempty = 0
    for q in QUERIES:
        found, used_index = searched(store, q)
        assert used_index == by_index, q
        assert found == brute_force(store.db, q), q
        nonempty += bool(found)
    assert nonempty >= 9  # (the queries do find things, not only nothing)


def test_upgrade_from_the_version_before_search_index(db_path):
    db = connect(db_path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0012_search_index"])
    db.execute(f"PRAGMA user_version = {MIGRATION_MODULES.index('m0012_search_index')}")
    assert "search_index" not in db.table_names()
    for serial, name, contact, title, content in ROWS:
        values = {"serial": serial, "applicant_name": name, "contact_name": contact, "info_title": title,
                  "info_description": content}
        db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, contact_name, "
                   "info_title, info_description, status, created_at, updated_at, search_text) "
                   "VALUES(?, '2025-03-05', 'natural_person', ?, ?, ?, ?, 'received', 'x', 'x', ?)",
                   [serial, name, contact, title, content, search_text(values)])
    db.conn.commit()
    db.conn.close()

    session = open_register(db_path)
    try:
        db = session.store.db
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert database.pending_migrations(db) == []
        assert index_contents(db) == expected_contents(db) != {}
        _check_search(session.store, by_index=True)
        # the upgraded register keeps its index with every later write
        with session.store.transaction():
            session.store.applications.update(1, {"applicant_name": "赵六"}, stamp="2025-03-06T09:00:00")
        assert searched(session.store, "赵六") == ({1}, True)
        assert searched(session.store, "张三") == (set(), True)
        assert index_contents(db) == expected_contents(db)
    finally:
        session.close()


def test_without_fts5_the_register_searches_by_scanning(db_path, monkeypatch):
    monkeypatch.setattr(search_index, "fts5_available", lambda conn: False)
    session = open_register(db_path, create=True)
    try:
        db = session.store.db
        assert "search_index" not in db.table_names()  # the migration built no index
        _add(session.store)
        _check_search(session.store, by_index=False)
        with session.store.transaction():
            session.store.applications.update(1, {"applicant_name": "赵六"}, stamp="2025-03-06T09:00:00")
        assert searched(session.store, "赵六") == ({1}, False)
        assert db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0  # no log kept for nothing
    finally:
        session.close()


def _rename_index_module(path, old: str, new: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = 'search_index'",
                     [f"USING {old}(", f"USING {new}("])
        conn.commit()
    finally:
        conn.close()


def test_a_register_whose_index_this_sqlite_cannot_read_opens_and_scans(db_path):
    session = open_register(db_path, create=True)
    _add(session.store)
    session.close()
    # as on a computer whose SQLite lacks FTS5: the index's module is unknown
    _rename_index_module(db_path, "fts5", "fts5_not_here")
    session = open_register(db_path)  # recognised as a sound register all the same
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such module"):
            session.store.db.execute("SELECT rowid FROM search_index WHERE search_index MATCH 'u0isg'")
        _check_search(session.store, by_index=False)
        with session.store.transaction():  # writes go on; the log keeps them for the index
            session.store.applications.update(1, {"applicant_name": "赵六"}, stamp="2025-03-06T09:00:00")
        assert searched(session.store, "赵六") == ({1}, False)
        assert session.store.db.execute("SELECT count(*) FROM search_pending").fetchone()[0] > 0
    finally:
        session.close()
    # back on a SQLite with FTS5: the index takes the logged writes and answers again
    _rename_index_module(db_path, "fts5_not_here", "fts5")
    session = open_register(db_path)
    try:
        assert searched(session.store, "赵六") == ({1}, True)
        assert searched(session.store, "张三") == (set(), True)
        assert index_contents(session.store.db) == expected_contents(session.store.db)
        _check_search(session.store, by_index=True)
    finally:
        session.close()


def test_more_pending_writes_than_a_search_takes_in_are_scanned(register, monkeypatch):
    store = register.store
    _add(store)
    monkeypatch.setattr(search_index, "CATCH_UP_AT_SEARCH", 2)
    conn = sqlite3.connect(store.path, timeout=5)  # another program rewrites three texts
    try:
        for app_id, name in [(1, "赵六"), (2, "钱七"), (3, "孙八")]:
            conn.execute("UPDATE applications SET applicant_name = ?, search_text = replace(search_text, "
                         "(SELECT lower(applicant_name) FROM applications WHERE id = ?), ?) WHERE id = ?",
                         [name, app_id, name, app_id])
        conn.commit()
    finally:
        conn.close()
    assert searched(store, "钱七") == ({2}, False)
    assert searched(store, "王某某") == (set(), False)
    with store.transaction():  # the next write of the app takes them in
        pass
    assert searched(store, "钱七") == ({2}, True)
    _check_search(store, by_index=True)
    assert index_contents(store.db) == expected_contents(store.db)


def test_a_word_in_most_applications_probes_the_found_set_with_the_same_results(register, monkeypatch):
    from desktop_app.storage.applications import ApplicationQuery, register_where

    store = register.store
    _add(store)
    monkeypatch.setattr(search_index, "LARGE_AT_LEAST", 1)  # (a register of four: "many" is one or more)
    where, _ = register_where(ApplicationQuery(text="2025"), store.applications.search)
    assert "+id IN (SELECT" in where
    # (read by id all the same where a pass over every row found tests columns no order's index holds)
    where, _ = register_where(ApplicationQuery(text="2025"), store.applications.search, by_id=True)
    assert "+id" not in where and "id IN (SELECT" in where
    where, _ = register_where(ApplicationQuery(text="不存在"), store.applications.search)
    assert "+id" not in where
    _check_search(store, by_index=True)


def test_a_damaged_index_refuses_no_write_and_the_search_scans(register):
    store = register.store
    _add(store)
    conn = sqlite3.connect(store.path, timeout=5)  # the table of the index's pages lost
    try:
        conn.execute("DROP TABLE search_index_data")
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                         [search_index.match_expression(["张"])]).fetchone()
    with store.transaction():  # the clerk's edit is saved all the same
        store.applications.update(1, {"applicant_name": "赵六"}, stamp="2025-03-06T09:00:00")
    assert store.db.execute("SELECT applicant_name FROM applications WHERE id = 1").fetchone()[0] == "赵六"
    assert searched(store, "赵六") == ({1}, False)
    with store.transaction():  # nothing pending: the search's own look at the index fails, and it scans
        store.db.execute("DELETE FROM search_pending")
    _check_search(store, by_index=False)
