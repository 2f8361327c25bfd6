"""The ledger's columns and how a cell becomes a field of an application
and back.  Plain Python; the importer, the exporter and the template all
take their headers and allowed values from here.

The 14 columns of the import format come first (issue 2); the optional
extra columns after them carry the rest of the application form, so a
full export moves a register without losing the postcode or the contact
person.  A file may hold any subset of the columns, in any order; the
required ones are marked ``*`` in the template.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from ..domain import catalog
from ..domain.validation import parse_date


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    #: one of the 14 columns of the import format (else an optional extra)
    standard: bool = True
    help: str = ""
    allowed: str = ""
    width: int = 14
    #: written by the export (an import-only column is read, never written)
    exported: bool = True


COLUMNS: list[Column] = [
    Column("申请编号", "serial", help="如 2026-0001。留空时由系统按收到日期的年份自动编号；"
           "已存在的编号会更新该申请，不会重复登记。", allowed="年份-序号，如 2026-0001", width=12),
    Column("收到日期", "receipt_date", True, help="收到申请之日。不能晚于今天。",
           allowed="2026-03-05、2026/3/5、2026年3月5日或 Excel 日期", width=12),
    Column("申请方式", "channel", allowed="、".join(catalog.CHANNELS.values()), width=9),
    Column("申请人类型", "applicant_type", True,
           help="自然人，或法人或其他组织的类别。",
           allowed="自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他（或“其他组织”）", width=12),
    Column("申请人", "applicant_name", True, help="自然人的姓名，或法人或其他组织的名称。", width=16),
    Column("证件号码", "id_number", help="自然人填18位居民身份证号码（校验位会被检查），组织填18位统一社会信用代码。"
           "请把此列设置为“文本”格式，以免 Excel 把号码变成科学计数。", width=21),
    Column("联系电话", "phone", help="手机号或固定电话，如 13812345678、0731-88001234。", width=14),
    Column("通信地址", "address", width=28),
    Column("电子邮箱", "email", width=20),
    Column("申请内容", "info_description", True, help="所需政府信息的名称、文号或其他特征性描述。", width=40),
    Column("答复日期", "reply_date", help="已答复的填写；填写答复日期时须同时填写办理结果。",
           allowed="同收到日期", width=12),
    Column("办理结果", "outcome", help="年度报告中的六类办理结果之一，未办结的留空。",
           allowed="、".join(catalog.OUTCOME_SHORT_LABELS.values()), width=10),
    Column("结果细项", "outcome_reason", help="不予公开、无法提供、不予处理、其他处理须填写细项（可带或不带序号）。",
           allowed="见下方各办理结果的细项", width=24),
    Column("备注", "notes", width=24),
    # --- optional extras (the rest of the application form) ---
    Column("组织类别", "org_kind", standard=False, exported=False,
           help="只在“申请人类型”填“法人或其他组织”时需要（导入时可用；导出时类别直接写在“申请人类型”中）。",
           allowed="、".join(catalog.ORG_KINDS.values())),
    Column("证件类型", "id_type", standard=False, help="留空时自动判断：18位号码的自然人为居民身份证，组织为统一社会信用代码。",
           allowed="、".join(catalog.ID_TYPES.values()), width=12),
    Column("工作单位", "work_unit", standard=False),
    Column("法定代表人", "legal_rep", standard=False, width=10),
    Column("联系人", "contact_name", standard=False, width=10),
    Column("传真", "fax", standard=False),
    Column("邮政编码", "postcode", standard=False, allowed="6位数字", width=9),
    Column("文件名称", "info_title", standard=False, width=24),
    Column("文号", "info_doc_number", standard=False),
    Column("索引号", "info_index_number", standard=False),
    Column("信息用途", "info_purpose", standard=False),
    Column("载体形式", "delivery_forms", standard=False,
           allowed="、".join(catalog.DELIVERY_FORMS.values()) + "（可填多个，用顿号分隔）", width=10),
    Column("获取方式", "obtain_methods", standard=False,
           allowed="、".join(catalog.OBTAIN_METHODS.values()) + "（可填多个，用顿号分隔）", width=10),
]

STANDARD_COLUMNS = [c for c in COLUMNS if c.standard]
EXPORT_COLUMNS = [c for c in COLUMNS if c.exported]
BY_HEADER = {c.header: c for c in COLUMNS}
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]

#: Other headers clerks' own ledgers use for the same columns.
HEADER_ALIASES = {
    "编号": "申请编号", "序号编号": "申请编号", "登记编号": "申请编号", "受理编号": "申请编号",
    "收到申请日期": "收到日期", "申请日期": "收到日期", "收件日期": "收到日期", "受理日期": "收到日期",
    "登记日期": "收到日期",
    "申请渠道": "申请方式", "提交方式": "申请方式",
    "申请人类别": "申请人类型",
    "申请人姓名": "申请人", "申请人名称": "申请人", "申请人姓名或名称": "申请人", "姓名/名称": "申请人",
    "身份证号码": "证件号码", "身份证号": "证件号码", "证件号": "证件号码",
    "电话": "联系电话", "联系方式": "联系电话", "手机": "联系电话",
    "地址": "通信地址", "联系地址": "通信地址",
    "邮箱": "电子邮箱", "电子邮件": "电子邮箱",
    "所需信息": "申请内容", "所需政府信息": "申请内容", "所需信息内容描述": "申请内容",
    "申请公开内容": "申请内容", "所需信息的内容描述": "申请内容",
    "答复时间": "答复日期", "办结日期": "答复日期",
    "答复结果": "办理结果", "处理结果": "办理结果",
    "细项": "结果细项", "办理结果细项": "结果细项", "具体情形": "结果细项",
    "邮编": "邮政编码",
}


def normalise_header(text) -> str:
    """Fold a header cell: width, spaces, the ``*`` required mark."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    t = re.sub(r"[\s\ufeff\u200b-\u200d\u2060]+", "", t).strip("*＊")
    t = t.replace("（必填）", "").replace("(必填)", "")
    return HEADER_ALIASES.get(t, t)


# --- formula injection ---------------------------------------------------------------

#: What a spreadsheet may run as a formula (OWASP CSV injection: also a
#: leading tab or carriage return).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = "=+-@\t\r'"


def neutralise(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@``); a text that already starts with ``'``
    followed by one of those (or another ``'``) is prefixed too, so that
    :func:`unneutralise` restores every value exactly."""
    if not text:
        return text
    if text[0] in _FORMULA_START or (text[0] == "'" and len(text) > 1 and text[1] in _ESCAPED):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop one leading ``'`` before ``=+-@'``."""
    if len(text) > 1 and text[0] == "'" and text[1] in _ESCAPED:
        return text[1:]
    return text


# --- applicant types ----------------------------------------------------------------------------

APPLICANT_TYPE_LABELS = {"自然人": (catalog.NATURAL_PERSON, None)}
APPLICANT_TYPE_LABELS.update({label: (catalog.ORGANISATION, code) for code, label in catalog.ORG_KINDS.items()})
_APPLICANT_TYPE_ALIASES = {
    "法人或其他组织": "", "法人": "", "组织": "", "单位": "", "法人或者其他组织": "",
    "其他组织": "other", "其他": "other", "个人": None, "公民": None, "自然人申请": None,
    "企业": "business", "公司": "business", "律师事务所": "legal_services", "律所": "legal_services",
    "研究机构": "research", "公益组织": "public_interest",
}


def applicant_type_label(applicant_type: str | None, org_kind: str | None) -> str:
    if applicant_type == catalog.NATURAL_PERSON:
        return "自然人"
    if applicant_type == catalog.ORGANISATION:
        return catalog.ORG_KINDS.get(org_kind or "other", "其他")
    return ""


def parse_applicant_type(text: str) -> tuple[str, str | None]:
    """(applicant_type, org_kind) for a label; ValueError when unknown."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if key in APPLICANT_TYPE_LABELS:
        return APPLICANT_TYPE_LABELS[key]
    if key in _APPLICANT_TYPE_ALIASES:
        kind = _APPLICANT_TYPE_ALIASES[key]
        # "" = an organisation whose kind the 组织类别 column (or the clerk) must give
        return (catalog.NATURAL_PERSON, None) if kind is None else (catalog.ORGANISATION, kind or None)
    if key in catalog.APPLICANT_TYPES:  # a code
        return key, None
    raise ValueError(text)


# --- multi-valued code lists ----------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[、,，;；/／\s]+")


def codes_to_labels(mapping: dict[str, str], value: str | None) -> str:
    if not value:
        return ""
    return "、".join(mapping.get(code, code) for code in value.split(",") if code)


def labels_to_codes(mapping: dict[str, str], text: str) -> str | None:
    """``纸质、电子`` → ``paper,electronic``; KeyError naming the unknown label."""
    codes = []
    for part in _LIST_SPLIT.split(text.strip()):
        if part:
            code = catalog.match_label(mapping, part)
            if code not in codes:
                codes.append(code)
    return ",".join(codes) or None


_CHANNEL_ALIASES = {
    "网上": "online", "在线": "online", "网上申请": "online", "互联网": "online", "政府网站": "online",
    "信件": "letter", "邮寄": "letter", "邮政": "letter", "来信": "letter", "挂号信": "letter",
    "现场": "in_person", "当面提交": "in_person", "当面递交": "in_person", "窗口": "in_person",
    "邮件": "email", "电子邮箱": "email", "email": "email", "e-mail": "email",
}
#: Other words clerks' own ledgers use for the outcome categories.
_OUTCOME_ALIASES = {
    "公开": "disclosed", "全部公开": "disclosed", "同意公开": "disclosed", "已公开": "disclosed",
    "部分予以公开": "partly_disclosed", "区分处理": "partly_disclosed",
    "不公开": "withheld", "不予以公开": "withheld",
    "信息不存在": "unavailable", "无法提供信息": "unavailable",
}
_ID_TYPE_ALIASES = {"身份证": "resident_id", "统一社会信用代码证": "uscc", "信用代码": "uscc",
                    "其他": "other", "港澳通行证": "hk_macao_permit", "台胞证": "taiwan_permit"}


# --- record → row (export) ---------------------------------------------------------------------


def record_to_cells(record: dict, columns: list[Column]) -> list:
    """The cells of one exported row: labels for codes, ``date`` objects
    for dates; strings are NOT yet neutralised (the writer does that)."""
    out = []
    for col in columns:
        f = col.field
        v = record.get(f)
        if f in ("receipt_date", "reply_date"):
            out.append(parse_date(v) if v else None)
        elif f == "channel":
            out.append(catalog.CHANNELS.get(v, v) if v else "")
        elif f == "applicant_type":
            out.append(applicant_type_label(record.get("applicant_type"), record.get("org_kind")))
        elif f == "outcome":
            out.append(catalog.OUTCOME_SHORT_LABELS.get(v, v) if v else "")
        elif f == "outcome_reason":
            outcome = catalog.OUTCOMES.get(record.get("outcome") or "")
            if v and outcome and 1 <= int(v) <= len(outcome.reasons):
                out.append(outcome.reasons[int(v) - 1])
            else:
                out.append("")
        elif f == "id_type":
            out.append(catalog.ID_TYPES.get(v, v) if v else "")
        elif f == "delivery_forms":
            out.append(codes_to_labels(catalog.DELIVERY_FORMS, v))
        elif f == "obtain_methods":
            out.append(codes_to_labels(catalog.OBTAIN_METHODS, v))
        else:
            out.append("" if v is None else str(v))
    return out


# --- cell → field (import) ---------------------------------------------------------------------

MAX_CELL_CHARS = 5000
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the clerk."""


def cell_text(value, column: Column) -> str | None:
    """The text of a cell (numbers as Excel shows them), neutralisation
    undone, stripped; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        if column.field == "id_number" and len(text) >= 15:
            raise CellError("证件号码被 Excel 保存成了数字，后几位可能已丢失。请把该列设置为“文本”格式，"
                            "重新填写号码后再导入。")
    elif isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    text = unneutralise(text.strip()).strip()
    if _CONTROL.search(text):
        raise CellError("含有不可见的控制字符（可能是从其他系统复制时带入的），请删除该单元格内容后重新输入。")
    if len(text) > MAX_CELL_CHARS:
        raise CellError(f"内容过长（{len(text)}字，最多{MAX_CELL_CHARS}字），请精简。")
    return text or None


_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def cell_date(value) -> str | None:
    """ISO date from a date cell, an Excel serial number or a text date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return parse_date(value).isoformat()
    if isinstance(value, str) and re.fullmatch(r"\s*\d{5}(\.0+)?\s*", value):
        value = int(float(value))  # a serial date saved as text, e.g. from a CSV
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial date in a number cell
            return (_EXCEL_EPOCH + _dt.timedelta(days=int(value))).isoformat()
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = unneutralise(str(value).strip())
    try:
        return parse_date(text).isoformat()
    except ValueError:
        raise CellError(f"“{text[:40]}”不是有效日期，请按 2026-03-05、2026/3/5 或 2026年3月5日 的格式填写。") from None


@functools.lru_cache(maxsize=512)
def _lookup(kind: str, text: str):
    """Memoised vocabulary lookups (a ledger repeats a few labels over
    thousands of rows); raises KeyError/ValueError like the catalog."""
    if kind == "channel":
        return catalog.match_label(catalog.CHANNELS, text, _CHANNEL_ALIASES)
    if kind == "applicant_type":
        return parse_applicant_type(text)
    if kind == "outcome":
        return catalog.match_outcome(text) or _OUTCOME_ALIASES.get(re.sub(r"\s+", "", text))
    if kind == "org_kind":
        return catalog.match_label(catalog.ORG_KINDS, text, {"其他组织": "other"})
    if kind == "id_type":
        return catalog.match_label(catalog.ID_TYPES, text, _ID_TYPE_ALIASES)
    if kind == "delivery_forms":
        return labels_to_codes(catalog.DELIVERY_FORMS, text)
    if kind == "obtain_methods":
        return labels_to_codes(catalog.OBTAIN_METHODS, text)
    raise LookupError(kind)


def convert_cell(column: Column, value, record: dict) -> None:
    """Set ``record[column.field]`` (and derived fields) from one cell;
    raise :class:`CellError` with a message for the clerk."""
    f = column.field
    if f in ("receipt_date", "reply_date"):
        record[f] = cell_date(value)
        return
    text = cell_text(value, column)
    if f == "channel":
        try:
            record[f] = _lookup("channel", text) if text else None
        except KeyError:
            raise CellError(f"申请方式“{text}”无法识别，应为{column.allowed}之一。") from None
    elif f == "applicant_type":
        if text is None:
            record["applicant_type"] = None
            return
        try:
            atype, kind = _lookup("applicant_type", text)
            record["applicant_type"] = atype
            if kind is not None or atype == catalog.NATURAL_PERSON or "org_kind" not in record:
                record["org_kind"] = kind
        except ValueError:
            raise CellError(f"申请人类型“{text}”无法识别，应为自然人、商业企业、科研机构、社会公益组织、"
                            "法律服务机构或其他组织。") from None
    elif f == "outcome":
        if text is None:
            record[f] = None
            return
        code = _lookup("outcome", text)
        if code is None:
            raise CellError(f"办理结果“{text}”无法识别，应为{column.allowed}之一。")
        record[f] = code
    elif f == "outcome_reason":
        record["_reason_text"] = text  # resolved once the outcome is known
    elif f == "org_kind":
        if text is None:
            record.setdefault("org_kind", None)
            return
        try:
            kind = _lookup("org_kind", text)
        except KeyError:
            raise CellError(f"组织类别“{text}”无法识别，应为{column.allowed}之一。") from None
        if record.get("applicant_type") != catalog.NATURAL_PERSON:
            record["org_kind"] = kind
    elif f == "id_type":
        try:
            record[f] = _lookup("id_type", text) if text else None
        except KeyError:
            raise CellError(f"证件类型“{text}”无法识别，应为{column.allowed}之一。") from None
    elif f == "delivery_forms":
        try:
            record[f] = _lookup("delivery_forms", text) if text else None
        except KeyError as exc:
            raise CellError(f"载体形式“{exc.args[0]}”无法识别，应为{column.allowed}。") from None
    elif f == "obtain_methods":
        try:
            record[f] = _lookup("obtain_methods", text) if text else None
        except KeyError as exc:
            raise CellError(f"获取方式“{exc.args[0]}”无法识别，应为{column.allowed}。") from None
    elif f in ("id_number", "phone", "fax") and text and _SCIENTIFIC.fullmatch(text):
        raise CellError(f"{column.header}“{text}”是科学计数形式，说明 Excel 把号码当成了数字，后几位已经丢失。"
                        "请把该列设置为“文本”格式，重新填写完整号码后再导入。")
    elif f == "id_number":
        if text and "*" in text:
            raise CellError("证件号码含“*”，是遮盖后的号码。对外提供的遮盖版导出文件不能用于导入，"
                            "请使用完整导出的文件，或填写完整号码。")
        record[f] = re.sub(r"\s+", "", text).upper() if text else None
    elif f == "phone":
        if text and "*" in text:
            raise CellError("联系电话含“*”，是遮盖后的号码。遮盖版导出文件不能用于导入，请填写完整号码。")
        record[f] = text
    else:
        record[f] = text


def resolve_reason(record: dict) -> None:
    """Turn the 结果细项 text into the reason number of the outcome."""
    present = "_reason_text" in record
    text = record.pop("_reason_text", None)
    if text is None:
        if present:
            record["outcome_reason"] = None
        return
    outcome = record.get("outcome")
    if not outcome:
        raise CellError(f"填写了结果细项“{text}”，但没有填写办理结果。")
    try:
        record["outcome_reason"] = catalog.match_outcome_reason(outcome, text)
    except ValueError:
        reasons = catalog.OUTCOMES[outcome].reasons
        label = catalog.OUTCOME_SHORT_LABELS[outcome]
        if not reasons:
            raise CellError(f"“{label}”没有结果细项，请清空结果细项（现为“{text}”）。") from None
        allowed = "；".join(f"{i}.{r}" for i, r in enumerate(reasons, 1))
        raise CellError(f"结果细项“{text}”不是“{label}”的细项，应为：{allowed}。") from None


def infer_id_type(record: dict) -> str | None:
    number = record.get("id_number")
    if not number:
        return None
    if record.get("applicant_type") == catalog.ORGANISATION:
        return "uscc" if len(number) == 18 else "other"
    if len(number) == 18 and re.fullmatch(r"\d{17}[\dX]", number):
        return "resident_id"
    if len(number) == 18 and re.fullmatch(r"\d{15,}.*", number):
        return "resident_id"  # a mistyped ID: let validation say so
    return "other"
