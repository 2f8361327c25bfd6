"""The ``settings`` table: one JSON value per key."""

from __future__ import annotations

import json
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


class SettingsTable:
    def __init__(self, db: Database):
        self.db = db

    def stored(self) -> dict[str, Any]:
        """Every stored key → value (keys never saved are absent)."""
        values: dict[str, Any] = {}
        for key, raw in self.db.execute("SELECT key, value FROM settings").fetchall():
            try:
                values[key] = json.loads(raw)
            except (TypeError, ValueError):
                values[key] = raw
        return values

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except (TypeError, ValueError):
            return row[0]

    def put(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)])
