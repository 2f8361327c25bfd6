"""Deadlines: the agency's rules, the deadline state of an application,
and the derived deadline columns kept up to date.

Every write to an application or its timeline ends with
:func:`refresh_derived` in the same transaction; a calendar or rules
change recomputes every open application (:func:`recompute_open`) and
returns those whose due date moved.  On start-up :func:`ensure_current`
notices a changed package calendar (or rows never computed) and
recomputes.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.due_soon import DUE_SOON_DAYS
from ..domain.workdays import WorkdayCalendar, default_calendar
from ..storage.open_counts import read as read_open_counts
from ..storage.store import Store
from .errors import NotFoundError, RulesError, ValidationError
from .session import Session

if TYPE_CHECKING:  # (the records' classes are not needed to count the 工作台)
    from ..domain.records import Application, Event

RULES_KEY = "deadline_rules"
FINGERPRINT_KEY = "deadline_fingerprint"


@dataclass(frozen=True)
class Moved:
    """An application whose due date moved after a calendar or rules change."""

    app_id: int
    serial: str
    applicant_name: str
    old: str | None
    new: str | None

    @property
    def text(self) -> str:
        return f"{self.serial} {self.applicant_name}：{self.old or '—'} → {self.new or '—'}"


# --- reading ------------------------------------------------------------------------------


class _LoadedOnUse:
    """``dl``: :mod:`desktop_app.domain.deadlines`, imported on the first
    use of one of its names, after which the module itself takes this
    object's place (the 工作台's first screen needs none of it: ~7 ms of
    frozen dataclasses off the start-up)."""

    def __getattr__(self, name: str) -> Any:
        from ..domain import deadlines

        globals()["dl"] = deadlines
        return getattr(deadlines, name)


if TYPE_CHECKING:
    from ..domain import deadlines as dl
    from ..domain.deadlines import DeadlineRules, DeadlineState, DeadlineView
else:
    dl = _LoadedOnUse()


def calendar_of(store: Store) -> WorkdayCalendar:
    return store.calendar.load()


def rules_of(store: Store) -> DeadlineRules:
    data = store.settings.get(RULES_KEY)
    return dl.DeadlineRules.from_dict(data if isinstance(data, dict) else None)


def load_calendar(session: Session | None) -> WorkdayCalendar:
    """The agency's working-day calendar (the official one without a register)."""
    return calendar_of(session.store) if session is not None else default_calendar()


def load_rules(session: Session | None) -> DeadlineRules:
    return rules_of(session.store) if session is not None else dl.DeadlineRules()


def _application(store: Store, app_id: int) -> Application:
    app = store.applications.get(app_id)
    if app is None:
        raise NotFoundError(f"找不到编号为 {app_id} 的申请，可能已被删除。")
    return app


def state_in(store: Store, app_id: int, extra: Sequence[Event] = ()) -> DeadlineState:
    app = _application(store, app_id)
    return dl.compute_state(app, [*store.events.of(app_id), *extra], calendar_of(store), rules_of(store))


def state_of(session: Session, app_id: int) -> DeadlineState:
    """The full deadline state of one application (the detail pane, the
    breakdown and the workflow dialogs)."""
    return state_in(session.store, app_id)


def view_of(session: Session, app_id: int, today: _dt.date | None = None) -> DeadlineView:
    return dl.view_of(_application(session.store, app_id), calendar_of(session.store),
                      today or _dt.date.today())


def views(session: Session, apps: Sequence[Application], today: _dt.date) -> list[DeadlineView]:
    calendar = calendar_of(session.store)
    return [dl.view_of(app, calendar, today) for app in apps]


def breakdowns(session: Session, app_id: int) -> list[dl.Breakdown]:
    return dl.breakdowns(state_of(session, app_id), calendar_of(session.store))


# --- the dashboard ------------------------------------------------------------------------

#: The dashboard's groups of open applications, in display order.
DASHBOARD_GROUPS = ("overdue", "due_today", "due_soon", "awaiting_correction", "awaiting_third_party",
                    "awaiting_payment", "extended")
_AWAITING = ("awaiting_correction", "awaiting_third_party", "awaiting_payment")


def group_open(apps: Sequence[Application], calendar: WorkdayCalendar, today: _dt.date
               ) -> dict[str, list[tuple[Application, DeadlineView]]]:
    """Open applications by dashboard group (one may be in several):
    overdue, due today, due within three working days, each kind of
    waiting, extended; each group in its working order."""
    out: dict[str, list[tuple[Application, DeadlineView]]] = {k: [] for k in DASHBOARD_GROUPS}
    for app in apps:
        v = dl.view_of(app, calendar, today)
        if v.state == dl.CLOSED:
            continue
        if v.state in (dl.OVERDUE, dl.DUE_TODAY, dl.DUE_SOON):
            out[v.state].append((app, v))
        if app.status in _AWAITING:
            out[app.status].append((app, v))
        if app.status == "extended" or (app.extension_days or 0) > 0:
            out["extended"].append((app, v))
    for key, items in out.items():
        if key in _AWAITING:
            items.sort(key=lambda t: (t[1].pause_until or _dt.date.max, t[0].serial or ""))
        else:
            items.sort(key=lambda t: (t[1].sort_key, t[0].serial or ""))
    return out


def dashboard_fields() -> tuple[str, ...]:
    """What the dashboard shows of each open application, and the fields
    its deadline view reads."""
    return ("serial", "applicant_name", "receipt_date", "info_description", "extension_days",
            *dl.VIEW_FIELDS)


def open_summary(session: Session, today: _dt.date) -> tuple[list[Any], dict[str, list[tuple[Any, DeadlineView]]]]:
    """The open applications (light rows with :func:`dashboard_fields`) and
    their dashboard groups for ``today``: each open application read once,
    through the status index, and not again until the register changes
    (the dashboard and the start-up reminder share it)."""
    from .backups import change_mark

    store = session.store
    key = (today, change_mark(session))
    cached = getattr(store, "_open_summary", None)
    if cached is not None and cached[0] == key:
        hit: tuple[list[Any], dict[str, list[tuple[Any, DeadlineView]]]] = cached[1]
        return hit
    rows = store.applications.open_rows(dashboard_fields())
    result = (rows, group_open(rows, calendar_of(store), today))
    if store.db.conn.in_transaction:  # (what a transaction read may yet be rolled back)
        return result
    store._open_summary = (key, result)  # type: ignore[attr-defined]  # kept with its register
    return result


@dataclass(frozen=True)
class OpenCounts:
    """What the dashboard shows before its list: how many applications are
    open, how many of them have a provisional deadline, and the size of
    each dashboard group."""

    open: int
    provisional: int
    groups: dict[str, int]


def open_counts(session: Session, today: _dt.date) -> OpenCounts:
    """The dashboard's counts for ``today`` in one SQL pass over the stored
    deadline columns: the same numbers as :func:`open_summary`'s rows and
    groups, without reading the rows or computing their deadline views."""
    store = session.store
    # due soon: at most DUE_SOON_DAYS working days left, i.e. due before the
    # working day after those
    soon_before = calendar_of(store).add_working_days(today, DUE_SOON_DAYS + 1, allow_provisional=True)
    from .startup_check import take_early_counts

    early = take_early_counts(store.path, today.isoformat())  # (read beside the window's start)
    # (plain SQL: the applications' repository and records are not loaded for it)
    counted = early if early is not None else read_open_counts(store.db, today.isoformat())
    counts = counted.counts(soon_before.isoformat())
    return OpenCounts(counts.pop("open"), counts.pop("provisional"), {k: counts[k] for k in DASHBOARD_GROUPS})


def counts_of(rows: Sequence[Any], groups: dict[str, list[Any]]) -> OpenCounts:
    """The same figures from :func:`open_summary`'s rows and groups."""
    return OpenCounts(len(rows), sum(1 for r in rows if r.deadline_provisional),
                      {k: len(groups[k]) for k in DASHBOARD_GROUPS})


def dashboard(session: Session, today: _dt.date) -> dict[str, list[tuple[Any, DeadlineView]]]:
    """The open applications of the register by dashboard group."""
    return open_summary(session, today)[1]


# --- the derived columns ---------------------------------------------------------------------


def _derived(st: DeadlineState, app: Application) -> dict[str, Any]:
    cols = dl.derived_columns(st)
    cols["status"] = dl.derived_status(st, app.status)
    return cols


def refresh_derived(store: Store, app_id: int) -> DeadlineState | None:
    """Recompute one application's deadline columns and status (inside
    the caller's transaction).  Raises :class:`ValidationError` when the
    timeline breaks a rule (a second extension…), so the write is undone."""
    app = _application(store, app_id)
    try:
        st = dl.compute_state(app, store.events.of(app_id), calendar_of(store), rules_of(store))
    except ValueError:
        return None  # no valid receipt date: validation reports it elsewhere
    if st.errors:
        raise ValidationError({"deadline": st.errors[0]})
    cols = _derived(st, app)
    changed = {k: v for k, v in cols.items() if getattr(app, k) != v}
    if changed:
        store.applications.update(app_id, changed, stamp=None)
    return st


def derived_for_new(store: Store, new: Sequence[tuple[Application, Sequence[Event]]]
                    ) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The deadline columns and status of applications about to be
    inserted, with their timelines, computed before the write as
    :func:`refresh_derived` computes them after it: for each, the columns
    that differ from a new row's defaults (none when it has no valid
    receipt date: validation reports it elsewhere); and the timeline
    errors by application id (the caller writes nothing)."""
    calendar, rules = calendar_of(store), rules_of(store)
    errors: dict[int, str] = {}
    out: list[dict[str, Any]] = []
    for app, events in new:
        try:  # (the timeline in the order a read gives it)
            st = dl.compute_state(app, sorted(events, key=lambda e: (e.date, e.id or 0)), calendar, rules)
        except ValueError:
            out.append({})
            continue
        if st.errors:
            errors[app.id] = st.errors[0]
            out.append({})
            continue
        out.append({k: v for k, v in _derived(st, app).items() if getattr(app, k) != v})
    return out, errors


def recompute(store: Store) -> list[Moved]:
    """Recompute every open application (inside the caller's
    transaction); returns those whose due date moved, from what to what."""
    calendar, rules = calendar_of(store), rules_of(store)
    apps = store.applications.needing_recompute()
    events = store.events.of_many([a.id for a in apps])
    moved, updates = [], []
    for app in apps:
        try:
            st = dl.compute_state(app, events.get(app.id, []), calendar, rules)
        except ValueError:
            continue
        cols = _derived(st, app)
        if any(getattr(app, k) != v for k, v in cols.items()):
            updates.append((app.id, cols))
        new = st.due_date.isoformat() if st.due_date else None
        if app.due_date is not None and app.due_date != new:
            moved.append(Moved(app.id, app.serial or "", app.applicant_name or "", app.due_date, new))
    store.applications.update_derived_many(updates)
    from . import items  # the proactive register counts on the same calendar

    items.recompute(store)
    store.settings.put(FINGERPRINT_KEY, fingerprint_of(store))
    return moved


def recompute_open(session: Session) -> list[Moved]:
    with session.store.transaction():
        return recompute(session.store)


def fingerprint_of(store: Store) -> str:
    import hashlib  # (the start-up hook's, after the first screen)

    rules = json.dumps(rules_of(store).to_dict(), sort_keys=True)
    return calendar_of(store).fingerprint() + ":" + hashlib.sha256(rules.encode()).hexdigest()[:8]


def ensure_current(session: Session) -> list[Moved]:
    """On start-up: if the calendar (e.g. a package update) or the rules
    changed since the deadlines were last computed, or some rows have
    never been computed, recompute; returns the moved deadlines."""
    store = session.store
    if store.settings.get(FINGERPRINT_KEY) == fingerprint_of(store) \
            and not store.applications.any_never_computed():
        return []
    return recompute_open(session)


# --- the rules ---------------------------------------------------------------------------------


def save_rules(session: Session, rules: DeadlineRules) -> list[Moved]:
    """Save the agency's rules and recompute every open application;
    returns the applications whose due date moved."""
    errors = rules.errors()
    if errors:
        raise RulesError(errors)
    store = session.store
    with store.transaction():
        old = store.settings.get(RULES_KEY)
        store.settings.put(RULES_KEY, rules.to_dict())
        if old != rules.to_dict():
            store.audit.record("setting", RULES_KEY, "update", {RULES_KEY: old}, {RULES_KEY: rules.to_dict()})
        return recompute(store)
