"""From an application record to the snapshot a notice is printed from.

A *snapshot* is a plain dict (stored as JSON with the issued document)
holding every word and value of one printed notice: title, addressee,
paragraphs, tables, the agency block, the recipient's postal address for
the envelope.  Rendering depends on the snapshot alone, so a reprint of an
issued notice is identical to the first print.

Dates a notice states come from the deadline rules (desktop_app.domain
.workdays / .deadlines, through storage.deadline_store when available):
the reply due date, the correction, payment and third-party reply-by
dates, the extended due date.  The clerk may override any value (the
``extras`` of :func:`prepare`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .. import APP_NAME
from ..domain import catalog, fees
from ..domain.legal_basis import NOTICE_ARTICLES, REGULATION, cite, reply_basis
from ..domain.validation import format_date_cn, parse_date
from ..storage import documents_store as store
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
    "reply": "答复告知书",
    "service": "送达回证",
}

#: Settings keys of this feature and their defaults.
DOCUMENT_SETTINGS: dict[str, object] = {
    "reconsideration_body": "",   # 复议机关
    "litigation_court": "",       # 诉讼法院
    "fee_method": fees.PER_PIECE,  # 收费方式
    "fee_payment": "",            # 缴费方式
    "doc_number_pattern": "",     # 文号格式 (empty: domain.doc_numbers.DEFAULT_PATTERN)
    "envelope_boxes": True,       # 信封上打印邮编方框
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


@dataclass
class Draft:
    """A notice ready to preview and issue: ``build(doc_number)`` gives the
    snapshot; ``snapshot`` is built with the number the next issue would
    get (``doc_number``)."""

    app_id: int | None
    kind: str
    issue_date: _dt.date
    doc_number: str
    snapshot: dict
    extras: dict
    build: object  # (doc_number) -> snapshot
    warnings: list = None  # dates resting on a year whose holiday schedule is unknown

    @property
    def label(self) -> str:
        return self.snapshot.get("label") or NOTICE_KINDS.get(self.kind, self.kind)


def normalise_kind(kind: str) -> str:
    k = (kind or "").strip().replace("-", "_")
    if k not in NOTICE_KINDS:
        raise NoticeError(f"未知的文书类型“{kind}”，应为：{'、'.join(x.replace('_', '-') for x in NOTICE_KINDS)}。")
    return k


def template_kind(kind: str, record: dict) -> str:
    if kind != "reply":
        return kind
    outcome = record.get("outcome")
    if not outcome:
        raise NoticeError(
            f"申请 {record.get('serial')} 尚未填写办理结果，无法出具答复告知书。"
            "请先在申请详情中填写办理结果和答复日期。")
    return f"reply_{outcome}"


# --- dates from the deadline rules ---------------------------------------------------------


class _Dates:
    """Working-day arithmetic and the deadline state of one application,
    from the deadlines feature when it is installed."""

    def __init__(self, register, record: dict):
        self.register = register
        self.record = record
        self.state = None
        self.calendar = None
        self.unknown_years: set[int] = set()
        try:
            from ..storage.calendar_store import load_calendar

            self.calendar = load_calendar(register.db)
        except Exception:  # the deadlines feature not installed / no tables yet
            try:
                from ..domain.workdays import default_calendar

                self.calendar = default_calendar()
            except Exception:
                self.calendar = None
        if record.get("id") is not None:
            try:
                from ..storage.deadline_store import state_of

                self.state = state_of(register.db, record["id"])
            except Exception:
                self.state = None

    def add(self, start: _dt.date, n: int) -> _dt.date:
        if self.calendar is not None:
            try:
                end = self.calendar.add_working_days(start, n, allow_provisional=True)
            except TypeError:
                end = self.calendar.add_working_days(start, n)
            unknown = getattr(self.calendar, "unknown_years_between", None)
            if unknown is not None:
                self.unknown_years.update(unknown(start, end))
            return end
        # No calendar at all: weekdays only.
        d, left, step = start, abs(n), (1 if n > 0 else -1)
        while left:
            d += _dt.timedelta(days=step)
            if d.weekday() < 5:
                left -= 1
        return d

    def warnings(self) -> list[str]:
        if not self.unknown_years:
            return []
        years = "、".join(f"{y}年" for y in sorted(self.unknown_years))
        return [f"文书中的日期跨入{years}，该年的节假日安排尚未录入，暂按周末推算。"
                "国务院公布安排后请在“设置 → 期限与日历”中录入，并核对日期后再发出。"]

    def rule(self, name: str, default: int) -> int:
        rules = getattr(self.state, "rules", None)
        return int(getattr(rules, name, default) or default)

    def due_date(self) -> _dt.date | None:
        if self.state is not None and getattr(self.state, "due_date", None):
            self.unknown_years.update(getattr(self.state, "unknown_years", ()) or ())
            return self.state.due_date
        if self.record.get("due_date"):
            return parse_date(self.record["due_date"])
        receipt = parse_date(self.record["receipt_date"])
        days = 15 if receipt < _dt.date(2019, 5, 15) else 20
        return self.add(receipt, days)


# --- values ---------------------------------------------------------------------------------


def _agency(settings: dict) -> dict:
    return {
        "name": (settings.get("agency_name") or "").strip(),
        "office": (settings.get("disclosure_office") or "").strip(),
        "address": (settings.get("agency_address") or "").strip(),
        "postcode": (settings.get("agency_postcode") or "").strip(),
        "phone": (settings.get("agency_phone") or "").strip(),
        "clerk": (settings.get("clerk_name") or "").strip(),
    }


def base_values(record: dict, settings: dict, issue_date: _dt.date, doc_number: str) -> dict:
    agency = _agency(settings)
    return {
        "机关名称": agency["name"] or "（机关名称）",
        "公开工作机构": agency["office"] or agency["name"],
        "机关地址": agency["address"],
        "机关邮编": agency["postcode"],
        "机关电话": agency["phone"],
        "经办人": agency["clerk"],
        "申请人": record.get("applicant_name") or "",
        "申请编号": record.get("serial") or "",
        "收到日期": format_date_cn(record.get("receipt_date")),
        "申请方式": catalog.CHANNELS.get(record.get("channel") or "", "其他"),
        "申请内容": (record.get("info_description") or "").strip(),
        "文号": doc_number,
        "发文日期": format_date_cn(issue_date),
        "条例": REGULATION,
        "收费依据": fees.FEE_BASIS,
    }


def _extra(extras: dict, key: str) -> str:
    value = extras.get(key)
    return str(value).strip() if value is not None else ""


def _kind_values(kind: str, tkind: str, record: dict, settings: dict, issue_date: _dt.date,
                 extras: dict, register, dates: _Dates) -> tuple[dict, dict]:
    """Values for the kind's placeholders, and extra structured parts of
    the snapshot (tables, reply slip)."""
    v: dict = {}
    parts: dict = {}
    st = dates.state
    if kind == "receipt":
        v["条款"] = NOTICE_ARTICLES["receipt"]
        v["答复期限"] = _extra(extras, "答复期限") or format_date_cn(dates.due_date())
    elif kind == "correction":
        v["条款"] = NOTICE_ARTICLES["correction"]
        corr = getattr(st, "correction", None) or {}
        items = _extra(extras, "补正内容") or str(corr.get("items") or "").strip()
        if not items:
            raise NoticeError("请填写需要补正的事项（一次性列明全部需要补正的内容），再出具补正告知书。")
        v["补正内容"] = items
        deadline = _extra(extras, "补正期限")
        if not deadline:
            if corr.get("deadline"):
                deadline = format_date_cn(corr["deadline"])
            else:
                deadline = format_date_cn(dates.add(issue_date, dates.rule("correction_period_days", 10)))
        v["补正期限"] = deadline
    elif kind == "extension":
        v["条款"] = NOTICE_ARTICLES["extension"]
        ext = getattr(st, "extension", None) or {}
        reason = _extra(extras, "延期理由") or str(ext.get("reason") or "").strip()
        if not reason:
            raise NoticeError("请填写延期答复的理由，再出具延期答复告知书。")
        v["延期理由"] = reason.rstrip("。")
        if st is not None and ext and getattr(st, "due_date", None):
            new_due = st.due_date
            original = dates.add(new_due, -int(ext.get("days") or 20))
        else:
            original = dates.due_date()
            new_due = dates.add(original, dates.rule("extension_days", 20))
        v["原答复期限"] = _extra(extras, "原答复期限") or format_date_cn(original)
        v["延期后答复期限"] = _extra(extras, "延期后答复期限") or format_date_cn(new_due)
        v["答复期限"] = v["延期后答复期限"]
    elif kind == "third_party":
        v["条款"] = NOTICE_ARTICLES["third_party"]
        tps = list(getattr(st, "third_parties", None) or [])
        name = _extra(extras, "第三方") or (str(tps[-1].get("name") or "") if tps else "")
        if not name:
            raise NoticeError("请填写被征求意见的第三方名称，再出具征求第三方意见函。")
        v["第三方"] = name
        v["涉及信息"] = _extra(extras, "涉及信息") or (record.get("info_description") or "").strip()
        v["征求理由"] = _extra(extras, "征求理由") or "该信息可能涉及您（单位）的商业秘密、个人隐私等合法权益，公开后可能对您（单位）的合法权益造成损害。"
        deadline = _extra(extras, "第三方答复期限")
        if not deadline:
            tp = next((t for t in reversed(tps) if t.get("name") == name), None)
            deadline = format_date_cn(tp["deadline"]) if tp and tp.get("deadline") else \
                format_date_cn(dates.add(issue_date, dates.rule("third_party_days", 15)))
        v["第三方答复期限"] = deadline
        parts["recipient"] = {"name": name, "address": _extra(extras, "第三方地址"),
                              "postcode": _extra(extras, "第三方邮编")}
        parts["reply_slip"] = True
    elif kind == "fee":
        v["条款"] = NOTICE_ARTICLES["fee"]
        method = _extra(extras, "收费方式代码") or settings.get("fee_method") or fees.PER_PIECE
        quote = fee_quote(register, record, method, extras.get("页数"))
        if quote.free:
            raise NoticeError(f"{quote.explanation()}无需出具收费通知书。")
        v["收费方式"] = quote.method_label
        v["收费标准"] = quote.tariff
        v["收费金额"] = fees.format_yuan(quote.amount)
        v["计费说明"] = quote.explanation().rstrip("。").split("，合计")[0] + "，"
        fee_state = getattr(st, "fee", None) or {}
        deadline = _extra(extras, "缴费期限")
        if not deadline:
            deadline = format_date_cn(fee_state["deadline"]) if fee_state.get("deadline") else \
                format_date_cn(dates.add(issue_date, dates.rule("fee_payment_days", 20)))
        v["缴费期限"] = deadline
        v["缴费方式"] = (_extra(extras, "缴费方式") or str(settings.get("fee_payment") or "").strip()
                     or DEFAULT_FEE_PAYMENT).rstrip("。")
        parts["table"] = {
            "header": ["计费项目", "数量", "标准", "金额"],
            "rows": [[ln.label, f"{ln.quantity}{ln.unit}", f"{ln.rate}元/{ln.unit}",
                      fees.format_yuan(ln.amount)] for ln in quote.lines],
            "total": ["合计", "", "", fees.format_yuan(quote.amount)],
        }
        parts["fee"] = {"method": quote.method, "quantity": quote.quantity, "amount": quote.amount}
    elif kind == "reply":
        outcome = record["outcome"]
        basis = reply_basis(outcome, record.get("outcome_reason"))
        v["条款"] = basis.article
        reason = _extra(extras, "理由") or basis.reason
        if outcome == "partly_disclosed" and not reason:
            reason = PARTLY_DEFAULT_REASON
        v["理由"] = reason.rstrip("。")
        v["答复内容"] = _extra(extras, "答复内容") or REPLY_CONTENT_DEFAULTS.get(outcome, "")
        v["复议机关"] = str(settings.get("reconsideration_body") or "").strip() or DEFAULT_RECONSIDERATION
        v["诉讼法院"] = str(settings.get("litigation_court") or "").strip() or DEFAULT_COURT
        v["答复期限"] = format_date_cn(dates.due_date()) if record.get("receipt_date") else ""
        parts["outcome"] = {"code": outcome, "reason": record.get("outcome_reason"),
                            "label": catalog.outcome_label(outcome, record.get("outcome_reason"))}
    elif kind == "service":
        v["条款"] = ""
        served = _extra(extras, "送达文书")
        if not served and record.get("id") is not None:
            issued = [d for d in store.list_issued(register.db, record["id"]) if d.kind != "service"]
            if issued:
                last = issued[-1]
                served = f"{last.snapshot.get('title') or last.kind}（{last.doc_number}）"
        if not served:
            raise NoticeError("请填写所送达文书的名称和文号（或先出具要送达的文书），再出具送达回证。")
        v["送达文书"] = served
        manner = _extra(extras, "送达方式") or ("直接送达" if record.get("channel") == "in_person" else "邮寄送达")
        place = _extra(extras, "送达地点") or (record.get("address") or "")
        parts["table"] = {
            "rows": [
                ["送达文书名称及文号", served],
                ["受送达人", record.get("applicant_name") or ""],
                ["送达地点", place],
                ["送达方式", manner],
                ["送达人", _extra(extras, "送达人") or _agency(settings)["clerk"]],
                ["受送达人签名或盖章", "\n\n　　　　　　　　　　　　年　　月　　日"],
                ["代收人及代收理由", ""],
                ["备注", _extra(extras, "备注")],
            ],
        }
    return v, parts


def fee_quote(register, record: dict, method: str, pages=None) -> fees.FeeQuote:
    """The fee of ``record`` under ``method``, counting the same
    applicant's applications of the month in the register."""
    if method == fees.PER_PAGE:
        if pages in (None, ""):
            raise NoticeError("按量计收须填写提供信息的页数。")
        try:
            pages = int(pages)
        except (TypeError, ValueError):
            raise NoticeError(f"页数“{pages}”不是整数，请重新填写。") from None
        if pages < 0:
            raise NoticeError("页数不能为负数。")
        return fees.per_page_fee(pages)
    start, nxt = fees.month_bounds(record["receipt_date"])
    others = register.iter_applications(
        "receipt_date >= ? AND receipt_date < ?", [start.isoformat(), nxt.isoformat()],
        columns="id, serial, receipt_date, applicant_type, applicant_name, id_number")
    return fees.quote_for(record, others, method, pages)


# --- snapshots ---------------------------------------------------------------------------------


def prepare(register, app_id: int, kind: str, *, issue_date=None, extras: dict | None = None) -> Draft:
    """A draft of notice ``kind`` for application ``app_id``, numbered with
    the number the next issued document will get.  :class:`NoticeError`
    says what is missing."""
    kind = normalise_kind(kind)
    record = register.get_application(app_id)
    return prepare_for_record(register, record, kind, issue_date=issue_date, extras=extras)


def prepare_for_record(register, record: dict, kind: str, *, issue_date=None,
                       extras: dict | None = None) -> Draft:
    kind = normalise_kind(kind)
    extras = dict(extras or {})
    tkind = template_kind(kind, record)
    if issue_date is None:
        if kind == "reply" and record.get("reply_date"):
            issue_date = parse_date(record["reply_date"])
        else:
            issue_date = _dt.date.today()
    issue_date = parse_date(issue_date)
    try:
        receipt = parse_date(record.get("receipt_date"))
    except ValueError:
        receipt = None
    if receipt and issue_date < receipt:
        raise NoticeError(f"发文日期（{format_date_cn(issue_date)}）早于收到申请的日期"
                          f"（{format_date_cn(receipt)}），请核对发文日期。")
    settings = register.settings()
    text = store.template_text(register.db, tkind)
    template = tpl.parse(tkind, text)
    dates = _Dates(register, record)
    kind_values, parts = _kind_values(kind, tkind, record, settings, issue_date, extras, register, dates)
    _number, peek = store.peek_doc_number(settings, register.db, issue_date.year)

    def build(doc_number: str) -> dict:
        values = base_values(record, settings, issue_date, doc_number)
        values.update(kind_values)
        filled = tpl.render(template, values)
        agency = _agency(settings)
        recipient = parts.get("recipient") or {
            "name": record.get("applicant_name") or "",
            "address": record.get("address") or "",
            "postcode": record.get("postcode") or "",
        }
        label = tpl.TEMPLATE_KINDS[tkind]
        return {
            "version": SNAPSHOT_VERSION,
            "kind": kind,
            "template_kind": tkind,
            "label": label,
            "serial": record.get("serial"),
            "application_id": record.get("id"),
            "doc_number": doc_number,
            "issue_date": issue_date.isoformat(),
            "date_cn": format_date_cn(issue_date),
            "title": filled.title,
            "addressee": filled.addressee,
            "paragraphs": list(filled.paragraphs),
            "article": cite(values.get("条款", "")) if values.get("条款") else "",
            "agency": agency,
            "recipient": recipient,
            "table": parts.get("table"),
            "reply_slip": bool(parts.get("reply_slip")),
            "fee": parts.get("fee"),
            "outcome": parts.get("outcome"),
            "envelope_boxes": bool(settings.get("envelope_boxes", True)),
            "creator_app": APP_NAME,
        }

    warnings = dates.warnings()
    try:
        old_rules = parse_date(record["receipt_date"]) < OLD_REGULATION_UNTIL
    except (KeyError, TypeError, ValueError):
        old_rules = False
    if old_rules and kind != "service":
        warnings.append("本申请于2019年5月15日前收到，适用2008年施行的条例（答复期限15个工作日），"
                        "文书模板引用的是2019年条例的条款，请核对后再发出。")
    return Draft(record.get("id"), kind, issue_date, peek, build(peek), extras, build, warnings)


def issue(register, draft: Draft):
    """Give the draft its document number (the next of its year, which is
    normally the one shown in the preview), store it with its snapshot and
    record it on the application's timeline.  Returns the
    :class:`storage.documents_store.IssuedDocument`."""
    return store.issue_document(register, draft.app_id, draft.kind, draft.issue_date.isoformat(),
                                draft.build, event_label=draft.label)


def envelope_snapshot(register, record: dict) -> dict:
    """What an envelope alone needs (the applicant as recipient, the
    agency as sender); no document number."""
    settings = register.settings()
    return {
        "version": SNAPSHOT_VERSION,
        "kind": "envelope",
        "label": "信封",
        "serial": record.get("serial"),
        "doc_number": "",
        "title": f"信封（{record.get('serial') or ''}）",
        "agency": _agency(settings),
        "recipient": {"name": record.get("applicant_name") or "",
                      "address": record.get("address") or "",
                      "postcode": record.get("postcode") or ""},
        "envelope_boxes": bool(settings.get("envelope_boxes", True)),
    }


class BatchError(NoticeError):
    """Some applications of a batch cannot get the notice; nothing was
    issued.  ``problems`` lists (serial, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("以下申请无法出具文书，本次未出具任何文书：\n" +
                         "\n".join(f"{s}：{m}" for s, m in problems))


def prepare_many(register, app_ids, kind: str, *, issue_date=None, extras: dict | None = None) -> list[Draft]:
    """Drafts for several applications; :class:`BatchError` (naming every
    application that cannot get one) before anything is issued."""
    drafts, problems = [], []
    for app_id in app_ids:
        try:
            drafts.append(prepare(register, app_id, kind, issue_date=issue_date, extras=extras))
        except NoticeError as exc:
            try:
                serial = register.get_application(app_id).get("serial")
            except Exception:
                serial = str(app_id)
            problems.append((serial, str(exc)))
    if problems:
        raise BatchError(problems)
    return drafts


def issue_many(register, drafts: list[Draft], progress=None) -> list:
    """Issue drafts in order, in one transaction (all numbered or none)."""
    issued = []
    with register.db.atomic():
        for i, draft in enumerate(drafts, start=1):
            issued.append(issue(register, draft))
            if progress:
                progress(i, len(drafts))
    return issued
