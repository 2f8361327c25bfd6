"""The remedy paragraph and the citation as printed: the text layer of the
rendered reply notice, for an agency of each kind (a district department,
a tax bureau, a district government), for replies dated just before and
just after the revised 行政复议法 took effect (2024-01-01)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from desktop_app.services import applications, notices, printing
from desktop_app.services import settings as settings_service

AGENCY = {"agency_name": "长沙市望城区某某机关", "doc_number_prefix": "望公开", "clerk_name": "李明"}

PROFILES = {
    "district_department": dict(kind="department", own_government="长沙市望城区人民政府",
                                higher_department="长沙市住房和城乡建设局"),
    "tax_bureau": dict(kind="vertical", higher_department="国家税务总局长沙市税务局"),
    "district_government": dict(kind="government", higher_government="长沙市人民政府"),
}


def text_of(snapshot) -> str:
    reader = pypdf.PdfReader(io.BytesIO(printing.notice_pdf(snapshot)))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def reply_text(register, person_record, profile, reply_date, outcome, reason=None, **extras) -> str:
    settings_service.update_settings(register, AGENCY)
    p = dict(PROFILES[profile])
    settings_service.set_agency_profile(register, p.pop("kind"), **p)
    rec = dict(person_record, receipt_date="2023-12-01", outcome=outcome, outcome_reason=reason,
               reply_date=reply_date)
    app_id = applications.register_application(register, rec).app_id
    doc = notices.issue(register, notices.prepare(register, app_id, "reply", extras=extras))
    assert doc.issued_on == reply_date
    return text_of(doc.snapshot)


@pytest.mark.parametrize("profile, bodies_after, bodies_before", [
    ("district_department", "长沙市望城区人民政府", "长沙市望城区人民政府或者长沙市住房和城乡建设局"),
    ("tax_bureau", "国家税务总局长沙市税务局", "国家税务总局长沙市税务局"),
    ("district_government", "长沙市人民政府", "长沙市人民政府"),
])
def test_withheld_reply_after_2024_says_reconsideration_first_to_the_right_body(
        register, person_record, profile, bodies_after, bodies_before):
    text = reply_text(register, person_record, profile, "2024-01-02", "withheld", 6)
    assert "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项" in text
    assert f"应当自知道该行政行为之日起六十日内先向{bodies_after}申请行政复议" in text
    assert "第二十三条第一款第（四）项和第二款" in text
    assert "十五日内依法向人民法院提起行政诉讼，未经行政复议不得直接提起行政诉讼" in text
    assert "六个月内" not in text


@pytest.mark.parametrize("profile, bodies_before", [
    ("district_department", "长沙市望城区人民政府或者长沙市住房和城乡建设局"),
    ("tax_bureau", "国家税务总局长沙市税务局"),
    ("district_government", "长沙市人民政府"),
])
def test_withheld_reply_dated_2023_keeps_the_wording_of_its_day(register, person_record, profile, bodies_before):
    text = reply_text(register, person_record, profile, "2023-12-29", "withheld", 6)
    assert f"六十日内向{bodies_before}申请行政复议，也可以自知道作出行政行为之日起六个月内" in text
    assert "先向" not in text and "未经行政复议不得" not in text


@pytest.mark.parametrize("profile, body", [
    ("district_department", "长沙市望城区人民政府"),
    ("tax_bureau", "国家税务总局长沙市税务局"),
    ("district_government", "长沙市人民政府"),
])
def test_other_answers_keep_the_choice_after_2024(register, person_record, profile, body):
    text = reply_text(register, person_record, profile, "2024-01-02", "unavailable", 1)
    assert "《中华人民共和国政府信息公开条例》第三十六条第（四）项" in text
    assert f"六十日内向{body}申请行政复议，也可以自知道该行政行为之日起六个月内依法向人民法院提起行政诉讼" in text
    assert "先向" not in text


def test_partial_disclosure_words_each_part_and_its_remedy(register, person_record):
    text = reply_text(register, person_record, "district_department", "2024-01-02", "partly_disclosed",
                      不予公开的部分及各自理由="第3页个人身份证号码——个人隐私")
    assert "第三十七条" in text and "第3页个人身份证号码——个人隐私" in text
    assert "如对本答复中不予公开的部分不服" in text and "先向长沙市望城区人民政府申请行政复议" in text
    assert "如对本答复的其他内容不服，可以自知道该行政行为之日起六十日内向长沙市望城区人民政府申请行政复议" in text


def test_the_agency_may_move_an_answer_to_reconsideration_first(register, person_record):
    settings_service.set_remedy_first_grounds(register, ["not_exist"])
    text = reply_text(register, person_record, "district_government", "2024-01-02", "unavailable", 1)
    assert "先向长沙市人民政府申请行政复议" in text


@pytest.mark.parametrize("ground, facts, citation, wording", [
    ("already_published", {"已公开的位置": "区政府门户网站“政府信息公开”栏目"}, "第三十六条第（一）项",
     "现告知您获取该政府信息的方式和途径：区政府门户网站"),
    ("not_ours", {"负责公开的机关": "长沙市望城区自然资源局（电话0731-88000000）"}, "第三十六条第（五）项",
     "该政府信息由长沙市望城区自然资源局（电话0731-88000000）负责公开"),
])
def test_answers_sharing_a_report_row_have_their_own_wording_and_clause(
        register, person_record, ground, facts, citation, wording):
    outcome, reason = ("disclosed", None) if ground == "already_published" else ("unavailable", 1)
    text = reply_text(register, person_record, "district_department", "2024-01-02", outcome, reason,
                      答复类型=ground, **facts)
    assert f"《中华人民共和国政府信息公开条例》{citation}" in text and wording in text


def test_statutory_route_is_a_referral_counted_as_withheld_8(register, person_record):
    text = reply_text(register, person_record, "district_department", "2024-01-02", "withheld", 8,
                      依法查询的途径="向不动产登记机构申请查询")
    assert "第三十六条第（七）项" in text and "请您按照有关法律、行政法规的规定办理：向不动产登记机构申请查询" in text
    assert "决定不予公开" not in text


def test_reply_without_an_agency_kind_is_refused_saying_where_to_set_it(register, person_record):
    rec = dict(person_record, outcome="withheld", outcome_reason=1, reply_date="2026-03-20")
    app_id = applications.register_application(register, rec).app_id
    with pytest.raises(notices.NoticeError, match="救济途径"):
        notices.prepare(register, app_id, "reply")


def test_agency_profile_needs_the_body_its_kind_names(register):
    with pytest.raises(settings_service.AgencyProfileError, match="上一级主管部门全称"):
        settings_service.set_agency_profile(register, "vertical")
    with pytest.raises(settings_service.AgencyProfileError, match="未知的机关类别"):
        settings_service.set_agency_profile(register, "bureau")
    settings_service.set_agency_profile(register, "government", higher_government="长沙市人民政府")
    profile = settings_service.agency_profile(register)
    assert profile.kind.value == "government" and profile.higher_government == "长沙市人民政府"
    audited = register.store.audit.history("setting", "agency_kind")
    assert audited and audited[-1].new_values == {"agency_kind": "government"}
