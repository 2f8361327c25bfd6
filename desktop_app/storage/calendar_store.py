"""The agency's working-day calendar in the database: overrides (a day
marked off or on) and yearly schedules entered when the State Council
publishes them, on top of the chinese-calendar package.

Every change bumps ``calendar_revision`` in the settings, so cached
calendars are rebuilt, and recomputes the deadline of every open
application; the functions return the applications whose due date moved
(see :func:`desktop_app.storage.deadline_store.recompute_open`).
"""

from __future__ import annotations

import datetime as _dt
import json

from ..domain.validation import parse_date
from ..domain.workdays import WorkdayCalendar
from .audit import audit  # data safety: audit trail

REVISION_KEY = "calendar_revision"


class CalendarError(ValueError):
    """A calendar change that may not be saved; the message is for the clerk."""


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def _db(obj):
    """Accept a sqlite-utils Database or a Register."""
    return getattr(obj, "db", obj)


def revision(db) -> int:
    db = _db(db)
    row = db.execute("SELECT value FROM settings WHERE key = ?", [REVISION_KEY]).fetchone()
    try:
        return int(json.loads(row[0])) if row else 0
    except (TypeError, ValueError):
        return 0


def _bump_revision(db) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [REVISION_KEY, json.dumps(revision(db) + 1)],
    )


def load_calendar(db) -> WorkdayCalendar:
    """The package calendar plus the agency's entered years and overrides
    (cached on the database object until the calendar changes)."""
    db = _db(db)
    rev = revision(db)
    cached = getattr(db, "_disclosure_desk_calendar", None)
    if cached is not None and cached[0] == rev:
        return cached[1]
    overrides: dict[_dt.date, tuple[bool, str]] = {}
    extra_holidays: dict[_dt.date, str] = {}
    extra_workdays: dict[_dt.date, str] = {}
    for date, on, note, source in db.execute(
            "SELECT date, is_workday, note, source FROM calendar_overrides ORDER BY date"):
        try:
            d = _dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            continue
        if source == "schedule":
            (extra_workdays if on else extra_holidays)[d] = note or ""
        else:
            overrides[d] = (bool(on), note or "")
    years = [r[0] for r in db.execute("SELECT year FROM calendar_years")]
    calendar = WorkdayCalendar.from_package(overrides, years, extra_holidays, extra_workdays)
    try:
        db._disclosure_desk_calendar = (rev, calendar)
    except AttributeError:
        pass
    return calendar


def list_overrides(db) -> list[dict]:
    """The agency's own overrides (not the entered schedules), by date."""
    db = _db(db)
    cur = db.execute("SELECT date, is_workday, note, created_at FROM calendar_overrides "
                     "WHERE source = 'override' ORDER BY date")
    return [{"date": r[0], "is_workday": bool(r[1]), "note": r[2] or "", "created_at": r[3]} for r in cur]


def entered_years(db) -> list[dict]:
    db = _db(db)
    cur = db.execute("SELECT year, note, entered_at FROM calendar_years ORDER BY year")
    return [{"year": r[0], "note": r[1] or "", "entered_at": r[2]} for r in cur]


def schedule_entries(db, year: int) -> list[dict]:
    db = _db(db)
    cur = db.execute("SELECT date, is_workday, note FROM calendar_overrides "
                     "WHERE source = 'schedule' AND date >= ? AND date <= ? ORDER BY date",
                     [f"{year - 1}-12-01", f"{year + 1}-01-31"])
    return [{"date": r[0], "is_workday": bool(r[1]), "note": r[2] or ""} for r in cur]


def _recompute(register):
    from .deadline_store import recompute_open

    return recompute_open(register)


def set_override(register, date, is_workday: bool, note: str = "") -> list:
    """Mark ``date`` a working day or a day off for this agency; returns
    the applications whose due date moved."""
    try:
        d = parse_date(date)
    except ValueError:
        d = None
    if d is None:
        raise CalendarError("日期无效，请按 2026-10-10 的格式填写。")
    note = (note or "").strip()
    if not note:
        raise CalendarError("请填写调整原因（如“本市因台风停止办公”）。")
    db = _db(register)
    with db.atomic():
        db.execute(
            "INSERT INTO calendar_overrides(date, is_workday, note, source, created_at) "
            "VALUES(?, ?, ?, 'override', ?) ON CONFLICT(date) DO UPDATE SET "
            "is_workday = excluded.is_workday, note = excluded.note, source = 'override', "
            "created_at = excluded.created_at",
            [d.isoformat(), 1 if is_workday else 0, note, _now()])
        audit(db, "calendar", d.isoformat(), "update", None,  # data safety: audit trail
              {"is_workday": bool(is_workday), "note": note})
        _bump_revision(db)
        return _recompute(register)


def remove_override(register, date) -> list:
    try:
        d = parse_date(date)
    except ValueError:
        d = None
    if d is None:
        raise CalendarError("日期无效，请按 2026-10-10 的格式填写。")
    db = _db(register)
    with db.atomic():
        cur = db.execute("DELETE FROM calendar_overrides WHERE date = ? AND source = 'override'",
                         [d.isoformat()])
        if cur.rowcount == 0:
            raise CalendarError(f"{d.isoformat()} 没有本机关设定的调整。")
        audit(db, "calendar", d.isoformat(), "purge", {"source": "override"}, None)  # data safety
        _bump_revision(db)
        return _recompute(register)


def enter_year_schedule(register, year: int, holidays: dict, workdays: dict, note: str = "") -> list:
    """Enter (or replace) the official schedule of ``year``: ``holidays``
    {date: name} days off, ``workdays`` {date: name} adjusted working
    days.  The year then counts as known.  Returns the moved deadlines."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise CalendarError("年份无效。") from None
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
    db = _db(register)
    with db.atomic():
        db.execute("DELETE FROM calendar_overrides WHERE source = 'schedule' AND date >= ? AND date <= ?",
                   [f"{year}-01-01", f"{year}-12-31"])
        stamp = _now()
        for d, name in sorted(holidays.items()):
            db.execute("INSERT OR REPLACE INTO calendar_overrides(date, is_workday, note, source, created_at) "
                       "VALUES(?, 0, ?, 'schedule', ?)", [d.isoformat(), name or "", stamp])
        for d, name in sorted(workdays.items()):
            db.execute("INSERT OR REPLACE INTO calendar_overrides(date, is_workday, note, source, created_at) "
                       "VALUES(?, 1, ?, 'schedule', ?)", [d.isoformat(), name or "", stamp])
        db.execute("INSERT INTO calendar_years(year, note, entered_at) VALUES(?, ?, ?) "
                   "ON CONFLICT(year) DO UPDATE SET note = excluded.note, entered_at = excluded.entered_at",
                   [year, (note or "").strip(), stamp])
        audit(db, "calendar", year, "update", None,  # data safety: audit trail
              {"holidays": {d.isoformat(): n for d, n in sorted(holidays.items())},
               "workdays": {d.isoformat(): n for d, n in sorted(workdays.items())}})
        _bump_revision(db)
        return _recompute(register)


def remove_year_schedule(register, year: int) -> list:
    db = _db(register)
    with db.atomic():
        db.execute("DELETE FROM calendar_overrides WHERE source = 'schedule' AND date >= ? AND date <= ?",
                   [f"{year}-01-01", f"{year}-12-31"])
        cur = db.execute("DELETE FROM calendar_years WHERE year = ?", [year])
        if cur.rowcount == 0:
            raise CalendarError(f"没有录入过{year}年的放假安排。")
        audit(db, "calendar", year, "purge", {"year": year}, None)  # data safety: audit trail
        _bump_revision(db)
        return _recompute(register)
