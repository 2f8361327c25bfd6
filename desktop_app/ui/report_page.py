"""年度报告: the annual report of one year — its three tables as the format
draws them (click a number to see what it counts), section 二's form with
last year's figures, the narrative texts with app-written drafts, the
pre-export check, the year lock and the exports.  Thin over
:mod:`desktop_app.services.report`."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from PySide6.QtCore import QThread, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPlainTextEdit, QProgressDialog, QPushButton, QScrollArea, QSpinBox, QSplitter, QTableWidget,
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ..domain import catalog
from ..domain import report_model as rm
from ..domain import report_stats as rs
from ..domain.records import Application
from ..domain.report_checks import ERROR
from ..domain.report_layout import section2_grid, section3_grid, section4_grid
from ..domain.report_narrative import PLACEHOLDER_OPEN
from ..services import applications, cases, report
from ..services import items as proactive_items
from ..services.errors import ValidationError
from ..services.report import EXPORT_FORMATS, ExportError, combine_files
from ..services.settings import get_settings, setting
from .report_grid import LazyRows, RecordListModel, ReportGridTable, record_list_view

APP_HEADERS = ["申请编号", "收到日期", "申请人", "申请人类别", "答复日期", "办理结果"]
APP_LIST_FIELDS = ("id", "serial", "receipt_date", "applicant_name", "applicant_type", "org_kind", "reply_date",
                   "outcome", "outcome_reason")


def _app_cells(a) -> tuple:
    """One application's cells in a list of applications (``APP_HEADERS``)."""
    return (a["serial"], a["receipt_date"], a["applicant_name"],
            catalog.applicant_category_label(a["applicant_type"], a["org_kind"]),
            a["reply_date"] or "", catalog.outcome_label(a["outcome"], a["outcome_reason"]))


CASE_HEADERS = ["案号", "类型", "立案日期", "审结日期", "结果", "关联申请"]
ITEM_HEADERS = ["索引号", "信息名称", "文号", "制发日期", "废止日期", "公开日期"]
FIGURE_HEADERS = ["期间", "数字", "来源", "", "", ""]

ERROR_COLOR = QColor("#b3261e")
WARNING_COLOR = QColor("#8a5a00")


def default_report_year(today: _dt.date | None = None) -> int:
    """Until the end of March the clerk is working on last year's report."""
    today = today or _dt.date.today()
    return today.year - 1 if today.month <= 3 else today.year


def _ro_item(text, data=None) -> QTableWidgetItem:
    # tables using it have NoEditTriggers: no per-item flag calls needed
    item = QTableWidgetItem("" if text is None else str(text))
    if data is not None:
        item.setData(Qt.UserRole, data)
    return item


class ReportPage(QWidget):
    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.session = context.session
        self.document: dict | None = None
        self.section3: rs.Section3 | None = None
        self.issues = []
        self.diffs: list[dict] = []
        self._dirty = False  # data changed while hidden
        self._workers: list[QThread] = []

        # --- top bar
        self.year = QSpinBox()
        self.year.setRange(2008, _dt.date.today().year + 1)
        self.year.setValue(default_report_year())
        self.year.setSuffix(" 年")
        self.year.setToolTip("报告年度")
        self.status = QLabel()
        self.status.setTextFormat(Qt.RichText)
        self.publish_button = QPushButton("标记为已发布")
        self.publish_button.setToolTip("冻结本年度报告中的数字；之后台账的修改如改变这些数字，会在“检查与发布”中列出差异")
        self.unpublish_button = QPushButton("撤销发布标记")
        self.export_buttons = {}
        top = QHBoxLayout()
        top.addWidget(QLabel("报告年度："))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.publish_button)
        top.addWidget(self.unpublish_button)
        exports = QHBoxLayout()
        exports.addWidget(QLabel("导出："))
        for ext, label in (( ".pdf", "PDF"), (".docx", "Word"), (".xlsx", "Excel"), (".json", "JSON")):
            b = QPushButton(label)
            b.setToolTip(f"导出为{EXPORT_FORMATS[ext]}（{ext}）")
            b.clicked.connect(lambda _=False, e=ext: self.export_dialog(e))
            self.export_buttons[ext] = b
            exports.addWidget(b)
        self.combine_button = QPushButton("合并各机关报告…")
        self.combine_button.setToolTip("把各部门导出的同一年度JSON报告相加为一份汇总报告")
        self.combine_button.clicked.connect(self.combine_dialog)
        exports.addSpacing(12)
        exports.addWidget(self.combine_button)
        exports.addStretch(1)

        # --- tabs
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_tables_tab(), "统计表")
        self.tabs.addTab(self._build_section2_tab(), "二、主动公开")
        self.tabs.addTab(self._build_texts_tab(), "文字部分（一、五、六）")
        self.tabs.addTab(self._build_check_tab(), "检查与发布")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        # a year without any application: say where the figures come from
        self.empty_year_label = QLabel()
        self.empty_year_label.setWordWrap(True)
        self.empty_year_label.setStyleSheet(
            "QLabel { background: #eef4fb; border: 1px solid #9bbbe0; border-radius: 4px; padding: 8px 10px; }")
        self.empty_year_label.hide()
        layout.addLayout(top)
        layout.addLayout(exports)
        layout.addWidget(self.empty_year_label)
        layout.addWidget(self.tabs, 1)

        self.year.valueChanged.connect(lambda _=None: self.load_year())
        self.publish_button.clicked.connect(self.publish)
        self.unpublish_button.clicked.connect(self.unpublish)
        context.data_changed.connect(self._on_data_changed)
        self.load_year()

    # --- building the tabs ------------------------------------------------------------

    def _build_tables_tab(self) -> QWidget:
        self.table2 = ReportGridTable()
        self.table3 = ReportGridTable()
        self.table4 = ReportGridTable(scale=5.0)
        self.table3.cell_activated.connect(self.show_cell)
        self.table4.cell_activated.connect(self.show_cell)
        inner = QWidget()
        v = QVBoxLayout(inner)
        v.setContentsMargins(4, 4, 4, 4)
        self.identity_label = QLabel()
        self.table_heads: list[QLabel] = []
        for title, table in ((rm.SECTION_TITLES[1], self.table2), (rm.SECTION_TITLES[2], self.table3),
                             (rm.SECTION_TITLES[3], self.table4)):
            head = QLabel(f"<b>{title}</b>")
            self.table_heads.append(head)
            v.addWidget(head)
            if table is self.table3:
                v.addWidget(self.identity_label)
            v.addWidget(table)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.tables_scroll = scroll
        jump = QHBoxLayout()
        jump.addWidget(QLabel("转到："))
        for k, (name, _table) in enumerate((("二、主动公开", self.table2), ("三、依申请公开", self.table3),
                                           ("四、复议诉讼", self.table4))):
            b = QPushButton(name)
            b.setFlat(True)
            b.setStyleSheet("QPushButton { color: #2f6db5; text-decoration: underline; padding: 2px 6px; }")
            b.clicked.connect(lambda _=False, i=k: self.scroll_to_table(i))
            jump.addWidget(b)
        jump.addStretch(1)
        top_part = QWidget()
        tv = QVBoxLayout(top_part)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.setSpacing(2)
        tv.addLayout(jump)
        tv.addWidget(scroll, 1)

        self.cell_title = QLabel("单击表格中的数字，在此列出计入该数的文件、申请或案件（或录入数字的来源）；双击一行打开。")
        self.cell_title.setWordWrap(True)
        self.cell_model = RecordListModel(APP_HEADERS, self)
        self.cell_list = record_list_view(self.cell_model)
        self.cell_list.doubleClicked.connect(self._open_listed)
        bottom = QWidget()
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 4, 0, 0)
        bv.addWidget(self.cell_title)
        bv.addWidget(self.cell_list, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top_part)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        return split

    def scroll_to_table(self, index: int) -> None:
        """Scroll the tables so that section 二, 三 or 四 starts at the top."""
        head = self.table_heads[index]
        self.tables_scroll.verticalScrollBar().setValue(head.y() - 4)

    def _build_section2_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        intro = QLabel("第二十条第（一）项由“主动公开”目录按文件的制发、废止日期统计，一般留空；"
                       "只有目录未登记全的年度才填写数字（填写后以所填为准）。行政许可、处罚、强制决定数和收费金额"
                       "来自其他系统，请填写全年数，或点“按月录入…”逐月录入并注明来源。右侧灰字为上一年度的数字。"
                       "没有的请填 0；收费金额单位为万元。")
        intro.setWordWrap(True)
        v.addWidget(intro)
        self.s2_edits: dict[str, QLineEdit] = {}
        self.s2_previous: dict[str, QLabel] = {}
        self.s2_errors = QLabel()
        self.s2_errors.setStyleSheet("color: #b3261e;")
        self.s2_errors.setWordWrap(True)
        for block in rs.SECTION2_BLOCKS:
            box = QGroupBox(block.heading)
            grid = QGridLayout(box)
            grid.addWidget(QLabel(f"<b>{block.headers[0]}</b>"), 0, 0)
            for i, h in enumerate(block.headers[1:]):
                grid.addWidget(QLabel(f"<b>{h}</b>"), 0, 1 + 2 * i, 1, 2)
            for r, (label, fields) in enumerate(block.rows, start=1):
                grid.addWidget(QLabel(label), r, 0)
                for i, code in enumerate(fields):
                    edit = QLineEdit()
                    edit.setMaximumWidth(120)
                    edit.setPlaceholderText("万元" if code in rs.SECTION2_AMOUNT_FIELDS else "件数")
                    edit.setAccessibleName(f"{label}{block.headers[1 + i]}")
                    prev = QLabel()
                    prev.setStyleSheet("color: #777;")
                    grid.addWidget(edit, r, 1 + 2 * i)
                    grid.addWidget(prev, r, 2 + 2 * i)
                    self.s2_edits[code] = edit
                    self.s2_previous[code] = prev
            grid.setColumnMinimumWidth(0, 120)
            grid.setColumnStretch(grid.columnCount(), 1)
            v.addWidget(box)
        v.addWidget(self.s2_errors)
        row = QHBoxLayout()
        self.s2_save = QPushButton("保存第二部分")
        self.s2_save.clicked.connect(self.save_section2)
        row.addWidget(self.s2_save)
        self.s2_monthly = QPushButton("按月录入…")
        self.s2_monthly.setToolTip("逐月录入行政许可、处罚、强制决定数和收费金额，并注明数字来源")
        self.s2_monthly.clicked.connect(self.edit_monthly_figures)
        row.addWidget(self.s2_monthly)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(w)
        return scroll

    def _build_texts_tab(self) -> QWidget:
        self.text_tabs = QTabWidget()
        self.text_edits: dict[str, QPlainTextEdit] = {}
        self.text_state: dict[str, QLabel] = {}
        for key, title in rm.NARRATIVE_KEYS.items():
            w = QWidget()
            v = QVBoxLayout(w)
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            font = edit.font()
            font.setPointSizeF(font.pointSizeF() * 1.15)
            edit.setFont(font)
            edit.document().setDocumentMargin(10)
            edit._highlighter = PlaceholderHighlighter(edit.document())
            state = QLabel()
            state.setStyleSheet("color: #666;")
            draft = QPushButton("生成草稿")
            draft.setToolTip("按本年度台账数字写一份草稿，替换编辑框中的文字（保存前可撤销）")
            draft.clicked.connect(lambda _=False, k=key: self.generate_draft(k))
            save = QPushButton("保存")
            save.clicked.connect(lambda _=False, k=key: self.save_text(k))
            row = QHBoxLayout()
            row.addWidget(state, 1)
            row.addWidget(draft)
            row.addWidget(save)
            v.addWidget(edit, 1)
            v.addLayout(row)
            edit.textChanged.connect(lambda k=key: self._text_edited(k))
            self.text_edits[key] = edit
            self.text_state[key] = state
            self.text_tabs.addTab(w, title)
        hint = QLabel("“【请补充：…】”处为程序无法从台账得知的内容，请改写后保存；导出前的检查会列出未改写之处。")
        hint.setWordWrap(True)
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(hint)
        v.addWidget(self.text_tabs, 1)
        return w

    def _build_check_tab(self) -> QWidget:
        self.check_list = QTableWidget(0, 2)
        self.check_list.setHorizontalHeaderLabels(["级别", "问题"])
        self.check_list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.check_list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.check_list.verticalHeader().hide()
        self.check_list.setWordWrap(True)
        self.check_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.check_list.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.check_list.itemSelectionChanged.connect(self._show_issue_apps)
        self.issue_model = RecordListModel(APP_HEADERS, self)
        self.issue_apps = record_list_view(self.issue_model)
        self.issue_apps.doubleClicked.connect(self._open_listed)
        self.diff_title = QLabel("<b>与已发布数字的差异</b>")
        self.diff_list = QTableWidget(0, 5)
        self.diff_list.setHorizontalHeaderLabels(["部分", "行", "列", "已发布", "现在"])
        self.diff_list.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.diff_list.verticalHeader().hide()
        self.diff_list.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        recheck = QPushButton("重新检查")
        recheck.clicked.connect(self.load_year)
        self.manual_button = QPushButton("录入上年报告的结转数…")
        self.manual_button.setToolTip("上年报告不是用本程序生成的（手工填写）时，录入其“结转下年度继续办理”一行，"
                                      "检查会与本年“上年结转”比对")
        self.manual_button.clicked.connect(self.edit_manual_carry_forward)
        w = QWidget()
        v = QVBoxLayout(w)
        row = QHBoxLayout()
        self.check_summary = QLabel()
        row.addWidget(self.check_summary, 1)
        row.addWidget(self.manual_button)
        row.addWidget(recheck)
        v.addLayout(row)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.check_list)
        apps = QWidget()
        av = QVBoxLayout(apps)
        av.setContentsMargins(0, 0, 0, 0)
        av.addWidget(QLabel("所选问题涉及的申请（双击打开）："))
        av.addWidget(self.issue_apps)
        split.addWidget(apps)
        diffs = QWidget()
        dv = QVBoxLayout(diffs)
        dv.setContentsMargins(0, 0, 0, 0)
        dv.addWidget(self.diff_title)
        dv.addWidget(self.diff_list)
        split.addWidget(diffs)
        v.addWidget(split, 1)
        return w

    # --- loading ---------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.load_year()

    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.refresh_figures()
        else:
            self._dirty = True

    def current_year(self) -> int:
        return self.year.value()

    def load_year(self) -> None:
        """Reload everything of the selected year (figures, forms, texts)."""
        self._load_section2()
        self.refresh_figures()
        self._load_texts()

    def refresh_figures(self) -> None:
        """Recompute the tables, the check and the differences."""
        year = self.current_year()
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.section3 = report.section3(self.session, year)
            self.document = report.build_document(self.session, year, s3=self.section3)
            self.diffs = report.differences(self.session, year, self.document)
            self.issues = report.check(self.session, year, document=self.document, s3=self.section3)
        finally:
            QApplication.restoreOverrideCursor()
        changed = set()
        for d in self.diffs:
            changed |= self._refs_for_diff(d)
        self.table2.set_grid(section2_grid(self.document))
        self.table3.set_grid(section3_grid(self.document), changed)
        self.table4.set_grid(section4_grid(self.document), changed)
        bad = self.section3.identity_errors()
        self.identity_label.setText(
            "勾稽关系核对：第一项 + 第二项 = 第三项（七）总计 + 第四项，各列均平衡。" if not bad
            else f"<span style='color:#b3261e'>勾稽关系不平衡：{'、'.join(rs.COLUMN_LABELS[c] for c in bad)}列</span>")
        self._show_status()
        self._show_check()
        self._show_empty_year(year)

    def _show_empty_year(self, year: int) -> None:
        empty = (self.section3 is not None and not self.section3.value("new")
                 and not self.section3.value("carried"))
        self.empty_year_label.setText(
            f"{year}年度台账中没有申请，第三部分各项均为0。第三、四部分的数字由台账自动统计："
            "如本年度有申请，请先在“申请台账”中登记，或用“文件 → 导入台账”导入；"
            "上年结转的件数可在“检查与发布”中录入。第二部分和文字部分可以照常填写。" if empty else "")
        self.empty_year_label.setVisible(empty)

    def _refs_for_diff(self, d: dict) -> set:
        if d["section"] == "三":
            row = next((r for r in rs.SECTION3_ROWS if r.label == d["label"]), None)
            col = next((c for c, lbl in rs.COLUMN_LABELS.items() if lbl == d["column"]), None)
            return {("section3", row.key, col)} if row and col else set()
        if d["section"] == "四":
            kind = next((k for k, lbl in rs.CASE_KIND_HEADERS.items() if d["label"].endswith(lbl)), None)
            col = next((c for c, lbl in rs.SECTION4_COLUMN_LABELS.items() if lbl == d["column"]), None)
            return {("section4", kind, col)} if kind and col else set()
        return set()

    def _show_status(self) -> None:
        year = self.current_year()
        snap = report.published(self.session, year)
        if snap is None:
            self.status.setText(f"{year}年报告<b>尚未发布</b>")
        else:
            when = snap.published_at.replace("T", " ")[:16]
            extra = (f"，<span style='color:#b3261e'>现有{len(self.diffs)}个数字与已发布的不同</span>"
                     if self.diffs else "，数字与已发布的一致")
            self.status.setText(f"{year}年报告已于 {when} 标记为已发布{extra}")
        self.unpublish_button.setVisible(snap is not None)
        self.publish_button.setText("重新标记为已发布" if snap is not None else "标记为已发布")

    def _show_check(self) -> None:
        self.check_list.setRowCount(0)
        errors = sum(1 for i in self.issues if i.level == ERROR)
        warnings = len(self.issues) - errors
        self.check_summary.setText(
            "检查通过，没有发现问题。" if not self.issues
            else f"检查发现 {errors} 个错误、{warnings} 个提示。错误会使报告不正确，请在导出前改正。")
        for i, issue in enumerate(self.issues):
            self.check_list.insertRow(i)
            level = _ro_item(issue.level_label, i)
            level.setForeground(QBrush(ERROR_COLOR if issue.level == ERROR else WARNING_COLOR))
            self.check_list.setItem(i, 0, level)
            text = issue.message + (f"（{len(issue.app_ids)}件，选中后在下方列出）" if issue.app_ids else "")
            self.check_list.setItem(i, 1, _ro_item(text, i))
        self.check_list.resizeRowsToContents()
        self.tabs.setTabText(3, f"检查与发布（{errors}错误）" if errors else "检查与发布")
        self.diff_list.setRowCount(0)
        for i, d in enumerate(self.diffs):
            self.diff_list.insertRow(i)
            for c, v in enumerate((d["section"], d["label"], d["column"], d["published"], d["current"])):
                self.diff_list.setItem(i, c, _ro_item(v))
        self.diff_title.setText("<b>与已发布数字的差异</b>" + (
            f"：{len(self.diffs)}处" if self.diffs else "：无"))
        self.issue_model.set_rows(APP_HEADERS, [], [])

    def _load_section2(self) -> None:
        year = self.current_year()
        s2 = proactive_items.section2(self.session, year)
        now, before = s2.values, report.get_section2(self.session, year - 1)
        monthly = {f.field for f in proactive_items.figures(self.session, year) if f.month is not None}
        for code, edit in self.s2_edits.items():
            v = now.get(code)
            edit.setReadOnly(code in monthly)
            edit.setToolTip("")
            if s2.computed(code):
                edit.setText("")
                edit.setPlaceholderText(f"目录统计 {v}")
                edit.setToolTip("留空：按主动公开目录统计（单击统计表中的数字查看计入的文件）")
            else:
                edit.setText("" if v is None else (rm.format_amount(v) if code in rs.SECTION2_AMOUNT_FIELDS
                                                   else str(v)))
                edit.setPlaceholderText("万元" if code in rs.SECTION2_AMOUNT_FIELDS else "件数")
                if code in s2.sources:
                    edit.setToolTip(f"来源：{s2.sources[code]}" + ("（按月录入，请点“按月录入…”修改）"
                                                                 if code in monthly else ""))
            edit.setStyleSheet("")
            p = before.get(code)
            shown = "—" if p is None else (rm.format_amount(p) if code in rs.SECTION2_AMOUNT_FIELDS else str(p))
            self.s2_previous[code].setText(f"上年：{shown}")
        self.s2_errors.clear()

    def _load_texts(self) -> None:
        saved = report.get_texts(self.session, self.current_year())
        for key, edit in self.text_edits.items():
            edit.blockSignals(True)
            if key in saved:
                edit.setPlainText(saved[key])
                self.text_state[key].setText("已保存")
            else:
                # the document of this year holds the draft of every unsaved part
                edit.setPlainText(self.document[key])
                self.text_state[key].setText("程序生成的草稿，尚未保存")
            edit.blockSignals(False)

    # --- drill-down -------------------------------------------------------------------------

    def show_cell(self, ref: tuple) -> None:
        year = self.current_year()
        if ref[0] == "section2":
            self._show_section2_cell(year, ref[1])
            return
        if ref[0] == "section3":
            _s, row_key, col = ref
            ids = report.application_ids_in_cell(self.session, year, row_key, col)
            row = rs.SECTION3_ROW_BY_KEY[row_key]
            self.cell_title.setText(f"{year}年 · {row.label} · {rs.COLUMN_LABELS[col]}：共 {len(ids)} 件申请"
                                    "（双击打开）")
            # the applications are read in pages as the list shows them
            self.cell_model.set_rows(APP_HEADERS, LazyRows(ids, self._app_rows), ids)
            self.cell_list.resizeColumnsToContents()
        else:
            _s, kind, col = ref
            listed = cases.cases_in_cell(self.session, year, kind, col)
            self.cell_title.setText(f"{year}年 · {rs.CASE_KINDS[kind]} · {rs.SECTION4_COLUMN_LABELS[col]}："
                                    f"共 {len(listed)} 件案件（双击打开关联的申请）")
            rows = [(c.case_number or "（无案号）", rs.CASE_KINDS[c.kind], c.filed_date,
                     c.closed_date or "", rs.CASE_RESULTS.get(c.result, c.result),
                     c.application_serial or "") for c in listed]
            self.cell_model.set_rows(CASE_HEADERS, rows, [c.application_id for c in listed])
            self.cell_list.resizeColumnsToContents()

    def _app_rows(self, ids) -> list[tuple]:
        """The drill-down list's cells for ``ids``, in that order."""
        found = {r["id"]: r for r in applications.table_rows(self.session, APP_LIST_FIELDS, list(ids))}
        return [_app_cells(found[i]) if i in found else ("",) * len(APP_HEADERS) for i in ids]

    def _show_section2_cell(self, year: int, code: str) -> None:
        """The documents behind a count of section 二, or where a typed figure came from."""
        s2 = proactive_items.section2(self.session, year)
        label, column = rs.SECTION2_FIELDS[code]
        if s2.computed(code):
            listed = proactive_items.items_in_cell(self.session, year, code)
            note = "" if s2.rules_allowed or not code.startswith("regulations") else \
                "（本机关未设为有规章制定权，规章一行为0）"
            self.cell_title.setText(f"{year}年 · {label} · {column}：共 {len(listed)} 件，由主动公开目录统计{note}"
                                    "（双击打开）")
            rows = [(r.index_no or "", r.title, r.doc_number or "", r.issued_on or r.formed_on or "",
                     r.repealed_on or "", r.published_on or "") for r in listed]
            self.cell_model.set_rows(ITEM_HEADERS, rows, [("item", r.id) for r in listed])
        else:
            source = s2.sources.get(code)
            value = s2.values.get(code)
            self.cell_title.setText(f"{year}年 · {label} · {column}：" + (
                f"{rm.format_amount(value) if code in rs.SECTION2_AMOUNT_FIELDS else value}，来源：{source}。"
                "此数为录入的数字，不由目录统计；在“二、主动公开”中修改。" if source else
                "尚未填写。请在“二、主动公开”中填写全年数或按月录入。"))
            figures = [f for f in proactive_items.figures(self.session, year) if f.field == code]
            rows = [(f"{f.month}月" if f.month else "全年", rm.format_amount(f.value)
                     if code in rs.SECTION2_AMOUNT_FIELDS else str(int(f.value)), f.source, "", "", "")
                    for f in figures]
            self.cell_model.set_rows(FIGURE_HEADERS, rows, [None] * len(rows))
        self.cell_list.resizeColumnsToContents()

    def edit_monthly_figures(self) -> None:
        from .figures_dialog import FiguresDialog

        FiguresDialog(self.context, self.current_year(), self.window()).exec()
        self.load_year()

    @staticmethod
    def _fill_apps(model: RecordListModel, apps: list[Application]) -> None:
        rows = [_app_cells({f: getattr(a, f) for f in APP_LIST_FIELDS}) for a in apps]
        model.set_rows(APP_HEADERS, rows, [a.id for a in apps])

    def _open_listed(self, index) -> None:
        app_id = index.data(Qt.UserRole) if index.isValid() else None
        if isinstance(app_id, (tuple, list)) and app_id and app_id[0] == "item":
            from .items_page import open_item_from

            open_item_from(self.context, int(app_id[1]), self.window())
            return
        if app_id:
            self.context.application_requested.emit(int(app_id))

    def _show_issue_apps(self) -> None:
        rows = {i.row() for i in self.check_list.selectedIndexes()}
        ids: list[int] = []
        for r in sorted(rows):
            ids += self.issues[r].app_ids
        self._fill_apps(self.issue_model, applications.by_ids(self.session, ids) if ids else [])
        self.issue_apps.resizeColumnsToContents()

    # --- section 二 and texts ------------------------------------------------------------------

    def section2_values(self) -> dict:
        return {code: edit.text().strip() or None for code, edit in self.s2_edits.items()}

    def save_section2(self) -> bool:
        values = self.section2_values()
        year = self.current_year()
        try:
            self._guard_published("第二部分的数字", bool(report.section2_changes(self.session, year, values)))
            report.save_section2(self.session, year, values)
        except ValidationError as exc:
            for code, edit in self.s2_edits.items():
                edit.setStyleSheet("border: 1px solid #b3261e;" if code in exc.errors else "")
            self.s2_errors.setStyleSheet("color: #b3261e;")
            self.s2_errors.setText("未保存：" + "；".join(exc.errors.values()))
            return False
        except _Cancelled:
            return False
        for edit in self.s2_edits.values():
            edit.setStyleSheet("")
        self.s2_errors.setText(f"已保存{year}年第二部分。")
        self.s2_errors.setStyleSheet("color: #2e7d32;")
        self.refresh_figures()
        return True

    def _guard_published(self, what: str, changes: bool = True) -> None:
        """Before a save that ``changes`` a published year's report, ask to
        unlock it (or to go ahead); a save that changes nothing asks nothing."""
        year = self.current_year()
        if not changes or report.published(self.session, year) is None:
            return
        from ..services import year_lock
        from .published_check import ask_unlock

        if year_lock.is_locked(self.session, year):
            if not ask_unlock(self.context, self, year_lock.YearLockedError([year], f"修改{what}")):
                raise _Cancelled
            return
        answer = QMessageBox.warning(
            self, "已发布的年度", f"{year}年报告已标记为已发布。修改{what}会使报告与已发布的数字不同，"
            "差异会列在“检查与发布”中。确定要修改吗？", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            raise _Cancelled

    def _text_edited(self, key: str) -> None:
        self.text_state[key].setText("已修改，尚未保存")

    def generate_draft(self, key: str) -> None:
        text = report.drafts(self.session, self.current_year())[key]
        edit = self.text_edits[key]
        cursor = edit.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(text)  # undoable with Ctrl+Z
        self.text_state[key].setText("已生成草稿，尚未保存")

    def save_text(self, key: str) -> None:
        try:
            text = self.text_edits[key].toPlainText()
            self._guard_published("报告的文字", report.text_changed(self.session, self.current_year(), key, text))
        except _Cancelled:
            return
        report.save_text(self.session, self.current_year(), key, text)
        self.text_state[key].setText("已保存")
        self.refresh_figures()

    def edit_manual_carry_forward(self) -> None:
        year = self.current_year() - 1
        dialog = CarryForwardDialog(year, report.manual_carry_forward(self.session, year), self)
        if dialog.exec() != QDialog.Accepted:
            return
        report.save_manual_carry_forward(self.session, year, dialog.values())
        self.refresh_figures()

    # --- year lock ----------------------------------------------------------------------------

    def publish(self) -> None:
        year = self.current_year()
        errors = [i for i in self.issues if i.level == ERROR]
        text = f"把{year}年报告标记为已发布？当前的数字将被冻结为已发布的数字。"
        if errors:
            text += f"\n\n注意：检查还有{len(errors)}个错误未改正。"
        if QMessageBox.question(self, "标记为已发布", text) != QMessageBox.Yes:
            return
        report.publish(self.session, year, self.document)
        self.refresh_figures()

    def unpublish(self) -> None:
        year = self.current_year()
        if QMessageBox.question(self, "撤销发布标记",
                                f"撤销{year}年报告的发布标记？已冻结的数字将被删除，不再列出差异。") != QMessageBox.Yes:
            return
        report.unpublish(self.session, year)
        self.refresh_figures()

    # --- exports ---------------------------------------------------------------------------------

    def export_to(self, path: str | Path, *, published: bool = False) -> str | None:
        """Export the current year's report (or, with ``published``, the
        version frozen when it was marked published); returns a warning or
        None; raises ExportError with a message for the clerk."""
        document = self._document(published)
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return report.export(document, path, get_settings(self.session))
        finally:
            QApplication.restoreOverrideCursor()

    def _document(self, published: bool) -> dict:
        """The current year's report as computed now, or as published."""
        if published:
            snap = report.published(self.session, self.current_year())
            assert snap is not None  # offered only for a published year
            return snap.document
        return report.build_document(self.session, self.current_year())

    def export_dialog(self, ext: str) -> None:
        errors = [i for i in self.issues if i.level == ERROR]
        if errors:
            answer = QMessageBox.warning(
                self, "导出前检查", f"检查发现{len(errors)}个错误：\n" + "\n".join(f"· {i.message}" for i in errors[:5])
                + "\n\n仍要导出吗？", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                self.tabs.setCurrentIndex(3)
                return
        published = False
        if self.diffs:
            box = QMessageBox(QMessageBox.Question, "导出哪个版本",
                              f"{self.current_year()}年报告已发布，之后有{len(self.diffs)}个数字发生了变化。"
                              "要导出哪个版本？", parent=self)
            current = box.addButton("当前数字", QMessageBox.AcceptRole)
            frozen = box.addButton("已发布的版本", QMessageBox.AcceptRole)
            box.addButton("取消", QMessageBox.RejectRole)
            box.exec()
            if box.clickedButton() not in (current, frozen):
                return
            published = box.clickedButton() is frozen
        name = f"{self.document['title']}{ext}" if self.document else f"年度报告{ext}"
        path, _ = QFileDialog.getSaveFileName(self, "导出年度报告", str(Path.home() / name),
                                              f"{EXPORT_FORMATS[ext]} (*{ext})")
        if not path:
            return
        if not path.lower().endswith(ext):
            path += ext
        document = self._document(published)
        settings = get_settings(self.session)
        self.run_in_background(
            "正在导出年度报告…", lambda: report.export(document, path, settings),
            lambda warning: QMessageBox.information(
                self, "已导出", f"已导出：{path}" + (f"\n\n{warning}" if warning else "")),
            "导出失败")

    def run_in_background(self, label: str, work, on_done, error_title: str) -> None:
        """Run ``work()`` (file writing only: no database) in a worker
        thread with a busy dialog; ``on_done(result)`` on the GUI thread,
        or a dialog titled ``error_title`` with the clerk's message."""
        progress = QProgressDialog(label, "", 0, 0, self)
        progress.setWindowTitle("请稍候")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(300)
        worker = _Worker(work, self)
        self._workers.append(worker)

        def finished_ok(result):
            progress.close()
            on_done(result)

        def failed(message):
            progress.close()
            QMessageBox.critical(self, error_title, message)

        def cleanup():
            if worker in self._workers:
                self._workers.remove(worker)
            worker.deleteLater()

        worker.succeeded.connect(finished_ok)
        worker.failed.connect(failed)
        worker.finished.connect(cleanup)
        worker.start()

    def combine_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择各机关的年度报告JSON文件", str(Path.home()),
                                                "年度报告JSON (*.json)")
        if not paths:
            return
        agency, ok = QInputDialog.getText(self, "汇总报告", "汇总报告的机关名称（用于标题）：",
                                          text=setting(self.session, "agency_name") or "")
        if not ok:
            return
        out, _ = QFileDialog.getSaveFileName(self, "保存汇总报告", str(Path.home() / "汇总年度报告.pdf"),
                                             "PDF 文档 (*.pdf);;Word 文档 (*.docx);;Excel 表格 (*.xlsx);;JSON 数据 (*.json)")
        if not out:
            return
        settings = get_settings(self.session)

        def work():
            document = combine_files(paths, agency=agency.strip() or None)
            return document, report.export(document, out, settings)

        def done(result):
            document, warning = result
            QMessageBox.information(self, "已合并", f"已合并{len(document['agencies'])}个机关的{document['year']}年报告："
                                    f"{out}" + (f"\n\n{warning}" if warning else ""))

        self.run_in_background("正在合并各机关报告…", work, done, "无法合并")


class _Cancelled(Exception):
    pass


class _Worker(QThread):
    """Writes a file off the GUI thread (never touches the database)."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work, parent=None):
        super().__init__(parent)
        self.work = work

    def run(self) -> None:
        try:
            result = self.work()
        except (ExportError, rm.ReportFileError) as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # any failure is shown to the clerk, never lost in the thread
            self.failed.emit(f"出现意外错误：{exc}。文件没有写入，请重试或联系技术人员。")
        else:
            self.succeeded.emit(result)


class CarryForwardDialog(QDialog):
    """The 四、结转下年度继续办理 row of a hand-typed report of ``year``."""

    def __init__(self, year: int, values: dict | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{year}年报告的“结转下年度继续办理”")
        intro = QLabel(f"如{year}年报告是手工填写的，请按已发布报告第三部分“四、结转下年度继续办理”一行录入各列数字。"
                       f"{year + 1}年报告的检查将与本年“上年结转”逐列比对。")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QSpinBox] = {}
        for label in rm.SECTION3_VALUE_KEYS:
            box = QSpinBox()
            box.setRange(0, 10_000_000)
            box.setValue(int((values or {}).get(label, 0)))
            self.boxes[label] = box
            form.addRow(f"{label}：", box)
        self.clear_box = QCheckBox("不使用手工录入的数字（删除）")
        self.clear_box.setChecked(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        if values is not None:
            layout.addWidget(self.clear_box)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def values(self) -> dict[str, int] | None:
        if self.clear_box.isChecked():
            return None
        return {label: box.value() for label, box in self.boxes.items()}


class PlaceholderHighlighter(QSyntaxHighlighter):
    """Marks the 【请补充：…】 passages of a draft that the clerk must write."""

    PATTERN = re.compile(re.escape(PLACEHOLDER_OPEN) + r"[^】]*】?")

    def __init__(self, document):
        super().__init__(document)
        self.format = QTextCharFormat()
        self.format.setBackground(QColor("#fff1c2"))
        self.format.setForeground(QColor("#8a5a00"))

    def highlightBlock(self, text: str) -> None:
        for m in self.PATTERN.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self.format)
