"""Workflow steps (办理步骤): 补正告知, 收到补正, 延期, 征求第三方意见,
收费通知, 缴费, 另行确定期限 — checked against the deadline rules,
recorded on the timeline with what they did to the deadline, and
cancelled (never deleted) when recorded by mistake."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from ..domain import deadlines as dl
from ..domain.deadlines import STEP_KINDS
from ..domain.records import Event
from ..domain.validation import format_date_cn, parse_date
from .applications import get, insert_event
from .deadlines import calendar_of, refresh_derived, state_in
from .errors import StepError
from ..storage.store import Store
from .session import Session

__all__ = ["STEP_KINDS", "StepError", "cancel_last_step", "check_step", "last_step", "record_step",
           "record_step_in", "step_plan_errors"]


def _day(date: object) -> _dt.date | None:
    try:
        return parse_date(date)
    except ValueError:
        return None


def check_step(session: Session, app_id: int, kind: str, date: object, data: Mapping[str, Any],
               today: _dt.date | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for recording step ``kind`` on ``date``: errors
    forbid it; warnings are shown to the clerk, who may go on."""
    d = _day(date)
    if d is None:
        return ["日期无效，请按 2026-03-05 的格式填写。"], []
    st = state_in(session.store, app_id)
    return dl.check_step(kind, d, dict(data), st, calendar_of(session.store), today)


def record_step(session: Session, app_id: int, kind: str, date: object, data: Mapping[str, Any] | None = None,
                doc_number: str | None = None, today: _dt.date | None = None) -> int:
    """Check and record a workflow step on the timeline; the deadline
    columns follow in the same transaction.  Raises :class:`StepError`
    with Chinese messages when the step breaks a rule."""
    if kind not in STEP_KINDS:
        raise StepError([f"未知的办理步骤：{kind}"])
    payload = dict(data or {})
    store = session.store
    with store.transaction():
        errors, _warnings = check_step(session, app_id, kind, date, payload, today)
        if errors:
            raise StepError(errors)
        return record_step_in(store, app_id, kind, date, payload, doc_number)


def step_plan_errors(session: Session, app_id: int, kind: str, date: object,
                     data: Mapping[str, Any]) -> list[str]:
    """Why step ``kind`` could not be recorded on ``date`` with ``data``
    (the notice that records it is then refused); [] when it can."""
    day = _day(date)
    today = max(_dt.date.today(), day) if day else None
    errors, _warnings = check_step(session, app_id, kind, date, data, today)
    return errors


def record_step_in(store: Store, app_id: int, kind: str, date: object, data: Mapping[str, Any],
                   doc_number: str | None = None) -> int:
    """Record an already checked step inside the caller's transaction
    (``record_step``, or the notice that is the step's written form)."""
    payload = dict(data)
    d = _day(date)
    assert d is not None  # checked by the caller
    planned = Event(10**12, app_id, kind, d.isoformat(), payload)
    after = state_in(store, app_id, [planned])
    summary = dl.step_summary(kind, payload, after)
    if summary:
        payload["summary"] = summary
    if kind == "extension" and after.due_date:
        payload["new_due_date"] = after.due_date.isoformat()
    event_id = insert_event(store, app_id, kind, d, payload, doc_number)
    refresh_derived(store, app_id)
    return event_id


def last_step(session: Session, app_id: int) -> Event | None:
    """The most recent workflow step still in force (the one that can be
    cancelled), or None."""
    events = session.store.events.of(app_id)
    cancelled = {e.data.get("event_id") for e in events if e.kind == "step_cancelled"}
    steps = [e for e in events if e.kind in STEP_KINDS and e.id not in cancelled]
    return max(steps, key=lambda e: (e.date, e.id or 0)) if steps else None


def cancel_last_step(session: Session, app_id: int, reason: str, today: _dt.date | None = None) -> int:
    """Cancel the most recent workflow step (recorded by mistake): a
    ``step_cancelled`` event is added (nothing is deleted from the legal
    record) and the deadline is recomputed without the step."""
    reason = (reason or "").strip()
    if not reason:
        raise StepError(["请填写撤销的原因（如“日期录错”）。"])
    store = session.store
    with store.transaction():
        if get(session, app_id).status == "closed":
            raise StepError(["该申请已办结，不能撤销办理步骤。"])
        step = last_step(session, app_id)
        if step is None:
            raise StepError(["本申请没有可以撤销的办理步骤。"])
        label = dl.STEP_LABELS.get(step.kind, step.kind)
        data = {"event_id": step.id, "kind": step.kind, "reason": reason,
                "summary": f"撤销{format_date_cn(step.date)}记录的“{label}”；原因：{reason}"}
        event_id = insert_event(store, app_id, "step_cancelled", today or _dt.date.today(), data)
        refresh_derived(store, app_id)
    return event_id
