"""Notices, the application form and envelopes as PDF: the text in each
PDF (extracted with pypdf), page size, embedded fonts, document numbers,
templates."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from reportlab.lib.pagesizes import A4

from desktop_app import __version__
from desktop_app.documents import fonts, templates
from desktop_app.documents.form import render_form
from desktop_app.domain.validation import format_date_cn
from desktop_app.services import applications, notices, printing
from desktop_app.services import settings as settings_service

AGENCY = {
    "agency_name": "望城区人民政府办公室",
    "disclosure_office": "望城区政府信息公开办公室",
    "agency_address": "湖南省长沙市望城区雷锋大道1号",
    "agency_postcode": "410200",
    "agency_phone": "0731-88001234",
    "doc_number_prefix": "望政公开",
    "clerk_name": "李明",
    "reconsideration_body": "长沙市望城区人民政府",
    "litigation_court": "长沙市望城区人民法院",
}

LONG_NAME = "湖南省长沙市某某律师事务所（特殊普通合伙）第三分所关于某某案件代理工作小组"
LONG_CONTENT = ("2025年本区老旧小区改造项目的立项批复文件、资金预算明细、招标文件及中标结果公告，"
                "以及项目竣工验收报告和审计报告的全文，") * 4


def compact(s: str) -> str:
    return re.sub(r"\s+", "", s)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return compact("".join(page.extract_text() for page in reader.pages))


def pages(data: bytes):
    return pypdf.PdfReader(io.BytesIO(data)).pages


@pytest.fixture
def reg(register):
    settings_service.update_settings(register, AGENCY)
    return register


@pytest.fixture
def app_id(reg, person_record):
    return applications.register_application(reg, person_record).app_id


def issue(reg, app_id, kind, again=False, **extras):
    # Dated explicitly: numbers run per year of issue, whatever today is.
    date = None if kind == "reply" else "2026-03-06"
    draft = notices.prepare(reg, app_id, kind, issue_date=date, extras=extras, again=again)
    return notices.issue(reg, draft)


def test_receipt_states_fields_due_date_number_and_article(reg, app_id):
    doc = issue(reg, app_id, "receipt")
    data = printing.notice_pdf(doc.snapshot)
    text = pdf_text(data)
    assert doc.doc_number == "望政公开〔2026〕第1号"
    assert "政府信息公开申请接收回执" in text
    assert doc.doc_number in text
    assert "张某某：" in text
    assert "2026年3月5日" in text and "2026-0001" in text
    assert "2025年本区老旧小区改造项目的立项批复文件" in text
    # 20 working days after 2026-03-05 (no holiday in between): 2026-04-02
    assert "2026年4月2日" in text
    assert "第三十一条、第三十三条" in text
    assert "望城区人民政府办公室" in text
    page = pages(data)[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (round(A4[0]), round(A4[1]))


def test_notice_pdf_metadata_names_the_notice_agency_version_and_number(reg, app_id):
    doc = issue(reg, app_id, "receipt")
    meta = pypdf.PdfReader(io.BytesIO(printing.notice_pdf(doc.snapshot))).metadata
    assert meta.title == "政府信息公开申请接收回执"
    assert meta.author == "望城区人民政府办公室"
    assert meta.creator == f"政府信息公开办理台 {__version__}"
    assert meta.subject == doc.doc_number


def test_embeds_truetype_cjk_font_when_installed(reg, app_id):
    fs = fonts.resolve_fonts(settings_service.get_settings(reg))
    if not fs.embedded:
        pytest.skip("no CJK TrueType font installed here (CI installs fonts-wqy-zenhei)")
    data = printing.notice_pdf(issue(reg, app_id, "receipt").snapshot)
    page = pages(data)[0]
    found = []
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        if font.get("/BaseFont") == "/Helvetica":  # reportlab's initial font, unused
            continue
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        found.append(font["/Subtype"] in ("/TrueType", "/CIDFontType2")
                     and "/FontFile2" in font["/FontDescriptor"].get_object())
    assert found and all(found)


def test_document_numbers_are_sequential_and_never_reused(reg, app_id, person_record):
    numbers = [issue(reg, app_id, "receipt", again=True).doc_number for _ in range(3)]
    assert numbers == ["望政公开〔2026〕第1号", "望政公开〔2026〕第2号", "望政公开〔2026〕第3号"]
    # A document whose row disappears (or whose application is purged) does not free its number.
    reg.store.db.execute("DELETE FROM issued_documents WHERE doc_number = ?", [numbers[-1]])
    assert issue(reg, app_id, "receipt", again=True).doc_number == "望政公开〔2026〕第4号"
    # A new year starts again at 1; the pattern comes from the settings.
    settings_service.update_settings(reg, {"doc_number_pattern": "{前缀}公开〔{年}〕{号:3}号"})
    draft = notices.prepare(reg, app_id, "receipt", issue_date="2027-01-04", again=True)
    assert draft.doc_number == "望政公开公开〔2027〕001号"
    assert notices.issue(reg, draft).doc_number == "望政公开公开〔2027〕001号"


def test_issue_is_recorded_on_the_timeline(reg, app_id):
    doc = issue(reg, app_id, "receipt")
    events = [e for e in applications.events(reg, app_id) if e.kind == notices.EVENT_KIND]
    assert len(events) == 1
    assert events[0].doc_number == doc.doc_number
    assert events[0].data["document"] == "receipt"
    assert events[0].date == doc.issued_on


def test_reprint_is_identical(reg, app_id):
    doc = issue(reg, app_id, "receipt")
    first = printing.notice_pdf(doc.snapshot)
    # The agency's name and wording change afterwards: the reprint does not.
    settings_service.update_settings(reg, {"agency_name": "另一个机关"})
    notices.save_template(reg, "receipt", templates.default_text("receipt").replace("如有疑问", "如有问题"))
    again = notices.find_issued(reg, doc.doc_number)
    assert printing.notice_pdf(again.snapshot) == first


def test_preview_draft_shows_the_number_that_will_be_issued(reg, app_id):
    draft = notices.prepare(reg, app_id, "receipt")
    preview = printing.notice_pdf(draft.snapshot)
    issued = notices.issue(reg, draft)
    assert issued.doc_number == draft.doc_number
    assert printing.notice_pdf(issued.snapshot) == preview


@pytest.mark.parametrize("outcome, reason, wording, article, first", [
    ("disclosed", None, "决定予以公开", "第三十六条第（二）项", False),
    ("partly_disclosed", None, "提供可以公开的部分", "第三十七条", True),
    ("withheld", 1, "国家秘密", "第十四条、第三十六条第（三）项", True),
    ("withheld", 4, "第三方合法权益", "第十五条、第三十二条、第三十六条第（三）项", True),
    ("withheld", 6, "过程性信息", "第十六条第二款", True),
    ("unavailable", 1, "该政府信息不存在", "第三十六条第（四）项", False),
    ("unavailable", 2, "加工、分析", "第三十八条", False),
    ("not_processed", 2, "重复申请", "第三十六条第（六）项", False),
    ("not_processed", 4, "明显超过合理范围", "第三十五条", False),
    ("other", 1, "逾期未补正", "第三十条", False),
    ("other", 2, "逾期未按收费通知要求缴纳", "第四十二条", False),
])
def test_reply_variant_per_outcome(reg, person_record, outcome, reason, wording, article, first):
    closing = {"outcome": outcome, "outcome_reason": reason, "reply_date": "2026-03-20"}
    app_id = applications.register_application(reg, person_record).app_id
    if (outcome, reason) == applications.FEE_LAPSE:  # closed so only once its fee notice is on record
        applications.add_event(reg, app_id, "fee_notice", "2026-03-06", {"amount": 100})
    applications.update_application(reg, app_id, closing)
    doc = issue(reg, app_id, "reply", 不予公开的部分及各自理由="第3页个人身份证号码——个人隐私",
                此前的答复="本机关已于2026年1月5日以望政公开〔2026〕第1号答复")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert wording in text
    assert f"《中华人民共和国政府信息公开条例》{article}" in text
    # the remedy paragraph names the department's own government (reconsideration since 2024)
    if first:
        assert "六十日内先向长沙市望城区人民政府申请行政复议" in text and "未经行政复议不得直接提起行政诉讼" in text
    else:
        assert "六十日内向长沙市望城区人民政府申请行政复议，也可以" in text and "六个月内依法向人民法院提起行政诉讼" in text
    # dated on the reply date
    assert "2026年3月20日" in text and doc.issued_on == "2026-03-20"
    assert "{" not in text and "}" not in text


def test_reply_without_outcome_is_refused(reg, app_id):
    with pytest.raises(notices.NoticeError, match="尚未填写办理结果"):
        notices.prepare(reg, app_id, "reply")


def test_correction_notice_lists_items_and_period(reg, app_id):
    doc = issue(reg, app_id, "correction", 补正内容="1. 请写明文件名称；\n2. 请写明时间范围。")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert "1.请写明文件名称；" in text and "2.请写明时间范围。" in text
    assert "第三十条" in text and "视为放弃申请" in text
    with pytest.raises(notices.NoticeError, match="补正"):
        notices.prepare(reg, app_id, "correction")


def test_extension_notice_dates(reg, app_id):
    doc = issue(reg, app_id, "extension", 延期理由="所需信息涉及多个部门", 批准人="王主任")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert "2026年4月2日" in text        # original due date
    assert "2026年5月6日" in text        # 20 working days later (Qingming, May Day off)
    assert "第三十三条第二款" in text and "所需信息涉及多个部门" in text


def test_third_party_letter_goes_to_the_third_party(reg, app_id):
    doc = issue(reg, app_id, "third-party", 第三方="长沙某某建设工程有限公司")
    snap = doc.snapshot
    assert snap["addressee"] == "长沙某某建设工程有限公司："
    assert snap["recipient"]["name"] == "长沙某某建设工程有限公司"
    text = pdf_text(printing.notice_pdf(snap))
    assert "第三十二条" in text and "同意公开" in text and "不同意公开" in text and "第三方意见回执" in text


def test_fee_notice_states_the_computed_fee(reg, app_id):
    doc = issue(reg, app_id, "fee", 页数=250, 收费方式代码="per_page")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert "4700元" in text and "国办函〔2020〕109号" in text and "按量计收" in text
    assert "第四十二条" in text
    assert doc.snapshot["fee"]["amount"] == 4700


def test_fee_notice_per_piece_counts_the_month(reg, person_record):
    ids = [applications.register_application(reg, dict(person_record, info_description=f"第{i}件申请的内容")).app_id
           for i in range(12)]
    with pytest.raises(notices.NoticeError, match="免费"):
        notices.prepare(reg, ids[0], "fee")
    doc = issue(reg, ids[11], "fee")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert "第12件" in text and "100元" in text and "按件计收" in text


def test_service_form_names_the_receipt_number_and_the_recipient(reg, app_id):
    receipt = issue(reg, app_id, "receipt")
    doc = issue(reg, app_id, "service")
    text = pdf_text(printing.notice_pdf(doc.snapshot))
    assert "送达回证" in text and receipt.doc_number in text
    assert "受送达人签名或盖章" in text and "李明" in text


def test_long_names_and_contents_wrap_and_reply_breaks_cleanly(reg, person_record):
    rec = dict(person_record, applicant_type="organisation", org_kind="legal_services", id_type="uscc",
               id_number=None, applicant_name=LONG_NAME, info_description=LONG_CONTENT,
               outcome="withheld", outcome_reason=4, reply_date="2026-03-20")
    app_id = applications.register_application(reg, rec).app_id
    doc = issue(reg, app_id, "reply")
    data = printing.notice_pdf(doc.snapshot)
    ps = pages(data)
    assert len(ps) == 2
    first, second = (compact(p.extract_text()) for p in ps)
    # page numbers, and the signature kept with the last paragraph on page 2
    assert "—1—" in first and "—2—" in second
    assert "望城区人民政府办公室" in second and "2026年3月20日" in second
    assert "提起行政诉讼" in second
    # nothing lost in wrapping
    assert compact(LONG_NAME) in compact(first)


def test_envelope_alone_and_with_notice(reg, app_id):
    record = applications.get(reg, app_id)
    env = printing.envelope_pdf(notices.envelope_snapshot(reg, record.id))
    (page,) = pages(env)
    assert round(float(page.mediabox.width)) == 624 and round(float(page.mediabox.height)) == 312  # 220×110 mm
    text = compact(page.extract_text())
    assert "310012" in text or all(d in text for d in "310012")
    assert "浙江省杭州市西湖区文三路1号" in text and "张某某收" in text
    assert "410200" in text and "望城区人民政府办公室" in text
    both = pages(printing.notice_pdf(issue(reg, app_id, "receipt").snapshot, with_envelope=True))
    assert len(both) == 2 and round(float(both[1].mediabox.width)) == 624


def test_batch_renders_several_applications_in_one_pdf(reg, person_record):
    ids = [applications.register_application(reg, dict(person_record, applicant_name=f"申请人{i}")).app_id for i in range(3)]
    drafts = notices.prepare_many(reg, ids, "receipt")
    issued = notices.issue_many(reg, drafts)
    data = printing.batch_pdf([d.snapshot for d in issued], envelopes=printing.WITH_ENVELOPE)
    ps = pages(data)
    assert len(ps) == 6
    for i in range(3):
        notice_text = compact(ps[2 * i].extract_text())
        assert f"申请人{i}：" in notice_text and issued[i].doc_number in notice_text
        assert "—1—" in notice_text  # page numbers restart per notice
        assert round(float(ps[2 * i + 1].mediabox.width)) == 624


def test_batch_refuses_all_when_one_cannot_be_made(reg, person_record):
    ok = applications.register_application(reg, dict(person_record, outcome="disclosed", reply_date="2026-03-10")).app_id
    missing = applications.register_application(reg, person_record).app_id
    with pytest.raises(notices.BatchError) as err:
        notices.prepare_many(reg, [ok, missing], "reply")
    assert "2026-0002" in str(err.value)
    assert notices.list_issued(reg) == []


def test_blank_form_has_both_sections(reg):
    data = render_form(None, settings_service.get_settings(reg))
    ps = pages(data)
    assert len(ps) == 1
    text = compact(ps[0].extract_text())
    for field in ("政府信息公开申请表", "公民", "法人或者其他组织", "统一社会信用代码", "法定代表人",
                  "所需信息的内容描述", "载体形式", "获取信息的方式", "申请人签名", "受理编号", "登记人"):
        assert field in text, field
    assert "减免" not in text


def test_filled_form_from_record(reg, app_id):
    applications.update_application(reg, app_id, {"delivery_forms": "paper", "obtain_methods": "post,email"}).changes
    data = render_form(applications.get(reg, app_id), settings_service.get_settings(reg))
    text = pdf_text(data)
    assert "张某某" in text and "11010519491231002X" in text and "2026-0001" in text
    assert "■纸面" in text and "□光盘" in text and "■邮寄" in text and "■电子邮件" in text
    assert format_date_cn("2026-03-05") in text


def test_written_atomically_to_a_path(reg, app_id, tmp_path):
    out = tmp_path / "文书" / "回执.pdf"
    printing.notice_pdf(issue(reg, app_id, "receipt").snapshot, out)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.parent.iterdir()] == ["回执.pdf"]  # no temporary file left


# --- templates ----------------------------------------------------------------------


def test_unknown_placeholder_is_refused_naming_it(reg):
    bad = templates.default_text("receipt") + "\n请携带{身份证复印件}来访。"
    with pytest.raises(templates.TemplateError) as err:
        notices.save_template(reg, "receipt", bad)
    assert "{身份证复印件}" in str(err.value) and "未知的占位符" in str(err.value)
    assert not notices.is_customised(reg, "receipt")


def test_placeholder_of_another_kind_is_refused(reg):
    bad = templates.default_text("receipt") + "\n{收费金额}"
    with pytest.raises(templates.TemplateError, match="不能使用占位符"):
        notices.save_template(reg, "receipt", bad)


def test_unbalanced_brace_and_missing_title_refused():
    with pytest.raises(templates.TemplateError, match="花括号不成对"):
        templates.validate("receipt", "标题：回执\n本机关于{收到日期收到申请。")
    with pytest.raises(templates.TemplateError, match="缺少标题"):
        templates.validate("receipt", "本机关于{收到日期}收到申请。")


def test_every_shipped_template_is_valid():
    for kind in templates.TEMPLATE_KINDS:
        templates.validate(kind, templates.default_text(kind))


def test_edited_template_is_used(reg, app_id):
    text = templates.default_text("receipt").replace("如有疑问，请与本机关联系。", "欢迎监督，经办人：{经办人}。")
    notices.save_template(reg, "receipt", text)
    doc = issue(reg, app_id, "receipt")
    assert "欢迎监督，经办人：李明。" in pdf_text(printing.notice_pdf(doc.snapshot))
    notices.reset_template(reg, "receipt")
    assert notices.template_text(reg, "receipt") == templates.default_text("receipt")


def test_dates_in_a_year_without_official_schedule_are_flagged(reg, person_record):
    rec = dict(person_record, receipt_date="2026-11-20")
    app_id = applications.register_application(reg, rec).app_id
    draft = notices.prepare(reg, app_id, "extension", issue_date="2026-11-25",
                            extras={"延期理由": "需要协调", "批准人": "王主任"})
    assert draft.warnings and "2027年" in draft.warnings[0]
    # the notice itself says its date was counted before the schedule was published
    assert "2027年，系在国务院办公厅公布该年节假日安排前" in pdf_text(printing.notice_pdf(draft.snapshot))
    plain = notices.prepare(reg, app_id, "receipt", issue_date="2026-11-20")
    assert plain.warnings == []


def test_application_under_the_2008_rules_is_flagged(reg, person_record):
    app_id = applications.register_application(reg, dict(person_record, receipt_date="2019-03-01")).app_id
    draft = notices.prepare(reg, app_id, "receipt", issue_date="2019-03-01")
    assert any("2008年" in w for w in draft.warnings)
    assert "2019年3月22日" in pdf_text(printing.notice_pdf(draft.snapshot))  # 15 working days


def test_issue_date_before_receipt_is_refused(reg, app_id):
    with pytest.raises(notices.NoticeError, match="早于收到申请的日期"):
        notices.prepare(reg, app_id, "receipt", issue_date="2026-03-01")
