"""The self-test's main-window step: the Qt half of desktop_app.selftest."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings

from . import app as ui_app


def check_main_window(session, workdir: Path) -> tuple[str, str, list[str]]:
    """Build and paint the main window once (on a real display: show it
    and wait until the window system exposes it); return (title, platform
    name, warnings).  Raises RuntimeError with a Chinese reason on failure."""
    # The window saves its geometry (QSettings) when closed: keep the
    # self-test's in the temporary folder, away from the clerk's settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
    app = ui_app.ensure_application()  # the same font, style and icon as the app
    window = ui_app.create_main_window(session)
    warnings: list[str] = []
    try:
        app.processEvents()
        platform = app.platformName()
        if platform not in ("offscreen", "minimal"):
            # a real display: the window must really appear on it
            window.show()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                handle = window.windowHandle()
                if handle is not None and handle.isExposed():
                    break
                app.processEvents(QEventLoop.AllEvents, 50)
            else:
                raise RuntimeError(f"主窗口没有在显示器上出现（{platform}）")
            platform += "，已在显示器上显示"
        pixmap = window.grab()  # paints every child once, shown or not
        if pixmap.isNull() or pixmap.width() < 200:
            raise RuntimeError("主窗口无法绘制")
        title = window.windowTitle()
        if app.windowIcon().isNull() and window.windowIcon().isNull():
            warnings.append("主窗口没有图标（resources/icons 缺失？）")
        if not getattr(app, "_disclosure_desk_qt_translators", None):
            warnings.append("Qt 的中文翻译（qtbase_zh_CN.qm）缺失：标准按钮将显示为英文")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return title, platform, warnings
