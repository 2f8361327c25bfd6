"""Every PDF the app makes, filled with long, realistic values that provoke
line breaks (long organisation names and addresses, long 申请内容, a long
文号 prefix, 18-digit ID numbers, dates and counts everywhere).

Used by tests/test_typesetting.py; run it as a script to write the PDFs
(and PNGs at 60 dpi, for looking at them) into a folder::

    python tests/typeset_samples.py /tmp/typeset
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from desktop_app.documents import render
from desktop_app.documents.deadline_pdf import render_breakdown
from desktop_app.documents.form import render_form
from desktop_app.documents.report_export import export_report
from desktop_app.domain import catalog
from desktop_app.services import applications, cases, deadlines, notices, report, steps
from desktop_app.services.session import Session, create_register
from desktop_app.services.settings import get_settings, update_settings

TODAY = dt.date(2026, 11, 25)

AGENCY = {
    "agency_name": "长沙市望城区住房和城乡建设局（区人民防空办公室）",
    "disclosure_office": "长沙市望城区住房和城乡建设局政府信息公开工作办公室",
    "agency_address": "湖南省长沙市望城区高塘岭街道雷锋大道与金星北路交汇处望城区政务服务中心东楼12层1208室",
    "agency_postcode": "410200",
    "agency_phone": "0731-88001234",
    "doc_number_prefix": "望住建政公开",
    "clerk_name": "欧阳晓明",
    "reconsideration_body": "长沙市望城区人民政府（长沙市望城区行政复议局）",
    "litigation_court": "长沙铁路运输法院（长沙市行政案件集中管辖法院）",
    "fee_payment": "请持本通知书到本机关政府信息公开工作机构（望城区政务服务中心东楼12层1208室）办理缴费手续，"
                   "或通过湖南省非税收入电子缴款平台缴纳，缴款码20260000123456789012",
}

ORG_NAME = "湖南省长沙市某某律师事务所（特殊普通合伙）第三分所关于某某房地产开发有限公司项目代理工作小组"
PERSON_NAME = "欧阳某某"
ID_NUMBER = "430105194912310024"
USCC = "91430100MA4L8XYD9J"
ADDRESS = "湖南省长沙市望城区高塘岭街道郭亮中路188号金域华府小区三期12栋2单元1802室（请电话联系：13812345678）"
CONTENT = ("2025年本区老旧小区改造项目（第二批，共计36个小区）的立项批复文件、资金预算明细（含中央和省级补助资金"
           "2,350.5万元）、招标文件及中标结果公告，以及项目竣工验收报告和审计报告的全文，文号为望住建发〔2025〕第128号；"
           "另请提供2025年12月31日前已拨付资金的明细表，包括每个小区的拨付金额、拨付日期和收款单位名称，"
           "并注明截至2026年3月5日的工程进度（以百分比表示，例如85%）。") * 2
THIRD_PARTY = "湖南省望城某某建筑工程集团有限公司第八分公司（原长沙市望城区某某建筑安装工程有限责任公司）"
THIRD_PARTY_ADDRESS = "湖南省长沙市望城区丁字湾街道书堂山社区建材市场北门东侧第三栋二层208号至212号"


def _register(folder: Path) -> Session:
    register = create_register(folder / "register.db")
    update_settings(register, AGENCY)
    return register


def _person(**extra) -> dict:
    rec = {
        "receipt_date": dt.date(2026, 3, 5),
        "channel": "in_person",
        "applicant_type": "natural_person",
        "applicant_name": PERSON_NAME,
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "work_unit": "湖南省长沙市望城区高塘岭街道社区卫生服务中心（望城区第二人民医院分院）",
        "phone": "13812345678",
        "email": "ouyang.mouomou.applicant2026@example-mail-service.com.cn",
        "address": ADDRESS,
        "postcode": "410200",
        "info_description": CONTENT,
        "info_title": "关于下达2025年望城区老旧小区改造项目（第二批）中央预算内投资计划的通知",
        "info_doc_number": "望住建发〔2025〕第128号",
        "info_purpose": "了解本人所住小区改造资金的使用情况，以便在业主大会上向其他业主说明",
        "delivery_forms": "paper,electronic",
        "obtain_methods": "post,email",
    }
    rec.update(extra)
    return rec


def _org(**extra) -> dict:
    rec = _person(applicant_type="organisation", org_kind="legal_services", applicant_name=ORG_NAME,
                  id_type="uscc", id_number=USCC, legal_rep="司马某某", contact_name="诸葛某某",
                  work_unit=None, channel="letter")
    rec.update(extra)
    return rec


#: What the clerk writes for the answers that need it (reply_grounds.Need labels).
REPLY_FACTS = {
    "不予公开的部分及各自理由": "第3页至第5页所列自然人的身份证号码和住址——属于个人隐私，公开会对第三方合法权益造成损害",
    "此前的答复": "本机关已于2026年1月5日以望住建政公开〔2026〕第3号告知书作出答复",
    "已公开的位置": "长沙市望城区人民政府门户网站“政府信息公开”栏目（www.wangcheng.gov.cn），也可到区档案馆政府信息查阅点查阅",
    "处理情况及依据": "您于2026年3月10日书面撤回该申请，本机关终止处理",
    "依法查询的途径": "向长沙市望城区不动产登记中心申请查询不动产登记资料（《不动产登记暂行条例》第二十七条）",
}


def _issue(register, app_id, kind, date="2026-03-06", again=False, **extras):
    draft = notices.prepare(register, app_id, kind, issue_date=date, extras=extras, again=again)
    return notices.issue(register, draft).snapshot


def _new(register) -> int:
    """A further application of the natural person (each step on its own)."""
    return applications.register_application(register, _person(), today=TODAY).app_id


def notice_snapshots(register) -> dict[str, dict]:
    """Every notice kind, every reply variant; name -> snapshot."""
    out: dict[str, dict] = {}
    person = _new(register)
    org = applications.register_application(register, _org(), today=TODAY).app_id
    # Numbers with two digits make the 文号 longer.
    for _ in range(11):
        _issue(register, person, "receipt", again=True)
    out["receipt"] = _issue(register, person, "receipt", again=True)
    out["receipt_org"] = _issue(register, org, "receipt")
    out["correction"] = _issue(
        register, person, "correction",
        补正内容=("1. 请写明所需政府信息的名称、文号或者其他特征性描述，例如“望住建发〔2025〕第128号”；\n"
              "2. 请写明所需信息的形成时间范围（如2025年1月1日至2025年12月31日）；\n"
              "3. 请提供申请人有效身份证件（居民身份证号码为18位）的复印件1份。"))
    # each step on its own application: an application awaiting correction
    # can be neither extended nor sent to a third party
    out["extension"] = _issue(
        register, _new(register), "extension",
        批准人="王某某", 延期理由=("所申请的信息涉及本机关、长沙市望城区财政局和长沙市望城区审计局等3个单位共计36个项目的资料，"
              "需要逐项查找、核对和区分处理"))
    out["third_party"] = _issue(register, _new(register), "third_party", 第三方=THIRD_PARTY,
                                第三方地址=THIRD_PARTY_ADDRESS, 第三方邮编="410213")
    out["later_date"] = _issue(register, _new(register), "later_date", 另行确定期限="2026-06-30",
                               理由="所申请的36个项目的资料分散保存在3个单位，需要逐项调取、核对")
    out["fee_per_page"] = _issue(register, org, "fee", 页数=1250, 收费方式代码="per_page")
    for code, outcome in catalog.OUTCOMES.items():
        reasons = range(1, len(outcome.reasons) + 1) if outcome.reasons else [None]
        for reason in reasons:
            rec = _person(outcome=code, outcome_reason=reason, reply_date="2026-03-20")
            app_id = register_closed(register, rec)
            name = f"reply_{code}" + (f"_{reason}" if reason else "")
            out[name] = _issue(register, app_id, "reply", date=None, **REPLY_FACTS)
    out["service"] = _issue(register, person, "service", 送达地点=ADDRESS,
                            备注="受送达人拒绝签收的，送达人应在备注栏注明拒收事由和日期（2026年3月6日），"
                                 "并由见证人签名；邮寄送达的，以回执上注明的收件日期为送达日期。")
    out["_person_id"] = person
    out["_org_id"] = org
    return out


def register_closed(register, record: dict) -> int:
    """Register an application already closed; a fee lapse only once a
    fee notice is on record (on its receipt date), as the services require."""
    if (record.get("outcome"), record.get("outcome_reason")) != applications.FEE_LAPSE:
        return applications.register_application(register, record, today=TODAY).app_id
    closing = {k: record.pop(k) for k in ("reply_date", "outcome", "outcome_reason")}
    app_id = applications.register_application(register, record, today=TODAY).app_id
    applications.add_event(register, app_id, "fee_notice", record["receipt_date"], {"amount": 100})
    applications.update_application(register, app_id, closing, today=TODAY)
    return app_id


def _report_register(folder: Path) -> Session:
    register = create_register(folder / "report.db")
    update_settings(register, AGENCY)
    kinds = [catalog.NATURAL_PERSON, *catalog.ORG_KINDS]
    outcomes = [(code, r) for code, o in catalog.OUTCOMES.items()
                for r in (range(1, len(o.reasons) + 1) if o.reasons else [None])]
    n = 0
    for k, kind in enumerate(kinds):
        for j, (code, reason) in enumerate(outcomes):
            if (j + k) % 3:
                continue
            n += 1
            register_closed(register, {
                "receipt_date": f"2025-{1 + n % 11:02d}-{1 + n % 27:02d}",
                "applicant_type": "natural_person" if kind == catalog.NATURAL_PERSON else "organisation",
                "org_kind": None if kind == catalog.NATURAL_PERSON else kind,
                "applicant_name": f"申请人{n}",
                "info_description": f"第{n}件申请的信息",
                "reply_date": f"2025-{1 + n % 11:02d}-28",
                "outcome": code, "outcome_reason": reason})
    for i in range(9):  # carried forward into 2026
        applications.register_application(
            register, {"receipt_date": "2025-12-2%d" % (i % 9 + 1), "applicant_type": "natural_person",
                       "applicant_name": f"结转{i}", "info_description": "结转的申请"}, today=TODAY)
    cases.add_case(register, {"kind": "lawsuit_direct", "filed_date": "2025-06-01",
                              "closed_date": "2025-11-01", "result": "corrected"}, today=TODAY)
    report.save_section2(register, 2025, {
        "regulations_issued": 0, "regulations_repealed": 0, "regulations_in_force": 2,
        "normative_issued": 15, "normative_repealed": 1, "normative_in_force": 137,
        "licensing_decisions": 12046, "penalty_decisions": 1088, "enforcement_decisions": 31,
        "fees_amount": "1234.56"})
    return register


def report_documents(folder: Path) -> dict[str, dict]:
    """The annual report: the draft (with 【请补充】 passages) and the
    same report with every passage written."""
    register = _report_register(folder)
    draft = report.build_document(register, 2025)
    final = dict(draft)
    for key in ("preamble", "section1", "section5", "section6"):
        final[key] = final[key].replace("【请补充：", "（已补充：").replace("】", "）")
    return {"report_draft": draft, "report_final": final}


def breakdown_pdf(register, app_id) -> bytes:
    steps.record_step(register, app_id, "third_party_sent", "2026-03-09", {"third_party": THIRD_PARTY}, today=TODAY)
    steps.record_step(register, app_id, "third_party_replied", "2026-03-16", {}, today=TODAY)
    app = applications.get(register, app_id)
    header = [("机关", AGENCY["agency_name"]), ("申请编号", app.serial), ("申请人", app.applicant_name),
              ("收到日期", app.receipt_date), ("当前状态", "办理中，答复期限 2026-04-13（征求第三方意见期间不计算在内）")]
    return render_breakdown(deadlines.breakdowns(register, app_id), header, settings=get_settings(register))


def all_pdfs(folder: Path) -> dict[str, bytes]:
    """name -> PDF bytes of every PDF the app makes."""
    folder.mkdir(parents=True, exist_ok=True)
    register = _register(folder)
    settings = get_settings(register)
    snaps = notice_snapshots(register)
    person, org = snaps.pop("_person_id"), snaps.pop("_org_id")
    out: dict[str, bytes] = {name: render.render_notice(snap) for name, snap in snaps.items()}
    out["form_blank"] = render_form(None, settings)
    out["form_person"] = render_form(applications.get(register, person), settings)
    out["form_org"] = render_form(applications.get(register, org), settings)
    out["envelope"] = render.render_envelope(notices.envelope_snapshot(register, org))
    out["envelope_third_party"] = render.render_envelope(snaps["third_party"])
    batch = [snaps["receipt"], snaps["receipt_org"], snaps["reply_withheld_4"]]
    out["batch"] = render.render_batch(batch, envelopes=render.WITH_ENVELOPE)
    out["breakdown"] = breakdown_pdf(register, _new(register))
    for name, document in report_documents(folder).items():
        path = folder / f"{name}.pdf"
        export_report(document, path, settings)
        out[name] = path.read_bytes()
    register.close()
    return out


def main(argv: list[str]) -> int:
    import subprocess

    folder = Path(argv[1] if len(argv) > 1 else "typeset-samples")
    pdfs = all_pdfs(folder / "work")
    for name, data in pdfs.items():
        (folder / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(folder / f"{name}.pdf"), str(folder / name)],
                       check=False)
    print(f"{len(pdfs)} PDFs in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
