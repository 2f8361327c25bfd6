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
from ..domain.records import Application, IssuedDocument
from ..domain.settings import Settings
from ..storage.store import Store
from .applications import get, insert_event
from .deadlines import calendar_of, refresh_derived, state_in
from .errors import NotFoundError
from .session import Session, now_iso
from .settings import get_settings

__all__ = [
    "NOTICE_KINDS", "BatchError", "Draft", "NoticeError", "TemplateError", "envelope_snapshot", "fee_quote",
    "find_issued", "get_issued", "issue", "issue_many", "list_issued", "peek_doc_number", "prepare",
    "prepare_many", "reset_template", "save_template", "template_text",
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


def _facts(store: Store, record: Application, kind: str, issue_year: int) -> NoticeFacts:
    settings = Settings(store.settings.stored())
    tkind = nt.template_kind(kind, record)
    state = None
    try:
        state = state_in(store, record.id)
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
        same_month=same_month, next_doc_number=_doc_number(settings, issue_year, number))


def prepare(session: Session, app_id: int, kind: str, *, issue_date: object = None,
            extras: Mapping[str, Any] | None = None) -> Draft:
    """A draft of notice ``kind`` for application ``app_id``, numbered with
    the number the next issued document will get.  :class:`NoticeError`
    says what is missing."""
    kind = nt.normalise_kind(kind)
    record = get(session, app_id)
    day = nt.issue_date_of(kind, record, issue_date)
    return nt.draft(_facts(session.store, record, kind, day.year), kind, issue_date=day, extras=extras)


def prepare_many(session: Session, app_ids: Iterable[int], kind: str, *, issue_date: object = None,
                 extras: Mapping[str, Any] | None = None) -> list[Draft]:
    """Drafts for several applications; :class:`BatchError` (naming every
    application that cannot get one) before anything is issued."""
    drafts, problems = [], []
    for app_id in app_ids:
        try:
            drafts.append(prepare(session, app_id, kind, issue_date=issue_date, extras=extras))
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
    with session.store.transaction():
        session.store.documents.save_template(kind, text, now_iso())


def reset_template(session: Session, kind: str) -> None:
    """Go back to the shipped wording of ``kind``."""
    with session.store.transaction():
        session.store.documents.reset_template(kind)

