"""The recycle bin (回收站): applications marked deleted keep their row,
their serial and their timeline until they are purged for good."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain.records import Application
from .applications import ApplicationsTable


class RecycleBin:
    def __init__(self, db: Database, applications: ApplicationsTable):
        self.db = db
        self.applications = applications

    def put(self, app_id: int, stamp: str) -> None:
        self.db.execute("UPDATE applications SET deleted_at = ? WHERE id = ?", [stamp, app_id])

    def take_back(self, app_id: int) -> None:
        self.db.execute("UPDATE applications SET deleted_at = NULL WHERE id = ?", [app_id])

    def contents(self) -> list[Application]:
        """The recycle bin, most recently deleted first."""
        return list(self.applications.select(
            "deleted_at IS NOT NULL", order_by="deleted_at DESC, id DESC", include_deleted=True))

    def purge(self, app_id: int) -> None:
        """Remove an application and its timeline for good."""
        self.db.execute("DELETE FROM events WHERE application_id = ?", [app_id])
        self.db.execute("DELETE FROM applications WHERE id = ?", [app_id])
