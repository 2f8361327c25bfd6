"""China's official working-day calendar (工作日历).

Working days are not Monday to Friday: statutory holidays close weekdays
and adjusted working days (调休上班日) open weekends.  The official
schedule for each year (published by the State Council General Office,
usually in November of the year before) comes from the maintained
``chinese-calendar`` package; the agency adds its own overrides (a day
marked off or on) and enters a new year's schedule when it is published
before the package knows it.

A date in a year whose schedule is not known is never silently guessed:
:meth:`WorkdayCalendar.add_working_days` refuses it
(:class:`UnknownScheduleError`, a Chinese message) unless the caller
accepts a provisional answer, and :meth:`WorkdayCalendar.due` returns a
result that says whether it is provisional.  In unknown years the
provisional rule is "Monday to Friday, less the fixed statutory days off
(domain.statutory_holidays)".

Counting convention (as for legal periods generally): the start day
(the day of receipt) is not counted; a limit of N working days ends on
the Nth working day after the start day.

Speed: the calendar precomputes, for every day from 1999 to 2060, whether
it is a working day, the number of working days up to it and the list of
working days, so adding working days or counting them between two dates
is two list look-ups.
"""

from __future__ import annotations

import datetime as _dt
import re as _re
from array import array
from itertools import accumulate, compress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The range the index covers; dates outside it are computed day by day.
INDEX_START = _dt.date(1999, 1, 1)
INDEX_END = _dt.date(2060, 12, 31)

#: Chinese names of the package's holiday names.
HOLIDAY_NAMES_CN: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

WEEKDAY_CN = "一二三四五六日"

# Kinds of day returned by day_info().
WORKDAY = "workday"                    # an ordinary Monday-Friday working day
WEEKEND = "weekend"                    # an ordinary Saturday or Sunday
HOLIDAY = "holiday"                    # a statutory holiday (incl. weekend days inside it)
ADJUSTED_WORKDAY = "adjusted_workday"  # a weekend day announced as a working day (调休上班)
OVERRIDE_OFF = "override_off"          # the agency marked the day off
OVERRIDE_ON = "override_on"            # the agency marked the day a working day

KIND_LABELS = {
    WORKDAY: "工作日",
    WEEKEND: "周末",
    HOLIDAY: "法定节假日",
    ADJUSTED_WORKDAY: "调休上班日",
    OVERRIDE_OFF: "本机关设定休息日",
    OVERRIDE_ON: "本机关设定工作日",
}


#: How a year without an official schedule is counted until the agency
#: enters it: the fixed days off of the Measures, no 调休 (said the same
#: way wherever a provisional date is shown).
PROVISIONAL_RULE = "扣除周末和《全国年节及纪念日放假办法》规定的法定节假日，调休未计"
#: The short mark of a day of such a year.
PROVISIONAL_MARK = "该年安排未录入，暂按放假办法推算"


class UnknownScheduleError(ValueError):
    """A computation needs a year whose holiday schedule is not known."""

    def __init__(self, years: Iterable[int]):
        self.years = sorted(set(years))
        names = "、".join(f"{y}年" for y in self.years)
        super().__init__(
            f"{names}的法定节假日和调休安排尚未录入，无法准确计算工作日。"
            "请在“设置 → 期限与日历”中录入该年国务院办公厅公布的放假安排；"
            f"如确需先行估算，可按暂定结果（{PROVISIONAL_RULE}）计算，并在安排公布后复核。")


@dataclass(frozen=True)
class DayInfo:
    date: _dt.date
    is_workday: bool
    kind: str            # one of the kinds above
    name: str = ""       # holiday name (元旦, 春节…) for holidays and adjusted working days
    note: str = ""       # the agency's note for an override or an entered schedule
    known: bool = True   # the year's official schedule is known

    @property
    def weekday_label(self) -> str:
        return "星期" + WEEKDAY_CN[self.date.weekday()]

    @property
    def label(self) -> str:
        """A short Chinese description: ``国庆节（法定节假日）``,
        ``调休上班（国庆节）``, ``周末``, ``工作日``."""
        if self.kind == HOLIDAY:
            text = f"{self.name}假期" if self.name else "法定节假日"
        elif self.kind == ADJUSTED_WORKDAY:
            text = f"调休上班（{self.name}）" if self.name else "调休上班日"
        elif self.kind == OVERRIDE_OFF:
            text = "本机关休息日"
        elif self.kind == OVERRIDE_ON:
            text = "本机关工作日"
        else:
            text = KIND_LABELS[self.kind]
        if self.note:
            text += f"：{self.note}"
        if not self.known:
            text += f"（{PROVISIONAL_MARK}）"
        return text


@dataclass(frozen=True)
class DueResult:
    """A computed end date and whether it rests on a guessed year."""

    date: _dt.date
    provisional: bool = False
    unknown_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        if not self.provisional:
            return ""
        return str(UnknownScheduleError(self.unknown_years))


def package_schedule() -> tuple[dict[_dt.date, str], dict[_dt.date, str], frozenset[int]]:
    """(holidays {date: name}, adjusted working days {date: holiday name},
    years covered) from the chinese-calendar package."""
    import chinese_calendar as cc

    holidays = {d: HOLIDAY_NAMES_CN.get(str(n), str(n)) for d, n in cc.holidays.items()}
    workdays: dict[_dt.date, str] = {}
    for d, n in cc.workdays.items():
        # workdays maps an adjusted working day to the holiday it makes up for
        workdays[d] = HOLIDAY_NAMES_CN.get(str(n), str(n)) if n else ""
    years = frozenset(d.year for d in holidays)
    return holidays, workdays, years


_PACKAGE_CACHE: tuple[dict[_dt.date, str], dict[_dt.date, str], frozenset[int]] | None = None


def _package_cached() -> tuple[dict[_dt.date, str], dict[_dt.date, str], frozenset[int]]:
    global _PACKAGE_CACHE
    if _PACKAGE_CACHE is None:
        _PACKAGE_CACHE = package_schedule()
    return _PACKAGE_CACHE


class WorkdayCalendar:
    """The official working-day calendar plus the agency's overrides.

    ``holidays``: {date: name} days off (statutory holidays);
    ``adjusted_workdays``: {date: name} weekend days that are working days;
    ``known_years``: years whose official schedule is known;
    ``overrides``: {date: (is_workday, note)}, applied last.
    """

    def __init__(self, holidays: Mapping[_dt.date, str] | None = None,
                 adjusted_workdays: Mapping[_dt.date, str] | None = None,
                 known_years: Iterable[int] = (),
                 overrides: Mapping[_dt.date, tuple[bool, str]] | None = None):
        self.holidays = dict(holidays or {})
        self.adjusted_workdays = dict(adjusted_workdays or {})
        self.known_years = frozenset(known_years)
        self.overrides = {d: (bool(v[0]), v[1] or "") for d, v in (overrides or {}).items()}
        # The statutory days off of the years without an official schedule come
        # from the ``holidays`` library (about 0.2 s to load and compute): they are
        # read when a date in such a year is first asked about.  Every day before
        # ``_exact_until`` (an ordinal: January 1 of the first such year) has its
        # final answer in the index without them.
        self._statutory: dict[_dt.date, str] | None = None
        first = _first_provisional_year(self.known_years)
        self._exact_until = INDEX_END.toordinal() + 1 if first is None else _dt.date(first, 1, 1).toordinal()
        self._build_index(with_statutory=first is None)

    @classmethod
    def from_package(cls, overrides: Mapping[_dt.date, tuple[bool, str]] | None = None,
                     extra_years: Iterable[int] = (),
                     extra_holidays: Mapping[_dt.date, str] | None = None,
                     extra_workdays: Mapping[_dt.date, str] | None = None) -> WorkdayCalendar:
        """The chinese-calendar package's schedule (2004–2026 in version
        1.11), plus schedules the agency entered for further years
        (``extra_*``) and its overrides."""
        holidays, workdays, years = _package_cached()
        entered = set(extra_years)
        # a schedule the agency entered replaces the package's for that year
        holidays = {d: n for d, n in holidays.items() if d.year not in entered}
        workdays = {d: n for d, n in workdays.items() if d.year not in entered}
        for d, name in (extra_holidays or {}).items():
            holidays[d] = name
            workdays.pop(d, None)
        for d, name in (extra_workdays or {}).items():
            workdays[d] = name
            holidays.pop(d, None)
        return cls(holidays, workdays, set(years) | set(extra_years), overrides)

    # --- the index -------------------------------------------------------------------

    def _base_is_workday(self, d: _dt.date) -> bool:
        if d in self.overrides:
            return self.overrides[d][0]
        if d in self.holidays:
            return False
        if d in self.adjusted_workdays:
            return True
        if d.toordinal() >= self._exact_until and d in self.statutory_off:
            return False
        return d.weekday() < 5

    @property
    def statutory_off(self) -> dict[_dt.date, str]:
        """{date: name} of the statutory days off of the years without an
        official schedule (computed on first use)."""
        if self._statutory is None:
            self._statutory = _statutory_off(self.known_years)
        return self._statutory

    def _index(self, *ordinals: int) -> tuple[bytearray, array[int], array[int]]:
        """(working-day flags, cumulative count, working days) valid for
        ``ordinals``: the index completed with the statutory days off first
        when one of them is in (or past) a year without an official schedule.
        (One tuple, swapped whole, so a reader never mixes two indexes.)"""
        if not self._complete and ordinals and max(ordinals) >= self._exact_until:
            self._build_index(with_statutory=True)
        return self._idx

    def _build_index(self, *, with_statutory: bool) -> None:
        base = INDEX_START.toordinal()
        size = INDEX_END.toordinal() - base + 1
        # weekdays first (one week's pattern repeated, from INDEX_START's
        # weekday), then the schedule and overrides on top
        week = b"\x01\x01\x01\x01\x01\x00\x00"
        first_weekday = INDEX_START.weekday()
        work = bytearray((week[first_weekday:] + week[:first_weekday]) * (size // 7 + 1))[:size]
        for d in self.holidays:
            i = d.toordinal() - base
            if 0 <= i < size:
                work[i] = 0
        for d in (self.statutory_off if with_statutory else ()):  # years without an official schedule
            i = d.toordinal() - base
            if 0 <= i < size:
                work[i] = 0
        for d in self.adjusted_workdays:
            i = d.toordinal() - base
            if 0 <= i < size:
                work[i] = 1
        for d, (on, _note) in self.overrides.items():
            i = d.toordinal() - base
            if 0 <= i < size:
                work[i] = 1 if on else 0
        # (through lists: an array filled from an iterator takes twice as long)
        cum = array("i", list(accumulate(work)))  # working days up to and including each day
        wd = array("i", list(compress(range(base, base + size), work)))  # the working days' ordinals
        self._base = base
        self._size = size
        self._idx = (work, cum, wd)
        self._complete = with_statutory

    # --- queries -----------------------------------------------------------------------

    def covered_years(self) -> list[int]:
        """Years whose official schedule is known, ascending."""
        return sorted(self.known_years)

    def is_known(self, d: _dt.date) -> bool:
        """Whether the official schedule of ``d``'s year is known."""
        return d.year in self.known_years

    def unknown_years_between(self, a: _dt.date, b: _dt.date) -> tuple[int, ...]:
        lo, hi = (a, b) if a <= b else (b, a)
        return tuple(y for y in range(lo.year, hi.year + 1) if y not in self.known_years)

    def is_workday(self, d: _dt.date) -> bool:
        o = d.toordinal()
        i = o - self._base
        if 0 <= i < self._size:
            return bool(self._index(o)[0][i])
        return self._base_is_workday(d)

    def day_info(self, d: _dt.date) -> DayInfo:
        known = self.is_known(d)
        if d in self.overrides:
            on, note = self.overrides[d]
            name = self.holidays.get(d) or self.adjusted_workdays.get(d, "")
            return DayInfo(d, on, OVERRIDE_ON if on else OVERRIDE_OFF, name, note, known)
        if d in self.holidays:
            return DayInfo(d, False, HOLIDAY, self.holidays[d], "", known)
        if d in self.adjusted_workdays:
            return DayInfo(d, True, ADJUSTED_WORKDAY, self.adjusted_workdays[d], "", known)
        if d.toordinal() >= self._exact_until and d in self.statutory_off:
            return DayInfo(d, False, HOLIDAY, self.statutory_off[d], "法定节假日", known)
        if d.weekday() >= 5:
            return DayInfo(d, False, WEEKEND, "", "", known)
        return DayInfo(d, True, WORKDAY, "", "", known)

    def add_working_days(self, start: _dt.date, n: int, *, allow_provisional: bool = False) -> _dt.date:
        """The Nth working day after ``start`` (``start`` itself is not
        counted; n may be negative: the Nth working day before).  Raises
        :class:`UnknownScheduleError` when the span touches a year whose
        schedule is not known, unless ``allow_provisional``."""
        end = self._add(start, n)
        if not allow_provisional:
            unknown = self.unknown_years_between(start, end)
            if unknown:
                raise UnknownScheduleError(unknown)
        return end

    def due(self, start: _dt.date, n: int) -> DueResult:
        """Like :meth:`add_working_days` but never raises for an unknown
        year: the result says whether it is provisional."""
        end = self._add(start, n)
        unknown = self.unknown_years_between(start, end)
        return DueResult(end, bool(unknown), unknown)

    def _add(self, start: _dt.date, n: int) -> _dt.date:
        if n == 0:
            return start
        o = start.toordinal()
        i = o - self._base
        if 0 <= i < self._size:
            work, cum, wd = self._index(o)
            rank = cum[i] + n if n > 0 else cum[i] - work[i] + n + 1
            if 1 <= rank <= len(wd) and not self._complete and wd[rank - 1] >= self._exact_until:
                # (an answer in a year without a schedule: again with its days off)
                work, cum, wd = self._index(o, wd[rank - 1])
                rank = cum[i] + n if n > 0 else cum[i] - work[i] + n + 1
            if 1 <= rank <= len(wd):
                return _dt.date.fromordinal(wd[rank - 1])
        # outside the index: day by day
        step = 1 if n > 0 else -1
        d, left = start, abs(n)
        while left:
            d += _dt.timedelta(days=step)
            if self.is_workday(d):
                left -= 1
        return d

    def add_working_days_ordinal(self, ordinal: int, n: int) -> int:
        """Fast path for bulk work: ordinal in, ordinal out (n > 0, both
        inside the index).  No provisional check."""
        work, cum, wd = self._index(ordinal)
        found = wd[cum[ordinal - self._base] + n - 1]
        if found >= self._exact_until:
            work, cum, wd = self._index(found)
            found = wd[cum[ordinal - self._base] + n - 1]
        return found

    def working_days_between(self, a: _dt.date, b: _dt.date) -> int:
        """Working days in (a, b]: after ``a`` up to and including ``b``;
        negative when b < a.  ``working_days_between(d, add_working_days(d, n)) == n``."""
        oa, ob = a.toordinal(), b.toordinal()
        ia, ib = oa - self._base, ob - self._base
        if 0 <= ia < self._size and 0 <= ib < self._size:
            cum = self._index(oa, ob)[1]
            return cum[ib] - cum[ia]
        if b < a:
            return -self.working_days_between(b, a)
        count, d = 0, a
        while d < b:
            d += _dt.timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count

    def working_days_in(self, a: _dt.date, b: _dt.date) -> list[_dt.date]:
        """The working days in (a, b], in order."""
        out, d = [], a
        while d < b:
            d += _dt.timedelta(days=1)
            if self.is_workday(d):
                out.append(d)
        return out

    def next_workday(self, d: _dt.date) -> _dt.date:
        """``d`` if it is a working day, else the next one."""
        return d if self.is_workday(d) else self._add(d, 1)

    def fingerprint(self, years: Iterable[int] | None = None) -> str:
        """A short hash of the working-day pattern (used to notice that
        the package or the agency's schedule changed)."""
        import hashlib

        h = hashlib.sha256()
        h.update(",".join(str(y) for y in self.covered_years()).encode())
        h.update(bytes(self._index(INDEX_END.toordinal())[0]))
        return h.hexdigest()[:16]

    def month_days(self, year: int, month: int) -> list[DayInfo]:
        d = _dt.date(year, month, 1)
        out = []
        while d.month == month:
            out.append(self.day_info(d))
            d += _dt.timedelta(days=1)
        return out


_DEFAULT: WorkdayCalendar | None = None


def year_ranges(years: list[int]) -> str:
    """``2019–2026年`` or ``2019–2024年、2026年`` for a sorted list of years."""
    if not years:
        return "无"
    parts, lo, prev = [], years[0], years[0]
    for y in list(years[1:]) + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(f"{lo}年" if lo == prev else f"{lo}–{prev}年")
        if y is not None:
            lo = prev = y
    return "、".join(parts)


#: Years past the last known schedule for which the statutory days off are
#: counted (a due date is never further away than a few months).
PROVISIONAL_YEARS_AHEAD = 4


def _first_provisional_year(known_years: frozenset[int]) -> int | None:
    """The first year whose statutory days off :func:`_statutory_off` counts
    (None: none), without computing them."""
    from .statutory_holidays import FIRST_YEAR

    last = max(known_years, default=FIRST_YEAR - 1)
    return next((y for y in range(FIRST_YEAR, last + PROVISIONAL_YEARS_AHEAD + 1) if y not in known_years), None)


def _statutory_off(known_years: frozenset[int]) -> dict[_dt.date, str]:
    """The fixed statutory days off (《全国年节及纪念日放假办法》) of the
    years without an official schedule, from the first such year after
    the known ones up to a few years ahead: a provisional due date never
    falls on 1 May or in the Spring Festival."""
    from .statutory_holidays import FIRST_YEAR, statutory_days_off

    last = max(known_years, default=FIRST_YEAR - 1)
    out: dict[_dt.date, str] = {}
    for year in range(FIRST_YEAR, last + PROVISIONAL_YEARS_AHEAD + 1):
        if year not in known_years:
            out.update(statutory_days_off(year))
    return out


def default_calendar() -> WorkdayCalendar:
    """The package calendar without agency overrides (cached)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = WorkdayCalendar.from_package()
    return _DEFAULT


# --- entering a new year's schedule from the official notice ------------------------

_DATE_RE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_ITEM_SPLIT = _re.compile(r"(?:^|\n|。|；)\s*[一二三四五六七八九十]+[、.．]\s*")


# Long: the State Council notice's sentence forms, one branch each
def parse_schedule_notice(text: str, year: int) -> tuple[dict[_dt.date, str], dict[_dt.date, str]]:
    """Holidays {date: name} and adjusted working days {date: name} from
    the text of the State Council General Office's notice on the next
    year's holidays, e.g.::

        一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
        二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
        2月14日（周六）、2月28日（周六）上班。

    Raises ValueError with a Chinese message when nothing can be read."""
    clean = _re.sub(r"（[^）]*）|\([^)]*\)", "", text or "")
    clean = clean.replace("\r", "\n").replace(":", "：")
    items = [s for s in _ITEM_SPLIT.split(clean) if "：" in s]
    if not items:
        items = [line for line in clean.split("\n") if "：" in line]
    holidays: dict[_dt.date, str] = {}
    workdays: dict[_dt.date, str] = {}
    for item in items:
        name, _, body = item.partition("：")
        name = _re.sub(r"\s+", "", name)
        if not name or len(name) > 16 or not ("放假" in body or "上班" in body):
            continue
        for sentence in _re.split(r"[。；;\n]", body):
            if "放假" in sentence:
                m = _re.search(_DATE_RE + r"(?:\s*[至到—\-~～]\s*" + _DATE_RE + r")?", sentence)
                if not m:
                    continue
                y1, m1, d1, y2, m2, d2 = m.groups()
                if not m1:
                    continue
                start_year = int(y1) if y1 else (year - 1 if int(m1) == 12 and "元旦" in name else year)
                try:
                    first = _dt.date(start_year, int(m1), int(d1))
                    if d2:
                        month2 = int(m2) if m2 else first.month
                        year2 = int(y2) if y2 else (first.year + 1 if month2 < first.month else first.year)
                        last = _dt.date(year2, month2, int(d2))
                    else:
                        last = first
                except ValueError:
                    raise ValueError(f"“{sentence.strip()}”中的日期无效，请核对。") from None
                if last < first or (last - first).days > 15:
                    raise ValueError(f"“{sentence.strip()}”中的放假起止日期不合理，请核对。")
                d = first
                while d <= last:
                    holidays[d] = name
                    d += _dt.timedelta(days=1)
            elif "上班" in sentence:
                month = None
                for y, mo, dd in _re.findall(_DATE_RE, sentence):
                    if mo:
                        month = int(mo)
                    if month is None:
                        continue
                    wy = int(y) if y else (year - 1 if month == 12 and "元旦" in name else year)
                    try:
                        workdays[_dt.date(wy, month, int(dd))] = name
                    except ValueError:
                        raise ValueError(f"“{sentence.strip()}”中的日期无效，请核对。") from None
    if not holidays:
        raise ValueError("没有从文本中识别出放假日期。请粘贴国务院办公厅通知中"
                         "“一、元旦：1月1日至3日放假调休，共3天。1月4日（周日）上班。”这样的各条原文。")
    return holidays, workdays
