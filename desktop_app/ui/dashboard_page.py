"""工作台: the first screen.  What is overdue, due today, due within three
working days, waiting for a correction, a third party or a payment, and
what has been extended: counts on tiles and the list of the chosen tile;
each row opens the application.  From January 1 to 31 it reminds the
clerk that the annual report must be published by January 31.

The start-up hook :func:`startup_hook` tells the clerk at once (a
non-blocking message) when anything is overdue or due within three
working days, and recomputes deadlines if the calendar changed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

# (``Qt``, the enum namespace, costs some 30 ms to import: nothing drawn at start
# needs it; it is imported where used, and alignment and text format are set by
# style sheet properties)
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
    QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..services import counts, deadlines

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

WEEKDAYS = "一二三四五六日"
RED = "#c62828"
ORANGE = "#e65100"
BLUE = "#2f6db5"
GREY = "#546e7a"
#: The empty list's text: centred at the top of the list's place, in ``color``.
EMPTY_STYLE = "qproperty-alignment: 'AlignHCenter | AlignTop'; color: {color}; padding: 40px 20px;"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    color: str
    hint: str


CATEGORIES = [
    Category("overdue", "已逾期", RED, "已超过答复期限仍未办结"),
    Category("due_today", "今日到期", ORANGE, "答复期限为今天"),
    Category("due_soon", "3个工作日内到期", ORANGE, "剩余1至3个工作日"),
    Category("awaiting_correction", "待补正", BLUE, "已发出补正告知，等待申请人补正（期限未起算）"),
    Category("awaiting_third_party", "征求第三方意见", BLUE, "等待第三方答复，期间不计入答复期限"),
    Category("awaiting_payment", "待缴费", BLUE, "已发出收费通知，等待申请人缴费"),
    Category("extended", "已延期", GREY, "已延长答复期限的未办结申请"),
]


def annual_report_reminder(today: _dt.date) -> str | None:
    """From January 1 to 31: the previous year's report is due January 31."""
    if today.month != 1:
        return None
    left = (_dt.date(today.year, 1, 31) - today).days
    when = "今天是最后一天" if left == 0 else f"还有{left}天"
    return (f"请在1月31日前发布{today.year - 1}年度政府信息公开工作年度报告（{when}）。"
            "可在“年度报告”页生成报告并检查表格是否平衡。")


class Tile(QFrame):
    clicked = Signal(str)

    def __init__(self, category: Category, parent: QWidget | None = None):
        super().__init__(parent)
        self.category = category
        self.setObjectName("tile")  # (the hand cursor is set once the page is up: DashboardPage)
        self.setToolTip(category.hint)
        self.setMinimumWidth(96)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        self.number = QLabel("0")
        f = self.number.font()
        f.setPointSizeF(f.pointSizeF() * 2.2)
        f.setBold(True)
        self.number.setFont(f)
        self.label = QLabel(category.label)
        self.label.setWordWrap(True)  # “3个工作日内到期” on two lines rather than clipped at 1024×768
        layout.addWidget(self.number)
        layout.addWidget(self.label)
        self.set_count(0, False)

    def set_count(self, n: int, selected: bool) -> None:
        self.count = n
        self.number.setText(str(n))
        color = self.category.color if n else "#9e9e9e"
        border = self.category.color if selected else "#d5dde8"
        bg = "#ffffff" if not selected else "#f5f8fc"
        width = 2 if selected else 1
        self.setStyleSheet(
            f"QFrame#tile {{ background: {bg}; border: {width}px solid {border}; border-radius: 6px; }}"
            f"QFrame#tile QLabel {{ border: none; background: transparent; }}")
        self.number.setStyleSheet(f"color: {color};")
        self.label.setStyleSheet("color: #333;" if n else "color: #777;")

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.category.key)
        super().mousePressEvent(event)


class DashboardPage(QWidget):
    """工作台."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.today_override: _dt.date | None = None
        # the rows of each group, read when the list is first shown (None until then)
        self.groups: dict[str, list] | None = None
        self._counts: dict[str, int] = {c.key: 0 for c in CATEGORIES}
        self.selected = "overdue"
        self._open_count = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(10)

        head = QHBoxLayout()
        self.title = QLabel("工作台")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.title.setFont(f)
        head.addWidget(self.title)
        self.date_label = QLabel()
        self.date_label.setStyleSheet("color: #555; padding-left: 12px;")
        head.addWidget(self.date_label)
        head.addStretch(1)
        calc = QPushButton("期限计算器…")
        calc.clicked.connect(self.open_calculator)
        head.addWidget(calc)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(lambda: self.refresh())
        head.addWidget(refresh)
        layout.addLayout(head)

        self.report_banner = self._banner("#fff8e1", "#f9a825")
        layout.addWidget(self.report_banner)
        self.calendar_banner = self._banner("#fff3e0", "#ef6c00")
        layout.addWidget(self.calendar_banner)

        tiles = QGridLayout()
        tiles.setSpacing(8)
        self.tiles: dict[str, Tile] = {}
        for i, cat in enumerate(CATEGORIES):
            t = Tile(cat)
            t.clicked.connect(self.select)
            self.tiles[cat.key] = t
            tiles.addWidget(t, 0, i)
        layout.addLayout(tiles)
        from .items_dashboard import ProactiveStrip

        self.proactive_strip = ProactiveStrip(context, self)
        layout.addWidget(self.proactive_strip)

        self.list_title = QLabel()
        self.list_title.setStyleSheet("qproperty-textFormat: RichText;")
        lf = self.list_title.font()
        lf.setBold(True)
        lf.setPointSizeF(lf.pointSizeF() * 1.1)
        self.list_title.setFont(lf)
        layout.addWidget(self.list_title)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["申请编号", "申请人", "收到日期", "答复期限", "剩余", "情况"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(28)
        h = self.table.horizontalHeader()
        for col, width in enumerate([100, 170, 100, 150, 150]):
            self.table.setColumnWidth(col, width)
        h.setSectionResizeMode(5, QHeaderView.Stretch)
        self.table.itemActivated.connect(self._activated)
        self.table.itemDoubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(EMPTY_STYLE.format(color="#2e7d32"))
        layout.addWidget(self.empty_label, 1)  # in the table's place, the banners keep their height

        foot = QHBoxLayout()
        hint = QLabel("双击一行（或选中后按回车）打开该申请。颜色：红色为已逾期，橙色为3个工作日内到期。")
        hint.setStyleSheet("color: #666;")
        foot.addWidget(hint)
        foot.addStretch(1)
        self.open_button = QPushButton("打开申请")
        self.open_button.clicked.connect(self.open_selected)
        foot.addWidget(self.open_button)
        layout.addLayout(foot)

        context.data_changed.connect(self.refresh)
        # a new day begins while the app is open: refresh at midnight-ish
        self._day_timer = QTimer(self)
        self._day_timer.setInterval(10 * 60 * 1000)
        self._day_timer.timeout.connect(self._maybe_new_day)
        self._day_timer.start()
        self._shown_day = None
        # the counts now (one SQL pass); the list of the chosen tile once the window
        # is on screen and the start-up hooks have run (the start-up reminder
        # reads the same groups)
        self.refresh(fill_list=False)
        QTimer.singleShot(0, self._fill_soon)

    def _fill_soon(self) -> None:
        """(After the events already queued, the start-up hooks among them.)"""
        QTimer.singleShot(0, self._after_start)

    def _after_start(self) -> None:
        """What the first paint does without: the hand cursor over what can be
        clicked, and the list of the framed tile."""
        from PySide6.QtCore import Qt

        for tile in self.tiles.values():
            tile.setCursor(Qt.PointingHandCursor)
        self.proactive_strip.set_hand_cursor()
        self.proactive_strip.refresh(self._shown_day or self.today())
        self._fill_table()

    def _banner(self, bg: str, border: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(f"QLabel {{ background: {bg}; border: 1px solid {border}; border-radius: 4px;"
                            f" padding: 8px 10px; qproperty-textFormat: RichText; }}")
        label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        label.hide()
        return label

    # --- data ------------------------------------------------------------------------------

    def today(self) -> _dt.date:
        return self.today_override or _dt.date.today()

    def set_today(self, day: _dt.date) -> None:
        """For tests and demonstrations: view the dashboard as of ``day``."""
        self.today_override = day
        self.refresh()

    def _maybe_new_day(self) -> None:
        if self._shown_day != self.today():
            self.refresh()

    def refresh(self, fill_list: bool = True) -> None:
        """Counts, banners and (``fill_list``) the list for today.  Without
        ``fill_list`` the counts come from one SQL pass and the rows are read
        when the list is filled."""
        today = self.today()
        self._shown_day = today
        session = self.context.session
        calendar = deadlines.load_calendar(session)
        if fill_list:
            rows, self.groups = deadlines.open_summary(session, today)
            summary = deadlines.counts_of(rows, self.groups)
        else:
            self.groups = None
            summary = deadlines.open_counts(session, today)
        self._counts = dict(summary.groups)
        self._open_count = summary.open
        info = calendar.day_info(today)
        self.date_label.setText(f"今天：{today.year}年{today.month}月{today.day}日 星期{WEEKDAYS[today.weekday()]}"
                                f"（{'工作日' if info.is_workday else '休息日'}"
                                f"{'，' + info.name if info.name else ''}）　未办结 {summary.open} 件")
        reminder = annual_report_reminder(today)
        self.report_banner.setText(f"<b>年度报告提醒：</b>{reminder}" if reminder else "")
        self.report_banner.setVisible(bool(reminder))
        self.calendar_banner.setText(self._calendar_warning(calendar, summary.provisional, today))
        self.calendar_banner.setVisible(bool(self.calendar_banner.text()))
        if not self._counts.get(self.selected):
            first = next((c.key for c in CATEGORIES if self._counts[c.key]), self.selected)
            self.selected = first
        # after choosing the category: the framed tile is the one whose list is shown
        for key, tile in self.tiles.items():
            tile.set_count(self._counts[key], key == self.selected)
        if fill_list:
            self._fill_table()
        else:  # the title and the table's place now (as filled), the rows in a moment
            self._set_list_title(self.selected)
            empty = not self._counts[self.selected]
            self.table.setVisible(not empty)
            self.empty_label.setVisible(empty)
            if empty:
                self.empty_label.setText(self.empty_text(next(c for c in CATEGORIES if c.key == self.selected)))
        if fill_list:
            self.proactive_strip.refresh(today)
        # (else, at start-up, the 主动公开 strip is counted with the list, once the
        # first screen is drawn: its modules and the proactive register's SQL are
        # no part of the first paint)

    def _calendar_warning(self, calendar, provisional: int, today: _dt.date) -> str:
        parts = []
        if provisional:
            parts.append(f"{provisional}件申请的期限涉及放假安排尚未录入的年份，显示为“暂定”。")
        nxt = today.year + 1
        if today.month >= 11 and nxt not in calendar.covered_years():
            parts.append(f"{nxt}年的法定节假日安排尚未录入（国务院办公厅通常在11月公布）。")
        if not parts:
            return ""
        return ("<b>工作日历：</b>" + "".join(parts) +
                "公布后请在“设置 → 期限与日历”中录入，已登记申请的期限会自动重新计算。")

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def _groups(self) -> dict[str, list]:
        """The rows of each group for the day shown (read on first use)."""
        if self.groups is None:
            self.groups = deadlines.dashboard(self.context.session, self._shown_day or self.today())
        return self.groups

    def app_ids(self, key: str) -> list[int]:
        return [row.id for row, _v in self._groups().get(key, [])]

    # --- the list ------------------------------------------------------------------------------

    def select(self, key: str) -> None:
        self.selected = key
        for k, tile in self.tiles.items():
            tile.set_count(self._counts[k], k == key)
        self._fill_table()

    def _set_list_title(self, key: str) -> None:
        cat = next(c for c in CATEGORIES if c.key == key)
        self.list_title.setText(f"{cat.label}（{self._counts[key]}件）　"
                                f"<span style='color:#777;font-weight:normal'>{cat.hint}</span>")

    def _fill_table(self) -> None:
        from PySide6.QtCore import Qt

        from ..domain import deadlines as dl  # (after the first screen, with the list)

        cat = next(c for c in CATEGORIES if c.key == self.selected)
        items = self._groups().get(self.selected, [])
        self._set_list_title(self.selected)
        self.table.setRowCount(len(items))
        for i, (row, v) in enumerate(items):
            due = v.due_date.isoformat() + ("（暂定）" if v.provisional else "") if v.due_date else "—"
            detail = v.label
            if self.selected == "awaiting_correction" and v.pause_until:
                detail = f"补正期限至 {v.pause_until.isoformat()}" + ("，已逾期未补正，可按“其他处理”办结"
                                                                   if v.state == dl.CORRECTION_LAPSED else "")
            elif self.selected == "awaiting_payment" and v.pause_until:
                detail = f"缴费期限至 {v.pause_until.isoformat()}" + ("，已逾期未缴费，可按“其他处理”办结"
                                                                  if v.state == dl.FEE_LAPSED else "")
            elif self.selected == "awaiting_third_party" and v.pause_until:
                detail = f"第三方答复期限至 {v.pause_until.isoformat()}"
                if v.state != dl.PAUSED_THIRD_PARTY:
                    detail += "，已逾期未答复，由本机关依法决定"
            cells = [row.serial or "", row.applicant_name or "", row.receipt_date or "", due, v.days_text, detail]
            color = None
            if v.level == "overdue" or v.state in (dl.CORRECTION_LAPSED, dl.FEE_LAPSED):
                color = QColor(RED)
            elif v.level == "soon":
                color = QColor(ORANGE)
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.UserRole, row.id)
                if j == 4 and color is not None:
                    it.setForeground(QBrush(color))
                    f = it.font()
                    f.setBold(True)
                    it.setFont(f)
                if j == 1:
                    it.setToolTip(row.info_description or "")
                self.table.setItem(i, j, it)
        empty = not items
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_label.setText(self.empty_text(cat))
        self.open_button.setEnabled(not empty)
        if items:
            self.table.selectRow(0)

    def empty_text(self, cat: Category) -> str:
        """What the empty list says: how to begin on an empty register,
        that all is done when nothing is open, else that this tile is empty."""
        if not any(self._counts.values()):
            if counts.registered(self.context.session) == 0:
                self.empty_label.setStyleSheet(EMPTY_STYLE.format(color="#555"))
                return ("还没有申请。在“申请台账”中点击“新建申请”登记第一件，或从“文件 → 导入台账”导入已有台账。\n"
                        "登记后，这里会列出已逾期、即将到期以及等待补正、缴费和第三方意见的申请。")
            if self._open_count == 0:
                self.empty_label.setStyleSheet(EMPTY_STYLE.format(color="#2e7d32"))
                return "全部申请均已办结，没有需要跟进的期限。"
        self.empty_label.setStyleSheet(EMPTY_STYLE.format(color="#2e7d32"))
        if cat.key == "overdue":
            return "没有逾期的申请。"
        return f"没有“{cat.label}”的申请。"

    def _activated(self, item) -> None:
        from PySide6.QtCore import Qt

        app_id = item.data(Qt.UserRole)
        if app_id is not None:
            self.context.application_requested.emit(int(app_id))

    def open_selected(self) -> None:
        items = self.table.selectedItems()
        if items:
            self._activated(items[0])

    def open_calculator(self) -> None:
        from .deadline_dialogs import CalculatorDialog

        CalculatorDialog(self.context, self).exec()


# --- start-up --------------------------------------------------------------------------------


def urgent_summary(context, today: _dt.date | None = None) -> tuple[dict[str, int], str]:
    """Counts of overdue / due today / due soon and the message for the clerk."""
    today = today or _dt.date.today()
    groups = deadlines.dashboard(context.session, today)
    counts = {k: len(groups[k]) for k in ("overdue", "due_today", "due_soon")}
    parts = []
    if counts["overdue"]:
        parts.append(f"已逾期 {counts['overdue']} 件")
    if counts["due_today"]:
        parts.append(f"今日到期 {counts['due_today']} 件")
    if counts["due_soon"]:
        parts.append(f"3个工作日内到期 {counts['due_soon']} 件")
    message = ""
    if parts:
        lines = ["请注意：" + "，".join(parts) + "。"]
        for key in ("overdue", "due_today", "due_soon"):
            for row, v in groups[key][:5]:
                lines.append(f"· {row.serial}　{row.applicant_name}　{v.days_text}（期限 {v.due_date}）")
            if len(groups[key]) > 5:
                lines.append(f"　……另有 {len(groups[key]) - 5} 件，见“工作台”")
        message = "\n".join(lines)
    return counts, message


def startup_hook(context, main_window, today: _dt.date | None = None) -> QMessageBox | None:
    """Start-up hook: recompute if the calendar changed, then tell the
    clerk at once about overdue and nearly due applications and (in
    January) the annual report.  The message does not block work."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    today = today or _dt.date.today()
    try:
        moved = deadlines.ensure_current(context.session)
    except Exception:  # noqa: BLE001 - e.g. a busy database: logged, and the clerk is still reminded below
        import logging

        logging.getLogger(__name__).exception("recomputing deadlines at start-up failed")
        moved = []
    if moved:
        from .deadline_dialogs import MovedDialog

        dialog = MovedDialog(context, moved, "工作日历或期限规则已更新（如程序升级带来新的节假日安排）。", main_window)
        dialog.setModal(False)
        dialog.show()
        main_window._deadline_moved_dialog = dialog
        context.notify_changed()
    counts, message = urgent_summary(context, today)
    reminder = annual_report_reminder(today)
    if reminder:
        message = (message + "\n\n" if message else "") + "年度报告：" + reminder
    if not message:
        return None
    box = QMessageBox(QMessageBox.Warning if counts["overdue"] else QMessageBox.Information,
                      "办理期限提醒", message, QMessageBox.NoButton, main_window)
    view = box.addButton("查看工作台", QMessageBox.AcceptRole)
    box.addButton("知道了", QMessageBox.RejectRole)
    box.setWindowModality(Qt.NonModal)
    box.setModal(False)
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 470px; }")

    def on_click(button):
        if button is view and hasattr(main_window, "show_page"):
            main_window.show_page("dashboard")

    box.buttonClicked.connect(on_click)
    box.show()
    main_window._deadline_notice = box
    try:
        main_window.statusBar().showMessage(message.splitlines()[0], 60_000)
    except AttributeError:
        pass
    return box
