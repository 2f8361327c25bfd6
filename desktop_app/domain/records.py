"""Typed records: what an application, its timeline and the audit trail
are, as the services hand them to the GUI and the command line.

Dates are ISO text (``"2026-03-05"``), as the register stores them and as
every report, export and notice reads them; :func:`validation.parse_date`
turns them into dates where arithmetic is needed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .calendar_records import CalendarOverride, EnteredYear, ScheduleDay  # noqa: F401 (re-exported)
from .validation import parse_date

#: Every field of an application a clerk (or a ledger row) may set.
APPLICATION_FIELDS: tuple[str, ...] = (
    "serial", "receipt_date", "channel", "applicant_type", "org_kind", "applicant_name",
    "id_type", "id_number", "work_unit", "legal_rep", "contact_name", "phone", "fax",
    "address", "postcode", "email", "info_description", "info_title", "info_doc_number",
    "info_index_number", "info_purpose", "delivery_forms", "obtain_methods", "status",
    "reply_date", "outcome", "outcome_reason", "notes",
)
DATE_FIELDS = ("receipt_date", "reply_date")

#: Fields kept up to date from the deadline rules (never set by a clerk).
DERIVED_FIELDS: tuple[str, ...] = (
    "due_date", "clock_state", "clock_start", "pause_until", "limit_days",
    "extension_days", "paused_days", "deadline_provisional",
)

#: Fields checked together: a change to one re-examines the flags of all.
OUTCOME_GROUP = frozenset({"outcome", "outcome_reason", "reply_date"})


def clean_value(key: str, value: Any) -> Any:
    """One field as the register keeps it: strings stripped (blank is
    None), dates as ISO text, ID numbers in capitals, the outcome's
    reason as a number.  A value that cannot be read is left for
    validation to report."""
    if isinstance(value, str):
        value = value.strip() or None
    if key in DATE_FIELDS and value is not None:
        try:
            parsed = parse_date(value)
        except (ValueError, AttributeError):
            parsed = None
        if parsed is not None:
            value = parsed.isoformat()
    if key == "id_number" and isinstance(value, str):
        value = value.upper()
    if key == "outcome_reason" and value is not None:
        value = int(value)
    return value


def clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The application fields of ``values``, cleaned (other keys dropped)."""
    return {k: clean_value(k, v) for k, v in values.items() if k in APPLICATION_FIELDS}


def review_reasons_of(raw: object) -> dict[str, str]:
    """The 待核实 flags stored as JSON (``{field: reason}``)."""
    if not raw:
        return {}
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return {"note": str(raw)}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {"note": str(value)}


@dataclass(frozen=True, kw_only=True)
class ApplicationFields:
    """What a clerk (or a ledger row) sets on an application."""

    serial: str | None = None
    receipt_date: str | None = None
    channel: str | None = None
    applicant_type: str | None = None
    org_kind: str | None = None
    applicant_name: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    work_unit: str | None = None
    legal_rep: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    fax: str | None = None
    address: str | None = None
    postcode: str | None = None
    email: str | None = None
    info_description: str | None = None
    info_title: str | None = None
    info_doc_number: str | None = None
    info_index_number: str | None = None
    info_purpose: str | None = None
    delivery_forms: str | None = None
    obtain_methods: str | None = None
    status: str | None = None
    reply_date: str | None = None
    outcome: str | None = None
    outcome_reason: int | None = None
    notes: str | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ApplicationFields:
        """Fields from a form's or a ledger row's values (cleaned; keys
        that are not application fields are ignored)."""
        return cls(**clean_values(values))

    def values(self) -> dict[str, Any]:
        """Field → value, for validation and the audit trail."""
        return {name: getattr(self, name) for name in APPLICATION_FIELDS}

    def with_values(self, changes: Mapping[str, Any]) -> ApplicationFields:
        """These fields with ``changes`` (cleaned) applied."""
        merged = self.values()
        merged.update(clean_values(changes))
        return ApplicationFields(**merged)

    @property
    def receipt(self) -> _dt.date | None:
        try:
            return parse_date(self.receipt_date)
        except ValueError:
            return None


@dataclass(frozen=True, kw_only=True)
class Application(ApplicationFields):
    """An application as the register holds it: the clerk's fields, the
    deadline fields derived from them, and its bookkeeping."""

    id: int
    due_date: str | None = None
    clock_state: str | None = None
    clock_start: str | None = None
    pause_until: str | None = None
    limit_days: int | None = None
    extension_days: int = 0
    paused_days: int = 0
    deadline_provisional: bool = False
    #: 待核实: field → why the value needs the clerk's check (empty: none)
    review_reasons: Mapping[str, str] = field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    #: set while the application is in the recycle bin
    deleted_at: str | None = None

    @property
    def fields(self) -> ApplicationFields:
        return ApplicationFields(**self.values())

    @property
    def in_recycle_bin(self) -> bool:
        return bool(self.deleted_at)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)

    @property
    def review_text(self) -> str:
        """The 待核实 reasons as one line (empty when none)."""
        return "；".join(r.rstrip("。；") for r in self.review_reasons.values())

    def derived(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DERIVED_FIELDS}

    def replace(self, **changes: Any) -> Application:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Event:
    """One entry of an application's timeline (收到申请, 补正告知, 延期…).
    ``data`` is the step's own payload (its summary, amounts, names)."""

    id: int | None
    application_id: int | None
    kind: str
    date: str
    data: Mapping[str, Any] = field(default_factory=dict)
    doc_number: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail: who changed what, when, from what to what."""

    id: int
    time: str
    clerk: str
    entity: str
    entity_id: str | None
    action: str
    old_values: Any
    new_values: Any

    def field_changes(self) -> list[tuple[str, Any, Any]]:
        """(field, old, new) for each field the entry changed; for a
        creation every non-empty field, for a deletion nothing."""
        old = self.old_values or {}
        new = self.new_values or {}
        if not isinstance(old, dict) or not isinstance(new, dict):
            return [("value", old, new)]
        keys = list(dict.fromkeys(list(old) + list(new)))
        return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


class RowView(Protocol):
    """A register row read for the table: values by field name.  The
    register page reads 100,000 of them, so they are name-indexed tuples
    (``sqlite3.Row``) rather than records."""

    def __getitem__(self, key: str) -> Any: ...

    def keys(self) -> list[str]: ...


@dataclass(frozen=True)
class IssuedDocument:
    """A numbered notice as issued: ``snapshot`` holds every word and value
    it was rendered from, so a reprint is identical."""

    id: int
    application_id: int | None
    kind: str
    year: int
    number: int
    doc_number: str
    issued_on: str
    event_id: int | None
    snapshot: Mapping[str, Any]
    created_at: str
