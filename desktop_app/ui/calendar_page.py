"""办理日历: a month grid of the working-day calendar that marks statutory
holidays, adjusted working days, the agency's own days off and on, and
the due dates of open applications.  Clicking a day lists what is due
then; double-clicking an application opens it."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton,
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import deadlines as dl
from ..domain import workdays as wd
from ..domain.records import Application
from ..services import applications, deadlines

WEEKDAYS = "一二三四五六日"
#: A day's list entry that is a proactive-disclosure item (its id).
ITEM_ROLE = Qt.UserRole + 1
COLORS = {
    wd.HOLIDAY: "#fde2e2",
    wd.WEEKEND: "#f2f2f2",
    wd.ADJUSTED_WORKDAY: "#dcebff",
    wd.OVERRIDE_OFF: "#fde2e2",
    wd.OVERRIDE_ON: "#dcebff",
    wd.WORKDAY: "#ffffff",
}


class CalendarPage(QWidget):
    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today_override: _dt.date | None = None
        t = self.today()
        self.year, self.month = t.year, t.month
        self.selected_day: _dt.date | None = t
        self.due_by_day: dict[_dt.date, list[tuple[Application, dl.DeadlineView]]] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(8)
        head = QHBoxLayout()
        title = QLabel("办理日历")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        title.setFont(f)
        head.addWidget(title)
        head.addSpacing(20)
        self.prev_button = QPushButton("◀ 上月")
        self.prev_button.clicked.connect(lambda: self.shift(-1))
        head.addWidget(self.prev_button)
        self.month_label = QLabel()
        mf = self.month_label.font()
        mf.setPointSizeF(mf.pointSizeF() * 1.25)
        mf.setBold(True)
        self.month_label.setFont(mf)
        self.month_label.setMinimumWidth(130)
        self.month_label.setAlignment(Qt.AlignCenter)
        head.addWidget(self.month_label)
        self.next_button = QPushButton("下月 ▶")
        self.next_button.clicked.connect(lambda: self.shift(1))
        head.addWidget(self.next_button)
        today_button = QPushButton("本月")
        today_button.clicked.connect(self.go_today)
        head.addWidget(today_button)
        head.addStretch(1)
        layout.addLayout(head)

        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setStyleSheet("QLabel { background: #fff3e0; border: 1px solid #ef6c00; border-radius: 4px;"
                                    " padding: 6px 10px; }")
        layout.addWidget(self.coverage)

        splitter = QSplitter(Qt.Vertical)
        self.grid = QTableWidget(6, 7)
        self.grid.setHorizontalHeaderLabels([f"星期{d}" for d in WEEKDAYS])
        self.grid.verticalHeader().hide()
        self.grid.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.grid.setMinimumHeight(300)
        self.grid.setStyleSheet("QTableWidget { gridline-color: #d0d7e2; }"
                                "QTableWidget::item:selected { border: 2px solid #2f6db5; color: black; }")
        self.grid.itemSelectionChanged.connect(self._day_selected)
        splitter.addWidget(self.grid)

        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 4, 0, 0)
        self.day_label = QLabel()
        self.day_label.setTextFormat(Qt.RichText)
        ll.addWidget(self.day_label)
        self.due_list = QListWidget()
        self.due_list.itemDoubleClicked.connect(self._open)
        self.due_list.itemActivated.connect(self._open)
        ll.addWidget(self.due_list, 1)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        legend = QLabel(
            "<span style='background:#fde2e2'>&nbsp;法定节假日 / 本机关休息日&nbsp;</span>　"
            "<span style='background:#dcebff'>&nbsp;调休上班日 / 本机关工作日&nbsp;</span>　"
            "<span style='background:#f2f2f2'>&nbsp;周末&nbsp;</span>　"
            "<b style='color:#c62828'>●</b> 有申请到期（红色为已逾期）　双击下方列表中的申请可打开")
        legend.setTextFormat(Qt.RichText)
        legend.setStyleSheet("color: #444;")
        layout.addWidget(legend)
        context.data_changed.connect(self.refresh)
        self.refresh()

    def today(self) -> _dt.date:
        return self.today_override or _dt.date.today()

    def shift(self, months: int) -> None:
        m = self.year * 12 + (self.month - 1) + months
        self.year, self.month = divmod(m, 12)
        self.month += 1
        self.selected_day = None
        self.refresh()

    def show_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.selected_day = None
        self.refresh()

    def go_today(self) -> None:
        t = self.today()
        self.year, self.month, self.selected_day = t.year, t.month, t
        self.refresh()

    # Long: the month grid filled cell by cell
    def refresh(self) -> None:
        self.calendar = deadlines.load_calendar(self.context.session)
        today = self.today()
        self.due_by_day = {}
        for row in applications.with_due_date(self.context.session):
            v = dl.view_of(row, self.calendar, today)
            if v.due_date:
                self.due_by_day.setdefault(v.due_date, []).append((row, v))
        self.items_by_day = self._items_due()
        self.month_label.setText(f"{self.year}年{self.month}月")
        known = self.calendar.is_known(_dt.date(self.year, self.month, 1))
        if known:
            self.coverage.hide()
        else:
            self.coverage.setText(f"{self.year}年的法定节假日安排尚未录入，本月暂按放假办法推算显示"
                                  f"（{wd.PROVISIONAL_RULE}）。请在“设置 → 期限与日历”中录入国务院办公厅公布的放假安排。")
            self.coverage.show()
        first = _dt.date(self.year, self.month, 1)
        start = first - _dt.timedelta(days=first.weekday())
        self.cells: dict[tuple[int, int], _dt.date] = {}
        self.grid.blockSignals(True)
        self.grid.clearSelection()
        for i in range(42):
            d = start + _dt.timedelta(days=i)
            r, c = divmod(i, 7)
            self.cells[(r, c)] = d
            info = self.calendar.day_info(d)
            lines = [str(d.day)]
            if info.kind == wd.HOLIDAY:
                lines.append(info.name or "节假日")
            elif info.kind == wd.ADJUSTED_WORKDAY:
                lines.append("调休上班")
            elif info.kind == wd.OVERRIDE_OFF:
                lines.append("本机关休息")
            elif info.kind == wd.OVERRIDE_ON:
                lines.append("本机关上班")
            due = self.due_by_day.get(d, [])
            overdue = any(v.state == dl.OVERDUE for _r, v in due)
            if due:
                lines.append(f"● {len(due)}件到期")
            publish = self.items_by_day.get(d, [])
            if publish:
                lines.append(f"◆ {len(publish)}条公开到期")
            item = QTableWidgetItem("\n".join(lines))
            item.setTextAlignment(Qt.AlignTop | Qt.AlignLeft)
            tooltip = [f"{d.isoformat()} 星期{WEEKDAYS[d.weekday()]}：{info.label}"]
            tooltip += [f"{row.serial} {row.applicant_name}（{v.days_text}）" for row, v in due[:10]]
            tooltip += [f"主动公开：{r.title}" for r in publish[:10]]
            item.setToolTip("\n".join(tooltip))
            item.setBackground(QBrush(QColor(COLORS.get(info.kind, "#ffffff"))))
            if d.month != self.month:
                item.setForeground(QBrush(QColor("#b0b0b0")))
            elif due or publish:
                late = overdue or (publish and d < today)
                item.setForeground(QBrush(QColor("#c62828" if late else "#1a237e")))
            if d == today:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setText(item.text().replace(str(d.day), f"{d.day}（今天）", 1))
            self.grid.setItem(r, c, item)
        self.grid.blockSignals(False)
        if self.selected_day and self.selected_day.month == self.month and self.selected_day.year == self.year:
            for (r, c), d in self.cells.items():
                if d == self.selected_day:
                    self.grid.setCurrentCell(r, c)
        self._show_day(self.selected_day)

    def _day_selected(self) -> None:
        items = self.grid.selectedIndexes()
        if not items:
            return
        d = self.cells.get((items[0].row(), items[0].column()))
        self.selected_day = d
        self._show_day(d)

    def _show_day(self, d: _dt.date | None) -> None:
        self.due_list.clear()
        if d is None:
            total = sum(len(v) for k, v in self.due_by_day.items() if k.year == self.year and k.month == self.month)
            self.day_label.setText(f"本月共有 <b>{total}</b> 件未办结申请到期。点击日期查看。")
            return
        info = self.calendar.day_info(d)
        due = self.due_by_day.get(d, [])
        self.day_label.setText(f"<b>{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}</b>　{info.label}"
                               f"　— {len(due)}件申请于当日到期")
        for row, v in due:
            it = QListWidgetItem(f"{row.serial}　{row.applicant_name}　{v.days_text}　{v.label}")
            it.setData(Qt.UserRole, row.id)
            if v.level == "overdue":
                it.setForeground(QBrush(QColor("#c62828")))
            elif v.level == "soon":
                it.setForeground(QBrush(QColor("#e65100")))
            self.due_list.addItem(it)
        for r in self.items_by_day.get(d, []):
            it = QListWidgetItem(f"主动公开　{r.index_no or ''}　{r.title}　应于当日公开")
            it.setData(ITEM_ROLE, r.id)
            it.setForeground(QBrush(QColor("#c62828" if d < self.today() else "#6a1b9a")))
            self.due_list.addItem(it)

    def _items_due(self) -> dict:
        """Unpublished proactive items due on each day of the grid."""
        from ..services import items

        first = _dt.date(self.year, self.month, 1)
        start = first - _dt.timedelta(days=first.weekday())
        end = start + _dt.timedelta(days=41)
        out: dict = {}
        for r in items.due_between(self.context.session, start, end):
            out.setdefault(_dt.date.fromisoformat(r.due_date), []).append(r)
        return out

    def _open(self, item) -> None:
        item_id = item.data(ITEM_ROLE)
        if item_id is not None:
            from .items_page import open_item_from

            open_item_from(self.context, int(item_id), self.window())
            return
        app_id = item.data(Qt.UserRole)
        if app_id is not None:
            self.context.application_requested.emit(int(app_id))
