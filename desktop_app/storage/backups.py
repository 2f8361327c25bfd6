"""Backups of the register (数据备份) and restoring from them.

* A backup is made with SQLite's online backup API, page by page, so it
  is a consistent snapshot even while the GUI or a CLI command writes; it
  is written under a temporary name, checked with ``PRAGMA
  integrity_check`` and only then renamed into place, so a backup file
  with a backup name is always a good one.
* Backups are named ``<db-stem>-YYYYMMDD-HHMMSS-<kind>.db`` in the backup
  folder (the ``backup_dir`` setting; by default ``backups`` beside the
  database) and kept by rotation: the newest of each of the last 7 days,
  8 weeks and 12 months, plus the 10 newest whatever their age.
* Automatic backups: on start-up when the newest is more than a day old,
  on exit, and before a migration, a restore or a bulk import.
* Restoring (:mod:`.restore`) first backs up the current database, so a
  restore can be undone.
* Files are created readable by the current user only (0600, folders
  0700) where the OS has such permissions.

No Qt here: the GUI runs these functions in a worker thread that opens
its own connection.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..files import paths
from ..files.atomic import atomic_open
from .recognition import SQLITE_HEADER, DatabaseOpenError, NewerSchemaError, probe, recognise

#: Chinese names of the kinds of backup.
KIND_LABELS = {
    "manual": "手动备份",
    "auto": "每日自动备份",
    "exit": "退出时备份",
    "pre-migration": "升级前备份",
    "pre-restore": "恢复前备份",
    "pre-import": "导入前备份",
    "cli": "命令行备份",
}

KEEP_DAILY = 7
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12
KEEP_RECENT = 10
#: Pages copied per step of the backup API (4 MiB with 4 KiB pages).
PAGES_PER_STEP = 1024
AUTO_INTERVAL = _dt.timedelta(days=1)
BACKUP_DIR_SETTING = "backup_dir"

_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<date>\d{8})-(?P<time>\d{6})(?:-(?P<seq>\d+))?-(?P<kind>[a-z-]+)\.db$")

#: progress(copied_pages, total_pages)
Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup or restore that could not be done; ``str()`` is for the clerk."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: _dt.datetime
    kind: str
    size: int
    applications: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# --- permissions ------------------------------------------------------------------------


def private_file(path: Path) -> None:
    """Readable and writable by the current user only (POSIX)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- where backups live -------------------------------------------------------------------


def default_backup_dir(db_path: str | os.PathLike) -> Path:
    return Path(db_path).expanduser().resolve().parent / "backups"


def _locations_file() -> Path:
    return paths.data_dir() / "backup-locations.json"


def _read_locations() -> dict:
    try:
        return json.loads(_locations_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def remember_backup_dir(db_path: str | os.PathLike, folder: str | os.PathLike | None) -> None:
    """Keep the folder outside the database too, so the backups of a
    database that can no longer be read are still found."""
    key = str(Path(db_path).expanduser().resolve())
    locations = _read_locations()
    if folder:
        locations[key] = str(Path(folder).expanduser())
    else:
        locations.pop(key, None)
    try:
        target = _locations_file()
        private_dir(target.parent)
        with atomic_open(target, "w", encoding="utf-8") as fh:
            json.dump(locations, fh, ensure_ascii=False, indent=1)
        private_file(target)
    except OSError:
        pass  # the setting in the database still holds it


def _setting_from_db(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [BACKUP_DIR_SETTING]).fetchone()
    except sqlite3.Error:
        return None
    if not row or not row[0]:
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        value = row[0]
    return value if isinstance(value, str) and value.strip() else None


def backup_dir(db_path: str | os.PathLike, conn: sqlite3.Connection | None = None) -> Path:
    """The backup folder of a database: its ``backup_dir`` setting, else
    the folder remembered outside it, else the default."""
    configured = _setting_from_db(conn) if conn is not None else None
    if not configured:
        configured = _read_locations().get(str(Path(db_path).expanduser().resolve()))
    return Path(configured).expanduser() if configured else default_backup_dir(db_path)


def candidate_dirs(db_path: str | os.PathLike, conn: sqlite3.Connection | None = None) -> list[Path]:
    """Every folder where backups of ``db_path`` may be, configured first."""
    out = [backup_dir(db_path, conn)]
    remembered = _read_locations().get(str(Path(db_path).expanduser().resolve()))
    for d in (Path(remembered).expanduser() if remembered else None, default_backup_dir(db_path)):
        if d is not None and d not in out:
            out.append(d)
    return out


# --- reading backups ---------------------------------------------------------------------------


def read_only_uri(path: Path) -> str:
    # immutable: a backup is never written by anyone; no -wal/-shm files
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro&immutable=1"


def count_applications(conn: sqlite3.Connection) -> int | None:
    try:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(applications)")}
        if not cols:
            return None
        where = " WHERE deleted_at IS NULL" if "deleted_at" in cols else ""
        return conn.execute(f"SELECT count(*) FROM applications{where}").fetchone()[0]
    except sqlite3.Error:
        return None


def parse_name(path: Path, stem: str | None = None) -> tuple[_dt.datetime, str] | None:
    m = _NAME_RE.match(path.name)
    if not m or (stem is not None and m.group("stem") != stem):
        return None
    try:
        d, t = m.group("date"), m.group("time")  # (no strptime: _strptime and locale at start-up)
        created = _dt.datetime(int(d[:4]), int(d[4:6]), int(d[6:8]), int(t[:2]), int(t[2:4]), int(t[4:6]))
    except ValueError:
        return None
    return created, m.group("kind")


def backup_info(path: Path, *, count: bool = True) -> BackupInfo | None:
    parsed = parse_name(path)
    if parsed is None:
        return None
    apps = None
    if count:
        try:
            conn = sqlite3.connect(read_only_uri(path), uri=True)
            try:
                apps = count_applications(conn)
            finally:
                conn.close()
        except sqlite3.Error:
            apps = None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, parsed[0], parsed[1], size, apps)


def list_backups(db_path: str | os.PathLike, folder: str | os.PathLike | None = None, *,
                 conn: sqlite3.Connection | None = None, count: bool = True) -> list[BackupInfo]:
    """Backups of ``db_path`` (newest first) in ``folder``, or in every
    folder they may be in."""
    stem = Path(db_path).stem
    folders = [Path(folder)] if folder else candidate_dirs(db_path, conn)
    seen: set[Path] = set()
    out: list[BackupInfo] = []
    for d in folders:
        if not d.is_dir():
            continue
        for p in d.glob(f"{glob_escape(stem)}-*.db"):
            rp = p.resolve()
            if rp in seen or parse_name(p, stem) is None:
                continue
            seen.add(rp)
            info = backup_info(p, count=count)
            if info:
                out.append(info)
    out.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return out


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def verify_backup(path: str | os.PathLike) -> tuple[bool, str, int | None]:
    """(ok, message, applications) for a backup file, read-only: it must be
    sound and provably a register of this app (our marker or our
    migrations and schema, as :func:`storage.database.recognise`)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return False, f"无法读取备份文件“{path}”（{exc.strerror or exc}）。", None
    if not header.startswith(SQLITE_HEADER):
        return False, f"“{path.name}”不是数据库备份文件（不是 SQLite 数据库）。", None
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        return False, f"无法打开备份文件“{path.name}”：{exc}。", None
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        if result != ["ok"]:
            return False, f"备份文件“{path.name}”已损坏，未通过完整性检查：{'；'.join(result[:5])}。", None
        try:
            found = recognise(conn, path)
        except NewerSchemaError as exc:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            _ = exc
            return False, (f"备份“{path.name}”由更新版本的程序创建（数据库版本 {version}），"
                           "请安装最新版本后再恢复。"), None
        except DatabaseOpenError:
            return False, f"“{path.name}”不是政府信息公开台账的备份（不是本程序的数据库）。", None
        if "m0001_initial" not in found.migrations:
            return False, f"“{path.name}”不是政府信息公开台账的备份（没有申请台账表）。", None
        return True, "备份完好。", count_applications(conn)
    except sqlite3.DatabaseError as exc:
        return False, f"备份文件“{path.name}”已损坏：{exc}。", None
    finally:
        conn.close()


# --- making backups ------------------------------------------------------------------------------


def _tmp_name(final: Path) -> Path:
    return final.with_name("." + final.name + ".tmp")


def _claim_backup_name(folder: Path, stem: str, when: _dt.datetime, kind: str) -> tuple[Path, Path]:
    """A backup name no other backup, finished or being written by another
    process in the same second, has; and its temporary file, created here
    (``O_EXCL``: of two processes racing for one name, one wins and the
    other takes the next number).  Returns ``(final, tmp)``."""
    base = f"{stem}-{when:%Y%m%d-%H%M%S}"
    seq = 1
    while True:
        final = folder / (f"{base}-{kind}.db" if seq == 1 else f"{base}-{seq}-{kind}.db")
        tmp = _tmp_name(final)
        if not final.exists():
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another backup is writing this name now
            else:
                os.close(fd)
                if not final.exists():  # finished by another process meanwhile
                    return final, tmp
                with contextlib.suppress(OSError):
                    tmp.unlink()
        seq += 1
        if seq > 10000:
            raise BackupError(f"备份文件夹“{folder}”中同一秒的备份过多，请稍后再试。")


def _open_source(db_path: Path) -> sqlite3.Connection:
    if not db_path.exists():
        raise BackupError(f"数据库文件“{db_path}”不存在，无法备份。")
    if not probe(db_path).exists:  # only a register of this app is backed up
        raise BackupError(f"数据库文件“{db_path}”是空的，没有可备份的内容。")
    uri = f"file:{quote(str(db_path.resolve()))}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


class _Restarting(Exception):
    """The source keeps changing under a page-by-page backup."""


#: A backup restarted this many times (another connection writing between
#: steps) is redone in one step: one read snapshot, which in WAL mode does
#: not block the writer and cannot be restarted.
MAX_RESTARTS = 3


def _copy_pages(conn: sqlite3.Connection, dest: sqlite3.Connection, progress: Progress | None) -> None:
    state = {"last": None, "restarts": 0}

    def step(status, remaining, total):
        last = state["last"]
        if last is not None and remaining > last:
            state["restarts"] += 1
            if state["restarts"] >= MAX_RESTARTS:
                raise _Restarting()
        state["last"] = remaining
        if progress is not None:
            progress(total - remaining, total)

    try:
        conn.backup(dest, pages=PAGES_PER_STEP, progress=step, sleep=0.05)
    except _Restarting:
        conn.backup(dest, pages=-1)
        if progress is not None:
            progress(1, 1)


# Long: the online backup in its order: copy in steps, verify, then rename into place
def create_backup(db_path: str | os.PathLike, *, kind: str = "manual",
                  folder: str | os.PathLike | None = None,
                  source: sqlite3.Connection | None = None,
                  progress: Progress | None = None,
                  rotate_after: bool = True,
                  now: _dt.datetime | None = None) -> BackupInfo:
    """Back up the database at ``db_path`` into ``folder`` (default: its
    backup folder) and return the verified backup.

    ``source`` is an open connection to that database in the calling
    thread (used as is, e.g. before a migration); otherwise one is opened
    and closed here.  ``progress(copied, total)`` is called after each
    step.  Raises :class:`BackupError` with a Chinese message."""
    db_path = Path(db_path).expanduser()
    own = source is None
    try:
        conn = source if source is not None else _open_source(db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库“{db_path}”进行备份：{exc}。") from None
    except DatabaseOpenError as exc:  # from probe: not a register of this app
        raise BackupError(str(exc)) from None
    tmp: Path | None = None
    try:
        target_dir = Path(folder).expanduser() if folder else backup_dir(db_path, conn)
        try:
            private_dir(target_dir)
        except OSError as exc:
            raise BackupError(
                f"无法使用备份文件夹“{target_dir}”（{exc.strerror or exc}）。"
                "如果它在移动硬盘或网络盘上，请确认已连接；也可以在“数据备份”页选择其他文件夹。") from None
        when = now or _dt.datetime.now()
        final, tmp = _claim_backup_name(target_dir, db_path.stem, when, kind)
        dest = sqlite3.connect(str(tmp))
        try:
            private_file(tmp)

            _copy_pages(conn, dest, progress)
            dest.execute("PRAGMA journal_mode = DELETE")
            result = [r[0] for r in dest.execute("PRAGMA integrity_check(20)")]
            if result != ["ok"]:
                raise BackupError(
                    "备份写入后未通过完整性检查（" + "；".join(result[:3]) + "），已放弃这份备份。"
                    "当前数据库可能已损坏，请运行“check”检查，或联系技术人员。")
            apps = count_applications(dest)
        finally:
            dest.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        tmp = None
        fsync_dir(target_dir)
        info = BackupInfo(final, when.replace(microsecond=0), kind, final.stat().st_size, apps)
        if rotate_after:
            with contextlib.suppress(OSError):
                rotate(target_dir, db_path.stem, now=when)
        return info
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise BackupError("数据库正忙（其他程序正在写入），备份没有完成，请稍后再试。") from None
        if "malformed" in text or "not a database" in text:
            raise BackupError(f"数据库已损坏（{exc}），无法备份。请从以前的备份恢复。") from None
        raise BackupError(f"备份失败：{exc}。请检查备份文件夹是否可写、磁盘空间是否足够。") from None
    except OSError as exc:
        raise BackupError(
            f"备份失败：{exc.strerror or exc}。请检查备份文件夹是否可写、磁盘空间是否足够。") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if own:
            conn.close()


def backup_connection(db, kind: str, *, progress: Progress | None = None) -> BackupInfo | None:
    """Back up the database behind an open sqlite-utils ``Database`` (or
    ``sqlite3.Connection``) in the calling thread, e.g. before a bulk
    import::

        backup_connection(register.db, "pre-import")

    Returns None for an in-memory database.  Raises :class:`BackupError`."""
    conn = getattr(db, "conn", db)
    row = conn.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    if not path:
        return None
    if conn.in_transaction:
        raise BackupError("程序错误：不能在未提交的事务中备份。")
    return create_backup(Path(path), kind=kind, source=conn, progress=progress)


def backup_before_migration(conn: sqlite3.Connection, db_path: Path) -> BackupInfo | None:
    """Called by :func:`storage.database.connect` when migrations are
    pending on a database that already holds a register.  Falls back to
    the default folder when the configured one is unavailable."""
    has_register = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='applications'").fetchone()
    if not has_register:
        return None
    try:
        return create_backup(db_path, kind="pre-migration", source=conn)
    except BackupError:
        return create_backup(db_path, kind="pre-migration", source=conn,
                             folder=default_backup_dir(db_path))


def newest_backup_time(db_path: str | os.PathLike, conn: sqlite3.Connection | None = None
                       ) -> _dt.datetime | None:
    backups = list_backups(db_path, backup_dir(db_path, conn), count=False)
    return backups[0].created if backups else None


def auto_backup_due(db_path: str | os.PathLike, conn: sqlite3.Connection | None = None,
                    now: _dt.datetime | None = None) -> bool:
    last = newest_backup_time(db_path, conn)
    return last is None or (now or _dt.datetime.now()) - last >= AUTO_INTERVAL


# --- rotation ------------------------------------------------------------------------------------


def rotation_keep(backups: list[BackupInfo], *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
                  monthly: int = KEEP_MONTHLY, recent: int = KEEP_RECENT) -> set[Path]:
    """The backups the rotation keeps: the ``recent`` newest, and the
    newest of each of the last ``daily`` days, ``weekly`` ISO weeks and
    ``monthly`` months that have a backup."""
    ordered = sorted(backups, key=lambda b: (b.created, b.path.name), reverse=True)
    keep = {b.path for b in ordered[:recent]}
    for limit, bucket in ((daily, lambda d: d.date()),
                          (weekly, lambda d: tuple(d.isocalendar())[:2]),
                          (monthly, lambda d: (d.year, d.month))):
        seen: list = []
        for b in ordered:
            key = bucket(b.created)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(b.path)
    return keep


def rotate(folder: str | os.PathLike, stem: str, now: _dt.datetime | None = None, **limits) -> list[Path]:
    """Delete the backups of ``stem`` in ``folder`` the rotation does not
    keep; return them."""
    backups = list_backups(Path(folder) / f"{stem}.db", folder, count=False)
    keep = rotation_keep(backups, **limits)
    removed = []
    # half-written copies of backups interrupted by a crash or a power cut
    cutoff = time.time() - 3600
    for tmp in Path(folder).glob(f".{glob_escape(stem)}-*.db.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed.append(tmp)
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed
