"""文件 menu: 导入台账…, 导出台账…, 下载导入模板….

The work is :mod:`desktop_app.ledger`; here are the dialogs.  Import and
export run in a worker thread that opens its own database connection
(a sqlite3 connection stays in the thread that made it), with a progress
dialog; the GUI stays responsive and the import can be cancelled (nothing
is written then).
"""

from __future__ import annotations

import datetime as _dt
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QStandardPaths, Qt, QThread, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit,
    QProgressDialog, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QStyle, QVBoxLayout,
    QWidget,
)

from ..storage.database import DatabaseOpenError, connect
from ..storage.register import Register

log = logging.getLogger(__name__)

LEDGER_FILTER = "台账文件 (*.xlsx *.csv);;Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"
SAVE_FILTERS = ["Excel 工作簿 (*.xlsx)", "CSV 文件，UTF-8 (*.csv)"]

_STAGE_TEXT = {
    "check": "正在检查第 {done} / {total} 行…",
    "backup": "文件检查无误，正在备份数据库…",
    "write": "正在写入第 {done} / {total} 件…",
    "export": "正在导出第 {done} / {total} 件…",
}

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
    """Runs an import or an export with its own connection to the
    database; results are left in attributes and ``done`` is emitted."""

    progress = Signal(str, int, int)

    def __init__(self, db_path, job: str, file_path, *, mask: bool = False,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.job = job
        self.file_path = Path(file_path)
        self.mask = mask
        self.cancelled = False
        self.summary = None         # ImportSummary, or the count exported
        self.problems = None        # list[RowProblem]
        self.error: str | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def _progress(self, stage: str, done: int, total: int) -> bool:
        self.progress.emit(stage, done, total)
        return not self.cancelled

    def run(self) -> None:
        from ..ledger import (
            ExportCancelled, ImportCancelled, LedgerFileError, LedgerImportError, check_ledger, export_ledger,
            import_ledger,
        )

        db = None
        try:
            db = connect(self.db_path, create=False)
            register = Register(db)
            if self.job == "check":
                self.summary = check_ledger(register, self.file_path, progress=self._progress)
            elif self.job == "import":
                self.summary = import_ledger(register, self.file_path, progress=self._progress)
            else:
                self.summary = export_ledger(
                    register, self.file_path, mask=self.mask,
                    progress=lambda done, total: self._progress("export", done, total))
        except LedgerImportError as exc:
            self.problems = exc.problems
        except (ImportCancelled, ExportCancelled):
            self.was_cancelled = True
        except (LedgerFileError, DatabaseOpenError) as exc:
            self.error = str(exc)
        except OSError as exc:
            self.error = (f"无法{'读取' if self.job == 'import' else '写入'}“{self.file_path}”："
                          f"{exc.strerror or exc}。如果文件正在 Excel 中打开，请先关闭它后再试。")
        except Exception as exc:  # noqa: BLE001 - reported in a dialog, never a crash
            log.exception("ledger %s failed", self.job)
            self.error = f"{'导入' if self.job == 'import' else '导出'}时发生意外错误：{exc}。没有写入任何数据。"
        finally:
            if db is not None:
                db.conn.close()


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
        if stage == "backup":
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
        if stage != "check" and worker.job == "import":
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


# --- the result dialog --------------------------------------------------------------------


class ImportResultDialog(QDialog):
    """The outcome of an import: the summary, or every bad row (scrollable,
    selectable, with a copy button)."""

    def __init__(self, file_name: str, *, summary=None, problems=None, error: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入台账")
        self.setMinimumWidth(560)
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
        self.list = QPlainTextEdit()
        self.list.setReadOnly(True)
        self.list.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        layout.addWidget(self.list, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        self.copy_button = QPushButton("复制错误清单")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

        if problems is not None:
            from ..ledger.importer import MAX_LISTED_PROBLEMS

            self.heading.setText(f"“{file_name}”有 {len(problems)} 行有误，没有导入任何数据。")
            self.detail.setText("请在文件中改正下列各行（行号与 Excel 中看到的一致，表头为第1行），"
                                "保存后重新导入。")
            lines = []
            for p in problems[:MAX_LISTED_PROBLEMS]:
                if len(p.reasons) == 1:
                    lines.append(p.text())
                else:
                    lines.append(f"第{p.row}行：")
                    lines += [f"    · {r}" for r in p.reasons]
            if len(problems) > MAX_LISTED_PROBLEMS:
                lines.append(f"……另有 {len(problems) - MAX_LISTED_PROBLEMS} 行有误，未全部列出。")
            self.list.setPlainText("\n".join(lines))
            self.resize(720, 460)
        elif error is not None:
            self.heading.setText("导入没有完成，没有写入任何数据。")
            self.detail.setText(error)
            self.list.hide()
            self.copy_button.hide()
        else:
            self.heading.setText(summary.text())
            self.detail.setText(f"来自“{file_name}”。" + (
                "已在导入前自动备份数据库，如需撤销可在“数据备份”页恢复导入前的备份。"
                if summary.added or summary.updated else "台账没有任何变化。"))
            if summary.warnings:
                self.list.setPlainText("\n".join("提示：" + w for w in summary.warnings))
                self.list.setMaximumHeight(90)
            else:
                self.list.hide()
            self.copy_button.hide()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.heading.text() + "\n" + self.list.toPlainText())


# --- the actions (FILE_ACTIONS) -------------------------------------------------------------


def import_ledger_action(context, window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "导入台账", _start_dir(), LEDGER_FILTER)
    if not path:
        return
    _remember(path)
    run_import(context, window, Path(path))


def confirm_import(parent, file_name: str, summary) -> bool:
    """Ask before writing: what the import will add and update."""
    box = QMessageBox(parent)
    box.setWindowTitle("导入台账")
    box.setIcon(QMessageBox.Question)
    box.setText(f"“{file_name}”检查无误，共 {summary.total} 行。")
    lines = [f"将新增 {summary.added} 件申请，更新 {summary.updated} 件已有申请"
             + (f"，{summary.unchanged} 件没有变化。" if summary.unchanged else "。"),
             "导入前会自动备份数据库，如有需要可在“数据备份”页恢复。"]
    lines += ["提示：" + w for w in summary.warnings]
    box.setInformativeText("\n".join(lines))
    grid = box.layout()  # a little wider than QMessageBox's default, so lines do not wrap
    grid.addItem(QSpacerItem(480, 0, QSizePolicy.Minimum, QSizePolicy.Expanding),
                 grid.rowCount(), 0, 1, grid.columnCount())
    go = box.addButton("导入", QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go


def run_import(context, parent, path: Path) -> ImportResultDialog | None:
    """Check the file, confirm what it will change, import it, and show
    the result (every bad row, or the summary)."""
    worker = run_worker(LedgerWorker(context.db_path, "check", path), parent, "导入台账")
    if worker.was_cancelled:
        QMessageBox.information(parent, "导入台账", "已取消导入，没有写入任何数据。")
        return None
    checked = worker.summary
    if checked is not None and (checked.added or checked.updated):
        if not confirm_import(parent, path.name, checked):
            return None
        worker = run_worker(LedgerWorker(context.db_path, "import", path), parent, "导入台账")
        if worker.was_cancelled:
            QMessageBox.information(parent, "导入台账", "已取消导入，没有写入任何数据。")
            return None
    dialog = ImportResultDialog(path.name, summary=worker.summary, problems=worker.problems,
                                error=worker.error, parent=parent)
    summary = worker.summary
    if worker.job == "import" and summary is not None and (summary.added or summary.updated):
        context.notify_changed()
    dialog.exec()
    return dialog


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
    from ..ledger import LedgerFileError, write_template

    default = str(Path(_start_dir()) / "政府信息公开申请台账导入模板.xlsx")
    path, selected = QFileDialog.getSaveFileName(window, "下载导入模板", default, ";;".join(SAVE_FILTERS))
    if not path:
        return
    _remember(path)
    target = _with_suffix(path, selected)
    try:
        write_template(target)
    except (LedgerFileError, OSError) as exc:
        message = str(exc) if isinstance(exc, LedgerFileError) else f"无法写入“{target}”：{exc.strerror or exc}。"
        QMessageBox.warning(window, "下载导入模板", message)
        return
    QMessageBox.information(
        window, "下载导入模板",
        f"已保存导入模板：\n{target}\n\n按模板填写后，用“文件 → 导入台账…”导入。"
        + ("第二个工作表“填写说明”列出了每一列的要求和可填写的值。" if target.suffix == ".xlsx" else ""))
