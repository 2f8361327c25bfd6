"""The statutory days off of years without an official schedule are computed
only when a date in such a year is asked about (the ``holidays`` library is
slow to load, and start-up rarely needs them), and every answer is the same
as with them computed up front."""

from __future__ import annotations

import datetime as _dt
import random

import pytest

from desktop_app.domain import workdays as wd
from desktop_app.domain.workdays import INDEX_END, WorkdayCalendar

D = _dt.date


def eager(cal_args: dict) -> WorkdayCalendar:
    cal = WorkdayCalendar.from_package(**cal_args)
    cal._index(INDEX_END.toordinal())  # complete at once
    return cal


CASES = [
    {},  # the package's years only: provisional from the year after its last
    {"overrides": {D(2027, 2, 8): (True, "值班"), D(2026, 12, 30): (False, "停电")}},
    # the agency entered a later year's schedule: a gap year stays provisional
    {"extra_years": [2028], "extra_holidays": {D(2028, 1, 1): "元旦", D(2028, 1, 3): "元旦"},
     "extra_workdays": {D(2028, 1, 8): "元旦"}},
]


@pytest.mark.parametrize("args", CASES)
def test_lazy_calendar_answers_every_query_as_the_eager_one(args):
    rnd = random.Random(19)
    ref = eager(args)
    days = [D(2026, 1, 1) + _dt.timedelta(days=i) for i in range(0, 6 * 366)]
    # a fresh calendar per query kind, asked in random order: each may
    # first meet a provisional year from any side
    lazy = WorkdayCalendar.from_package(**args)
    for d in rnd.sample(days, len(days)):
        assert lazy.is_workday(d) == ref.is_workday(d), d
    lazy = WorkdayCalendar.from_package(**args)
    for d in rnd.sample(days, 400):
        assert lazy.day_info(d) == ref.day_info(d), d
    for _ in range(3):
        lazy = WorkdayCalendar.from_package(**args)
        for _ in range(600):
            d = rnd.choice(days)
            n = rnd.choice([1, 2, 3, 5, 15, 20, 40, 300, -1, -3, -20])
            assert lazy.add_working_days(d, n, allow_provisional=True) == \
                ref.add_working_days(d, n, allow_provisional=True), (d, n)
            assert lazy.due(d, n) == ref.due(d, n)
            o = d.toordinal()
            if n > 0:
                assert lazy.add_working_days_ordinal(o, n) == ref.add_working_days_ordinal(o, n)
            b = rnd.choice(days)
            assert lazy.working_days_between(d, b) == ref.working_days_between(d, b), (d, b)
    # each query the first on a fresh calendar: from the last known year across
    # into a provisional one (the index must be completed before answering)
    last = max(ref.known_years - {2028})
    for _ in range(40):
        d = D(last, 12, 1) + _dt.timedelta(days=rnd.randrange(31))
        n = rnd.choice([1, 3, 10, 20, 25, 40])
        assert WorkdayCalendar.from_package(**args).add_working_days(d, n, allow_provisional=True) == \
            ref.add_working_days(d, n, allow_provisional=True), (d, n)
        assert WorkdayCalendar.from_package(**args).add_working_days_ordinal(d.toordinal(), n) == \
            ref.add_working_days_ordinal(d.toordinal(), n), (d, n)
        b = D(last + 1, 1, 1) + _dt.timedelta(days=rnd.randrange(200))
        assert WorkdayCalendar.from_package(**args).working_days_between(d, b) == \
            ref.working_days_between(d, b), (d, b)
    lazy = WorkdayCalendar.from_package(**args)
    assert lazy.fingerprint() == ref.fingerprint()
    assert lazy.statutory_off == ref.statutory_off


def test_dates_before_the_first_provisional_year_need_no_statutory_days(monkeypatch):
    ref = eager({})
    asked: list[int] = []
    real = wd._statutory_off

    def counting(known):
        asked.append(len(known))
        return real(known)

    monkeypatch.setattr(wd, "_statutory_off", counting)
    cal = WorkdayCalendar.from_package()
    last = max(cal.known_years)
    dec = D(last, 12, 1)
    assert cal.add_working_days(dec, 3) == ref.add_working_days(dec, 3)
    assert cal.working_days_between(D(last, 1, 5), D(last, 12, 20)) == \
        ref.working_days_between(D(last, 1, 5), D(last, 12, 20))
    assert cal.day_info(D(last, 10, 1)) == ref.day_info(D(last, 10, 1))
    assert asked == []
    # a due date in the next year: now computed, once
    assert cal.due(D(last, 12, 20), 20).provisional
    cal.is_workday(D(last + 1, 5, 1))
    assert asked == [len(cal.known_years)]
    assert not cal.is_workday(D(last + 1, 5, 1))  # 劳动节 of the provisional year
