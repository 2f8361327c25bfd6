"""Reconsideration and litigation cases (复议诉讼): the register of
section 四 of the annual report."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Mapping
from typing import Any

from ..domain import report_stats as rs
from ..domain.report_cases import CASE_FIELDS, ReviewCase, clean_case, validate_case
from ..storage.store import Store
from .errors import NotFoundError, PublishedChange, ValidationError
from .report import published_warning, published_years_touched_by_case
from .session import Session, now_iso
from .year_lock import require_unlocked


def list_cases(session: Session, year: int | None = None) -> list[ReviewCase]:
    """All cases (newest first), or those counted in ``year``."""
    cases = session.store.cases.all()
    if year is not None:
        cases = [c for c in cases if rs.classify_case(tuple(getattr(c, k) for k in rs.CASE_COLUMNS), year)]
    return cases


def get_case(session: Session, case_id: int) -> ReviewCase:
    case = session.store.cases.get(case_id)
    if case is None:
        raise NotFoundError(f"找不到编号为 {case_id} 的案件，可能已被删除。")
    return case


def cases_of_application(session: Session, app_id: int) -> list[ReviewCase]:
    return [c for c in session.store.cases.all() if c.application_id == app_id]


def cases_in_cell(session: Session, year: int, kind: str, column: str = "total") -> list[ReviewCase]:
    """The cases counted in one cell of section 四 (drill-down)."""
    _start, end = rs.year_bounds(year)
    ids = set(rs.case_cell_members(session.store.cases.report_rows(end), year, kind, column))
    return [c for c in session.store.cases.all() if c.id in ids]


def _errors(store: Store, rec: Mapping[str, Any], today: _dt.date | None) -> dict[str, str]:
    errors = validate_case(rec, today=today)
    app_id = rec.get("application_id")
    if app_id is not None and store.applications.get(int(app_id)) is None:
        errors["application_id"] = "关联的申请不存在，请重新选择或清空。"
    return errors


def _validate(store: Store, rec: Mapping[str, Any], today: _dt.date | None) -> None:
    errors = _errors(store, rec, today)
    if errors:
        raise ValidationError(errors)


def validate(session: Session, record: Mapping[str, Any], *, today: _dt.date | None = None) -> dict[str, str]:
    """``{field: message}`` of what a save would refuse (empty: it would save)."""
    rec = clean_case(record)
    rec["result"] = rec.get("result") or "pending"
    return _errors(session.store, rec, today)


def _guard_published(session: Session, old: Mapping[str, Any] | None, new: Mapping[str, Any],
                     agreed: Collection[int] | None) -> None:
    touched = published_years_touched_by_case(session, old, new)
    require_unlocked(session.store, touched, "此案件的修改")
    if agreed is None:
        return
    years = [y for y in touched if y not in agreed]
    if years:
        raise PublishedChange(years, published_warning(years), [])


def add_case(session: Session, record: Mapping[str, Any], *, today: _dt.date | None = None,
             published_agreed: Collection[int] | None = None) -> int:
    """Validate and add a case (audited); returns its id.  With
    ``published_agreed`` a case that changes other published years raises
    :class:`PublishedChange` before anything is written."""
    store = session.store
    rec = clean_case(record)
    rec["result"] = rec.get("result") or "pending"
    with store.transaction():
        _validate(store, rec, today)
        _guard_published(session, None, rec, published_agreed)
        stamp = now_iso()
        case_id = store.cases.insert({**rec, "created_at": stamp, "updated_at": stamp})
        store.audit.record("case", case_id, "create", None, {k: v for k, v in rec.items() if v is not None})
    return case_id


def update_case(session: Session, case_id: int, changes: Mapping[str, Any], *,
                today: _dt.date | None = None,
                published_agreed: Collection[int] | None = None) -> dict[str, tuple[Any, Any]]:
    """Validate and save what changed; returns ``{field: (old, new)}``."""
    store = session.store
    with store.transaction():
        old = get_case(session, case_id).values()
        merged = dict(old)
        merged.update(clean_case(changes))
        merged["result"] = merged.get("result") or "pending"
        _validate(store, merged, today)
        _guard_published(session, old, merged, published_agreed)
        diff = {k: (old.get(k), merged.get(k)) for k in CASE_FIELDS if old.get(k) != merged.get(k)}
        if diff:
            store.cases.update(case_id, {k: merged[k] for k in diff}, now_iso())
            store.audit.record("case", case_id, "update",
                               {k: v[0] for k, v in diff.items()}, {k: v[1] for k, v in diff.items()})
    return diff


def delete_case(session: Session, case_id: int) -> None:
    store = session.store
    with store.transaction():
        old = get_case(session, case_id)
        store.cases.delete(case_id)
        audited = {k: v for k, v in old.values().items()}
        audited.update(id=old.id, created_at=old.created_at, updated_at=old.updated_at)
        store.audit.record("case", case_id, "purge", audited, None)
