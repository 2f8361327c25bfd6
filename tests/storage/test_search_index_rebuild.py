"""Issue 19: a register upgraded where SQLite had no FTS5 (no search index,
the search scanning) gets its index built when it is next opened by a SQLite
with FTS5: the open says so beforehand (``upgrade_step``, for the GUI's
progress dialog), builds it from every stored text in one transaction,
takes no backup (only derived data is written) and the search is served by
the index from then on; without FTS5 nothing is asked for and it scans."""

from __future__ import annotations

import pytest

from desktop_app.services.session import needs_upgrade, open_register, upgrade_register, upgrade_step
from desktop_app.storage import search_index
from search_index_helpers import brute_force, expected_contents, index_contents, searched

ROWS = [("2025-0001", "张三", "征地补偿安置方案"), ("2025-0002", "王某某", "环境信息公开申请"),
        ("〔2025〕3号", "某某律师事务所", "征收补偿决定 0731-88881234")]
QUERIES = ["张", "张三", "环境", "征收补偿", "2025-00", "某某律师事务所", "补偿 公开", "赵六", "不存在"]


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def without_fts5_register(db_path, monkeypatch):
    """A register made and written where SQLite had no FTS5 (then FTS5 back)."""
    from desktop_app.domain.records import ApplicationFields

    with monkeypatch.context() as m:
        m.setattr(search_index, "fts5_available", lambda conn: False)
        session = open_register(db_path, create=True)
        with session.store.transaction():
            session.store.applications.insert_many([ApplicationFields(
                serial=s, receipt_date="2025-03-05", applicant_type="natural_person", applicant_name=n,
                info_description=d, status="received") for s, n, d in ROWS], "2025-03-05T09:00:00")
        with session.store.transaction():  # an edit while there is no index (its log is not kept)
            session.store.applications.update(1, {"applicant_name": "赵六"}, stamp="2025-03-06T09:00:00")
        assert "search_index" not in session.store.db.table_names()
        assert searched(session.store, "赵六") == ({1}, False)
        session.close()
        assert upgrade_step(db_path) is None  # (nothing this SQLite could build)
    return db_path


def test_a_register_upgraded_without_fts5_gets_its_index_when_opened_with_fts5(without_fts5_register):
    path = without_fts5_register
    assert upgrade_step(path) == "search_index" and needs_upgrade(path)
    before = _files(path.parent)
    upgrade_register(path)  # (what the GUI runs in its worker thread under the progress dialog)
    assert upgrade_step(path) is None and not needs_upgrade(path)
    assert [f for f in _files(path.parent) if f not in before and not f.endswith(("-wal", "-shm"))] == []
    session = open_register(path)
    try:
        db = session.store.db
        assert index_contents(db) == expected_contents(db) != {}
        assert db.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
        for q in QUERIES:
            found, by_index = searched(session.store, q)
            assert by_index and found == brute_force(db, q), q
        assert searched(session.store, "赵六") == ({1}, True) and searched(session.store, "张三") == (set(), True)
        with session.store.transaction():  # kept with every later write, as after m0012
            session.store.applications.update(2, {"applicant_name": "钱七"}, stamp="2025-03-07T09:00:00")
        assert searched(session.store, "钱七") == ({2}, True)
        assert index_contents(db) == expected_contents(db)
    finally:
        session.close()


def test_opening_builds_the_index_without_the_worker_too(without_fts5_register):
    # (the command line opens registers directly: the same open builds it)
    session = open_register(without_fts5_register)
    try:
        assert "search_index" in session.store.db.table_names()
        assert searched(session.store, "赵六") == ({1}, True)
    finally:
        session.close()


def test_a_failed_build_leaves_no_half_index_and_the_search_scans(without_fts5_register, monkeypatch):
    def broken(conn):
        raise RuntimeError("disk full")

    monkeypatch.setattr(search_index, "rebuild", broken)
    with pytest.raises(RuntimeError):
        open_register(without_fts5_register)
    monkeypatch.undo()
    assert upgrade_step(without_fts5_register) == "search_index"  # (still to do, nothing half-built)
    session = open_register(without_fts5_register)
    try:
        assert searched(session.store, "赵六") == ({1}, True)
    finally:
        session.close()
