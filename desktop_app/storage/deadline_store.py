"""Deadlines in the database: the rules in the settings, and the derived
deadline columns of each application kept up to date.

``Register._after_write`` calls :func:`update_derived` inside the write's
transaction; a calendar or rules change calls :func:`recompute_open`,
which returns the applications whose due date moved.  On start-up
:func:`ensure_current` notices a changed package calendar (or rows written
before the deadline columns existed) and recomputes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass

from ..domain import deadlines as dl
from ..domain.deadlines import DeadlineRules, DeadlineState
from .audit import audit  # data safety: audit trail
from .calendar_store import load_calendar

RULES_KEY = "deadline_rules"
FINGERPRINT_KEY = "deadline_fingerprint"


class RulesError(ValueError):
    """Rules that may not be saved; ``errors`` maps field → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


def _db(obj):
    return getattr(obj, "db", obj)


def _get_setting(db, key):
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError):
        return None


def _set_setting(db, key, value) -> None:
    db.execute("INSERT INTO settings(key, value) VALUES(?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [key, json.dumps(value, ensure_ascii=False)])


def load_rules(db) -> DeadlineRules:
    data = _get_setting(_db(db), RULES_KEY)
    return DeadlineRules.from_dict(data if isinstance(data, dict) else None)


def save_rules(register, rules: DeadlineRules) -> list[Moved]:
    """Save the agency's rules and recompute every open application;
    returns the applications whose due date moved."""
    errors = rules.errors()
    if errors:
        raise RulesError(errors)
    db = _db(register)
    with db.atomic():
        old = _get_setting(db, RULES_KEY)
        _set_setting(db, RULES_KEY, rules.to_dict())
        if old != rules.to_dict():  # data safety: audit trail
            audit(db, "setting", RULES_KEY, "update", {RULES_KEY: old}, {RULES_KEY: rules.to_dict()})
        return recompute_open(register)


def _application(db, app_id: int) -> dict:
    cur = db.execute("SELECT * FROM applications WHERE id = ?", [app_id])
    row = cur.fetchone()
    if row is None:
        raise LookupError(f"找不到编号为 {app_id} 的申请。")
    return dict(zip([d[0] for d in cur.description], row))


def _events(db, app_id: int) -> list[dict]:
    out = []
    for eid, kind, date, data in db.execute(
            "SELECT id, kind, date, data FROM events WHERE application_id = ? ORDER BY date, id", [app_id]):
        try:
            payload = json.loads(data) if data else {}
        except ValueError:
            payload = {}
        out.append({"id": eid, "kind": kind, "date": date, "data": payload})
    return out


def state_of(db, app_id: int) -> DeadlineState:
    """The full deadline state of one application (for the detail pane,
    the breakdown and the workflow dialogs)."""
    db = _db(db)
    return dl.compute_state(_application(db, app_id), _events(db, app_id), load_calendar(db), load_rules(db))


def view_of(db, app_id: int, today: _dt.date | None = None) -> dl.DeadlineView:
    db = _db(db)
    return dl.view_of_row(_application(db, app_id), load_calendar(db), today or _dt.date.today())


def _write(db, app_id: int, record: dict, st: DeadlineState) -> None:
    cols = dl.derived_columns(st)
    cols["status"] = dl.derived_status(st, record.get("status"))
    changed = {k: v for k, v in cols.items() if record.get(k) != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        db.execute(f"UPDATE applications SET {sets} WHERE id = ?", [*changed.values(), app_id])


def _has_deadline_schema(db) -> bool:
    cached = getattr(db, "_disclosure_desk_deadline_schema", None)
    if cached:
        return True
    ok = bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calendar_overrides'")
              .fetchone())
    if ok:
        try:
            db._disclosure_desk_deadline_schema = True
        except AttributeError:
            pass
    return ok


def update_derived(db, app_id: int) -> DeadlineState | None:
    """Recompute one application's deadline columns and status (inside
    the caller's transaction).  Raises ``ValidationError`` when the
    timeline breaks a rule (a second extension…), so the write is undone."""
    db = _db(db)
    if not _has_deadline_schema(db):
        return None  # a database opened without migrations (tools, upgrade tests)
    record = _application(db, app_id)
    try:
        st = dl.compute_state(record, _events(db, app_id), load_calendar(db), load_rules(db))
    except ValueError:
        return None  # no valid receipt date: validation reports it elsewhere
    if st.errors:
        from .register import ValidationError

        raise ValidationError({"deadline": st.errors[0]})
    _write(db, app_id, record, st)
    return st


@dataclass(frozen=True)
class Moved:
    """An application whose due date moved after a calendar or rules change."""

    app_id: int
    serial: str
    applicant_name: str
    old: str | None
    new: str | None

    @property
    def text(self) -> str:
        return f"{self.serial} {self.applicant_name}：{self.old or '—'} → {self.new or '—'}"


def _recompute(db, where: str, params=()) -> list[Moved]:
    calendar = load_calendar(db)
    rules = load_rules(db)
    cur = db.execute(f"SELECT * FROM applications WHERE {where} ORDER BY id", list(params))
    names = [d[0] for d in cur.description]
    records = [dict(zip(names, row)) for row in cur.fetchall()]
    if not records:
        return []
    events: dict[int, list[dict]] = {}
    ids = [r["id"] for r in records]
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start:chunk_start + 900]
        marks = ",".join("?" * len(chunk))
        for eid, app_id, kind, date, data in db.execute(
                f"SELECT id, application_id, kind, date, data FROM events "
                f"WHERE application_id IN ({marks}) ORDER BY date, id", chunk):
            try:
                payload = json.loads(data) if data else {}
            except ValueError:
                payload = {}
            events.setdefault(app_id, []).append({"id": eid, "kind": kind, "date": date, "data": payload})
    moved = []
    names_out = list(dl.DERIVED_COLUMNS) + ["status"]
    updates = []
    for record in records:
        try:
            st = dl.compute_state(record, events.get(record["id"], []), calendar, rules)
        except ValueError:
            continue
        old = record.get("due_date")
        cols = dl.derived_columns(st)
        cols["status"] = dl.derived_status(st, record.get("status"))
        if any(record.get(k) != v for k, v in cols.items()):
            updates.append([cols[k] for k in names_out] + [record["id"]])
        new = st.due_date.isoformat() if st.due_date else None
        if old is not None and old != new:
            moved.append(Moved(record["id"], record.get("serial") or "", record.get("applicant_name") or "",
                               old, new))
    if updates:
        sets = ", ".join(f"{k} = ?" for k in names_out)
        db.conn.executemany(f"UPDATE applications SET {sets} WHERE id = ?", updates)
    return moved


def recompute_open(register) -> list[Moved]:
    """Recompute every open application (one transaction); returns those
    whose due date moved, from what to what."""
    db = _db(register)
    with db.atomic():
        moved = _recompute(db, "status != 'closed' OR clock_state IS NULL")
        _set_setting(db, FINGERPRINT_KEY, fingerprint(db))
    return moved


def fingerprint(db) -> str:
    db = _db(db)
    rules = json.dumps(load_rules(db).to_dict(), sort_keys=True)
    return load_calendar(db).fingerprint() + ":" + hashlib.sha256(rules.encode()).hexdigest()[:8]


def ensure_current(register) -> list[Moved]:
    """On start-up: if the calendar (e.g. a package update) or the rules
    changed since the deadlines were last computed, or some rows have
    never been computed, recompute; returns the moved deadlines."""
    db = _db(register)
    stored = _get_setting(db, FINGERPRINT_KEY)
    missing = db.execute("SELECT 1 FROM applications WHERE clock_state IS NULL LIMIT 1").fetchone()
    if stored == fingerprint(db) and not missing:
        return []
    return recompute_open(register)


# --- workflow steps ----------------------------------------------------------------------

#: The workflow steps a clerk records, with their Chinese labels.
STEP_KINDS = ("correction_requested", "corrected", "extension", "third_party_sent",
              "third_party_replied", "fee_notice", "fee_paid", "deadline_set")


class StepError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def check_step(register, app_id: int, kind: str, date, data: dict,
               today: _dt.date | None = None) -> tuple[list[str], list[str]]:
    db = _db(register)
    from ..domain.validation import parse_date

    try:
        d = parse_date(date)
    except ValueError:
        d = None
    if d is None:
        return ["日期无效，请按 2026-03-05 的格式填写。"], []
    st = state_of(db, app_id)
    return dl.check_step(kind, d, data, st, load_calendar(db), today)


def record_step(register, app_id: int, kind: str, date, data: dict | None = None,
                doc_number: str | None = None, today: _dt.date | None = None) -> int:
    """Check and record a workflow step (补正告知, 延期…) on the timeline;
    the deadline columns follow in the same transaction.  Raises
    :class:`StepError` with Chinese messages when the step breaks a rule."""
    if kind not in STEP_KINDS:
        raise StepError([f"未知的办理步骤：{kind}"])
    data = dict(data or {})
    errors, _warnings = check_step(register, app_id, kind, date, data, today)
    if errors:
        raise StepError(errors)
    from ..domain.validation import parse_date

    d = parse_date(date)
    db = _db(register)
    calendar = load_calendar(db)
    record, events = _application(db, app_id), _events(db, app_id)
    after = dl.compute_state(record, events + [{"id": 10**12, "kind": kind, "date": d.isoformat(), "data": data}],
                             calendar, load_rules(db))
    summary = step_summary(kind, data, after)
    if summary:
        data["summary"] = summary
    if kind == "extension" and after.due_date:
        data["new_due_date"] = after.due_date.isoformat()
    return register.add_event(app_id, kind, d, data, doc_number)


def step_summary(kind: str, data: dict, after: DeadlineState) -> str:
    """The line the timeline shows for a workflow step: what it did to
    the deadline."""
    due = after.due_date.isoformat() if after.due_date else ""
    if kind == "correction_requested" and after.correction:
        return (f"补正事项：{data.get('items', '')}；补正期限{after.correction['period_days']}个工作日，"
                f"至{after.correction['deadline'].isoformat()}；答复期限自收到补正材料之日重新计算")
    if kind == "corrected":
        return f"答复期限自本日起重新计算{after.limit_days}个工作日，至{due}"
    if kind == "extension":
        return (f"延长{after.extension_days}个工作日，答复期限延至{due}；批准人：{data.get('approver', '')}"
                f"（{data.get('approved_on', '')}）；理由：{data.get('reason', '')}")
    if kind == "third_party_sent" and after.third_parties:
        tp = after.third_parties[-1]
        return (f"第三方：{data.get('third_party', '')}；答复期限至{tp['deadline'].isoformat()}；"
                "征求意见期间不计入答复期限")
    if kind == "third_party_replied":
        opinion = data.get("opinion")
        return (f"{('意见：' + opinion + '；') if opinion else ''}恢复计算答复期限，答复期限为{due}")
    if kind == "fee_notice" and after.fee:
        amount = data.get("amount")
        method = data.get("method")
        text = f"金额{amount}元" + (f"（{method}）" if method else "")
        text += f"；缴费期限至{after.fee['deadline'].isoformat()}"
        if not after.rules.fee_time_counted:
            text += "；缴费期间不计入答复期限"
        return text
    if kind == "fee_paid":
        return f"已缴费，恢复计算答复期限，答复期限为{due}"
    if kind == "deadline_set":
        return f"依照条例第三十五条另行确定答复期限至{due}；理由：{data.get('reason', '')}"
    return ""


def last_step(register, app_id: int) -> dict | None:
    """The most recent workflow step still in force (the one that can be
    cancelled), or None."""
    db = _db(register)
    events = _events(db, app_id)
    cancelled = {e["data"].get("event_id") for e in events if e["kind"] == "step_cancelled"}
    steps = [e for e in events if e["kind"] in STEP_KINDS and e["id"] not in cancelled]
    if not steps:
        return None
    return max(steps, key=lambda e: (e["date"], e["id"]))


def cancel_last_step(register, app_id: int, reason: str, today: _dt.date | None = None) -> int:
    """Cancel the most recent workflow step (recorded by mistake): a
    ``step_cancelled`` event is added (nothing is deleted from the legal
    record) and the deadline is recomputed without the step."""
    from ..domain.validation import format_date_cn

    reason = (reason or "").strip()
    if not reason:
        raise StepError(["请填写撤销的原因（如“日期录错”）。"])
    app = _application(_db(register), app_id)
    if app.get("status") == "closed":
        raise StepError(["该申请已办结，不能撤销办理步骤。"])
    step = last_step(register, app_id)
    if step is None:
        raise StepError(["本申请没有可以撤销的办理步骤。"])
    label = dl.STEP_LABELS.get(step["kind"], step["kind"])
    day = today or _dt.date.today()
    data = {"event_id": step["id"], "kind": step["kind"], "reason": reason,
            "summary": f"撤销{format_date_cn(step['date'])}记录的“{label}”；原因：{reason}"}
    return register.add_event(app_id, "step_cancelled", day, data)
