"""A small register for the annual-report tests: applications of every
kind of applicant and outcome around 2025, a case, section 二's figures."""

from __future__ import annotations

import datetime as dt

from desktop_app.services import applications, report
from desktop_app.services import cases as review_cases
from desktop_app.services import settings as settings_service

TODAY = dt.date(2026, 6, 30)


def add(register, name, received, kind="natural_person", reply=None, outcome=None, reason=None):
    record = {
        "receipt_date": received,
        "applicant_type": "natural_person" if kind == "natural_person" else "organisation",
        "org_kind": None if kind == "natural_person" else kind,
        "applicant_name": name,
        "info_description": f"{name}申请的信息",
        "reply_date": reply,
        "outcome": outcome,
        "outcome_reason": reason,
    }
    if (outcome, reason) != applications.FEE_LAPSE:
        return applications.register_application(register, record, today=TODAY).app_id
    # a fee lapse is closed only once its fee notice is on record
    closing = {k: record.pop(k) for k in ("reply_date", "outcome", "outcome_reason")}
    app_id = applications.register_application(register, record, today=TODAY).app_id
    applications.add_event(register, app_id, "fee_notice", received, {"amount": 100})
    applications.update_application(register, app_id, closing, today=TODAY)
    return app_id


AGENCY = "测试区人民政府办公室"
COLUMN_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def fill_report_register(register):
    """Six applications across 2024-2025 (one carried into 2026), a
    lawsuit and section 二's figures: the register of the report tests."""
    settings_service.update_settings(register, {"agency_name": AGENCY, "agency_phone": "0731-88001234"})
    add(register, "甲", "2024-11-10", reply="2025-02-01", outcome="disclosed")
    add(register, "乙公司", "2025-03-01", "business", "2025-03-20", "withheld", 4)
    add(register, "丙公司", "2025-03-02", "business", "2025-03-21", "withheld", 4)
    add(register, "丁所", "2025-04-01", "legal_services", "2025-04-20", "other", 2)
    add(register, "戊", "2025-12-30")
    add(register, "己", "2025-05-05", reply="2025-05-25", outcome="partly_disclosed")
    review_cases.add_case(register, {"kind": "lawsuit_direct", "filed_date": "2025-06-01",
                                     "closed_date": "2025-11-01", "result": "corrected"}, today=TODAY)
    report.save_section2(register, 2025, {
        "regulations_issued": 0, "regulations_repealed": 0, "regulations_in_force": 2,
        "normative_issued": 5, "normative_repealed": 1, "normative_in_force": 37,
        "licensing_decisions": 1204, "penalty_decisions": 88, "enforcement_decisions": 3,
        "fees_amount": "12.3456"})
    return register
