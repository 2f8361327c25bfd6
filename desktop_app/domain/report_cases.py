"""Validation of a reconsideration or litigation case (行政复议、行政诉讼
案件), the records counted in section 四 of the annual report."""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .report_stats import CASE_KINDS, CASE_RESULTS
from .validation import parse_date

CASE_FIELDS = ["kind", "case_number", "filed_date", "closed_date", "result",
               "application_id", "party", "body", "notes"]

CASE_FIELD_LABELS = {
    "kind": "案件类型",
    "case_number": "案号",
    "filed_date": "立案（申请）日期",
    "closed_date": "审结日期",
    "result": "结果",
    "application_id": "关联申请",
    "party": "申请人（原告）",
    "body": "复议机关（法院）",
    "notes": "备注",
}


def clean_case(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CASE_FIELDS:
        if key not in record:
            continue
        v = record[key]
        if isinstance(v, str):
            v = v.strip() or None
        if key in ("filed_date", "closed_date") and v is not None:
            with contextlib.suppress(ValueError):  # an odd date stays as written
                parsed = parse_date(v)
                if parsed is not None:
                    v = parsed.isoformat()
        out[key] = v
    return out


def validate_case(record: Mapping[str, Any], today: _dt.date | None = None) -> dict[str, str]:
    """``{field: message}`` of a case record (empty when valid)."""
    today = today or _dt.date.today()
    errors: dict[str, str] = {}
    if record.get("kind") not in CASE_KINDS:
        errors["kind"] = "请选择案件类型：行政复议、行政诉讼（未经复议直接起诉）或行政诉讼（复议后起诉）。"
    result = record.get("result") or "pending"
    if result not in CASE_RESULTS:
        errors["result"] = "结果无效，应为结果维持、结果纠正、其他结果或尚未审结。"
    filed = closed = None
    try:
        filed = parse_date(record.get("filed_date"))
    except ValueError:
        errors["filed_date"] = "立案（申请）日期不是有效日期，请按 2026-03-05 的格式填写。"
    if filed is None and "filed_date" not in errors:
        errors["filed_date"] = "请填写立案（申请）日期。"
    elif filed and filed > today:
        errors["filed_date"] = "立案（申请）日期不能晚于今天，请核对。"
    try:
        closed = parse_date(record.get("closed_date"))
    except ValueError:
        errors["closed_date"] = "审结日期不是有效日期，请按 2026-03-05 的格式填写。"
    if closed is not None:
        if filed and closed < filed:
            errors["closed_date"] = "审结日期不能早于立案（申请）日期，请核对。"
        elif closed > today:
            errors["closed_date"] = "审结日期不能晚于今天，请核对。"
        elif result == "pending" and "result" not in errors:
            errors["result"] = "已填写审结日期，请选择审结结果（结果维持、结果纠正或其他结果）。"
    elif result != "pending" and result in CASE_RESULTS and "closed_date" not in errors:
        errors["closed_date"] = "已选择审结结果，请填写审结日期。"
    if record.get("case_number") and len(str(record["case_number"])) > 100:
        errors["case_number"] = "案号过长，请核对。"
    return errors


@dataclass(frozen=True, kw_only=True)
class ReviewCase:
    """A reconsideration or litigation case as the register holds it."""

    id: int
    kind: str
    case_number: str | None = None
    filed_date: str
    closed_date: str | None = None
    result: str = "pending"
    application_id: int | None = None
    party: str | None = None
    body: str | None = None
    notes: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    #: the 申请编号 of the linked application (read with the case)
    application_serial: str | None = None

    def values(self) -> dict[str, Any]:
        """Field → value of the fields a clerk sets (:data:`CASE_FIELDS`)."""
        return {name: getattr(self, name) for name in CASE_FIELDS}
