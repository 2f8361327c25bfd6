"""按月录入: the section 二 figures that come from other systems (行政许可、
行政处罚、行政强制 decisions, 行政事业性收费), month by month with each
field's source.  Thin over :func:`desktop_app.services.items.save_figure`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ..domain import report_model as rm
from ..domain import report_stats as rs
from ..services import items
from ..services.errors import ValidationError

FIELDS = list(items.FIGURE_FIELDS)


class FiguresDialog(QDialog):
    def __init__(self, context, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.year = year
        self.setWindowTitle(f"{year}年第二部分数字按月录入")
        intro = QLabel("逐月填写从政务服务、执法办案、财政非税等系统统计的数字，并写明来源；"
                       "留空的月份不计。已填写全年数的项目不能再按月填写（请先在第二部分中清空全年数）。")
        intro.setWordWrap(True)
        self.table = QTableWidget(12, len(FIELDS))
        self.table.setHorizontalHeaderLabels([rs.SECTION2_FIELDS[f][0] + ("（万元）" if f in rs.SECTION2_AMOUNT_FIELDS
                                                                         else "（件）") for f in FIELDS])
        self.table.setVerticalHeaderLabels([f"{m}月" for m in range(1, 13)])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.sources: dict[str, QLineEdit] = {}
        form = QFormLayout()
        existing = items.figures(context.session, year)
        for f in FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText("如：区政务服务平台统计")
            self.sources[f] = edit
            form.addRow(f"{rs.SECTION2_FIELDS[f][0]}的来源：", edit)
        for fig in existing:
            if fig.field in FIELDS and fig.month:
                col = FIELDS.index(fig.field)
                text = rm.format_amount(fig.value) if fig.field in rs.SECTION2_AMOUNT_FIELDS else str(int(fig.value))
                self.table.setItem(fig.month - 1, col, QTableWidgetItem(text))
                self.sources[fig.field].setText(fig.source)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.import_button = buttons.addButton("从表格导入…", QDialogButtonBox.ActionRole)
        self.import_button.setToolTip("表格每行一个月（或全年）：年份、月份、行政许可、行政处罚、行政强制、收费金额（万元）、来源")
        self.import_button.clicked.connect(self.import_dialog)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def import_dialog(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from ..services.errors import ServiceError
        from ..services.items import LedgerFileError

        path, _ = QFileDialog.getOpenFileName(self, "导入第二部分数字", str(Path.home()),
                                              "表格文件 (*.xlsx *.xls *.csv)")
        if not path:
            return
        try:
            n = items.import_figures(self.context.session, path)
        except (ServiceError, LedgerFileError) as exc:
            QMessageBox.warning(self, "无法导入", str(exc))
            return
        self.context.notify_changed()
        QMessageBox.information(self, "已导入", f"已录入 {n} 个数字。")
        self.accept()

    def entries(self) -> list[tuple[str, int, str | None]]:
        """(field, month, value or None) of every cell of the table."""
        out = []
        for col, f in enumerate(FIELDS):
            for m in range(1, 13):
                cell = self.table.item(m - 1, col)
                out.append((f, m, (cell.text().strip() if cell else "") or None))
        return out

    def save(self) -> bool:
        from ..services import year_lock
        from .published_check import ask_unlock

        entries = self.entries()
        changes = items.figure_changes(self.context.session, self.year, [(m, f, v) for f, m, v in entries])
        # Only a save that would change a figure needs the year unlocked; unchanged figures
        # (or a new source alone) are saved without asking, and an unchanged save writes nothing.
        if changes and year_lock.is_locked(self.context.session, self.year) and not ask_unlock(
                self.context, self, year_lock.YearLockedError([self.year], "修改第二部分的数字")):
            return False
        problems = []
        failed: set[str] = set()
        for f, m, value in entries:
            if f in failed:
                continue
            try:
                items.save_figure(self.context.session, self.year, m, f, value, self.sources[f].text())
            except ValidationError as exc:
                problems.append(f"{m}月{rs.SECTION2_FIELDS[f][0]}：" + "；".join(exc.errors.values()))
                failed.add(f)
        if problems:
            self.error.setText("部分数字未保存：" + "\n".join(problems))
            return False
        self.context.notify_changed()
        self.accept()
        return True


__all__ = ["FiguresDialog"]
