"""The annual report as one plain document (a JSON-able dict): what every
export (PDF, DOCX, XLSX, JSON) prints, what a published snapshot freezes,
and what a district office combines from its departments' files.

Shape::

    {"format": "国办公开办函〔2021〕30号", "year": 2025, "agency": "…",
     "title": "…2025年政府信息公开工作年度报告", "agencies": ["…"],
     "preamble": "…", "section1": "…", "section5": "…", "section6": "…",
     "section2": [{"block": "第二十条第（一）项", "label": "规章",
                   "values": {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 3}}, …],
     "section3": [{"label": "一、本年新收政府信息公开申请数量",
                   "values": {"自然人": 3, "商业企业": 1, …, "总计": 5}}, …],
     "section4": [{"group": "行政复议", "label": "行政复议",
                   "values": {"结果维持": 1, …, "总计": 2}}, …]}

Category rows （三）to（六）of ``section3`` carry the sum of their numbered
reasons, and ``三、本年度办理结果`` the sum of all results (= （七）总计).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import report_stats as rs

#: Keys of the narrative parts of a report.
NARRATIVE_KEYS: dict[str, str] = {
    "preamble": "前言",
    "section1": "一、总体情况",
    "section5": "五、存在的主要问题及改进情况",
    "section6": "六、其他需要报告的事项",
}
SECTION_TITLES: list[str] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
TITLE_SUFFIX = "年政府信息公开工作年度报告"
AMOUNT_PLACES = Decimal("0.0001")


class ReportFileError(ValueError):
    """A report file that cannot be read or combined; ``str()`` is for the clerk."""


def report_title(agency: str, year: int) -> str:
    return f"{agency or ''}{year}{TITLE_SUFFIX}"


def format_amount(value: Any) -> str:
    """万元 amounts as printed: ``0``, ``1.5``, ``12.3456`` (no float noise)."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value)).quantize(AMOUNT_PLACES, rounding=ROUND_HALF_UP).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def parse_amount(text: Any) -> float | None:
    """A 万元 amount typed by the clerk; None for blank; ValueError with a
    Chinese message otherwise."""
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip().replace(",", "").replace("，", "")
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效的金额，请填写数字（单位：万元），如 0 或 1.25。") from None
    if not d.is_finite() or d < 0:
        raise ValueError("收费金额不能为负数，请核对。")
    if d != d.quantize(AMOUNT_PLACES):
        raise ValueError("收费金额最多保留4位小数（单位：万元，即精确到元），请核对。")
    return float(d)


def validate_section2(values: dict[str, Any]) -> dict[str, str]:
    """Errors of a section 二 form: counts are whole numbers ≥ 0, the fee
    amount a number ≥ 0 with at most 4 decimals."""
    errors = {}
    for code, (label, column) in rs.SECTION2_FIELDS.items():
        v = values.get(code)
        if v is None or v == "":
            continue
        if code in rs.SECTION2_AMOUNT_FIELDS:
            try:
                parse_amount(v)
            except ValueError as exc:
                errors[code] = str(exc)
            continue
        try:
            n = int(str(v).strip())
        except ValueError:
            errors[code] = f"“{label}·{column}”应为整数，请核对。"
            continue
        if n < 0:
            errors[code] = f"“{label}·{column}”不能为负数，请核对。"
        elif n > 10_000_000:
            errors[code] = f"“{label}·{column}”数值过大，请核对。"
    return errors


# --- Building ------------------------------------------------------------------


def section2_rows(values: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for block in rs.SECTION2_BLOCKS:
        for label, fields in block.rows:
            vals = {}
            for i, f in enumerate(fields):
                v = values.get(f)
                if f in rs.SECTION2_AMOUNT_FIELDS:
                    vals[block.headers[1 + i]] = None if v is None else float(format_amount(v))
                else:
                    vals[block.headers[1 + i]] = None if v is None else int(v)
            rows.append({"block": block.heading, "label": label, "values": vals})
    return rows


def section3_rows(s3: rs.Section3) -> list[dict[str, Any]]:
    return [{"label": row.label,
             "values": {rs.COLUMN_LABELS[c]: s3.value(row.key, c) for c in rs.COLUMN_CODES}}
            for row in rs.SECTION3_ROWS]


def section4_rows(s4: rs.Section4) -> list[dict[str, Any]]:
    return [{"group": "行政复议" if kind == "reconsideration" else "行政诉讼",
             "label": rs.CASE_KIND_HEADERS[kind],
             "values": {rs.SECTION4_COLUMN_LABELS[c]: s4.value(kind, c) for c in rs.SECTION4_COLUMNS}}
            for kind in rs.CASE_KINDS]


def build_document(*, year: int, agency: str, section2: dict[str, Any], section3: rs.Section3,
                   section4: rs.Section4, texts: dict[str, Any], generated_at: str = "",
                   generator: str = "") -> dict[str, Any]:
    return {
        "format": rs.FORMAT_ID,
        "year": year,
        "agency": agency,
        "title": report_title(agency, year),
        "agencies": [agency],
        **{k: texts.get(k) or "" for k in NARRATIVE_KEYS},
        "section2": section2_rows(section2),
        "section3": section3_rows(section3),
        "section4": section4_rows(section4),
        "generated_at": generated_at,
        "generator": generator,
    }


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


# --- Reading and checking a document -------------------------------------------

SECTION3_LABELS = [r.label for r in rs.SECTION3_ROWS]
SECTION3_VALUE_KEYS = [rs.COLUMN_LABELS[c] for c in rs.COLUMN_CODES]
SECTION2_SHAPE = [(row["label"], list(row["values"])) for row in section2_rows({})]
SECTION4_SHAPE = [(kind_label, [rs.SECTION4_COLUMN_LABELS[c] for c in rs.SECTION4_COLUMNS])
                  for kind_label in rs.CASE_KIND_HEADERS.values()]


def _check_rows(doc: dict[str, Any], key: str, shape: list[tuple[str, list[str]]], name: str,
                *, amounts: frozenset[str] = frozenset()) -> None:
    rows = doc.get(key)
    if not isinstance(rows, list) or len(rows) != len(shape):
        raise ReportFileError(f"{name}的“{key}”表格行数不符合格式（应为{len(shape)}行），无法使用。")
    for row, (label, columns) in zip(rows, shape):
        if not isinstance(row, dict) or row.get("label") != label:
            got = row.get("label") if isinstance(row, dict) else row
            raise ReportFileError(f"{name}的“{key}”中应为“{label}”的一行是“{got}”，不符合格式。")
        values = row.get("values")
        if not isinstance(values, dict) or list(values) != columns:
            raise ReportFileError(f"{name}的“{label}”一行的列不符合格式（应为：{'、'.join(columns)}）。")
        for col, v in values.items():
            if v is None:
                continue
            if col in amounts:
                ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0
            else:
                ok = isinstance(v, int) and not isinstance(v, bool) and v >= 0
            if not ok:
                raise ReportFileError(f"{name}的“{label}·{col}”不是有效的数字：{v!r}。")


def parse_document(text: str, name: str = "报告文件") -> dict[str, Any]:
    """A report document from JSON text, checked against the format;
    :class:`ReportFileError` with a Chinese message if it is not one."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ReportFileError(f"{name}不是有效的JSON文件（{exc}）。请选择本程序导出的年度报告JSON文件。") from None
    if not isinstance(doc, dict) or "section3" not in doc:
        raise ReportFileError(f"{name}不是年度报告JSON文件（缺少“section3”）。请选择本程序导出的年度报告JSON文件。")
    if doc.get("format") != rs.FORMAT_ID:
        raise ReportFileError(
            f"{name}的报告格式是“{doc.get('format')}”，不是本程序使用的“{rs.FORMAT_ID}”格式，不能合并。")
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ReportFileError(f"{name}的年度“{year}”无效。")
    _check_rows(doc, "section3", [(lbl, SECTION3_VALUE_KEYS) for lbl in SECTION3_LABELS], name)
    _check_rows(doc, "section2", SECTION2_SHAPE, name, amounts=frozenset({"本年收费金额（单位：万元）"}))
    _check_rows(doc, "section4", SECTION4_SHAPE, name)
    for k in NARRATIVE_KEYS:
        if not isinstance(doc.get(k, ""), str):
            raise ReportFileError(f"{name}的“{NARRATIVE_KEYS[k]}”不是文字。")
    doc.setdefault("agency", "")
    doc.setdefault("agencies", [doc["agency"]])
    doc.setdefault("title", report_title(doc["agency"], year))
    return doc


def identity_errors(document: dict[str, Any]) -> list[str]:
    """Column labels of section 三 where 一 + 二 ≠ （七）总计 + 四."""
    rows = {r["label"]: r["values"] for r in document["section3"]}
    first, second = rows[SECTION3_LABELS[0]], rows[SECTION3_LABELS[1]]
    total = rows["（七）总计"]
    carry = rows["四、结转下年度继续办理"]
    return [c for c in SECTION3_VALUE_KEYS
            if (first[c] or 0) + (second[c] or 0) != (total[c] or 0) + (carry[c] or 0)]


def _add(a: Any, b: Any, amount: bool) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if amount:
        return float(format_amount(Decimal(str(a)) + Decimal(str(b))))
    return a + b


def combine(documents: list[tuple[str, dict[str, Any]]], agency: str | None = None) -> dict[str, Any]:
    """Add several agencies' reports of one year into one.  ``documents``
    holds ``(name, document)`` pairs (name for messages, e.g. the file
    name); refuses different years or formats and the same agency twice."""
    if len(documents) < 2:
        raise ReportFileError("合并至少需要两个年度报告JSON文件。")
    years = {doc["year"] for _, doc in documents}
    if len(years) > 1:
        detail = "；".join(f"{name}：{doc['year']}年" for name, doc in documents)
        raise ReportFileError(f"不能合并不同年度的报告（{detail}）。请只选择同一年度的文件。")
    formats = {doc.get("format") for _, doc in documents}
    if len(formats) > 1:
        raise ReportFileError(f"不能合并不同格式的报告（{'、'.join(map(str, formats))}）。")
    seen: dict[str, str] = {}
    agencies: list[str] = []
    for name, doc in documents:
        for a in doc.get("agencies") or [doc.get("agency", "")]:
            if a and a in seen:
                raise ReportFileError(f"“{a}”的数据在{seen[a]}和{name}中各出现一次，合并会重复计算。请去掉其中一个文件。")
            if a:
                seen[a] = name
                agencies.append(a)
    year = years.pop()
    first = documents[0][1]
    out = {
        "format": rs.FORMAT_ID,
        "year": year,
        "agency": agency or "、".join(agencies),
        "agencies": agencies,
        "preamble": "",
        "section1": "【请补充：汇总报告的总体情况】",
        "section5": "【请补充：存在的主要问题及改进情况】",
        "section6": "【请补充：其他需要报告的事项】",
        "generated_at": "", "generator": first.get("generator", ""),
    }
    out["title"] = report_title(out["agency"], year)
    out["preamble"] = (f"本报告汇总了{'、'.join(agencies)}共{len(agencies)}个机关"
                       f"{year}年政府信息公开工作年度报告的统计数据。")
    for key in ("section2", "section3", "section4"):
        rows = []
        for i, row in enumerate(first[key]):
            values = {}
            for col in row["values"]:
                amount = col.startswith("本年收费金额")
                total = None
                for _, doc in documents:
                    total = _add(total, doc[key][i]["values"][col], amount)
                values[col] = total
            rows.append({k: v for k, v in row.items() if k != "values"} | {"values": values})
        out[key] = rows
    return out
