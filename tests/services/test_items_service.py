"""The proactive register's use cases: items saved with their due dates on
the agency's calendar, late items and interpretation lags, section 二
computed with drill-down, typed figures, the published-year hook."""

import datetime as dt

import pytest

from desktop_app.services import calendar as cal_service
from desktop_app.services import items, report
from desktop_app.services.errors import ValidationError
from desktop_app.services.items import ItemFilter

D = dt.date
TODAY = D(2026, 11, 20)


def _doc(reg, title, issued, repealed=None, kind="normative", published=None, **extra):
    return items.add(reg, {"title": title, "kind": kind, "formed_on": issued, "issued_on": issued,
                           "repealed_on": repealed, "published_on": published or issued,
                           "channels": "政府网站", "doc_number": extra.pop("doc_number", None), **extra},
                     today=TODAY)


def test_an_item_gets_its_index_number_and_due_date_across_national_day(register):
    item_id = items.add(register, {"title": "关于印发某某办法的通知", "formed_on": "2025-09-26"}, today=TODAY)
    record = items.get(register, item_id)
    assert record.due_date == "2025-10-30"  # 20 working days over 国庆 with the swapped working days
    assert record.index_no == "ZDGK-2025-00001"
    second = items.add(register, {"title": "另一条", "formed_on": "2025-12-01"}, today=TODAY)
    assert items.get(register, second).index_no == "ZDGK-2025-00002"


def test_a_day_off_on_the_agency_calendar_moves_an_open_items_due_date(register):
    item_id = items.add(register, {"title": "某公告", "formed_on": "2026-11-02"}, today=TODAY)
    before = items.get(register, item_id).due_date
    cal_service.set_override(register, before, False, "台风停止办公")
    after = items.get(register, item_id).due_date
    assert after > before


def test_published_late_items_are_listed_with_their_due_date_and_days_late(register):
    on_time = items.add(register, {"title": "按时", "formed_on": "2025-03-03", "published_on": "2025-03-20",
                                   "channels": ["website"]}, today=TODAY)
    late = items.add(register, {"title": "迟了", "formed_on": "2025-03-03", "published_on": "2025-04-03",
                                "channels": ["website"]}, today=TODAY)
    overdue = items.add(register, {"title": "还没公开", "formed_on": "2026-09-01"}, today=TODAY)
    assert items.get(register, late).days_late == 3
    listed = items.late_items(register, today=TODAY)
    assert [(r.id, str(dl.due)) for r, dl in listed] == [(late, "2025-03-31"), (overdue, str(dl_due(register, overdue)))]
    assert on_time not in [r.id for r, _ in listed]
    assert items.count(register, ItemFilter(state="late"), today=TODAY) == 1
    assert items.count(register, ItemFilter(state="overdue"), today=TODAY) == 1
    assert items.dashboard_counts(register, TODAY).overdue == 1


def dl_due(reg, item_id):
    return items.get(reg, item_id).due_date


def test_an_interpretation_is_due_three_working_days_after_its_document_and_follows_it(register):
    doc = _doc(register, "某某办法", "2025-09-20", published="2025-09-30")
    interp = items.add(register, {"title": "《某某办法》解读", "kind": "interpretation", "interpretation_of": doc,
                                  "published_on": "2025-10-13", "channels": "政府网站"}, today=TODAY)
    record = items.get(register, interp)
    assert record.due_date == "2025-10-11"  # 10/9, 10/10, Saturday 10/11 worked
    assert record.days_late == 1
    # the document's publication date moves: the interpretation's due date follows
    items.change(register, doc, {**_values(items.get(register, doc)), "published_on": "2025-10-09"}, today=TODAY)
    assert items.get(register, interp).due_date == "2025-10-13"  # 10/10, Saturday 10/11, 10/13
    assert items.get(register, interp).days_late == 0


def _values(record):
    from desktop_app.domain.items import EDITABLE_FIELDS
    return {k: getattr(record, k) for k in EDITABLE_FIELDS}


def test_section2_counts_documents_across_year_boundaries_with_drill_down(register):
    a = _doc(register, "甲办法", "2024-05-10", repealed="2025-03-01")
    b = _doc(register, "乙办法", "2025-06-01")
    c = _doc(register, "丙办法", "2023-01-05", repealed="2026-01-10")
    d = _doc(register, "丁办法", "2025-12-31", repealed="2025-12-31")  # issued and repealed the same day
    s24 = items.section2(register, 2024)
    assert (s24.values["normative_issued"], s24.values["normative_repealed"], s24.values["normative_in_force"]) == (1, 0, 2)
    s25 = items.section2(register, 2025)
    assert s25.members["normative_issued"] == tuple(sorted((b, d)))
    assert s25.members["normative_repealed"] == tuple(sorted((a, d)))
    assert s25.members["normative_in_force"] == tuple(sorted((b, c)))
    s26 = items.section2(register, 2026)
    assert s26.members["normative_repealed"] == (c,) and s26.members["normative_in_force"] == (b,)
    # last year's in force + issued - repealed = this year's in force
    assert s24.values["normative_in_force"] + 2 - 2 == s25.values["normative_in_force"]
    assert [r.title for r in items.items_in_cell(register, 2025, "normative_repealed")] == ["甲办法", "丁办法"]
    assert report.get_section2(register, 2025)["normative_issued"] == 2


def test_rules_only_for_an_agency_that_may_make_them(register):
    with pytest.raises(ValidationError) as info:
        _doc(register, "某规章", "2025-01-01", kind="rule")
    assert "规章制定权" in info.value.errors["kind"]
    items.set_may_make_rules(register, True)
    rule = _doc(register, "某规章", "2025-01-01", kind="rule")
    assert items.section2(register, 2025).members["regulations_issued"] == (rule,)


def test_decision_counts_typed_per_month_add_up_and_never_mix_with_a_year_figure(register):
    items.save_figure(register, 2025, 1, "licensing_decisions", "30", "市政务服务平台")
    items.save_figure(register, 2025, 2, "licensing_decisions", 12, "市政务服务平台")
    s2 = items.section2(register, 2025)
    assert s2.values["licensing_decisions"] == 42
    assert s2.sources["licensing_decisions"] == "市政务服务平台（2个月）"
    with pytest.raises(ValidationError) as info:
        items.save_figure(register, 2025, None, "licensing_decisions", 50, "年报")
    assert "已按月填写" in info.value.errors["month"]
    with pytest.raises(ValidationError):
        items.save_figure(register, 2025, 3, "licensing_decisions", 5, "")  # a source is required
    items.save_figure(register, 2025, None, "fees_amount", "1.5", "财政非税系统")
    items.save_figure(register, 2025, None, "fees_amount", "2.25", "财政非税系统")  # replaces
    assert items.section2(register, 2025).values["fees_amount"] == 2.25
    items.save_figure(register, 2025, 1, "licensing_decisions", "", "")
    assert items.section2(register, 2025).values["licensing_decisions"] == 12


def test_item_form_errors_are_chinese_and_name_the_field(register):
    with pytest.raises(ValidationError) as info:
        items.add(register, {"title": "", "formed_on": "2026-02-30", "attribute": "withheld",
                             "repealed_on": "2025-01-01", "channels": "飞鸽传书"}, today=TODAY)
    errors = info.value.errors
    assert errors["title"] == "请填写信息名称。"
    assert "有效日期" in errors["formed_on"]
    assert "理由" in errors["attribute_reason"]
    assert "规章和行政规范性文件" in errors["repealed_on"]
    assert "飞鸽传书" in errors["channels"]
    assert items.count(register) == 0


def test_published_years_changed_by_item_names_a_published_year_it_would_alter(register):
    doc = _doc(register, "甲办法", "2024-05-10")
    report.publish(register, 2024)
    old = items.get(register, doc)
    assert items.published_years_changed_by_item(register, old, {**_values(old), "repealed_on": "2025-02-01"}) == []
    assert items.published_years_changed_by_item(register, old, {**_values(old), "issued_on": "2023-05-10"}) == [2024]
    assert items.published_years_changed_by_item(register, None, {"title": "新", "kind": "normative",
                                                                  "issued_on": "2024-08-01"}) == [2024]


def test_register_filters_by_year_item_and_text_in_sql(register):
    for n in range(1, 6):
        items.add(register, {"title": f"第{n}条许可结果", "art20": 5, "formed_on": f"2025-0{n}-03",
                             "published_on": f"2025-0{n}-05", "channels": "政府网站"}, today=TODAY)
    items.add(register, {"title": "预算公开", "art20": "第二十条第（七）项", "formed_on": "2026-02-03",
                         "published_on": "2026-02-05", "channels": "政府网站"}, today=TODAY)
    assert items.count(register, ItemFilter(year=2025), today=TODAY) == 5
    assert items.count(register, ItemFilter(art20=7), today=TODAY) == 1
    assert items.count(register, ItemFilter(text="许可"), today=TODAY) == 5
    page = items.list_items(register, ItemFilter(year=2025), today=TODAY, sort="formed_on", descending=False,
                            offset=1, limit=2)
    assert [r.title for r in page] == ["第2条许可结果", "第3条许可结果"]


def test_changes_and_deletions_are_audited(register):
    item_id = items.add(register, {"title": "某公告", "formed_on": "2026-11-02"}, today=TODAY)
    assert items.change(register, item_id, {**_values(items.get(register, item_id)), "topic": "城乡建设"},
                        today=TODAY)
    assert not items.change(register, item_id, _values(items.get(register, item_id)), today=TODAY)
    items.delete(register, item_id)
    actions = [e.action for e in register.store.audit.history("item", item_id)]
    assert sorted(actions) == ["create", "purge", "update"]
