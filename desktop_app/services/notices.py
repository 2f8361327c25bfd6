"""Notices (告知书): draft one from the register, issue it with the next
document number (文号), reprint what was issued, keep the agency's
wording of each kind.

A document number is taken in the same transaction that records the
issued document and its timeline event, so a number is used once and
never again, even if the document or its application is later deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..documents import notices as nt
from ..documents import templates as tpl
from ..documents.notices import NOTICE_KINDS, BatchError, Draft, NoticeError, NoticeFacts
from ..domain import fees
from ..domain.doc_numbers import DEFAULT_PATTERN, SETTING_PATTERN, SETTING_PREFIX, format_doc_number
from ..domain.records import Application, Event, IssuedDocument
from ..domain.settings import Settings
from ..storage.store import Store
from .applications import get, insert_event
from .deadlines import calendar_of, refresh_derived, state_in
from .errors import NotFoundError
from .session import Session, now_iso
from .settings import first_grounds_of, get_settings, profile_of
from .steps import record_step_in, step_plan_errors

__all__ = [
    "AlreadyIssuedError", "BatchError", "Draft", "NOTICE_KINDS", "NOTICE_STEPS", "NoticeError",
    "TemplateError", "already_issued", "envelope_snapshot", "fee_quote", "find_issued", "get_issued", "issue",
    "issue_many", "list_issued", "peek_doc_number", "prepare", "prepare_many", "reset_template",
    "save_template", "split_issued", "template_text",
]

#: Timeline event kind of every printed numbered document.
EVENT_KIND = "notice_printed"
TemplateError = tpl.TemplateError


# --- document numbers ---------------------------------------------------------------------


def _doc_number(settings: Mapping[str, Any], year: int, number: int) -> str:
    return format_doc_number(settings.get(SETTING_PATTERN) or DEFAULT_PATTERN,
                             settings.get(SETTING_PREFIX), year, number)


def peek_doc_number(session: Session, year: int, settings: Mapping[str, Any] | None = None) -> tuple[int, str]:
    """The number the next document of ``year`` will get (not reserved),
    under ``settings`` (default: the stored ones)."""
    number = session.store.documents.last_number(year) + 1
    return number, _doc_number(get_settings(session) if settings is None else settings, year, number)


# --- drafts ------------------------------------------------------------------------------


#: The workflow step each notice is the written form of (Art. 30, 33, 32/34, 42).
NOTICE_STEPS: dict[str, str] = {
    "correction": "correction_requested",
    "extension": "extension",
    "third_party": "third_party_sent",
    "fee": "fee_notice",
    "later_date": "deadline_set",
}

#: What to record first, when a notice's step is missing and the notice
#: does not carry what the step needs.
_STEP_FIRST: dict[str, str] = {
    "correction": "补正告知（需补正事项、补正期限）",
    "extension": "延期（批准人、批准日期、延长天数、理由）",
    "third_party": "征求第三方意见（第三方名称）",
    "fee": "收费通知（收费金额）",
    "later_date": "另行确定答复期限（期限、理由）",
}


class AlreadyIssuedError(NoticeError):
    """A notice of this kind was already issued for the application:
    issuing again takes a new 文号, so the clerk is asked first
    (``prepare(..., again=True)``).  ``issued`` lists the earlier ones."""

    def __init__(self, kind: str, issued: list[IssuedDocument]):
        self.kind = kind
        self.issued = issued
        label = NOTICE_KINDS.get(kind, kind)
        earlier = "、".join(f"{d.issued_on}（{d.doc_number}）" for d in issued)
        super().__init__(f"本申请已出具过{label}：{earlier}。再次出具将取用新的文号；"
                         "如只需再打印一份，请在“本申请已出具的文书”中选择重新打印（文号和内容不变）。")


def _step_recorded(state: Any, kind: str, extras: Mapping[str, Any]) -> bool:
    if state is None:
        return False
    if kind == "correction":
        return state.correction is not None
    if kind == "extension":
        return state.extension is not None
    if kind == "third_party":
        name = str(extras.get("第三方") or "").strip()
        return any(not name or tp.get("name") == name for tp in state.third_parties)
    if kind == "fee":
        return state.fee is not None and state.fee.get("paid") is None
    if kind == "later_date":
        return state.fixed_due is not None
    return True


def _planned_step(kind: str, record: Application, day: Any, extras: Mapping[str, Any],
                  settings: Mapping[str, Any], same_month: list[Application], state: Any) -> dict[str, Any]:
    """The data of the step a notice records when issued, from what the
    clerk filled in for the notice."""
    def text(key: str) -> str:
        return str(extras.get(key) or "").strip()

    if kind == "correction":
        default_days = state.rules.correction_period_days if state is not None else 15
        return {"items": text("补正内容"), "period_days": text("补正期限天数") or default_days}
    if kind == "extension":
        data = {"approver": text("批准人"), "approved_on": text("批准日期") or day.isoformat(),
                "reason": text("延期理由")}
        if text("延长天数"):
            data["days"] = text("延长天数")
        return data
    if kind == "third_party":
        data = {"third_party": text("第三方"), "matter": text("涉及信息")}
        if text("征求对象"):
            data["role"] = text("征求对象")
        if text("第三方类型"):
            data["party_type"] = text("第三方类型")
        if text("送达日期"):
            data["delivered"] = text("送达日期")
        return data
    if kind == "later_date":
        return {"due_date": text("另行确定期限"), "reason": text("理由")}
    if kind == "fee":
        method = text("收费方式代码") or settings.get("fee_method") or fees.PER_PIECE
        quote = nt.fee_quote(record, same_month, method, extras.get("页数"))
        if quote.free:
            raise NoticeError(f"{quote.explanation()}无需出具收费通知书。")
        return {"amount": quote.amount, "method": fees.FEE_METHODS.get(quote.method, quote.method)}
    return {}


def _facts(store: Store, record: Application, kind: str, issue_year: int,
           planned: Any = None) -> NoticeFacts:
    settings = Settings(store.settings.stored())
    tkind = nt.template_kind(kind, record)
    state = None
    try:
        state = state_in(store, record.id, [planned] if planned is not None else [])
    except (ValueError, NotFoundError):
        state = None
    same_month: list[Application] = []
    if kind == "fee" and record.receipt_date:
        start, before = nt.month_of(record)
        same_month = store.applications.received_between(start, before)
    number = store.documents.last_number(issue_year) + 1
    return NoticeFacts(
        record=record, settings=settings,
        template_text=store.documents.template_text(tkind) or tpl.default_text(tkind),
        calendar=calendar_of(store), state=state,
        issued=store.documents.list_issued(record.id) if kind == "service" else (),
        same_month=same_month, next_doc_number=_doc_number(settings, issue_year, number),
        profile=profile_of(settings), first_grounds=first_grounds_of(settings))


def prepare(session: Session, app_id: int, kind: str, *, issue_date: object = None,
            extras: Mapping[str, Any] | None = None, again: bool = False) -> Draft:
    """A draft of notice ``kind`` for application ``app_id``, numbered with
    the number the next issued document will get.  :class:`NoticeError`
    says what is missing.

    A notice and its step are one act: a correction, extension,
    third-party or fee notice whose step is not on the record records it
    when issued (from what the notice carries: the items, the approver,
    the third party, the fee), or is refused saying what to record first.
    A kind already issued for the application raises
    :class:`AlreadyIssuedError` unless ``again`` (a new 文号 is taken)."""
    kind = nt.normalise_kind(kind)
    record = get(session, app_id)
    day = nt.issue_date_of(kind, record, issue_date)
    given = dict(extras or {})
    store = session.store
    if not again and kind != "service":
        earlier = [d for d in store.documents.list_issued(app_id) if d.kind == kind
                   and (kind != "third_party" or not given.get("第三方")
                        or (d.snapshot.get("recipient") or {}).get("name") == given.get("第三方"))]
        if earlier:
            raise AlreadyIssuedError(kind, earlier)
    planned_event = None
    step: tuple[str, dict[str, Any]] | None = None
    if kind in NOTICE_STEPS:
        try:
            state = state_in(store, app_id)
        except (ValueError, NotFoundError):
            state = None
        if not _step_recorded(state, kind, given):
            same_month: list[Application] = []
            if kind == "fee" and record.receipt_date:
                start, before = nt.month_of(record)
                same_month = store.applications.received_between(start, before)
            data = _planned_step(kind, record, day, given, get_settings(session), same_month, state)
            errors = step_plan_errors(session, app_id, NOTICE_STEPS[kind], day, data)
            if errors:
                raise NoticeError(
                    f"出具{NOTICE_KINDS[kind]}须同时记录办理步骤“{_STEP_FIRST[kind]}”，但："
                    + "".join(errors) + "请在出具时补齐，或先在“办理步骤”中记录该步骤。")
            step = (NOTICE_STEPS[kind], data)
            planned_event = Event(10**12, app_id, step[0], day.isoformat(), data)
    out = nt.draft(_facts(store, record, kind, day.year, planned_event), kind, issue_date=day, extras=given)
    out.step = step
    return out


def already_issued(session: Session, app_id: int, kind: str) -> list[IssuedDocument]:
    """The documents of ``kind`` already issued for an application."""
    kind = nt.normalise_kind(kind)
    return [d for d in session.store.documents.list_issued(app_id) if d.kind == kind]


def split_issued(session: Session, app_ids: Iterable[int], kind: str
                 ) -> tuple[list[int], list[tuple[str, IssuedDocument]]]:
    """(applications without a ``kind`` notice yet, [(serial, the earlier
    notice)] of those that have one): a batch skips the latter and says
    so, rather than issuing a second receipt with a new 文号."""
    fresh, done = [], []
    for app_id in app_ids:
        earlier = already_issued(session, app_id, kind)
        if earlier:
            app = session.store.applications.get(app_id)
            done.append((app.serial if app and app.serial else str(app_id), earlier[-1]))
        else:
            fresh.append(app_id)
    return fresh, done


def prepare_many(session: Session, app_ids: Iterable[int], kind: str, *, issue_date: object = None,
                 extras: Mapping[str, Any] | None = None, again: bool = False) -> list[Draft]:
    """Drafts for several applications; :class:`BatchError` (naming every
    application that cannot get one, including those that already have
    one unless ``again``) before anything is issued."""
    drafts, problems = [], []
    for app_id in app_ids:
        try:
            drafts.append(prepare(session, app_id, kind, issue_date=issue_date, extras=extras, again=again))
        except NoticeError as exc:
            app = session.store.applications.get(app_id)
            problems.append((app.serial or str(app_id) if app else str(app_id), str(exc)))
    if problems:
        raise BatchError(problems)
    return drafts


def fee_quote(session: Session, app_id: int, method: str, pages: object = None) -> fees.FeeQuote:
    """The fee of an application under ``method`` (counting the same
    applicant's applications of the month)."""
    record = get(session, app_id)
    start, before = nt.month_of(record)
    return nt.fee_quote(record, session.store.applications.received_between(start, before), method, pages)


def envelope_snapshot(session: Session, app_id: int) -> dict[str, Any]:
    """What an envelope for the applicant needs; no document number."""
    return nt.envelope_snapshot(get(session, app_id), get_settings(session))


# --- issuing -----------------------------------------------------------------------------------


def _issue(store: Store, draft: Draft) -> IssuedDocument:
    issued_on = draft.issue_date.isoformat()
    year = draft.issue_date.year
    settings = Settings(store.settings.stored())
    number = store.documents.last_number(year) + 1
    doc_number = _doc_number(settings, year, number)
    if store.documents.doc_number_used(doc_number):
        raise NoticeError(f"文号“{doc_number}”已经使用过。请检查“文号格式”设置是否包含{{年}}和{{号}}。")
    store.documents.set_last_number(year, number)
    snapshot = draft.build(doc_number)
    event_id = None
    if draft.app_id is not None and draft.step is not None:
        record_step_in(store, draft.app_id, draft.step[0], draft.issue_date, draft.step[1], doc_number)
    if draft.app_id is not None:
        label = draft.label
        event_id = insert_event(store, draft.app_id, EVENT_KIND, issued_on,
                                {"document": draft.kind, "label": label, "summary": label}, doc_number)
        refresh_derived(store, draft.app_id)
    stamp = now_iso()
    issued_id = store.documents.insert_issued(draft.app_id, draft.kind, year, number, doc_number, issued_on,
                                              event_id, snapshot, stamp)
    return IssuedDocument(issued_id, draft.app_id, draft.kind, year, number, doc_number, issued_on,
                          event_id, snapshot, stamp)


def issue(session: Session, draft: Draft) -> IssuedDocument:
    """Give the draft its document number (the next of its year, normally
    the one shown in the preview), store it with its snapshot and record
    it on the application's timeline, in one transaction."""
    with session.store.transaction():
        return _issue(session.store, draft)


def issue_many(session: Session, drafts: list[Draft],
               progress: Callable[[int, int], object] | None = None) -> list[IssuedDocument]:
    """Issue drafts in order, in one transaction (all numbered or none)."""
    issued = []
    with session.store.transaction():
        for i, draft in enumerate(drafts, start=1):
            issued.append(_issue(session.store, draft))
            if progress:
                progress(i, len(drafts))
    return issued


def get_issued(session: Session, issued_id: int) -> IssuedDocument:
    doc = session.store.documents.get_issued(issued_id)
    if doc is None:
        raise NotFoundError(f"找不到编号为 {issued_id} 的已出具文书。")
    return doc


def find_issued(session: Session, doc_number: str) -> IssuedDocument | None:
    return session.store.documents.find_issued(doc_number)


def list_issued(session: Session, app_id: int | None = None) -> list[IssuedDocument]:
    """Issued documents, of one application or all, oldest first."""
    return session.store.documents.list_issued(app_id)


# --- templates ------------------------------------------------------------------------------------


def template_text(session: Session, kind: str) -> str:
    """The agency's wording of ``kind``, or the shipped default."""
    return session.store.documents.template_text(kind) or tpl.default_text(kind)


def is_customised(session: Session, kind: str) -> bool:
    return session.store.documents.template_text(kind) is not None


def save_template(session: Session, kind: str, text: str) -> None:
    """Validate and store the agency's wording of ``kind``;
    :class:`TemplateError` when it may not be saved."""
    tpl.validate(kind, text)
    store = session.store
    with store.transaction():
        old = store.documents.template_text(kind)
        store.documents.save_template(kind, text, now_iso())
        if old != text:
            store.audit.record("template", kind, "update", {"text": old if old is not None else "（默认）"},
                               {"text": text})


def reset_template(session: Session, kind: str) -> None:
    """Go back to the shipped wording of ``kind``."""
    store = session.store
    with store.transaction():
        old = store.documents.template_text(kind)
        store.documents.reset_template(kind)
        if old is not None:
            store.audit.record("template", kind, "reset", {"text": old}, {"text": "（默认）"})

