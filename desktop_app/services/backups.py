"""Data safety (数据备份): back up, list and check backups, restore
(itself undoable), check the register's soundness, and the one-window
lock.

These work on the register's file (the path), not on an open session:
the GUI runs them in worker threads, each opening its own connection,
and ``restore`` replaces the file under any open session.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..storage import backups as _backups
from ..storage.backups import (
    BACKUP_DIR_SETTING, KIND_LABELS, BackupError, BackupInfo, Progress, candidate_dirs,
    default_backup_dir, list_backups, remember_backup_dir, verify_backup,
)
from ..storage.integrity import IntegrityReport, check_file, quick_check
from ..storage.lock import AlreadyRunningError, InstanceLock, is_locked, lock_path_for
from .session import Session
from .settings import update_settings

if TYPE_CHECKING:
    from ..storage.restore import RestoreResult


def __getattr__(name: str) -> Any:
    if name == "RestoreResult":  # (re-exported; the restore module loads on first use)
        from ..storage.restore import RestoreResult

        return RestoreResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BACKUP_DIR_SETTING", "KIND_LABELS", "AlreadyRunningError", "BackupError", "BackupInfo", "ExitBackup",
    "InstanceLock", "change_mark", "written_since_backup",
    "IntegrityReport", "RestoreResult", "auto_backup_due", "backup_dir", "back_up", "candidate_dirs",
    "check_file", "default_backup_dir", "folder_of", "folder_problem", "good_backups", "is_locked", "list_backups",
    "lock_path_for", "newest_good_backup",
    "quick_check", "remember_backup_dir", "restore", "set_backup_dir", "verify_backup",
]


def back_up(db_path: str | os.PathLike[str], *, kind: str = "manual", folder: str | os.PathLike[str] | None = None,
            progress: Progress | None = None) -> BackupInfo:
    """A verified backup of the register at ``db_path`` (its own
    connection, in the calling thread).  Raises :class:`BackupError`."""
    return _backups.create_backup(db_path, kind=kind, folder=folder, progress=progress)


def restore(db_path: str | os.PathLike[str], backup_path: str | os.PathLike[str], *,
            progress: Progress | None = None) -> RestoreResult:
    """Replace the register by a backup, after backing it up (so the
    restore can be undone).  Raises :class:`BackupError`."""
    from ..storage.restore import restore_backup  # (rarely needed: not loaded at start)

    return restore_backup(db_path, backup_path, progress=progress)


def backup_dir(session: Session) -> Path:
    """The backup folder of an open register (its setting, else the
    folder remembered outside it, else ``backups`` beside it)."""
    return session.store.backup_dir()


def set_backup_dir(session: Session, folder: str | None) -> None:
    """Keep backups in ``folder`` (None or "": beside the register); the
    choice is kept outside the register too, so the backups of a register
    that can no longer be read are still found."""
    update_settings(session, {BACKUP_DIR_SETTING: folder or ""})
    remember_backup_dir(session.path, folder)


def auto_backup_due(session: Session, now: _dt.datetime | None = None) -> bool:
    """Whether the newest backup is more than a day old (or there is none)."""
    return session.store.auto_backup_due(now)


def folder_problem(folder: Path) -> str | None:
    """A Chinese message when backups cannot be written to ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return f"无法在“{folder}”中写入文件（{exc.strerror or exc}）。请选择其他文件夹，或检查移动硬盘是否已连接。"
    return None


def good_backups(db_path: str | os.PathLike[str], limit: int = 10) -> list[BackupInfo]:
    """Backups of ``db_path`` that pass their check, newest first."""
    out = []
    for b in list_backups(db_path, count=False):
        ok, _msg, apps = verify_backup(b.path)
        if ok:
            out.append(BackupInfo(b.path, b.created, b.kind, b.size, apps))
            if len(out) >= limit:
                break
    return out


def newest_good_backup(db_path: str | os.PathLike[str]) -> BackupInfo | None:
    """The newest backup of ``db_path`` that passes its check."""
    found = good_backups(db_path, limit=1)
    return found[0] if found else None


def folder_of(db_path: str | os.PathLike[str], session: Session | None = None) -> Path:
    """The backup folder of the register at ``db_path`` (read through its
    open session when there is one)."""
    return session.store.backup_dir() if session is not None else _backups.backup_dir(db_path)


def consistency(session: Session) -> list[str]:
    """Everything wrong with the open register, in Chinese (read-only)."""
    return session.store.consistency()


# --- the exit backup (issue 19): only after a change, never on the GUI thread ----------------


def change_mark(session: Session) -> tuple[int, int]:
    """What moves when the register is written: the rows this session's
    connection changed and SQLite's ``data_version`` (commits of any other
    connection, such as an import in a worker thread)."""
    conn = session.store.db.conn
    return conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0])


def written_since_backup(db_path: str | os.PathLike[str], folder: str | os.PathLike[str] | None = None) -> bool:
    """Whether the file (or its write-ahead log, when it holds anything) is
    newer than the newest backup, or there is no backup."""
    db_path = Path(db_path)
    found = list_backups(db_path, folder, count=False)
    if not found:
        return True
    wal = Path(f"{db_path}-wal")
    files = [db_path] + ([wal] if wal.exists() and wal.stat().st_size > 0 else [])
    newest = found[0].path.stat().st_mtime
    return any(p.stat().st_mtime > newest for p in files if p.exists())


class ExitBackup:
    """The backup taken when the GUI quits: only when the register changed
    since its last good backup (it was already newer when the session began,
    or this session or another connection wrote since), made by a plain
    thread with its own connection so the window closes at once; the
    thread is not a daemon, so the process ends only after the backup is
    written and verified (``back_up`` checks the copy's integrity)."""

    def __init__(self, session: Session, db_path: str | os.PathLike[str], *, look_now: bool = True):
        """``look_now=False``: the backup folder is looked at later, by
        :meth:`settle` (the GUI calls it once the first screen is drawn) or at
        the latest by :meth:`needed`; the answer is the same as at the start
        (a write by this session since makes the backup needed anyway)."""
        self.db_path = Path(db_path)
        self.mark = change_mark(session)
        self.dirty_at_start: bool | None = None
        self._folder: Path | None = None
        if look_now:
            self.settle(session)
        else:
            self._folder = folder_of(self.db_path, session)
        self.thread: threading.Thread | None = None
        self.result: BackupInfo | None = None
        self.error: str | None = None

    def settle(self, session: Session | None = None) -> None:
        """Whether the file was already newer than its newest backup."""
        if self.dirty_at_start is None:
            folder = self._folder if self._folder is not None else folder_of(self.db_path, session)
            self.dirty_at_start = written_since_backup(self.db_path, folder)

    def needed(self, session: Session) -> bool:
        self.settle(session)
        return bool(self.dirty_at_start) or change_mark(session) != self.mark

    def start(self, session: Session, then: Callable[[], None] | None = None) -> bool:
        """Start the backup if it is needed; ``then`` runs after it (in its
        thread) or at once.  Returns whether a backup was started."""
        try:
            needed = self.needed(session)
        except Exception:  # noqa: BLE001 - when in doubt (e.g. the connection is gone), back up
            needed = True
        if not needed:
            if then is not None:
                then()
            return False
        try:  # the file as the backup will see it: closing later then writes nothing newer
            session.store.checkpoint()
        except Exception:  # noqa: BLE001 - e.g. busy: the next session then backs up once more
            pass

        def run() -> None:
            try:
                self.result = back_up(self.db_path, kind="exit")
            except BackupError as exc:
                self.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - reported by wait(); quitting is never blocked
                self.error = f"{type(exc).__name__}: {exc}"
            finally:
                if then is not None:
                    then()

        self.thread = threading.Thread(target=run, name="exit-backup", daemon=False)
        self.thread.start()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a running backup; True when none is running any more."""
        if self.thread is not None:
            self.thread.join(timeout)
            return not self.thread.is_alive()
        return True
