"""设置: one tab per ``SETTINGS_TABS`` entry.  Every tab is validated
before any is saved; the first problem is shown on its tab."""

from __future__ import annotations

import datetime as _dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QTabWidget,
    QVBoxLayout, QWidget,
)

from ..domain import doc_numbers, serials
from ..domain.validation import phone_error, postcode_error
from ..services import applications
from ..services.settings import update_settings
from .widgets import ERROR_COLOR, ErrorLabel, PlaceholderPage, load_feature, mark_invalid

log = logging.getLogger(__name__)


class AgencySettingsTab(QWidget):
    """机关信息: the agency's name and contact details printed on every
    notice and on the annual report, the document-number prefix and the
    clerk's name."""

    #: (setting key, label, placeholder, required)
    FIELDS = [
        ("agency_name", "机关名称", "如：望城区人民政府办公室", True),
        ("disclosure_office", "公开工作机构", "如：望城区人民政府办公室政务公开科", False),
        ("agency_address", "地址", "用于文书落款与回执", False),
        ("agency_postcode", "邮编", "6位数字", False),
        ("agency_phone", "电话", "如 0731-88888888", False),
        ("doc_number_prefix", "文号前缀", "如：望政公开", False),
        ("clerk_name", "经办人", "默认经办人姓名", False),
        ("serial_pattern", "申请编号格式", f"默认 {serials.DEFAULT_PATTERN}，如 望政依申〔{{年}}〕{{序号}}号", False),
    ]

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        settings = context.settings()
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setContentsMargins(16, 16, 16, 16)
        form.setVerticalSpacing(6)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        for key, label, placeholder, required in self.FIELDS:
            edit = QLineEdit(str(settings.get(key) or ""))
            edit.setPlaceholderText(placeholder)
            err = ErrorLabel()
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(edit)
            box.addWidget(err)
            text = (f"{label}<span style='color:{ERROR_COLOR}'>*</span>：" if required else f"{label}：")
            lab = QLabel(text)
            lab.setBuddy(edit)
            form.addRow(lab, holder)
            self.edits[key] = edit
            self.errors[key] = err
        self.edits["agency_postcode"].setMaxLength(6)
        # The 文号 the documents feature will print with this prefix (its own
        # formatting function and the pattern set on the 文书 tab).
        self.doc_number_example = QLabel()
        self.doc_number_example.setStyleSheet("color: #666;")
        self.doc_number_example.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.edits["doc_number_prefix"].parentWidget().layout().insertWidget(1, self.doc_number_example)
        self.edits["doc_number_prefix"].textChanged.connect(self._update_doc_number_example)
        self._doc_number_pattern = settings.get(doc_numbers.SETTING_PATTERN)
        self._update_doc_number_example()
        # 申请编号格式: the agency's own numbering of new applications, with a live example.
        self.serial_example = QLabel()
        self.serial_example.setWordWrap(True)
        self.serial_example.setStyleSheet("color: #666;")
        self.serial_example.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.edits["serial_pattern"].parentWidget().layout().insertWidget(1, self.serial_example)
        self.edits["serial_pattern"].setToolTip(
            "{年}：收到申请的年份（{年:2} 为两位年份）；{序号}：当年的序号（{序号:04} 补足4位，如 0001）。\n"
            "新编号接在台账中同一格式的最大编号之后（导入的编号也算），已用过的编号不会再用。")
        self.edits["serial_pattern"].textChanged.connect(self._update_serial_example)
        self._update_serial_example()
        note = QLabel("机关名称、地址、电话和文号前缀将印在告知书、回执和年度报告上。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        form.addRow("", note)

    def doc_number_example_text(self, pattern: str | None = None) -> str:
        """“文号形如 …”: this year's 12th 文号 with the typed prefix."""
        if pattern is not None:
            self._doc_number_pattern = pattern
        prefix = self.edits["doc_number_prefix"].text().strip() or "望政公开"
        year = _dt.date.today().year
        try:
            example = doc_numbers.format_doc_number(self._doc_number_pattern, prefix, year, 12)
        except doc_numbers.PatternError:
            example = doc_numbers.format_doc_number(None, prefix, year, 12)
        return f"文号形如：{example}（文号格式在“文书”页设置）"

    def _update_doc_number_example(self, *_args) -> None:
        self.doc_number_example.setText(self.doc_number_example_text())

    def serial_example_text(self) -> str:
        """“新申请的编号形如 …；下一件：…” for the pattern as typed."""
        text = self.edits["serial_pattern"].text().strip()
        year = _dt.date.today().year
        try:
            example = serials.example(text, year)
            upcoming = applications.next_serial(self.context.session, year, text or serials.DEFAULT_PATTERN)
        except serials.PatternError as exc:
            return f"<span style='color:{ERROR_COLOR}'>{exc}</span>"
        return f"新申请编号形如：{example}；今年下一件：<b>{upcoming}</b>"

    def _update_serial_example(self, *_args) -> None:
        self.serial_example.setText(self.serial_example_text())

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def field_errors(self) -> dict[str, str]:
        v = self.values()
        errors = {}
        if not v["agency_name"]:
            errors["agency_name"] = "请填写机关名称，它会印在所有文书上。"
        if v["agency_postcode"]:
            e = postcode_error(v["agency_postcode"])
            if e:
                errors["agency_postcode"] = e
        if v["agency_phone"]:
            e = phone_error(v["agency_phone"])
            if e:
                errors["agency_phone"] = e.replace("联系电话", "电话")
        if v["serial_pattern"]:
            try:
                serials.compile_pattern(v["serial_pattern"])
            except serials.PatternError as exc:
                errors["serial_pattern"] = str(exc)
        return errors

    def validate(self) -> str | None:
        errors = self.field_errors()
        for key, edit in self.edits.items():
            mark_invalid(edit, key in errors)
            self.errors[key].show_message(errors.get(key))
        if not errors:
            return None
        first = next(k for k, *_ in self.FIELDS if k in errors)
        self.edits[first].setFocus(Qt.OtherFocusReason)
        return errors[first]

    def save(self) -> None:
        update_settings(self.context.session, self.values())


class SettingsDialog(QDialog):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("设置")
        self.tabs = QTabWidget()
        #: (feature, widget) of tabs that loaded; placeholders are not saved.
        self.pages: list[tuple[object, QWidget]] = []
        for ext in context.features.settings_tabs:
            cls, error = load_feature(ext)
            widget = None
            if cls is not None:
                try:
                    widget = cls(context, self)
                except Exception as exc:  # one broken tab shows its error; the others still work
                    log.exception("settings tab %s failed", ext.key)
                    error = str(exc)
            if widget is None:
                self.tabs.addTab(PlaceholderPage(ext.label, error), ext.label)
                continue
            self.pages.append((ext, widget))
            self.tabs.addTab(widget, ext.label)
        self._link_doc_number_example()
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        #: 首次使用向导… closes the dialog (unsaved) and asks the window to open the guide
        self.wants_guide = False
        self.guide_button = buttons.addButton("首次使用向导…", QDialogButtonBox.ResetRole)
        self.guide_button.setToolTip("关闭设置（不保存），按步骤重新填写机关信息、导入台账")
        self.guide_button.setAutoDefault(False)
        self.guide_button.clicked.connect(self._open_guide)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(640, 460)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """As large as the tabs want, within the screen (a 1024×768 laptop included)."""
        from .qt_workarounds import available_geometry

        hint = self.sizeHint()
        avail = available_geometry(self.parentWidget() or self)
        width, height = max(640, hint.width()), max(460, hint.height())
        if avail is not None:
            width, height = min(width, avail.width() - 40), min(height, avail.height() - 60)
        self.resize(width, height)

    def _open_guide(self) -> None:
        self.wants_guide = True
        self.reject()

    def _link_doc_number_example(self) -> None:
        """The 机关信息 tab's 文号 example follows the 文书 tab's pattern as typed."""
        agency = next((w for _e, w in self.pages if isinstance(w, AgencySettingsTab)), None)
        pattern = next((w.pattern for _e, w in self.pages
                        if isinstance(getattr(w, "pattern", None), QLineEdit)), None)
        if agency is None or pattern is None:
            return
        pattern.textChanged.connect(
            lambda text: agency.doc_number_example.setText(agency.doc_number_example_text(text)))

    def accept(self) -> None:
        """Validate every tab, then save every tab in one go."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if not any(w is widget for _e, w in self.pages):
                continue
            message = widget.validate()
            if message:
                self.tabs.setCurrentIndex(index)
                QMessageBox.warning(self, "设置", f"“{self.tabs.tabText(index)}”中有需要修改的内容：\n{message}")
                return
        try:
            for _ext, widget in self.pages:
                widget.save()
        except Exception as exc:  # any failure is told to the clerk; the dialog stays open
            log.exception("saving settings failed")
            QMessageBox.critical(self, "设置", f"保存设置失败：{exc}")
            return
        self.context.notify_changed()
        super().accept()
