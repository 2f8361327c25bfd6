"""A notice and its step are one act; a notice once issued is a record;
the case's own numbers; third parties from the day they receive the
letter; the fee lapse needs a fee notice; the texts a natural person and an
organisation receive."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from desktop_app.services import applications, deadlines, notices, printing, steps
from desktop_app.services import settings as settings_service
from desktop_app.services.errors import ValidationError

AGENCY = {"agency_name": "长沙市望城区某某局", "doc_number_prefix": "望公开", "clerk_name": "李明",
          "agency_address": "长沙市望城区雷锋大道1号"}


def text_of(snapshot) -> str:
    reader = pypdf.PdfReader(io.BytesIO(printing.notice_pdf(snapshot)))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def reg(register):
    settings_service.update_settings(register, AGENCY)
    settings_service.set_agency_profile(register, "department", own_government="长沙市望城区人民政府")
    return register


def add(reg, person_record, **changes) -> int:
    return applications.register_application(reg, dict(person_record, **changes)).app_id


def kinds_on_timeline(reg, app_id) -> list[str]:
    return [e.kind for e in applications.events(reg, app_id)]


def test_extension_notice_without_its_step_or_an_approver_is_refused(reg, person_record):
    app_id = add(reg, person_record)
    with pytest.raises(notices.NoticeError, match="批准延期的负责人"):
        notices.prepare(reg, app_id, "extension", issue_date="2026-03-20", extras={"延期理由": "涉及多个部门"})
    assert "extension" not in kinds_on_timeline(reg, app_id)
    assert notices.list_issued(reg, app_id) == []


def test_extension_notice_with_its_approver_records_the_extension_with_the_same_due_date(reg, person_record):
    app_id = add(reg, person_record)
    draft = notices.prepare(reg, app_id, "extension", issue_date="2026-03-20",
                            extras={"延期理由": "涉及多个部门", "批准人": "王主任"})
    doc = notices.issue(reg, draft)
    ext = [e for e in applications.events(reg, app_id) if e.kind == "extension"]
    assert len(ext) == 1 and ext[0].data["approver"] == "王主任" and ext[0].doc_number == doc.doc_number
    due = applications.get(reg, app_id).due_date
    assert due == "2026-05-06"
    assert "2026年5月6日" in text_of(doc.snapshot) and "延长20个工作日" in text_of(doc.snapshot)


def test_correction_notice_stops_the_clock_and_lists_its_own_items(reg, person_record):
    app_id = add(reg, person_record)
    doc = notices.issue(reg, notices.prepare(reg, app_id, "correction", issue_date="2026-03-06",
                                             extras={"补正内容": "1. 请写明文件的形成年份"}))
    st = deadlines.state_of(reg, app_id)
    assert st.correction is not None and st.correction["items"] == "1. 请写明文件的形成年份"
    assert st.clock_state == "paused_correction"
    text = text_of(doc.snapshot)
    assert "1.请写明文件的形成年份" in text and "申请内容不明确" not in text
    assert "补正期限为15个工作日" in text


def test_third_party_and_fee_notices_record_their_steps(reg, person_record):
    app_id = add(reg, person_record)
    notices.issue(reg, notices.prepare(reg, app_id, "third_party", issue_date="2026-03-06",
                                       extras={"第三方": "长沙某某公司"}))
    assert deadlines.state_of(reg, app_id).third_parties[0]["name"] == "长沙某某公司"
    with pytest.raises(notices.NoticeError, match="免费"):
        notices.prepare(reg, app_id, "fee", issue_date="2026-03-06")
    assert "fee_notice" not in kinds_on_timeline(reg, app_id)


def test_notice_of_a_recorded_step_takes_the_steps_values(reg, person_record):
    app_id = add(reg, person_record)
    steps.record_step(reg, app_id, "extension", "2026-03-20",
                      {"approver": "王主任", "approved_on": "2026-03-20", "reason": "档案在外地", "days": 10})
    doc = notices.issue(reg, notices.prepare(reg, app_id, "extension", issue_date="2026-03-20"))
    text = text_of(doc.snapshot)
    assert "延长10个工作日" in text and "档案在外地" in text
    assert kinds_on_timeline(reg, app_id).count("extension") == 1


def test_extension_notice_of_a_2008_rule_case_says_15(reg, person_record):
    app_id = add(reg, person_record, receipt_date="2019-03-01")
    doc = notices.issue(reg, notices.prepare(reg, app_id, "extension", issue_date="2019-03-15",
                                             extras={"延期理由": "需要调档", "批准人": "王主任"}))
    text = text_of(doc.snapshot)
    assert "答复期限延长15个工作日" in text and "20个工作日" not in text
    receipt = notices.prepare(reg, app_id, "receipt", issue_date="2019-03-01")
    assert "收到申请之日起15个工作日内" in text_of(receipt.snapshot)


def test_receipt_reprinted_after_a_correction_is_the_text_first_issued(reg, person_record):
    app_id = add(reg, person_record)
    first = notices.issue(reg, notices.prepare(reg, app_id, "receipt", issue_date="2026-03-05"))
    original = text_of(first.snapshot)
    assert "2026年4月2日" in original  # 20 working days after 5 March
    notices.issue(reg, notices.prepare(reg, app_id, "correction", issue_date="2026-03-06",
                                       extras={"补正内容": "请写明年份"}))
    steps.record_step(reg, app_id, "corrected", "2026-03-16", {})
    reprint = notices.find_issued(reg, first.doc_number)
    assert text_of(reprint.snapshot) == original and reprint.doc_number == first.doc_number
    # issuing the kind again asks first, naming the earlier number
    with pytest.raises(notices.AlreadyIssuedError, match=re.escape(first.doc_number)):
        notices.prepare(reg, app_id, "receipt", issue_date="2026-03-16")
    again = notices.issue(reg, notices.prepare(reg, app_id, "receipt", issue_date="2026-03-16", again=True))
    assert again.doc_number != first.doc_number and "2026年4月14日" in text_of(again.snapshot)


def test_third_partys_deadline_counts_from_delivery_across_a_holiday(reg, person_record):
    app_id = add(reg, person_record, receipt_date="2026-09-21")
    steps.record_step(reg, app_id, "third_party_sent", "2026-09-24", {"third_party": "某公司"})
    steps.record_step(reg, app_id, "third_party_delivered", "2026-09-29", {"third_party": "某公司"})
    tp = deadlines.state_of(reg, app_id).third_parties[0]
    # 15 working days from 29 September over the National Day week (1-7 October off, Saturday
    # 10 October worked): 26 October, not 19 October as counted from the sending day
    assert tp["delivered"] == dt.date(2026, 9, 29) and tp["deadline"] == dt.date(2026, 10, 26)
    st = deadlines.state_of(reg, app_id)
    assert st.clock_state == "paused_third_party"


def test_co_makers_letter_cites_article_34_and_silence_as_consent(reg, person_record):
    app_id = add(reg, person_record)
    doc = notices.issue(reg, notices.prepare(reg, app_id, "third_party", issue_date="2026-03-06",
                                             extras={"第三方": "长沙市望城区财政局", "征求对象": "co_maker"}))
    text = text_of(doc.snapshot)
    assert "第三十四条" in text and "逾期未提出意见的，视为同意公开" in text
    assert deadlines.state_of(reg, app_id).third_parties[0]["role"] == "co_maker"


def test_third_party_letter_never_asks_for_a_reply_before_its_own_date(reg, person_record):
    app_id = add(reg, person_record, receipt_date="2026-11-02")
    steps.record_step(reg, app_id, "third_party_sent", "2026-11-03", {"third_party": "某公司"},
                      today=dt.date(2026, 12, 3))
    doc = notices.issue(reg, notices.prepare(reg, app_id, "third_party", issue_date="2026-12-03",
                                             extras={"第三方": "某公司"}))
    text = text_of(doc.snapshot)
    assert "2026年12月3日" in text and "自收到本函之日起15个工作日内" in text
    assert "12月1日" not in text


def test_fee_lapse_closure_without_a_fee_notice_is_refused(reg, person_record):
    app_id = add(reg, person_record)
    with pytest.raises(ValidationError, match="没有出具过收费金额大于零的收费通知书"):
        applications.update_application(reg, app_id, {"outcome": "other", "outcome_reason": 2,
                                                       "reply_date": "2026-04-20"})
    assert applications.get(reg, app_id).outcome is None
    steps.record_step(reg, app_id, "fee_notice", "2026-03-10", {"amount": 100})
    applications.update_application(reg, app_id, {"outcome": "other", "outcome_reason": 2,
                                                  "reply_date": "2026-04-20"})
    assert applications.get(reg, app_id).outcome == "other"


def test_a_person_is_addressed_as_you_an_organisation_as_your_unit(reg, person_record):
    person = add(reg, person_record, info_description="2025年的招标文件。")
    org = add(reg, person_record, applicant_type="organisation", org_kind="business", id_type="uscc",
              id_number=None, applicant_name="长沙某某有限公司")
    p_text = text_of(notices.prepare(reg, person, "receipt", issue_date="2026-03-05").snapshot)
    o_text = text_of(notices.prepare(reg, org, "receipt", issue_date="2026-03-05").snapshot)
    assert "您（单位）" not in p_text and "收到您提出的" in p_text
    assert "您（单位）" not in o_text and "收到你单位提出的" in o_text and "你单位申请公开的信息为" in o_text
    assert "您" not in o_text.split("：", 1)[1]  # no 您 anywhere in what an organisation receives
    assert "。”" not in p_text and "“2025年的招标文件”。" in p_text


def test_due_date_in_a_year_without_schedule_is_marked_on_the_notice(reg, person_record):
    app_id = applications.register_application(reg, dict(person_record, receipt_date="2026-12-10"),
                                               today=dt.date(2026, 12, 10)).app_id
    draft = notices.prepare(reg, app_id, "receipt", issue_date="2026-12-10")
    text = text_of(draft.snapshot)
    # 20 working days: 1 January 2027 (statutory, schedule not yet published) is not counted
    assert "即2027年1月8日前作出答复" in text
    assert "按《全国年节及纪念日放假办法》规定的法定节假日推算" in text


def test_article_35_later_date_has_its_own_notice_and_records_the_step(reg, person_record):
    app_id = add(reg, person_record)
    with pytest.raises(notices.NoticeError, match="请填写另行确定的答复期限"):
        notices.prepare(reg, app_id, "later_date", issue_date="2026-03-20")
    doc = notices.issue(reg, notices.prepare(reg, app_id, "later_date", issue_date="2026-03-20",
                                             extras={"另行确定期限": "2026-06-30", "理由": "资料分散在3个单位"}))
    text = text_of(doc.snapshot)
    assert "《中华人民共和国政府信息公开条例》第三十五条" in text and "确定答复期限为2026年6月30日" in text
    assert applications.get(reg, app_id).due_date == "2026-06-30"


def test_overdue_is_a_filterable_status_of_the_register(reg, person_record):
    late = add(reg, person_record)                                   # due 2026-04-02, no reply
    paused = add(reg, person_record, applicant_name="王某")
    steps.record_step(reg, paused, "correction_requested", "2026-03-06", {"items": "写明年份", "period_days": 15})
    add(reg, person_record, applicant_name="赵某", outcome="disclosed", reply_date="2026-03-20")
    found = applications.search(reg, applications.ApplicationQuery(status="overdue", today=dt.date(2026, 4, 3)))
    assert [a.id for a in found] == [late]
    assert applications.search(reg, applications.ApplicationQuery(status="overdue", today=dt.date(2026, 4, 2))) == []
    # the register's list (the GUI's 逾期 filter) reads the same rows through its own SQL path
    overdue = applications.ApplicationQuery(status="overdue", today=dt.date(2026, 4, 3))
    assert list(applications.register_ids(reg, overdue)) == [late]
