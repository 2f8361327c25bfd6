"""首次使用向导: three short pages on the first start of an empty register.

1. 机关信息 — the agency's name, its kind and its reviewing body for
   reconsideration (printed on every reply notice), the 文号 prefix and the
   numbering of new applications, each with a live example;
2. 已有台账 — import the ledger kept so far (the ordinary 导入台账) or start
   with an empty register;
3. 数据保存位置 — where the database and its backups are, and that a backup
   is made every day.

It is offered once (``services.first_start.should_offer_guide``); 完成 or
跳过 both record that, so it never asks again.  帮助 → 首次使用向导… and the
button in 设置 open it again at any time.
"""

from __future__ import annotations

import datetime as _dt
import logging

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..domain import doc_numbers, serials
from ..domain.remedies import AgencyKind
from ..services import applications, backups, first_start
from .widgets import ERROR_COLOR, ErrorLabel, mark_invalid

log = logging.getLogger(__name__)

HINT_STYLE = "color: #666;"


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def _stack(*widgets: QWidget) -> QWidget:
    """A field with its hints under it (one form row: no gaps from wrapped labels)."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 4)
    box.setSpacing(2)
    for w in widgets:
        box.addWidget(w)
    return holder


#: (setting, label, example) of the reviewing bodies a reply may name.
BODY_FIELDS = (
    ("own_government", "本级人民政府", "长沙市望城区人民政府"),
    ("higher_department", "上一级主管部门", "国家税务总局长沙市税务局"),
    ("higher_government", "上一级人民政府", "长沙市人民政府"),
)
#: The bodies each kind fills in (as 设置 → 文书 shows them).
KIND_BODIES = {"": (), "department": ("own_government", "higher_department"),
               "vertical": ("higher_department",), "government": ("higher_government",),
               "justice": ("own_government", "higher_department")}
KIND_HINTS = {
    "": "答复告知书要写明申请人可向哪个机关申请行政复议。选择本机关的类别后填写该机关的全称；也可以以后在“设置 → 文书”中填写。",
    "department": "县级以上地方人民政府工作部门：向本级人民政府申请行政复议（行政复议法第二十四条）。"
                  "上一级主管部门只在重印2024年以前的答复时需要，可以留空。",
    "vertical": "实行垂直领导的机关：向上一级主管部门申请行政复议（行政复议法第二十七条）。",
    "government": "人民政府：向上一级人民政府申请行政复议（行政复议法第二十四条）。",
    "justice": "履行行政复议机构职责的司法行政部门：可向本级人民政府或者上一级司法行政部门申请行政复议"
               "（行政复议法第二十八条）。",
}


class AgencyPage(QWizardPage):
    """机关信息."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setTitle("第一步：机关信息")
        self.setSubTitle("这些内容会印在告知书、回执和年度报告上，以后可在“文件 → 设置”中修改。")
        values = first_start.profile(context.session)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)

        self.name_edit = QLineEdit(values["agency_name"])
        self.name_edit.setPlaceholderText("如：长沙市望城区人民政府办公室")
        self.name_error = ErrorLabel()
        form.addRow(self._label("机关名称", self.name_edit, required=True), _stack(self.name_edit, self.name_error))

        # 机关类别 and the bodies its replies name (services.settings.set_agency_profile)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("（请选择本机关的类别）", "")
        for kind in AgencyKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(values["agency_kind"])))
        self.kind_combo.setMinimumContentsLength(20)
        self.kind_hint = _hint()
        self.kind_error = ErrorLabel()
        form.addRow(self._label("机关类别", self.kind_combo), _stack(self.kind_combo, self.kind_hint, self.kind_error))
        self.body_edits: dict[str, QLineEdit] = {}
        for key, label, example in BODY_FIELDS:
            edit = QLineEdit(values[key])
            edit.setPlaceholderText(f"全称，如：{example}")
            form.addRow(self._label(label, edit), edit)
            self.body_edits[key] = edit
        self._form = form

        self.prefix_edit = QLineEdit(values["doc_number_prefix"])
        self.prefix_edit.setPlaceholderText("如：望政公开")
        self.prefix_example = _hint()
        form.addRow(self._label("文号前缀", self.prefix_edit), _stack(self.prefix_edit, self.prefix_example))

        self.serial_edit = QLineEdit(values[serials.SETTING_PATTERN])
        self.serial_edit.setPlaceholderText(f"留空即 {serials.DEFAULT_PATTERN}；如：望政依申〔{{年}}〕{{序号}}号")
        self.serial_edit.setToolTip(
            "{年}：收到申请的年份（{年:2} 为两位年份）；{序号}：当年的序号（{序号:04} 补足4位，如 0001）。")
        self.serial_example = _hint()
        self.serial_error = ErrorLabel()
        form.addRow(self._label("申请编号格式", self.serial_edit),
                    _stack(self.serial_edit, self.serial_example, self.serial_error))

        self.kind_combo.currentIndexChanged.connect(self._update_kind)
        self.prefix_edit.textChanged.connect(self._update_prefix_example)
        self.serial_edit.textChanged.connect(self._update_serial_example)
        self.name_edit.textChanged.connect(self.completeChanged)
        self._update_kind()
        self._update_prefix_example()
        self._update_serial_example()

    @staticmethod
    def _label(text: str, buddy: QWidget, required: bool = False) -> QLabel:
        label = QLabel(f"{text}<span style='color:{ERROR_COLOR}'>*</span>：" if required else f"{text}：")
        label.setBuddy(buddy)
        return label

    def values(self) -> dict[str, str]:
        return {
            "agency_name": self.name_edit.text().strip(),
            "agency_kind": self.kind_combo.currentData() or "",
            **{key: edit.text().strip() for key, edit in self.body_edits.items()},
            "doc_number_prefix": self.prefix_edit.text().strip(),
            serials.SETTING_PATTERN: self.serial_edit.text().strip(),
        }

    def _update_kind(self, *_args) -> None:
        """The bodies this kind of agency names in its replies (the others hidden)."""
        kind = self.kind_combo.currentData() or ""
        self.kind_hint.setText(KIND_HINTS[kind])
        for key, edit in self.body_edits.items():
            self._form.setRowVisible(edit, key in KIND_BODIES[kind])

    def _update_prefix_example(self, *_args) -> None:
        prefix = self.prefix_edit.text().strip() or "望政公开"
        pattern = self.context.settings().get(doc_numbers.SETTING_PATTERN)
        year = _dt.date.today().year
        try:
            example = doc_numbers.format_doc_number(pattern, prefix, year, 12)
        except doc_numbers.PatternError:
            example = doc_numbers.format_doc_number(None, prefix, year, 12)
        self.prefix_example.setText(f"告知书的文号形如：{example}")

    def _update_serial_example(self, *_args) -> None:
        text = self.serial_edit.text().strip()
        year = _dt.date.today().year
        try:
            example = serials.example(text, year)
            upcoming = applications.next_serial(self.context.session, year, text or serials.DEFAULT_PATTERN)
        except serials.PatternError as exc:
            self.serial_example.setText("")
            self.serial_error.show_message(str(exc))
            mark_invalid(self.serial_edit, True)
            return
        self.serial_error.show_message(None)
        mark_invalid(self.serial_edit, False)
        self.serial_example.setText(f"新申请编号形如：{example}；今年第一件将是：{upcoming}")

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.name_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        """Save the details when the clerk goes on (nothing is saved on 跳过)."""
        values = self.values()
        try:
            first_start.save_profile(self.context.session, values)
        except first_start.ProfileError as exc:
            if exc.field == "agency_name":
                self.name_error.show_message(str(exc))
                self.name_edit.setFocus()
            elif exc.field == "agency_kind":
                self.kind_error.show_message(str(exc))
                self.kind_combo.setFocus()
            else:
                self.serial_error.show_message(str(exc))
                self.serial_edit.setFocus()
            return False
        self.name_error.show_message(None)
        self.kind_error.show_message(None)
        self.context.notify_changed()
        return True


class LedgerPage(QWizardPage):
    """已有台账: import it after the guide, or start empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("第二步：已有台账")
        self.setSubTitle("以前在 Excel 或 WPS 表格中登记过申请，可以一次导入，之后在本程序中接着办理。")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.import_radio = QRadioButton("导入已有台账（Excel 或 CSV 文件）")
        self.empty_radio = QRadioButton("从空台账开始，逐件登记新申请")
        group = QButtonGroup(self)
        group.addButton(self.import_radio)
        group.addButton(self.empty_radio)
        self.empty_radio.setChecked(True)
        layout.addWidget(self.import_radio)
        layout.addWidget(_hint("点击“完成”后选择台账文件。程序先逐行检查，列出有问题和存疑的行，"
                               "确认后才写入；导入前自动备份。列名与本程序不同也可以手动对应。"
                               "不清楚格式可先用“文件 → 下载导入模板”。"))
        layout.addSpacing(6)
        layout.addWidget(self.empty_radio)
        layout.addWidget(_hint("以后随时可以用“文件 → 导入台账”导入。"))
        layout.addStretch(1)

    def wants_import(self) -> bool:
        return self.import_radio.isChecked()


class StoragePage(QWizardPage):
    """数据保存位置."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle("第三步：数据保存在哪里")
        self.setSubTitle("全部数据只保存在本机，不需要联网。")
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setVerticalSpacing(10)
        db_path = context.db_path
        try:
            backup_folder = backups.backup_dir(context.session)
        except Exception:  # noqa: BLE001 - the page still opens; the folder is shown as unknown
            log.exception("backup folder unknown")
            backup_folder = None
        self.database_label = self._path_row(form, "数据库", str(db_path), str(db_path.parent))
        self.backup_label = self._path_row(
            form, "备份文件夹", str(backup_folder) if backup_folder else "（无法读取）",
            str(backup_folder) if backup_folder else None)
        outer.insertSpacing(1, 10)
        outer.insertWidget(2, _hint("每天第一次打开程序时自动备份一次，导入台账和恢复前也会先备份。"
                                    "建议在“数据备份”页把备份文件夹改到U盘或另一块硬盘，"
                                    "并定期把备份文件复制到单位的存档位置。\n"
                                    "这些位置也可以在“帮助 → 关于”中查看。"))

    def _path_row(self, form: QFormLayout, label: str, text: str, folder: str | None) -> QLabel:
        value = QLabel(text)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(value, 1)
        if folder:
            button = QPushButton("打开")
            button.setToolTip(f"在文件管理器中打开 {folder}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=folder: QDesktopServices.openUrl(QUrl.fromLocalFile(f)))
            row.addWidget(button, 0, Qt.AlignTop)
        form.addRow(f"{label}：", row)
        return value


class FirstStartGuide(QWizard):
    """The guide; :attr:`wants_import` after 完成 says to start the import."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("首次使用向导")
        self.setWizardStyle(QWizard.ModernStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.NextButton, "下一步")
        self.setButtonText(QWizard.BackButton, "上一步")
        self.setButtonText(QWizard.FinishButton, "完成")
        self.setButtonText(QWizard.CancelButton, "跳过向导")
        self.button(QWizard.CancelButton).setToolTip("以后不再自动打开；可从“帮助 → 首次使用向导”再次打开")
        self.agency_page = AgencyPage(context, self)
        self.ledger_page = LedgerPage(self)
        self.storage_page = StoragePage(context, self)
        for page in (self.agency_page, self.ledger_page, self.storage_page):
            self.addPage(page)
        self.wants_import = False
        self.resize(720, 560)

    def accept(self) -> None:
        self.wants_import = self.ledger_page.wants_import()
        first_start.finish_guide(self.context.session)
        super().accept()

    def reject(self) -> None:
        if not first_start.guide_state(self.context.session):
            first_start.finish_guide(self.context.session, skipped=True)
        super().reject()


def run_guide(context, window) -> bool:
    """Show the guide over ``window``; after 完成 with 导入已有台账, start the
    import.  True when the guide was finished."""
    guide = FirstStartGuide(context, window)
    finished = bool(guide.exec())
    wants_import = guide.wants_import
    guide.deleteLater()
    if finished and wants_import:
        from .ledger_actions import import_ledger_action

        import_ledger_action(context, window)
    if finished and window is not None and hasattr(window, "register_page"):
        window.register_page()  # land on the register with its next step
    return finished


#: While another modal dialog is open at start-up (a message about the
#: previous session, the start-up password), the guide waits this long and looks again.
RETRY_MS = 300


def first_start_hook(context, window) -> None:
    """Start-up hook: offer the guide on the first start of an empty
    register, from the event loop (the other start-up hooks are not kept
    waiting) and after any start-up message has been answered."""
    if not first_start.should_offer_guide(context.session, context.db_path):
        return

    def offer() -> None:
        from PySide6.QtWidgets import QApplication

        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(RETRY_MS, offer)
            return
        if first_start.should_offer_guide(context.session, context.db_path):
            run_guide(context, window)

    QTimer.singleShot(0, offer)


def guide_action(context, window) -> None:
    """帮助 → 首次使用向导…"""
    run_guide(context, window)
