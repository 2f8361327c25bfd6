"""The ``events`` table: each application's timeline."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain.records import Event

#: The payloads' JSON, as ``json.dumps(data, ensure_ascii=False)`` writes it
#: (one encoder, not one made per call).
_JSON = json.JSONEncoder(ensure_ascii=False)

_COLUMNS = "id, application_id, kind, date, data, doc_number, created_at"


def _payload(raw: object) -> dict[str, Any]:
    try:
        value = json.loads(str(raw)) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _event(row: Sequence[Any]) -> Event:
    return Event(row[0], row[1], row[2], row[3], _payload(row[4]), row[5], row[6])


class EventsTable:
    def __init__(self, db: Database):
        self.db = db

    def insert(self, app_id: int, kind: str, date: str, data: Mapping[str, Any],
               doc_number: str | None, stamp: str) -> int:
        cur = self.db.execute(
            "INSERT INTO events(application_id, kind, date, data, doc_number, created_at) "
            "VALUES(?, ?, ?, ?, ?, ?)",
            [app_id, kind, date, json.dumps(dict(data), ensure_ascii=False), doc_number, stamp])
        return int(cur.lastrowid)  # type: ignore[arg-type]  # an INSERT always has a row id

    def insert_many(self, rows: Sequence[tuple[int, str, str, Mapping[str, Any]]], stamp: str) -> None:
        """(application id, kind, date, data) rows at once (bulk loading)."""
        self.db.conn.executemany(
            "INSERT INTO events(application_id, kind, date, data, created_at) VALUES(?, ?, ?, ?, ?)",
            [(app_id, kind, date, json.dumps(dict(data), ensure_ascii=False), stamp)
             for app_id, kind, date, data in rows])

    def next_id(self) -> int:
        """The id the next inserted event gets (inside the caller's transaction)."""
        row = self.db.execute("SELECT max(id) FROM events").fetchone()
        return int(row[0] or 0) + 1

    def insert_events(self, events: Sequence[Event]) -> None:
        """Events made with their ids (:meth:`next_id` onwards) at once."""
        self.db.conn.executemany(
            f"INSERT INTO events({_COLUMNS}) VALUES(?, ?, ?, ?, ?, ?, ?)",
            [(e.id, e.application_id, e.kind, e.date, _JSON.encode(dict(e.data)), e.doc_number, e.created_at)
             for e in events])

    def of(self, app_id: int) -> list[Event]:
        """The timeline of one application, by date."""
        return [_event(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM events WHERE application_id = ? ORDER BY date, id", [app_id])]

    def of_many(self, ids: Sequence[int]) -> dict[int, list[Event]]:
        """The timelines of many applications (chunked queries)."""
        out: dict[int, list[Event]] = {}
        for start in range(0, len(ids), 900):
            chunk = list(ids[start:start + 900])
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                    f"SELECT {_COLUMNS} FROM events WHERE application_id IN ({marks}) ORDER BY date, id", chunk):
                out.setdefault(row[1], []).append(_event(row))
        return out

    def of_kinds_between(self, kinds: Sequence[str], start: str, end: str) -> list[Event]:
        """Events of ``kinds`` dated ``start`` to ``end`` (inclusive)."""
        marks = ",".join("?" * len(kinds))
        return [_event(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM events WHERE kind IN ({marks}) AND date BETWEEN ? AND ?",
            [*kinds, start, end])]

