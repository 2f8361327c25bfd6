"""The annual report's own tables: the proactive figures of section 二
(``report_proactive``), the narrative texts (``report_texts``) and the
published snapshots that lock a year (``report_snapshots``); and the
rows of the register that section 三 counts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain import report_stats as rs

SECTION2_CODES = list(rs.SECTION2_FIELDS)


class ReportTables:
    def __init__(self, db: Database):
        self.db = db

    def section3_rows(self, year: int) -> list[tuple[Any, ...]]:
        """:data:`report_stats.SECTION3_COLUMNS` of the applications
        section 三 of ``year`` may count: received by the end of the year,
        open or answered in it or later (not those in the recycle bin), in
        receipt order."""
        start, end = rs.year_bounds(year)
        # In the register's order (receipt date, then the serial's natural
        # order), read from the index kept for it (idx_report_section3,
        # m0013) without touching the wide rows.
        return [tuple(r) for r in self.db.execute(
            f"SELECT {', '.join(rs.SECTION3_COLUMNS)} FROM applications "
            "WHERE deleted_at IS NULL AND receipt_date <= ? "
            "AND (reply_date IS NULL OR reply_date >= ? OR outcome IS NULL OR outcome = '') "
            "ORDER BY receipt_date, serial_key",
            [end, start])]

    # --- section 二 -------------------------------------------------------------------

    def section2(self, year: int) -> dict[str, Any]:
        """The proactive figures of ``year`` (None for fields never entered)."""
        cur = self.db.execute(
            f"SELECT {', '.join(SECTION2_CODES)} FROM report_proactive WHERE year = ?", [year])
        row = cur.fetchone()
        return dict(zip(SECTION2_CODES, row)) if row else dict.fromkeys(SECTION2_CODES)

    def save_section2(self, year: int, values: Mapping[str, Any], stamp: str) -> None:
        self.db.execute(
            f"INSERT INTO report_proactive(year, {', '.join(SECTION2_CODES)}, updated_at) "
            f"VALUES(?, {', '.join('?' * len(SECTION2_CODES))}, ?) "
            f"ON CONFLICT(year) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in SECTION2_CODES) + ", updated_at = excluded.updated_at",
            [year] + [values.get(c) for c in SECTION2_CODES] + [stamp])

    # --- narrative texts ------------------------------------------------------------------

    def texts(self, year: int) -> dict[str, str]:
        """Saved narrative texts of ``year`` (only the parts ever saved)."""
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT section, text FROM report_texts WHERE year = ?", [year]).fetchall()}

    def save_text(self, year: int, section: str, text: str, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO report_texts(year, section, text, updated_at) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(year, section) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [year, section, text, stamp])

    # --- published snapshots ----------------------------------------------------------------

    def snapshot(self, year: int) -> tuple[str, dict[str, Any]] | None:
        """(published_at, document) of a published year."""
        row = self.db.execute(
            "SELECT published_at, document FROM report_snapshots WHERE year = ?", [year]).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def published_years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT year FROM report_snapshots ORDER BY year")]

    def save_snapshot(self, year: int, published_at: str, document_json: str) -> None:
        self.db.execute(
            "INSERT INTO report_snapshots(year, published_at, document) VALUES(?, ?, ?) "
            "ON CONFLICT(year) DO UPDATE SET published_at = excluded.published_at, document = excluded.document",
            [year, published_at, document_json])

    def delete_snapshot(self, year: int) -> None:
        self.db.execute("DELETE FROM report_snapshots WHERE year = ?", [year])
