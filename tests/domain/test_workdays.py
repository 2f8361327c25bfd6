"""The working-day calendar: every holiday period of 2019–2026 against an
independent transcription of the official notices, the counting
convention, provisional years, overrides and the notice parser."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from official_schedules import SCHEDULES, days, periods

from desktop_app.domain.workdays import (
    ADJUSTED_WORKDAY,
    HOLIDAY,
    UnknownScheduleError,
    WorkdayCalendar,
    default_calendar,
    parse_schedule_notice,
)

D = dt.date
CAL = default_calendar()


def official_is_workday(d: dt.date) -> bool:
    for items in SCHEDULES.values():
        for _name, first, last, adjusted in items:
            if d in adjusted:
                return True
            if first <= d <= last:
                return False
    return d.weekday() < 5


def brute_add(start: dt.date, n: int) -> dt.date:
    d, left = start, n
    while left:
        d += dt.timedelta(days=1)
        if official_is_workday(d):
            left -= 1
    return d


PERIODS = list(periods())


def test_covers_2019_to_2026():
    assert set(range(2019, 2027)) <= set(CAL.covered_years())
    assert 2027 not in CAL.covered_years()


@pytest.mark.parametrize("year,name,first,last,adjusted", PERIODS,
                         ids=[f"{p[0]}-{p[1]}" for p in PERIODS])
def test_holidays_are_days_off_and_adjusted_days_are_working_days(year, name, first, last, adjusted):
    for d in days(first, last):
        assert not CAL.is_workday(d), d
        info = CAL.day_info(d)
        if d.weekday() < 5:
            assert info.kind == HOLIDAY and info.name, d
    for d in adjusted:
        assert CAL.is_workday(d), d
        assert CAL.day_info(d).kind == ADJUSTED_WORKDAY
        assert "调休上班" in CAL.day_info(d).label
    # receipt just before the holiday, on its first day, on its last day,
    # and on each adjusted working day: every limit the app uses
    starts = [first - dt.timedelta(days=1), first, last, *adjusted]
    for start in starts:
        for n in (7, 15, 20, 40):
            assert CAL.add_working_days(start, n) == brute_add(start, n), (start, n)


@pytest.mark.parametrize("year", range(2019, 2027))
def test_whole_year_matches_official_notice(year):
    d = D(year, 1, 1)
    while d.year == year:
        assert CAL.is_workday(d) == official_is_workday(d), d
        d += dt.timedelta(days=1)


def test_issue_examples_national_day_2026():
    assert CAL.add_working_days(D(2026, 9, 28), 20) == D(2026, 10, 30)
    assert CAL.add_working_days(D(2026, 9, 28), 7) == D(2026, 10, 13)
    # received on a holiday: the holiday days are simply not counted
    assert CAL.add_working_days(D(2026, 10, 3), 20) == D(2026, 11, 3)
    # received on an adjusted working Saturday (not counted itself)
    assert CAL.add_working_days(D(2026, 10, 10), 20) == D(2026, 11, 6)
    # the adjusted Saturday counts as the 5th working day
    assert CAL.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)


def test_spring_festival_2026_with_two_working_saturdays():
    assert CAL.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert CAL.add_working_days(D(2026, 2, 13), 7) == D(2026, 3, 2)


def test_extended_spring_festival_2020():
    # the COVID extension made 2020-02-01 (Saturday) a day off
    assert not CAL.is_workday(D(2020, 2, 1))
    assert CAL.add_working_days(D(2020, 1, 23), 1) == D(2020, 2, 3)


def test_working_days_between_and_negative_steps():
    assert CAL.working_days_between(D(2026, 9, 28), D(2026, 10, 30)) == 20
    assert CAL.working_days_between(D(2026, 10, 30), D(2026, 9, 28)) == -20
    assert CAL.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert CAL.add_working_days(D(2026, 10, 4), -1) == D(2026, 9, 30)
    assert CAL.add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)


def test_unknown_year_is_never_silently_guessed():
    with pytest.raises(UnknownScheduleError) as info:
        CAL.add_working_days(D(2026, 12, 20), 20)
    assert "2027年" in str(info.value) and "尚未录入" in str(info.value)
    result = CAL.due(D(2026, 12, 20), 20)
    assert result.provisional and result.unknown_years == (2027,)
    assert "2027年" in result.warning
    assert CAL.add_working_days(D(2026, 12, 20), 20, allow_provisional=True) == result.date
    assert not CAL.due(D(2026, 11, 2), 20).provisional
    assert not CAL.is_known(D(2027, 3, 1)) and CAL.is_known(D(2026, 3, 1))
    assert not CAL.day_info(D(2027, 1, 1)).known


def test_overrides_and_entered_years():
    cal = WorkdayCalendar.from_package(
        overrides={D(2026, 10, 29): (False, "台风停止办公"), D(2026, 10, 31): (True, "集中办公")},
        extra_years=[2027], extra_holidays={D(2027, 1, 1): "元旦"})
    assert not cal.is_workday(D(2026, 10, 29)) and cal.is_workday(D(2026, 10, 31))
    assert "台风" in cal.day_info(D(2026, 10, 29)).label
    assert cal.add_working_days(D(2026, 9, 28), 20) == D(2026, 10, 31)
    assert 2027 in cal.covered_years()
    assert not cal.is_workday(D(2027, 1, 1))
    assert not cal.due(D(2026, 12, 20), 20).provisional
    assert cal.fingerprint() != CAL.fingerprint()


def test_bulk_speed_of_index():
    import time

    start = time.process_time()  # CPU time: a busy machine does not inflate it
    d = D(2025, 3, 3)
    for _ in range(100_000):
        CAL.add_working_days(d, 20, allow_provisional=True)
    elapsed = time.process_time() - start
    assert elapsed < 2.0  # generous for CI; the benchmark measures the real figure


@settings(max_examples=300, deadline=None)
@given(st.dates(D(2019, 1, 1), D(2026, 10, 31)), st.integers(1, 60))
def test_property_due_is_working_day_with_exactly_n_between(start, n):
    due = CAL.add_working_days(start, n, allow_provisional=True)
    assert CAL.is_workday(due)
    assert CAL.working_days_between(start, due) == n
    assert len(CAL.working_days_in(start, due)) == n
    # and it is the first such day: the day before has only n-1 behind it
    assert CAL.working_days_between(start, due - dt.timedelta(days=1)) == n - 1
    if due.year <= 2026:
        assert due == brute_add(start, n)


NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。"""


def test_parse_official_notice_matches_schedule():
    holidays, workdays = parse_schedule_notice(NOTICE_2026, 2026)
    assert set(holidays) == {d for _n, a, b, _adj in SCHEDULES[2026] for d in days(a, b)}
    assert set(workdays) == {d for *_x, adj in SCHEDULES[2026] for d in adj}
    assert holidays[D(2026, 2, 15)] == "春节" and workdays[D(2026, 10, 10)] == "国庆节"


def test_parse_notice_across_year_end():
    text = ("一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
            "二、劳动节：4月30日至5月4日放假调休，共5天。")
    holidays, workdays = parse_schedule_notice(text, 2019)
    assert D(2018, 12, 31) in holidays and D(2019, 1, 1) in holidays
    assert workdays == {D(2018, 12, 29): "元旦"}
    assert {D(2019, 4, 30), D(2019, 5, 4)} <= set(holidays)


def test_parse_notice_rejects_other_text():
    with pytest.raises(ValueError) as info:
        parse_schedule_notice("随便一段文字", 2027)
    assert "没有从文本中识别出放假日期" in str(info.value)


def test_entered_schedule_replaces_the_package_for_its_year():
    # the agency re-enters 2026 with National Day only (a made-up correction)
    cal = WorkdayCalendar.from_package(extra_years=[2026],
                                       extra_holidays={D(2026, 10, 1): "国庆节", D(2026, 10, 2): "国庆节"})
    assert not cal.is_workday(D(2026, 10, 2))
    assert cal.is_workday(D(2026, 10, 5))            # the package's 10-05 holiday is gone
    assert not cal.is_workday(D(2026, 10, 10))       # and so is its working Saturday
    assert not cal.is_workday(D(2025, 10, 1))        # other years untouched


def test_year_ranges_describes_covered_years():
    from desktop_app.domain.workdays import year_ranges

    assert year_ranges([]) == "无"
    assert year_ranges([2019, 2020, 2021]) == "2019–2021年"
    assert year_ranges([2019, 2020, 2022, 2024, 2025]) == "2019–2020年、2022年、2024–2025年"


def test_a_provisional_year_is_described_as_it_is_counted():
    """A year without an official schedule deducts the weekends and the fixed
    days off of the Measures (元旦 on 1 January 2027 included) but no 调休:
    the error, the day labels and the breakdown's note say exactly that
    (they used to say only the weekends were deducted)."""
    from desktop_app.domain.deadlines import period_breakdown
    from desktop_app.domain.workdays import PROVISIONAL_MARK, PROVISIONAL_RULE

    assert "法定节假日" in PROVISIONAL_RULE and "调休未计" in PROVISIONAL_RULE
    with pytest.raises(UnknownScheduleError) as info:
        CAL.add_working_days(D(2026, 12, 20), 20)
    assert PROVISIONAL_RULE in str(info.value)
    new_year = CAL.day_info(D(2027, 1, 1))
    assert not new_year.is_workday and new_year.label == f"元旦假期：法定节假日（{PROVISIONAL_MARK}）"
    assert CAL.day_info(D(2027, 1, 4)).label == f"工作日（{PROVISIONAL_MARK}）"
    # counted over 1 January: the 20th working day after Saturday 5 December 2026 is 4 January
    breakdown = period_breakdown(CAL, "答复期限", D(2026, 12, 5), "收到申请", 20)
    assert breakdown.end == D(2027, 1, 4) and breakdown.provisional
    assert any(PROVISIONAL_RULE in note for note in breakdown.notes)
    assert not any("仅扣除周末" in note or "周末计" in note for note in breakdown.notes)
