"""A report table (section 二, 三 or 四) shown as the format draws it: a
QTableWidget with the layout grid's merged cells.  Number cells of
sections 三 and 四 carry their drill-down reference."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QTableWidget, QTableWidgetItem,
)

from ..domain.report_layout import HEADER, LABEL, Grid

HEADER_BACKGROUND = QColor("#eef2f7")
CHANGED_BACKGROUND = QColor("#fff1c2")
REF_ROLE = Qt.UserRole + 1


class ReportGridTable(QTableWidget):
    """Clicking a number emits ``cell_activated(ref)``."""

    cell_activated = Signal(tuple)

    def __init__(self, scale: float = 5.2, parent=None):
        super().__init__(parent)
        self.scale = scale
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.setStyleSheet("QTableWidget { gridline-color: #8a8f98; }"
                           "QTableWidget::item:selected { background: #cfe0f5; color: black; }")
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.cellClicked.connect(self._clicked)
        self.cellActivated.connect(self._clicked)  # Enter on a selected number
        self.grid: Grid | None = None

    def set_grid(self, grid: Grid, changed: set[tuple] | None = None) -> None:
        """Show ``grid``; cells whose ref is in ``changed`` are highlighted
        (they differ from the published figures)."""
        self.grid = grid
        self.clearSpans()
        self.clear()
        self.setRowCount(grid.rows)
        self.setColumnCount(grid.cols)
        bold = QFont(self.font())
        bold.setBold(True)
        for cell in grid.cells:
            item = QTableWidgetItem(cell.text)
            if cell.role == HEADER:
                item.setBackground(QBrush(HEADER_BACKGROUND))
                item.setTextAlignment(Qt.AlignCenter)
            elif cell.role == LABEL:
                item.setTextAlignment(Qt.AlignLeft | Qt.AlignVCenter)
            else:
                item.setTextAlignment(Qt.AlignCenter)
                if cell.ref is not None:
                    item.setData(REF_ROLE, cell.ref)
                    item.setToolTip({"section3": "单击查看计入此数的申请", "section2": "单击查看计入此数的事项或数字来源"}
                                    .get(cell.ref[0], "单击查看计入此数的案件"))
                    if changed and cell.ref in changed:
                        item.setBackground(QBrush(CHANGED_BACKGROUND))
                        item.setToolTip("此数与已发布的数字不同")
            if cell.role != LABEL and cell.role != HEADER and cell.ref is None:
                item.setFlags(item.flags() & ~Qt.ItemIsSelectable)
            self.setItem(cell.row, cell.col, item)
            if cell.rowspan > 1 or cell.colspan > 1:
                self.setSpan(cell.row, cell.col, cell.rowspan, cell.colspan)
        for i, w in enumerate(grid.widths):
            self.setColumnWidth(i, int(w * self.scale))
        self.resizeRowsToContents()
        for r in range(grid.rows):
            self.setRowHeight(r, max(self.rowHeight(r), 26))
        height = sum(self.rowHeight(r) for r in range(grid.rows)) + 2 * self.frameWidth() + 2
        self.setFixedHeight(height)
        self.setFixedWidth(sum(self.columnWidth(i) for i in range(grid.cols)) + 2 * self.frameWidth() + 2)

    def _clicked(self, row: int, col: int) -> None:
        item = self.item(row, col)
        ref = item.data(REF_ROLE) if item is not None else None
        if ref:
            self.cell_activated.emit(tuple(ref))

    def item_for(self, ref: tuple) -> QTableWidgetItem | None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                item = self.item(r, c)
                if item is not None and item.data(REF_ROLE) and tuple(item.data(REF_ROLE)) == tuple(ref):
                    return item
        return None


class LazyRows(Sequence):
    """Rows of a long list read in pages as the view asks for them:
    ``fetch(ids)`` returns the display tuples of those ids in that order.
    Only the last ``keep`` pages are held."""

    PAGE = 200

    def __init__(self, ids: Sequence[int], fetch: Callable[[Sequence[int]], list[tuple]], keep: int = 20):
        self.ids = ids
        self.fetch = fetch
        self.keep = keep
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):  # type: ignore[override]  # (int only)
        page_no, offset = divmod(i, self.PAGE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._pages[page_no] = self.fetch(self.ids[page_no * self.PAGE:(page_no + 1) * self.PAGE])
            while len(self._pages) > self.keep:
                self._pages.popitem(last=False)
        return page[offset]


class RecordListModel(QAbstractTableModel):
    """A read-only list of records (the applications or cases behind a
    number): a model, so that a cell counting 50,000 applications lists
    them at once (the view asks only for the visible rows)."""

    def __init__(self, headers: list[str] | None = None, parent=None):
        super().__init__(parent)
        self.headers = list(headers or [])
        self.rows: list[tuple] = []
        self.ids: list[int | None] = []

    def set_rows(self, headers: list[str], rows: Sequence[tuple], ids: Sequence[int | None]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.rows = rows
        self.ids = ids
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            value = self.rows[index.row()][index.column()]
            return "" if value is None else str(value)
        if role == Qt.UserRole:
            return self.ids[index.row()]
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and section < len(self.headers):
            return self.headers[section]
        return None

    def text(self, row: int, column: int) -> str:
        return self.data(self.index(row, column))


def record_list_view(model: RecordListModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(True)
    # size columns from the first rows only: a cell may list 50,000, and Qt
    # asks each cell of the sample for about eight roles
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.setWordWrap(False)
    return view
