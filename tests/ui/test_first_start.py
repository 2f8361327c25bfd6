"""Issue 11 in the GUI: the start refuses what is not ours without touching
it or its folder (not even a lock file), and creates a register only
through the first-start dialog."""

from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path

import pytest
from folders import listing
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop_app.services import applications
from desktop_app.services.session import open_register
from desktop_app.storage.database import create_register
from desktop_app.ui import app as app_module
from desktop_app.ui import safety


@pytest.fixture
def criticals(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def first_start(monkeypatch):
    """Answers the first-start dialog; records what it was asked."""
    asked = []
    answer = {"value": ("quit", None)}

    def ask(path, **kw):
        asked.append((path, kw))
        return answer["value"]

    monkeypatch.setattr(safety, "ask_first_start", ask)
    return asked, answer


def args(path):
    return argparse.Namespace(db=str(path), demo=False, command=None)


def test_gui_refuses_another_programs_database_and_leaves_no_lock_file(qapp, tmp_path, criticals):
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "inventory.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE applications (sku TEXT, qty INTEGER)")
    conn.execute("CREATE TABLE serial_counters (year INTEGER, last INTEGER)")
    conn.commit()
    conn.close()
    before = listing(folder)
    assert app_module.run_gui(args(path)) == 2
    assert len(criticals) == 1 and "其他程序的 SQLite 数据库" in criticals[0]
    assert "损坏" not in criticals[0]
    assert listing(folder) == before  # no .lock, no -wal/-shm, no backups folder


def test_gui_names_a_read_only_folder_and_leaves_it_alone(qapp, tmp_path, criticals, monkeypatch):
    path = tmp_path / "share" / "register.db"
    path.parent.mkdir()
    create_register(path).conn.close()
    before = listing(path.parent)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if mode == os.W_OK and Path(p) == path.parent else real_access(p, mode))
    assert app_module.run_gui(args(path)) == 2
    assert "所在的文件夹" in criticals[0] and "只读" in criticals[0] and "损坏" not in criticals[0]
    assert listing(path.parent) == before


def test_a_missing_register_asks_and_quitting_creates_nothing(qapp, tmp_path, criticals, first_start):
    asked, answer = first_start
    work = tmp_path / "work"
    work.mkdir()
    before = listing(work)
    for path in (work / "regster.db", work / "missing-folder" / "register.db"):
        assert app_module.run_gui(args(path)) == 0
        assert asked[-1][0] == path and asked[-1][1]["empty_file"] is False
        assert listing(work) == before  # no file, no folder, no lock file
    assert criticals == []


def test_open_an_existing_register_from_the_first_start_dialog(qapp, tmp_path, first_start, monkeypatch):
    asked, answer = first_start
    real = tmp_path / "real" / "register.db"
    real.parent.mkdir()
    create_register(real).conn.close()
    answer["value"] = ("open", real)
    opened = []
    monkeypatch.setattr(safety, "startup_guard", lambda p, parent=None: opened.append(p) and None)
    assert app_module.run_gui(args(tmp_path / "typo.db")) == 0
    assert opened == [real]
    assert not (tmp_path / "typo.db").exists()


def test_new_register_dialog_says_where_and_what(qtbot, tmp_path):
    missing = tmp_path / "新建文件夹" / "register.db"
    dialog = safety.NewRegisterDialog(missing)
    qtbot.addWidget(dialog)
    labels = " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
    assert "找不到台账文件" in labels and str(missing) in labels and "文件夹" in labels
    assert "没有新建任何文件" in labels
    assert dialog.quit_button.isDefault() and not dialog.create_button.isDefault()
    dialog.show()
    assert dialog.focusWidget() is dialog.quit_button  # Enter quits, never creates at a typo
    dialog.create_button.click()
    assert dialog.choice == "create" and dialog.result() == dialog.DialogCode.Accepted
    first = safety.NewRegisterDialog(tmp_path / "register.db", default_location=True)
    qtbot.addWidget(first)
    labels = " ".join(lbl.text() for lbl in first.findChildren(QLabel))
    assert "还没有台账" in labels and first.create_button.isDefault()
    empty = safety.NewRegisterDialog(tmp_path / "register.db", empty_file=True)
    qtbot.addWidget(empty)
    labels = " ".join(lbl.text() for lbl in empty.findChildren(QLabel))
    assert "0 字节" in labels


def test_creating_from_the_dialog_makes_the_folder_only_then(qapp, tmp_path, first_start, monkeypatch):
    asked, answer = first_start
    answer["value"] = ("create", None)
    path = tmp_path / "台账" / "register.db"
    created = []
    monkeypatch.setattr(safety, "startup_guard", lambda p, parent=None: created.append(p) and None)
    assert app_module.run_gui(args(path)) == 0
    assert created == [path] and path.is_file()
    reg = open_register(path, create=False)
    assert applications.count(reg) == 0
    reg.close()


def test_quitting_at_the_damaged_database_dialog_leaves_its_folder_as_it_was(qapp, tmp_path, criticals,
                                                                              monkeypatch):
    folder = tmp_path / "w"
    folder.mkdir()
    path = folder / "register.db"
    create_register(path).conn.close()
    for s in ("-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[4096 * 2: 4096 * 3] = os.urandom(4096)  # a page of the register overwritten
    path.write_bytes(bytes(data))
    before = listing(folder)
    shown = []
    monkeypatch.setattr(safety.DamagedDatabaseDialog, "exec", lambda self: shown.append(self.report) or 0)
    assert app_module.run_gui(args(path)) == 0
    assert shown and shown[0].damaged
    assert listing(folder) == before  # no lock file, no -wal/-shm


def test_restore_refuses_to_replace_another_programs_sqlite_database(tmp_path):
    from desktop_app.storage import backups as bk
    from desktop_app.storage import restore

    ours = tmp_path / "ours" / "register.db"
    ours.parent.mkdir()
    create_register(ours).conn.close()
    good = bk.create_backup(ours, folder=tmp_path / "bk").path
    folder = tmp_path / "theirs"
    folder.mkdir()
    theirs = folder / "register.db"
    conn = sqlite3.connect(theirs)
    conn.execute("CREATE TABLE applications (id INTEGER, candidate TEXT)")
    conn.commit()
    conn.close()
    before = listing(folder)
    with pytest.raises(bk.BackupError) as info:
        restore.restore_backup(theirs, good)
    assert "其他程序" in str(info.value)
    assert listing(folder) == before
