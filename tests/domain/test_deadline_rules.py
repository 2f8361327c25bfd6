"""The deadline rules on their own: the bulk fast path agrees with the calendar, pauses are never counted."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import deadlines as dl
from desktop_app.domain.records import ApplicationFields, Event
from desktop_app.domain.workdays import WorkdayCalendar

D = dt.date


def test_bulk_fast_path_agrees_with_calendar():
    cal = WorkdayCalendar.from_package()
    rows = [("2026-09-28", 20, 0), ("2026-09-28", 40, 4), ("2026-02-13", 7, 0)]
    out = dl.bulk_due_and_days_left(rows, cal, D(2026, 10, 12))
    assert [dt.date.fromordinal(o) for o, _ in out] == [D(2026, 10, 30), D(2026, 12, 3), D(2026, 3, 2)]
    assert out[0][1] == 14


@settings(max_examples=150, deadline=None)
@given(st.dates(D(2019, 6, 1), D(2026, 6, 30)), st.integers(0, 25), st.integers(0, 20))
def test_property_pauses_are_not_counted(start, offset, length):
    from desktop_app.domain.workdays import default_calendar

    cal = default_calendar()
    sent = cal.next_workday(start + dt.timedelta(days=offset))
    replied = sent + dt.timedelta(days=length)
    events = [Event(None, None, "third_party_sent", sent.isoformat(), {"third_party": "甲"}),
              Event(None, None, "third_party_replied", replied.isoformat(), {})]
    st_ = dl.compute_state(ApplicationFields(receipt_date=start.isoformat()), events, cal, dl.DeadlineRules())
    due = st_.due_date
    assert cal.is_workday(due)
    pause_end = min(replied, cal.add_working_days(sent, 15))
    counted = [d for d in cal.working_days_in(start, due) if not (sent < d <= pause_end)]
    assert len(counted) == 20 and counted[-1] == due
    assert st_.paused_days == len(cal.working_days_in(start, due)) - 20
