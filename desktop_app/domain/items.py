"""An entry of the proactive-disclosure register (主动公开事项) as the
clerk records it: the fields, their checks in Chinese, the channels, the
document's validity, and the conversion to the :class:`proactive.Item`
the deadline and section 二 rules read.  No Qt, no SQL."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from . import proactive as pr
from .validation import parse_date

#: The setting that says whether the agency may make 规章 (rules).
SETTING_MAY_MAKE_RULES = "may_make_rules"
#: The setting holding the 索引号 pattern (``{年}`` and ``{序号}`` as for applications).
SETTING_INDEX_PATTERN = "item_index_pattern"
DEFAULT_INDEX_PATTERN = "ZDGK-{年}-{序号:05}"
#: The setting holding the 政府信息公开指南 text.
SETTING_GUIDE = "disclosure_guide"

RULES_REFUSED = ("本机关在“设置”中未标为有规章制定权的机关，不能登记规章。依《立法法》，只有国务院部门和"
                 "省、自治区、直辖市和设区的市、自治州人民政府可以制定规章；本机关制发的文件请登记为"
                 "“行政规范性文件”或“其他”。如本机关确有规章制定权，请在“设置 → 机关信息”中勾选。")

DATE_FIELDS = ("formed_on", "published_on", "issued_on", "effective_on", "amended_on", "repealed_on",
               "expires_on", "due_override", "reviewed_on", "signed_off_on")
TEXT_LIMITS = {"index_no": 60, "title": 300, "doc_number": 80, "issuer": 200, "attribute_reason": 500,
               "topic": 60, "summary": 2000, "reviewed_by": 40, "signed_off_by": 40, "notes": 2000}

FIELD_LABELS = {
    "index_no": "索引号", "title": "信息名称", "doc_number": "文号", "issuer": "发布机构",
    "formed_on": "形成或者变更日期", "published_on": "公开日期", "channels": "公开渠道",
    "attribute": "公开属性", "attribute_reason": "不公开或依申请公开的理由", "art20": "条例第二十条事项",
    "topic": "主题分类", "summary": "内容概述", "kind": "类别", "issued_on": "制发日期",
    "effective_on": "生效日期", "amended_on": "修订日期", "repealed_on": "废止日期", "expires_on": "有效期至",
    "interpretation_of": "所解读的文件", "due_override": "法定公开期限", "reviewed_by": "保密审查人",
    "reviewed_on": "保密审查日期", "signed_off_by": "签发人", "signed_off_on": "签发日期", "notes": "备注",
}


@dataclass(frozen=True)
class CommentPeriod:
    """A draft's public-comment period (征求意见)."""

    start_on: str
    end_on: str
    channel: str = ""
    comments_received: int | None = None
    usage: str = ""   # how the comments were used (意见采纳情况)
    id: int | None = None


@dataclass(frozen=True)
class ItemRecord:
    """One row of ``items`` (dates as ISO text, channels as a tuple of codes)."""

    id: int
    title: str
    index_no: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    formed_on: str | None = None
    published_on: str | None = None
    channels: tuple[str, ...] = ()
    attribute: str = "proactive"
    attribute_reason: str | None = None
    art20: int | None = None
    topic: str | None = None
    summary: str | None = None
    kind: str = "other"
    issued_on: str | None = None
    effective_on: str | None = None
    amended_on: str | None = None
    repealed_on: str | None = None
    expires_on: str | None = None
    interpretation_of: int | None = None
    due_override: str | None = None
    reviewed_by: str | None = None
    reviewed_on: str | None = None
    signed_off_by: str | None = None
    signed_off_on: str | None = None
    notes: str | None = None
    due_date: str | None = None
    days_late: int = 0
    source: str | None = None
    created_at: str = ""
    updated_at: str = ""
    comment_periods: tuple[CommentPeriod, ...] = field(default=(), compare=False)

    @property
    def kind_label(self) -> str:
        return pr.DocKind(self.kind).label

    @property
    def attribute_label(self) -> str:
        return pr.Attribute(self.attribute).label

    @property
    def channel_labels(self) -> str:
        return "、".join(pr.CHANNELS.get(c, c) for c in self.channels)


#: Columns of ``items`` the clerk edits (what a form or an import row holds).
EDITABLE_FIELDS: tuple[str, ...] = (
    "index_no", "title", "doc_number", "issuer", "formed_on", "published_on", "channels", "attribute",
    "attribute_reason", "art20", "topic", "summary", "kind", "issued_on", "effective_on", "amended_on",
    "repealed_on", "expires_on", "interpretation_of", "due_override", "reviewed_by", "reviewed_on",
    "signed_off_by", "signed_off_on", "notes")
STORED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ItemRecord) if f.name != "comment_periods")


def _d(value: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if value else None


def rule_item(record: ItemRecord) -> pr.Item:
    """What the deadline and section 二 rules read of a record."""
    return pr.Item(
        id=record.id, title=record.title, kind=pr.DocKind(record.kind), attribute=pr.Attribute(record.attribute),
        formed_on=_d(record.formed_on), published_on=_d(record.published_on),
        interpretation_of=record.interpretation_of, issued_on=_d(record.issued_on),
        repealed_on=_d(record.repealed_on), expires_on=_d(record.expires_on), due_override=_d(record.due_override))


def validity(record: ItemRecord, today: _dt.date) -> str:
    """有效性 of a rule or normative document on ``today`` ('' for other items)."""
    if record.kind not in ("rule", "normative"):
        return ""
    if record.repealed_on and record.repealed_on <= today.isoformat():
        return "已废止"
    if record.expires_on and record.expires_on < today.isoformat():
        return "已失效"
    if record.effective_on and record.effective_on > today.isoformat():
        return "尚未生效"
    if record.amended_on:
        return "有效（已修订）"
    return "有效"


def parse_channels(value: Any) -> tuple[tuple[str, ...], str | None]:
    """Channel codes from codes or labels (a list, or text separated by
    、，,;／/ or spaces); (codes, error message or None)."""
    if value is None or value == "":
        return (), None
    if isinstance(value, str):
        import re
        parts = [p for p in re.split(r"[、，,;；/／\s]+", value) if p]
    else:
        parts = [str(p) for p in value]
    by_label = {label: code for code, label in pr.CHANNELS.items()}
    aliases = {"网站": "website", "门户网站": "website", "政府网站": "website", "公报": "gazette",
               "政府公报": "gazette", "微信": "new_media", "微博": "new_media", "政务新媒体": "new_media",
               "新媒体": "new_media", "公众号": "new_media", "公开栏": "notice_board", "公告栏": "notice_board",
               "政务公开栏": "notice_board", "新闻发布会": "press", "报刊": "press", "广播电视": "press",
               "报纸": "press", "其他": "other"}
    out: list[str] = []
    bad: list[str] = []
    for p in parts:
        code = p if p in pr.CHANNELS else by_label.get(p) or aliases.get(p)
        if code is None:
            bad.append(p)
        elif code not in out:
            out.append(code)
    if bad:
        return tuple(out), (f"公开渠道“{'、'.join(bad)}”无法识别，请填写："
                            f"{'、'.join(pr.CHANNELS.values())}（可填多个，用顿号分隔）。")
    return tuple(out), None


def _art20(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    for n in pr.ART20_ITEMS:
        label = pr.art20_label(n)
        inner = label[label.index("（") + 1:label.index("）")]
        if text in (label, f"（{inner}）", f"({inner})", inner, f"第（{inner}）项"):
            return n
    raise ValueError(text)


def clean_item(values: Mapping[str, Any], *, may_make_rules: bool,
               today: _dt.date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of a form or an import row, checked: (clean values of
    :data:`EDITABLE_FIELDS`, {field: Chinese message}).  Dates become ISO
    text, channels a tuple of codes."""
    today = today or _dt.date.today()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        v = values.get(name)
        if isinstance(v, str):
            v = v.strip() or None
        out[name] = v
    _clean_texts(out, errors)
    _clean_dates(out, errors, today)
    _clean_publication(out, errors, values.get("channels"))
    _clean_kind(out, errors, may_make_rules)
    _clean_links(out, errors)
    return out, errors


def _clean_texts(out: dict[str, Any], errors: dict[str, str]) -> None:
    for name, limit in TEXT_LIMITS.items():
        v = out.get(name)
        if v is not None:
            v = str(v)
            out[name] = v
            if len(v) > limit:
                errors[name] = f"“{FIELD_LABELS[name]}”最多{limit}字（现在{len(v)}字），请精简。"
    if not out["title"]:
        errors["title"] = "请填写信息名称。"


def _clean_dates(out: dict[str, Any], errors: dict[str, str], today: _dt.date) -> None:
    for name in DATE_FIELDS:
        v = out.get(name)
        try:
            d = parse_date(v)
        except (ValueError, TypeError):
            errors[name] = f"“{FIELD_LABELS[name]}”不是有效日期，请按 2026-03-05 的格式填写。"
            continue
        out[name] = d.isoformat() if d else None
        if d and not _dt.date(1949, 10, 1) <= d <= _dt.date(2100, 12, 31):
            errors[name] = f"“{FIELD_LABELS[name]}”超出合理范围，请核对年份。"
    if out["published_on"] and "published_on" not in errors and out["published_on"] > today.isoformat():
        errors["published_on"] = "公开日期不能晚于今天；尚未公开的请留空。"
    if (out["formed_on"] and out["published_on"] and "formed_on" not in errors and "published_on" not in errors
            and out["published_on"] < out["formed_on"]):
        errors["published_on"] = "公开日期早于形成或者变更日期，请核对。"


def _clean_publication(out: dict[str, Any], errors: dict[str, str], channels_value: Any) -> None:
    """Channels, 公开属性 and its reason, what a proactive item needs, the Art. 20 item."""
    channels, problem = parse_channels(channels_value)
    out["channels"] = channels
    if problem:
        errors["channels"] = problem
    attr = out["attribute"] or "proactive"
    if attr not in {a.value for a in pr.Attribute}:
        attr = {a.label: a.value for a in pr.Attribute}.get(str(attr))
        if attr is None:
            errors["attribute"] = "公开属性应为：主动公开、依申请公开或不予公开。"
            attr = "proactive"
    out["attribute"] = attr
    if attr != "proactive" and not out["attribute_reason"]:
        errors["attribute_reason"] = f"“{pr.Attribute(attr).label}”须写明理由（如依据的法律条款）。"
    interpretation = out["kind"] in ("interpretation", pr.DocKind.INTERPRETATION.label)
    if attr == "proactive" and out["published_on"] is None and not out["formed_on"] and not out["due_override"] \
            and not interpretation:  # an interpretation counts from its document's publication
        errors["formed_on"] = "主动公开的信息须填写形成或者变更日期（据此计算20个工作日的公开期限）。"
    if attr == "proactive" and out["published_on"] and not channels:
        errors["channels"] = "已公开的信息请至少选择一个公开渠道。"
    try:
        out["art20"] = _art20(out["art20"])
    except ValueError:
        errors["art20"] = "条例第二十条事项应为（一）至（十五）之一，如“第二十条第（五）项”或 5。"
        out["art20"] = None
    if out["art20"] is not None and out["art20"] not in pr.ART20_ITEMS:
        errors["art20"] = "条例第二十条事项应为（一）至（十五）之一。"


def _clean_kind(out: dict[str, Any], errors: dict[str, str], may_make_rules: bool) -> None:
    """The type, and a rule's or normative document's life dates."""
    kind = out["kind"] or "other"
    if kind not in {k.value for k in pr.DocKind}:
        kind = {k.label: k.value for k in pr.DocKind}.get(str(kind))
        if kind is None:
            errors["kind"] = "类别应为：规章、行政规范性文件、政策解读或其他。"
            kind = "other"
    out["kind"] = kind
    if kind == "rule" and not may_make_rules:
        errors["kind"] = RULES_REFUSED
    if kind in ("rule", "normative"):
        issued = out["issued_on"] or out["formed_on"]
        if not issued:
            errors.setdefault("issued_on", "规章和行政规范性文件须填写制发日期（或形成日期），第二部分据此统计本年制发件数。")
        for name in ("repealed_on", "expires_on", "amended_on"):
            v = out.get(name)
            if v and issued and name not in errors and v < issued:
                errors[name] = f"“{FIELD_LABELS[name]}”早于制发日期，请核对。"
        if out["art20"] is None:
            out["art20"] = 1
    else:
        for name in ("repealed_on", "effective_on", "amended_on", "expires_on"):
            if out.get(name):
                errors[name] = f"只有规章和行政规范性文件有“{FIELD_LABELS[name]}”，请先把类别改为其中之一，或清空此项。"


def _clean_links(out: dict[str, Any], errors: dict[str, str]) -> None:
    """The document an interpretation explains; who checked and signed it off."""
    interp = out["interpretation_of"]
    if interp in ("", None):
        out["interpretation_of"] = None
    else:
        try:
            out["interpretation_of"] = int(interp)
        except (TypeError, ValueError):
            errors["interpretation_of"] = "所解读的文件无效，请重新选择。"
            out["interpretation_of"] = None
    if out["kind"] == "interpretation" and out["interpretation_of"] is None:
        errors["interpretation_of"] = "政策解读须选择所解读的文件（据此计算3个工作日的公开期限）。"
    if out["kind"] != "interpretation":
        out["interpretation_of"] = None
    if out["reviewed_on"] and not out["reviewed_by"]:
        errors["reviewed_by"] = "填写了保密审查日期，请同时填写审查人。"
    if out["signed_off_on"] and not out["signed_off_by"]:
        errors["signed_off_by"] = "填写了签发日期，请同时填写签发人。"


def clean_comment_period(values: Mapping[str, Any]) -> tuple[CommentPeriod | None, str | None]:
    """A comment period from a form; (period, Chinese error)."""
    try:
        start, end = parse_date(values.get("start_on")), parse_date(values.get("end_on"))
    except (ValueError, TypeError):
        return None, "征求意见的起止日期无效，请按 2026-03-05 的格式填写。"
    if start is None or end is None:
        return None, "请填写征求意见的开始和结束日期。"
    if end < start:
        return None, "征求意见的结束日期早于开始日期，请核对。"
    n = values.get("comments_received")
    if n in ("", None):
        n = None
    else:
        try:
            n = int(n)
        except (TypeError, ValueError):
            return None, "收到意见数应为整数。"
        if n < 0:
            return None, "收到意见数不能为负数。"
    return CommentPeriod(start.isoformat(), end.isoformat(), str(values.get("channel") or "").strip(), n,
                         str(values.get("usage") or "").strip(), values.get("id")), None


#: Short names of the Art. 20 items for running text.
ART20_SHORT = {1: "规章和规范性文件", 2: "机关职能和机构设置", 3: "规划及相关政策", 4: "统计信息",
               5: "行政许可等对外管理服务事项", 6: "行政处罚、行政强制", 7: "财政预算、决算", 8: "行政事业性收费",
               9: "政府集中采购", 10: "重大建设项目", 11: "扶贫、教育、医疗、社会保障、促进就业",
               12: "突发公共事件", 13: "环境保护、公共卫生、安全生产等监督检查", 14: "公务员招考录用",
               15: "其他应当主动公开的信息"}

#: The register's filters by timeliness.
STATE_FILTERS = {"due_soon": "即将到期", "overdue": "已逾期", "late": "逾期公开", "unpublished": "尚未公开"}
#: Sort keys of the register (column names of ``items``).
SORT_KEYS = ("index_no", "title", "doc_number", "formed_on", "published_on", "due_date", "art20", "kind",
             "days_late", "id")


@dataclass(frozen=True)
class ItemFilter:
    """What the register shows: ``state`` one of :data:`STATE_FILTERS`;
    ``year`` of publication (or of formation while unpublished); ``text``
    searched in 名称、文号、索引号."""

    state: str | None = None
    year: int | None = None
    art20: int | None = None
    kind: str | None = None
    text: str = ""


@dataclass(frozen=True)
class ProactiveFacts:
    """What the register says about a year, for the report's sections 一 and 五."""

    published: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_art20: dict[int, int] = field(default_factory=dict)
    interpretations: int = 0
    documents: int = 0
    late: int = 0
    late_max_days: int = 0
    late_total_days: int = 0
    overdue_now: int = 0
    interpretations_late: int = 0
