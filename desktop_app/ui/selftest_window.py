"""The self-test's main-window step: the Qt half of desktop_app.selftest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from . import app as ui_app


def check_main_window(session, workdir: Path) -> tuple[str, str, list[str]]:
    """Build and paint the main window once; return (title, platform name,
    warnings).  Raises RuntimeError with a Chinese reason on failure."""
    # The window saves its geometry (QSettings) when closed: keep the
    # self-test's in the temporary folder, away from the clerk's settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
    app = ui_app.ensure_application()  # the same font, style and icon as the app
    window = ui_app.create_main_window(session)
    warnings: list[str] = []
    try:
        app.processEvents()
        pixmap = window.grab()  # paints every child once, shown or not
        if pixmap.isNull() or pixmap.width() < 200:
            raise RuntimeError("主窗口无法绘制")
        title = window.windowTitle()
        platform = app.platformName()
        if app.windowIcon().isNull() and window.windowIcon().isNull():
            warnings.append("主窗口没有图标（resources/icons 缺失？）")
        if not getattr(app, "_disclosure_desk_qt_translators", None):
            warnings.append("Qt 的中文翻译（qtbase_zh_CN.qm）缺失：标准按钮将显示为英文")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return title, platform, warnings
