"""The statutory days off of a year whose official schedule (the State
Council's 放假安排 with its 调休 swaps) is not yet known.

《全国年节及纪念日放假办法》 (as revised in 2024, from 2025): 元旦 1 January;
春节 with 除夕 (4 days); 清明节; 劳动节 1-2 May; 端午节; 中秋节; 国庆节 1-3
October: 13 days.  The lunar and solar-term dates come from the ``holidays``
library (its China calendar, without its guesses of observed days).  A due
date counted over such a year is provisional: the weekend swaps and bridge
days of the real schedule are unknown, but at least these days are never
counted as working days.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

#: The rules above apply from this year; earlier years are always known.
FIRST_YEAR = 2025


@lru_cache(maxsize=32)
def statutory_days_off(year: int) -> dict[_dt.date, str]:
    """Date → Chinese name of each statutory day off of ``year``."""
    import holidays

    if year < FIRST_YEAR:
        raise ValueError(f"{year}年的放假安排已经公布，不需要推算。")
    days = holidays.country_holidays("CN", years=year, observed=False, language="zh_CN")
    return {d: name for d, name in sorted(days.items())}
