"""关于 (About): the version, where the data and backups are, the years the
working-day calendar covers and the font the PDFs use (services.about
gathers them), with buttons to open the folders and copy it all for IT
support."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, APP_NAME_EN, __version__
from ..services.about import about_rows, about_text
from .icons import app_icon

WARNING_COLOR = "#b26a00"


class AboutDialog(QDialog):
    def __init__(self, context=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_NAME}")
        self.rows = about_rows(context.session if context is not None else None)

        header = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setFixedSize(72, 72)
        icon.setAlignment(Qt.AlignTop | Qt.AlignHCenter)
        header.addWidget(icon)
        title = QLabel(
            f"<div style='font-size:16pt; font-weight:600'>{APP_NAME}</div>"
            f"<div style='color:#555'>{APP_NAME_EN} · 版本 {__version__}</div>"
            "<div style='margin-top:6px'>登记依申请公开的申请，按官方工作日历计算答复期限，"
            "打印申请表和告知书，编制政府信息公开工作年度报告。"
            "全部数据保存在本机数据库中，无需联网。</div>")
        title.setWordWrap(True)
        title.setTextFormat(Qt.RichText)
        header.addWidget(title, 1)

        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setFormAlignment(Qt.AlignLeft | Qt.AlignTop)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        self.value_labels: dict[str, QLabel] = {}
        for row in self.rows:
            form.addRow(f"{row.label}：", self._value_widget(row))

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("复制以上信息")
        self.copy_button.setToolTip("复制到剪贴板，便于发给技术人员")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 12)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        width = 700
        self.resize(width, layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                    else self.sizeHint().height())

    def _value_widget(self, row) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(8)
        value = QLabel(row.value)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextSelectableByMouse)
        value.setObjectName(f"about_{row.key}")
        self.value_labels[row.key] = value
        top.addWidget(value, 1)
        if row.path:
            button = QPushButton("打开")
            button.setToolTip(f"在文件管理器中打开 {row.path}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, p=row.path: self.open_folder(p))
            top.addWidget(button, 0, Qt.AlignTop)
        v.addLayout(top)
        if row.warning:
            warn = QLabel(row.warning)
            warn.setWordWrap(True)
            warn.setStyleSheet(f"color: {WARNING_COLOR};")
            warn.setObjectName(f"about_{row.key}_warning")
            v.addWidget(warn)
        return box

    def open_folder(self, path: str) -> bool:
        from pathlib import Path

        folder = Path(path)
        if not folder.is_dir():
            folder = folder.parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def copy_to_clipboard(self) -> str:
        text = about_text(self.rows)
        QGuiApplication.clipboard().setText(text)
        self.copy_button.setText("已复制")
        return text


def show_about(context, parent: QWidget | None = None) -> None:
    AboutDialog(context, parent).exec()
