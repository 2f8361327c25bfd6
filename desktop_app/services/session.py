"""An open register: what every service function takes first.

The GUI and the command line hold a :class:`Session` and hand it to the
services; they never see its connection.  A session belongs to the
thread that opened it (a sqlite3 connection stays in its thread): a
worker thread opens its own with :func:`open_register`.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..storage.recognition import (
    DatabaseBusyError, DatabaseDamagedError, DatabaseMissingError, DatabaseOpenError,
    DatabaseReadOnlyError, DatabaseUnreadableError, FolderMissingError, IsAFolderError,
    NewerSchemaError, NotADatabaseError, Probe, check_writable, probe,
)
from ..storage.store import Store

__all__ = [
    "DatabaseBusyError", "DatabaseDamagedError", "DatabaseMissingError", "DatabaseOpenError",
    "DatabaseReadOnlyError", "DatabaseUnreadableError", "FolderMissingError", "IsAFolderError",
    "NewerSchemaError", "NotADatabaseError", "Probe", "Session", "check_writable", "create_register",
    "needs_upgrade", "now_iso", "open_register", "probe", "upgrade_register", "upgrade_step",
]


@dataclass(eq=False)
class Session:
    """An open register (its store is for the services only)."""

    store: Store

    @property
    def path(self) -> Path:
        assert self.store.path is not None  # sessions are always opened from a file
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_register(path: str | os.PathLike[str], *, create: bool = False, make_parents: bool = False,
                  check: bool = False) -> Session:
    """Open the register at ``path`` (migrating it after a backup).

    Anything not provably a register of this app is refused with a
    :class:`DatabaseOpenError` naming the true cause, and left exactly as
    it was; a missing file becomes a new register only with ``create``."""
    return Session(Store.open(path, create=create, make_parents=make_parents, check=check))


def upgrade_step(path: str | os.PathLike[str]) -> str | None:
    """What opening the register at ``path`` will do first that may take a
    while (looked at read-only): ``"migrate"`` (its schema upgraded, after a
    backup), ``"search_index"`` (its search index built: it was upgraded
    where SQLite had no FTS5), or None (nothing; also for anything that is
    not a register of this app: the open itself then says why)."""
    from ..storage.migrations import MIGRATION_MODULES

    try:
        found = probe(path)
    except DatabaseOpenError:
        return None
    if not found.exists:
        return None
    if not set(MIGRATION_MODULES) <= found.migrations:
        return "migrate"
    return "search_index" if found.search_index_missing else None


def needs_upgrade(path: str | os.PathLike[str]) -> bool:
    """Whether opening the register at ``path`` will migrate it or build its
    search index (:func:`upgrade_step`): the GUI then runs
    :func:`upgrade_register` in a worker thread with progress shown."""
    return upgrade_step(path) is not None


def upgrade_register(path: str | os.PathLike[str]) -> None:
    """Bring the register at ``path`` to this version (a backup first, then
    the migrations in one transaction; or its search index built, see
    :func:`upgrade_step`) and close it again: the upgrade of a
    large register can take a while, so the GUI runs this in a worker thread
    with its own connection and opens the register afterwards."""
    open_register(path).close()


def create_register(path: str | os.PathLike[str], *, make_parents: bool = False) -> Session:
    """A new, empty register where nothing is yet (``init``, the first start)."""
    return Session(Store.create(path, make_parents=make_parents))


def now_iso() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")
