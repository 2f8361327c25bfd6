"""The agency's working-day calendar (办理日历): the days it marked off
or on, and the yearly holiday schedules it entered.  Every change
recomputes the deadline of every open application in the same
transaction and returns those whose due date moved."""

from __future__ import annotations

import datetime as _dt

from ..domain.calendar_records import CalendarOverride, EnteredYear, ScheduleDay
from ..domain.validation import parse_date
from ..domain.workdays import WorkdayCalendar
from .deadlines import Moved, load_calendar, recompute
from .errors import CalendarError
from .session import Session, now_iso

__all__ = ["CalendarError", "Moved", "enter_year_schedule", "entered_years", "list_overrides",
           "load_calendar", "remove_override", "remove_year_schedule", "schedule_days", "set_override"]


def list_overrides(session: Session) -> list[CalendarOverride]:
    """The agency's own overrides (not the entered schedules), by date."""
    return session.store.calendar.overrides()


def entered_years(session: Session) -> list[EnteredYear]:
    return session.store.calendar.entered_years()


def schedule_days(session: Session, year: int) -> list[ScheduleDay]:
    return session.store.calendar.schedule_days(year)


def _date(value: object) -> _dt.date:
    try:
        d = parse_date(value)
    except ValueError:
        d = None
    if d is None:
        raise CalendarError("日期无效，请按 2026-10-10 的格式填写。")
    return d


def set_override(session: Session, date: object, is_workday: bool, note: str = "") -> list[Moved]:
    """Mark ``date`` a working day or a day off for this agency."""
    d = _date(date)
    note = (note or "").strip()
    if not note:
        raise CalendarError("请填写调整原因（如“本市因台风停止办公”）。")
    store = session.store
    with store.transaction():
        store.calendar.put_override(d, is_workday, note, now_iso())
        store.audit.record("calendar", d.isoformat(), "update", None,
                           {"is_workday": bool(is_workday), "note": note})
        store.calendar.bump_revision()
        return recompute(store)


def remove_override(session: Session, date: object) -> list[Moved]:
    d = _date(date)
    store = session.store
    with store.transaction():
        if not store.calendar.remove_override(d):
            raise CalendarError(f"{d.isoformat()} 没有本机关设定的调整。")
        store.audit.record("calendar", d.isoformat(), "purge", {"source": "override"}, None)
        store.calendar.bump_revision()
        return recompute(store)


def _check_schedule(year: int, holidays: dict[_dt.date, str], workdays: dict[_dt.date, str]) -> None:
    if not 2000 <= year <= 2060:
        raise CalendarError("年份应在2000年至2060年之间。")
    if not holidays:
        raise CalendarError("请至少录入一个放假日期。")
    lo, hi = _dt.date(year - 1, 12, 1), _dt.date(year + 1, 1, 31)
    for d in list(holidays) + list(workdays):
        if not isinstance(d, _dt.date) or not lo <= d <= hi:
            raise CalendarError(f"日期 {d} 不属于{year}年的放假安排，请核对。")
    both = set(holidays) & set(workdays)
    if both:
        raise CalendarError(f"{min(both).isoformat()} 同时被录为放假日和上班日，请核对。")
    for d in workdays:
        if d.weekday() < 5:
            raise CalendarError(f"{d.isoformat()} 是工作日（周一至周五），调休上班日应为周六或周日，请核对。")


def enter_year_schedule(session: Session, year: int | str, holidays: dict[_dt.date, str],
                        workdays: dict[_dt.date, str], note: str = "") -> list[Moved]:
    """Enter (or replace) the official schedule of ``year``: ``holidays``
    {date: name} days off, ``workdays`` {date: name} adjusted working
    days.  The year then counts as known."""
    try:
        number = int(year)
    except (TypeError, ValueError):
        raise CalendarError("年份无效。") from None
    _check_schedule(number, holidays, workdays)
    store = session.store
    with store.transaction():
        store.calendar.replace_year(number, holidays, workdays, (note or "").strip(), now_iso())
        store.audit.record("calendar", number, "update", None,
                           {"holidays": {d.isoformat(): n for d, n in sorted(holidays.items())},
                            "workdays": {d.isoformat(): n for d, n in sorted(workdays.items())}})
        store.calendar.bump_revision()
        return recompute(store)


def remove_year_schedule(session: Session, year: int) -> list[Moved]:
    store = session.store
    with store.transaction():
        if not store.calendar.remove_year(year):
            raise CalendarError(f"没有录入过{year}年的放假安排。")
        store.audit.record("calendar", year, "purge", {"year": year}, None)
        store.calendar.bump_revision()
        return recompute(store)


def calendar(session: Session | None) -> WorkdayCalendar:
    """The agency's calendar (the official one without a register)."""
    return load_calendar(session)
