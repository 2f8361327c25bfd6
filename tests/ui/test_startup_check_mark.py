"""Start-up reads the whole register only when it is not exactly as a
recent passed check left it: the clerk's everyday start (the register as the
last session left it) reads nothing; a session that changed the register has
it checked while the process ends; a change from outside, or damage, is read
at the next start, and damage gets its dialog there."""

from __future__ import annotations

import argparse
import sqlite3
from dataclasses import replace

import pytest
from gui_helpers import feature
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.files import paths
from desktop_app.services import applications
from desktop_app.storage import check_mark, integrity
from desktop_app.storage.database import connect
from desktop_app.ui import app as app_module
from desktop_app.ui import safety
from desktop_app.ui.features import FEATURES


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    monkeypatch.setattr(paths, "check_marks_dir", lambda: tmp_path / "marks")
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: pytest.fail(f"critical: {a}")))


@pytest.fixture
def reads(monkeypatch):
    calls = []
    real = integrity.quick_check
    monkeypatch.setattr(check_mark, "quick_check", lambda path: calls.append(path) or real(path))
    return calls


def _start(path, monkeypatch, work=None) -> list:
    """One run of the GUI over ``path``; ``work(context)`` is what the
    clerk does before closing the window.  Returns what the start-up hook saw."""
    import desktop_app.ui.main_window as main_window_module

    seen = []

    def hook(context, window):
        seen.append(window.isVisible())
        if work is not None:
            work(context)
        QTimer.singleShot(0, window.close)

    monkeypatch.setattr(main_window_module, "FEATURES",
                        replace(FEATURES, startup_hooks=[feature("test", "测试", hook)]))
    # the real event loop (its aboutToQuit releases the instance lock); a
    # window that never closes fails the test instead of hanging it
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.instance().exit(99))
    watchdog.start(20000)
    try:
        assert app_module.run_gui(argparse.Namespace(db=str(path), demo=False, command=None)) == 0
    finally:
        watchdog.stop()
    assert seen == [True]
    return seen


def _register(tmp_path):
    path = tmp_path / "register.db"
    connect(path).close()
    return path


def _add(context, record):
    applications.register_application(context.session, record)


def test_the_everyday_start_reads_nothing_and_a_changed_register_is_checked_at_exit(
        qapp, tmp_path, monkeypatch, reads, person_record):
    path = _register(tmp_path)
    marks = tmp_path / "marks"

    _start(path, monkeypatch)  # the first start reads the file once
    assert len(reads) == 1
    assert check_mark.is_marked(path, marks)

    at_hook = []
    _start(path, monkeypatch, work=lambda ctx: (at_hook.append(len(reads)), _add(ctx, person_record)))
    assert at_hook == [1]  # the start itself read nothing
    assert len(reads) == 2  # the session changed it: checked as the process ended
    assert check_mark.is_marked(path, marks)

    _start(path, monkeypatch, work=lambda ctx: at_hook.append(len(reads)))
    assert at_hook == [1, 2] and len(reads) == 2  # unchanged: nothing read at start or at exit


def test_a_change_from_outside_is_read_at_the_next_start(qapp, tmp_path, monkeypatch, reads):
    path = _register(tmp_path)
    _start(path, monkeypatch)
    assert len(reads) == 1
    conn = sqlite3.connect(path)  # e.g. another tool, while the app is closed
    conn.execute("PRAGMA user_version")  # (read only: nothing changes)
    conn.close()
    _start(path, monkeypatch)
    assert len(reads) == 1
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE outside (x)")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # (as its last connection closing does)
    conn.close()
    at_hook = []
    _start(path, monkeypatch, work=lambda ctx: at_hook.append(len(reads)))
    assert at_hook == [2]  # read before the register was opened
    assert len(reads) == 2  # and marked: the session changed nothing, nothing read at exit


def test_damage_under_a_marked_register_found_at_exit_gets_the_dialog_at_the_next_start(
        qapp, tmp_path, monkeypatch, reads, person_record):
    path = _register(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    conn.commit()
    root, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'filler'").fetchone()
    conn.close()
    _start(path, monkeypatch)
    assert check_mark.is_marked(tmp_path / "register.db", tmp_path / "marks")

    def damage_while_open(context):
        # a failing disk under the running app: a page overwritten behind SQLite's back,
        # while the session also writes (so the file is checked as the process ends)
        _add(context, person_record)
        with open(path, "r+b") as fh:  # the filler table's root page, which the session does not write
            fh.seek((root - 1) * page_size)
            fh.write(b"\xff" * page_size)

    warned = []  # the exit backup refuses to copy a damaged register, and says so
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[1])))
    _start(path, monkeypatch, work=damage_while_open)
    assert warned == ["政府信息公开办理台 – 退出时备份失败"]
    assert not check_mark.mark_path(path, tmp_path / "marks").exists()

    offered = []

    class Refuse:
        def __init__(self, report, backups, parent):
            offered.append(report)
            self.chosen = None

        def exec(self):
            return 0

    monkeypatch.setattr(safety, "DamagedDatabaseDialog", Refuse)
    assert app_module.run_gui(argparse.Namespace(db=str(path), demo=False, command=None)) == 0
    assert len(offered) == 1 and offered[0].damaged
