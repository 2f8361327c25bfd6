"""Validation of an application record: checksums, formats, required
fields and date rules.  Plain Python; the GUI form, the importer and the
CLI all call :func:`validate_application`.

Every message is a Chinese sentence that tells the clerk what to fix.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from . import catalog

# --- GB 11643-1999: citizen identification number --------------------------

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_error(number: str) -> str | None:
    """None if ``number`` is a valid 18-character resident ID number,
    else a message saying what is wrong."""
    n = (number or "").strip().upper()
    if len(n) != 18:
        return f"身份证号码应为18位，现为{len(n)}位，请核对。"
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return "身份证号码前17位应为数字，最后一位为数字或X，请核对。"
    try:
        _dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return "身份证号码中的出生日期（第7至14位）不是有效日期，请核对。"
    if resident_id_check_char(n[:17]) != n[17]:
        return "身份证号码校验位不正确（可能有数字录错），请核对后重新输入。"
    return None


# --- GB 32100-2015: unified social credit code -------------------------------

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """None if ``code`` is a valid 18-character unified social credit code."""
    c = (code or "").strip().upper()
    if len(c) != 18:
        return f"统一社会信用代码应为18位，现为{len(c)}位，请核对。"
    bad = sorted({ch for ch in c if ch not in _USCC_CHARS})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用I、O、Z、S、V），请核对。"
    if uscc_check_char(c[:17]) != c[17]:
        return "统一社会信用代码校验位不正确（可能有字符录错），请核对后重新输入。"
    return None


# --- Contact details ---------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?")
_SERVICE = re.compile(r"(400|800)-?\d{3}-?\d{4}|1\d{4}")  # 400/800 lines, 12345-style hotlines


def phone_error(phone: str) -> str | None:
    """None for a mobile number (11 digits starting 1), a landline with or
    without area code and extension (0571-88888888, 88888888-123) or a
    400/800 number; spaces and brackets are ignored, +86 allowed."""
    p = re.sub(r"[\s()（）]", "", (phone or "").strip())
    p = re.sub(r"^(\+86|0086)-?", "", p)
    if _MOBILE.fullmatch(p.replace("-", "")) or _LANDLINE.fullmatch(p) or _SERVICE.fullmatch(p):
        return None
    return "联系电话格式不正确：手机号为11位数字，固定电话如 0571-88888888，请核对。"


def postcode_error(postcode: str) -> str | None:
    if re.fullmatch(r"\d{6}", (postcode or "").strip()):
        return None
    return "邮政编码应为6位数字，请核对。"


def email_error(email: str) -> str | None:
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", (email or "").strip()):
        return None
    return "电子邮箱格式不正确，应如 name@example.com，请核对。"


# --- Dates ---------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]


_TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(value: Any) -> _dt.date | None:
    """A date from an ISO string, ``2026/3/5``, ``2026年3月5日``, a
    ``date`` or ``datetime``; None for empty; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if len(text) == 10 and text.isascii() and text[4] == text[7] == "-" \
            and text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit():
        try:  # ISO, as the register stores dates (the patterns below read it the same)
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    # "2026-03-05 00:00:00" as spreadsheets sometimes write it
    if ":" in text:
        text = _TIME_OF_DAY.sub("", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return _dt.date(y, mo, d)  # raises ValueError for 2026-02-30
    raise ValueError(text)


def format_date_cn(value: Any) -> str:
    """``2026年3月5日`` for a date or ISO string; empty for None."""
    d = parse_date(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# --- Serial numbers ------------------------------------------------------------

#: The default numbering (2026-0001); the register keeps its per-year
#: counter.  Other serials are any text (see :mod:`serials`).
SERIAL_RE = re.compile(r"(\d{4})-(\d{4,6})")


def serial_error(serial: object) -> str | None:
    """Any non-empty text on one line of at most 60 characters: the
    agency's own numbering (望政依申〔2025〕3号, YSQ2025001…) is kept."""
    from .serials import serial_error as _serial_error

    return _serial_error(serial)


# --- The whole record ----------------------------------------------------------

#: Labels of the record's fields, used in messages and column headers.
FIELD_LABELS: dict[str, str] = {
    "serial": "申请编号",
    "receipt_date": "收到日期",
    "channel": "申请方式",
    "applicant_type": "申请人类型",
    "org_kind": "组织类别",
    "applicant_name": "申请人",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "work_unit": "工作单位",
    "legal_rep": "法定代表人",
    "contact_name": "联系人",
    "phone": "联系电话",
    "fax": "传真",
    "address": "通信地址",
    "postcode": "邮政编码",
    "email": "电子邮箱",
    "info_description": "申请内容",
    "info_title": "文件名称",
    "info_doc_number": "文号",
    "info_index_number": "索引号",
    "info_purpose": "信息用途",
    "delivery_forms": "载体形式",
    "obtain_methods": "获取方式",
    "status": "办理状态",
    "reply_date": "答复日期",
    "outcome": "办理结果",
    "outcome_reason": "结果细项",
    "notes": "备注",
}


def validate_application(record: dict[str, Any], today: _dt.date | None = None) -> dict[str, str]:
    """Check a whole record; return ``{field: message}`` (empty when valid).

    ``record`` holds codes as stored (see :mod:`catalog`) and dates as
    ``date`` objects or ISO strings.
    """
    today = today or _dt.date.today()
    errors: dict[str, str] = {}
    if not _blank(record, "serial"):
        e = serial_error(record.get("serial"))
        if e:
            errors["serial"] = e
    _check_applicant(record, errors)
    if _blank(record, "info_description"):
        errors["info_description"] = "请填写申请内容（所需信息的名称、文号或其他特征性描述）。"
    if not _blank(record, "channel") and record.get("channel") not in catalog.CHANNELS:
        errors["channel"] = "申请方式无效，应为当面、信函、网络、传真、电子邮件或其他。"
    _check_dates(record, today, errors)
    _check_outcome(record, errors)
    return errors


def _blank(record: dict[str, Any], field: str) -> bool:
    v = record.get(field)
    return v is None or (isinstance(v, str) and not v.strip())


def _check_applicant(record: dict[str, Any], errors: dict[str, str]) -> None:
    """Applicant type and kind, name, ID number and contact details."""
    atype = record.get("applicant_type")
    if _blank(record, "applicant_type"):
        errors["applicant_type"] = "请选择申请人类型（自然人或法人或其他组织）。"
    elif atype not in catalog.APPLICANT_TYPES:
        errors["applicant_type"] = "申请人类型无效，应为自然人或法人或其他组织。"
    elif atype == catalog.ORGANISATION and record.get("org_kind") not in catalog.ORG_KINDS:
        errors["org_kind"] = "请选择组织类别：商业企业、科研机构、社会公益组织、法律服务机构或其他。"
    if _blank(record, "applicant_name"):
        errors["applicant_name"] = (
            "请填写申请人姓名。" if atype != catalog.ORGANISATION else "请填写法人或其他组织的名称。")
    elif len(str(record["applicant_name"]).strip()) > 200:
        errors["applicant_name"] = "申请人名称过长（最多200字），请核对。"
    if not _blank(record, "id_number"):
        id_type = record.get("id_type") or ("uscc" if atype == catalog.ORGANISATION else "resident_id")
        if id_type == "resident_id":
            e = resident_id_error(record["id_number"])
        elif id_type == "uscc":
            e = uscc_error(record["id_number"])
        else:
            e = None if len(str(record["id_number"]).strip()) <= 40 else "证件号码过长，请核对。"
        if e:
            errors["id_number"] = e
    for field, check in (("phone", phone_error), ("postcode", postcode_error), ("email", email_error)):
        if not _blank(record, field):
            e = check(record[field])
            if e:
                errors[field] = e


def _check_dates(record: dict[str, Any], today: _dt.date, errors: dict[str, str]) -> None:
    """The date received (required, not in the future) and the reply date."""
    receipt: _dt.date | None = None
    if _blank(record, "receipt_date"):
        errors["receipt_date"] = "请填写收到申请的日期。"
    else:
        try:
            receipt = parse_date(record["receipt_date"])
        except ValueError:
            errors["receipt_date"] = "收到日期不是有效日期，请按 2026-03-05 的格式填写。"
        else:
            assert receipt is not None  # _blank() said there is a value
            if receipt > today:
                errors["receipt_date"] = "收到日期不能晚于今天，请核对。"
            elif receipt.year < 2000:
                errors["receipt_date"] = "收到日期早于2000年，请核对。"
    if not _blank(record, "reply_date"):
        try:
            reply = parse_date(record["reply_date"])
        except ValueError:
            errors["reply_date"] = "答复日期不是有效日期，请按 2026-03-05 的格式填写。"
        else:
            assert reply is not None  # _blank() said there is a value
            if receipt and reply < receipt:
                errors["reply_date"] = "答复日期不能早于收到日期，请核对。"
            elif reply > today:
                errors["reply_date"] = "答复日期不能晚于今天，请核对。"


def _check_outcome(record: dict[str, Any], errors: dict[str, str]) -> None:
    """The outcome and its detail, and that outcome and reply date go together."""
    outcome = record.get("outcome")
    if outcome:
        if outcome not in catalog.OUTCOMES:
            errors["outcome"] = "办理结果无效，应为予以公开、部分公开、不予公开、无法提供、不予处理或其他处理。"
        else:
            reasons = catalog.OUTCOMES[outcome].reasons
            reason = record.get("outcome_reason")
            if reasons and not reason:
                errors["outcome_reason"] = f"“{catalog.OUTCOME_SHORT_LABELS[outcome]}”须选择结果细项。"
            elif reason and not reasons:
                errors["outcome_reason"] = f"“{catalog.OUTCOME_SHORT_LABELS[outcome]}”没有结果细项，请清空。"
            elif reason and not (1 <= int(reason) <= len(reasons)):
                errors["outcome_reason"] = "结果细项无效，请重新选择。"
        if _blank(record, "reply_date") and "reply_date" not in errors:
            errors["reply_date"] = "已填写办理结果，请同时填写答复日期。"
    elif not _blank(record, "reply_date") and "reply_date" not in errors:
        errors["outcome"] = "已填写答复日期，请同时选择办理结果。"


# --- Faults an imported row may carry (待核实) -----------------------------------------------

#: Fields whose faults do not make an application unusable: an imported
#: row with such a fault is imported with the value as written and flagged
#: 待核实 (needs review) with the reason, instead of being refused.
REVIEWABLE_FIELDS = ("id_number", "phone", "postcode", "email", "channel", "outcome", "outcome_reason")


def split_reviewable(errors: dict[str, str], record: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """``(errors, reviewable)``: the faults that keep a row out of the
    register, and those that only flag it.  An outcome without its reply
    date (or a reply date without an outcome) is reviewable; a reply date
    that is invalid, in the future or before the receipt is not."""
    hard, soft = {}, {}
    reply = record.get("reply_date")
    no_reply = reply is None or (isinstance(reply, str) and not reply.strip())
    for field, message in errors.items():
        if field == "outcome" and record.get("outcome") and record["outcome"] not in catalog.OUTCOMES:
            hard[field] = message  # not a code at all: a program error, never stored
        elif field in REVIEWABLE_FIELDS or (field == "reply_date" and no_reply):
            soft[field] = message
        else:
            hard[field] = message
    return hard, soft
