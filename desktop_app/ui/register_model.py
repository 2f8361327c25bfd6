"""The register table: a Qt model over rows read straight from SQLite.

The table is described by a list of :class:`Column` entries (key, header,
value function, sort key, colours, alignment), so a feature adds a column
with one entry: either in :data:`DEFAULT_COLUMNS` or, from its own module,
through the register columns of ``ui.features`` (a function returning a
``Column`` or a list of them; ``Column.after`` places it after another
column's key).

Speed with 100,000 applications: only the fields the columns need are
read (``services.applications.table_rows``), as compact name-indexed rows; filtering runs over precomputed
per-row lists (year, status, category, a lower-case text haystack) and
sorting over per-column sort keys computed once per load.  Cell text is
computed only for the rows the view paints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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
           background=lambda r: REVIEW_BG if r["review_reasons"] else None, tooltip=_review_tooltip),
    Column("receipt_date", "收到日期", ("receipt_date",), _text("receipt_date"),
           alignment=CENTER, width=92),
    Column("applicant_name", "申请人", ("applicant_name",), _text("applicant_name"), width=140,
           tooltip=lambda r: r["applicant_name"]),
    Column("info_description", "申请内容", ("info_description", "info_title"), _content,
           tooltip=_content_tooltip, width=230),
    Column("status", "办理状态", ("status",),
           lambda r: catalog.STATUSES.get(r["status"], r["status"] or ""),
           sort_key=lambda r: list(catalog.STATUSES).index(r["status"]) if r["status"] in catalog.STATUSES else 99,
           foreground=lambda r: _CLOSED_FG if r["status"] == "closed" else None,
           alignment=CENTER, width=72),
    Column("applicant_category", "申请人类型", ("applicant_type", "org_kind"),
           lambda r: catalog.applicant_category_label(r["applicant_type"], r["org_kind"]), width=92),
    Column("channel", "申请方式", ("channel",),
           lambda r: catalog.CHANNELS.get(r["channel"], r["channel"] or ""), alignment=CENTER, width=70),
    Column("reply_date", "答复日期", ("reply_date",), _text("reply_date"), alignment=CENTER, width=92),
    Column("outcome", "办理结果", ("outcome", "outcome_reason"),
           lambda r: catalog.outcome_label(r["outcome"], r["outcome_reason"]),
           tooltip=lambda r: catalog.outcome_label(r["outcome"], r["outcome_reason"], short=False) or None,
           width=170),
    Column("id_number", "证件号码", ("id_number",),
           lambda r: privacy.mask_id_number(r["id_number"]), sort_key=lambda r: r["id_number"] or "",
           width=150),
    Column("phone", "联系电话", ("phone",), lambda r: privacy.mask_phone(r["phone"]),
           sort_key=lambda r: r["phone"] or "", width=110),
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


def sort_indices(indices: list[int], keys: list, tie_keys: list | None, descending: bool) -> None:
    """Sort row indices in place by ``keys`` (ties by ``tie_keys``), blanks last."""
    if tie_keys is not None:
        indices.sort(key=tie_keys.__getitem__, reverse=descending)
    indices.sort(key=keys.__getitem__, reverse=descending)
    if descending:
        blanks = [i for i in indices if keys[i][0] == 1]
        if blanks:
            indices[:] = [i for i in indices if keys[i][0] == 0] + blanks


@dataclass
class PreparedRows:
    """Rows with their filter index and sort order, computed off the GUI
    thread for a large register (pure Python, no Qt objects)."""

    rows: list
    index: _Index
    sort_column: int
    descending: bool
    sort_keys: dict
    order: list


def prepare_rows(rows: list[Row], columns: list[Column], sort_column: int,
                 descending: bool) -> PreparedRows:
    keys: dict[int, list] = {}
    order = list(range(len(rows)))
    if 0 <= sort_column < len(columns):
        keys[sort_column] = column_sort_keys(rows, columns[sort_column])
        serial = next((i for i, c in enumerate(columns) if c.key == "serial"), -1)
        if serial >= 0 and serial not in keys:
            keys[serial] = column_sort_keys(rows, columns[serial])
        sort_indices(order, keys[sort_column], keys.get(serial), descending)
    return PreparedRows(rows, build_index(rows), sort_column, descending, keys, order)


class RegisterModel(QAbstractTableModel):
    """All loaded rows, the filtered and sorted view of them, and the
    column spec that turns a row into cells."""

    def __init__(self, columns: list[Column] | None = None, parent=None):
        super().__init__(parent)
        self.columns = columns if columns is not None else list(DEFAULT_COLUMNS)
        self._rows: list[Row] = []
        self._index = _Index()
        self._visible: list[int] = []
        #: every row index in the current sort order; filters keep this order
        self._order: list[int] = []
        self._filter = RegisterFilter()
        self._sort_column = self.column_index("receipt_date")
        self._sort_order = Qt.DescendingOrder
        self._sort_keys: dict[int, list] = {}
        self._row_of_id: dict[int, int] | None = None
        self._pos_of_id: dict[int, int] | None = None
        #: raw indexes of rows deleted since the last full load (update_rows)
        self._dead: set[int] = set()

    # --- loading ------------------------------------------------------------------

    def fields(self) -> list[str]:
        return needed_fields(self.columns)

    def set_rows(self, rows: list[Row]) -> None:
        self.set_prepared(self.prepare(rows))

    def prepare(self, rows: list[Row]) -> PreparedRows:
        """The slow half of :meth:`set_rows`; safe to run in a worker thread."""
        return prepare_rows(rows, self.columns, self._sort_column,
                            self._sort_order == Qt.DescendingOrder)

    def set_prepared(self, prepared: PreparedRows) -> None:
        self.beginResetModel()
        self._rows = prepared.rows
        self._index = prepared.index
        self._sort_keys = dict(prepared.sort_keys)
        self._order = prepared.order
        self._dead = set()
        self._pos_of_id = None
        if (prepared.sort_column, prepared.descending) != (
                self._sort_column, self._sort_order == Qt.DescendingOrder):
            self._order = list(range(len(self._rows)))  # the clerk re-sorted meanwhile
            self._sort_list(self._order)
        self._visible = self._compute_visible()
        self._row_of_id = None
        self.endResetModel()

    def years(self) -> list[int]:
        dead = self._dead
        return sorted({y for i, y in enumerate(self._index.years) if y and i not in dead}, reverse=True)

    # --- filtering and sorting ------------------------------------------------------

    @property
    def filter(self) -> RegisterFilter:
        return self._filter

    def set_filter(self, flt: RegisterFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._visible = self._compute_visible()
        self._row_of_id = None
        self.endResetModel()

    def _compute_visible(self) -> list[int]:
        f, ix = self._filter, self._index
        visible: Iterable[int] = self._order
        if f.year:
            years, year = ix.years, f.year
            visible = [i for i in visible if years[i] == year]
        if f.status == "open":
            st = ix.statuses
            visible = [i for i in visible if st[i] != "closed"]
        elif f.status:
            st, status = ix.statuses, f.status
            visible = [i for i in visible if st[i] == status]
        if f.category:
            cats, cat = ix.categories, f.category
            visible = [i for i in visible if cats[i] == cat]
        if f.needs_review:
            reviews = ix.reviews
            visible = [i for i in visible if reviews[i]]
        needle = (f.text or "").strip().lower()
        if needle:
            hay = ix.haystacks
            for word in needle.split():
                visible = [i for i in visible if word in hay[i]]
        return list(visible)

    def _keys_for(self, column: int) -> list:
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = column_sort_keys(self._rows, self.columns[column])
        return keys

    def _sort_list(self, visible: list[int]) -> None:
        if self._sort_column < 0:
            return
        serial = self.column_index("serial")
        sort_indices(visible, self._keys_for(self._sort_column),
                     self._keys_for(serial) if serial >= 0 else None,
                     self._sort_order == Qt.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column = column
        self._sort_order = order
        old = self._visible
        self._sort_list(self._order)
        self._visible = self._compute_visible()
        self._row_of_id = None
        # persistent indexes (the selection) follow their rows
        pos = {src: n for n, src in enumerate(self._visible)}
        from_list, to_list = [], []
        for idx in self.persistentIndexList():
            src = old[idx.row()] if idx.row() < len(old) else None
            if src is not None and src in pos:
                from_list.append(idx)
                to_list.append(self.index(pos[src], idx.column()))
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
        return len(self._rows) - len(self._dead)

    def visible_count(self) -> int:
        return len(self._visible)

    def review_count(self) -> int:
        """Loaded applications flagged 待核实."""
        dead = self._dead
        return sum(1 for i, flagged in enumerate(self._index.reviews) if flagged and i not in dead)

    def row_data(self, row: int) -> Row:
        return self._rows[self._visible[row]]

    def app_id(self, row: int) -> int | None:
        if 0 <= row < len(self._visible):
            return self._rows[self._visible[row]]["id"]
        return None

    def row_of(self, app_id: int) -> int:
        if self._row_of_id is None:
            rows = self._rows
            self._row_of_id = {rows[src]["id"]: n for n, src in enumerate(self._visible)}
        return self._row_of_id.get(app_id, -1)

    def contains_id(self, app_id: int) -> bool:
        i = self._positions().get(app_id)
        return i is not None and i not in self._dead

    def _positions(self) -> dict[int, int]:
        if self._pos_of_id is None:
            self._pos_of_id = {r["id"]: i for i, r in enumerate(self._rows)}
        return self._pos_of_id

    def update_rows(self, ids: Sequence[int], rows: list[Row]) -> None:
        """Bring the rows of ``ids`` up to date without reloading the
        register: ``rows`` are those of ``ids`` read afresh (an id without a
        row was deleted).  For a large register after one edit."""
        fresh = {r["id"]: r for r in rows}
        positions = self._positions()
        self.beginResetModel()
        for app_id in ids:
            row = fresh.get(app_id)
            i = positions.get(app_id)
            if row is None:
                if i is not None:
                    self._dead.add(i)
                continue
            if i is None:
                i = len(self._rows)
                self._rows.append(row)
                positions[app_id] = i
                for keys in (self._index.years, self._index.statuses, self._index.categories,
                             self._index.haystacks, self._index.reviews, *self._sort_keys.values()):
                    keys.append(None)
            self._rows[i] = row
            self._dead.discard(i)
            one = build_index([row])
            self._index.years[i] = one.years[0]
            self._index.statuses[i] = one.statuses[0]
            self._index.categories[i] = one.categories[0]
            self._index.haystacks[i] = one.haystacks[0]
            self._index.reviews[i] = one.reviews[0]
            for column, keys in self._sort_keys.items():
                keys[i] = column_sort_keys([row], self.columns[column])[0]
        dead = self._dead
        self._order = [i for i in range(len(self._rows)) if i not in dead]
        self._sort_list(self._order)
        self._visible = self._compute_visible()
        self._row_of_id = None
        self.endResetModel()

    # --- Qt model interface ------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
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
        if role == APP_ID_ROLE:
            return row["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole:
            return int(self.columns[section].alignment)
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole:
            return f"{self.columns[section].header}：单击排序；右键选择显示哪些列"
        return None
