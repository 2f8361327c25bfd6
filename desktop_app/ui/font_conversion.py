"""The background conversion of Noto Serif CJK SC in the GUI: started once
after the main window opens when this PC needs it (no 仿宋 / 小标宋 but
Noto Serif CJK installed), with its progress in the status bar and in
设置 → 文书.  The work runs in a separate process
(:class:`desktop_app.documents.font_convert.BackgroundConversion`), never
on the GUI thread; meanwhile every PDF is set in the best face already
available, and the next PDF after the conversion uses the converted one.

``DISCLOSURE_DESK_NO_FONT_CONVERSION=1`` keeps it from starting by itself
(the test suite; IT staff who convert with ``disclosure-desk fonts
--convert``)."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from ..services.fonts import BACKGROUND, BackgroundConversion, fonts

log = logging.getLogger(__name__)

ENV_NO_CONVERSION = "DISCLOSURE_DESK_NO_FONT_CONVERSION"

HINT = ("本机没有仿宋或小标宋字体。程序正在把已安装的 Noto Serif CJK SC（思源宋体）转换为可嵌入 PDF 的 TrueType 字体，"
        "只需转换一次（约几分钟）。转换期间可以照常工作，文书暂用已有的字体，完成后自动改用思源宋体。")


def start_if_needed(settings: dict | None = None, job: BackgroundConversion | None = None,
                    command: list[str] | None = None) -> bool:
    """Start the conversion when this PC needs it and it is not running;
    True when it runs now."""
    job = job or BACKGROUND
    if job.running:
        return True
    if not fonts.pending_conversions(settings):
        return False
    try:
        job.start(command)
    except OSError:
        log.warning("cannot start the font conversion", exc_info=True)
        return False
    return True


class ConversionProgress(QWidget):
    """A label and a progress bar that follow a background conversion
    (polled: the job's reader thread never touches Qt)."""

    def __init__(self, job: BackgroundConversion = BACKGROUND, parent=None, *, compact: bool = False):
        super().__init__(parent)
        self.job = job
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setToolTip(HINT)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.bar.setToolTip(HINT)
        if compact:
            self.bar.setMaximumWidth(140)
            self.bar.setMaximumHeight(16)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        self.compact = compact
        self.timer = QTimer(self)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.finished_callbacks: list = []
        self._was_running = job.running
        self.refresh()

    def refresh(self) -> None:
        job = self.job
        running = job.running
        if running:
            self.bar.setValue(job.percent)
            self.bar.show()
            what = job.text or "正在转换"
            self.label.setText(f"正在准备公文字体（思源宋体）：{what}" if not self.compact
                               else "正在准备公文字体（思源宋体）…")
        elif job.finished and job.error:
            self.bar.hide()
            self.label.setText(f"公文字体转换失败：{job.error}")
        elif job.finished:
            self.bar.setValue(100)
            self.bar.hide()
            seconds = f"，用时 {job.seconds / 60:.1f} 分钟" if job.seconds else ""
            self.label.setText(f"公文字体（思源宋体）已转换完成{seconds}，文书已改用该字体。")
        else:
            self.bar.hide()
            self.label.setText("")
        if self._was_running and not running:
            self._was_running = False
            for callback in list(self.finished_callbacks):
                callback()
        self._was_running = self._was_running or running


def show_message_after_layout(bar, message: str, timeout_ms: int) -> None:
    """Show ``message`` in ``bar`` once the bar has been laid out again.
    Qt shows a status bar's normal widgets (the database's path) again when
    a widget is added or removed, by a queued call, so they are drawn
    through a message shown before that; shown after it, the message hides
    them as it should."""
    from PySide6.QtCore import QTimer

    def show() -> None:
        bar.clearMessage()  # (the same message again would be ignored)
        bar.showMessage(message, timeout_ms)

    QTimer.singleShot(0, bar, show)


def add_permanent_status_widget(bar, widget, keep_for_ms: int = 15_000) -> None:
    """``bar.addPermanentWidget(widget)`` that keeps a message on show
    (again for ``keep_for_ms``): see :func:`show_message_after_layout`."""
    message = bar.currentMessage()
    bar.addPermanentWidget(widget)
    if message:
        show_message_after_layout(bar, message, keep_for_ms)


def startup_hook(context, main_window) -> None:
    """Start-up hook: start the conversion if needed, show it in the
    status bar until it ends."""
    if os.environ.get(ENV_NO_CONVERSION) == "1":
        return
    if not start_if_needed(dict(context.settings())):
        return
    bar = main_window.statusBar() if hasattr(main_window, "statusBar") else None
    if bar is None:
        return
    widget = ConversionProgress(BACKGROUND, bar, compact=True)
    add_permanent_status_widget(bar, widget)

    def done() -> None:
        widget.timer.stop()
        bar.removeWidget(widget)
        widget.deleteLater()
        if BACKGROUND.error:
            log.warning("font conversion failed: %s", BACKGROUND.error)
            show_message_after_layout(bar, f"公文字体转换失败：{BACKGROUND.error}", 30_000)
        else:
            show_message_after_layout(bar, "公文字体（思源宋体）已准备好：以后的文书使用该字体。", 15_000)

    widget.finished_callbacks.append(done)
