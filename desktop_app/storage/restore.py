"""Restoring the register from a backup.

Restoring first backs up the current database (so a restore can be
undone), refuses a backup that fails its check, copies it into the live
database in one transaction and checks the result.  A damaged current
database is moved aside (renamed), never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import integrity
from .audit import audit
from .backups import (
    PAGES_PER_STEP, BackupError, BackupInfo, Progress, fsync_dir, read_only_uri, count_applications,
    create_backup, private_file, verify_backup,
)
from .database import connect
from .recognition import DatabaseOpenError


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    applications: int | None
    undo_backup: BackupInfo | None    # the database as it was just before
    damaged_copy: Path | None         # a damaged database, moved aside


def _move_aside(db_path: Path, when: _dt.datetime) -> Path:
    aside = db_path.with_name(f"{db_path.name}.damaged-{when:%Y%m%d-%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(db_path) + suffix)
        if src.exists():
            os.replace(src, Path(str(aside) + suffix))
    return aside


def _copy_into_new(backup_path: Path, db_path: Path, progress: Progress | None) -> None:
    fd, name = tempfile.mkstemp(prefix="." + db_path.name + ".", suffix=".restore.tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(name)
    src = sqlite3.connect(read_only_uri(backup_path), uri=True)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            private_file(tmp)
            src.backup(dest, pages=PAGES_PER_STEP,
                       progress=(lambda s, r, t: progress(t - r, t)) if progress else None)
            if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("恢复后的数据库未通过完整性检查，已放弃恢复。")
        finally:
            dest.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db_path)
        fsync_dir(db_path.parent)
    finally:
        src.close()
        with contextlib.suppress(OSError):
            tmp.unlink()


def _overwrite(db_path: Path, backup_path: Path, undo: BackupInfo, progress: Progress | None) -> None:
    """Copy the backup over a sound register in one write transaction
    through the backup API, so other open connections see the result."""
    src = sqlite3.connect(read_only_uri(backup_path), uri=True)
    try:
        dest = sqlite3.connect(f"file:{quote(str(db_path.resolve()))}?mode=rw", uri=True, timeout=10.0)
        try:
            dest.execute("PRAGMA busy_timeout = 10000")
            # one step: the whole copy is one write transaction
            src.backup(dest, pages=-1)
            if progress:
                progress(1, 1)
            result = [r[0] for r in dest.execute("PRAGMA integrity_check(5)")]
            if result != ["ok"]:
                raise BackupError("恢复后的数据库未通过完整性检查：" + "；".join(result)
                                  + f"。恢复前的数据库已备份在“{undo.path}”。")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise BackupError("数据库正被其他程序使用（例如另一个窗口正在保存），"
                              "恢复没有进行。请关闭其他窗口后再试。") from None
        raise BackupError(f"恢复失败：{exc}。当前数据库没有被改动。") from None
    finally:
        src.close()


def restore_backup(db_path: str | os.PathLike, backup_path: str | os.PathLike, *,
                   progress: Progress | None = None,
                   now: _dt.datetime | None = None) -> RestoreResult:
    """Replace the register at ``db_path`` by the backup ``backup_path``.

    The backup is checked first (a bad one is refused and nothing is
    touched).  A sound current database is backed up first (kind
    ``pre-restore``; restoring that undoes the restore) and then
    overwritten in one transaction through the backup API, so other open
    connections see the restored register.  A damaged current database is
    renamed aside instead.  The result is checked and migrated to the
    current schema.  Raises :class:`BackupError`."""
    db_path = Path(db_path).expanduser()
    backup_path = Path(backup_path).expanduser()
    when = now or _dt.datetime.now()
    ok, message, _apps = verify_backup(backup_path)
    if not ok:
        raise BackupError(message + "没有进行恢复，当前数据库未被改动。")
    with contextlib.suppress(OSError):
        if db_path.exists() and backup_path.resolve() == db_path.resolve():
            raise BackupError("不能用数据库文件本身作为备份来恢复。")

    undo: BackupInfo | None = None
    damaged: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        report = integrity.quick_check(db_path)
        if not report.ok and not report.damaged:  # a folder, no permission, not SQLite: not ours to replace
            raise BackupError(report.message() + "。没有进行恢复，这个文件没有被改动。")
        if report.ok:
            undo = create_backup(db_path, kind="pre-restore", now=when)
            _overwrite(db_path, backup_path, undo, progress)
        else:
            damaged = _move_aside(db_path, when)
            _copy_into_new(backup_path, db_path, progress)
    else:
        if not db_path.parent.is_dir():  # a mistyped path: never create folders silently
            raise BackupError(f"数据库所在的文件夹“{db_path.parent}”不存在，没有进行恢复。请检查 --db 路径。")
        if db_path.exists():
            db_path.unlink()  # an empty file holds nothing
        _copy_into_new(backup_path, db_path, progress)

    try:
        db = connect(db_path, create=False)  # migrates an older backup
    except DatabaseOpenError as exc:
        raise BackupError(f"恢复后无法打开数据库：{exc}") from None
    try:
        with db.atomic():
            audit(db, "database", backup_path.name, "restore_backup",
                  {"undo_backup": str(undo.path) if undo else None,
                   "damaged_copy": str(damaged) if damaged else None},
                  {"restored_from": str(backup_path)})
        apps = count_applications(db.conn)
    finally:
        db.conn.close()
    private_file(db_path)
    return RestoreResult(backup_path, apps, undo, damaged)
