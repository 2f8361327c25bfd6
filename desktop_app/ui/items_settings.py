"""设置 → 主动公开: whether the agency may make 规章 (rules), and the
pattern of its 索引号."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..domain import items as di
from ..domain import serials
from ..services import items
from ..services.errors import ServiceError
from ..services.settings import setting, update_settings


class ProactiveSettingsTab(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        session = context.session
        self.rules = QCheckBox("本机关有规章制定权（可登记规章，年度报告第二部分统计规章）")
        self.rules.setChecked(items.may_make_rules(session))
        rules_hint = QLabel("依《立法法》，国务院部门和省、自治区、直辖市、设区的市、自治州人民政府可以制定规章；"
                            "其他机关不勾选，规章一行按0统计。")
        rules_hint.setWordWrap(True)
        rules_hint.setStyleSheet("color: #666;")
        self.pattern = QLineEdit(setting(session, di.SETTING_INDEX_PATTERN) or "")
        self.pattern.setPlaceholderText(f"默认 {di.DEFAULT_INDEX_PATTERN}，如 11430112MB1234567X/{{年}}-{{序号:05}}")
        self.example = QLabel()
        self.example.setStyleSheet("color: #555;")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.pattern.textChanged.connect(self._update)
        form = QFormLayout()
        form.addRow("索引号格式：", self.pattern)
        form.addRow("", self.example)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addWidget(rules_hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._update()

    def _update(self, *_args) -> None:
        try:
            text = serials.example(self.pattern.text().strip() or di.DEFAULT_INDEX_PATTERN,
                                   self.context.today().year)
        except serials.PatternError as exc:
            self.example.setText("")
            self.error.setText(str(exc).replace("申请编号", "索引号"))
            return
        self.error.setText("")
        self.example.setText(f"例如：{text}")

    def validate(self) -> str | None:
        try:
            serials.compile_pattern(self.pattern.text().strip() or di.DEFAULT_INDEX_PATTERN)
        except serials.PatternError as exc:
            return "索引号格式：" + str(exc).replace("申请编号", "索引号")
        if not self.rules.isChecked() and items.has_rules(self.context.session):
            return "主动公开目录中已登记了规章，不能取消“有规章制定权”。请先把这些事项的类别改为其他类别。"
        return None

    def save(self) -> None:
        try:
            items.set_may_make_rules(self.context.session, self.rules.isChecked())
        except ServiceError:
            pass  # refused in validate()
        update_settings(self.context.session, {di.SETTING_INDEX_PATTERN: self.pattern.text().strip()})
