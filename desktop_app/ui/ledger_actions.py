"""文件 menu: 导入台账…, 导出台账…, 下载导入模板…; the 待核实 detail section.

The work is ``services.ledger``; here are the dialogs.  Import and
export run in a worker thread that opens its own database connection
(a sqlite3 connection stays in the thread that made it), with a progress
dialog; the GUI stays responsive and the import can be cancelled (nothing
is written then).

An import goes: read the file → (when a required column cannot be found,
or the file has several ledger sheets) the mapping step: each of the
file's headers beside a drop-down of our columns, with its first values
and a preview, and the sheets to import → check every row → the three
lists (errors, 待核实 warnings, ignored rows and columns) before the clerk
confirms → import → the result, with a link to the register filtered to
the 待核实 applications.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QStandardPaths, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
    QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QProgressDialog, QPushButton, QRadioButton,
    QSizePolicy, QStyle, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ..services import applications, ledger
from ..services.errors import NotFoundError, ServiceError
from ..services.session import DatabaseOpenError, open_register

log = logging.getLogger(__name__)

LEDGER_FILTER = ("台账文件 (*.xlsx *.xls *.csv);;Excel 工作簿 (*.xlsx);;Excel 97-2003 工作簿 (*.xls);;"
                 "CSV 文件 (*.csv)")
SAVE_FILTERS = ["Excel 工作簿 (*.xlsx)", "CSV 文件，UTF-8 (*.csv)"]

_STAGE_TEXT = {
    "read": "正在读取文件…",
    "check": "正在检查第 {done} / {total} 行…",
    "backup": "文件检查无误，正在备份数据库…",
    "write": "正在写入第 {done} / {total} 件…",
    "export": "正在导出第 {done} / {total} 件…",
}
_WARN_FG = "#8a5a00"

_last_dir: str | None = None


def _start_dir() -> str:
    if _last_dir:
        return _last_dir
    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


def _remember(path: str) -> None:
    global _last_dir
    _last_dir = str(Path(path).parent)


def _with_suffix(path: str, selected_filter: str) -> Path:
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".csv"):
        p = p.with_name(p.name + (".csv" if "csv" in selected_filter.lower() else ".xlsx"))
    return p


# --- the worker ------------------------------------------------------------------------------------


class LedgerWorker(QThread):
    """Runs an inspection, a check, an import or an export with its own
    connection to the database; results are left in attributes."""

    progress = Signal(str, int, int)

    def __init__(self, db_path, job: str, file_path, *, mask: bool = False, options=None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.job = job
        self.file_path = Path(file_path)
        self.mask = mask
        self.options = options
        self.cancelled = False
        self.summary = None         # ImportSummary, or the count exported
        self.problems = None        # list[RowProblem] (errors)
        self.review = []            # list[RowProblem] (warnings: rows flagged 待核实)
        self.ignored = []           # list[str]
        self.preview = None         # LedgerPreview (inspect, or a mapping still needed)
        self.error: str | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def _progress(self, stage: str, done: int, total: int) -> bool:
        self.progress.emit(stage, done, total)
        return not self.cancelled

    def run(self) -> None:
        session = None
        try:
            session = open_register(self.db_path)
            self._run(session)
        except ledger.LedgerImportError as exc:
            self.problems = exc.problems
            self.review = exc.review
            self.ignored = exc.ignored
        except (ledger.ImportCancelled, ledger.ExportCancelled):
            self.was_cancelled = True
        except ledger.LedgerMappingNeeded as exc:
            self.preview = exc.preview
            self.error = str(exc)
        except (ledger.LedgerFileError, DatabaseOpenError, ServiceError) as exc:
            self.error = str(exc)
        except OSError as exc:
            self.error = (f"无法{'写入' if self.job == 'export' else '读取'}“{self.file_path}”："
                          f"{exc.strerror or exc}。如果文件正在 Excel 中打开，请先关闭它后再试。")
        except Exception as exc:  # any failure is reported in a dialog, never a crash
            log.exception("ledger %s failed", self.job)
            self.error = f"{'导出' if self.job == 'export' else '导入'}时发生意外错误：{exc}。没有写入任何数据。"
        finally:
            if session is not None:
                session.close()

    def _run(self, session) -> None:
        if self.job == "inspect":
            self.preview = ledger.inspect_ledger(session, self.file_path, self.options)
        elif self.job == "check":
            self.summary = ledger.check_ledger(session, self.file_path, progress=self._progress,
                                               options=self.options)
        elif self.job == "import":
            self.summary = ledger.import_ledger(session, self.file_path, progress=self._progress,
                                                options=self.options)
        else:
            self.summary = ledger.export_ledger(
                session, self.file_path, mask=self.mask,
                progress=lambda done, total: self._progress("export", done, total))


def run_worker(worker: LedgerWorker, parent: QWidget | None, title: str) -> LedgerWorker:
    """Run ``worker`` while a progress dialog is shown; returns when the
    worker has finished (the GUI keeps processing events meanwhile)."""
    dialog = QProgressDialog("正在读取文件…", "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setMinimumWidth(380)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    alive = [True]

    def on_progress(stage: str, done: int, total: int) -> None:
        if not alive[0]:
            return
        dialog.setLabelText(_STAGE_TEXT.get(stage, "正在处理…").format(done=done, total=total))
        if stage in ("backup", "read"):
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
        if stage not in ("check", "read") and worker.job == "import":
            # Once writing has begun the transaction finishes quickly; a
            # cancel now would only roll it back, which is still safe.
            dialog.setCancelButtonText("取消（撤销本次导入）")

    worker.progress.connect(on_progress, Qt.QueuedConnection)
    dialog.canceled.connect(worker.cancel)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if worker.isRunning():
        loop.exec()
    worker.wait()
    alive[0] = False
    try:
        worker.progress.disconnect(on_progress)
    except (RuntimeError, TypeError):
        pass
    QCoreApplication.removePostedEvents(dialog)
    dialog.close()
    dialog.deleteLater()
    return worker


# --- the three lists --------------------------------------------------------------------------


def _problem_lines(problems, limit: int) -> list[str]:
    lines = []
    for p in problems[:limit]:
        if len(p.reasons) == 1:
            lines.append(p.text())
        else:
            lines.append(f"{p.where}：")
            lines += [f"    · {r}" for r in p.reasons]
    if len(problems) > limit:
        lines.append(f"……另有 {len(problems) - limit} 行，未全部列出。")
    return lines


class ImportLists(QTabWidget):
    """错误 / 待核实 / 已忽略 / 提示: what the check found, one tab each
    (a tab only when it has something)."""

    def __init__(self, *, problems=None, review=None, ignored=None, notes=None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        from ..services.ledger import MAX_LISTED_PROBLEMS

        self.edits: dict[str, QPlainTextEdit] = {}
        for key, title, lines in (
                ("errors", "错误", _problem_lines(problems or [], MAX_LISTED_PROBLEMS)),
                ("review", "待核实", _problem_lines(review or [], MAX_LISTED_PROBLEMS)),
                ("ignored", "已忽略", list(ignored or [])),
                ("notes", "提示", list(notes or []))):
            if not lines:
                continue
            edit = QPlainTextEdit()
            edit.setReadOnly(True)
            edit.setLineWrapMode(QPlainTextEdit.WidgetWidth)
            edit.setPlainText("\n".join(lines))
            self.edits[key] = edit
            count = len(problems if key == "errors" else review if key == "review" else lines)
            self.addTab(edit, f"{title}（{count}）")
            if key == "review":
                self.tabBar().setTabTextColor(self.count() - 1, QColor(_WARN_FG))
        self.setDocumentMode(True)

    def text(self) -> str:
        parts = []
        for i in range(self.count()):
            parts.append(f"【{self.tabText(i)}】\n{self.widget(i).toPlainText()}")
        return "\n\n".join(parts)


# --- the mapping step -------------------------------------------------------------------------------


class ImportSetupDialog(QDialog):
    """The mapping step: which sheets to import and which of the file's
    columns is which of ours (each header beside a drop-down, with the
    first values), with a preview of the first rows."""

    NOT_IMPORTED = "（不导入）"

    def __init__(self, file_name: str, preview, options=None, parent: QWidget | None = None):
        super().__init__(parent)
        from ..services.ledger import ESSENTIAL_HEADERS, IGNORE, clean_header

        self._ignore = IGNORE
        self._clean = clean_header
        self._essential = ESSENTIAL_HEADERS
        self.preview = preview
        self.setWindowTitle("导入台账：核对表头")
        layout = QVBoxLayout(self)
        heading = QLabel(f"“{file_name}”")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        heading.setFont(font)
        layout.addWidget(heading)
        sheets = self._sheet_choice(layout, preview, options)
        # the columns of the sheet to map
        self.layout_shown = (preview.incomplete or preview.chosen or sheets or preview.layouts)[0]
        lay = self.layout_shown
        intro = QLabel(f"工作表“{lay.name}”的表头在第{'、'.join(str(n) for n in lay.header_rows) or '?'}行。"
                       "请为每一列选择对应的台账列（不需要的选“（不导入）”）。"
                       "同样表头的文件，下次导入时会自动沿用这次的选择。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        samples = lay.rows[:4]
        self.table = self._column_table(lay, samples)
        layout.addWidget(self.table, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("前几行（原样）："))
        self.grid = self._raw_rows(lay, samples)
        layout.addWidget(self.grid, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("检查文件")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(860, 640)
        self._update_state()

    def _sheet_choice(self, layout: QVBoxLayout, preview, options) -> list:
        """A check box per sheet when the file has several; returns the
        sheets that hold anything."""
        sheets = [lay for lay in preview.layouts if lay.rows or lay.header_rows]
        chosen = {lay.name for lay in preview.chosen + preview.incomplete}
        if options is not None and options.sheets:
            chosen = set(options.sheets)
        self.sheet_checks: dict[str, QCheckBox] = {}
        if len(sheets) > 1:
            layout.addWidget(QLabel("文件中有多个工作表，请选择要导入的（每个年度一张表的，可全部导入）："))
            row = QHBoxLayout()
            for lay in sheets:
                box = QCheckBox(f"{lay.name}（{len(lay.rows)}行）" + ("（隐藏）" if lay.hidden else ""))
                box.setChecked(lay.name in chosen)
                box.toggled.connect(self._update_state)
                self.sheet_checks[lay.name] = box
                row.addWidget(box)
            row.addStretch(1)
            layout.addLayout(row)
        return sheets

    def _column_table(self, lay, samples) -> QTableWidget:
        """Each header of the file beside a drop-down of our columns and its
        first values; fills :attr:`combos`."""
        from ..services.ledger import COLUMNS, ESSENTIAL_HEADERS, IGNORE

        self.table = QTableWidget(len(lay.uses), 3)
        self.table.setHorizontalHeaderLabels(["文件中的表头", "对应台账的列", "前几行的内容"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.Fixed)
        hh.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setColumnWidth(1, 150)
        self.combos: list[tuple[str, QComboBox, str]] = []
        targets = [c.header for c in COLUMNS]
        for r, use in enumerate(lay.uses):
            name = use.header or f"（第{use.index + 1}列，无表头）"
            item = QTableWidgetItem(name)
            if use.why and use.column is None:
                item.setToolTip(use.why)
            self.table.setItem(r, 0, item)
            combo = QComboBox()
            combo.addItem(self.NOT_IMPORTED, IGNORE)
            for header in targets:
                combo.addItem(header + ("*" if header in ESSENTIAL_HEADERS else ""), header)
            current = use.column.header if use.column is not None else IGNORE
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.setEnabled(bool(use.header))
            combo.currentIndexChanged.connect(self._update_state)
            self.table.setCellWidget(r, 1, combo)
            self.combos.append((use.header, combo, current))
            values = []
            for _n, cells in samples:
                v = cells[use.index] if use.index < len(cells) else None
                text = v.isoformat()[:10] if isinstance(v, (_dt.date, _dt.datetime)) else ("" if v is None else str(v))
                values.append(text.replace("\n", " ")[:24])
            shown = " ｜ ".join(v for v in values if v)
            if use.column is None and use.why and use.header:
                shown = f"（{use.why.split('；')[0]}）{shown}"
            sample = QTableWidgetItem(shown)
            if use.column is None:
                sample.setForeground(QBrush(QColor("#777777")))
            self.table.setItem(r, 2, sample)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setFocusPolicy(Qt.NoFocus)
        return self.table

    @staticmethod
    def _raw_rows(lay, samples) -> QTableWidget:
        """The first rows as the file has them."""
        width = max((len(c) for _n, c in samples), default=0)
        width = max(width, len(lay.uses))
        grid = QTableWidget(len(samples), width)
        grid.setHorizontalHeaderLabels([u.header or "" for u in lay.uses] + [""] * (width - len(lay.uses)))
        grid.setVerticalHeaderLabels([f"第{n}行" for n, _c in samples])
        grid.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for r, (_n, cells) in enumerate(samples):
            for c, v in enumerate(cells[:width]):
                text = v.isoformat()[:10] if isinstance(v, (_dt.date, _dt.datetime)) else ("" if v is None else str(v))
                grid.setItem(r, c, QTableWidgetItem(text.replace("\n", " ")))
        grid.horizontalHeader().setDefaultSectionSize(110)
        grid.setMaximumHeight(40 + 30 * max(1, len(samples)))
        return grid

    def mapping(self) -> dict[str, str]:
        """The clerk's choices that differ from what was recognised."""
        out = {}
        for header, combo, auto in self.combos:
            if header and combo.currentData() != auto:
                out[self._clean(header)] = combo.currentData()
        return out

    def chosen_targets(self) -> list[str]:
        return [combo.currentData() for header, combo, _a in self.combos
                if header and combo.currentData() != self._ignore]

    def sheets(self) -> list[str] | None:
        if not self.sheet_checks:
            return None
        return [name for name, box in self.sheet_checks.items() if box.isChecked()]

    def problems(self) -> list[str]:
        targets = self.chosen_targets()
        out = []
        missing = [h for h in self._essential if h not in targets]
        if missing:
            out.append(f"还需要为这些必填列选择对应的表头：{'、'.join(missing)}。")
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            out.append(f"“{'、'.join(twice)}”对应了不止一列，请只保留一列。")
        if self.sheet_checks and not self.sheets():
            out.append("请至少选择一个工作表。")
        return out

    def _update_state(self, *_args) -> None:
        problems = self.problems()
        if problems:
            self.status.setText(f"<span style='color:#c62828'>{html.escape(' '.join(problems))}</span>")
        else:
            self.status.setText("<span style='color:#2e7d32'>必填列都已对应。点“检查文件”逐行检查（不会写入）。</span>")
        self.ok_button.setEnabled(not problems)
        for header, combo, _auto in self.combos:
            item = self.table.item(self.combos.index((header, combo, _auto)), 0)
            if item is not None:
                item.setForeground(QBrush(QColor("#888888" if combo.currentData() == self._ignore
                                                 else "#000000")))


def ask_setup(parent, file_name: str, preview, options) -> bool:
    """Show the mapping step; update ``options``; False when cancelled."""
    dialog = ImportSetupDialog(file_name, preview, options, parent)
    if dialog.exec() != QDialog.Accepted:
        return False
    options.mapping = {**options.mapping, **dialog.mapping()}
    options.sheets = dialog.sheets()
    return True


# --- the result dialog --------------------------------------------------------------------


class ImportResultDialog(QDialog):
    """The outcome of an import: the summary with the rows flagged 待核实,
    or every bad row (with the warnings and what was left out), scrollable,
    selectable, with a copy button."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, file_name: str, *, summary=None, problems=None, error: str | None = None,
                 review=None, ignored=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入台账")
        self.setMinimumWidth(560)
        self.wants_review = False
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        icon = QLabel()
        style = self.style()
        kind = QStyle.SP_MessageBoxInformation if summary is not None else QStyle.SP_MessageBoxWarning
        icon.setPixmap(style.standardIcon(kind).pixmap(40, 40))
        icon.setAlignment(Qt.AlignTop)
        head.addWidget(icon)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        self.heading.setFont(font)
        head.addWidget(self.heading, 1)
        layout.addLayout(head)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.detail)

        if summary is not None:
            review, ignored, notes = summary.review, summary.ignored, summary.warnings
        else:
            notes = []
        self.lists = ImportLists(problems=problems, review=review, ignored=ignored, notes=notes)
        layout.addWidget(self.lists, 1)
        #: the main list: the errors, or the rows flagged 待核实
        self.list = self.lists.edits.get("errors") or self.lists.edits.get("review") or QPlainTextEdit()

        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        self.copy_button = QPushButton("复制清单")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.review_button = QPushButton("查看待核实的申请")
        self.review_button.setToolTip("在申请台账中只显示待核实的申请")
        self.review_button.clicked.connect(self._show_review)
        buttons.addButton(self.review_button, QDialogButtonBox.ActionRole)
        self.review_button.hide()
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

        if problems is not None:
            self.heading.setText(f"“{file_name}”有 {len(problems)} 行有误，没有导入任何数据。")
            self.detail.setText("请在文件中改正“错误”中的各行（行号与 Excel 中看到的一致），保存后重新导入。"
                                "“待核实”中的行不会阻止导入：它们会照原样导入并标为待核实。")
            self.resize(760, 500)
        elif error is not None:
            self.heading.setText("导入没有完成，没有写入任何数据。")
            self.detail.setText(error)
            self.lists.hide()
            self.copy_button.hide()
        else:
            self.heading.setText(summary.text())
            self.detail.setText(f"来自“{file_name}”。" + (
                "已在导入前自动备份数据库，如需撤销可在“数据备份”页恢复导入前的备份。"
                if summary.added or summary.updated else "台账没有任何变化。"))
            if summary.review:
                self.review_button.show()
                self.lists.setCurrentWidget(self.lists.edits["review"])
            if self.lists.count():
                self.resize(720, 440)
            else:
                self.lists.hide()
                self.copy_button.hide()

    def _show_review(self) -> None:
        self.wants_review = True
        self.accept()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.heading.text() + "\n" + self.lists.text())


# --- the actions (FILE_ACTIONS) -------------------------------------------------------------


def import_ledger_action(context, window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "导入台账", _start_dir(), LEDGER_FILTER)
    if not path:
        return
    _remember(path)
    dialog = run_import(context, window, Path(path))
    if dialog is not None and dialog.wants_review and window is not None:
        page = window.register_page() if hasattr(window, "register_page") else None
        if page is not None and hasattr(page, "show_needs_review"):
            page.show_needs_review()


class ImportConfirmDialog(QDialog):
    """Before writing: what the import will add, update and flag, with the
    lists of 待核实 rows and of rows and columns left out."""

    def __init__(self, file_name: str, summary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入台账")
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"“{file_name}”检查无误，共 {summary.total} 行。")
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        lines = [f"将新增 {summary.added} 件申请，更新 {summary.updated} 件已有申请"
                 + (f"，{summary.unchanged} 件没有变化。" if summary.unchanged else "。")]
        if summary.flagged:
            lines.append(f"<span style='color:{_WARN_FG}'>其中 {summary.flagged} 件有存疑的内容，"
                         "将照原样导入并标为“待核实”，导入后可在台账中筛选出来逐件核对。</span>")
        if len(summary.sheets) > 1:
            lines.append(f"导入的工作表：{'、'.join(html.escape(s) for s in summary.sheets)}。")
        lines.append("导入前会自动备份数据库，如有需要可在“数据备份”页恢复。")
        self.text = QLabel("<br>".join(lines))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        layout.addWidget(self.text)
        self.lists = ImportLists(review=summary.review, ignored=summary.ignored, notes=summary.warnings)
        layout.addWidget(self.lists, 1)
        if not self.lists.count():
            self.lists.hide()
        buttons = QDialogButtonBox()
        self.go = buttons.addButton("导入", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.go.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 460 if self.lists.count() else 200)


def confirm_import(parent, file_name: str, summary) -> bool:
    """Ask before writing: what the import will add, update and flag."""
    return ImportConfirmDialog(file_name, summary, parent).exec() == QDialog.Accepted


def run_import(context, parent, path: Path) -> ImportResultDialog | None:
    """Read the file (the mapping step when needed), check it, confirm
    what it will change, import it, and show the result."""
    options = ledger.ImportOptions()
    worker = run_worker(LedgerWorker(context.db_path, "inspect", path, options=options), parent, "导入台账")
    if worker.was_cancelled:
        return None
    preview = worker.preview
    if preview is not None and (preview.needs_mapping or len(preview.chosen) > 1):
        if not ask_setup(parent, path.name, preview, options):
            return None
    while True:
        worker = run_worker(LedgerWorker(context.db_path, "check", path, options=options), parent, "导入台账")
        if worker.was_cancelled:
            QMessageBox.information(parent, "导入台账", "已取消导入，没有写入任何数据。")
            return None
        if worker.preview is not None and worker.error:  # still a column to map
            if not ask_setup(parent, path.name, worker.preview, options):
                return None
            continue
        break
    checked = worker.summary
    if checked is not None and (checked.added or checked.updated):
        if not confirm_import(parent, path.name, checked):
            return None
        worker = run_worker(LedgerWorker(context.db_path, "import", path, options=options), parent, "导入台账")
        if worker.was_cancelled:
            QMessageBox.information(parent, "导入台账", "已取消导入，没有写入任何数据。")
            return None
    dialog = ImportResultDialog(path.name, summary=worker.summary, problems=worker.problems,
                                error=worker.error, review=worker.review, ignored=worker.ignored, parent=parent)
    summary = worker.summary
    if worker.job == "import" and summary is not None:
        if options.mapping and preview is not None:
            try:
                ledger.remember_mapping(context.session, preview, options.mapping)
            except Exception:  # a convenience: logged; the import is done
                log.exception("remembering the column mapping failed")
        if summary.added or summary.updated:
            context.notify_changed()
    dialog.exec()
    return dialog


# --- 待核实 in the detail pane ----------------------------------------------------------------


class ReviewSection(QWidget):
    """待核实: why an imported application needs checking, and 已核实 for
    the clerk who has checked it (the values are then kept as they are).
    The section shows only for a flagged application."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.resolve_button = QPushButton("已核实，取消标记")
        self.resolve_button.setToolTip("核对过申请材料、确认现有内容无误（或已在“编辑”中改正）后点此。"
                                       "改正有问题的内容后，标记也会自动消除。")
        self.resolve_button.clicked.connect(self.resolve)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(self.resolve_button)
        row.addStretch(1)
        layout.addLayout(row)
        context.data_changed.connect(self.refresh)

    def set_application(self, app_id: int | None) -> None:
        self.app_id = app_id
        self.refresh()

    def _frame(self) -> QWidget | None:
        from .widgets import CollapsibleSection

        w = self.parentWidget()
        while w is not None and not isinstance(w, CollapsibleSection):
            w = w.parentWidget()
        return w

    def refresh(self) -> None:
        reasons: dict[str, str] = {}
        if self.app_id is not None:
            try:
                reasons = dict(applications.get(self.context.session, self.app_id).review_reasons)
            except NotFoundError:
                reasons = {}
        items = "".join(f"<li>{html.escape(r)}</li>" for r in reasons.values())
        self.label.setText(f"<span style='color:{_WARN_FG}'>导入时发现以下内容可能有误，请与申请材料核对：</span>"
                           f"<ul style='margin-left:-20px'>{items}</ul>" if reasons else "")
        frame = self._frame()
        if frame is not None:
            frame.setVisible(bool(reasons))

    def resolve(self) -> None:
        if self.app_id is None:
            return
        if applications.resolve_review(self.context.session, self.app_id):
            self.context.notify_changed()


class ExportPurposeDialog(QDialog):
    """Asks whether the export is for sharing (masked) or for moving the
    register (full); sharing is the default."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导出台账")
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        heading = QLabel("导出的台账作什么用？")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        heading.setFont(font)
        layout.addWidget(heading)
        layout.addSpacing(4)
        self.shared = QRadioButton("对外提供（报送、共享给其他部门）")
        self.full = QRadioButton("迁移或留存台账（完整信息）")
        self.shared.setChecked(True)
        notes = {
            self.shared: "证件号码和联系电话将被遮盖，如 430112********1234、138****5678。",
            self.full: "包含申请人完整的证件号码和电话，可导入另一台电脑的本程序。请妥善保管，不要外传。",
        }
        for radio in (self.shared, self.full):
            layout.addWidget(radio)
            note = QLabel(notes[radio])
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            note.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("选择保存位置…")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @property
    def mask(self) -> bool:
        return self.shared.isChecked()


def ask_export_purpose(parent) -> bool | None:
    """True for a masked export, False for a full one, None when cancelled."""
    dialog = ExportPurposeDialog(parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.mask


def export_ledger_action(context, window) -> None:
    mask = ask_export_purpose(window)
    if mask is None:
        return
    name = f"申请台账{'（对外）' if mask else ''}-{_dt.date.today():%Y%m%d}.xlsx"
    path, selected = QFileDialog.getSaveFileName(
        window, "导出台账", str(Path(_start_dir()) / name), ";;".join(SAVE_FILTERS))
    if not path:
        return
    _remember(path)
    run_export(context, window, _with_suffix(path, selected), mask=mask)


def run_export(context, parent, path: Path, *, mask: bool) -> LedgerWorker:
    worker = run_worker(LedgerWorker(context.db_path, "export", path, mask=mask), parent, "导出台账")
    if worker.was_cancelled:
        QMessageBox.information(parent, "导出台账", "已取消导出，没有生成文件（原有同名文件保持不变）。")
    elif worker.error:
        QMessageBox.warning(parent, "导出台账", worker.error + "\n原有文件（如有）没有被改动。")
    else:
        note = "证件号码和联系电话已遮盖。" if mask else "文件含完整的个人信息，请妥善保管。"
        QMessageBox.information(parent, "导出台账", f"已导出 {worker.summary} 件申请到：\n{path}\n\n{note}")
    return worker


def template_action(context, window) -> None:
    default = str(Path(_start_dir()) / "政府信息公开申请台账导入模板.xlsx")
    path, selected = QFileDialog.getSaveFileName(window, "下载导入模板", default, ";;".join(SAVE_FILTERS))
    if not path:
        return
    _remember(path)
    target = _with_suffix(path, selected)
    try:
        ledger.write_template(target)
    except (ledger.LedgerFileError, OSError) as exc:
        message = (str(exc) if isinstance(exc, ledger.LedgerFileError)
                   else f"无法写入“{target}”：{exc.strerror or exc}。")
        QMessageBox.warning(window, "下载导入模板", message)
        return
    QMessageBox.information(
        window, "下载导入模板",
        f"已保存导入模板：\n{target}\n\n按模板填写后，用“文件 → 导入台账…”导入。"
        + ("第二个工作表“填写说明”列出了每一列的要求和可填写的值。" if target.suffix == ".xlsx" else ""))
