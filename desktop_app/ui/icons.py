"""The application icon (resources/icons/, drawn by scripts/make_icon.py)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from ..files.paths import resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_dir():
    return resources_dir() / "icons"


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The app icon with every drawn size, so Qt picks the crisp one for
    the title bar, taskbar and Alt-Tab.  Empty (Qt's default) if the
    resources are missing, never an error."""
    icon = QIcon()
    folder = icon_dir()
    for size in ICON_SIZES:
        png = folder / f"app-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


def install_app_icon(app) -> None:
    """Give the QApplication (so every window and dialog) the app icon.
    On Windows also set an explicit AppUserModelID so the taskbar shows
    this icon, not python.exe's, when run from source."""
    import sys

    app.setWindowIcon(app_icon())
    app.setDesktopFileName("disclosure-desk")  # Wayland/X11: matches the .desktop file
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID("DisclosureDesk.App")
        except (AttributeError, OSError):
            pass
