"""The agency's working-day calendar: its overrides (a day marked off or
on) and the yearly schedules entered when the State Council publishes
them, on top of the chinese-calendar package.

Every change bumps ``calendar_revision`` in the settings, so a calendar
cached for this connection is rebuilt on its next use."""

from __future__ import annotations

import datetime as _dt
import json

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..domain.calendar_records import CalendarOverride, EnteredYear, ScheduleDay

from ..domain.workdays import WorkdayCalendar

REVISION_KEY = "calendar_revision"


class CalendarTables:
    def __init__(self, db: Database):
        self.db = db
        self._cached: tuple[int, WorkdayCalendar] | None = None

    def revision(self) -> int:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [REVISION_KEY]).fetchone()
        try:
            return int(json.loads(row[0])) if row else 0
        except (TypeError, ValueError):
            return 0

    def bump_revision(self) -> None:
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [REVISION_KEY, json.dumps(self.revision() + 1)])

    def load(self) -> WorkdayCalendar:
        """The package calendar plus the agency's entered years and
        overrides (cached until the calendar changes)."""
        rev = self.revision()
        if self._cached is not None and self._cached[0] == rev:
            return self._cached[1]
        overrides: dict[_dt.date, tuple[bool, str]] = {}
        extra_holidays: dict[_dt.date, str] = {}
        extra_workdays: dict[_dt.date, str] = {}
        for date, on, note, source in self.db.execute(
                "SELECT date, is_workday, note, source FROM calendar_overrides ORDER BY date"):
            try:
                d = _dt.date.fromisoformat(date)
            except (TypeError, ValueError):
                continue
            if source == "schedule":
                (extra_workdays if on else extra_holidays)[d] = note or ""
            else:
                overrides[d] = (bool(on), note or "")
        years = [r[0] for r in self.db.execute("SELECT year FROM calendar_years")]
        calendar = WorkdayCalendar.from_package(overrides, years, extra_holidays, extra_workdays)
        self._cached = (rev, calendar)
        return calendar

    def overrides(self) -> list[CalendarOverride]:
        """The agency's own overrides (not the entered schedules), by date."""
        from ..domain.calendar_records import CalendarOverride  # (listed by the calendar's page only)

        return [CalendarOverride(r[0], bool(r[1]), r[2] or "", r[3]) for r in self.db.execute(
            "SELECT date, is_workday, note, created_at FROM calendar_overrides "
            "WHERE source = 'override' ORDER BY date")]

    def entered_years(self) -> list[EnteredYear]:
        from ..domain.calendar_records import EnteredYear  # (listed by the calendar's page only)

        return [EnteredYear(r[0], r[1] or "", r[2]) for r in self.db.execute(
            "SELECT year, note, entered_at FROM calendar_years ORDER BY year")]

    def schedule_days(self, year: int) -> list[ScheduleDay]:
        from ..domain.calendar_records import ScheduleDay  # (listed by the calendar's page only)

        return [ScheduleDay(r[0], bool(r[1]), r[2] or "") for r in self.db.execute(
            "SELECT date, is_workday, note FROM calendar_overrides "
            "WHERE source = 'schedule' AND date >= ? AND date <= ? ORDER BY date",
            [f"{year - 1}-12-01", f"{year + 1}-01-31"])]

    def put_override(self, date: _dt.date, is_workday: bool, note: str, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO calendar_overrides(date, is_workday, note, source, created_at) "
            "VALUES(?, ?, ?, 'override', ?) ON CONFLICT(date) DO UPDATE SET "
            "is_workday = excluded.is_workday, note = excluded.note, source = 'override', "
            "created_at = excluded.created_at",
            [date.isoformat(), 1 if is_workday else 0, note, stamp])

    def remove_override(self, date: _dt.date) -> bool:
        cur = self.db.execute("DELETE FROM calendar_overrides WHERE date = ? AND source = 'override'",
                              [date.isoformat()])
        return cur.rowcount > 0

    def replace_year(self, year: int, holidays: dict[_dt.date, str], workdays: dict[_dt.date, str],
                     note: str, stamp: str) -> None:
        self.db.execute("DELETE FROM calendar_overrides WHERE source = 'schedule' AND date >= ? AND date <= ?",
                        [f"{year}-01-01", f"{year}-12-31"])
        for days, on in ((holidays, 0), (workdays, 1)):
            for d, name in sorted(days.items()):
                self.db.execute(
                    "INSERT OR REPLACE INTO calendar_overrides(date, is_workday, note, source, created_at) "
                    "VALUES(?, ?, ?, 'schedule', ?)", [d.isoformat(), on, name or "", stamp])
        self.db.execute("INSERT INTO calendar_years(year, note, entered_at) VALUES(?, ?, ?) "
                        "ON CONFLICT(year) DO UPDATE SET note = excluded.note, entered_at = excluded.entered_at",
                        [year, note, stamp])

    def remove_year(self, year: int) -> bool:
        self.db.execute("DELETE FROM calendar_overrides WHERE source = 'schedule' AND date >= ? AND date <= ?",
                        [f"{year}-01-01", f"{year}-12-31"])
        return self.db.execute("DELETE FROM calendar_years WHERE year = ?", [year]).rowcount > 0
