"""The audit trail (修改记录): who changed what, when, from what to what.

The services record a row here for every write of the register
(applications, events, settings, calendar, cases), inside the same
transaction as the change itself, so a change and its record are
committed together or not at all.

The clerk is the ``clerk_name`` setting, or else the operating-system
user.  Values are stored as JSON; secrets (the start-up password hash)
are never written to the trail, only the fact that they changed.

Personal identifiers (ID numbers, phone and fax numbers, wherever they
appear in the values) are stored masked, as the register's lists show
them (``domain.privacy``): the trail says that and when an ID number
changed and keeps enough of it to recognise it (210404********1234),
never the full number, which lives only in the register itself.  When a
change touches only the masked middle digits, the new value is marked
"（中间位已改）" so the trail still shows that something changed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import getpass
import json
from collections.abc import Iterable
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain.privacy import MASKED_FIELDS, mask_record
from ..domain.records import AuditEntry

#: Setting keys whose values never appear in the trail.
SECRET_KEYS = frozenset({"password_hash"})
SECRET_PLACEHOLDER = "（已更改，内容不记录）"


@functools.lru_cache(maxsize=1)
def os_user() -> str:
    """The login name (asked once a process: it does not change while the app runs)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (service accounts, odd environments)
        return "未知用户"


def current_clerk(db: Database) -> str:
    """The clerk's name from the settings, else the OS user name."""
    row = db.execute("SELECT value FROM settings WHERE key = 'clerk_name'").fetchone()
    if row and row[0]:
        try:
            name = json.loads(row[0])
        except (TypeError, ValueError):
            name = row[0]
        if isinstance(name, str) and name.strip():
            return name.strip()
    return os_user()


#: Marks a masked value whose hidden digits changed.
MIDDLE_CHANGED = "（中间位已改）"


def _mask_any(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, str):
                fn = MASKED_FIELDS.get(k) if v and isinstance(k, str) else None
                # already masked: masking again would lose more
                out[k] = fn(v) if fn is not None and "*" not in v else v
            elif isinstance(v, (dict, list)):
                out[k] = _mask_any(v)
            else:
                out[k] = v
        return out
    if isinstance(value, list):
        return [_mask_any(v) for v in value]
    return value


def mask_values(old: Any, new: Any) -> tuple[Any, Any]:
    """``old`` and ``new`` with every personal identifier masked (at any
    depth); a field whose full values differ but whose masks are equal
    gets :data:`MIDDLE_CHANGED` on its new value.  Idempotent."""
    masked_old, masked_new = _mask_any(old), _mask_any(new)
    if isinstance(old, dict) and isinstance(new, dict):
        for key in MASKED_FIELDS:
            if (key in old and key in new and old[key] != new[key]
                    and masked_old.get(key) == masked_new.get(key)):
                masked_new[key] = f"{masked_new[key] or ''}{MIDDLE_CHANGED}"
    return masked_old, masked_new


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return _JSON.encode(value)


#: The trail's JSON (one encoder, not one made per value).
_JSON = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)


def audit(db: Database, entity: str, entity_id: object, action: str, old: Any = None, new: Any = None,
          *, clerk: str | None = None) -> int | None:
    """Record one change.  Call it inside the transaction of the change.

    ``old``/``new`` are JSON-serialisable (dicts of field → value for an
    update).  Returns the row id."""
    old, new = mask_values(old, new)  # no full ID or phone numbers in the trail
    cur = db.execute(
        "INSERT INTO audit_log(time, clerk, entity, entity_id, action, old_values, new_values) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)",
        [_dt.datetime.now().isoformat(timespec="seconds"), clerk or current_clerk(db), entity,
         None if entity_id is None else str(entity_id), action, to_json(old), to_json(new)],
    )
    return cur.lastrowid


_COLUMNS = "id, time, clerk, entity, entity_id, action, old_values, new_values"


def _entry(row: tuple) -> AuditEntry:
    old, new = (json.loads(v) if v else None for v in row[6:8])
    return AuditEntry(row[0], row[1], row[2], row[3], row[4], row[5], old, new)


def scrub_personal(db: Database, entity: str, entity_id: object) -> int:
    """Mask the personal identifiers (ID number, phone, fax) in the earlier
    trail of one entity — used when an application is purged, so purging
    removes them from the audit trail too.  Returns the rows changed."""
    changed = 0
    rows = db.execute("SELECT id, old_values, new_values FROM audit_log WHERE entity = ? AND entity_id = ?",
                      [entity, str(entity_id)]).fetchall()
    for row_id, old, new in rows:
        values = []
        for raw in (old, new):
            data = json.loads(raw) if raw else None
            if isinstance(data, dict):
                data = mask_record(data)
            values.append(to_json(data))
        if values != [old, new]:
            db.execute("UPDATE audit_log SET old_values = ?, new_values = ? WHERE id = ?", [*values, row_id])
            changed += 1
    return changed


class AuditTrail:
    """The ``audit_log`` table."""

    def __init__(self, db: Database):
        self.db = db

    def record(self, entity: str, entity_id: object, action: str, old: Any = None, new: Any = None) -> None:
        audit(self.db, entity, entity_id, action, old, new)

    def record_many(self, entries: Iterable[tuple[str, object, str, Any, Any]]) -> None:
        """Record many changes at once (entity, id, action, old, new), as
        :meth:`record` would one by one: masked, at this time, by this clerk."""
        time = _dt.datetime.now().isoformat(timespec="seconds")
        clerk = current_clerk(self.db)
        rows = []
        for entity, entity_id, action, old, new in entries:
            old, new = mask_values(old, new)
            rows.append((time, clerk, entity, None if entity_id is None else str(entity_id), action,
                         to_json(old), to_json(new)))
        self.db.conn.executemany(
            "INSERT INTO audit_log(time, clerk, entity, entity_id, action, old_values, new_values) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)", rows)

    def scrub_personal(self, entity: str, entity_id: object) -> int:
        return scrub_personal(self.db, entity, entity_id)

    def history(self, entity: str, entity_id: object) -> list[AuditEntry]:
        """The trail of one entity, oldest first."""
        return [_entry(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
            [entity, str(entity_id)])]

    def application_history(self, app_id: int) -> list[AuditEntry]:
        """An application's own trail and that of its events, oldest first."""
        return [_entry(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM audit_log "
            "WHERE (entity = 'application' AND entity_id = ?) "
            "OR (entity = 'event' AND json_extract(new_values, '$.application_id') = ?) "
            "OR (entity = 'event' AND json_extract(old_values, '$.application_id') = ?) "
            "ORDER BY id", [str(app_id), app_id, app_id])]

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        return [_entry(r) for r in self.db.execute(
            f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?", [limit])]

    def count(self, action: str | None = None) -> int:
        if action is None:
            return int(self.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])
        return int(self.db.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0])
