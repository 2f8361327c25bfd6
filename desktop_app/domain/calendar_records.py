"""The working-day calendar's records as the agency entered them (kept apart
from :mod:`.records` so reading the calendar does not build the
applications' record classes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarOverride:
    """A day this agency marked off or on (a typhoon closure, a local holiday)."""

    date: str
    is_workday: bool
    note: str
    created_at: str | None = None


@dataclass(frozen=True)
class EnteredYear:
    """A year whose official holiday schedule the agency entered itself."""

    year: int
    note: str
    entered_at: str


@dataclass(frozen=True)
class ScheduleDay:
    """One day of an entered yearly schedule (放假 or 调休上班)."""

    date: str
    is_workday: bool
    note: str
