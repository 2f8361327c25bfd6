"""Looking at a file without touching it: is it a register of this app?

The database is the agency's legal record.  Nothing here creates,
migrates or writes anything: :func:`probe` looks at a path without
changing the file or its folder (no ``-wal``/``-shm``/``-journal`` file is
created, no time stamp moves): a missing file, a folder, a file that
cannot be read, a file that is not SQLite, a damaged file, another
program's database and a database of a newer version each get their own
error, whose message names that true cause.

A register is recognised by our own marker (``PRAGMA application_id``)
or, for files written before the marker existed, by our migration
records together with the tables and columns those migrations create
(never by one table name).

Errors are :class:`DatabaseOpenError` with a Chinese message that says
what to do; the GUI shows it in a dialog, the CLI prints it and exits 2.
"""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .migrations import KNOWN_NAMES, LATEST_VERSION, MIGRATION_MODULES, MIGRATION_SET
from .search_index import index_missing, is_index_table
# (re-exported: where they lived before the start-up check needed them without sqlite-utils)
from .sqlite_file import SIDE_SUFFIXES as SIDE_SUFFIXES
from .sqlite_file import SQLITE_HEADER as SQLITE_HEADER
from .sqlite_file import open_untouched as open_untouched
from .sqlite_file import side_files as side_files
from .sqlite_file import sqlite_uri as sqlite_uri

#: Our marker in the SQLite header (``PRAGMA application_id``): "GKDD"
#: (政府信息公开 Disclosure Desk).  Written when a register is created and by
#: migration m0007 into registers created before it.
APPLICATION_ID = int.from_bytes(b"GKDD", "big")


class DatabaseOpenError(Exception):
    """A database that cannot be opened; ``str(err)`` is for the clerk."""

    exit_code = 2
    cause = "other"


class NotADatabaseError(DatabaseOpenError):
    """The file is not a register of this app (not SQLite, or another program's)."""

    cause = "not_ours"


class IsAFolderError(NotADatabaseError):
    cause = "folder"


class DatabaseMissingError(DatabaseOpenError):
    cause = "missing"


class FolderMissingError(DatabaseMissingError):
    cause = "folder_missing"


class DatabaseReadOnlyError(DatabaseOpenError):
    cause = "read_only"


class DatabaseUnreadableError(DatabaseOpenError):
    cause = "unreadable"


class DatabaseDamagedError(DatabaseOpenError):
    """Real damage: the file starts like SQLite but cannot be read as one."""

    cause = "damaged"

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


class NewerSchemaError(DatabaseOpenError):
    cause = "newer"


class DatabaseBusyError(DatabaseOpenError):
    cause = "busy"


# --- looking without touching ---------------------------------------------------------------


@dataclass
class Probe:
    """What :func:`probe` found at a path."""

    path: Path
    state: str                      # "missing" | "empty" | "register"
    application_id: int = 0
    user_version: int = 0
    migrations: set[str] = field(default_factory=set)
    settings: dict = field(default_factory=dict)   # raw settings rows (key -> JSON text)
    #: upgraded where SQLite had no FTS5: the search index is built when it is opened here
    search_index_missing: bool = False

    @property
    def exists(self) -> bool:
        return self.state == "register"

    def setting(self, key: str) -> Any:
        raw = self.settings.get(key)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            return raw


def damaged_error(path: Path, problems: list[str]) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        f"数据库“{path}”已损坏，程序没有打开或修改它：\n" + "\n".join(f"· {p}" for p in problems),
        problems)


def _not_ours(path: Path, what: str) -> NotADatabaseError:
    return NotADatabaseError(
        f"“{path}”{what}，不是政府信息公开办理台的台账，程序没有打开或修改它。"
        "请检查 --db 路径或选择正确的台账文件；如需新建台账，请指定一个新的文件名。")


@lru_cache(maxsize=16)
def expected_schema(names: frozenset[str]) -> dict[str, frozenset[str]]:
    """Tables and columns that the migrations ``names`` create, found by
    applying them to an empty in-memory database."""
    db = Database(memory=True, execute_plugins=False)
    for name in MIGRATION_MODULES:
        if name in names:
            importlib.import_module(f"{__package__}.migrations.{name}").migrate(db)
    out = {}
    for table in db.table_names():
        if not is_index_table(table):  # (there or not by the SQLite that built the register)
            out[table] = frozenset(r[1] for r in db.execute(f"PRAGMA table_info([{table}])"))
    db.conn.close()
    return out


def recognise(conn: sqlite3.Connection, path: Path) -> Probe:
    """Is the database behind ``conn`` (read-only) a register of this app
    that this version can open?  Raises :class:`NotADatabaseError`,
    :class:`NewerSchemaError` or :class:`DatabaseDamagedError`."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables: dict[str, set[str]] = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            if is_index_table(name):  # (its module may be missing from this SQLite)
                continue
            tables[name] = {r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")}
        names: set[str] = set()
        if {"migration_set", "name"} <= tables.get("_sqlite_migrations", set()):
            names = {r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
        settings = {}
        if {"key", "value"} <= tables.get("settings", set()):
            settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    except sqlite3.DatabaseError as exc:
        raise damaged_error(path, [_translate_sqlite(str(exc))]) from None

    if app_id not in (0, APPLICATION_ID):
        raise _not_ours(path, f"是其他程序的 SQLite 数据库（程序标识 {app_id:#010x}）")
    if app_id == 0:
        # written before the marker: ours only with our migration records and their schema
        if not tables:
            raise _not_ours(path, "是一个空的 SQLite 数据库（没有任何表，也没有本程序的标识）")
        if "m0001_initial" not in names:
            shown = "、".join(sorted(tables)[:5]) + ("等" if len(tables) > 5 else "")
            raise _not_ours(path, f"是其他程序的 SQLite 数据库（含有数据表：{shown}）")
    if user_version > LATEST_VERSION or names - KNOWN_NAMES:
        what = (f"数据库版本 {user_version}，本程序支持到版本 {LATEST_VERSION}"
                if user_version > LATEST_VERSION else
                f"含有本程序不认识的升级：{'、'.join(sorted(names - KNOWN_NAMES))}")
        raise NewerSchemaError(
            f"“{path}”由更新版本的政府信息公开办理台创建（{what}）。为保护其中的数据，程序没有打开它。"
            "请安装最新版本后再打开。")
    missing = []
    for table, columns in expected_schema(frozenset(names)).items():
        have = tables.get(table)
        if have is None:
            missing.append(f"数据表 {table}")
        elif columns - have:
            missing.append(f"数据表 {table} 的列 {'、'.join(sorted(columns - have))}")
    if missing:
        if app_id == 0:
            raise _not_ours(path, "记录了本程序的迁移，但缺少" + "；".join(missing[:3]))
        raise damaged_error(path, ["缺少" + m for m in missing[:5]])
    return Probe(path, "register", app_id, user_version, names, settings, index_missing(conn))


def _translate_sqlite(text: str) -> str:
    low = text.lower()
    if "malformed" in low:
        return f"数据库结构已损坏（{text}）"
    if "not a database" in low:
        return f"文件不是有效的数据库（{text}）"
    return f"SQLite 报告：{text}"


def probe(path: str | os.PathLike) -> Probe:
    """Look at ``path`` read-only and say what it is; nothing in the file
    or its folder changes.  A missing file (state ``missing``) and a
    zero-byte one (``empty``) are returned; everything that cannot be
    opened as a register raises :class:`DatabaseOpenError` naming the
    true cause (folder, unreadable, not SQLite, damaged, not ours,
    newer)."""
    path = Path(path).expanduser()
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except PermissionError:
        raise DatabaseUnreadableError(
            f"没有权限进入“{path.parent}”，无法读取其中的数据库，程序没有改动它。"
            "请检查文件夹权限，或以有权限的账户运行本程序。") from None
    except OSError as exc:
        raise DatabaseUnreadableError(
            f"无法读取“{path}”（{exc.strerror or exc}）。如果它在移动硬盘或网络盘上，请确认已连接。") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsAFolderError(
            f"“{path}”是一个文件夹，不是数据库文件，程序没有改动它。请指定文件夹中的 .db 台账文件。")
    if st is None:
        if not path.parent.is_dir():
            raise FolderMissingError(
                f"数据库文件“{path}”不存在，它所在的文件夹“{path.parent}”也不存在。"
                "请检查 --db 路径是否写错。", )
        raise DatabaseMissingError(f"数据库文件“{path}”不存在。请检查 --db 路径是否写错。")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except PermissionError:
        raise DatabaseUnreadableError(
            f"没有权限读取“{path}”，程序没有改动它。请检查文件权限，或以有权限的账户运行本程序。") from None
    except OSError as exc:
        raise DatabaseUnreadableError(
            f"无法读取“{path}”（{exc.strerror or exc}）。如果它在移动硬盘或网络盘上，请确认已连接。") from None
    if not header:
        return Probe(path, "empty")
    if not header.startswith(SQLITE_HEADER[: len(header)]) or len(header) < len(SQLITE_HEADER):
        raise NotADatabaseError(
            f"“{path}”不是本程序的数据库文件（不是 SQLite 数据库），程序没有打开或修改它。"
            "请检查路径是否正确；如需新建台账，请指定一个新的文件名。")
    if len(header) < 100:
        raise damaged_error(path, [f"文件只有 {size} 字节，已被截断"])
    try:
        with open_untouched(path) as conn:
            return recognise(conn, path)
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseBusyError(f"数据库“{path}”正被其他程序占用，请稍后再试。") from None
        if "unable to open" in text:
            raise DatabaseUnreadableError(f"无法打开“{path}”（{exc}）。请检查文件和所在文件夹的权限。") from None
        raise damaged_error(path, [_translate_sqlite(str(exc))]) from None
    except sqlite3.DatabaseError as exc:
        raise damaged_error(path, [_translate_sqlite(str(exc))]) from None
    except OSError as exc:  # copying a crashed database's files aside
        raise DatabaseUnreadableError(f"无法读取“{path}”（{exc.strerror or exc}）。") from None


def check_writable(path: Path) -> None:
    """Refuse a register that cannot be written, naming what is read-only:
    the file, or the folder (SQLite writes its -wal/-shm files there)."""
    if not os.access(path, os.W_OK):
        raise DatabaseReadOnlyError(
            f"数据库文件“{path}”是只读的，程序无法在其中保存台账，没有改动它。"
            "请去掉文件的“只读”属性，或把它复制到可写的位置（如“文档”文件夹）后用 --db 指定。")
    if not os.access(path.parent, os.W_OK):
        raise DatabaseReadOnlyError(
            f"数据库所在的文件夹“{path.parent}”是只读的（例如只读的网络共享、光盘或受保护的文件夹），"
            "程序无法在其中保存台账，没有改动它。请把数据库复制到可写的位置（如“文档”文件夹）后用 --db 指定。")


