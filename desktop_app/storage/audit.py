"""The audit trail (修改记录): who changed what, when, from what to what.

Every write of the register (applications, events, settings) and of the
annual-report tables records a row here inside the same transaction as
the change itself, so a change and its record are committed together or
not at all.  Other features call :func:`audit` for their own tables::

    from desktop_app.storage.audit import audit
    with db.atomic():
        db.execute("UPDATE cases ...")
        audit(db, "case", case_id, "update", old, new)

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
import getpass
import json
from typing import Any

#: Setting keys whose values never appear in the trail.
SECRET_KEYS = frozenset({"password_hash"})
SECRET_PLACEHOLDER = "（已更改，内容不记录）"

#: Chinese names of entities and actions, for the history views.
ENTITY_LABELS = {
    "application": "申请",
    "event": "办理记录",
    "setting": "设置",
    "case": "复议诉讼案件",
    "calendar": "办理日历",
    "database": "数据库",
}
ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "移入回收站",
    "restore": "从回收站恢复",
    "purge": "彻底删除",
    "import": "导入",
    "restore_backup": "从备份恢复",
}


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, odd environments)
        return "未知用户"


def current_clerk(db) -> str:
    """The clerk's name from the settings, else the OS user name."""
    try:
        row = db.execute("SELECT value FROM settings WHERE key = 'clerk_name'").fetchone()
    except Exception:
        row = None
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
    from ..domain.privacy import MASKED_FIELDS

    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            fn = MASKED_FIELDS.get(k) if isinstance(k, str) else None
            if fn and isinstance(v, str) and v:
                out[k] = v if "*" in v else fn(v)  # already masked: masking again would lose more
            else:
                out[k] = _mask_any(v)
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
        from ..domain.privacy import MASKED_FIELDS

        for key in MASKED_FIELDS:
            if (key in old and key in new and old[key] != new[key]
                    and masked_old.get(key) == masked_new.get(key)):
                masked_new[key] = f"{masked_new[key] or ''}{MIDDLE_CHANGED}"
    return masked_old, masked_new


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def has_audit_table(db) -> bool:
    if getattr(db, "_dd_has_audit_log", False):
        return True  # tables are never dropped: cached once seen
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='audit_log'").fetchone() is not None
    if found:
        try:
            db._dd_has_audit_log = True
        except AttributeError:  # a bare sqlite3.Connection
            pass
    return found


def audit(db, entity: str, entity_id, action: str, old: Any = None, new: Any = None,
          *, clerk: str | None = None) -> int | None:
    """Record one change.  Call it inside the transaction of the change.

    ``db`` is a sqlite-utils ``Database`` (or anything with ``execute``).
    ``old``/``new`` are JSON-serialisable (dicts of field → value for an
    update).  Returns the row id (None on a database without the trail,
    i.e. before its migration ran)."""
    if not has_audit_table(db):
        return None
    old, new = mask_values(old, new)  # data safety: no full ID or phone numbers in the trail
    cur = db.execute(
        "INSERT INTO audit_log(time, clerk, entity, entity_id, action, old_values, new_values) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)",
        [_dt.datetime.now().isoformat(timespec="seconds"), clerk or current_clerk(db), entity,
         None if entity_id is None else str(entity_id), action, _json(old), _json(new)],
    )
    return cur.lastrowid


def _row(names, row) -> dict:
    rec = dict(zip(names, row))
    for key in ("old_values", "new_values"):
        rec[key] = json.loads(rec[key]) if rec[key] else None
    return rec


def history(db, entity: str, entity_id) -> list[dict]:
    """The trail of one entity, oldest first."""
    cur = db.execute(
        "SELECT id, time, clerk, entity, entity_id, action, old_values, new_values FROM audit_log "
        "WHERE entity = ? AND entity_id = ? ORDER BY id", [entity, str(entity_id)])
    names = [d[0] for d in cur.description]
    return [_row(names, r) for r in cur]


def application_history(db, app_id: int) -> list[dict]:
    """An application's own trail and that of its events, oldest first."""
    cur = db.execute(
        "SELECT id, time, clerk, entity, entity_id, action, old_values, new_values FROM audit_log "
        "WHERE (entity = 'application' AND entity_id = ?) "
        "OR (entity = 'event' AND json_extract(new_values, '$.application_id') = ?) "
        "OR (entity = 'event' AND json_extract(old_values, '$.application_id') = ?) "
        "ORDER BY id", [str(app_id), app_id, app_id])
    names = [d[0] for d in cur.description]
    return [_row(names, r) for r in cur]


def recent(db, limit: int = 200) -> list[dict]:
    cur = db.execute(
        "SELECT id, time, clerk, entity, entity_id, action, old_values, new_values FROM audit_log "
        "ORDER BY id DESC LIMIT ?", [limit])
    names = [d[0] for d in cur.description]
    return [_row(names, r) for r in cur]


def field_changes(entry: dict) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for each field an entry changed; for a creation
    every non-empty field, for a deletion nothing."""
    old = entry.get("old_values") or {}
    new = entry.get("new_values") or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [("value", old, new)]
    keys = list(dict.fromkeys(list(old) + list(new)))
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def scrub_personal(db, entity: str, entity_id) -> int:
    """Mask the personal identifiers (ID number, phone, fax) in the earlier
    trail of one entity — used when an application is purged, so purging
    removes them from the audit trail too.  Returns the rows changed."""
    from ..domain.privacy import mask_record

    changed = 0
    rows = db.execute("SELECT id, old_values, new_values FROM audit_log WHERE entity = ? AND entity_id = ?",
                      [entity, str(entity_id)]).fetchall()
    for row_id, old, new in rows:
        values = []
        for raw in (old, new):
            data = json.loads(raw) if raw else None
            if isinstance(data, dict):
                data = mask_record(data)
            values.append(_json(data))
        if values != [old, new]:
            db.execute("UPDATE audit_log SET old_values = ?, new_values = ? WHERE id = ?", [*values, row_id])
            changed += 1
    return changed
