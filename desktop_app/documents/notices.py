"""From an application record to the snapshot a notice is printed from.

A *snapshot* is a plain dict (stored as JSON with the issued document)
holding every word and value of one printed notice: title, addressee,
paragraphs, tables, the agency block, the recipient's postal address for
the envelope.  Rendering depends on the snapshot alone, so a reprint of an
issued notice is identical to the first print.

Everything a notice states is handed in ready (:class:`NoticeFacts`):
the application, the settings, the template's wording, the deadline
state on the agency's calendar (the reply due date, the correction,
payment and third-party reply-by dates, the extended due date), the
documents already issued.  The clerk may override any value (the
``extras`` of :func:`draft`).  ``services.notices`` gathers the facts,
numbers and stores what is issued.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import APP_NAME
from ..domain import catalog, fees
from ..domain.deadlines import DeadlineState
from ..domain.legal_basis import NOTICE_ARTICLES, REGULATION, cite, reply_basis
from ..domain import remedies, reply_grounds
from ..domain.records import Application, IssuedDocument
from ..domain.validation import format_date_cn, parse_date
from ..domain.workdays import PROVISIONAL_RULE, WorkdayCalendar
from . import templates as tpl

SNAPSHOT_VERSION = 1
OLD_REGULATION_UNTIL = _dt.date(2019, 5, 15)  # the 2019 Regulation took effect

#: Notice kinds (CLI ``--kind`` values use '-' for '_').
NOTICE_KINDS: dict[str, str] = {
    "receipt": "登记回执",
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "third_party": "征求第三方意见函",
    "fee": "收费通知书",
    "later_date": "另行确定答复期限告知书",
    "reply": "答复告知书",
    "service": "送达回证",
}

DEFAULT_RECONSIDERATION = "本机关的上一级主管部门或者本级人民政府"
DEFAULT_COURT = "有管辖权的人民法院"
DEFAULT_FEE_PAYMENT = "请持本通知书到本机关政府信息公开工作机构办理缴费手续"

REPLY_CONTENT_DEFAULTS: dict[str, str] = {
    "disclosed": "现将您申请公开的政府信息提供给您，请查收。",
    "partly_disclosed": "现将可以公开的部分提供给您，请查收。",
}
PARTLY_DEFAULT_REASON = "该部分信息属于依法不予公开的政府信息"


class NoticeError(ValueError):
    """A notice that cannot be made from the record as it is; the message
    says what to fill in first."""


@dataclass(frozen=True)
class NoticeFacts:
    """Everything one notice of one application is made from."""

    record: Application
    settings: Mapping[str, Any]
    #: the wording of the template kind (the agency's, or the shipped default)
    template_text: str
    calendar: WorkdayCalendar
    #: the deadline state of the application (None: none can be computed)
    state: DeadlineState | None = None
    #: documents already issued for the application, oldest first
    issued: Sequence[IssuedDocument] = ()
    #: the applications received in the same month (the fee's monthly count)
    same_month: Sequence[Application] = ()
    #: the number the next issued document will get (shown in the preview)
    next_doc_number: str = ""
    #: the agency's kind and reviewing bodies (None: not set in 设置)
    profile: remedies.AgencyProfile | None = None
    #: the answers whose replies carry 复议前置 (None: the default)
    first_grounds: frozenset[str] | None = None


@dataclass
class Draft:
    """A notice ready to preview and issue: ``build(doc_number)`` gives the
    snapshot; ``snapshot`` is built with the number the next issue would
    get (``doc_number``)."""

    app_id: int | None
    kind: str
    issue_date: _dt.date
    doc_number: str
    snapshot: dict[str, Any]
    extras: dict[str, Any]
    build: Callable[[str], dict[str, Any]]
    #: dates resting on a year whose holiday schedule is unknown, old rules
    warnings: list[str] = field(default_factory=list)
    #: the workflow step recorded with the notice: (kind, data), or None
    #: when the step is already on the record (or the kind has none)
    step: tuple[str, dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        return str(self.snapshot.get("label") or NOTICE_KINDS.get(self.kind, self.kind))


def normalise_kind(kind: str) -> str:
    k = (kind or "").strip().replace("-", "_")
    if k not in NOTICE_KINDS:
        raise NoticeError(f"未知的文书类型“{kind}”，应为：{'、'.join(x.replace('_', '-') for x in NOTICE_KINDS)}。")
    return k


def template_kind(kind: str, record: Application) -> str:
    if kind != "reply":
        return kind
    if not record.outcome:
        raise NoticeError(
            f"申请 {record.serial} 尚未填写办理结果，无法出具答复告知书。"
            "请先在申请详情中填写办理结果和答复日期。")
    return f"reply_{record.outcome}"


# --- dates from the deadline rules ---------------------------------------------------------


class _Dates:
    """Working-day arithmetic and the deadline state of one application."""

    def __init__(self, facts: NoticeFacts):
        self.record = facts.record
        self.state = facts.state
        self.calendar = facts.calendar
        self.unknown_years: set[int] = set()

    def add(self, start: _dt.date, n: int) -> _dt.date:
        end = self.calendar.add_working_days(start, n, allow_provisional=True)
        self.unknown_years.update(self.calendar.unknown_years_between(start, end))
        return end

    def warnings(self) -> list[str]:
        if not self.unknown_years:
            return []
        years = "、".join(f"{y}年" for y in sorted(self.unknown_years))
        return [f"文书中的日期跨入{years}，该年的节假日安排尚未录入，暂按放假办法推算（{PROVISIONAL_RULE}）。"
                "国务院公布安排后请在“设置 → 期限与日历”中录入，并核对日期后再发出。"]

    def rule(self, name: str, default: int) -> int:
        rules = self.state.rules if self.state is not None else None
        return int(getattr(rules, name, default) or default)

    def due_date(self) -> _dt.date:
        if self.state is not None and self.state.due_date:
            self.unknown_years.update(self.state.unknown_years or ())
            return self.state.due_date
        due = parse_date(self.record.due_date) if self.record.due_date else None
        if due is not None:
            return due
        receipt = parse_date(self.record.receipt_date)
        assert receipt is not None  # a registered application has a receipt date
        return self.add(receipt, 15 if receipt < OLD_REGULATION_UNTIL else 20)


# --- values ---------------------------------------------------------------------------------


def _agency(settings: Mapping[str, Any]) -> dict[str, str]:
    return {
        "name": (settings.get("agency_name") or "").strip(),
        "office": (settings.get("disclosure_office") or "").strip(),
        "address": (settings.get("agency_address") or "").strip(),
        "postcode": (settings.get("agency_postcode") or "").strip(),
        "phone": (settings.get("agency_phone") or "").strip(),
        "clerk": (settings.get("clerk_name") or "").strip(),
    }


def base_values(record: Application, settings: Mapping[str, Any], issue_date: _dt.date,
                doc_number: str) -> dict[str, str]:
    agency = _agency(settings)
    return {
        "机关名称": agency["name"] or "（机关名称）",
        "公开工作机构": agency["office"] or agency["name"],
        "机关地址": agency["address"],
        "机关邮编": agency["postcode"],
        "机关电话": agency["phone"],
        "经办人": agency["clerk"],
        "申请人": record.applicant_name or "",
        "申请编号": record.serial or "",
        "收到日期": format_date_cn(record.receipt_date),
        "申请方式": catalog.CHANNELS.get(record.channel or "", "其他"),
        "申请内容": (record.info_description or "").strip().rstrip("。.；;，,"),
        "文号": doc_number,
        "发文日期": format_date_cn(issue_date),
        "条例": REGULATION,
        "收费依据": fees.FEE_BASIS,
    }


#: How a notice addresses its addressee in place of the template's "您（单位）".
YOU_PERSON = "您"
YOU_ORGANISATION = "你单位"
YOU_EITHER = "您（单位）"


def address_form(party_type: str | None, name: str | None = None) -> str:
    """"您" for a natural person, "你单位" for an organisation; where the
    type is not recorded, "你单位" when ``name`` reads as an organisation's
    (…公司, …局, …委员会) and "您" otherwise — never the template's
    "您（单位）", which the applicant would read as a form left unfilled."""
    if party_type == catalog.NATURAL_PERSON:
        return YOU_PERSON
    if party_type == catalog.ORGANISATION:
        return YOU_ORGANISATION
    return YOU_ORGANISATION if catalog.name_looks_like_organisation(name) else YOU_PERSON


def address(text: str, you: str) -> str:
    """``text`` addressed as ``you``: "您（单位）" becomes "您" or "你单位";
    to an organisation every "您" becomes "你单位"."""
    text = text.replace(YOU_EITHER, you)
    return text.replace(YOU_PERSON, YOU_ORGANISATION) if you == YOU_ORGANISATION else text


def _extra(extras: Mapping[str, Any], key: str) -> str:
    value = extras.get(key)
    return str(value).strip() if value is not None else ""


@dataclass
class _Kind:
    """What one kind of notice adds: placeholder values and structured
    parts of the snapshot (tables, reply slip, recipient)."""

    facts: NoticeFacts
    issue_date: _dt.date
    extras: Mapping[str, Any]
    dates: _Dates
    values: dict[str, str] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def record(self) -> Application:
        return self.facts.record

    @property
    def settings(self) -> Mapping[str, Any]:
        return self.facts.settings

    @property
    def state(self) -> DeadlineState | None:
        return self.facts.state

    def extra(self, key: str) -> str:
        return _extra(self.extras, key)


def _receipt(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["receipt"]
    k.values["答复期限天数"] = str(k.dates.rule("reply_days", 20))
    k.values["答复期限"] = k.extra("答复期限") or format_date_cn(k.dates.due_date())


def _correction(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["correction"]
    corr = (k.state.correction if k.state else None) or {}
    items = k.extra("补正内容") or str(corr.get("items") or "").strip()
    if not items:
        raise NoticeError("请填写需要补正的事项（一次性列明全部需要补正的内容），再出具补正告知书。")
    k.values["补正内容"] = items
    days = int(corr.get("period_days") or k.dates.rule("correction_period_days", 15))
    k.values["补正期限天数"] = str(days)
    deadline = k.extra("补正期限")
    if not deadline:
        if corr.get("deadline"):
            deadline = format_date_cn(corr["deadline"])
            k.dates.add(corr["sent"], days)  # notes a year without a schedule
        else:
            deadline = format_date_cn(k.dates.add(k.issue_date, days))
    k.values["补正期限"] = deadline
    k.values["答复期限天数"] = str(k.dates.rule("reply_days", 20))


def _extension(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["extension"]
    ext = (k.state.extension if k.state else None) or {}
    reason = k.extra("延期理由") or str(ext.get("reason") or "").strip()
    if not reason:
        raise NoticeError("请填写延期答复的理由，再出具延期答复告知书。")
    k.values["延期理由"] = reason.rstrip("。")
    days = int(ext.get("days") or k.dates.rule("extension_days", 20))
    if k.state is not None and ext and k.state.due_date:
        new_due = k.state.due_date
        original = k.dates.add(new_due, -days)
        k.dates.unknown_years.update(k.state.unknown_years or ())
    else:
        original = k.dates.due_date()
        new_due = k.dates.add(original, days)
    k.values["延长天数"] = str(days)
    k.values["原答复期限"] = k.extra("原答复期限") or format_date_cn(original)
    k.values["延期后答复期限"] = k.extra("延期后答复期限") or format_date_cn(new_due)
    k.values["答复期限"] = k.values["延期后答复期限"]


def _third_party(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["third_party"]
    tps = list(k.state.third_parties if k.state else [])
    name = k.extra("第三方") or (str(tps[-1].get("name") or "") if tps else "")
    if not name:
        raise NoticeError("请填写被征求意见的第三方名称，再出具征求第三方意见函。")
    tp = next((t for t in reversed(tps) if t.get("name") == name), None) or {}
    co_maker = (k.extra("征求对象") == "co_maker") or tp.get("role") == "co_maker"
    if co_maker:
        k.values["条款"] = NOTICE_ARTICLES["co_maker"]
    k.values["第三方"] = name
    k.values["涉及信息"] = (k.extra("涉及信息") or (k.record.info_description or "").strip()).rstrip("。")
    k.values["征求理由"] = k.extra("征求理由") or (
        "该信息由本机关与您（单位）共同制作。" if co_maker else
        "该信息可能涉及您（单位）的商业秘密、个人隐私等合法权益，公开后可能对您（单位）的合法权益造成损害。")
    days = k.dates.rule("third_party_days", 15)
    k.values["第三方期限天数"] = str(days)
    k.values["逾期后果"] = ("逾期未提出意见的，视为同意公开。" if co_maker
                        else "逾期未提出意见的，由本机关依照条例的规定决定是否公开。")
    # The period runs from the day the letter is received: never a day
    # before the letter's own date.
    deadline = k.extra("第三方答复期限")
    if not deadline:
        floor = k.dates.add(k.issue_date, days)
        stored = tp.get("deadline") if tp.get("delivered") else None
        deadline = format_date_cn(max(stored, floor) if stored else floor)
    k.values["第三方答复期限"] = deadline
    k.parts["recipient"] = {"name": name, "address": k.extra("第三方地址"), "postcode": k.extra("第三方邮编")}
    k.parts["reply_slip"] = True
    k.parts["you"] = address_form(k.extra("第三方类型") or tp.get("party_type"), name)


def _fee(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["fee"]
    method = k.extra("收费方式代码") or k.settings.get("fee_method") or fees.PER_PIECE
    quote = fee_quote(k.record, k.facts.same_month, method, k.extras.get("页数"))
    if quote.free:
        raise NoticeError(f"{quote.explanation()}无需出具收费通知书。")
    k.values["收费方式"] = quote.method_label
    k.values["收费标准"] = quote.tariff
    k.values["收费金额"] = fees.format_yuan(quote.amount)
    k.values["计费说明"] = quote.explanation().rstrip("。").split("，合计")[0] + "，"
    days = k.dates.rule("fee_payment_days", 20)
    k.values["缴费天数"] = str(days)
    k.values["缴费期限"] = k.extra("缴费期限") or _fee_deadline_text(k, days)
    k.values["缴费方式"] = (k.extra("缴费方式") or str(k.settings.get("fee_payment") or "").strip()
                        or DEFAULT_FEE_PAYMENT).rstrip("。")
    k.parts["table"] = {
        "header": ["计费项目", "数量", "标准", "金额"],
        "rows": [[ln.label, f"{ln.quantity}{ln.unit}", f"{ln.rate}元/{ln.unit}",
                  fees.format_yuan(ln.amount)] for ln in quote.lines],
        "total": ["合计", "", "", fees.format_yuan(quote.amount)],
    }
    k.parts["fee"] = {"method": quote.method, "quantity": quote.quantity, "amount": quote.amount}


def _fee_deadline_text(k: _Kind, days: int) -> str:
    """The last day to pay, for a template that prints one ({缴费期限}):
    the period runs from the day the applicant RECEIVES the notice (国办函
    〔2020〕109号), so a date is only an estimate from the notice's date
    and its delivery (the 送达日期 given, else none counted), and says so."""
    delivered_text = k.extra("送达日期")
    delivered = None
    if delivered_text:
        try:
            delivered = parse_date(delivered_text)
        except ValueError:
            raise NoticeError(f"送达日期“{delivered_text}”不是有效日期，请按 2026-03-10 的格式填写。") from None
    start = max(delivered, k.issue_date) if delivered else k.issue_date
    last = format_date_cn(k.dates.add(start, days))
    if delivered:
        how = f"按本通知书于{format_date_cn(start)}送达推算"
    else:
        how = f"按本通知书发文日期{format_date_cn(k.issue_date)}推算，未计送达所需时间"
    return f"{last}（{how}；缴费期限以您收到本通知书之日起算）"


def _later_date(k: _Kind) -> None:
    k.values["条款"] = NOTICE_ARTICLES["later_date"]
    fixed = (k.state.fixed_due if k.state else None) or {}
    due = k.extra("另行确定期限") or (fixed["due"].isoformat() if fixed.get("due") else "")
    reason = k.extra("理由") or str(fixed.get("reason") or "").strip()
    if not due or not reason:
        raise NoticeError("请填写另行确定的答复期限和理由（申请人说明的理由合理，但无法在规定期限内答复的原因）。")
    try:
        k.values["另行确定期限"] = format_date_cn(parse_date(due))
    except ValueError:
        raise NoticeError(f"另行确定的答复期限“{due}”不是有效日期，请按 2026-06-30 的格式填写。") from None
    k.values["理由"] = reason.rstrip("。")


def reply_ground(record: Application, code: str | None = None) -> reply_grounds.ReplyGround:
    """The answer a reply gives: ``code`` (one of the answers counted
    under the record's report row), else that row's default answer."""
    outcome = record.outcome or ""
    reason = int(record.outcome_reason) if record.outcome_reason else None
    choices = reply_grounds.grounds_for(outcome, reason)
    if code:
        chosen = reply_grounds.BY_CODE.get(code)
        if chosen is None or chosen not in choices:
            allowed = "、".join(f"{g.code}（{g.label}）" for g in choices)
            raise NoticeError(f"答复类型“{code}”与办理结果“{catalog.outcome_label(outcome, reason)}”不符，"
                              f"应为：{allowed}。")
        return chosen
    if not choices:
        raise NoticeError(f"办理结果“{catalog.outcome_label(outcome, reason)}”没有对应的答复类型，"
                          "请在申请中选择办理结果的具体情形。")
    return choices[0]


def reply_remedy(facts: NoticeFacts, ground: reply_grounds.ReplyGround, reply_date: _dt.date) -> remedies.Remedy:
    """The remedy paragraph of a reply: the agency's clause for this
    answer, its reviewing body, the law as it stood on ``reply_date``."""
    if facts.profile is None:
        raise NoticeError("答复告知书须写明向哪个机关申请行政复议。请先在“设置 → 文书 → 救济途径”中选择"
                          "本机关的类别并填写复议机关的全称。")
    clause = reply_grounds.clause_for(ground, facts.first_grounds)
    try:
        return remedies.remedy(clause, facts.profile, reply_date, partial=ground.code == "partly_disclosed")
    except remedies.RemedyError as exc:
        raise NoticeError(str(exc)) from None


def _reply(k: _Kind) -> None:
    outcome = k.record.outcome or ""
    if not k.record.reply_date:
        raise NoticeError(f"申请 {k.record.serial} 尚未记录答复日期。请先在申请详情中记录办理结果和答复日期"
                          "（答复告知书以答复日期为发文日期）。")
    ground = reply_ground(k.record, k.extra("答复类型"))
    needs = {n.key: k.extra(n.label) or k.extra(n.key) for n in ground.needs}
    if ground.code in ("disclosed", "partly_disclosed") and not needs.get("how_provided"):
        needs["how_provided"] = k.extra("答复内容") or "随本告知书一并提供"
    missing = ground.missing(needs)
    if missing:
        raise NoticeError(f"“{ground.label}”的答复告知书须写明：{'、'.join(missing)}。请填写后再预览。")
    needs = {key: value.rstrip("。") for key, value in needs.items()}
    if needs.get("withheld_parts"):  # one withheld part a line, each a sentence
        needs["withheld_parts"] = "\n".join(
            line.strip().rstrip("。；;，,") + "。" for line in needs["withheld_parts"].splitlines() if line.strip())
    decision = ground.decision_text(needs)
    why = k.extra("理由")
    if why and ground.code.startswith("withhold_"):
        decision += f"具体理由：{why.rstrip('。')}。"
    remedy = reply_remedy(k.facts, ground, k.issue_date)
    k.values["条款"] = ground.citation
    basis = reply_basis(outcome, k.record.outcome_reason)
    k.values["理由"] = (why or basis.reason or PARTLY_DEFAULT_REASON).rstrip("。")
    k.values["答复决定"] = decision
    k.values["救济途径"] = remedy.text
    k.values["答复内容"] = k.extra("答复内容") if ground.code not in ("disclosed", "partly_disclosed") else ""
    k.values["复议机关"] = "或者".join(remedy.bodies)
    k.values["诉讼法院"] = str(k.settings.get("litigation_court") or "").strip() or DEFAULT_COURT
    k.values["答复期限"] = format_date_cn(k.dates.due_date()) if k.record.receipt_date else ""
    k.parts["outcome"] = {"code": outcome, "reason": k.record.outcome_reason,
                          "label": catalog.outcome_label(outcome, k.record.outcome_reason),
                          "ground": ground.code, "citation": ground.citation,
                          "remedy_clause": remedy.clause.value, "remedy_citations": list(remedy.citations),
                          "reviewing_bodies": list(remedy.bodies)}


def _service(k: _Kind) -> None:
    k.values["条款"] = ""
    served = k.extra("送达文书")
    if not served:
        issued = [d for d in k.facts.issued if d.kind != "service"]
        if issued:
            last = issued[-1]
            served = f"{last.snapshot.get('title') or last.kind}（{last.doc_number}）"
    if not served:
        raise NoticeError("请填写所送达文书的名称和文号（或先出具要送达的文书），再出具送达回证。")
    k.values["送达文书"] = served
    manner = k.extra("送达方式") or ("直接送达" if k.record.channel == "in_person" else "邮寄送达")
    place = k.extra("送达地点") or (k.record.address or "")
    k.parts["table"] = {
        "rows": [
            ["送达文书名称及文号", served],
            ["受送达人", k.record.applicant_name or ""],
            ["送达地点", place],
            ["送达方式", manner],
            ["送达人", k.extra("送达人") or _agency(k.settings)["clerk"]],
            ["受送达人签名或盖章", "\n\n　　　　　　　　　　　　年　　月　　日"],
            ["代收人及代收理由", ""],
            ["备注", k.extra("备注")],
        ],
    }


#: What each kind of notice fills in.
_KIND_VALUES: dict[str, Callable[[_Kind], None]] = {
    "receipt": _receipt, "correction": _correction, "extension": _extension,
    "third_party": _third_party, "fee": _fee, "reply": _reply, "service": _service,
    "later_date": _later_date,
}


def fee_quote(record: Application, same_month: Sequence[Application], method: str,
              pages: object = None) -> fees.FeeQuote:
    """The fee of ``record`` under ``method``, counting the same
    applicant's applications of the month (``same_month``)."""
    if method == fees.PER_PAGE:
        if pages in (None, ""):
            raise NoticeError("按量计收须填写提供信息的页数。")
        try:
            count = int(str(pages))
        except (TypeError, ValueError):
            raise NoticeError(f"页数“{pages}”不是整数，请重新填写。") from None
        if count < 0:
            raise NoticeError("页数不能为负数。")
        return fees.per_page_fee(count)
    return fees.quote_for(record, same_month, method, None)


def month_of(record: Application) -> tuple[str, str]:
    """(first day, first day of the next month) of the receipt month."""
    start, nxt = fees.month_bounds(record.receipt_date)
    return start.isoformat(), nxt.isoformat()


# --- snapshots ---------------------------------------------------------------------------------


def issue_date_of(kind: str, record: Application, issue_date: object = None) -> _dt.date:
    """The date a notice bears: given, the reply date for a reply, else today."""
    if issue_date is None:
        if kind == "reply" and record.reply_date:
            issue_date = record.reply_date
        else:
            issue_date = _dt.date.today()
    day = parse_date(issue_date)
    if day is None:
        raise NoticeError("请填写发文日期。")
    try:
        receipt = parse_date(record.receipt_date)
    except ValueError:
        receipt = None
    if receipt and day < receipt:
        raise NoticeError(f"发文日期（{format_date_cn(day)}）早于收到申请的日期"
                          f"（{format_date_cn(receipt)}），请核对发文日期。")
    return day


def provisional_note(dates: _Dates) -> str:
    """The sentence a notice prints when one of its dates was counted over
    a year whose official holiday schedule was not yet published."""
    if not dates.unknown_years:
        return ""
    years = "、".join(f"{y}年" for y in sorted(dates.unknown_years))
    return (f"说明：本文书所列日期涉及{years}，系在国务院办公厅公布该年节假日安排前，"
            "按《全国年节及纪念日放假办法》规定的法定节假日推算；公布的安排与推算不一致的，以依法重新计算的日期为准。")


def draft(facts: NoticeFacts, kind: str, *, issue_date: object = None,
          extras: Mapping[str, Any] | None = None) -> Draft:
    """A draft of notice ``kind`` from ``facts``, numbered with
    ``facts.next_doc_number``.  :class:`NoticeError` says what is missing."""
    kind = normalise_kind(kind)
    record, settings = facts.record, facts.settings
    given = dict(extras or {})
    tkind = template_kind(kind, record)
    day = issue_date_of(kind, record, issue_date)
    template = tpl.parse(tkind, facts.template_text)
    dates = _Dates(facts)
    filled_in = _Kind(facts, day, given, dates)
    _KIND_VALUES[kind](filled_in)
    parts = filled_in.parts

    you = parts.get("you") or address_form(record.applicant_type, record.applicant_name)
    provisional = provisional_note(dates) if kind != "service" else ""

    def build(doc_number: str) -> dict[str, Any]:
        values = base_values(record, settings, day, doc_number)
        values.update(filled_in.values)
        filled = tpl.render(template, values)
        paragraphs = [address(p, you) for p in filled.paragraphs]
        if provisional:
            paragraphs.append(provisional)
        recipient = parts.get("recipient") or {
            "name": record.applicant_name or "", "address": record.address or "",
            "postcode": record.postcode or ""}
        return {
            "version": SNAPSHOT_VERSION, "kind": kind, "template_kind": tkind,
            "label": tpl.TEMPLATE_KINDS[tkind], "serial": record.serial, "application_id": record.id,
            "doc_number": doc_number, "issue_date": day.isoformat(), "date_cn": format_date_cn(day),
            "title": filled.title, "addressee": filled.addressee, "paragraphs": paragraphs,
            "article": cite(values.get("条款", "")) if values.get("条款") else "",
            "agency": _agency(settings), "recipient": recipient, "table": parts.get("table"),
            "reply_slip": bool(parts.get("reply_slip")), "fee": parts.get("fee"),
            "outcome": parts.get("outcome"), "envelope_boxes": bool(settings.get("envelope_boxes", True)),
            "creator_app": APP_NAME,
        }

    warnings = dates.warnings()
    receipt = record.receipt
    if receipt is not None and receipt < OLD_REGULATION_UNTIL and kind != "service":
        warnings.append("本申请于2019年5月15日前收到，适用2008年施行的条例（答复期限15个工作日），"
                        "文书模板引用的是2019年条例的条款，请核对后再发出。")
    peek = facts.next_doc_number
    return Draft(record.id, kind, day, peek, build(peek), given, build, warnings)


def envelope_snapshot(record: Application, settings: Mapping[str, Any]) -> dict[str, Any]:
    """What an envelope alone needs (the applicant as recipient, the
    agency as sender); no document number."""
    return {
        "version": SNAPSHOT_VERSION,
        "kind": "envelope",
        "label": "信封",
        "serial": record.serial,
        "doc_number": "",
        "title": f"信封（{record.serial or ''}）",
        "agency": _agency(settings),
        "recipient": {"name": record.applicant_name or "", "address": record.address or "",
                      "postcode": record.postcode or ""},
        "envelope_boxes": bool(settings.get("envelope_boxes", True)),
    }


class BatchError(NoticeError):
    """Some applications of a batch cannot get the notice; nothing was
    issued.  ``problems`` lists (serial, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("以下申请无法出具文书，本次未出具任何文书：\n" +
                         "\n".join(f"{s}：{m}" for s, m in problems))
