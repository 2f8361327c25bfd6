"""The remedy paragraph and the answers of Art. 35-39, as the law stood on
each reply's date, for each kind of agency."""

import datetime as dt

import pytest

from desktop_app.domain import catalog
from desktop_app.domain.remedies import (
    AgencyKind,
    AgencyProfile,
    Clause,
    RemedyError,
    remedy,
    reviewing_bodies,
)
from desktop_app.domain.reply_grounds import (
    BY_CODE,
    GROUNDS,
    clause_for,
    default_ground,
    grounds_for,
)

DISTRICT_DEPT = AgencyProfile(AgencyKind.DEPARTMENT, own_government="长沙市望城区人民政府",
                              higher_department="长沙市教育局")
TAX_BUREAU = AgencyProfile(AgencyKind.VERTICAL, higher_department="国家税务总局长沙市税务局")
DISTRICT_GOV = AgencyProfile(AgencyKind.GOVERNMENT, higher_government="长沙市人民政府")
JUSTICE = AgencyProfile(AgencyKind.JUSTICE, own_government="长沙市望城区人民政府",
                        higher_department="长沙市司法局")
AFTER = dt.date(2024, 1, 2)
BEFORE = dt.date(2023, 12, 29)


@pytest.mark.parametrize("profile, bodies", [
    (DISTRICT_DEPT, ["长沙市望城区人民政府"]),
    (TAX_BUREAU, ["国家税务总局长沙市税务局"]),
    (DISTRICT_GOV, ["长沙市人民政府"]),
    (JUSTICE, ["长沙市望城区人民政府", "长沙市司法局"]),
])
def test_the_reviewing_body_follows_the_agencys_kind_since_2024(profile, bodies):
    assert reviewing_bodies(profile, AFTER) == bodies


def test_before_2024_a_departments_applicant_chose_its_government_or_the_higher_department():
    assert reviewing_bodies(DISTRICT_DEPT, BEFORE) == ["长沙市望城区人民政府", "长沙市教育局"]
    assert reviewing_bodies(TAX_BUREAU, BEFORE) == ["国家税务总局长沙市税务局"]


def test_a_missing_body_name_is_a_message_naming_the_setting():
    with pytest.raises(RemedyError, match="本级人民政府全称"):
        reviewing_bodies(AgencyProfile(AgencyKind.DEPARTMENT), AFTER)
    with pytest.raises(RemedyError, match="上一级人民政府全称"):
        reviewing_bodies(AgencyProfile(AgencyKind.GOVERNMENT), AFTER)


def test_refusal_since_2024_requires_reconsideration_first_and_says_so():
    text = remedy(Clause.RECONSIDERATION_FIRST, DISTRICT_DEPT, AFTER).text
    assert "先向长沙市望城区人民政府申请行政复议" in text
    assert "第二十三条第一款第（四）项" in text and "六十日" in text
    assert "十五日内" in text and "不得直接提起行政诉讼" in text
    assert "六个月" not in text


def test_other_answers_keep_the_choice_of_reconsideration_or_a_lawsuit():
    r = remedy(Clause.CHOICE, TAX_BUREAU, AFTER)
    assert "六十日内向国家税务总局长沙市税务局申请行政复议" in r.text
    assert "六个月内依法向人民法院提起行政诉讼" in r.text
    assert "三个月" not in r.text and "先向" not in r.text


def test_partial_disclosure_names_both_routes():
    text = remedy(Clause.RECONSIDERATION_FIRST, DISTRICT_GOV, AFTER, partial=True).text
    assert text.index("不予公开的部分") < text.index("先向长沙市人民政府申请行政复议")
    assert "其他内容不服" in text and "六个月" in text


def test_a_reply_dated_before_2024_keeps_the_wording_of_its_day():
    r = remedy(Clause.RECONSIDERATION_FIRST, DISTRICT_DEPT, BEFORE)
    assert r.clause is Clause.CHOICE
    assert "长沙市望城区人民政府或者长沙市教育局" in r.text
    assert "先向" not in r.text and "六个月" in r.text
    assert "三个月" in remedy(Clause.CHOICE, DISTRICT_DEPT, dt.date(2015, 4, 30)).text


def test_every_report_row_has_an_answer_and_every_answer_a_report_row():
    for code, outcome in catalog.OUTCOMES.items():
        rows = [None] if not outcome.reasons else range(1, len(outcome.reasons) + 1)
        for reason in rows:
            if code == "other" and reason == 3:
                continue  # 其他: no notice of its own
            assert grounds_for(code, reason), (code, reason)
    for g in GROUNDS:
        assert g.outcome in catalog.OUTCOMES
        assert g.reason is None or 1 <= g.reason <= len(catalog.OUTCOMES[g.outcome].reasons)


def test_each_not_processed_ground_cites_its_own_clause():
    cites = {g.code: g.citation for g in GROUNDS if g.outcome == "not_processed"}
    assert cites == {"petition": "第三十九条第一款", "repeat": "第三十六条第（六）项",
                     "publication": "第三十九条第二款", "excessive": "第三十五条",
                     "confirm_or_reissue": "第三十九条第一款"}


def test_one_report_row_can_hold_two_answers():
    assert [g.code for g in grounds_for("disclosed", None)] == ["disclosed", "already_published"]
    assert [g.code for g in grounds_for("unavailable", 1)] == ["not_exist", "not_ours"]
    assert default_ground("withheld", 8).code == "statutory_route"


def test_default_remedy_clauses_and_the_agency_setting():
    assert clause_for(BY_CODE["withhold_6"]) is Clause.RECONSIDERATION_FIRST
    assert clause_for(BY_CODE["partly_disclosed"]) is Clause.RECONSIDERATION_FIRST
    assert clause_for(BY_CODE["statutory_route"]) is Clause.CHOICE  # a referral, not a refusal
    assert clause_for(BY_CODE["not_exist"]) is Clause.CHOICE
    assert clause_for(BY_CODE["not_exist"], frozenset({"not_exist"})) is Clause.RECONSIDERATION_FIRST


def test_an_answers_facts_are_asked_for_and_filled_in():
    g = BY_CODE["not_ours"]
    assert g.missing({}) == []  # the responsible agency may be unknown
    text = g.decision_text({"responsible_agency": "长沙市望城区住房和城乡建设局"})
    assert "《中华人民共和国政府信息公开条例》第三十六条第（五）项" in text
    assert "由长沙市望城区住房和城乡建设局负责公开" in text
    assert "无法确定负责公开" in g.decision_text({})
    published = BY_CODE["already_published"]
    assert published.missing({}) == ["已公开的位置"]


def test_every_answer_fills_its_wording_with_no_placeholder_left():
    for g in GROUNDS:
        text = g.decision_text({n.key: f"【{n.label}】" for n in g.needs})
        assert "{" not in text and "}" not in text, g.code
        assert "《中华人民共和国政府信息公开条例》" in text, g.code
