"""Opening the register database safely.

The database is the agency's legal record.  This module never creates,
migrates or writes to a file it has not first recognised as a database of
this app that it can safely write:

* a path that is not an SQLite file (wrong header, a folder) is refused;
* a read-only file or folder is refused before anything is written;
* a database written by a newer version of the app is refused;
* only then are pragmas set and pending migrations applied, each in a
  transaction.

Errors are :class:`DatabaseOpenError` with a Chinese message that says
what to do; the GUI shows it in a dialog, the CLI prints it and exits 2.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from .migrations import KNOWN_NAMES, LATEST_VERSION, MIGRATION_SET, MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseOpenError(Exception):
    """A database that cannot be opened; ``str(err)`` is for the clerk."""

    exit_code = 2


class NotADatabaseError(DatabaseOpenError):
    pass


class DatabaseReadOnlyError(DatabaseOpenError):
    pass


class NewerSchemaError(DatabaseOpenError):
    pass


class DatabaseBusyError(DatabaseOpenError):
    pass


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def inspect_file(path: Path) -> None:
    """Refuse, without touching it, a path that exists but is not an SQLite
    database.  A zero-byte file counts as a new, empty database."""
    if path.is_dir():
        raise NotADatabaseError(f"“{path}”是一个文件夹，不是数据库文件。请选择一个 .db 数据库文件。")
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseReadOnlyError(
            f"没有权限读取“{path}”。请检查文件权限，或以有权限的账户运行本程序。") from None
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"“{path}”不是本程序的数据库文件（不是 SQLite 数据库），程序没有打开或修改它。"
            "请检查路径是否正确；如需新建台账，请指定一个新的文件名。")


def schema_state(conn: sqlite3.Connection) -> tuple[int, set[str]]:
    """(user_version, names of applied migrations) without writing."""
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    names: set[str] = set()
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
    ).fetchone()
    if has_table:
        names = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
    return user_version, names


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    try:
        user_version, names = schema_state(conn)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise NotADatabaseError(
            f"“{path}”无法作为数据库读取（{exc}），可能已损坏。程序没有修改它。"
            "请从备份中恢复，或联系技术人员。") from None
    unknown = names - KNOWN_NAMES
    if user_version > LATEST_VERSION or unknown:
        raise NewerSchemaError(
            f"“{path}”由更新版本的政府信息公开办理台创建（数据库版本 {user_version}，"
            f"本程序支持到版本 {LATEST_VERSION}）。为避免损坏数据，程序没有打开它。"
            "请安装最新版本后再打开。")
    if tables and not names and "applications" not in tables:
        # A valid SQLite file that belongs to some other program.
        raise NotADatabaseError(
            f"“{path}”是其他程序的 SQLite 数据库，不是政府信息公开台账，程序没有修改它。"
            "请选择正确的台账文件，或指定一个新的文件名。")


def connect(path: str | os.PathLike, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (creating if allowed and absent) the register database at
    ``path``, apply pending migrations, and return a sqlite-utils
    ``Database``.  The connection belongs to the calling thread."""
    path = Path(path).expanduser()
    exists = path.exists()
    if exists:
        inspect_file(path)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseReadOnlyError(
                f"“{path}”或其所在文件夹是只读的，程序无法在其中保存台账。"
                "请把数据库复制到可写的位置（如“文档”文件夹）后用 --db 指定，或检查文件权限。")
        mode = "rw"
    else:
        if not create:
            raise DatabaseOpenError(f"数据库文件“{path}”不存在。请检查路径。")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseReadOnlyError(
                f"无法创建数据库所在的文件夹“{path.parent}”（{exc.strerror}）。请指定一个可写的位置。") from None
        if not os.access(path.parent, os.W_OK):
            raise DatabaseReadOnlyError(
                f"文件夹“{path.parent}”是只读的，无法在其中新建数据库。请指定一个可写的位置。")
        mode = "rwc"

    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"无法打开数据库“{path}”：{exc}。请检查路径和权限。") from None

    if mode == "rwc":
        _private(path)  # data safety: readable by the current user only
    try:
        _check_schema(conn, path)
        db = SafeDatabase(conn)  # data safety: write transactions wait for the lock
        _set_pragmas(conn, path)
        if migrate:
            _backup_before_migration(db, path)  # data safety
            apply_migrations(db)
    except BaseException:
        conn.close()
        raise
    return db


# --- data safety (issue 6) -------------------------------------------------------------


class SafeDatabase(Database):
    """A sqlite-utils ``Database`` whose outermost ``atomic()`` block is a
    ``BEGIN IMMEDIATE`` transaction: it takes the write lock up front, so
    beside another program that is writing (the GUI beside a CLI command)
    it waits up to the busy timeout instead of failing at once when a
    deferred transaction that has already read tries to write."""

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic() as db:  # a savepoint
                yield db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def _backup_before_migration(db: Database, path: Path) -> None:
    """Back up a database that holds a register before changing its schema."""
    if not MIGRATIONS.pending(db):
        return
    from .backup import BackupError, backup_before_migration

    try:
        backup_before_migration(db.conn, path)
    except BackupError as exc:
        raise DatabaseOpenError(
            f"升级数据库前需要先备份，但备份失败：{exc} 程序没有升级或修改数据库。") from None


def _private(path: Path) -> None:
    if os.name == "posix":
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                if p.exists():
                    os.chmod(p, 0o600)
            except OSError:
                pass


def _set_pragmas(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL with WAL: a committed transaction survives a power cut.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise DatabaseReadOnlyError(
                f"“{path}”无法写入（{exc}）。请检查文件和所在文件夹的权限。") from None
        if "locked" in text or "busy" in text:
            raise DatabaseBusyError(
                f"数据库“{path}”正被其他程序占用，请稍后再试。") from None
        raise
    if str(mode).lower() != "wal":
        # e.g. a network share that cannot hold the WAL index; still usable.
        conn.execute("PRAGMA journal_mode = DELETE")


def apply_migrations(db: Database) -> list[str]:
    """Apply pending migrations; return their names."""
    pending = [m.name for m in MIGRATIONS.pending(db)]
    if not pending:
        return []
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version = {LATEST_VERSION}")
    db.conn.commit()
    return pending


def pending_migrations(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]
