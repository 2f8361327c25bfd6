"""Data-safety GUI: backup page (off the GUI thread), restore, recycle bin,
history section, security tab, password lock, start-up guard."""

import datetime as dt
import os
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop_app.domain.password import PASSWORD_SETTING, hash_password, verify_password
from desktop_app.services import applications, history, recycle_bin
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register
from desktop_app.storage import backups as bk
from desktop_app.storage.lock import InstanceLock
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _isolated_locations(tmp_path, monkeypatch):
    monkeypatch.setattr(bk, "_locations_file", lambda: tmp_path / "locations.json")


@pytest.fixture
def context(qapp, register, db_path, person_record):
    for i in range(3):
        applications.register_application(register, dict(person_record, applicant_name=f"申请人{i}"), today=TODAY).app_id
    ctx = AppContext(register, FEATURES)
    yield ctx


def answer_modal(qtbot, button_text: str | None = None, fill: dict | None = None):
    """Schedule an answer to the next modal dialog: fill line edits by
    placeholder/order, then click the button with ``button_text``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    done = []

    def attempt():
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, attempt)
            return
        if fill:
            edits = w.findChildren(QLineEdit)
            for idx, text in fill.items():
                edits[idx].setText(text)
        for b in w.findChildren(QAbstractButton):
            if b.text() == button_text:
                b.click()
                done.append(True)
                return
        raise AssertionError(f"no button {button_text!r} in {w}")

    QTimer.singleShot(0, attempt)
    return done


def test_backup_page_backs_up_off_the_gui_thread(qtbot, context, monkeypatch):
    from desktop_app.ui import backup_page, safety

    threads = []
    real = safety.backup_mod.back_up

    def spy(*a, **kw):
        threads.append(threading.get_ident())
        return real(*a, **kw)

    monkeypatch.setattr(safety.backup_mod, "back_up", spy)
    page = backup_page.BackupPage(context)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0 and page.empty_label.isVisibleTo(page)
    ticks = []
    from PySide6.QtCore import QTimer
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    with qtbot.waitSignal(page.backup_finished, timeout=15000) as sig:
        page.backup_button.click()
        assert not page.backup_button.isEnabled()  # no second backup meanwhile
    timer.stop()
    info = sig.args[0]
    assert threads and threads[0] != threading.get_ident()
    assert info.applications == 3 and info.path.exists()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 3).text() == "3"
    assert page.backup_button.isEnabled()
    assert ticks  # the event loop kept running


def test_backup_page_restore_and_undo(qtbot, context, register, monkeypatch):
    from desktop_app.ui import backup_page

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    page = backup_page.BackupPage(context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.backup_finished, timeout=15000):
        page.start_backup()
    first = applications.search(register)[0].id
    recycle_bin.delete_application(register, first)
    assert applications.count(register) == 2
    page.reload()
    page.table.selectRow(0)
    changed = []
    context.data_changed.connect(lambda: changed.append(1))
    answer_modal(qtbot, "恢复")
    with qtbot.waitSignal(page.restore_finished, timeout=15000) as sig:
        page.restore_selected()
    assert applications.count(register) == 3 and changed
    result = sig.args[0]
    assert result.undo_backup is not None
    kinds = {b.kind for b in page.backups}
    assert {"manual", "pre-restore"} <= kinds


def test_backup_folder_change(qtbot, context, tmp_path):
    from desktop_app.ui import backup_page

    page = backup_page.BackupPage(context)
    qtbot.addWidget(page)
    target = tmp_path / "移动硬盘" / "台账备份"
    assert page.apply_folder(target)
    assert page.folder() == target
    assert "（默认）" not in page.folder_label.text()
    with qtbot.waitSignal(page.backup_finished, timeout=15000) as sig:
        page.start_backup()
    assert sig.args[0].path.parent == target
    page.use_default_folder()
    assert page.folder() == bk.default_backup_dir(context.db_path)


def test_delete_action_and_recycle_bin_page(qtbot, context, register):
    from desktop_app.ui.recycle_bin_page import (
        RecycleBinPage,
        delete_application_action,
    )

    page = RecycleBinPage(context)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    app_id = applications.search(register)[0].id
    answer_modal(qtbot, "取消")
    delete_application_action(context, app_id, None)
    assert applications.count(register) == 3
    answer_modal(qtbot, "移入回收站")
    delete_application_action(context, app_id, None)
    assert applications.count(register) == 2
    assert page.table.rowCount() == 1  # reloaded through data_changed
    page.table.selectRow(0)
    page.restore_button.click()
    assert applications.count(register) == 3 and page.table.rowCount() == 0

    recycle_bin.delete_application(register, app_id)
    context.notify_changed()
    page.table.selectRow(0)
    answer_modal(qtbot, "彻底删除")
    page.purge_selected()
    assert page.table.rowCount() == 0
    assert [e.action for e in history.of(register, "application", app_id)][-1] == "purge"


def test_history_section_shows_old_and_new(qtbot, context, register):
    from desktop_app.ui.history_section import HistorySection

    app_id = applications.search(register)[0].id
    applications.update_application(register, app_id, {"phone": "13900001111", "channel": "email"}, today=TODAY).changes
    section = HistorySection(context)
    qtbot.addWidget(section)
    section.set_application(app_id)
    text = section.label.text()
    assert "联系电话" in text and "138****5678" in text and "139****1111" in text
    assert "13812345678" not in text and "13900001111" not in text  # the trail holds masked numbers
    assert "申请方式" in text and "电子邮件" in text  # codes shown as labels
    assert "登记申请" in text
    section.set_application(None)
    assert section.label.text() == ""


def test_security_tab_sets_and_removes_password(qtbot, context, register):
    from desktop_app.ui.security_tab import PasswordDialog, SecuritySettingsTab

    tab = SecuritySettingsTab(context)
    qtbot.addWidget(tab)
    assert not tab.idle.isEnabled()
    answer_modal(qtbot, "确定", fill={0: "abc1234", 1: "abc1234"})
    tab._password("set")
    assert tab.idle.isEnabled()
    tab.idle.setValue(5)
    assert tab.validate() is None
    tab.save()
    stored = settings_service.setting(register, PASSWORD_SETTING)
    assert stored.startswith("scrypt$") and "abc1234" not in stored
    assert verify_password("abc1234", stored) and not verify_password("abc1235", stored)
    assert settings_service.setting(register, "lock_idle_minutes") == 5

    dialog = PasswordDialog("remove", stored)
    qtbot.addWidget(dialog)
    dialog.current.setText("wrong")
    dialog.try_accept()
    assert dialog.result() != QDialog.Accepted and "不正确" in dialog.error.text()
    dialog.current.setText("abc1234")
    dialog.try_accept()
    assert dialog.new_hash == ""

    dialog = PasswordDialog("set", None)
    qtbot.addWidget(dialog)
    dialog.new.setText("abcd")
    dialog.repeat.setText("abce")
    dialog.try_accept()
    assert "不一致" in dialog.error.text()


def test_security_tab_refuses_unwritable_folder(qtbot, context, tmp_path, monkeypatch):
    from desktop_app.ui import backup_page
    from desktop_app.ui.security_tab import SecuritySettingsTab

    tab = SecuritySettingsTab(context)
    qtbot.addWidget(tab)
    blocked = tmp_path / "ro"

    def fail(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(backup_page.backup_mod.tempfile, "mkstemp", fail)  # CI runs as root
    tab.folder.setText(str(blocked))
    assert "无法在" in (tab.validate() or "")


def test_idle_lock_hides_windows_until_password(qtbot, context, register):
    from PySide6.QtWidgets import QWidget

    from desktop_app.ui.safety import IdleLock

    settings_service.update_settings(register, {PASSWORD_SETTING: hash_password("secret1"), "lock_idle_minutes": 1})
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    idle = IdleLock(context, check_ms=60000)
    idle.check()
    assert not idle.locked and window.isVisible()  # not idle yet
    idle.last_input -= 61
    seen = {}

    def during():
        seen["hidden"] = not window.isVisible()

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, during)
    answer_modal(qtbot, "解锁", fill={0: "secret1"})
    idle.check()
    assert seen["hidden"]
    assert window.isVisible() and not idle.locked
    QApplication.instance().removeEventFilter(idle)


def test_unlock_dialog_rejects_wrong_password(qtbot):
    from desktop_app.ui.safety import UnlockDialog

    d = UnlockDialog(hash_password("right1"))
    qtbot.addWidget(d)
    d.edit.setText("wrong")
    d.try_accept()
    assert d.result() != QDialog.Accepted and "不正确" in d.error.text()
    d.edit.setText("right1")
    d.try_accept()
    assert d.result() == QDialog.Accepted


def test_startup_guard_refuses_second_instance(qtbot, db_path, monkeypatch):
    from desktop_app.ui import safety

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    first = InstanceLock(db_path).acquire()
    try:
        assert safety.startup_guard(db_path) is None
        assert shown and "已经打开" in shown[0]
    finally:
        first.release()
    session = safety.startup_guard(db_path)
    assert session is not None and session.lock.held
    session.listen()  # (attach() starts it once the window is ready: see below)
    # a second start now reaches the first through the local socket
    activated = []
    from PySide6.QtCore import Qt
    session.window = type("W", (), {"windowState": lambda s: Qt.WindowNoState, "setWindowState": lambda s, x: None,
                                    "show": lambda s: None, "raise_": lambda s: activated.append(1),
                                    "activateWindow": lambda s: None})()
    shown.clear()
    assert safety.startup_guard(db_path) is None
    qtbot.waitUntil(lambda: bool(activated), timeout=3000)
    assert "已切换到已打开的窗口" in shown[0]
    session.close()
    assert not session.lock.held


def test_startup_guard_on_damaged_database_offers_backup(qtbot, register, db_path, person_record, monkeypatch):
    from desktop_app.ui import safety

    applications.register_application(register, person_record, today=TODAY).app_id
    good = bk.create_backup(db_path)
    register.close()
    for s in ("-wal", "-shm"):
        if os.path.exists(f"{db_path}{s}"):
            os.remove(f"{db_path}{s}")
    damaged = b"SQLite format 3\x00" + os.urandom(4096 * 3)
    db_path.write_bytes(damaged)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)

    answer_modal(qtbot, "退出")
    assert safety.startup_guard(db_path) is None
    assert db_path.read_bytes() == damaged  # untouched when the clerk quits

    answer_modal(qtbot, "用所选备份恢复")
    session = safety.startup_guard(db_path)
    assert session is not None
    session.close()
    assert applications.count(open_register(db_path, create=True)) == 1
    aside = list(db_path.parent.glob("register.db.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert good.path.exists()


def test_daily_backup_hook_runs_in_background(qtbot, context):
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui.safety import daily_backup_hook

    window = QMainWindow()
    qtbot.addWidget(window)
    daily_backup_hook(context, window)
    qtbot.waitUntil(lambda: bool(bk.list_backups(context.db_path)), timeout=15000)
    assert bk.list_backups(context.db_path)[0].kind == "auto"
    threads = window.property("_safety_threads")
    for t in threads:
        t.wait()
    daily_backup_hook(context, window)  # not due again today
    time.sleep(0.2)
    assert len(bk.list_backups(context.db_path)) == 1


def test_exit_backup_only_when_changed(context, register, person_record):
    from desktop_app.ui.safety import exit_backup

    first = exit_backup(context.db_path, context)
    assert first is not None and first.kind == "exit"
    time.sleep(1.1)
    assert exit_backup(context.db_path, context) is None  # nothing written since
    applications.register_application(register, person_record, today=TODAY).app_id
    assert exit_backup(context.db_path, context) is not None


def test_password_features_say_so_without_openssl(qtbot, context, monkeypatch):
    """A build without OpenSSL's hashlib.scrypt must say why, never lock a clerk out silently."""
    import hashlib

    from desktop_app.domain import password
    from desktop_app.ui.safety import UnlockDialog
    from desktop_app.ui.security_tab import SecuritySettingsTab

    stored = hash_password("abcd1")
    monkeypatch.delattr(hashlib, "scrypt")
    assert not password.available()
    with pytest.raises(RuntimeError):
        password.hash_password("abcd1")
    tab = SecuritySettingsTab(context)
    qtbot.addWidget(tab)
    assert not tab.set_button.isEnabled() and "OpenSSL" in tab.pw_status.text()
    d = UnlockDialog(stored)
    qtbot.addWidget(d)
    assert "OpenSSL" in d.error.text()


def test_file_menu_backup_now_and_lock_now(qtbot, context, register, monkeypatch):
    from desktop_app.ui.app import create_main_window
    from desktop_app.ui.backup_page import BackupPage
    from desktop_app.ui.features import FEATURES
    from desktop_app.ui.safety import IdleLock

    keys = [e.key for e in FEATURES.file_actions]
    assert "backup_now" in keys and "lock_now" in keys
    window = create_main_window(register)
    qtbot.addWidget(window)
    window.show()
    ext = {e.key: e for e in FEATURES.file_actions}
    window.run_file_action(ext["backup_now"])
    page = window.pages.get("backup")
    assert isinstance(page, BackupPage)
    qtbot.waitUntil(lambda: not page.busy() and bool(bk.list_backups(context.db_path)), timeout=15000)
    assert bk.list_backups(context.db_path)[0].kind == "manual"

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window.run_file_action(ext["lock_now"])  # no password yet: says how to set one
    assert told and "设置启动密码" in told[0]
    settings_service.update_settings(register, {PASSWORD_SETTING: hash_password("lockme1")})
    answer_modal(qtbot, "解锁", fill={0: "lockme1"})
    window.run_file_action(ext["lock_now"])
    assert window.isVisible()
    for idle in window.findChildren(IdleLock):
        QApplication.instance().removeEventFilter(idle)


def test_idle_lock_watches_input_only_once_a_password_is_set(qtbot, context, register):
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QLineEdit

    from desktop_app.ui.safety import IdleLock

    edit = QLineEdit()
    qtbot.addWidget(edit)

    def key():
        QApplication.sendEvent(edit, QKeyEvent(QEvent.KeyPress, Qt.Key_A, Qt.NoModifier, "a"))

    idle = IdleLock(context, check_ms=60000)
    try:
        assert not idle.watching  # no password: no filter on every event of the app
        idle.last_input -= 100
        key()
        assert idle.idle_seconds() >= 100
        settings_service.update_settings(register, {PASSWORD_SETTING: hash_password("secret1"),
                                                    "lock_idle_minutes": 1})
        idle.check()  # the password set during the session is seen: idle from now, not locked
        assert idle.watching and not idle.locked and idle.idle_seconds() < 5
        idle.last_input -= 100
        key()
        assert idle.idle_seconds() < 5  # input counts now
    finally:
        QApplication.instance().removeEventFilter(idle)


def test_the_local_server_listens_once_the_window_is_ready(qtbot, context, db_path):
    """The server that brings the window forward is no part of the first
    screen: attach() starts it after the events already queued."""
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui import safety

    session = safety.startup_guard(db_path)
    window = QMainWindow()
    qtbot.addWidget(window)
    try:
        assert session.attach(context, window)
        assert session.server is None
        qtbot.waitUntil(lambda: session.server is not None and session.server.isListening(), timeout=3000)
        assert safety._ask_running_instance_to_show(db_path)
    finally:
        session.close()
