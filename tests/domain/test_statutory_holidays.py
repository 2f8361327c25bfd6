import datetime as dt

import pytest

from desktop_app.domain.statutory_holidays import statutory_days_off


def test_a_year_without_a_schedule_has_the_thirteen_statutory_days():
    days = statutory_days_off(2027)
    assert len(days) == 13
    assert days[dt.date(2027, 1, 1)] == "元旦"
    assert days[dt.date(2027, 2, 5)] == "农历除夕"  # 春节 with 除夕 since the 2024 revision
    assert [d for d, n in days.items() if n == "春节"] == [dt.date(2027, 2, 6), dt.date(2027, 2, 7),
                                                         dt.date(2027, 2, 8)]
    assert {dt.date(2027, 5, 1), dt.date(2027, 5, 2)} <= set(days)
    assert days[dt.date(2027, 4, 5)] == "清明节"
    assert days[dt.date(2027, 6, 9)] == "端午节"
    assert days[dt.date(2027, 9, 15)] == "中秋节"
    assert {dt.date(2027, 10, d) for d in (1, 2, 3)} <= set(days)


def test_the_observed_guesses_of_the_library_are_not_taken():
    # 2027-02-09 is the library's guess of a substitute day, not a statutory one
    assert dt.date(2027, 2, 9) not in statutory_days_off(2027)


def test_a_holiday_falling_on_another_is_one_day():
    days = statutory_days_off(2028)  # 中秋 on 3 October
    assert dt.date(2028, 10, 3) in days and len(days) == 12


def test_known_years_are_not_guessed():
    with pytest.raises(ValueError):
        statutory_days_off(2024)


def test_the_china_module_loaded_alone_gives_the_registry_s_days_and_skips_the_other_countries():
    import subprocess
    import sys

    import holidays

    from desktop_app.domain import statutory_holidays as sh

    assert isinstance(sh._china_class(), type)  # the module loaded alone, not the registry fallback
    for year in range(2025, 2041):
        expected = holidays.country_holidays("CN", years=year, observed=False, language="zh_CN")
        assert statutory_days_off(year) == dict(sorted(expected.items())), year
    code = ("import sys\nfrom desktop_app.domain.statutory_holidays import statutory_days_off\n"
            "statutory_days_off(2027)\n"
            "print(sum(m.startswith('holidays.countries.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
