"""Document numbers, issued documents and the agency's notice templates
(tables of migration m0003_documents).

* A document number (文号) is taken from ``document_counters`` in the same
  transaction that records the issued document and its timeline event, so
  a number is used once and never again, even if the document or its
  application is later deleted.
* ``issued_documents.snapshot`` holds everything the PDF was rendered
  from, so :func:`get_issued` + the renderer reprint it identically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..documents import templates as tpl
from ..domain.doc_numbers import (DEFAULT_PATTERN, SETTING_PATTERN, SETTING_PREFIX,
                                  format_doc_number)
from .register import Register, now_iso

#: Timeline event kind of every printed numbered document.
EVENT_KIND = "notice_printed"


@dataclass(frozen=True)
class IssuedDocument:
    id: int
    application_id: int | None
    kind: str
    year: int
    number: int
    doc_number: str
    issued_on: str
    event_id: int | None
    snapshot: dict
    created_at: str


def _row_to_issued(names, row) -> IssuedDocument:
    d = dict(zip(names, row))
    d["snapshot"] = json.loads(d["snapshot"])
    return IssuedDocument(**d)


# --- document numbers -------------------------------------------------------------


def last_number(db, year: int) -> int:
    row = db.execute("SELECT last FROM document_counters WHERE year = ?", [year]).fetchone()
    return row[0] if row else 0


def peek_doc_number(settings: dict, db, year: int) -> tuple[int, str]:
    """The number the next document of ``year`` will get (not reserved)."""
    number = last_number(db, year) + 1
    return number, format_doc_number(settings.get(SETTING_PATTERN) or DEFAULT_PATTERN,
                                     settings.get(SETTING_PREFIX), year, number)


def issue_document(register: Register, app_id: int | None, kind: str, issued_on: str,
                   build_snapshot, *, event_label: str = "") -> IssuedDocument:
    """Reserve the next number of the year of ``issued_on``, build the
    snapshot with it (``build_snapshot(doc_number) -> dict``), record the
    document and its timeline event: all in one transaction."""
    db = register.db
    year = int(issued_on[:4])
    settings = register.settings()
    with db.atomic():
        number = last_number(db, year) + 1
        doc_number = format_doc_number(settings.get(SETTING_PATTERN) or DEFAULT_PATTERN,
                                       settings.get(SETTING_PREFIX), year, number)
        if db.execute("SELECT 1 FROM issued_documents WHERE doc_number = ?", [doc_number]).fetchone():
            raise ValueError(f"文号“{doc_number}”已经使用过。请检查“文号格式”设置是否包含{{年}}和{{号}}。")
        db.execute(
            "INSERT INTO document_counters(year, last) VALUES(?, ?) "
            "ON CONFLICT(year) DO UPDATE SET last = excluded.last", [year, number])
        snapshot = build_snapshot(doc_number)
        event_id = None
        if app_id is not None:
            event_id = register.add_event(
                app_id, EVENT_KIND, issued_on,
                {"document": kind, "label": event_label or kind, "summary": event_label or kind},
                doc_number=doc_number)
        created = now_iso()
        cur = db.execute(
            "INSERT INTO issued_documents(application_id, kind, year, number, doc_number, issued_on, "
            "event_id, snapshot, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [app_id, kind, year, number, doc_number, issued_on, event_id,
             json.dumps(snapshot, ensure_ascii=False, sort_keys=True), created])
        issued_id = cur.lastrowid
    return IssuedDocument(issued_id, app_id, kind, year, number, doc_number, issued_on, event_id,
                          snapshot, created)


def get_issued(db, issued_id: int) -> IssuedDocument:
    cur = db.execute("SELECT * FROM issued_documents WHERE id = ?", [issued_id])
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"找不到编号为 {issued_id} 的已出具文书。")
    return _row_to_issued([d[0] for d in cur.description], row)


def find_issued(db, doc_number: str) -> IssuedDocument | None:
    cur = db.execute("SELECT * FROM issued_documents WHERE doc_number = ?", [doc_number])
    row = cur.fetchone()
    return _row_to_issued([d[0] for d in cur.description], row) if row else None


def list_issued(db, app_id: int | None = None) -> list[IssuedDocument]:
    """Issued documents, of one application or all, oldest first."""
    sql = "SELECT * FROM issued_documents"
    params: list = []
    if app_id is not None:
        sql += " WHERE application_id = ?"
        params.append(app_id)
    cur = db.execute(sql + " ORDER BY issued_on, id", params)
    names = [d[0] for d in cur.description]
    return [_row_to_issued(names, row) for row in cur.fetchall()]


# --- templates ------------------------------------------------------------------------


def template_text(db, kind: str) -> str:
    """The agency's wording of ``kind``, or the shipped default."""
    row = db.execute("SELECT text FROM document_templates WHERE kind = ?", [kind]).fetchone()
    return row[0] if row else tpl.default_text(kind)


def is_customised(db, kind: str) -> bool:
    return db.execute("SELECT 1 FROM document_templates WHERE kind = ?", [kind]).fetchone() is not None


def save_template(db, kind: str, text: str) -> None:
    """Validate and store the agency's wording of ``kind``;
    :class:`templates.TemplateError` when it may not be saved."""
    tpl.validate(kind, text)
    with db.atomic():
        db.execute(
            "INSERT INTO document_templates(kind, text, updated_at) VALUES(?, ?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [kind, text, now_iso()])


def reset_template(db, kind: str) -> None:
    """Go back to the shipped wording of ``kind``."""
    with db.atomic():
        db.execute("DELETE FROM document_templates WHERE kind = ?", [kind])
