"""The ``applications`` table: rows in and :class:`Application` records out.

Nothing here validates, audits or computes deadlines: the services do
that around these calls, in one transaction.  Applications in the recycle
bin (``deleted_at`` set) are left out of every list and count unless a
method says otherwise.
"""

from __future__ import annotations

import datetime as _dt
import functools

import json
import sqlite3
from array import array
from itertools import chain
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

from ..domain import catalog
from ..domain.serials import natural_key_text
from ..domain.records import APPLICATION_FIELDS, DERIVED_FIELDS, Application, ApplicationFields, review_reasons_of
from .open_counts import NOT_DELETED as _NOT_DELETED
from .open_counts import OpenCountsPass
from .open_counts import read as read_open_counts
from .open_counts import registered as registered_count
from .search_index import LARGE_AT_LEAST, SearchIndex

#: A search is read in windows when the index finds at least one application
#: in this many (see :meth:`ApplicationsTable.search_windowed`).
SEARCH_WINDOWS_AT = 100

#: Rows in the recycle bin are left out of lists and counts ("+": never
#: plan by the recycle-bin index); defined with the 工作台's counts.
NOT_DELETED = _NOT_DELETED
_COLUMNS = frozenset(("id", *APPLICATION_FIELDS, *DERIVED_FIELDS, "review_reasons", "created_at",
                      "updated_at", "deleted_at"))


#: What a derived column holds until it is first computed (the table's defaults).
_DERIVED_DEFAULTS: dict[str, Any] = {k: None for k in DERIVED_FIELDS} | {
    "extension_days": 0, "paused_days": 0, "deadline_provisional": 0}

#: Rows inserted by one statement at most (a statement per row costs each
#: its own statement journal under the search log's trigger: about twice the write).
_ROWS_PER_STATEMENT = 100


def _rows_per_statement(conn: sqlite3.Connection, columns: int) -> int:
    """Rows of ``columns`` values one INSERT may take: within SQLite's limit
    on bound values (999 before 3.32, still so on some office PCs' builds)."""
    getlimit = getattr(conn, "getlimit", None)  # (Python 3.11+; SQLITE_LIMIT_VARIABLE_NUMBER is 9)
    limit = getlimit(getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", 9)) if getlimit is not None else 999
    return max(1, min(_ROWS_PER_STATEMENT, limit // columns))


def review_json(flags: Mapping[str, str]) -> str | None:
    return json.dumps(dict(sorted(flags.items())), ensure_ascii=False) if flags else None


def _record(names: Sequence[str], row: Sequence[Any]) -> Application:
    values = {k: v for k, v in zip(names, row) if k in _COLUMNS}
    values["review_reasons"] = review_reasons_of(values.get("review_reasons"))
    values["deadline_provisional"] = bool(values.get("deadline_provisional"))
    for key in ("extension_days", "paused_days"):
        values[key] = values.get(key) or 0
    return Application(**values)


@dataclass(frozen=True)
class ApplicationQuery:
    """Which applications a list shows: year of receipt, status code
    (``open`` for any open status), applicant category (a report column
    code), free text over applicant and content, only the 待核实 ones."""

    year: int | None = None
    status: str | None = None
    category: str | None = None
    text: str | None = None
    needs_review: bool = False
    #: the day 逾期 is judged on (``status == OVERDUE``); None: today
    today: _dt.date | None = None


#: The status filter value for 逾期: past the due date with no reply.
OVERDUE = "overdue"


@dataclass(frozen=True)
class RegisterSort:
    """How the register orders by one column in SQL (fixed SQL only).

    ``groups``: (condition, key expression) in ascending order; within a
    group rows follow the key, then the serial's natural order (a condition
    given as several disjoint parts, with no key: a merge of the parts in
    serial order, each read through the index in that order).  ``blank``:
    the conditions of rows whose key is blank: they come last in either
    direction (ordered by serial), as the register always showed them.
    ``index``: the index that serves the order's windows without a sort
    (each group's rows in order by walking it, so LIMIT/OFFSET costs a
    walk, not a sort of the selection); None: no index, the order is a sort
    of the selection (see :meth:`ApplicationsTable.windowed`)."""

    groups: tuple[tuple[str | tuple[str, ...], str], ...]
    blank: tuple[str, ...] = ()
    index: str | None = None
    #: count each group by its own index probe (groups that the index finds by
    #: its leading columns, too many to test on every row of one pass)
    count_each: bool = False
    #: the group counted as the rest of the total (the others are counted): the one
    #: expected to be the largest (its probe would be the longest)
    main: int = 0
    #: the key's prefix that ``index`` holds (None: the key itself): the keyed groups are
    #: walked in the prefix's order, and only the rows sharing a prefix sorted by the key
    #: (every prefix of the key sorts as the key wherever two prefixes differ)
    prefix: str | None = None


def _plain_sort(column: str, nullable: bool = True, index: str | None = None) -> RegisterSort:
    # (blank as an index lookup each, not a scan; IS NULL left out for a NOT NULL
    # column: the planner would scan for the rows that cannot be)
    blank = (f"{column} IS NULL", f"{column} = ''") if nullable else (f"{column} = ''",)
    return RegisterSort(((f"{column} <> ''", column),), blank, index)


def _status_order() -> RegisterSort:
    """办理状态: one group per status in the catalogue's order, each read in
    serial order through ``idx_register_status`` (m0016) and counted by a
    probe of its range, then any other code (rank 99: blank or unknown; the
    column is NOT NULL), a merge of the ranges between the known codes, each
    an index lookup.  已办结, nearly every application of an old register, is
    counted as the rest of the total."""
    codes = [c for c in catalog.STATUSES if "'" not in c]
    known = sorted(codes)
    gaps = (f"status < '{known[0]}'", *(f"status > '{a}' AND status < '{b}'" for a, b in zip(known, known[1:])),
            f"status > '{known[-1]}'")
    groups: tuple[tuple[str | tuple[str, ...], str], ...] = (*((f"status = '{c}'", "") for c in codes), (gaps, ""))
    main = codes.index("closed") if "closed" in codes else 0
    return RegisterSort(groups, index="idx_register_status", count_each=True, main=main)


def _category_order() -> RegisterSort:
    """申请人类型 by its label (``catalog.applicant_category_label``): one group
    per label in text order, each read in serial order.  An organisation's
    kind is walked in ``idx_register_category`` (m0016: the type, the kind,
    the serial key) and counted by a probe of it; 其他 is a merge of its parts
    (no kind, ``other``, and the ranges around the known kinds, rare), each an
    index lookup; 自然人, most applicants, walks the serial index (which
    carries the type) and is counted as the rest of the total."""
    org = catalog.ORGANISATION
    everything = sorted(k for k in catalog.ORG_KINDS if "'" not in k)
    kinds = [k for k in everything if k != "other"]
    on = f"applicant_type = '{org}' AND"
    other = (f"{on} org_kind IS NULL", *(f"{on} org_kind = '{k}'" for k in everything if k == "other"),
             f"{on} org_kind < '{everything[0]}'",
             *(f"{on} org_kind > '{a}' AND org_kind < '{b}'" for a, b in zip(everything, everything[1:])),
             f"{on} org_kind > '{everything[-1]}'")
    conds: dict[str, str | tuple[str, ...]] = {"自然人": f"applicant_type <> '{org}'",
                                               catalog.ORG_KINDS["other"]: other}
    for k in kinds:
        conds[catalog.ORG_KINDS[k]] = f"{on} org_kind = '{k}'"
    labels = sorted(conds)
    return RegisterSort(tuple((conds[label], "") for label in labels), index="idx_register_category",
                        count_each=True, main=labels.index("自然人"))


def _by_label(column: str, entries: Sequence[tuple[str, str]], codes: Sequence[str],
              index: str, common: str | None = None) -> RegisterSort:
    """An order by the label a code of ``column`` shows (``entries``: label,
    condition), as the register sorts the label's text: one group per label
    in text order, each in serial order (a label two conditions share is a
    merge of both), and a value that is no known code, shown as it is
    written, in the gap between the labels its text falls in (ordered by
    itself; the gap's ranges between the known codes in it, each an index
    lookup); blanks last.  Every group is read through ``index``, led by
    ``column``; each is counted by a probe of it but the group of the label
    ``common`` (the most frequent in an agency's register), counted as the
    rest of the total, which spares the longest probe."""
    by_label: dict[str, list[str]] = {}
    for label, part in entries:
        if "'" not in label:
            by_label.setdefault(label, []).append(part)
    known = sorted(c for c in codes if "'" not in c)

    def gap(low: str, high: str | None) -> tuple[str | tuple[str, ...], str]:
        # the values strictly between ``low`` and ``high`` (None: above ``low``) that are no code
        inside = [c for c in known if c > low and (high is None or c < high)]
        bounds = [low, *inside]
        parts = [f"{column} > '{a}' AND {column} < '{b}'" for a, b in zip(bounds, [*inside, high]) if b is not None]
        if high is None:
            parts.append(f"{column} > '{bounds[-1]}'")
        return (tuple(parts) if len(parts) > 1 else parts[0]), column

    groups: list[tuple[str | tuple[str, ...], str]] = []
    main = 0
    low = ""
    for label in sorted(by_label):
        groups.append(gap(low, label))
        parts = by_label[label] + ([] if label in codes else [f"{column} = '{label}'"])
        if label == common:
            main = len(groups)
        groups.append((tuple(parts) if len(parts) > 1 else parts[0], ""))
        low = label
    groups.append(gap(low, None))
    return RegisterSort(tuple(groups), (f"{column} IS NULL", f"{column} = ''"), index, count_each=True,
                        main=main)


def _channel_order() -> RegisterSort:
    """申请方式 by its label (``catalog.CHANNELS``)."""
    return _by_label("channel", [(label, f"channel = '{code}'") for code, label in catalog.CHANNELS.items()
                                 if "'" not in code], list(catalog.CHANNELS), "idx_register_channel",
                     catalog.CHANNELS.get("online"))


def _outcome_order() -> RegisterSort:
    """办理结果 by ``catalog.outcome_label(outcome, outcome_reason)``: a
    numbered reason shows ``简称 / 理由``; no reason, or one out of range, the
    short label alone (the outcome's rows without a reason first read apart,
    so each part keeps the index's serial order)."""
    entries = []
    for code, outcome in catalog.OUTCOMES.items():
        if "'" in code:
            continue
        short = catalog.OUTCOME_SHORT_LABELS[code]
        numbers = ", ".join(str(i) for i in range(1, len(outcome.reasons) + 1))
        for i, reason in enumerate(outcome.reasons, start=1):
            entries.append((f"{short} / {reason}", f"outcome = '{code}' AND outcome_reason = {i}"))
        entries.append((short, f"outcome = '{code}' AND outcome_reason IS NULL"))
        entries.append((short, f"outcome = '{code}' AND outcome_reason NOT IN ({numbers})" if numbers
                        else f"outcome = '{code}' AND outcome_reason IS NOT NULL"))
    return _by_label("outcome", entries, list(catalog.OUTCOMES), "idx_register_outcome",
                     catalog.OUTCOME_SHORT_LABELS.get("disclosed"))


#: 申请内容 as the register shows it (title；description), before the one-line folding
_CONTENT = ("(CASE WHEN info_title IS NOT NULL AND info_title <> '' "
            "THEN info_title || '；' || coalesce(info_description, '') ELSE coalesce(info_description, '') END)")
#: its first 16 characters, the key of ``idx_register_content`` (m0016, the same expression):
#: blank exactly when the text is, and in the text's order wherever two prefixes differ
_CONTENT_PREFIX = f"substr({_CONTENT}, 1, 16)"


@functools.cache
def register_sorts() -> dict[str, RegisterSort]:
    """The register's SQL orders by sort name (a column's ``sort_field``)."""
    return {
        "serial": RegisterSort((("1", "serial_key"),), index="idx_register_serial"),
        "receipt_date": _plain_sort("receipt_date", nullable=False, index="idx_register_receipt"),
        "applicant_name": _plain_sort("applicant_name", nullable=False, index="idx_register_applicant"),
        # (their indexes: m0014)
        "reply_date": _plain_sort("reply_date", index="idx_register_reply"),
        "id_number": _plain_sort("id_number", index="idx_register_id_number"),
        "phone": _plain_sort("phone", index="idx_register_phone"),
        # an open application without a due date sorts as "9999" (after every date)
        "due_date": RegisterSort((("due_date <> ''", "due_date"), ("due_date IS NULL", "'9999'"),
                                  ("due_date = ''", "'9999'")), index="idx_register_due"),
        # (each status, kind and label a group in serial order, through the indexes m0015 and m0016 add)
        "status": _status_order(),
        "channel": _channel_order(),
        "applicant_category": _category_order(),
        "outcome": _outcome_order(),
        # (the text's prefix walks its index; the rows sharing one prefix are sorted by the text)
        "content": RegisterSort(((f"{_CONTENT_PREFIX} <> ''", _CONTENT),), (f"{_CONTENT_PREFIX} = ''",),
                                "idx_register_content", prefix=_CONTENT_PREFIX),
    }


@dataclass(frozen=True)
class OrderGroup:
    """One group of the register's order as shown: the rows meeting any of
    ``parts`` (disjoint conditions, each served by an index), ordered by
    ``key`` then ``tie`` (``key`` None: by ``tie`` alone)."""

    parts: tuple[str, ...]
    key: str | None
    descending: bool = False
    tie: str = "serial_key"
    #: the prefix of ``key`` an index holds (:attr:`RegisterSort.prefix`)
    prefix: str | None = None

    @property
    def cond(self) -> str:
        return self.parts[0] if len(self.parts) == 1 else " OR ".join(f"({p})" for p in self.parts)

    @property
    def order(self) -> str:
        d = "DESC" if self.descending else "ASC"
        if self.key and self.prefix:  # (the index gives the prefix's order; SQLite sorts the rest)
            return f"{self.prefix} {d}, {self.key} {d}, {self.tie} {d}"
        return f"{self.key} {d}, {self.tie} {d}" if self.key else f"{self.tie} {d}"


def register_order(sort: str | None, descending: bool = False) -> list[OrderGroup]:
    """The groups of the register's order by sort name ``sort`` as shown.
    Within a group rows follow the key, then the serial's natural order
    (``serial_key``, unique); blanks come last in either direction, in
    serial order.  None (or an unknown name): by id."""
    spec = register_sorts().get(sort or "")
    if spec is None:
        return [OrderGroup(("1",), None, False, "id")]
    groups = list(spec.groups)
    if descending:
        groups.reverse()
    out = []
    for cond, expr in groups:
        # a constant key (or the serial key itself) leaves the serial order alone
        key = None if not expr or expr == "serial_key" or expr.startswith("'") else expr
        out.append(OrderGroup(cond if isinstance(cond, tuple) else (cond,), key, descending,
                              prefix=spec.prefix if key is not None else None))
    if spec.blank:
        out.append(OrderGroup(tuple(spec.blank), None, descending))
    return out


#: The columns the register's search looks in (a word matches when any contains it).
_SEARCHED = ("serial", "applicant_name", "contact_name", "info_title", "info_description")

#: Between the fields in ``search_text``: a character no one types (and str.split()
#: splits a query on it), so no word of a search spans two fields.
SEARCH_SEPARATOR = "\x1f"


def search_text(values: Mapping[str, Any]) -> str:
    """The stored ``search_text`` of an application: its searched fields
    joined by :data:`SEARCH_SEPARATOR` and lower-cased by Python (every
    Unicode letter, full-width ones included, not just ASCII)."""
    return SEARCH_SEPARATOR.join(str(values.get(c) or "") for c in _SEARCHED).lower()


#: The 未办结 filter's term.
_OPEN = "coalesce(status, '') <> 'closed'"


def register_where(q: ApplicationQuery, index: SearchIndex | None = None, *,
                   walk: bool = False, in_rows: bool = False, by_id: bool = False) -> tuple[str, list[Any]]:
    """The register's filter as fixed SQL with parameters: the year of
    receipt, a status (``open``: any but closed), an applicant category
    (a report column), only 待核实, and each word of ``q.text`` found in
    the serial, applicant, contact, title or content (case-insensitive for
    every Unicode letter: both sides lowered by Python, see :func:`search_text`).
    The words are found through ``index`` (the n-gram index) when it can
    answer, else by scanning the stored ``search_text``; the same rows either way
    (``walk``: written for a query that walks its order's index and stops at
    a window, see :meth:`.SearchIndex.condition`; ``in_rows``: each word
    looked for in the text of each row the query reads, for a window near
    the top of a search that finds most rows, where the walk passes few
    rows for each one found; ``by_id``: the rows found read by id however
    many)."""
    where = ["deleted_at IS NULL"]  # (lets the register's partial indexes serve the query)
    params: list[Any] = []
    if q.needs_review:
        where.append("review_reasons IS NOT NULL")
    if q.year:
        where.append("receipt_date >= ? AND receipt_date < ?")
        params += [f"{q.year:04d}", f"{q.year + 1:04d}"]
    if q.status == "open":
        where.append(_OPEN)
    elif q.status == OVERDUE:
        # 逾期: open, the stored due date passed, the clock not paused
        # (a paused application's due date is not yet running out)
        where.append("coalesce(status, '') <> 'closed' AND due_date IS NOT NULL AND due_date < ? "
                     "AND (clock_state IS NULL OR clock_state NOT LIKE 'paused%')")
        params.append((q.today or _dt.date.today()).isoformat())
    elif q.status:
        where.append("status = ?")
        params.append(q.status)
    if q.category == catalog.NATURAL_PERSON:
        where.append("coalesce(applicant_type, '') <> ?")
        params.append(catalog.ORGANISATION)
    elif q.category == "other":
        kinds = [k for k in catalog.ORG_KINDS if k != "other"]
        where.append(f"applicant_type = ? AND (org_kind IS NULL OR org_kind NOT IN "
                     f"({', '.join('?' for _ in kinds)}))")
        params += [catalog.ORGANISATION, *kinds]
    elif q.category:
        where.append("applicant_type = ? AND org_kind = ?")
        params += [catalog.ORGANISATION, q.category]
    words = (q.text or "").lower().split()
    found = (index.condition(words, walk=walk, by_id=by_id) if words and index is not None and not in_rows
             else None)
    if words and in_rows:
        where.append(" AND ".join("instr(search_text, ?) > 0" for _ in words))
        params += words
    elif found is not None:
        where.append(found[0])
        params += found[1]
    elif words:  # the ids found by scanning the narrow search index alone (idx_search_text)
        where.append("id IN (SELECT id FROM applications WHERE deleted_at IS NULL AND "
                     + " AND ".join("instr(search_text, ?) > 0" for _ in words) + ")")
        params += words
    return " AND ".join(where), params


#: Terms of :func:`register_where` (as it writes them) by the column they test, and
#: the same kept off the plan by a unary ``+`` (the value is unchanged; SQLite
#: then uses no index for the term but checks it in whatever index it reads).
_PLANNABLE = (
    ("receipt_date", "receipt_date >= ? AND receipt_date < ?", "+receipt_date >= ? AND +receipt_date < ?"),
    ("status", "status = ?", "+status = ?"),
    ("due_date", "due_date IS NOT NULL AND due_date < ?", "+due_date IS NOT NULL AND +due_date < ?"),
    ("applicant_type", "applicant_type = ? AND org_kind = ?", "+applicant_type = ? AND +org_kind = ?"),
    ("applicant_type", "applicant_type = ? AND (org_kind IS NULL", "+applicant_type = ? AND (org_kind IS NULL"),
)


def _off_plan(where: str, key: str | None = None) -> str:
    """``where`` with its year, status and 逾期 terms kept off the plan
    unless they test ``key`` (the column of the order read): SQLite then
    walks the order's index (or counts over a covering one), checking the
    filter in it, instead of finding the filter's rows by a narrower index
    and sorting them (half a million at 1,000,000 applications for a year,
    nearly all of them for 已办结) or looking each up in the table."""
    for column, term, kept_off in _PLANNABLE:
        if column != key:
            where = where.replace(term, kept_off)
    return where


def _total_query(where: str, params: list[Any], q: ApplicationQuery) -> tuple[str, list[Any]]:
    """The SQL (and parameters) counting every row ``where`` selects.
    未办结 with nothing but a category or 待核实 beside it is counted as the
    two ranges of the status index either side of 'closed' (a status is never
    NULL), which hold those columns: the open applications' entries are read,
    not the whole index (at 1,000,000 applications ~3 ms instead of ~145 ms).
    Otherwise one count, planned by :func:`_total_plan`."""
    if q.status == "open" and not q.year and not (q.text or "").split() and _OPEN in where:
        ranges = [_off_plan(where.replace(_OPEN, f"status {op} 'closed'"), "status") for op in ("<", ">")]
        return ("SELECT " + " + ".join(f"(SELECT count(*) FROM applications WHERE {w})" for w in ranges),
                [*params, *params])
    return f"SELECT count(*) FROM applications WHERE {_total_plan(where, q)}", params


def _total_plan(where: str, q: ApplicationQuery) -> str:
    """``where`` for counting every row it selects.  A year is counted as a
    range of the receipt date's indexes when nothing but the status, the
    category and 待核实 is filtered beside it: ``idx_register_receipt`` and
    ``idx_report_section3`` hold those columns, so the count reads the year's
    entries of one of them instead of a whole index (at 1,000,000
    applications 62–110 ms instead of 200–250 ms).  Otherwise as
    :func:`_off_plan`."""
    if q.year and q.status != OVERDUE and not (q.text or "").split():
        return _off_plan(where, "receipt_date")
    return _off_plan(where, "due_date")


def _ordered_where(where: str, group: OrderGroup) -> str:
    """``where`` for reading a group in its order (see :func:`_off_plan`)."""
    return _off_plan(where, group.key)


def _before_test(group: OrderGroup, less: str, key_value: Any, tie_value: Any) -> tuple[str, list[Any]]:
    """The condition (and its parameters) of the rows of ``group`` that sort
    before (``less``: the comparison) the row with these key and tie values."""
    if group.key is None:
        return f"{group.tie} {less} ?", [tie_value]
    if group.prefix is not None:
        # the prefixes before its own (a range of the prefix's index), then the rows of its
        # prefix before it by the whole key (the prefix of the bound value: the same expression)
        bound = group.prefix.replace(group.key, "?")
        return (f"{group.prefix} {less}= {bound} AND ({group.prefix} {less} {bound} "
                f"OR ({group.key}, {group.tie}) {less} (?, ?))", [key_value, key_value, key_value, tie_value])
    return f"({group.key}, {group.tie}) {less} (?, ?)", [key_value, tie_value]


def _group_ids(group: OrderGroup, where: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    """The SELECT of the ids of one group in its order: a group of several
    parts (the blanks: NULL and '') is a merge of one index lookup each."""
    where = _ordered_where(where, group)
    if len(group.parts) == 1 or group.key is not None:
        return (f"SELECT id FROM applications WHERE {where} AND ({group.cond}) ORDER BY {group.order}",
                list(params))
    d = "DESC" if group.descending else "ASC"
    arms = " UNION ALL ".join(f"SELECT id, {group.tie} FROM applications WHERE {where} AND ({part})"
                              for part in group.parts)
    # (a compound SELECT with ORDER BY: SQLite merges the arms, each in its index's order)
    return f"{arms} ORDER BY 2 {d}", list(params) * len(group.parts)


#: How many rows of its order a search's position walks looking for the words
#: in each row's text (about 30 ms at 1,000,000 applications) before it counts
#: with the found set instead (see :meth:`ApplicationsTable.register_position`).
NEAR_END_ROWS = 20_000


def _in_rows(end: int, found: int, size: int) -> bool:
    """Whether a search's window ending at row ``end`` of the ``found`` rows
    (of a register of ``size``) is read by looking for the words in the
    text of each row the walk passes (``instr``, reading the row: about 1.6 µs
    a row at 1,000,000 applications) rather than by gathering the found set
    and probing it (about 0.45 µs an application found, then 0.25 µs a row
    passed): the walk passes ``end * size / found`` rows, so the text wins
    while that is under a third of the found set."""
    if found <= 0:
        return False
    return end * size / found <= found / 3


class ApplicationsTable:
    def __init__(self, db: Database, *, search: SearchIndex | None = None):
        self.db = db
        #: the n-gram index of ``search_text`` (kept by triggers, see :mod:`.search_index`)
        self.search = search if search is not None else SearchIndex(db)

    # --- reading -----------------------------------------------------------------------

    def select(self, where: str = "", params: Iterable[Any] = (), *,
                order_by: str = "receipt_date, serial", include_deleted: bool = False) -> Iterator[Application]:
        """Applications matching fixed SQL ``where`` (callers in this
        package pass only fixed SQL with ``?`` parameters, never user text)."""
        if not include_deleted:
            where = f"{NOT_DELETED} AND ({where})" if where else NOT_DELETED
        sql = "SELECT * FROM applications" + (f" WHERE {where}" if where else "")
        if order_by:
            sql += f" ORDER BY {order_by}"
        cur = self.db.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield _record(names, row)

    def get(self, app_id: int) -> Application | None:
        """One application, also when it is in the recycle bin."""
        return next(self.select("id = ?", [app_id], order_by="", include_deleted=True), None)

    def find_by_serial(self, serial: str) -> Application | None:
        return next(self.select("serial = ?", [serial], order_by="", include_deleted=True), None)

    def serial_holders(self, serials: Iterable[str]) -> dict[str, tuple[int, bool]]:
        """serial → (id, in the recycle bin) of the applications holding
        any of ``serials`` (one query)."""
        return {serial: (app_id, bool(deleted)) for serial, app_id, deleted in self.db.execute(
            "SELECT serial, id, deleted_at FROM applications WHERE serial IN (SELECT value FROM json_each(?))",
            [json.dumps(list(serials), ensure_ascii=False)])}

    def serial_of(self, app_id: int) -> str | None:
        row = self.db.execute("SELECT serial FROM applications WHERE id = ?", [app_id]).fetchone()
        return row[0] if row else None

    def serials_of(self, ids: Sequence[int]) -> dict[int, str]:
        """id → serial of many applications (one query)."""
        return dict(self.db.execute("SELECT id, serial FROM applications WHERE id IN "
                                    "(SELECT value FROM json_each(?))", [json.dumps(list(ids))]).fetchall())

    def id_of_serial(self, serial: str) -> int | None:
        row = self.db.execute("SELECT id FROM applications WHERE serial = ?", [serial]).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return registered_count(self.db)

    def review_count(self) -> int:
        return int(self.db.execute(
            f"SELECT count(*) FROM applications WHERE review_reasons IS NOT NULL AND {NOT_DELETED}"
        ).fetchone()[0])

    def all(self, *, order_by: str = "receipt_date, serial") -> Iterator[Application]:
        return self.select(order_by=order_by)

    def open(self, *, order_by: str = "id") -> list[Application]:
        """Applications not yet closed."""
        return list(self.select("status != 'closed'", order_by=order_by))

    def open_rows(self, fields: Sequence[str]) -> list[Any]:
        """``id`` and ``fields`` of the applications not yet closed, as
        light named rows (attribute access), through the status index."""
        from collections import namedtuple

        names = ["id", *(f for f in fields if f != "id")]
        existing = self._existing_columns()
        select = ", ".join(f if f in existing else f"NULL AS {f}" for f in names)
        row_type: Any = namedtuple("OpenRow", names)  # type: ignore[misc]  # fields named at run time
        make = row_type._make
        return [make(r) for r in self.db.execute(
            f"SELECT {select} FROM applications WHERE (status < 'closed' OR status > 'closed') "
            f"AND {NOT_DELETED} ORDER BY id")]

    def open_group_counts(self, today: str, soon_before: str) -> dict[str, int]:
        """The dashboard's counts in one pass over the open applications
        (through the status index, from the stored deadline columns): ``open``,
        ``provisional`` and each of the dashboard groups, for the day ``today``
        (ISO) with "due soon" meaning due after it and before ``soon_before``
        (:mod:`.open_counts`)."""
        return self.open_counts_pass(today).counts(soon_before)

    def open_counts_pass(self, today: str) -> OpenCountsPass:
        """:func:`.open_counts.read` over this register."""
        return read_open_counts(self.db, today)

    def open_with_due_date(self) -> list[Application]:
        return list(self.select("status != 'closed' AND due_date IS NOT NULL", order_by="due_date, serial"))

    def needing_recompute(self) -> list[Application]:
        """Open applications and those never computed (in the recycle bin too)."""
        return list(self.select("status != 'closed' OR clock_state IS NULL", order_by="id",
                                 include_deleted=True))

    def any_never_computed(self) -> bool:
        return self.db.execute(
            "SELECT 1 FROM applications WHERE clock_state IS NULL LIMIT 1").fetchone() is not None

    def query(self, q: ApplicationQuery) -> list[Application]:
        """Applications matching the register's filter (:func:`register_where`),
        in receipt order."""
        where, params = register_where(q, self.search)
        return list(self.select(where, params))

    def by_ids(self, ids: Sequence[int]) -> list[Application]:
        """The given applications in receipt order; one query however many."""
        if not ids:
            return []
        return list(self.select("id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]))

    def received_between(self, start: str, before: str) -> list[Application]:
        """Applications received on ``start`` or later and before ``before``."""
        return list(self.select("receipt_date >= ? AND receipt_date < ?", [start, before]))

    def flagged_in_report_year(self, year: int) -> list[Application]:
        """Applications of the year's section 三 (received that year, or
        received earlier and still open or answered in it) flagged 待核实."""
        start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
        return list(self.select(
            "review_reasons IS NOT NULL AND receipt_date <= ? AND (receipt_date >= ? OR reply_date IS NULL "
            "OR reply_date >= ?)", [end, start, start], order_by="receipt_date, id"))

    def first_receipt_date(self) -> str | None:
        row = self.db.execute(f"SELECT min(receipt_date) FROM applications WHERE {NOT_DELETED}").fetchone()
        return row[0] if row else None

    def match_keys(self) -> list[tuple[int, str | None, str | None, str | None]]:
        """(id, receipt date, applicant, content) of every application,
        for matching ledger rows that carry no 申请编号."""
        return [tuple(r) for r in self.db.execute(
            f"SELECT id, receipt_date, applicant_name, info_description FROM applications "
            f"WHERE {NOT_DELETED} ORDER BY id")]

    def table_rows(self, fields: Sequence[str], ids: Sequence[int] | None = None) -> list[sqlite3.Row]:
        """Every application (or those of ``ids``) with just ``fields``,
        as name-indexed rows for the register table."""
        existing = {r[1] for r in self.db.execute("PRAGMA table_info(applications)")}
        cols = [f for f in fields if f in existing]
        missing = [f for f in fields if f not in existing]
        select = ", ".join(cols + [f"NULL AS {f}" for f in missing])
        cur = self.db.conn.cursor()
        cur.row_factory = sqlite3.Row
        conditions = [NOT_DELETED]
        params: list[int] = []
        if ids is not None:
            conditions.append(f"id IN ({', '.join('?' for _ in ids)})")
            params = [int(i) for i in ids]
        return cur.execute(f"SELECT {select} FROM applications WHERE {' AND '.join(conditions)}",
                           params).fetchall()

    # --- the register's windows ----------------------------------------------------------

    def register_ids(self, q: ApplicationQuery, sort: str | None = None, descending: bool = False) -> array:
        """Ids of the applications ``q`` selects, in the register's order
        by sort name ``sort`` (see :func:`register_sorts`; None: by id).
        Reads every selected id: for a whole list (the register itself
        reads windows: :meth:`register_counts`, :meth:`register_window`)."""
        where, params = register_where(q, self.search)
        out = array("q")
        for group in register_order(sort, descending):
            sql, args = _group_ids(group, where, params)
            cur = self.db.execute(sql, args)
            if len(cur.description) == 1:  # (one-column rows, unpacked in C: 4x a generator)
                out.extend(chain.from_iterable(cur.fetchall()))
            else:
                out.extend(r[0] for r in cur)
        return out

    def windowed(self, sort: str | None) -> bool:
        """Whether the order ``sort`` is read in windows: an index of the
        register walks it (see :attr:`RegisterSort.index`).  Otherwise every
        window deep in the list would sort the whole selection again (seconds
        at 1,000,000 applications), so the register reads the order's ids once
        (:meth:`register_ids`: one sort in SQLite) and its rows by id."""
        spec = register_sorts().get(sort or "")
        if spec is None:
            return True  # (by id: the table itself)
        if spec.index is None:
            return False
        indexes = getattr(self, "_index_names", None)
        if indexes is None:
            indexes = self._index_names = frozenset(
                r[1] for r in self.db.execute("PRAGMA index_list(applications)"))
        return spec.index in indexes

    def search_windowed(self, q: ApplicationQuery) -> bool:
        """Whether the search of ``q`` finds enough applications to be read in
        windows walking its order's index (:meth:`register_counts`,
        :meth:`register_window`): from :data:`SEARCH_WINDOWS_AT` of the
        register (at least :data:`.search_index.LARGE_AT_LEAST`) found by the
        n-gram index.  Fewer are read by id and sorted at once
        (:meth:`register_ids`): a window's walk would pass many rows for each
        one found, and so would a position or a deep window.  A search with
        another filter too is read by id: the two together may find few
        (each window would then walk far), and only a search alone is counted
        in the index (with a filter, every count would walk the register)."""
        words = (q.text or "").lower().split()
        if not words:
            return True
        if q != ApplicationQuery(text=q.text, today=q.today):
            return False
        return bool(self.search.found_at_least(words, max(LARGE_AT_LEAST, self._size() // SEARCH_WINDOWS_AT)))

    def _size(self) -> int:
        """About how many applications the register holds (the largest id: one
        index probe, where a count reads them all), for choosing a plan."""
        return int(self.db.execute("SELECT max(id) FROM applications").fetchone()[0] or 0)

    def register_counts(self, q: ApplicationQuery, sort: str | None = None,
                        descending: bool = False) -> list[int]:
        """How many applications ``q`` selects in each group of the order
        ``sort`` (:func:`register_order`, in the order shown); their sum is
        the register's row count.  The first group of an order is counted as
        the rest of the total (the groups partition the selection), so a
        count is the filter's count plus index probes for the other groups
        (or one pass over the selection when there are many).  A search
        alone is counted in the n-gram index (:meth:`.SearchIndex.count`)."""
        where, params = register_where(q, self.search, walk=True)
        groups = register_order(sort, descending)
        spec = register_sorts().get(sort or "")
        first = spec.groups[spec.main][0] if spec is not None else "1"
        main = next(i for i, g in enumerate(groups) if g.parts == (first if isinstance(first, tuple) else (first,)))
        others = [i for i in range(len(groups)) if i != main]
        counts = [0] * len(groups)
        words = (q.text or "").lower().split()
        if len(others) > 2 and (words or not (spec is not None and spec.count_each)):
            # many groups: one pass counts them all (under a search, a pass over the rows it
            # finds, read by id: the groups test columns no order's index holds, so a walk
            # would read the whole table; never a walk per group)
            if words:
                where, params = register_where(q, self.search, by_id=True)
            aggregates = ", ".join(f"count(*) FILTER (WHERE {groups[i].cond})" for i in others)
            row = self.db.execute(f"SELECT count(*), {aggregates} FROM applications WHERE {_off_plan(where, 'due_date')}",
                                  params).fetchone()
            counts[main] = int(row[0]) - sum(int(n) for n in row[1:])
            for i, n in zip(others, row[1:]):
                counts[i] = int(n)
            return counts
        searched = None
        if words and q == ApplicationQuery(text=q.text, today=q.today):  # (the search alone)
            searched = self.search.count(words)
        if searched is not None:
            total = searched
        elif where == "deleted_at IS NULL":
            total = self.count()
        else:
            total = int(self.db.execute(*_total_query(where, params, q)).fetchone()[0])
        if total:
            for i in others:
                counts[i] = sum(int(self.db.execute(
                    f"SELECT count(*) FROM applications WHERE {_off_plan(where, 'due_date')} AND ({part})", params).fetchone()[0])
                    for part in groups[i].parts)
        counts[main] = total - sum(counts)
        return counts

    def register_window(self, q: ApplicationQuery, sort: str | None, descending: bool, offset: int,
                        limit: int, fields: Sequence[str], counts: Sequence[int] | None = None
                        ) -> list[sqlite3.Row]:
        """Rows ``offset`` to ``offset + limit`` of the register's order
        (``id`` and ``fields``), read with the order's SQL and LIMIT/OFFSET
        within the groups they fall in (``counts``: :meth:`register_counts`).
        A search's window walks the order's index probing the found set, or
        near the top of a search that finds many, looks for the words in the
        text of each row it passes (no set to gather: see :func:`_in_rows`)."""
        groups = register_order(sort, descending)
        if counts is None:
            counts = self.register_counts(q, sort, descending)
        total = sum(counts)
        in_rows = bool(q.text and q.text.split()) and _in_rows(min(offset + limit, total - offset), total,
                                                                self._size())
        where, params = register_where(q, self.search, walk=True, in_rows=in_rows)
        ids: list[int] = []
        for group, n in zip(groups, counts):
            if limit <= 0:
                break
            if offset >= n:
                offset -= n
                continue
            take = min(limit, n - offset)
            # the ids first (the order's index alone, a narrow sort at worst), then their rows;
            # past the middle of a group, walked from its end (the same rows, read backwards)
            from_end = n - offset - take
            if group.prefix is not None:  # (its prefix found from the nearer end of the index)
                ids += self._prefix_window(group, where, params, offset, take, n)
            elif from_end < offset:
                sql, args = _group_ids(replace(group, descending=not group.descending), where, params)
                ids += reversed([r[0] for r in self.db.execute(f"{sql} LIMIT ? OFFSET ?", [*args, take, from_end])])
            else:
                sql, args = _group_ids(group, where, params)
                ids += (r[0] for r in self.db.execute(f"{sql} LIMIT ? OFFSET ?", [*args, take, offset]))
            limit -= take
            offset = 0
        return self.rows_of_ids(fields, ids)

    def _prefix_window(self, group: OrderGroup, where: str, params: Sequence[Any], offset: int,
                       limit: int, size: int) -> list[int]:
        """Ids ``offset`` to ``offset + limit`` of a group (of ``size`` rows)
        ordered by a key whose prefix an index holds: the prefix at ``offset``
        found by walking the index from the nearer end, the rows of the
        prefixes before it counted in the index (from the nearer end too), and
        only the rows from that prefix on read and sorted by the whole key
        (SQLite sorts the rows of one prefix at a time, and stops once the
        window is full)."""
        prefix = group.prefix
        base = f"FROM applications WHERE {_ordered_where(where, group)} AND ({group.cond})"
        ahead, back, before, from_ = ("DESC", "ASC", ">", "<=") if group.descending else ("ASC", "DESC", "<", ">=")
        near_start = offset < size // 2
        way = ahead if near_start else back
        row = self.db.execute(f"SELECT {prefix} {base} ORDER BY {prefix} {way} LIMIT 1 OFFSET ?",
                              [*params, offset if near_start else size - 1 - offset]).fetchone()
        if row is None:
            return []
        if near_start:
            skipped = int(self.db.execute(f"SELECT count(*) {base} AND {prefix} {before} ?",
                                          [*params, row[0]]).fetchone()[0])
        else:  # (the rows from its prefix on, counted from the far end)
            skipped = size - int(self.db.execute(f"SELECT count(*) {base} AND {prefix} {from_} ?",
                                                 [*params, row[0]]).fetchone()[0])
        return [r[0] for r in self.db.execute(
            f"SELECT id {base} AND {prefix} {from_} ? ORDER BY {group.order} LIMIT ? OFFSET ?",
            [*params, row[0], limit, offset - skipped])]

    def rows_of_ids(self, fields: Sequence[str], ids: Sequence[int]) -> list[sqlite3.Row]:
        """``id`` and ``fields`` of the applications ``ids`` in that order
        (one query; an id in the recycle bin or gone is left out)."""
        if not ids:
            return []
        cur = self.db.conn.cursor()
        cur.row_factory = sqlite3.Row
        found = {r[0]: r for r in cur.execute(
            f"SELECT {self._select_list(fields)} FROM applications WHERE {NOT_DELETED} AND id IN "
            f"(SELECT value FROM json_each(?))", [json.dumps(list(ids))])}
        return [found[i] for i in ids if i in found]

    def register_position(self, q: ApplicationQuery, sort: str | None, descending: bool, app_id: int,
                          counts: Sequence[int] | None = None) -> int:
        """The row of ``app_id`` in the register's order (-1: not selected),
        by counting in SQL what sorts before it within its group (whether a
        search selects it is asked of its own text, not of the found set)."""
        groups = register_order(sort, descending)
        probes = ", ".join(f"({g.cond}), {g.key or 'NULL'}" for g in groups)
        words = (q.text or "").split()
        where, params = register_where(q, self.search, in_rows=True)
        row = self.db.execute(f"SELECT serial_key, id, {probes} FROM applications WHERE {where} AND id = ?",
                              [*params, app_id]).fetchone()
        where, params = register_where(q, self.search, walk=True)
        if row is None:
            return -1
        if counts is None:
            counts = self.register_counts(q, sort, descending)
        for g, group in enumerate(groups):
            if not row[2 + 2 * g]:
                continue
            tie_value = row[1] if group.tie == "id" else row[0]
            before, after = (_before_test(group, less, row[3 + 2 * g], tie_value)
                             for less in ((">", "<") if group.descending else ("<", ">")))
            if words:
                # near either end of its group: counted by looking for the words in the text of
                # the rows up to it (the walk bounded by a count limit), no found set to gather
                near = self._near_end(q, group, before, after, counts, g)
                if near is not None:
                    return sum(counts[:g]) + near
            return sum(counts[:g]) + sum(int(self.db.execute(
                f"SELECT count(*) FROM applications WHERE {_ordered_where(where, group)} AND ({part}) AND {before[0]}",
                [*params, *before[1]]).fetchone()[0]) for part in group.parts)
        return -1

    def _near_end(self, q: ApplicationQuery, group: OrderGroup, before: tuple[str, list[Any]],
                  after: tuple[str, list[Any]], counts: Sequence[int], g: int) -> int | None:
        """The position within its group of a row a search selects, when it
        is among the first or last rows of the group that a walk of about
        :data:`NEAR_END_ROWS` rows of the order reaches (each row's own text
        asked, see :func:`_in_rows`); None: farther in (count with the found set)."""
        found = sum(counts)
        limit = int(NEAR_END_ROWS * found / max(self._size(), 1))
        if limit < 1:
            return None
        where, params = register_where(q, self.search, in_rows=True)
        where = _ordered_where(where, group)
        for side, (test, extra) in (("before", before), ("after", after)):
            seen = [int(self.db.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM applications WHERE {where} AND ({part}) AND {test} LIMIT ?)",
                [*params, *extra, limit]).fetchone()[0]) for part in group.parts]
            if max(seen) < limit:  # (all of them: the walk ended before the limit)
                return sum(seen) if side == "before" else counts[g] - 1 - sum(seen)
        return None

    def register_open_rows(self, q: ApplicationQuery, fields: Sequence[str]
                           ) -> tuple[list[int], list[str], list[str]]:
        """The ids, serial keys ('' when none) and values of the applications
        ``q`` selects that are not closed (``q.status``: None or ``open``), as
        three lists (no object per row that Python's cycle collector tracks:
        at 1,000,000 applications a tuple each for the 30,000 open ones made
        it run for 40-80 ms of a 100-180 ms sort); the values of a row are the
        JSON array of ``fields`` (no BLOBs), one short text, so that equal
        combinations are one value to Python.  Read from
        ``idx_register_status`` (m0016, which carries the deadline columns): the
        open statuses are its ranges before and after 已办结, one index search
        each, never a pass over the closed applications (nearly all of an old
        register).  (``status`` is NOT NULL: these are ``coalesce(status, '')
        <> 'closed'``.)"""
        if q.status not in (None, "open"):
            raise ValueError(f"register_open_rows reads the open applications, not {q.status!r}")
        where, params = register_where(replace(q, status=None), self.search)
        where = _off_plan(where, "status")
        existing = self._existing_columns()
        values = ", ".join(f if f in existing else "NULL" for f in fields)
        sql = " UNION ALL ".join(f"SELECT id, coalesce(serial_key, ''), json_array({values}) FROM applications "
                                 f"WHERE {where} AND status {op} 'closed'" for op in ("<", ">"))
        ids: list[int] = []
        ties: list[str] = []
        combos: list[str] = []
        add_id, add_tie, add_combo = ids.append, ties.append, combos.append
        for app_id, tie, combo in self.db.execute(sql, [*params, *params]):  # (each row freed at once)
            add_id(app_id)
            add_tie(tie)
            add_combo(combo)
        return ids, ties, combos

    def _select_list(self, fields: Sequence[str]) -> str:
        existing = self._existing_columns()
        names = ["id", *(f for f in fields if f != "id")]
        return ", ".join(f if f in existing else f"NULL AS {f}" for f in names)

    def register_rows(self, q: ApplicationQuery, fields: Sequence[str]) -> list[sqlite3.Row]:
        """The rows ``q`` selects with ``id`` and ``fields`` (for an order
        the register computes in Python: a column without a SQL sort)."""
        where, params = register_where(q, self.search)
        return self._rows_where(fields, where, params)

    def _rows_where(self, fields: Sequence[str], where: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        existing = self._existing_columns()
        names = ["id", *(f for f in fields if f != "id")]
        select = ", ".join(f if f in existing else f"NULL AS {f}" for f in names)
        cur = self.db.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(f"SELECT {select} FROM applications WHERE {where}", list(params)).fetchall()

    def _existing_columns(self) -> frozenset[str]:
        cols = getattr(self, "_columns_cache", None)
        if cols is None:
            cols = self._columns_cache = frozenset(r[1] for r in self.db.execute("PRAGMA table_info(applications)"))
        return cols

    def register_years(self) -> list[int]:
        """Years of receipt in the register, newest first (one index probe a year)."""
        years: list[int] = []
        start = ""
        while True:
            row = self.db.execute(
                f"SELECT substr(receipt_date, 1, 4) FROM applications WHERE receipt_date >= ? AND receipt_date <> '' "
                f"AND {NOT_DELETED} ORDER BY receipt_date LIMIT 1", [start]).fetchone()
            if row is None or not row[0]:
                break
            if row[0].isdigit():
                years.append(int(row[0]))
                start = f"{int(row[0]) + 1:04d}"
            else:
                break
        return sorted(years, reverse=True)

    def ids_in_order(self, ids: Sequence[int]) -> list[int]:
        """``ids`` in the order of :meth:`by_ids` (receipt date, serial), without reading the rows."""
        if not ids:
            return []
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM applications WHERE {NOT_DELETED} AND id IN (SELECT value FROM json_each(?)) "
            "ORDER BY receipt_date, serial", [json.dumps(list(ids))])]

    # --- writing -------------------------------------------------------------------------

    def insert(self, fields: ApplicationFields, *, stamp: str, review: Mapping[str, str]) -> int:
        values = {k: v for k, v in fields.values().items() if v is not None}
        values["created_at"] = values["updated_at"] = stamp
        values["serial_key"] = natural_key_text(values.get("serial"))
        values["search_text"] = search_text(values)
        if review:
            values["review_reasons"] = review_json(review)
        cur = self.db.execute(
            f"INSERT INTO applications({', '.join(values)}) VALUES({', '.join('?' for _ in values)})",
            list(values.values()))
        return int(cur.lastrowid)  # type: ignore[arg-type]  # an INSERT always has a row id

    def next_id(self) -> int:
        """The id the next inserted application gets (inside the caller's transaction)."""
        row = self.db.execute("SELECT max(id) FROM applications").fetchone()
        return int(row[0] or 0) + 1

    def insert_many(self, records: Sequence[ApplicationFields], stamp: str, *,
                    first_id: int | None = None, derived: Sequence[Mapping[str, Any]] | None = None,
                    review: Sequence[Mapping[str, str]] | None = None) -> list[int]:
        """Insert many applications at once (bulk loading); returns their
        ids (consecutive from ``first_id``, by default :meth:`next_id`).
        ``derived``: each row's deadline columns and status as computed
        before the write (a column left out keeps its default); ``review``:
        each row's 待核实 flags.  Rows go several to a statement: each
        statement runs the search log's trigger under one statement journal."""
        first = self.next_id() if first_id is None else first_id
        ids = list(range(first, first + len(records)))
        columns = [*APPLICATION_FIELDS, *DERIVED_FIELDS, "review_reasons", "id", "created_at", "updated_at",
                   "serial_key", "search_text"]
        status_at = APPLICATION_FIELDS.index("status")
        rows = []
        for n, (record, app_id) in enumerate(zip(records, ids)):
            values = record.values()
            cols = derived[n] if derived is not None else {}
            row = [*values.values(), *(cols.get(k, _DERIVED_DEFAULTS[k]) for k in DERIVED_FIELDS),
                   review_json(review[n]) if review is not None else None,
                   app_id, stamp, stamp, natural_key_text(record.serial), search_text(values)]
            if cols.get("status") is not None:
                row[status_at] = cols["status"]
            rows.append(row)
        per = _rows_per_statement(self.db.conn, len(columns))
        one = f"({', '.join('?' for _ in columns)})"
        head = f"INSERT INTO applications({', '.join(columns)}) VALUES "
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            self.db.conn.execute(head + ", ".join([one] * len(chunk)), list(chain.from_iterable(chunk)))
        return ids

    def update(self, app_id: int, changes: Mapping[str, Any], *, stamp: str | None) -> None:
        """Set ``changes`` (column → value; ``review_reasons`` as a dict)."""
        values = dict(changes)
        if "review_reasons" in values:
            values["review_reasons"] = review_json(values["review_reasons"] or {})
        if "serial" in values:
            values["serial_key"] = natural_key_text(values["serial"])
        if any(c in values for c in _SEARCHED):  # the other searched fields as stored
            cur = self.db.execute(f"SELECT {', '.join(_SEARCHED)} FROM applications WHERE id = ?", [app_id])
            row = cur.fetchone()
            if row is not None:
                values["search_text"] = search_text({**dict(zip(_SEARCHED, row)), **values})
        if stamp is not None:
            values["updated_at"] = stamp
        if not values:
            return
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE applications SET {sets} WHERE id = ?", [*values.values(), app_id])

    def update_derived_many(self, rows: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
        """Write the derived deadline columns (and status) of many rows."""
        if not rows:
            return
        names = list(rows[0][1])
        if set(names) & set(_SEARCHED):
            raise ValueError("update_derived_many writes derived columns only (it keeps no search_text)")
        sets = ", ".join(f"{k} = ?" for k in names)
        self.db.conn.executemany(f"UPDATE applications SET {sets} WHERE id = ?",
                                 [[cols[k] for k in names] + [app_id] for app_id, cols in rows])

    def set_review_many(self, rows: Sequence[tuple[int, Mapping[str, str]]]) -> None:
        """Flag many applications 待核实 at once: (id, flags) rows."""
        self.db.conn.executemany("UPDATE applications SET review_reasons = ? WHERE id = ?",
                                 [(review_json(flags), app_id) for app_id, flags in rows if flags])
