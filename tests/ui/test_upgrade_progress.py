"""Issue 19: an older register is upgraded in a worker thread while a
progress dialog says so (the upgrade of a large register takes tens of
seconds: never a frozen window), then opened on the GUI thread; a failed
upgrade is shown and nothing is opened."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox, QProgressDialog

from desktop_app.services import session as session_mod
from desktop_app.storage import database
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import MIGRATION_MODULES
from desktop_app.ui import app as app_mod


def _old_register(path):
    db = connect(path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0014_register_orders"])
    db.execute(f"PRAGMA user_version = {MIGRATION_MODULES.index('m0014_register_orders')}")
    db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, info_description, "
               "status, created_at, updated_at) VALUES('2025-0001', '2025-03-05', 'natural_person', '张三', "
               "'某文件', 'received', 'x', 'x')")
    db.conn.commit()
    db.conn.close()
    return path


def _watch_upgrade(monkeypatch):
    """The progress dialogs shown ``(title, label)`` and the threads the
    upgrade ran in, as the GUI opens a register."""
    shown, threads = [], []
    monkeypatch.setattr(QProgressDialog, "show", lambda self: shown.append((self.windowTitle(), self.labelText())))
    real = session_mod.upgrade_register

    def upgrade(p):
        threads.append(threading.current_thread().name)
        real(p)

    monkeypatch.setattr(session_mod, "upgrade_register", upgrade)
    return shown, threads


def test_an_old_register_is_upgraded_in_a_worker_under_a_progress_dialog(qapp, tmp_path, monkeypatch):
    path = _old_register(tmp_path / "old.db")
    assert session_mod.needs_upgrade(path)
    shown, threads = _watch_upgrade(monkeypatch)
    session = app_mod.open_register_gui(path)
    try:
        assert threads == ["register-upgrade"]  # not the GUI thread
        assert len(shown) == 1 and "正在升级台账" in shown[0][1] and "备份" in shown[0][1]
        assert session is not None and not session_mod.needs_upgrade(path)
        from desktop_app.services import applications

        assert [a.serial for a in applications.all_applications(session)] == ["2025-0001"]
    finally:
        if session is not None:
            session.close()


def test_a_current_register_opens_without_the_dialog(qapp, tmp_path, monkeypatch):
    session_mod.create_register(tmp_path / "new.db").close()
    shown = []
    monkeypatch.setattr(QProgressDialog, "show", lambda self: shown.append(self.labelText()))
    session = app_mod.open_register_gui(tmp_path / "new.db")
    assert session is not None and shown == []
    session.close()


def test_a_failed_upgrade_is_shown_and_nothing_opens(qapp, tmp_path, monkeypatch):
    path = _old_register(tmp_path / "old.db")
    before = path.read_bytes()
    told = []

    def refuse(p):
        raise session_mod.DatabaseReadOnlyError("文件夹是只读的，无法升级台账。请把台账复制到可写的位置。")

    monkeypatch.setattr(session_mod, "upgrade_register", refuse)
    monkeypatch.setattr(QProgressDialog, "show", lambda self: None)
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    assert app_mod.open_register_gui(path) is None
    assert told and "只读" in told[0]
    assert path.read_bytes() == before


def test_a_register_upgraded_without_fts5_gets_its_search_index_under_the_dialog(qapp, tmp_path, monkeypatch):
    from desktop_app.storage import search_index

    path = tmp_path / "no-fts5.db"
    with monkeypatch.context() as m:  # made where SQLite had no FTS5: no index, the search scans
        m.setattr(search_index, "fts5_available", lambda conn: False)
        session_mod.create_register(path).close()
    assert session_mod.upgrade_step(path) == "search_index"
    shown, threads = _watch_upgrade(monkeypatch)
    session = app_mod.open_register_gui(path)
    try:
        assert threads == ["register-upgrade"]
        # it says what it does (and claims no backup: only derived data is written)
        assert len(shown) == 1 and "检索索引" in shown[0][0] and "检索索引" in shown[0][1]
        assert "备份" not in shown[0][1]
        assert session is not None and session_mod.upgrade_step(path) is None
        assert "search_index" in session.store.db.table_names()
    finally:
        if session is not None:
            session.close()
