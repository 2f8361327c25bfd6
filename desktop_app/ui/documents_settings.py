"""Settings tab 文书: fonts (the face each role uses and why), remedy bodies, document-number pattern,
processing-fee method, envelopes, and the template editor (the wording of
every notice; an unknown placeholder is refused before anything is
saved)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from ..domain import fees
from ..domain.doc_numbers import DEFAULT_PATTERN, PatternError, format_doc_number
from ..services import notices
from ..services.fonts import BACKGROUND
from ..services.printing import DEFAULT_COURT, DEFAULT_FEE_PAYMENT, fonts
from ..services.printing import templates as tpl
from ..domain.remedies import AgencyKind, AgencyProfile
from ..services import settings as settings_service
from ..services.settings import update_settings
from .font_conversion import ConversionProgress
from .widgets import ErrorLabel, mark_invalid

AUTO = ""


class FontPicker(QWidget):
    """A font file: 自动选择, one of the CJK TrueType fonts found on this
    computer, or any file chosen with 浏览…"""

    def __init__(self, value: str, found: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.NoInsert)
        # long font names and paths must not widen the tab past the screen
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(14)
        self.combo.addItem("自动选择（推荐）", AUTO)
        for label, path in found:
            self.combo.addItem(label, path)
        self.combo.lineEdit().setPlaceholderText("自动选择（推荐）")
        self.set_value(value)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.combo, 1)
        row.addWidget(browse)

    def set_value(self, value: str) -> None:
        i = self.combo.findData(value or AUTO)
        if i >= 0:
            self.combo.setCurrentIndex(i)
        else:
            self.combo.setEditText(value)

    def value(self) -> str:
        text = self.combo.currentText().strip()
        if not text or text == self.combo.itemText(0):
            return AUTO
        i = self.combo.findText(text)
        return str(self.combo.itemData(i)) if i >= 0 else text

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择中文字体文件", "", "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)")
        if path:
            self.set_value(path)


class FontSection(QGroupBox):
    """字体: for each role of the documents (正文 仿宋, 标题 小标宋, 一级标题
    黑体, 二级标题 楷体) a chooser, the face in use and why; the
    conversion of Noto Serif CJK SC with its progress (or a button to
    start it)."""

    def __init__(self, settings: dict, parent=None):
        super().__init__("字体", parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        found = fonts.available_font_files()
        self.pickers: dict[str, FontPicker] = {}
        self.in_use: dict[str, QLabel] = {}
        self.why: dict[str, QLabel] = {}
        for role in fonts.ROLES:
            picker = FontPicker(settings.get(fonts.ROLE_SETTINGS[role]) or "", found)
            picker.combo.currentTextChanged.connect(self.update_fonts)
            # the chooser and, under it, the face in use and why (a box
            # layout gives the wrapped lines the height they need)
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 4)
            column.setSpacing(2)
            column.addWidget(picker)
            for target in (self.in_use, self.why):
                label = QLabel()
                label.setWordWrap(True)
                label.setStyleSheet("color: #444;")
                label.setTextInteractionFlags(Qt.TextSelectableByMouse)
                column.addWidget(label)
                target[role] = label
            form.addRow(f"{fonts.ROLE_LABELS[role]}：", cell)
            self.pickers[role] = picker
        row = QHBoxLayout()
        self.progress = ConversionProgress(BACKGROUND, self)
        self.progress.finished_callbacks.append(self._conversion_finished)
        self.convert_button = QPushButton("立即转换思源宋体")
        self.convert_button.setToolTip(
            "把本机的 Noto Serif CJK SC（思源宋体）转换为可嵌入 PDF 的 TrueType 字体（在后台进行，约几分钟）")
        self.convert_button.clicked.connect(self._convert)
        row.addWidget(self.progress, 1)
        row.addWidget(self.convert_button)
        form.addRow(row)
        self.font_warning = QLabel()
        self.font_warning.setWordWrap(True)
        self.font_warning.setStyleSheet("color: #a04000;")
        form.addRow(self.font_warning)
        self.font_error = ErrorLabel()
        form.addRow(self.font_error)
        self.update_fonts()

    def values(self) -> dict:
        return {fonts.ROLE_SETTINGS[r]: p.value() for r, p in self.pickers.items()}

    def update_fonts(self, *_args) -> None:
        fs = fonts.resolve_fonts(self.values())
        for role, label in self.in_use.items():
            face = fs.face(role)
            label.setText(f"使用：{face.family or face.label}")
            label.setToolTip(face.label)  # with the file
            self.why[role].setText(f"原因：{fs.reasons.get(role, '')}")
        self.font_warning.setText(fs.warning or "")
        self.font_warning.setVisible(bool(fs.warning))
        pending = bool(fs.pending)
        self.convert_button.setVisible(pending and not BACKGROUND.running)

    def _convert(self) -> None:
        from .font_conversion import start_if_needed

        start_if_needed(self.values())
        self.progress.refresh()
        self.update_fonts()

    def _conversion_finished(self) -> None:
        fonts.clear_cache()
        self.update_fonts()

    def validate(self) -> str | None:
        for role, picker in self.pickers.items():
            value = picker.value()
            if value:
                problem = fonts.check_font_file(value)
                if problem:
                    self.font_error.show_message(f"{fonts.ROLE_LABELS[role]}：{problem}")
                    picker.combo.setFocus()
                    return problem
        self.font_error.show_message(None)
        return None


class DocumentSettingsTab(QWidget):
    """SETTINGS_TABS entry 文书."""

    # Long: builds the widgets top to bottom, in the order the clerk sees them
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setMinimumSize(860, 560)
        settings = context.settings()
        self.settings = settings
        outer = QHBoxLayout(self)

        # --- left: general ---
        left = QVBoxLayout()
        self.font_section = FontSection(settings)
        left.addWidget(self.font_section)

        box = QGroupBox("答复告知书的救济途径")
        bf = QFormLayout(box)
        bf.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        profile = settings_service.profile_of(settings)
        self.agency_kind = QComboBox()
        self.agency_kind.addItem("（请选择本机关的类别）", "")
        # its long labels must not widen the column past the screen (they show in full when open)
        self.agency_kind.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.agency_kind.setMinimumContentsLength(16)
        for kind in AgencyKind:
            self.agency_kind.addItem(kind.label, kind.value)
        self.agency_kind.setCurrentIndex(max(0, self.agency_kind.findData(
            profile.kind.value if profile is not None and settings.get("agency_kind") else "")))
        self.own_government = QLineEdit(settings.get("own_government") or "")
        self.own_government.setPlaceholderText("全称，如：长沙市望城区人民政府")
        self.higher_department = QLineEdit(settings.get("higher_department") or "")
        self.higher_department.setPlaceholderText("全称，如：国家税务总局长沙市税务局")
        self.higher_government = QLineEdit(settings.get("higher_government") or "")
        self.higher_government.setPlaceholderText("全称，如：长沙市人民政府")
        self.court = QLineEdit(settings.get("litigation_court") or "")
        self.court.setPlaceholderText(f"如：长沙市望城区人民法院（留空：{DEFAULT_COURT}）")
        self.profile_hint = QLabel()
        self.profile_hint.setWordWrap(True)
        self.profile_hint.setStyleSheet("color: #555;")
        bf.addRow("机关类别：", self.agency_kind)
        bf.addRow("本级人民政府：", self.own_government)
        bf.addRow("上一级主管部门：", self.higher_department)
        bf.addRow("上一级人民政府：", self.higher_government)
        bf.addRow("诉讼法院：", self.court)
        bf.addRow(self.profile_hint)
        self._profile_form = bf
        self.agency_kind.currentIndexChanged.connect(self._profile_kind_changed)
        self._profile_kind_changed()
        left.addWidget(box)

        box = QGroupBox("文号与收费")
        nf = QFormLayout(box)
        nf.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.pattern = QLineEdit(settings.get("doc_number_pattern") or DEFAULT_PATTERN)
        self.pattern.setToolTip("{前缀}：机关信息中的文号前缀；{年}：年份；{号}：当年序号（{号:3} 补足3位，如012）。")
        self.pattern_preview = QLabel()
        self.pattern_error = ErrorLabel()
        nf.addRow("文号格式：", self.pattern)
        nf.addRow("", self.pattern_preview)
        nf.addRow("", self.pattern_error)
        self.fee_method = QComboBox()
        for code, label in fees.FEE_METHODS.items():
            self.fee_method.addItem(label, code)
        self.fee_method.setCurrentIndex(max(0, self.fee_method.findData(settings.get("fee_method") or fees.PER_PIECE)))
        nf.addRow("收费方式：", self.fee_method)
        self.fee_payment = QLineEdit(settings.get("fee_payment") or "")
        self.fee_payment.setPlaceholderText(DEFAULT_FEE_PAYMENT)
        nf.addRow("缴费方式：", self.fee_payment)
        self.envelope_boxes = QCheckBox("信封上打印邮编方框和贴邮票处（使用空白信封时勾选）")
        self.envelope_boxes.setChecked(bool(settings.get("envelope_boxes", True)))
        nf.addRow("", self.envelope_boxes)
        left.addWidget(box)
        left.addStretch(1)
        # the left column scrolls rather than squeezing its rows into each other
        # (the font choosers and their labels overlapped on a 768-pixel-high screen)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left.setContentsMargins(0, 0, 6, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(left_widget)
        self.left_scroll = scroll
        scroll.setMinimumWidth(min(480, left_widget.minimumSizeHint().width()
                                   + scroll.verticalScrollBar().sizeHint().width() + 4))
        outer.addWidget(scroll, 5)

        # --- right: templates ---
        tbox = QGroupBox("文书模板")
        tl = QVBoxLayout(tbox)
        row = QHBoxLayout()
        self.kind_combo = QComboBox()
        for code, label in tpl.TEMPLATE_KINDS.items():
            self.kind_combo.addItem(label, code)
        self.reset_button = QPushButton("恢复默认")
        self.state_label = QLabel()
        row.addWidget(self.kind_combo, 1)
        row.addWidget(self.state_label)
        row.addWidget(self.reset_button)
        tl.addLayout(row)
        self.editor = QPlainTextEdit()
        self.editor.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        tl.addWidget(self.editor, 3)
        help_label = QLabel("“标题：”一行是标题，“称谓：”一行是抬头，其余每行一段；以#开头的行不打印。"
                            "双击下列占位符插入到光标处：")
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #555;")
        tl.addWidget(help_label)
        self.placeholder_list = QListWidget()
        self.placeholder_list.setMaximumHeight(120)
        tl.addWidget(self.placeholder_list, 1)
        self.template_error = ErrorLabel()
        tl.addWidget(self.template_error)
        outer.addWidget(tbox, 6)

        self.texts: dict[str, str] = {k: notices.template_text(context.session, k) for k in tpl.TEMPLATE_KINDS}
        self.original = dict(self.texts)
        self.reset_kinds: set[str] = set()
        self._current_kind: str | None = None

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.editor.textChanged.connect(self._text_changed)
        self.reset_button.clicked.connect(self._reset)
        self.placeholder_list.itemDoubleClicked.connect(self._insert_placeholder)
        self.pattern.textChanged.connect(self._update_pattern)
        self._kind_changed()
        self._update_pattern()

    # --- number pattern ---------------------------------------------------------------------

    def _update_pattern(self, *_args) -> None:
        import datetime as _dt

        try:
            year = _dt.date.today().year
            number, _ = notices.peek_doc_number(self.context.session, year, {})
            text = format_doc_number(self.pattern.text(), self.settings.get("doc_number_prefix"), year, number)
            self.pattern_preview.setText(f"下一个文号：{text}")
            self.pattern_error.show_message(None)
            mark_invalid(self.pattern, False)
        except PatternError as exc:
            self.pattern_preview.setText("")
            self.pattern_error.show_message(str(exc))
            mark_invalid(self.pattern, True)

    # --- templates ----------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self._current_kind = None
        self.editor.setPlainText(self.texts[kind])
        self._current_kind = kind
        self.placeholder_list.clear()
        for name in tpl.sorted_placeholders(kind):
            item = QListWidgetItem(f"{{{name}}}　{tpl.PLACEHOLDERS[name]}")
            item.setData(Qt.UserRole, "{" + name + "}")
            self.placeholder_list.addItem(item)
        self._update_state()
        self._check_current()

    def _text_changed(self) -> None:
        if self._current_kind is None:
            return
        self.texts[self._current_kind] = self.editor.toPlainText()
        self.reset_kinds.discard(self._current_kind)
        self._update_state()
        self._check_current()

    def _update_state(self) -> None:
        kind = self.kind_combo.currentData()
        custom = self.texts[kind] != tpl.default_text(kind)
        self.state_label.setText("已修改" if custom else "默认")
        self.reset_button.setEnabled(custom)

    def _check_current(self) -> None:
        kind = self.kind_combo.currentData()
        try:
            tpl.validate(kind, self.texts[kind])
        except tpl.TemplateError as exc:
            self.template_error.show_message(str(exc))
            mark_invalid(self.editor, True)
        else:
            self.template_error.show_message(None)
            mark_invalid(self.editor, False)

    def _reset(self) -> None:
        kind = self.kind_combo.currentData()
        self.texts[kind] = tpl.default_text(kind)
        self.editor.setPlainText(self.texts[kind])
        self.reset_kinds.add(kind)

    def _insert_placeholder(self, item: QListWidgetItem) -> None:
        self.editor.insertPlainText(item.data(Qt.UserRole))
        self.editor.setFocus()

    # --- the settings contract ---------------------------------------------------------------------

    def _profile_kind_changed(self, *_args) -> None:
        kind = self.agency_kind.currentData()
        hints = {
            "": "选择本机关的类别后，答复告知书按类别写明行政复议机关（行政复议法第二十四条、第二十七条、第二十八条）。",
            "department": "县级以上地方人民政府工作部门：向本级人民政府申请行政复议。2024年以前的答复"
                          "（重印旧案）还需上一级主管部门。",
            "vertical": "垂直领导的机关（海关、金融、外汇管理、税务、国家安全机关等）：向上一级主管部门申请行政复议。",
            "government": "人民政府：向上一级人民政府申请行政复议。",
            "justice": "履行行政复议机构职责的司法行政部门：可向本级人民政府或者上一级司法行政部门申请行政复议。",
        }
        shown = {"": (), "department": ("own", "higher_department"), "vertical": ("higher_department",),
                 "government": ("higher_government",), "justice": ("own", "higher_department")}[kind or ""]
        for key, w in (("own", self.own_government), ("higher_department", self.higher_department),
                       ("higher_government", self.higher_government)):
            self._profile_form.setRowVisible(w, key in shown)
        self.profile_hint.setText(hints[kind or ""])

    def validate(self) -> str | None:
        problem = self.font_section.validate()
        if problem:
            return problem
        kind = self.agency_kind.currentData()
        if kind:
            missing = AgencyProfile(AgencyKind(kind), self.own_government.text().strip(),
                                    self.higher_department.text().strip(),
                                    self.higher_government.text().strip()).missing()
            if missing:
                self.agency_kind.setFocus()
                return f"“{AgencyKind(kind).label}”须填写：{'、'.join(missing)}。"
        try:
            format_doc_number(self.pattern.text(), "", 2026, 1)
        except PatternError as exc:
            self.pattern.setFocus()
            return str(exc)
        for kind, text in self.texts.items():
            if text == self.original[kind]:
                continue
            try:
                tpl.validate(kind, text)
            except tpl.TemplateError as exc:
                self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
                self.editor.setFocus()
                return str(exc)
        return None

    def save(self) -> None:
        session = self.context.session
        kind = self.agency_kind.currentData()
        if kind:
            settings_service.set_agency_profile(
                session, kind, own_government=self.own_government.text(),
                higher_department=self.higher_department.text(), higher_government=self.higher_government.text())
        update_settings(session, {
            **self.font_section.values(),
            "litigation_court": self.court.text().strip(),
            "doc_number_pattern": self.pattern.text().strip(),
            "fee_method": self.fee_method.currentData(),
            "fee_payment": self.fee_payment.text().strip(),
            "envelope_boxes": self.envelope_boxes.isChecked(),
        })
        for kind, text in self.texts.items():
            if text == self.original[kind]:
                continue
            if text == tpl.default_text(kind):
                notices.reset_template(session, kind)
            else:
                notices.save_template(session, kind, text)
        fonts.clear_cache()
