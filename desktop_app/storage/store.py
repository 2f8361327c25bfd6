"""One open register: its connection and a repository per table.

The services reach the database only through a :class:`Store`: its
repositories (``store.applications``, ``store.events`` …) take and
return domain records, and :meth:`Store.transaction` makes a group of
writes one transaction.  That is the whole surface a database server
would have to offer to stand in for SQLite.

A connection stays in the thread that made it: a worker thread opens its
own store with :meth:`Store.open`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
from collections.abc import Iterator
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from . import backups
from .backups import BackupInfo, backup_connection
from .calendar import CalendarTables
from . import database
from .settings import SettingsTable

if TYPE_CHECKING:
    from .applications import ApplicationsTable
    from .audit import AuditTrail
    from .cases import CasesTable
    from .documents import DocumentsTables
    from .events import EventsTable
    from .items import ItemsTable
    from .numbering import SerialNumbering
    from .search_index import SearchIndex
    from .recycle_bin import RecycleBin
    from .report import ReportTables


class Store:
    def __init__(self, db: Database, path: str | os.PathLike | None = None):
        self.db = db
        self.path = Path(path) if path is not None else None
        # what the first screen (工作台) reads; the other repositories below are
        # made, and their modules loaded, when first used (issue 19: start-up)
        self.settings = SettingsTable(db)
        self.calendar = CalendarTables(db)

    @functools.cached_property
    def applications(self) -> ApplicationsTable:
        """The applications (with their records' module: the 工作台's counts
        are read without it)."""
        from .applications import ApplicationsTable

        return ApplicationsTable(self.db, search=self.search)

    @functools.cached_property
    def search(self) -> SearchIndex:
        """The applications' n-gram search index (kept at every transaction's end)."""
        from .search_index import SearchIndex

        return SearchIndex(self.db)

    @functools.cached_property
    def items(self) -> ItemsTable:
        """The proactive-disclosure register (its 工作台 strip is counted
        once the first screen is drawn)."""
        from .items import ItemsTable

        return ItemsTable(self.db)

    @functools.cached_property
    def events(self) -> EventsTable:
        from .events import EventsTable

        return EventsTable(self.db)

    @functools.cached_property
    def numbering(self) -> SerialNumbering:
        from .numbering import SerialNumbering

        return SerialNumbering(self.db)

    @functools.cached_property
    def recycle_bin(self) -> RecycleBin:
        from .recycle_bin import RecycleBin

        return RecycleBin(self.db, self.applications)

    @functools.cached_property
    def audit(self) -> AuditTrail:
        from .audit import AuditTrail

        return AuditTrail(self.db)

    @functools.cached_property
    def documents(self) -> DocumentsTables:
        from .documents import DocumentsTables

        return DocumentsTables(self.db)

    @functools.cached_property
    def report(self) -> ReportTables:
        from .report import ReportTables

        return ReportTables(self.db)

    @functools.cached_property
    def cases(self) -> CasesTable:
        from .cases import CasesTable

        return CasesTable(self.db)

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False, make_parents: bool = False,
             check: bool = False) -> Store:
        """Open (and migrate) the register at ``path``; see
        :func:`database.connect` for what is refused and why."""
        return cls(database.connect(path, create=create, make_parents=make_parents, check=check), path)

    @classmethod
    def create(cls, path: str | os.PathLike, *, make_parents: bool = False) -> Store:
        """A new, empty register where nothing is yet."""
        return cls(database.create_register(path, make_parents=make_parents), path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is committed together or not at all (nested:
        a savepoint)."""
        outermost = not self.db.conn.in_transaction
        with self.db.atomic():
            yield
            if outermost:  # the search index takes this transaction's writes with it
                self.search.catch_up()

    def backup(self, kind: str) -> BackupInfo | None:
        """A verified backup of this register, made outside any transaction."""
        return backup_connection(self.db, kind)

    def backup_dir(self) -> Path:
        """The backup folder: the setting, else the folder remembered
        outside the register, else ``backups`` beside it."""
        assert self.path is not None
        return backups.backup_dir(self.path, self.db.conn)

    def auto_backup_due(self, now: _dt.datetime | None = None) -> bool:
        assert self.path is not None
        return backups.auto_backup_due(self.path, self.db.conn, now=now)

    def consistency(self) -> list[str]:
        """Everything wrong with the register, in Chinese (read-only)."""
        from .integrity import consistency_check

        return consistency_check(self.db)

    def optimize(self) -> None:
        """Let SQLite refresh its statistics (after a bulk load)."""
        self.db.execute("PRAGMA optimize")

    def checkpoint(self) -> None:
        """Write the write-ahead log into the file now (so a backup taken
        next is not followed by a newer file when the connection closes)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        self.db.conn.close()
