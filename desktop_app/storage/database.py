"""Opening the register database for writing, safely.

Nothing is created, migrated or written before :mod:`.recognition` has
recognised the file, read-only, as a register of this app that it can
safely write:

* a read-only file, folder or disk is refused before anything is written;
* a missing database is created only when the caller says so
  (``create=True``: the GUI's first start, the ``init`` command), and its
  folder only when the caller says that too (``make_parents=True``);
* only then are pragmas set and pending migrations applied, each in a
  transaction, after a backup.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .backups import BackupError, backup_before_migration
from . import search_index
from .integrity import quick_check
from .migrations import LATEST_VERSION, MIGRATION_SET, MIGRATIONS
from .recognition import (
    APPLICATION_ID, DatabaseMissingError, DatabaseOpenError,
    DatabaseReadOnlyError, DatabaseBusyError, FolderMissingError, Probe, check_writable, damaged_error,
    probe, sqlite_uri,
)


def damage_report(path: Path) -> None:
    """The start-up integrity check (read-only); raises
    :class:`DatabaseDamagedError` on damage."""
    report = quick_check(path)
    if not report.ok and report.damaged:
        raise damaged_error(path, report.problems)


# --- opening for writing ---------------------------------------------------------------------


# Long: the opening sequence (recognise, lock, back up, migrate, check) must read in order
def connect(path: str | os.PathLike, *, create: bool = True, migrate: bool = True,
            make_parents: bool = False, check: bool = False) -> Database:
    """Open the register database at ``path`` for writing, apply pending
    migrations, and return a sqlite-utils ``Database``.

    ``create``: a missing (or zero-byte) file becomes a new register;
    otherwise :class:`DatabaseMissingError`.  ``make_parents``: its
    missing folders are created too; otherwise
    :class:`FolderMissingError`.  ``check``: run the integrity quick check
    first.  Anything not provably a register of this app is refused and
    left byte-identical with its folder.  The connection belongs to the
    calling thread."""
    path = Path(path).expanduser()
    try:
        found = probe(path)
    except FolderMissingError:
        if not (create and make_parents):
            raise
        found = Probe(path, "missing")
    except DatabaseMissingError:
        if not create:
            raise
        found = Probe(path, "missing")
    if found.state == "empty" and not create:
        raise DatabaseMissingError(
            f"“{path}”是一个空文件（0 字节），里面没有台账。请检查 --db 路径；如需在这里新建台账，请用“新建台账”。")

    if found.exists:
        if check:
            damage_report(path)
        check_writable(path)
        mode = "rw"
    else:
        if not path.parent.is_dir():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseReadOnlyError(
                    f"无法创建数据库所在的文件夹“{path.parent}”（{exc.strerror}）。请指定一个可写的位置。") from None
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise DatabaseReadOnlyError(
                f"文件夹“{path.parent}”是只读的，无法在其中新建数据库。请指定一个可写的位置。")
        mode = "rwc"

    try:
        conn = sqlite3.connect(sqlite_uri(path, mode), uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"无法打开数据库“{path}”：{exc}。请检查路径和权限。") from None

    try:
        if mode == "rwc":
            _private(path)  # readable by the current user only
            # our marker first: a creation cut short is still recognisably ours
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.commit()
        # write transactions wait for the lock; no sqlite-utils plugin found in the
        # environment hooks into the register's connection (nor is looked for: a
        # scan of every installed package, tens of ms at each start)
        db = SafeDatabase(conn, execute_plugins=False)
        _set_pragmas(conn, path)
        if migrate:
            _backup_before_migration(db, path)
            apply_migrations(db)
            # a register upgraded where SQLite had no FTS5 gets its search index here
            search_index.build_missing(db)
    except BaseException:
        conn.close()
        raise
    return db


def create_register(path: str | os.PathLike, *, make_parents: bool = False) -> Database:
    """A new, empty register at ``path`` (the ``init`` command and the
    GUI's first start).  Refuses a file that already holds anything."""
    path = Path(path).expanduser()
    try:
        found = probe(path)
    except DatabaseMissingError as exc:
        if isinstance(exc, FolderMissingError) and not make_parents:
            raise FolderMissingError(
                f"文件夹“{path.parent}”不存在，没有新建台账。请先建立这个文件夹，"
                "或确认路径无误后加 --parents 一并创建。") from None
        found = Probe(path, "missing")
    if found.exists:
        raise DatabaseOpenError(f"“{path}”已经是一个台账，没有改动它。打开它即可，无需新建。")
    return connect(path, create=True, make_parents=make_parents)


# --- transactions ---------------------------------------------------------------------------


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


def _backup_before_migration(db: Database, path: Path) -> None:
    """Back up a database that holds a register before changing its schema."""
    if not MIGRATIONS.pending(db):
        return
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
                f"“{path}”无法写入（{exc}），它或它所在的文件夹、磁盘是只读的。请检查文件和所在文件夹的权限。") from None
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
