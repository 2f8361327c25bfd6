"""The register table: a Qt model over rows read straight from SQLite.

The table is described by a list of :class:`Column` entries (key, header,
value function, sort key, colours, alignment), so a feature adds a column
with one entry: either in :data:`DEFAULT_COLUMNS` or, from its own module,
through the register columns of ``ui.features`` (a function returning a
``Column`` or a list of them; ``Column.after`` places it after another
column's key).

Speed at any size (issue 19): the model does not grow with the register.
Its row count is a SQL count of the filter (per group of the order: the
blanks, last in either direction, are a group of their own); the rows are
read in windows of :data:`PAGE` as they scroll into view, with the order's
SQL and LIMIT/OFFSET (``applications.register_window``; a column names its
SQL order with ``sort_field``), keeping the last :data:`MAX_PAGES` windows;
the row of an application (the selection kept across a sort or a refresh)
is counted in SQL (``applications.register_position``).  An order that no
index walks (a register whose index is missing: ``applications.register_windowed``)
would sort the whole selection again for every window, so its ids are read
once, sorted by SQLite, and its rows by id.  Cell text is
computed only for the rows the view paints.  A column without a SQL order
(a feature's computed key) is sorted in Python over just the selected rows
(剩余工作日: only the open ones, its key computed once per distinct set of
the fields it reads, ``Column.key_of_fields``; the closed ones in windows).
A search alone that finds many applications is read in windows too:
counted in the n-gram index, each window walking the order's index
(``applications.register_search_windowed``); one that finds few, or a
search with another filter, has its ids read and sorted at once (a
window's walk would pass many rows for each one found).  A list of rows given in memory
(:meth:`RegisterModel.set_rows`) is filtered and sorted the same way in
Python.
"""

from __future__ import annotations

import json
import logging
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..domain import catalog, privacy
from ..domain.records import RowView, review_reasons_of
from ..domain.serials import natural_key

Row = RowView
log = logging.getLogger(__name__)

LEFT = Qt.AlignLeft | Qt.AlignVCenter
CENTER = Qt.AlignCenter
RIGHT = Qt.AlignRight | Qt.AlignVCenter

#: Role that returns the application id of a row.
APP_ID_ROLE = Qt.UserRole + 1


@dataclass
class Column:
    """One column of the register table.

    ``fields``: the ``applications`` columns ``value`` reads (loaded for
    every row).  ``value(row) -> str``: the cell text.  ``sort_key(row)``:
    what sorting compares (default: the text); ``None`` sorts last.
    ``foreground``/``background(row)``: a colour (``QColor`` or ``"#rrggbb"``)
    or None.  ``tooltip(row)``: optional hover text.  ``width``: initial
    width in pixels.  ``after``: key of the column this one follows (for
    columns added by features; None appends).
    """

    key: str
    header: str
    fields: tuple[str, ...]
    value: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    foreground: Callable[[Row], Any] | None = None
    background: Callable[[Row], Any] | None = None
    alignment: Qt.AlignmentFlag = LEFT
    width: int | None = None
    tooltip: Callable[[Row], str | None] | None = None
    after: str | None = None
    #: the SQL order of this column (a name of ``storage.applications.register_sorts``);
    #: None: sorted in Python by ``sort_key`` over the selected rows
    sort_field: str | None = None
    #: for a column sorted in Python: the ``sort_key`` every closed application has, when it
    #: is one value above every other row's key (剩余工作日: closed ones last).  The closed
    #: rows are then listed by the status filter in serial order instead of being read.
    closed_key: Any = None
    #: whether ``sort_key`` reads ``fields`` alone (not the id nor the serial): the key is
    #: then computed once for each distinct combination of their values (剩余工作日: a few
    #: hundred combinations of the deadline columns among the open applications)
    key_of_fields: bool = False


_logged_columns: set[str] = set()


def _log_cell_error(column: Column) -> None:
    if column.key not in _logged_columns:  # once per column, not once per painted cell
        _logged_columns.add(column.key)
        log.exception("register column %s failed", column.key)


def _text(name: str) -> Callable[[Row], str]:
    return lambda r: r[name] or ""


def _serial_key(r: Row):
    """Numbers inside serials compare as numbers: 2026-0009 < 2026-0010,
    望政依申〔2025〕9号 < 望政依申〔2025〕10号 (the agency's own numbering)."""
    return natural_key(r["serial"])


#: 待核实 (needs review): an imported application with doubtful values.
REVIEW_BG = QColor("#fff1c2")


def _review_tooltip(r: Row) -> str | None:
    reasons = review_reasons_of(r["review_reasons"])
    if not reasons:
        return None
    return "待核实：\n" + "\n".join(f"· {v}" for v in reasons.values())


def _one_line(text: str | None, limit: int = 80) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= limit else t[: limit - 1] + "…"


def _content(r: Row) -> str:
    text = r["info_description"] or ""
    if r["info_title"]:
        text = f"{r['info_title']}；{text}"
    return _one_line(text)


def _content_key(r: Row) -> str:
    """What 申请内容 sorts by: the title and description as stored (the
    order SQL gives, ``storage.applications`` ``content``), not folded to
    one line."""
    if r["info_title"]:
        return f"{r['info_title']}；{r['info_description'] or ''}"
    return r["info_description"] or ""


def _content_tooltip(r: Row) -> str:
    parts = []
    if r["info_title"]:
        parts.append(f"文件名称：{r['info_title']}")
    parts.append(r["info_description"] or "")
    return "\n".join(parts)


_CLOSED_FG = QColor("#555555")

#: Default order: what a clerk works from first (who, what, where it stands;
#: the deadline columns follow 办理状态), then the rest.  At 1366x768 with
#: the detail pane open the columns up to 剩余工作日 fit without scrolling.
DEFAULT_COLUMNS: list[Column] = [
    Column("serial", "申请编号", ("serial", "review_reasons"), _text("serial"), sort_key=_serial_key, width=140,
           sort_field="serial",
           background=lambda r: REVIEW_BG if r["review_reasons"] else None, tooltip=_review_tooltip),
    Column("receipt_date", "收到日期", ("receipt_date",), _text("receipt_date"),
           alignment=CENTER, width=92, sort_field="receipt_date"),
    Column("applicant_name", "申请人", ("applicant_name",), _text("applicant_name"), width=140,
           tooltip=lambda r: r["applicant_name"], sort_field="applicant_name"),
    Column("info_description", "申请内容", ("info_description", "info_title"), _content,
           sort_key=_content_key, tooltip=_content_tooltip, width=230, sort_field="content"),
    Column("status", "办理状态", ("status",),
           lambda r: catalog.STATUSES.get(r["status"], r["status"] or ""),
           sort_key=lambda r: list(catalog.STATUSES).index(r["status"]) if r["status"] in catalog.STATUSES else 99,
           foreground=lambda r: _CLOSED_FG if r["status"] == "closed" else None,
           alignment=CENTER, width=72, sort_field="status"),
    Column("applicant_category", "申请人类型", ("applicant_type", "org_kind"),
           lambda r: catalog.applicant_category_label(r["applicant_type"], r["org_kind"]), width=92,
           sort_field="applicant_category"),
    Column("channel", "申请方式", ("channel",),
           lambda r: catalog.CHANNELS.get(r["channel"], r["channel"] or ""), alignment=CENTER, width=70,
           sort_field="channel"),
    Column("reply_date", "答复日期", ("reply_date",), _text("reply_date"), alignment=CENTER, width=92,
           sort_field="reply_date"),
    Column("outcome", "办理结果", ("outcome", "outcome_reason"),
           lambda r: catalog.outcome_label(r["outcome"], r["outcome_reason"]),
           tooltip=lambda r: catalog.outcome_label(r["outcome"], r["outcome_reason"], short=False) or None,
           width=170, sort_field="outcome"),
    Column("id_number", "证件号码", ("id_number",),
           lambda r: privacy.mask_id_number(r["id_number"]), sort_key=lambda r: r["id_number"] or "",
           width=150, sort_field="id_number"),
    Column("phone", "联系电话", ("phone",), lambda r: privacy.mask_phone(r["phone"]),
           sort_key=lambda r: r["phone"] or "", width=110, sort_field="phone"),
]

#: Fields every row carries, whatever the columns: the filters need them.
BASE_FIELDS = ("id", "serial", "receipt_date", "status", "applicant_type", "org_kind",
               "applicant_name", "contact_name", "info_description", "info_title", "review_reasons")


def register_columns(context) -> list[Column]:
    """The default columns plus those the context's features add (each a
    function of the context; loaded lazily; a broken one is skipped)."""
    from .widgets import load_feature

    columns = list(DEFAULT_COLUMNS)
    for ext in context.features.register_columns:
        target, _error = load_feature(ext)
        if target is None:
            continue
        extra = target(context) if callable(target) and not isinstance(target, Column) else target
        for col in ([extra] if isinstance(extra, Column) else list(extra)):
            keys = [c.key for c in columns]
            pos = keys.index(col.after) + 1 if col.after in keys else len(columns)
            columns.insert(pos, col)
    return columns


def needed_fields(columns: Iterable[Column]) -> list[str]:
    out = list(BASE_FIELDS)
    for col in columns:
        for f in col.fields:
            if f not in out:
                out.append(f)
    return out


@dataclass
class RegisterFilter:
    year: int | None = None
    #: a status code, ``"open"`` for every open status, or None for all
    status: str | None = None
    #: a report column code (natural_person or an org kind) or None
    category: str | None = None
    text: str = ""
    #: only the applications flagged 待核实
    needs_review: bool = False


def _brush(value) -> QBrush | None:
    if value is None:
        return None
    return QBrush(value if isinstance(value, QColor) else QColor(value))


@dataclass
class _Index:
    years: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    haystacks: list[str] = field(default_factory=list)
    reviews: list[bool] = field(default_factory=list)


def build_index(rows: list[Row]) -> _Index:
    """Per-row filter data: receipt year, status, report category and a
    lower-case haystack for the text search."""
    idx = _Index()
    years, statuses, categories, haystacks = idx.years, idx.statuses, idx.categories, idx.haystacks
    reviews = idx.reviews
    category = catalog.applicant_category
    for r in rows:
        reviews.append(bool(r["review_reasons"]))
        date = r["receipt_date"] or ""
        years.append(int(date[:4]) if date[:4].isdigit() else 0)
        statuses.append(r["status"])
        categories.append(category(r["applicant_type"], r["org_kind"]))
        haystacks.append(" ".join(filter(None, (
            r["serial"], r["applicant_name"], r["contact_name"], r["info_title"],
            r["info_description"]))).lower())
    return idx


def column_sort_keys(rows: list[Row], column: Column) -> list:
    """One comparable key per row; blanks become ``(1, "")`` so they sort
    together (and are put last)."""
    fn = column.sort_key or column.value
    keys = []
    for r in rows:
        try:
            k = fn(r)
        except Exception:  # noqa: BLE001 - one odd row must not stop the register
            _log_cell_error(column)
            k = None
        keys.append((1, "") if k is None or k == "" else (0, k))
    return keys


def keys_by_combination(values: Iterable[Hashable], column: Column,
                        decode: Callable[[Any], Sequence] = tuple) -> list:
    """:func:`column_sort_keys` of rows given by the values of ``column.fields``
    (``decode(value)``: them in that order; default: a tuple of them), computed
    once for each distinct value."""
    memo: dict[Hashable, Any] = {}
    names = column.fields
    out = []
    for combo in values:
        key = memo.get(combo)
        if key is None:
            key = memo[combo] = column_sort_keys([dict(zip(names, decode(combo)))], column)[0]
        out.append(key)
    return out


def sort_indices(indices: list[int], keys: list, tie_keys: list | None, descending: bool) -> None:
    """Sort row indices in place by ``keys`` (ties by ``tie_keys``), blanks last."""
    if tie_keys is not None:
        indices.sort(key=tie_keys.__getitem__, reverse=descending)
    indices.sort(key=keys.__getitem__, reverse=descending)
    if descending:
        blanks = [i for i in indices if keys[i][0] == 1]
        if blanks:
            indices[:] = [i for i in indices if keys[i][0] == 0] + blanks


#: Rows read at a time as they scroll into view, and how many such pages are kept.
PAGE = 200
MAX_PAGES = 40


def _query_of(flt: RegisterFilter):
    from ..services.applications import ApplicationQuery

    return ApplicationQuery(year=flt.year, status=flt.status, category=flt.category,
                            text=flt.text or None, needs_review=flt.needs_review)


def _python_order(rows: list[Row], columns: list[Column], column: Column | None,
                  descending: bool) -> list[int]:
    """Positions of ``rows`` in the order of ``column`` (ties by serial), blanks last."""
    order = list(range(len(rows)))
    if column is None:
        return order
    serial = next((c for c in columns if c.key == "serial"), None)
    tie = column_sort_keys(rows, serial) if serial is not None and serial is not column else None
    sort_indices(order, column_sort_keys(rows, column), tie, descending)
    return order


class OrderedRows:
    """The rows a filter selects in one order: how many, a window of them,
    and where an application stands (-1: not among them)."""

    count = 0

    def window(self, offset: int, limit: int) -> list[tuple[int, Row | None]]:
        """(id, row) of rows ``offset`` to ``offset + limit``; the row is None
        when it was deleted since."""
        raise NotImplementedError

    def position(self, app_id: int) -> int:
        raise NotImplementedError


class IdList(OrderedRows):
    """An order held as a list of ids (rows given in memory, or a column
    sorted in Python); the rows are read by id."""

    def __init__(self, ids: Sequence[int], rows: Callable[[Sequence[int]], list[Row]]):
        self.ids = ids
        self.count = len(ids)
        self._rows = rows

    def window(self, offset: int, limit: int) -> list[tuple[int, Row | None]]:
        chunk = self.ids[offset:offset + limit]
        fetched = {r["id"]: r for r in self._rows(chunk)}
        return [(i, fetched.get(i)) for i in chunk]

    def position(self, app_id: int) -> int:
        try:
            return self.ids.index(app_id)
        except ValueError:
            return -1


class SqlWindows(OrderedRows):
    """An order read in windows through the services: the count of each of
    the order's groups, then each window with the order's SQL (LIMIT/OFFSET),
    and an application's row counted in SQL: nothing grows with the register."""

    def __init__(self, session, query, sort: str | None, descending: bool, fields: Sequence[str],
                 counts: Sequence[int] | None = None):
        from ..services import applications

        self._services = applications
        self._args = (session, query, sort, descending)
        self._fields = list(fields)
        # (``counts``: known already, as register_counts would give them)
        self.counts = list(counts) if counts is not None else applications.register_counts(
            session, query, sort, descending)
        self.count = sum(self.counts)

    def window(self, offset: int, limit: int) -> list[tuple[int, Row | None]]:
        rows = self._services.register_window(*self._args, offset, limit, self._fields, self.counts)
        return [(r["id"], r) for r in rows]

    def position(self, app_id: int) -> int:
        return self._services.register_position(*self._args, app_id, self.counts)


class Concatenated(OrderedRows):
    """Orders one after the other (剩余工作日: the open applications sorted
    in Python, then the closed ones in serial order read in windows)."""

    def __init__(self, parts: Sequence[OrderedRows]):
        self.parts = [p for p in parts if p.count]
        self.count = sum(p.count for p in self.parts)

    def window(self, offset: int, limit: int) -> list[tuple[int, Row | None]]:
        out: list[tuple[int, Row | None]] = []
        for part in self.parts:
            if limit <= 0:
                break
            if offset >= part.count:
                offset -= part.count
                continue
            got = part.window(offset, min(limit, part.count - offset))
            out += got
            limit -= len(got)
            offset = 0
        return out

    def position(self, app_id: int) -> int:
        before = 0
        for part in self.parts:
            row = part.position(app_id)
            if row >= 0:
                return before + row
            before += part.count
        return -1


class RowSource:
    """Where a :class:`RegisterModel` reads from: the rows of a filter in
    the order of a column, the register's totals."""

    def summary(self) -> tuple[int, int, list[int]]:  # total, 待核实, years newest first
        raise NotImplementedError

    def ordered(self, flt: RegisterFilter, column: Column | None, descending: bool) -> OrderedRows:
        raise NotImplementedError

    def contains(self, app_id: int) -> bool:
        raise NotImplementedError


class SessionSource(RowSource):
    """The register of an open session, through the services (indexed SQL
    on the GUI thread's own connection)."""

    def __init__(self, session, fields: Sequence[str], columns: list[Column]):
        self.session = session
        self.fields = list(fields)
        self.columns = columns

    def summary(self) -> tuple[int, int, list[int]]:
        from ..services import applications

        return applications.register_summary(self.session)

    def ordered(self, flt: RegisterFilter, column: Column | None, descending: bool) -> OrderedRows:
        from ..services import applications

        query = _query_of(flt)
        sort = column.sort_field if column is not None else None
        if column is None or sort:
            # a search alone that finds many applications: counted in the n-gram index, each
            # window read by walking the order's index; one that finds few, one with another
            # filter (or with no index to count in): its ids read and sorted at once; an order
            # no index walks: its ids sorted once in SQL; the rows read by id either way
            if applications.register_windowed(self.session, sort) and (
                    not query.text or applications.register_search_windowed(self.session, query)):
                return SqlWindows(self.session, query, sort, descending, self.fields)
            return IdList(applications.register_ids(self.session, query, sort, descending), self.rows)
        # a column without a SQL order (a feature's computed key): sorted in Python over just
        # the fields its key reads, ties by the stored serial key (the serial's natural order)
        closed: OrderedRows | None = None
        if column.closed_key is not None and query.status in (None, "open", "closed") \
                and applications.register_windowed(self.session, "serial"):
            # the closed ones share one key above the rest: read in windows, in serial order;
            # the open ones (a few percent of an old register) from the status index alone
            if query.status == "closed":
                return SqlWindows(self.session, query, "serial", descending, self.fields)
            ids, ties, values = applications.register_open_rows(self.session, query, column.fields)
            keys = self._keys(values, column, ids, ties)
            if query.status is None:
                total = sum(applications.register_counts(self.session, query, None))
                closed = SqlWindows(self.session, replace(query, status="closed"), "serial", descending,
                                    self.fields, [total - len(ids)])
            if closed is not None and any(k[0] == 0 and not k[1] < column.closed_key for k in keys):
                # (a key at or above the closed rows' after all: every row read and sorted together)
                closed = None
                ids, ties, keys = self._read(query, column)
        else:
            ids, ties, keys = self._read(query, column)
        order = list(range(len(ids)))
        sort_indices(order, keys, ties, descending)
        ranked = IdList(array("q", (ids[i] for i in order if keys[i][0] == 0)), self.rows)
        blanks = IdList(array("q", (ids[i] for i in order if keys[i][0] == 1)), self.rows)
        if closed is None:
            return Concatenated([ranked, blanks])
        return Concatenated([closed, ranked, blanks] if descending else [ranked, closed, blanks])

    def _read(self, query, column: Column) -> tuple[list[int], list[str], list]:
        """Ids, serial keys and sort keys of every row ``query`` selects."""
        from ..services import applications

        fields = list(dict.fromkeys(("serial_key", *column.fields)))
        rows = applications.register_rows(self.session, query, fields)
        ids, ties = [r["id"] for r in rows], [r["serial_key"] or "" for r in rows]
        if column.key_of_fields:
            return ids, ties, keys_by_combination((tuple(r[f] for f in column.fields) for r in rows), column)
        return ids, ties, column_sort_keys(rows, column)

    @staticmethod
    def _keys(values: list[str], column: Column, ids: list[int], ties: list[str]) -> list:
        """Sort keys of rows given by the JSON arrays of their ``column.fields`` values
        (with their ids and serial keys)."""
        if column.key_of_fields:
            return keys_by_combination(values, column, json.loads)
        names = ("id", "serial_key", *column.fields)
        return column_sort_keys([dict(zip(names, (i, t, *json.loads(v)))) for i, t, v in zip(ids, ties, values)],
                                column)

    def rows(self, ids: Sequence[int]) -> list[Row]:
        from ..services import applications

        return applications.table_rows(self.session, self.fields, list(ids))

    def contains(self, app_id: int) -> bool:
        from ..services import applications

        return applications.exists(self.session, app_id)


class MemorySource(RowSource):
    """Rows given in memory (a short list): filtered and sorted in Python."""

    def __init__(self, rows: list[Row], columns: list[Column]):
        self.columns = columns
        self._rows: dict[int, Row] = {r["id"]: r for r in rows}

    def update(self, ids: Sequence[int], rows: list[Row]) -> None:
        fresh = {r["id"]: r for r in rows}
        for app_id in ids:
            if app_id in fresh:
                self._rows[app_id] = fresh[app_id]
            else:
                self._rows.pop(app_id, None)

    def summary(self) -> tuple[int, int, list[int]]:
        index = build_index(list(self._rows.values()))
        return len(self._rows), sum(index.reviews), sorted({y for y in index.years if y}, reverse=True)

    def ids(self, flt: RegisterFilter, column: Column | None, descending: bool) -> Sequence[int]:
        rows = list(self._rows.values())
        index = build_index(rows)
        keep = [i for i in _python_order(rows, self.columns, column, descending)
                if _matches(index, i, flt)]
        return array("q", (rows[i]["id"] for i in keep))

    def ordered(self, flt: RegisterFilter, column: Column | None, descending: bool) -> OrderedRows:
        return IdList(self.ids(flt, column, descending), self.rows)

    def rows(self, ids: Sequence[int]) -> list[Row]:
        return [self._rows[i] for i in ids if i in self._rows]

    def contains(self, app_id: int) -> bool:
        return app_id in self._rows


def _matches(ix: _Index, i: int, f: RegisterFilter) -> bool:
    if f.year and ix.years[i] != f.year:
        return False
    if f.status == "open" and ix.statuses[i] == "closed":
        return False
    if f.status and f.status != "open" and ix.statuses[i] != f.status:
        return False
    if f.category and ix.categories[i] != f.category:
        return False
    if f.needs_review and not ix.reviews[i]:
        return False
    return all(word in ix.haystacks[i] for word in (f.text or "").lower().split())


class RegisterModel(QAbstractTableModel):
    """The rows the filter selects in the sort order (their count, the
    pages in view), and the column spec that turns a row into cells."""

    def __init__(self, columns: list[Column] | None = None, parent=None):
        super().__init__(parent)
        self.columns = columns if columns is not None else list(DEFAULT_COLUMNS)
        self._source: RowSource | None = None
        self._rows: OrderedRows = IdList(array("q"), lambda ids: [])
        self._pages: OrderedDict[int, list[tuple[int, Row | None]]] = OrderedDict()
        self._filter = RegisterFilter()
        self._sort_column = self.column_index("receipt_date")
        self._sort_order = Qt.DescendingOrder
        self._total = 0
        self._review = 0
        self._years: list[int] = []
        #: the applications whose rows the persistent indexes follow across a sort
        #: (None: every one's); the register page gives its selection, so that the
        #: focus alone (row 0 of the old order) costs no count at a million rows
        self.followed: Callable[[], Iterable[int | None]] | None = None

    # --- loading ------------------------------------------------------------------

    def fields(self) -> list[str]:
        return needed_fields(self.columns)

    def set_source(self, source: RowSource) -> None:
        self._source = source
        self.refresh()

    def source(self) -> RowSource | None:
        return self._source

    def set_rows(self, rows: list[Row]) -> None:
        """Show a list of rows held in memory (filtered and sorted in Python)."""
        self.set_source(MemorySource(list(rows), self.columns))

    def refresh(self) -> None:
        """Count the rows again (same filter and order) and forget the rows read."""
        self.beginResetModel()
        if self._source is not None:
            self._total, self._review, self._years = self._source.summary()
        self._rows = self._query()
        self._pages.clear()
        self.endResetModel()

    def update_rows(self, ids: Sequence[int], rows: list[Row]) -> None:
        """Bring the rows of ``ids`` up to date (``rows``: those read afresh;
        an id without a row was deleted), keeping filter and order."""
        if isinstance(self._source, MemorySource):
            self._source.update(ids, rows)
        self.refresh()

    def _query(self) -> OrderedRows:
        if self._source is None:
            return IdList(array("q"), lambda ids: [])
        column = self.columns[self._sort_column] if 0 <= self._sort_column < len(self.columns) else None
        return self._source.ordered(self._filter, column, self._sort_order == Qt.DescendingOrder)

    def years(self) -> list[int]:
        return list(self._years)

    # --- filtering and sorting ------------------------------------------------------

    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    def set_filter(self, flt: RegisterFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._rows = self._query()
        self._pages.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if (column, order) == (self._sort_column, self._sort_order) and self._source is not None:
            return  # (QTableView.sortByColumn asks twice; the rows are kept current by refresh)
        self.layoutAboutToBeChanged.emit()
        # persistent indexes (the selection) follow their rows: their ids in the old order
        persistent = self.persistentIndexList()
        old_ids = {idx.row(): self.app_id(idx.row()) for idx in persistent}
        if self.followed is not None:
            wanted = set(self.followed())
            old_ids = {row: i for row, i in old_ids.items() if i in wanted}
        self._sort_column = column
        self._sort_order = order
        self._rows = self._query()
        self._pages.clear()
        from_list, to_list = [], []
        moved: dict[int, int] = {}
        for idx in persistent:
            app_id = old_ids.get(idx.row())
            if app_id is None:  # (not followed: no longer points at a row)
                from_list.append(idx)
                to_list.append(QModelIndex())
                continue
            if app_id not in moved:
                moved[app_id] = self.row_of(app_id)
            row = moved[app_id]
            if row >= 0:
                from_list.append(idx)
                to_list.append(self.index(row, idx.column()))
        self.changePersistentIndexList(from_list, to_list)
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    # --- lookups ---------------------------------------------------------------------

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        return -1

    def total_count(self) -> int:
        return self._total

    def visible_count(self) -> int:
        return self._rows.count

    def review_count(self) -> int:
        """Applications of the register flagged 待核实."""
        return self._review

    def cached_row_count(self) -> int:
        """Rows held in memory now (at most ``PAGE * MAX_PAGES``)."""
        return sum(len(p) for p in self._pages.values())

    def _page(self, page_no: int) -> list[tuple[int, Row | None]]:
        page = self._pages.get(page_no)
        if page is None:
            page = self._pages[page_no] = self._rows.window(page_no * PAGE, PAGE)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        return page

    def _entry(self, row: int) -> tuple[int, Row | None] | None:
        """(id, row) at ``row`` (None outside the rows; the row None when the
        application was deleted since the count)."""
        if not 0 <= row < self._rows.count:
            return None
        page_no, offset = divmod(row, PAGE)
        page = self._page(page_no)
        return page[offset] if offset < len(page) else None

    def row_data(self, row: int) -> Row | None:
        entry = self._entry(row)
        return entry[1] if entry is not None else None

    def app_id(self, row: int) -> int | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def row_of(self, app_id: int) -> int:
        for page_no, page in self._pages.items():  # (the rows in view: no query)
            for offset, (i, _row) in enumerate(page):
                if i == app_id:
                    return page_no * PAGE + offset
        return self._rows.position(app_id)

    def contains_id(self, app_id: int) -> bool:
        return self._source is not None and self._source.contains(app_id)

    # --- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows.count

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == APP_ID_ROLE:
            return self.app_id(index.row())
        if role not in _ROLES:
            return None
        row = self.row_data(index.row())
        if row is None:  # deleted since the ids were read: blank until the next refresh
            return None
        col = self.columns[index.column()]
        try:
            if role == Qt.DisplayRole:
                return col.value(row)
            if role == Qt.TextAlignmentRole:
                return int(col.alignment)
            if role == Qt.ForegroundRole and col.foreground:
                return _brush(col.foreground(row))
            if role == Qt.BackgroundRole and col.background:
                return _brush(col.background(row))
            if role == Qt.ToolTipRole and col.tooltip:
                return col.tooltip(row)
        except Exception:  # noqa: BLE001 - a broken column shows blank cells, not a crash
            _log_cell_error(col)
            return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole:
            return int(self.columns[section].alignment)
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole:
            return f"{self.columns[section].header}：单击排序；右键选择显示哪些列"
        return None


_ROLES = frozenset((Qt.DisplayRole, Qt.TextAlignmentRole, Qt.ForegroundRole, Qt.BackgroundRole,
                    Qt.ToolTipRole))
