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
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The rules above apply from this year; earlier years are always known.
FIRST_YEAR = 2025


@lru_cache(maxsize=32)
def statutory_days_off(year: int) -> dict[_dt.date, str]:
    """Date → Chinese name of each statutory day off of ``year``."""
    if year < FIRST_YEAR:
        raise ValueError(f"{year}年的放假安排已经公布，不需要推算。")
    days = _china_class()(years=year, observed=False, language="zh_CN")
    return {d: name for d, name in sorted(days.items())}


@lru_cache(maxsize=1)
def _china_class() -> Any:
    """The library's China calendar.  ``holidays.country_holidays("CN")``
    first imports the modules of all its 250 countries (about 0.1 s, paid by
    the first deadline counted over a provisional year, often at start-up);
    the China module alone is loaded from the package instead, falling back
    to the registry if the package is laid out otherwise.  (Tests compare
    both ways over many years.)"""
    import holidays

    try:
        path = Path(holidays.__file__).parent / "countries" / "china.py"
        spec = importlib.util.spec_from_file_location("_disclosure_desk_holidays_china", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.China
    except Exception:  # noqa: BLE001 - any other layout: the library's own way
        return lambda **kw: holidays.country_holidays("CN", **kw)
