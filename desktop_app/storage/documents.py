"""Document numbers, issued documents and the agency's notice templates
(tables of migration m0003_documents).

* ``document_counters``: the last document number (文号) used per year;
  it only increases, so a number is used once and never again, even if
  the document or its application is later deleted.
* ``issued_documents``: every numbered notice with its snapshot.
* ``document_templates``: the agency's own wording per kind (absent: the
  shipped default, which the documents package reads).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain.records import IssuedDocument


def _issued(names: Sequence[str], row: Sequence[Any]) -> IssuedDocument:
    d = dict(zip(names, row))
    d["snapshot"] = json.loads(d["snapshot"])
    return IssuedDocument(**d)


class DocumentsTables:
    def __init__(self, db: Database):
        self.db = db

    # --- numbers ------------------------------------------------------------------------

    def last_number(self, year: int) -> int:
        row = self.db.execute("SELECT last FROM document_counters WHERE year = ?", [year]).fetchone()
        return int(row[0]) if row else 0

    def set_last_number(self, year: int, number: int) -> None:
        self.db.execute("INSERT INTO document_counters(year, last) VALUES(?, ?) "
                        "ON CONFLICT(year) DO UPDATE SET last = excluded.last", [year, number])

    def doc_number_used(self, doc_number: str) -> bool:
        return self.db.execute("SELECT 1 FROM issued_documents WHERE doc_number = ?",
                               [doc_number]).fetchone() is not None

    # --- issued documents ----------------------------------------------------------------------

    def insert_issued(self, app_id: int | None, kind: str, year: int, number: int, doc_number: str,
                      issued_on: str, event_id: int | None, snapshot: Mapping[str, Any], stamp: str) -> int:
        cur = self.db.execute(
            "INSERT INTO issued_documents(application_id, kind, year, number, doc_number, issued_on, "
            "event_id, snapshot, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [app_id, kind, year, number, doc_number, issued_on, event_id,
             json.dumps(dict(snapshot), ensure_ascii=False, sort_keys=True), stamp])
        return int(cur.lastrowid)  # type: ignore[arg-type]  # an INSERT always has a row id

    def get_issued(self, issued_id: int) -> IssuedDocument | None:
        cur = self.db.execute("SELECT * FROM issued_documents WHERE id = ?", [issued_id])
        row = cur.fetchone()
        return _issued([d[0] for d in cur.description], row) if row else None

    def find_issued(self, doc_number: str) -> IssuedDocument | None:
        cur = self.db.execute("SELECT * FROM issued_documents WHERE doc_number = ?", [doc_number])
        row = cur.fetchone()
        return _issued([d[0] for d in cur.description], row) if row else None

    def list_issued(self, app_id: int | None = None) -> list[IssuedDocument]:
        """Issued documents, of one application or all, oldest first."""
        sql = "SELECT * FROM issued_documents"
        params: list[Any] = []
        if app_id is not None:
            sql += " WHERE application_id = ?"
            params.append(app_id)
        cur = self.db.execute(sql + " ORDER BY issued_on, id", params)
        names = [d[0] for d in cur.description]
        return [_issued(names, row) for row in cur.fetchall()]

    # --- templates -----------------------------------------------------------------------------

    def template_text(self, kind: str) -> str | None:
        """The agency's wording of ``kind``; None when it uses the default."""
        row = self.db.execute("SELECT text FROM document_templates WHERE kind = ?", [kind]).fetchone()
        return row[0] if row else None

    def save_template(self, kind: str, text: str, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO document_templates(kind, text, updated_at) VALUES(?, ?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [kind, text, stamp])

    def reset_template(self, kind: str) -> None:
        self.db.execute("DELETE FROM document_templates WHERE kind = ?", [kind])
