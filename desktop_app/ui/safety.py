"""Data safety in the GUI: start-up checks, the password lock, backups off
the GUI thread, the daily and the exit backup.

``run_gui`` calls, before the main window exists::

    path, code = before_opening(path)    # refuse what is not ours; first start
    if path is None: return code         # (the file and its folder untouched)
    guard = startup_guard(path)          # one instance; quick integrity check
    if guard is None: return 0           # refused or the clerk chose to quit
    ...
    if not guard.attach(window.context, window):   # start-up password
        return 0

The logic lives in ``services.backups`` (backup, integrity, lock) and ``domain``
(password); this module only shows it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

# (``Qt``, the enum namespace, costs some 30 ms to import: it is imported where
# used, never on the way to the first screen; nor ``QEvent``, for the same reason)
from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication
# (the message box, button box and line edit are imported where they are used:
# PySide makes each class, with its enums, when first named — ~4 ms of the start-up)
from PySide6.QtWidgets import (
    QApplication, QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..domain.password import (
    DEFAULT_IDLE_MINUTES, IDLE_SETTING, PASSWORD_SETTING, verify_password,
)
from ..domain.password import UNAVAILABLE_MESSAGE as PASSWORD_UNAVAILABLE
from ..domain.password import available as password_available
from ..services import backups as backup_mod
from ..services import session as session_mod
from ..services.backups import AlreadyRunningError, InstanceLock, IntegrityReport, is_locked
from ..services.settings import setting
from .widgets import heading_label

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c62828;"


# --- backups off the GUI thread --------------------------------------------------------------


class BackupThread(QThread):
    """Makes one backup with its own database connection (the GUI's
    connection stays in the GUI thread)."""

    progress = Signal(int, int)
    succeeded = Signal(object)   # BackupInfo
    failed = Signal(str)

    def __init__(self, db_path, kind: str = "manual", folder=None, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.kind = kind
        self.folder = folder
        self.result = None
        self.error: str | None = None

    def run(self) -> None:
        try:
            self.result = backup_mod.back_up(
                self.db_path, kind=self.kind, folder=self.folder,
                progress=lambda done, total: self.progress.emit(done, total))
        except backup_mod.BackupError as exc:
            self.error = str(exc)
        except Exception as exc:  # any failure is reported, never a crash of the worker
            log.exception("backup failed")
            self.error = f"备份失败：{exc}"
        if self.error:
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)


class RestoreThread(QThread):
    """Backs up the current register, then restores a backup into it."""

    progress = Signal(int, int)
    succeeded = Signal(object)   # RestoreResult
    failed = Signal(str)

    def __init__(self, db_path, backup_path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.backup_path = Path(backup_path)

    def run(self) -> None:
        try:
            result = backup_mod.restore(
                self.db_path, self.backup_path,
                progress=lambda done, total: self.progress.emit(done, total))
        except backup_mod.BackupError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # any failure is reported; the restore left the register as it was
            log.exception("restore failed")
            self.failed.emit(f"恢复失败：{exc}。当前数据库没有被改动。")
            return
        self.succeeded.emit(result)


def _keep(owner: QObject, thread: QThread) -> None:
    """Keep a running thread referenced until it ends."""
    running = owner.property("_safety_threads") or []
    running = [t for t in running if t.isRunning()] + [thread]
    owner.setProperty("_safety_threads", running)


# --- password dialogs ----------------------------------------------------------------------------


class UnlockDialog(QDialog):
    """Asks for the start-up password (at start-up and after idle)."""

    def __init__(self, stored_hash: str, *, locked: bool = False, parent: QWidget | None = None):
        from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

        super().__init__(parent)
        self.stored_hash = stored_hash
        self.attempts = 0
        self.setWindowTitle(f"{APP_NAME} – {'已锁定' if locked else '请输入密码'}")
        self.setModal(True)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        title = heading_label("台账已锁定" if locked else APP_NAME, 1.4)
        layout.addWidget(title)
        text = ("长时间没有操作，台账已自动锁定以保护申请人的个人信息。请输入密码继续使用。"
                if locked else "本台账设置了启动密码。请输入密码。")
        info = QLabel(text)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.Password)
        self.edit.setPlaceholderText("密码")
        layout.addWidget(self.edit)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("解锁" if locked else "确定", QDialogButtonBox.AcceptRole)
        self.quit_button = buttons.addButton("退出程序", QDialogButtonBox.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.edit.setFocus()
        if not password_available():
            self.error.setText(PASSWORD_UNAVAILABLE)

    def try_accept(self) -> None:
        if verify_password(self.edit.text(), self.stored_hash):
            self.accept()
            return
        self.attempts += 1
        self.edit.clear()
        self.error.setText("密码不正确，请重新输入。忘记密码时，请联系技术人员用备份恢复或重置。"
                           if self.attempts >= 3 else "密码不正确，请重新输入。")
        if self.attempts >= 5:  # slow down guessing
            self.ok_button.setEnabled(False)
            QTimer.singleShot(3000, lambda: self.ok_button.setEnabled(True))


class IdleLock(QObject):
    """Locks the app after ``minutes`` without keyboard or mouse input
    when a start-up password is set: every window is hidden and the
    unlock dialog shown until the password is entered."""

    locked_changed = Signal(bool)

    def __init__(self, context, parent: QObject | None = None, *, check_ms: int = 15000):
        super().__init__(parent)
        self.context = context
        self.last_input = time.monotonic()
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        # Input is watched (an event filter on every event of the app, in
        # Python) only while a start-up password is set: without one nothing
        # is ever locked, and the filter would cost at start-up and on every event.
        self.watching = False
        if self.settings()[0]:
            self.watch()

    def watch(self) -> None:
        """Watch keyboard and mouse input from now (idle time counts from now)."""
        if not self.watching:
            from PySide6.QtCore import QEvent

            self.input_events = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
                                 QEvent.TouchBegin, QEvent.ShortcutOverride}
            self.watching = True
            self.last_input = time.monotonic()
            QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self.input_events and not self.locked:
            self.last_input = time.monotonic()
        return False

    def settings(self) -> tuple[str | None, int]:
        try:
            s = self.context.settings()
        except Exception:  # a busy database must not lock anyone out
            return None, 0
        minutes = s.get(IDLE_SETTING, DEFAULT_IDLE_MINUTES)
        try:
            minutes = int(minutes)
        except (TypeError, ValueError):
            minutes = DEFAULT_IDLE_MINUTES
        return s.get(PASSWORD_SETTING) or None, minutes

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_input

    def check(self) -> None:
        stored, minutes = self.settings()
        if stored:
            self.watch()  # a password set since the start: idle from when it is first seen
        if self.locked or not stored or minutes <= 0:
            return
        if self.idle_seconds() >= minutes * 60:
            self.lock()

    def lock(self) -> bool:
        """Hide every window until the password is entered; returns
        whether it was unlocked (False: the clerk chose to quit)."""
        stored, _ = self.settings()
        if self.locked or not stored:
            return True
        self.locked = True
        self.locked_changed.emit(True)
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for w in hidden:
            w.hide()
        dialog = UnlockDialog(stored, locked=True)
        ok = dialog.exec() == QDialog.Accepted
        self.locked = False
        self.last_input = time.monotonic()
        if not ok:
            QApplication.instance().quit()
            return False
        for w in hidden:
            w.show()
        self.locked_changed.emit(False)
        return True


# --- start-up -----------------------------------------------------------------------------------


class NewRegisterDialog(QDialog):
    """First start: there is no register at the path yet.  The clerk
    chooses to create an empty one there (the only way the GUI creates a
    register), to open an existing file instead, or to quit."""

    def __init__(self, path: Path, *, empty_file: bool = False, default_location: bool = False,
                 parent: QWidget | None = None):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialogButtonBox

        super().__init__(parent)
        self.path = Path(path)
        self.choice = "quit"
        self.chosen: Path | None = None
        self.setWindowTitle(f"{APP_NAME} – 新建台账")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        if default_location and not empty_file:
            head_text = "欢迎使用。这台电脑上还没有台账。"
            body = f"可以在默认位置新建一个空白台账：\n{self.path}"
        elif empty_file:
            head_text = "这个文件是空的（0 字节），里面没有台账。"
            body = f"文件：{self.path}\n\n可以在这个文件中新建一个空白台账，或打开已有的台账文件。"
        else:
            head_text = "找不到台账文件。"
            body = (f"文件：{self.path}\n\n如果路径写错了，请退出后改正（程序没有新建任何文件）。"
                    "也可以在这里新建一个空白台账，或打开已有的台账文件。")
        if not self.path.parent.is_dir() and not default_location:
            body += f"\n\n注意：文件夹“{self.path.parent}”也不存在，新建台账时会一并建立这个文件夹。"
        head = heading_label(head_text, 1.15)
        head.setWordWrap(True)
        layout.addWidget(head)
        info = QLabel(body)
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(info)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("新建空白台账", QDialogButtonBox.AcceptRole)
        self.open_button = buttons.addButton("打开已有台账…", QDialogButtonBox.ActionRole)
        self.quit_button = buttons.addButton("退出", QDialogButtonBox.RejectRole)
        # Enter never creates a register at a path that may be mistyped
        self.quit_button.setDefault(not default_location)
        self.create_button.setDefault(default_location)
        self._first_focus = self.create_button if default_location else self.quit_button
        self.create_button.clicked.connect(self._create)
        self.open_button.clicked.connect(self._open)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._first_focus.setFocus()

    def _create(self) -> None:
        self.choice = "create"
        self.accept()

    def _open(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # (not on the way to the first screen)

        start = self.path.parent if self.path.parent.is_dir() else Path.home()
        name, _ = QFileDialog.getOpenFileName(self, "打开台账", str(start), "台账数据库 (*.db);;所有文件 (*)")
        if name:
            self.choice = "open"
            self.chosen = Path(name)
            self.accept()


def ask_first_start(path: Path, *, empty_file: bool, default_location: bool,
                    parent: QWidget | None = None) -> tuple[str, Path | None]:
    """("create" | "open" | "quit", the file chosen to open)."""
    dialog = NewRegisterDialog(path, empty_file=empty_file, default_location=default_location,
                               parent=parent)
    if dialog.exec() != QDialog.Accepted:
        return "quit", None
    return dialog.choice, dialog.chosen


def before_opening(db_path, parent: QWidget | None = None, *, demo: bool = False,
                   default_location: bool = False) -> tuple[Path | None, int]:
    """Before anything is written: look at the file read-only and refuse,
    with its true cause and without touching it or its folder, whatever is
    not a register of this app that can be written; on a first start
    (no file, or an empty one) ask the clerk.  Returns ``(path to open,
    0)`` or ``(None, exit code)``: 0 when the clerk quit, 2 when refused.
    A damaged register (or one overwritten by other data, when it has
    backups) passes on to :func:`startup_guard`, which offers a backup."""
    path = Path(db_path).expanduser()
    while True:
        try:
            found = session_mod.probe(path)
        except session_mod.DatabaseMissingError:
            found = session_mod.Probe(path, "missing")
        except session_mod.DatabaseDamagedError:
            return path, 0
        except session_mod.DatabaseOpenError as exc:
            if exc.cause == "not_ours" and path.is_file() and good_backups(path, limit=1):
                return path, 0  # a register overwritten by other data: restore is offered
            _critical(parent, f"{APP_NAME} – 无法打开数据库", str(exc))
            return None, 2
        if found.exists:
            try:
                session_mod.check_writable(path)
            except session_mod.DatabaseOpenError as exc:
                _critical(parent, f"{APP_NAME} – 无法打开数据库", str(exc))
                return None, 2
            return path, 0
        if demo:  # the demo register is made on its own, in the app's own data folder
            path.parent.mkdir(parents=True, exist_ok=True)
            return path, 0
        choice, chosen = ask_first_start(path, empty_file=found.state == "empty",
                                         default_location=default_location, parent=parent)
        if choice == "quit":
            return None, 0
        if choice == "open" and chosen is not None:
            path = chosen
            continue
        try:
            session_mod.create_register(path, make_parents=True).close()
        except session_mod.DatabaseOpenError as exc:
            _critical(parent, f"{APP_NAME} – 无法新建台账", str(exc))
            return None, 2
        return path, 0


def _critical(parent, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, title, text)


def server_name(db_path) -> str:
    import hashlib  # (after the first screen: OpenSSL's ~4 ms stay off the start-up)

    digest = hashlib.sha1(str(Path(db_path).expanduser().resolve()).encode("utf-8")).hexdigest()[:16]
    return f"disclosure-desk-{digest}"


def _ask_running_instance_to_show(db_path) -> bool:
    """Ask the window already open on this database to come forward."""
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(server_name(db_path))
    if not sock.waitForConnected(500):
        return False
    sock.write(b"activate\n")
    sock.flush()
    sock.waitForBytesWritten(500)
    sock.disconnectFromServer()
    return True


class DamagedDatabaseDialog(QDialog):
    """The database failed its start-up check: say what is wrong and offer
    the newest good backup.  Nothing is written unless the clerk restores."""

    def __init__(self, report: IntegrityReport, backups: list, parent: QWidget | None = None):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialogButtonBox

        super().__init__(parent)
        self.report = report
        self.chosen: Path | None = None
        self.setWindowTitle(f"{APP_NAME} – 数据库已损坏")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        head = QLabel("数据库未通过启动检查，程序没有打开或修改它。")
        font = head.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        head.setFont(font)
        head.setWordWrap(True)
        layout.addWidget(head)
        what = QLabel(f"文件：{report.path}\n问题：\n" + "\n".join(f"  · {p}" for p in report.problems[:8]))
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(what)
        self.list = QListWidget()
        for info in backups:
            apps = "?" if info.applications is None else info.applications
            item = QListWidgetItem(f"{info.created:%Y-%m-%d %H:%M}　{info.kind_label}　{apps} 件申请　"
                                   f"{info.size / 1024 / 1024:.1f} MB")
            item.setData(Qt.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if backups:
            offer = QLabel("可以用下列完好的备份恢复（最新的在最上面）。恢复时，损坏的文件会改名保留，不会被删除：")
            offer.setWordWrap(True)
            layout.addWidget(offer)
            self.list.setCurrentRow(0)
            self.list.setMinimumHeight(120)
            layout.addWidget(self.list)
        else:
            none = QLabel("没有找到这个数据库的完好备份。可以选择其他位置的备份文件（例如移动硬盘上的），"
                          "或退出后联系技术人员。请不要删除或覆盖这个文件。")
            none.setWordWrap(True)
            layout.addWidget(none)
            self.list.hide()
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("用所选备份恢复", QDialogButtonBox.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        other = buttons.addButton("选择其他备份文件…", QDialogButtonBox.ActionRole)
        buttons.addButton("退出", QDialogButtonBox.RejectRole)
        self.restore_button.clicked.connect(self._restore_selected)
        other.clicked.connect(self._choose_file)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _restore_selected(self) -> None:
        from PySide6.QtCore import Qt

        item = self.list.currentItem()
        if item is not None:
            self.chosen = Path(item.data(Qt.UserRole))
            self.accept()

    def _choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.report.path.parent),
                                              "数据库备份 (*.db);;所有文件 (*)")
        if name:
            self.chosen = Path(name)
            self.accept()


def good_backups(db_path, limit: int = 10) -> list:
    """Backups of ``db_path`` that pass their check, newest first."""
    return backup_mod.good_backups(db_path, limit)


class SafetySession(QObject):
    """What data safety holds while the GUI runs: the instance lock, the
    local server that brings the window forward, the idle lock and the
    exit backup."""

    def __init__(self, db_path, lock: InstanceLock, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.lock = lock
        self.window = None
        self.context = None
        self.idle: IdleLock | None = None
        self.exit_backup: backup_mod.ExitBackup | None = None
        self.server = None  # (made by listen(), once the window is ready)

    def listen(self) -> None:
        """Start the local server through which a second start on the same
        register brings this window forward.  Called once the first screen is
        up (Qt's network module is no part of it); until then a second start
        is still refused by the instance lock, only without the window coming
        forward."""
        if self.server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        self.server = QLocalServer(self)
        name = server_name(self.db_path)
        QLocalServer.removeServer(name)  # a stale socket of a killed instance; we hold the lock
        self.server.setSocketOptions(QLocalServer.UserAccessOption)
        if self.server.listen(name):
            self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._on_message(s))
            sock.disconnected.connect(sock.deleteLater)

    def _on_message(self, sock) -> None:
        from PySide6.QtCore import Qt

        data = bytes(sock.readAll())
        if b"activate" in data and self.window is not None and not (self.idle and self.idle.locked):
            w = self.window
            w.setWindowState((w.windowState() & ~Qt.WindowMinimized) | Qt.WindowActive)
            w.show()
            w.raise_()
            w.activateWindow()

    def attach(self, context, window) -> bool:
        """After the main window is built, before it is shown: the start-up
        password, the idle lock, the exit backup.  False: quit."""
        self.context = context
        self.window = window
        self.setParent(window)  # lives (and stops watching) with the main window
        stored = setting(context.session, PASSWORD_SETTING)
        if stored:
            if UnlockDialog(stored).exec() != QDialog.Accepted:
                return False
        self.idle = IdleLock(context, self)
        try:
            # (the backup folder is looked at once the first screen is drawn: settle())
            self.exit_backup = backup_mod.ExitBackup(context.session, self.db_path, look_now=False)
        except Exception:  # noqa: BLE001 - without the mark the exit backup is always taken
            log.exception("cannot tell whether the register changed since its last backup")
        app = QApplication.instance()
        app.aboutToQuit.connect(self.on_quit)
        # after the events already queued (the first paint, the start-up hooks)
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._after_start))
        return True

    def _after_start(self) -> None:
        """What the first screen does without: the local server, and whether
        the register was already newer than its newest backup."""
        self.listen()
        if self.exit_backup is not None and self.context is not None:
            try:
                self.exit_backup.settle(self.context.session)
            except Exception:  # noqa: BLE001 - needed() looks again at exit
                log.exception("cannot look at the backup folder")

    def on_quit(self) -> None:
        """The event loop is ending (the window is already closed): start
        the exit backup in its own thread when the register changed since
        its last good backup; the instance lock is released after it."""
        if self.server is not None:
            self.server.close()
        tracker = self.exit_backup
        try:
            if tracker is None:
                exit_backup(self.db_path, self.context)
                self.lock.release()
            else:
                tracker.start(self.context.session, then=self.lock.release)
        except Exception:  # noqa: BLE001 - logged; a failed exit backup never blocks quitting
            log.exception("exit backup failed")
            self.lock.release()

    def finish(self) -> None:
        """After the event loop: wait for the exit backup, tell the clerk if it failed."""
        from PySide6.QtWidgets import QMessageBox

        tracker = self.exit_backup
        if tracker is None or not tracker.wait():
            return
        if tracker.error:
            log.warning("exit backup failed: %s", tracker.error)
            QMessageBox.warning(None, f"{APP_NAME} – 退出时备份失败", tracker.error)

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.release()


def exit_backup(db_path, context=None):
    """Back up on exit when anything was written since the newest backup."""
    from PySide6.QtWidgets import QMessageBox

    db_path = Path(db_path)
    try:
        folder = backup_mod.folder_of(db_path, context.session if context is not None else None)
        backups = backup_mod.list_backups(db_path, folder, count=False)
        changed = max((p.stat().st_mtime for p in (db_path, Path(f"{db_path}-wal")) if p.exists()),
                      default=0)
        if backups and changed < backups[0].path.stat().st_mtime:
            return None  # nothing written since the newest backup
        return backup_mod.back_up(db_path, kind="exit")
    except backup_mod.BackupError as exc:
        log.warning("exit backup failed: %s", exc)
        QMessageBox.warning(None, f"{APP_NAME} – 退出时备份失败", str(exc))
    except Exception:  # logged; a failed exit backup never blocks quitting
        log.exception("exit backup failed")
    return None


def startup_guard(db_path, parent: QWidget | None = None, *,
                  report: IntegrityReport | None = None) -> SafetySession | None:
    """Before the database is opened: check the file, and refuse a second
    instance on the same file.  Returns the session to keep, or None when
    the app must not continue (the message was shown).

    A damaged database is offered its backups before any lock file is
    made, so quitting there leaves its folder exactly as it was."""
    db_path = Path(db_path).expanduser()
    if is_locked(db_path):  # (reads an existing lock file only; creates nothing)
        lock = _take_lock(db_path, parent)
        return None if lock is None else SafetySession(db_path, lock)

    if report is None:  # (else: the same file, unchanged, checked while Qt started)
        from ..services.startup_check import check_for_start

        report = check_for_start(db_path)
    if not report.ok and (report.damaged
                          or (report.cause == "not_sqlite" and good_backups(db_path, limit=1))):
        # (a file that is not SQLite at all and has no backups is most likely
        # the wrong file: before_opening refused it with its own message;
        # a folder or a file without permission is not damage either)
        state: dict = {}
        if not _handle_damaged(db_path, report, parent,
                               before_restore=lambda: state.setdefault("lock", _take_lock(db_path, parent))):
            if state.get("lock") is not None:
                state["lock"].release()
            return None
        lock = state.get("lock")
        return None if lock is None else SafetySession(db_path, lock)
    lock = _take_lock(db_path, parent)
    return None if lock is None else SafetySession(db_path, lock)


def _take_lock(db_path: Path, parent) -> InstanceLock | None:
    """The instance lock, or None (and a message) when another window has
    this database open."""
    lock = InstanceLock(db_path)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        shown = _ask_running_instance_to_show(db_path)
        text = str(exc)
        if shown:
            text = "政府信息公开办理台已经打开了这个台账，已切换到已打开的窗口。\n\n" + text.split("\n\n", 1)[1]
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(parent, f"{APP_NAME} – 已在运行", text)
        return None
    except OSError as exc:
        log.warning("instance lock unavailable: %s", exc)  # e.g. a read-only folder: connect will say
    return lock


def _handle_damaged(db_path: Path, report, parent, before_restore=None) -> bool:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    while True:
        dialog = DamagedDatabaseDialog(report, good_backups(db_path), parent)
        if dialog.exec() != QDialog.Accepted or dialog.chosen is None:
            return False
        if before_restore is not None and before_restore() is None:
            return False  # another window has it open (the message was shown)
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            result = backup_mod.restore(db_path, dialog.chosen)
        except backup_mod.BackupError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(parent, f"{APP_NAME} – 无法恢复", str(exc))
            continue
        QGuiApplication.restoreOverrideCursor()
        msg = f"已从备份恢复（{result.applications} 件申请）。"
        if result.damaged_copy:
            msg += f"\n\n损坏的文件已改名保留为：\n{result.damaged_copy}"
        QMessageBox.information(parent, f"{APP_NAME} – 已恢复", msg)
        return True


# --- start-up hook: the daily backup -----------------------------------------------------------


def daily_backup_hook(context, window) -> None:
    """Start-up hook: back up in the background when the newest backup is
    more than a day old."""
    try:
        due = backup_mod.auto_backup_due(context.session)
    except Exception:  # when in doubt, back up: the failure is logged
        log.exception("cannot tell when the last backup was made")
        due = True
    if not due:
        return
    thread = BackupThread(context.db_path, "auto", parent=window)
    status = window.statusBar() if hasattr(window, "statusBar") else None
    if status is not None:
        status.showMessage("正在自动备份…")

    def done(info) -> None:
        if status is not None:
            status.showMessage(f"已自动备份（{info.applications} 件申请）：{info.path.name}", 8000)

    def failed(message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        if status is not None:
            status.clearMessage()
        QMessageBox.warning(window, f"{APP_NAME} – 自动备份失败",
                            f"{message}\n\n请在“数据备份”页检查备份文件夹，并手动备份一次。")

    thread.succeeded.connect(done)
    thread.failed.connect(failed)
    _keep(window, thread)
    thread.start()


def lock_now_action(context, window) -> None:
    """The 文件 menu entry 锁定: lock at once (when a start-up password is set)."""
    from PySide6.QtWidgets import QMessageBox

    if not setting(context.session, PASSWORD_SETTING):
        QMessageBox.information(window, f"{APP_NAME} – 锁定",
                                "还没有设置启动密码。请在“设置 › 安全”中设置密码后再使用锁定。")
        return
    idle = window.findChild(IdleLock)
    if idle is None:
        idle = IdleLock(context, window)
    idle.lock()
