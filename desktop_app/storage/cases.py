"""The ``review_cases`` table: reconsideration and litigation cases
(section 四 of the annual report)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain import report_stats as rs
from ..domain.report_cases import ReviewCase


def _case(names: Sequence[str], row: Sequence[Any]) -> ReviewCase:
    return ReviewCase(**dict(zip(names, row)))


class CasesTable:
    def __init__(self, db: Database):
        self.db = db

    def all(self) -> list[ReviewCase]:
        """Every case, newest first, with its application's 申请编号."""
        cur = self.db.execute(
            "SELECT c.*, a.serial AS application_serial FROM review_cases c "
            "LEFT JOIN applications a ON a.id = c.application_id ORDER BY c.filed_date DESC, c.id DESC")
        names = [d[0] for d in cur.description]
        return [_case(names, r) for r in cur.fetchall()]

    def get(self, case_id: int) -> ReviewCase | None:
        cur = self.db.execute(
            "SELECT c.*, a.serial AS application_serial FROM review_cases c "
            "LEFT JOIN applications a ON a.id = c.application_id WHERE c.id = ?", [case_id])
        row = cur.fetchone()
        return _case([d[0] for d in cur.description], row) if row else None

    def report_rows(self, filed_by: str) -> list[tuple[Any, ...]]:
        """:data:`report_stats.CASE_COLUMNS` of the cases filed by ``filed_by``."""
        return [tuple(r) for r in self.db.execute(
            f"SELECT {', '.join(rs.CASE_COLUMNS)} FROM review_cases WHERE filed_date <= ?", [filed_by])]

    def insert(self, values: Mapping[str, Any]) -> int:
        cur = self.db.execute(
            f"INSERT INTO review_cases({', '.join(values)}) VALUES({', '.join('?' * len(values))})",
            list(values.values()))
        return int(cur.lastrowid)  # type: ignore[arg-type]  # an INSERT always has a row id

    def update(self, case_id: int, changes: Mapping[str, Any], stamp: str) -> None:
        sets = ", ".join(f"{k} = ?" for k in changes)
        self.db.execute(f"UPDATE review_cases SET {sets}, updated_at = ? WHERE id = ?",
                        [*changes.values(), stamp, case_id])

    def delete(self, case_id: int) -> None:
        self.db.execute("DELETE FROM review_cases WHERE id = ?", [case_id])
