"""The ledger's columns and how a cell becomes a field of an application
and back.  Plain Python; the importer, the exporter and the template all
take their headers and allowed values from here.

The 14 columns of the import format come first; the optional
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
    Column("申请编号", "serial", help="本机关自己的编号，原样保留（如 2026-0001、望政依申〔2025〕3号、YSQ2025001），"
           "最多60字。留空时由系统按“设置 → 机关信息 → 申请编号格式”和收到日期的年份自动编号；"
           "已存在的编号会更新该申请，不会重复登记。", allowed="任意文字，同一台账内不重复", width=16),
    Column("收到日期", "receipt_date", True, help="收到申请之日。不能晚于今天。",
           allowed="2026-03-05、2026/3/5、2026.3.5、20260305、2026年3月5日（可带上午、下午或时间）或 Excel 日期",
           width=12),
    Column("申请方式", "channel", allowed="、".join(catalog.CHANNELS.values()), width=9),
    Column("申请人类型", "applicant_type", True,
           help="自然人，或法人或其他组织的类别。台账没有这一列（或单元格留空）时，程序按证件号码和"
                "姓名或名称判断，拿不准的标为“待核实”。",
           allowed="自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他（或“其他组织”）", width=12),
    Column("申请人", "applicant_name", True, help="自然人的姓名，或法人或其他组织的名称。", width=16),
    Column("证件号码", "id_number", help="自然人填18位居民身份证号码（校验位会被检查），组织填18位统一社会信用代码。"
           "校验不通过的号码照原样导入并标为“待核实”。"
           "请把此列设置为“文本”格式，以免 Excel 把号码变成科学计数。", width=21),
    Column("联系电话", "phone", help="手机号或固定电话，如 13812345678、0731-88001234。", width=14),
    Column("通信地址", "address", width=28),
    Column("电子邮箱", "email", width=20),
    Column("申请内容", "info_description", True, help="所需政府信息的名称、文号或其他特征性描述。", width=40),
    Column("答复日期", "reply_date", help="已答复的填写；填写答复日期时须同时填写办理结果。",
           allowed="同收到日期", width=12),
    Column("办理结果", "outcome", help="年度报告中的六类办理结果之一，未办结的留空。无法对应的写法照样导入，"
           "标为“待核实”。",
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
    Column("待核实", "review", standard=False, width=30,
           help="导出时写出申请待核实的原因（导入时校验不通过的证件号码、无法识别的申请方式等）。"
                "导入新申请时，这一列的内容会保留为待核实原因。"),
]

STANDARD_COLUMNS = [c for c in COLUMNS if c.standard]
EXPORT_COLUMNS = [c for c in COLUMNS if c.exported]
BY_HEADER = {c.header: c for c in COLUMNS}
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]

#: Other headers agencies' own ledgers use for each column, best first:
#: when a file has two of them (申请日期 and 受理日期), the earlier one is
#: taken and the other ignored (and said so).
HEADER_SYNONYMS: dict[str, list[str]] = {
    "申请编号": ["受理编号", "登记编号", "申请序号", "受理号", "案件编号", "编号", "序号编号", "流水号", "序号"],
    "收到日期": ["收到申请日期", "收到申请时间", "收件日期", "收件时间", "受理日期", "受理时间", "接收日期",
             "收到时间", "登记日期", "登记时间", "来件日期", "申请日期", "申请时间", "提交日期", "提交时间"],
    "申请方式": ["申请渠道", "提交方式", "申请途径", "受理方式", "受理渠道", "申请形式", "来件方式", "渠道"],
    "申请人类型": ["申请人类别", "申请主体类型", "申请人性质", "申请主体", "主体类型", "主体类别"],
    "申请人": ["申请人姓名", "申请人名称", "申请人姓名或名称", "申请人姓名/名称", "姓名/名称", "姓名或名称",
            "申请单位", "申请人单位", "申请人或单位", "姓名", "名称"],
    "证件号码": ["身份证号码", "身份证号", "证件号", "公民身份号码", "身份证件号码", "证件号码/统一社会信用代码",
             "身份证号/统一社会信用代码", "统一社会信用代码", "身份证"],
    "联系电话": ["电话", "联系方式", "手机", "手机号", "手机号码", "电话号码", "联系号码", "固定电话"],
    "通信地址": ["通讯地址", "联系地址", "邮寄地址", "地址", "住址", "通信地址及邮编"],
    "电子邮箱": ["邮箱", "电子邮件", "email", "e-mail", "电子信箱"],
    "申请内容": ["申请公开内容", "申请公开的内容", "申请公开的政府信息", "所需信息", "所需政府信息",
             "所需信息内容描述", "所需信息的内容描述", "所需政府信息的内容描述", "所需政府信息名称",
             "申请信息内容", "申请事项", "申请公开事项", "信息名称", "内容"],
    "答复日期": ["答复时间", "办结日期", "办结时间", "回复日期", "回复时间", "答复告知日期", "告知日期"],
    "办理结果": ["答复结果", "处理结果", "答复类型", "答复方式及结果", "办理结论", "答复意见", "结果"],
    "结果细项": ["细项", "办理结果细项", "具体情形", "结果说明", "不予公开理由", "不予公开依据"],
    "备注": ["说明", "备考"],
    "邮政编码": ["邮编"],
    "法定代表人": ["法人代表", "法定代表人或负责人"],
    "待核实": ["待核实原因", "待核实说明"],
}
#: Headers that are a row counter (1, 2, 3…) as often as the agency's numbering.
MAYBE_COUNTER_HEADERS = frozenset({"序号", "编号", "流水号", "序号编号"})
#: Word to give in a mapping (``--map "X=忽略"``) for a column to leave out.
IGNORE = "忽略"

HEADER_ALIASES = {syn: canonical for canonical, syns in HEADER_SYNONYMS.items() for syn in syns}
_RANK = {syn: n for syns in HEADER_SYNONYMS.values() for n, syn in enumerate(syns, start=1)}


def clean_header(text) -> str:
    """Fold a header cell: width, spaces, line breaks, the ``*`` required mark."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    t = unicodedata.normalize("NFKC", str(text))
    t = re.sub(r"[\s\ufeff\u200b-\u200d\u2060]+", "", t).strip("*＊:：")
    return t.replace("（必填）", "").replace("(必填)", "").replace("(选填)", "")


def header_canonical(text) -> tuple[str, int]:
    """(canonical header, rank) of a header cell: rank 0 for our own header,
    1… for its synonyms (lower is better); ("", 99) when unknown.  A
    bracketed remark (收到日期(年月日), 申请人(单位)) is tried without it."""
    t = clean_header(text)
    if not t:
        return "", 99
    for candidate in (t, re.sub(r"[(（\[【].*?[)）\]】]", "", t)):
        if candidate in BY_HEADER:
            return candidate, 0
        low = candidate.lower()
        if low in HEADER_ALIASES:
            return HEADER_ALIASES[low], _RANK[low]
        if candidate in HEADER_ALIASES:
            return HEADER_ALIASES[candidate], _RANK[candidate]
    return "", 99


def normalise_header(text) -> str:
    """The canonical header of a cell, or the folded text when unknown."""
    canonical, _rank = header_canonical(text)
    return canonical or clean_header(text)


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

APPLICANT_TYPE_LABELS: dict[str, tuple[str, str | None]] = {"自然人": (catalog.NATURAL_PERSON, None)}
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
    codes: list[str] = []
    for part in _LIST_SPLIT.split(text.strip()):
        if part:
            code = catalog.match_label(mapping, part)
            if code is not None and code not in codes:
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


def record_to_cells(record: Mapping[str, Any], columns: list[Column]) -> list:
    """The cells of one exported row (``record``: field → value, with the
    待核实 reasons as one line under ``review``): labels for codes,
    ``date`` objects for dates; strings are NOT yet neutralised (the
    writer does that)."""
    out: list[Any] = []
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
        elif f == "review":
            out.append(str(record.get("review") or ""))
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
    elif isinstance(value, _dt.datetime):
        text = value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, (_dt.date, _dt.time)):
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
#: A date followed by what clerks add: 上午, 下午3时, 14:30, 星期三…
_DATE_HEAD = re.compile(
    r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*[日号]?"
    r"|(\d{4})(\d{2})(\d{2})")
_DATE_TAIL = re.compile(
    r"[\s.,，、]*(?:(?:上午|下午|中午|晚上|早上|凌晨|傍晚)?\s*(?:\d{1,2}\s*[:：时点]\s*(?:\d{1,2}\s*(?:分)?)?"
    r"(?:[:：]\d{1,2}(?:\.\d+)?)?)?|(?:星期|周|礼拜)[一二三四五六日天])*\s*(?:上午|下午|中午|晚上)?\s*")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*[日号]?")


def cell_date(value, *, default_year: int | None = None) -> str | None:
    """ISO date from a date cell, an Excel serial number (also as text) or
    a text date as ledgers write them: 2025-3-5, 2025/3/5, 2025.3.5,
    20250305, 2025年3月5日上午, 2025-03-05 14:30.  A month and day alone
    (3月5日) take ``default_year`` (the year a yearly sheet is named after)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.date().isoformat() if isinstance(value, _dt.datetime) else value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", value):
        value = float(value)  # a serial date saved as text, e.g. from a CSV
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial date in a number cell
            return (_EXCEL_EPOCH + _dt.timedelta(days=int(value))).isoformat()
        value = str(int(value)) if float(value).is_integer() else str(value)
    raw = unneutralise(str(value).strip())
    text = unicodedata.normalize("NFKC", raw).strip().rstrip(".。")
    text = re.sub(r"T(?=\d{1,2}:)", " ", text)
    m = _DATE_HEAD.match(text)
    if m and _DATE_TAIL.fullmatch(text[m.end():]):
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            return _dt.date(y, mo, d).isoformat()
        except ValueError:
            raise CellError(f"“{raw[:40]}”不是有效日期（{y}年{mo}月没有{d}日），请核对。") from None
    m = _MONTH_DAY.match(text)
    if default_year and m and _DATE_TAIL.fullmatch(text[m.end():]):
        try:
            return _dt.date(default_year, int(m.group(1)), int(m.group(2))).isoformat()
        except ValueError:
            raise CellError(f"“{raw[:40]}”不是有效日期，请核对。") from None
    raise CellError(f"“{raw[:40]}”不是有效日期，请按 2026-03-05、2026/3/5、2026.3.5 或 2026年3月5日 的格式填写。")


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


class _Doubtful(Exception):
    """A cell read with a doubt: ``value`` is stored, ``message`` flags the
    application 待核实 (or is an error where nothing may be doubtful)."""

    def __init__(self, message: str, value=None):
        super().__init__(message)
        self.value = value


def convert_cell(column: Column, value, record: dict, flags: dict | None = None, *,
                 default_year: int | None = None) -> None:
    """Set ``record[column.field]`` (and derived fields) from one cell;
    raise :class:`CellError` with a message for the clerk.

    With ``flags`` (the import of a whole ledger), a doubtful cell (an
    unknown channel word, an ID number Excel turned into a number…) is
    kept (as written where the field holds text) and its reason is put in
    ``flags[field]`` instead of raising."""
    f = column.field
    try:
        _convert(column, value, record, default_year)
    except _Doubtful as doubt:
        if flags is None:
            raise CellError(str(doubt)) from None
        target = "outcome" if f == "outcome" else f
        record[target] = doubt.value
        flags[target] = str(doubt)


def _convert(column: Column, value, record: dict, default_year: int | None) -> None:
    f = column.field
    if f in ("receipt_date", "reply_date"):
        record[f] = cell_date(value, default_year=default_year)
        return
    if f == "id_number" and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and abs(value) >= 1e14:
        digits = str(int(value)) if float(value).is_integer() else str(value)
        raise _Doubtful(f"证件号码“{digits}”被 Excel 保存成了数字，后几位可能已经丢失，请与申请材料核对。", digits)
    text = cell_text(value, column)
    if f in ("id_number", "phone", "fax") and text and _SCIENTIFIC.fullmatch(text):
        raise _Doubtful(f"{column.header}“{text}”是科学计数形式，说明 Excel 把号码当成了数字，后几位已经丢失；"
                        "已照原样导入，请与申请材料核对后改正。", text)
    convert = _TEXT_CONVERTERS.get(f)
    if convert is None:
        record[f] = text
    else:
        convert(column, text, record)


def _channel(column: Column, text: str | None, record: dict) -> None:
    try:
        record["channel"] = _lookup("channel", text) if text else None
    except KeyError:
        raise _Doubtful(f"申请方式“{text}”无法识别（应为{column.allowed}之一），"
                        "已按未填写导入，原文见此说明。") from None


def _applicant_type(column: Column, text: str | None, record: dict) -> None:
    if text is None:
        record["applicant_type"] = None
        return
    try:
        atype, kind = _lookup("applicant_type", text)
    except ValueError:
        raise CellError(f"申请人类型“{text}”无法识别，应为自然人、商业企业、科研机构、社会公益组织、"
                        "法律服务机构或其他组织。") from None
    record["applicant_type"] = atype
    if kind is not None or atype == catalog.NATURAL_PERSON or "org_kind" not in record:
        record["org_kind"] = kind


def _outcome(column: Column, text: str | None, record: dict) -> None:
    if text is None:
        record["outcome"] = None
        return
    code = _lookup("outcome", text)
    if code is None:
        raise _Doubtful(f"办理结果“{text}”无法对应年度报告的六类结果（{column.allowed}），"
                        "已按未填写导入，原文见此说明。")
    record["outcome"] = code


def _org_kind(column: Column, text: str | None, record: dict) -> None:
    if text is None:
        record.setdefault("org_kind", None)
        return
    try:
        kind = _lookup("org_kind", text)
    except KeyError:
        raise CellError(f"组织类别“{text}”无法识别，应为{column.allowed}之一。") from None
    if record.get("applicant_type") != catalog.NATURAL_PERSON:
        record["org_kind"] = kind


def _vocabulary(column: Column, text: str | None, record: dict) -> None:
    """证件类型, 载体形式, 获取方式: words of a fixed vocabulary."""
    f = column.field
    try:
        record[f] = _lookup(f, text) if text else None
    except KeyError as exc:
        word = exc.args[0] if f != "id_type" else text
        raise _Doubtful(f"{column.header}“{word}”无法识别（应为{column.allowed}），已按未填写导入。") from None


def _id_number(column: Column, text: str | None, record: dict) -> None:
    if text and "*" in text:
        raise CellError("证件号码含“*”，是遮盖后的号码。对外提供的遮盖版导出文件不能用于导入，"
                        "请使用完整导出的文件，或填写完整号码。")
    record["id_number"] = re.sub(r"\s+", "", text).upper() if text else None


def _phone(column: Column, text: str | None, record: dict) -> None:
    if text and "*" in text:
        raise CellError("联系电话含“*”，是遮盖后的号码。遮盖版导出文件不能用于导入，请填写完整号码。")
    record["phone"] = text


def _serial(column: Column, text: str | None, record: dict) -> None:
    if text and len(text) > 60:
        raise CellError(f"申请编号过长（{len(text)}字，最多60字）。")
    record["serial"] = text


def _keep_as(key: str) -> Callable[[Column, str | None, dict], None]:
    """Text kept aside, resolved later (结果细项 once the outcome is known)."""
    def keep(column: Column, text: str | None, record: dict) -> None:
        record[key] = text
    return keep


#: Fields whose text needs more than keeping as written.
_TEXT_CONVERTERS: dict[str, Callable[[Column, str | None, dict], None]] = {
    "channel": _channel,
    "applicant_type": _applicant_type,
    "outcome": _outcome,
    "outcome_reason": _keep_as("_reason_text"),
    "review": _keep_as("_review_note"),
    "org_kind": _org_kind,
    "id_type": _vocabulary,
    "delivery_forms": _vocabulary,
    "obtain_methods": _vocabulary,
    "id_number": _id_number,
    "phone": _phone,
    "serial": _serial,
}


def resolve_reason(record: dict, flags: dict | None = None) -> None:
    """Turn the 结果细项 text into the reason number of the outcome.  With
    ``flags`` (a ledger import) a reason that cannot be matched is left
    out and flagged instead of raising."""
    present = "_reason_text" in record
    text = record.pop("_reason_text", None)
    if text is None:
        if present:
            record["outcome_reason"] = None
        return
    outcome = record.get("outcome")
    try:
        if not outcome:
            if flags is not None and "outcome" in flags:
                raise _Doubtful(f"结果细项“{text}”无法对应（办理结果无法识别）。")
            raise CellError(f"填写了结果细项“{text}”，但没有填写办理结果。")
        try:
            record["outcome_reason"] = catalog.match_outcome_reason(outcome, text)
        except ValueError:
            reasons = catalog.OUTCOMES[outcome].reasons
            label = catalog.OUTCOME_SHORT_LABELS[outcome]
            if not reasons:
                raise _Doubtful(f"“{label}”没有结果细项，细项“{text}”已忽略。") from None
            allowed = "；".join(f"{i}.{r}" for i, r in enumerate(reasons, 1))
            raise _Doubtful(f"结果细项“{text}”不是“{label}”的细项（应为：{allowed}），"
                            "已按未填写导入，原文见此说明。") from None
    except _Doubtful as doubt:
        if flags is None:
            raise CellError(str(doubt)) from None
        record["outcome_reason"] = None
        flags["outcome_reason"] = str(doubt)


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
    if re.fullmatch(r"\d{15}", number):
        return "resident_id"  # a first-generation ID: validation flags it for review
    return "other"


# --- applicant type when the ledger has none ------------------------------------------------

_ORG_WORDS = catalog.ORG_NAME_WORDS
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}[·•．][\u4e00-\u9fff]{1,8}|[A-Za-z .'-]{2,40}")


def infer_applicant_type(name: str | None, id_number: str | None) -> tuple[str, str | None, str | None]:
    """``(applicant_type, org_kind, doubt)`` for a row whose ledger does not
    say: from the ID number (a resident ID, a credit code) and the name
    (公司, 律师事务所…).  ``doubt`` is None when the evidence is plain,
    else why the application should be checked (待核实)."""
    from ..domain.validation import resident_id_error, uscc_error

    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    number = (id_number or "").strip().upper()
    for kind, pattern in _ORG_WORDS:
        if re.search(pattern, text):
            return catalog.ORGANISATION, kind, None
    if number and resident_id_error(number) is None:
        return catalog.NATURAL_PERSON, None, None
    if number and uscc_error(number) is None:
        return (catalog.ORGANISATION, "other",
                "申请人类型未填写，按统一社会信用代码判断为组织（类别“其他”），请核对组织类别。")
    if _PERSON_NAME.fullmatch(text):
        return catalog.NATURAL_PERSON, None, None
    return (catalog.NATURAL_PERSON, None,
            f"申请人类型未填写，按名称“{text[:20]}”判断为自然人，请核对。")
