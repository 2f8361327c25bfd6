"""The register (申请台账): register an application, edit it, confirm a
待核实 one, read and search them.

Validation runs once, here, inside the save: the form calls
:func:`register_application` or :func:`update_application` and shows the
:class:`ValidationError` it gets; :func:`validate` is only for checking
as the clerk types.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain import serials
from ..domain.records import (
    APPLICATION_FIELDS, OUTCOME_GROUP, Application, ApplicationFields, Event, RowView,
)
from ..domain.validation import parse_date, split_reviewable, validate_application
from ..storage.applications import ApplicationQuery, review_json
from ..storage.store import Store
from . import counts
from .deadlines import derived_for_new, refresh_derived
from .errors import NotFoundError, PublishedChange, ValidationError
from .session import Session, now_iso
from .year_lock import require_unlocked

__all__ = [
    "ApplicationQuery", "Saved", "ValidationError", "add_event", "count", "events", "find_by_serial",
    "exists", "get", "ids_in_order", "next_serial", "register_counts", "register_ids", "register_position",
    "register_rows", "register_search_windowed", "register_summary", "register_window", "register_windowed",
    "register_application", "resolve_review", "review_count", "search",
    "serial_pattern", "table_rows", "update_application", "validate",
]

#: Field values as a form or a ledger row gives them (field → value).
Values = Mapping[str, Any]


@dataclass(frozen=True)
class Saved:
    """What a save did: the application, its serial, and each field that
    changed (``{field: (old, new)}``; empty when nothing did)."""

    app_id: int
    serial: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


# --- reading -----------------------------------------------------------------------------


def get(session: Session, app_id: int) -> Application:
    app = session.store.applications.get(app_id)
    if app is None:
        raise NotFoundError(f"找不到编号为 {app_id} 的申请，可能已被删除。")
    return app


def find_by_serial(session: Session, serial: str) -> Application | None:
    return session.store.applications.find_by_serial(serial)


def count(session: Session) -> int:
    """Applications in the register (not those in the recycle bin)."""
    return counts.registered(session)


def review_count(session: Session) -> int:
    """Applications flagged 待核实 (not in the recycle bin)."""
    return session.store.applications.review_count()


def search(session: Session, query: ApplicationQuery | None = None) -> list[Application]:
    """The register filtered by year, status, category, text, 待核实."""
    return session.store.applications.query(query or ApplicationQuery())


def all_applications(session: Session) -> list[Application]:
    """Every application in receipt order (not those in the recycle bin)."""
    return list(session.store.applications.all())


def open_applications(session: Session) -> list[Application]:
    return session.store.applications.open()


def with_due_date(session: Session) -> list[Application]:
    """Open applications that have a due date, by due date."""
    return session.store.applications.open_with_due_date()


def by_ids(session: Session, ids: Sequence[int]) -> list[Application]:
    return session.store.applications.by_ids(ids)


def table_rows(session: Session, fields: Sequence[str], ids: Sequence[int] | None = None) -> list[RowView]:
    """The register table's rows: just ``fields``, of every application
    (or those of ``ids``), as name-indexed rows."""
    return list(session.store.applications.table_rows(fields, ids))


def rows_of_ids(session: Session, fields: Sequence[str], ids: Sequence[int]) -> list[RowView]:
    """``id`` and ``fields`` of the applications ``ids``, in that order (one
    query however many; an id in the recycle bin or gone is left out)."""
    return list(session.store.applications.rows_of_ids(fields, ids))


# --- the register's windows (issue 19): the GUI reads ids in order, then rows as they are shown ---


def register_ids(session: Session, query: ApplicationQuery, sort: str | None = None,
                 descending: bool = False) -> Sequence[int]:
    """Ids of the applications ``query`` selects in the register's order by
    the sort name ``sort`` (a column's ``sort_field``; None: by id), read
    through the indexes; blanks last in either direction."""
    return session.store.applications.register_ids(query, sort, descending)


def register_counts(session: Session, query: ApplicationQuery, sort: str | None = None,
                    descending: bool = False) -> list[int]:
    """How many applications ``query`` selects in each group of the
    register's order by ``sort`` (blanks are a group of their own, last);
    the sum is the register's row count."""
    return session.store.applications.register_counts(query, sort, descending)


def register_windowed(session: Session, sort: str | None) -> bool:
    """Whether the register's order by ``sort`` is read in windows (an index
    walks it); otherwise the register reads the order's ids once
    (:func:`register_ids`) and its rows by id."""
    return session.store.applications.windowed(sort)


def register_search_windowed(session: Session, query: ApplicationQuery) -> bool:
    """Whether the search of ``query`` finds enough applications to be read in
    windows (:func:`register_counts`, :func:`register_window`); fewer are
    read at once by id (:func:`register_ids`).  True without a search."""
    return session.store.applications.search_windowed(query)


def register_window(session: Session, query: ApplicationQuery, sort: str | None, descending: bool,
                    offset: int, limit: int, fields: Sequence[str],
                    counts: Sequence[int] | None = None) -> list[RowView]:
    """Rows ``offset`` to ``offset + limit`` of the register in the order
    by ``sort`` (``id`` and ``fields`` each), read with the order's SQL
    (``counts``: :func:`register_counts` of the same query and order)."""
    return list(session.store.applications.register_window(query, sort, descending, offset, limit, fields,
                                                            counts))


def register_position(session: Session, query: ApplicationQuery, sort: str | None, descending: bool,
                      app_id: int, counts: Sequence[int] | None = None) -> int:
    """The row of application ``app_id`` in that order (-1: not selected)."""
    return session.store.applications.register_position(query, sort, descending, app_id, counts)


def register_rows(session: Session, query: ApplicationQuery, fields: Sequence[str]) -> list[RowView]:
    """``id`` and ``fields`` of the applications ``query`` selects (for an
    order computed in Python: a column without a SQL sort)."""
    return list(session.store.applications.register_rows(query, fields))


def register_open_rows(session: Session, query: ApplicationQuery, fields: Sequence[str]
                       ) -> tuple[list[int], list[str], list[str]]:
    """The ids, serial keys and JSON arrays of ``fields`` of the applications
    ``query`` selects that are not closed (``query.status``: None or ``open``),
    as three lists, from the status index alone (for 剩余工作日, computed in
    Python for the open applications only, once per distinct combination of
    ``fields``)."""
    return session.store.applications.register_open_rows(query, fields)


def register_summary(session: Session) -> tuple[int, int, list[int]]:
    """(applications, 待核实 ones, years of receipt newest first) of the register."""
    table = session.store.applications
    return table.count(), table.review_count(), table.register_years()


def exists(session: Session, app_id: int) -> bool:
    """Whether the application is in the register (not in the recycle bin)."""
    app = session.store.applications.get(app_id)
    return app is not None and not app.deleted_at


def ids_in_order(session: Session, ids: Sequence[int]) -> list[int]:
    """``ids`` in receipt order (as :func:`by_ids` lists them), without reading the rows."""
    return session.store.applications.ids_in_order(ids)


def events(session: Session, app_id: int) -> list[Event]:
    """An application's timeline, by date."""
    return session.store.events.of(app_id)


# --- serial numbers ----------------------------------------------------------------------------


def pattern_of(store: Store) -> serials.SerialPattern:
    try:
        return serials.compile_pattern(store.settings.get(serials.SETTING_PATTERN))
    except serials.PatternError:
        return serials.compile_pattern(None)


def serial_pattern(session: Session) -> serials.SerialPattern:
    """The agency's numbering pattern (设置 → 机关信息 → 申请编号格式)."""
    return pattern_of(session.store)


def next_serial(session: Session, year: int, pattern: str | None = None) -> str:
    """The next unused serial of ``year`` in the agency's pattern (or
    ``pattern``, as typed in the settings); not reserved until saved."""
    compiled = serials.compile_pattern(pattern) if pattern is not None else serial_pattern(session)
    return session.store.numbering.next_serial(compiled, year)


# --- validation ---------------------------------------------------------------------------------


def check(store: Store, record: Values, *, app_id: int | None = None,
          today: _dt.date | None = None) -> dict[str, str]:
    """Field errors of a full record, including serial uniqueness.

    For an existing application (``app_id``), a doubtful value that is
    stored already and left as it is (an imported ID number with a wrong
    check digit, an outcome never recorded…) is not an error: the clerk
    who edits the phone number is not made to correct an old record
    first.  Such values stay flagged 待核实."""
    errors = validate_application(dict(record), today=today)
    serial = record.get("serial")
    if serial and "serial" not in errors:
        holder = store.applications.id_of_serial(str(serial).strip())
        if holder is not None and holder != app_id:
            errors["serial"] = f"申请编号 {serial} 已被使用，请换一个编号或留空由系统生成。"
    if app_id is None or not errors:
        return errors
    _hard, soft = split_reviewable(errors, dict(record))
    old = store.applications.get(app_id) if soft else None
    if old is not None:
        new = ApplicationFields.from_values(record).values()
        for name in soft:
            group = OUTCOME_GROUP if name in OUTCOME_GROUP else {name}
            if all(getattr(old, f) == new.get(f, getattr(old, f)) for f in group):
                errors.pop(name)
    return errors


def validate(session: Session, record: Values | ApplicationFields, *, app_id: int | None = None,
             today: _dt.date | None = None) -> dict[str, str]:
    """``{field: message}`` of what a save would refuse (empty: it would
    save); for checking as the clerk types."""
    values = record.values() if isinstance(record, ApplicationFields) else record
    return check(session.store, values, app_id=app_id, today=today)


def check_import(store: Store, record: Values, *, app_id: int | None = None,
                 today: _dt.date | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """``(errors, reviewable)`` of a record read from a ledger file:
    errors keep the row out; reviewable faults import it flagged 待核实
    (among them a fee-lapse closure with no fee notice on record)."""
    errors, soft = split_reviewable(check(store, record, app_id=app_id, today=today), dict(record))
    fee_lapse_flag(store, app_id, record, soft)
    return errors, soft


# --- writing -------------------------------------------------------------------------------------


def insert_event(store: Store, app_id: int, kind: str, date: object, data: Mapping[str, Any] | None = None,
                 doc_number: str | None = None) -> int:
    """Add an event to the timeline and audit it (inside the caller's
    transaction; the caller refreshes the derived fields)."""
    day = date.isoformat() if isinstance(date, (_dt.date, _dt.datetime)) else str(date)
    payload = dict(data or {})
    event_id = store.events.insert(app_id, kind, day, payload, doc_number, now_iso())
    store.audit.record("event", event_id, "create", None,
                       {"application_id": app_id, "kind": kind, "date": day, "data": payload,
                        "doc_number": doc_number})
    return event_id


def _status_for_new(fields: ApplicationFields) -> ApplicationFields:
    status = fields.status or "received"
    if fields.outcome and status != "closed":
        status = "closed"
    return fields.with_values({"status": status})


def add(store: Store, record: Values | ApplicationFields, *, today: _dt.date | None = None,
        event_data: Mapping[str, Any] | None = None, review: Mapping[str, str] | None = None) -> int:
    """Validate and insert an application with its ``received`` event
    inside the caller's transaction; see :func:`register_application`."""
    fields = record if isinstance(record, ApplicationFields) else ApplicationFields.from_values(record)
    fields = _status_for_new(fields)
    if not fields.serial and fields.receipt:
        fields = fields.with_values({"serial": store.numbering.next_serial(pattern_of(store),
                                                                            fields.receipt.year)})
    errors = check(store, fields.values(), today=today)
    flags: dict[str, str] = {}
    if review is not None:
        errors, soft = split_reviewable(errors, fields.values())
        flags = {**soft, **review}
        fee_lapse_flag(store, None, fields.values(), flags)
    elif "outcome_reason" not in errors:
        lapse = fee_lapse_error(store, None, fields.values())
        if lapse:
            errors["outcome_reason"] = lapse
    if errors:
        raise ValidationError(errors)
    app_id = store.applications.insert(fields, stamp=now_iso(), review=flags)
    assert fields.serial is not None  # set above or validated as present
    store.numbering.reserve(fields.serial, pattern_of(store))
    created = {k: v for k, v in fields.values().items() if v is not None}
    if flags:
        created["review_reasons"] = review_json(flags)
    store.audit.record("application", app_id, "create", None, created)
    insert_event(store, app_id, "received", fields.receipt_date,
                 event_data or {"channel": fields.channel})
    if fields.outcome:
        insert_event(store, app_id, "replied", fields.reply_date,
                     {"outcome": fields.outcome, "outcome_reason": fields.outcome_reason})
    refresh_derived(store, app_id)
    return app_id


@dataclass(frozen=True)
class CheckedApplication:
    """A new application its caller has already checked (the ledger
    import's plan: :func:`check_import` on the row), with its 待核实 flags
    and the data of its ``received`` event."""

    fields: ApplicationFields
    review: Mapping[str, str]
    event_data: Mapping[str, Any]


class BatchRowError(ValidationError):
    """A row of :func:`add_checked_many` that may not be saved: ``index``
    in the batch, ``errors`` field → message."""

    def __init__(self, index: int, errors: Mapping[str, str]):
        super().__init__(errors)
        self.index = index


def add_checked_many(store: Store, batch: Sequence[CheckedApplication]) -> list[int]:
    """Insert checked applications with their ``received`` (and ``replied``)
    events inside the caller's transaction, as :func:`add` does one by one
    but without checking them a second time: serials numbered in order,
    the deadline columns computed before the write (from the rows and
    timelines in hand) and written with the rows, then the events and the
    audit entries, each kind in one pass.  Raises :class:`BatchRowError`
    (the caller's transaction undoes everything) if a timeline breaks a rule."""
    if not batch:
        return []
    pattern = pattern_of(store)
    stamp = now_iso()
    records: list[ApplicationFields] = []
    rows: list[dict[str, Any]] = []  # (each record's values, taken once)
    for item in batch:
        values = item.fields.values()
        status = values["status"] or "received"  # (as _status_for_new)
        values["status"] = "closed" if values["outcome"] else status
        receipt = item.fields.receipt
        if not values["serial"] and receipt:
            values["serial"] = store.numbering.next_serial(pattern, receipt.year)
        if not values["serial"]:
            raise BatchRowError(len(records), {"serial": "此行既没有申请编号，也没有收到日期，无法自动编号。"
                                                         "请在台账中填写收到日期（或申请编号）后重新导入。"})
        store.numbering.reserve(values["serial"], pattern)
        records.append(ApplicationFields(**values))
        rows.append(values)
    first_id, event_id = store.applications.next_id(), store.events.next_id()
    new: list[tuple[Application, list[Event]]] = []
    for app_id, (values, item) in enumerate(zip(rows, batch), start=first_id):
        timeline = [Event(event_id, app_id, "received", str(values["receipt_date"]), dict(item.event_data), None,
                          stamp)]
        if values["outcome"]:
            timeline.append(Event(event_id + 1, app_id, "replied", str(values["reply_date"]),
                                  {"outcome": values["outcome"], "outcome_reason": values["outcome_reason"]},
                                  None, stamp))
        event_id += len(timeline)
        new.append((Application(id=app_id, **values, review_reasons=dict(item.review),
                                created_at=stamp, updated_at=stamp), timeline))
    derived, broken = derived_for_new(store, new)
    if broken:
        index = min(app.id for app, _ in new if app.id in broken) - first_id
        raise BatchRowError(index, {"deadline": broken[first_id + index]})
    ids = store.applications.insert_many(records, stamp, first_id=first_id, derived=derived,
                                         review=[item.review for item in batch])
    store.events.insert_events([e for _app, timeline in new for e in timeline])
    trail: list[tuple[str, object, str, Any, Any]] = []
    for (app, timeline), values, item in zip(new, rows, batch):
        created = {k: v for k, v in values.items() if v is not None}
        if item.review:
            created["review_reasons"] = review_json(item.review)
        trail.append(("application", app.id, "create", None, created))
        trail.extend(("event", e.id, "create", None,
                      {"application_id": app.id, "kind": e.kind, "date": e.date, "data": e.data,
                       "doc_number": None}) for e in timeline)
    store.audit.record_many(trail)
    return ids


#: 其他处理 (2): the applicant did not pay the processing fee in time.
FEE_LAPSE = ("other", 2)


def fee_lapse_error(store: Store, app_id: int | None, values: Mapping[str, Any]) -> str | None:
    """Why an application may not be closed as 逾期未缴纳信息处理费: no
    fee notice was issued for it (nor a fee notice step recorded), or the
    fee it stated was nil (Art. 42, 国办函〔2020〕109号).  None when it
    may.  Checked when an existing application is closed (edit, CLI) and
    when one is entered already closed through the form; a ledger import
    flags the row 待核实 instead (:func:`fee_lapse_flag`)."""
    try:
        reason = int(values.get("outcome_reason") or 0)
    except (TypeError, ValueError):
        return None
    if (values.get("outcome"), reason) != FEE_LAPSE:
        return None
    issued = store.documents.list_issued(app_id) if app_id is not None else []
    if any(d.kind == "fee" and float((d.snapshot.get("fee") or {}).get("amount") or 0) > 0 for d in issued):
        return None
    if app_id is not None:  # a fee notice recorded as a step (issued on paper), not cancelled
        events = store.events.of(app_id)
        cancelled = {e.data.get("event_id") for e in events if e.kind == "step_cancelled"}
        for e in events:
            if e.kind == "fee_notice" and e.id not in cancelled:
                try:
                    if float(e.data.get("amount") or 0) > 0:
                        return None
                except (TypeError, ValueError):
                    continue
    if app_id is None:
        return ("新登记的申请不能直接按“逾期未缴纳信息处理费”办结：还没有它的收费通知书。"
                "只有出具收费金额大于零的收费通知书后申请人逾期未缴费的，才视为放弃申请（条例第四十二条）。"
                "请先不填办理结果保存，出具收费通知书（纸质通知书可登记为“收费通知”步骤）后再办结，"
                "或选择其他办理结果。")
    return ("不能按“逾期未缴纳信息处理费”办结：本申请没有出具过收费金额大于零的收费通知书。"
            "只有出具收费通知书后申请人逾期未缴费的，才视为放弃申请（条例第四十二条）。"
            "请先出具收费通知书，或选择其他办理结果。")


#: The 待核实 reason of an imported application closed as a fee lapse
#: with no fee notice on record (an old mistake: imported, flagged, listed).
FEE_NOTICE_NOT_ON_RECORD = ("收费通知书未登记：按“逾期未缴纳信息处理费”办结，但登记簿中没有收费金额大于零的"
                            "收费通知书（条例第四十二条）。请核对纸质档案，补登“收费通知”步骤，或更正办理结果。")


def fee_lapse_flag(store: Store, app_id: int | None, values: Mapping[str, Any],
                   flags: dict[str, str]) -> None:
    """For a ledger import: add the 待核实 reason
    :data:`FEE_NOTICE_NOT_ON_RECORD` to ``flags`` when ``values`` close
    the application as a fee lapse with no fee notice on record."""
    if fee_lapse_error(store, app_id, values) is None:
        return
    current = flags.get("outcome_reason")
    if current is None:
        flags["outcome_reason"] = FEE_NOTICE_NOT_ON_RECORD
    elif FEE_NOTICE_NOT_ON_RECORD not in current:
        flags["outcome_reason"] = current + "；" + FEE_NOTICE_NOT_ON_RECORD


def _guard_published(store: Store, old: Application | None, app_id: int,
                     agreed: Collection[int] | None) -> None:
    """After a write, inside its transaction: refuse a change of published
    report figures of a locked year (always: GUI, CLI, import), or one the
    clerk has not agreed to (the transaction is rolled back); ``agreed``
    None: no question asked."""
    from .report import placement_changes, published_warning, years_touched  # (not on the start-up path)

    new = store.applications.get(app_id)
    touched = years_touched(store, old, new)
    require_unlocked(store, touched)
    if agreed is None:
        return
    years = [y for y in touched if y not in agreed]
    if years:
        raise PublishedChange(years, published_warning(years), placement_changes(old, new, years))


def register_application(session: Session, record: Values | ApplicationFields, *,
                         today: _dt.date | None = None, event_data: Mapping[str, Any] | None = None,
                         review: Mapping[str, str] | None = None,
                         published_agreed: Collection[int] | None = None) -> Saved:
    """Validate and register an application with its ``received`` event;
    the next serial of the receipt year is assigned when none is given.

    ``review`` (given by the ledger import, ``{}`` for none): doubtful
    values are then saved as written and flagged 待核实 with their reasons
    (plus those in ``review``) instead of refused.  With
    ``published_agreed`` (the form: the years the clerk agreed to change)
    a record that would change other published report years raises
    :class:`PublishedChange` and nothing is written.  Raises
    :class:`ValidationError` with a message per field."""
    with session.store.transaction():
        app_id = add(session.store, record, today=today, event_data=event_data, review=review)
        _guard_published(session.store, None, app_id, published_agreed)
        app = get(session, app_id)
    return Saved(app_id, app.serial or "")


def _merged_status(old: Application, merged: dict[str, Any]) -> None:
    if merged.get("outcome") and merged.get("status") != "closed":
        merged["status"] = "closed"
    elif not merged.get("outcome") and merged.get("status") == "closed" \
            and not (old.status == "closed" and not old.outcome):
        # an outcome taken away reopens the application; one closed
        # without an outcome (an imported reply, 待核实) stays closed
        merged["status"] = "in_progress"


def _new_flags(old: Application, diff: Mapping[str, Any], soft: Mapping[str, str],
               review: Mapping[str, str] | None) -> dict[str, str]:
    """待核实 flags follow the values: a flagged field that changed is
    examined afresh; new reasons are kept for changed fields only."""
    touched = set(diff)
    if touched & OUTCOME_GROUP:
        touched |= OUTCOME_GROUP
    flags = {k: v for k, v in old.review_reasons.items() if k not in touched}
    flags.update({k: v for k, v in {**soft, **(review or {})}.items() if k in touched})
    return flags


def change(store: Store, app_id: int, changes: Values, *, today: _dt.date | None = None,
           review: Mapping[str, str] | None = None) -> dict[str, tuple[Any, Any]]:
    """Validate the merged record and save what changed, inside the
    caller's transaction; see :func:`update_application`."""
    old = store.applications.get(app_id)
    if old is None:
        raise NotFoundError(f"找不到编号为 {app_id} 的申请，可能已被删除。")
    merged = old.fields.with_values(changes).values()
    _merged_status(old, merged)
    errors = check(store, merged, app_id=app_id, today=today)
    soft: dict[str, str] = {}
    if review is not None:
        errors, soft = split_reviewable(errors, merged)
    if errors:
        raise ValidationError(errors)
    diff: dict[str, tuple[Any, Any]] = {k: (getattr(old, k), merged.get(k)) for k in APPLICATION_FIELDS
                                        if getattr(old, k) != merged.get(k)}
    if diff.keys() & OUTCOME_GROUP:
        if review is not None:
            fee_lapse_flag(store, app_id, merged, soft)
        else:
            lapse = fee_lapse_error(store, app_id, merged)
            if lapse:
                raise ValidationError({"outcome_reason": lapse})
    flags = _new_flags(old, diff, soft, review)
    if flags != dict(old.review_reasons):
        diff["review_reasons"] = (review_json(old.review_reasons), review_json(flags))
    if not diff:
        return {}
    values = {k: merged[k] for k in diff if k != "review_reasons"}
    if "review_reasons" in diff:
        values["review_reasons"] = flags
    store.applications.update(app_id, values, stamp=now_iso())
    store.audit.record("application", app_id, "update",
                       {k: v[0] for k, v in diff.items()}, {k: v[1] for k, v in diff.items()})
    if "serial" in diff:
        store.numbering.reserve(merged["serial"], pattern_of(store))
    if diff.keys() & OUTCOME_GROUP and merged.get("outcome"):
        insert_event(store, app_id, "replied", merged["reply_date"],
                     {"outcome": merged["outcome"], "outcome_reason": merged.get("outcome_reason")})
    refresh_derived(store, app_id)
    return diff


def update_application(session: Session, app_id: int, changes: Values | ApplicationFields, *,
                       today: _dt.date | None = None, review: Mapping[str, str] | None = None,
                       published_agreed: Collection[int] | None = None) -> Saved:
    """Validate the merged record and save the changed fields.

    ``changes`` is field → new value (a form gives every field).  With
    ``review`` (the ledger import) a doubtful new value is saved flagged
    instead of refused; ``published_agreed`` as for
    :func:`register_application`.  Raises :class:`ValidationError`."""
    values = changes.values() if isinstance(changes, ApplicationFields) else changes
    with session.store.transaction():
        old = get(session, app_id)
        diff = change(session.store, app_id, values, today=today, review=review)
        _guard_published(session.store, old, app_id, published_agreed)
        app = get(session, app_id)
    return Saved(app_id, app.serial or "", diff)


def resolve_review(session: Session, app_id: int) -> bool:
    """The clerk has checked a 待核实 application and confirms its values as
    they are: the flags are cleared (audited).  True when there was
    something to clear."""
    store = session.store
    with store.transaction():
        app = get(session, app_id)
        if not app.review_reasons:
            return False
        store.applications.update(app_id, {"review_reasons": {}}, stamp=now_iso())
        store.audit.record("application", app_id, "update",
                           {"review_reasons": review_json(app.review_reasons)}, {"review_reasons": None})
    return True


def add_event(session: Session, app_id: int, kind: str, date: object, data: Mapping[str, Any] | None = None,
              doc_number: str | None = None) -> int:
    """Record an event (a note…) on an application's timeline."""
    store = session.store
    with store.transaction():
        get(session, app_id)
        event_id = insert_event(store, app_id, kind, date, data, doc_number)
        refresh_derived(store, app_id)
    return event_id


def receipt_year(record: Values) -> int | None:
    try:
        day = parse_date(record.get("receipt_date"))
    except ValueError:
        return None
    return day.year if day else None
