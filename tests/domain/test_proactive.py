"""Proactive disclosure: due dates on the working-day calendar, late items,
interpretations, and section 二 （一） across year boundaries."""

import datetime as dt

from desktop_app.domain.proactive import (
    Attribute,
    DocKind,
    Item,
    Timeliness,
    art20_label,
    deadline,
    in_force_on,
    section2_documents,
)
from desktop_app.domain.workdays import default_calendar

D = dt.date
CAL = default_calendar()


def test_an_item_formed_before_national_day_is_due_after_the_holiday_and_its_swapped_saturday():
    # 2025: 1-8 October off; Sunday 28 September and Saturday 11 October are working days
    item = Item(1, "关于印发某某办法的通知", formed_on=D(2025, 9, 26))
    dl = deadline(item, CAL, today=D(2025, 9, 29))
    # counted: 9/28 (Sunday, worked) 9/29 9/30 | 10/9 10/10 10/11 (Saturday, worked) | 10/13-17 |
    # 10/20-24 | 10/27 10/28 10/29 10/30: the 20th
    assert dl.due == D(2025, 10, 30)
    assert dl.state is Timeliness.OPEN and not dl.provisional


def test_an_item_formed_before_spring_festival():
    item = Item(2, "春节前印发的文件", formed_on=D(2026, 2, 10))
    assert deadline(item, CAL, today=D(2026, 2, 11)).due == CAL.add_working_days(D(2026, 2, 10), 20)


def test_published_after_its_due_date_is_late_by_working_days():
    item = Item(3, "某通知", formed_on=D(2025, 3, 3), published_on=D(2025, 4, 3))
    dl = deadline(item, CAL, today=D(2025, 5, 1))
    assert dl.due == D(2025, 3, 31)
    assert dl.state is Timeliness.LATE
    assert dl.working_days_late == 3  # 4/1, 4/2, 4/3 (清明 4/4 after)


def test_unpublished_past_due_is_overdue_and_near_due_is_due_soon():
    item = Item(4, "某公告", formed_on=D(2025, 3, 3))
    assert deadline(item, CAL, today=D(2025, 4, 2)).state is Timeliness.OVERDUE
    soon = deadline(item, CAL, today=D(2025, 3, 26))
    assert soon.state is Timeliness.DUE_SOON and soon.working_days_left == 3
    assert deadline(item, CAL, today=D(2025, 3, 4)).state is Timeliness.OPEN


def test_an_interpretation_is_due_three_working_days_after_its_document_is_published():
    interpretation = Item(5, "《某某办法》政策解读", kind=DocKind.INTERPRETATION, interpretation_of=1,
                          published_on=D(2025, 10, 10))
    # document published on Tuesday 30 September: 10/9, 10/10, 10/11 (worked Saturday)
    dl = deadline(interpretation, CAL, today=D(2025, 10, 20), parent_published_on=D(2025, 9, 30))
    assert dl.due == D(2025, 10, 11)
    assert dl.state is Timeliness.ON_TIME
    waiting = deadline(interpretation, CAL, today=D(2025, 10, 20), parent_published_on=None)
    assert waiting.state is Timeliness.NOT_DUE


def test_items_not_for_proactive_disclosure_have_no_due_date():
    item = Item(6, "内部请示", attribute=Attribute.WITHHELD, formed_on=D(2025, 3, 3))
    assert deadline(item, CAL, today=D(2025, 6, 1)).state is Timeliness.NOT_DUE


def test_a_year_without_a_schedule_gives_a_provisional_due_date():
    last_known = max(CAL.covered_years())
    item = Item(7, "年底印发的文件", formed_on=D(last_known, 12, 25))
    assert deadline(item, CAL, today=D(last_known, 12, 26)).provisional


def test_section_two_counts_documents_across_year_boundaries():
    items = [
        Item(1, "规章甲", DocKind.RULE, issued_on=D(2023, 5, 1), repealed_on=D(2025, 3, 1)),
        Item(2, "规范性文件乙", DocKind.NORMATIVE, issued_on=D(2024, 12, 30), repealed_on=D(2025, 1, 2)),
        Item(3, "规范性文件丙", DocKind.NORMATIVE, issued_on=D(2025, 6, 1)),
        Item(4, "规范性文件丁（有效期2年）", DocKind.NORMATIVE, issued_on=D(2023, 3, 1), expires_on=D(2025, 2, 28)),
        Item(5, "规范性文件戊（次年印发）", DocKind.NORMATIVE, issued_on=D(2026, 1, 5)),
        Item(6, "一般信息", DocKind.OTHER, formed_on=D(2025, 1, 1)),
        Item(7, "年末最后一天废止", DocKind.NORMATIVE, issued_on=D(2020, 1, 1), repealed_on=D(2025, 12, 31)),
    ]
    y2024 = section2_documents(items, 2024)
    assert y2024.rules.issued == () and y2024.rules.in_force == (1,)
    assert y2024.normative.issued == (2,)
    assert y2024.normative.in_force == (2, 4, 7)
    y2025 = section2_documents(items, 2025)
    assert y2025.rules.repealed == (1,) and y2025.rules.in_force == ()
    assert y2025.normative.issued == (3,)
    assert y2025.normative.repealed == (2, 7)
    assert y2025.normative.in_force == (3,)  # 4 expired, 7 repealed on 31 Dec, 5 not yet issued


def test_in_force_on_the_day():
    doc = Item(1, "x", DocKind.NORMATIVE, issued_on=D(2025, 1, 10), repealed_on=D(2025, 6, 1))
    assert not in_force_on(doc, D(2025, 1, 9))
    assert in_force_on(doc, D(2025, 1, 10)) and in_force_on(doc, D(2025, 5, 31))
    assert not in_force_on(doc, D(2025, 6, 1))


def test_article_twenty_labels():
    assert art20_label(1) == "第二十条第（一）项"
    assert art20_label(10) == "第二十条第（十）项"
    assert art20_label(15) == "第二十条第（十五）项"
