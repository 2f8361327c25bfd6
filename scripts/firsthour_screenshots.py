"""Screenshots of the first hour (docs/screenshots/firsthour-*.png), offscreen:
the first-start guide's pages, the empty register, the demo register, the
dashboard, the fee dialog and the help window, at 1366×768 and 1024×768.

    python scripts/firsthour_screenshots.py [OUT_DIR] [WxH ...]

Offscreen by default.  Run on an X server of the same size (Xvfb :97
-screen 0 1024x768x24, then DISPLAY=:97 QT_QPA_PLATFORM=xcb … OUT 1024x768)
for dialogs sized by the real screen.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DISCLOSURE_DESK_NO_FONT_CONVERSION", "1")
_tmp = tempfile.mkdtemp(prefix="firsthour-shots-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_tmp, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_tmp, "data")

SIZES = ((1366, 768), (1024, 768))


def main(out: Path, sizes=SIZES) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.demo import fill_demo
    from desktop_app.services.session import open_register
    from desktop_app.ui.app import create_main_window, ensure_application
    from desktop_app.ui.first_start_guide import FirstStartGuide
    from desktop_app.ui.help_window import show_help

    app = ensure_application()
    out.mkdir(parents=True, exist_ok=True)

    def settle():
        for _ in range(5):
            app.processEvents()

    def shot(widget, name):
        settle()
        path = out / f"firsthour-{name}.png"
        widget.grab().save(str(path))
        print(path)

    empty = open_register(Path(_tmp) / "empty.db", create=True)
    demo = open_register(Path(_tmp) / "demo.db", create=True)
    fill_demo(demo, today=dt.date(2026, 12, 3))
    for w, h in sizes:
        tag = f"{w}x{h}"
        window = create_main_window(empty)
        window._start_maximized = False  # (offscreen, the “screen” is 800×800: the size is set here)
        window.resize(w, h)
        window.show()
        guide = FirstStartGuide(window.context, window)
        guide.show()
        shot(guide, f"guide-1-{tag}")
        guide.agency_page.name_edit.setText("长沙市望城区人民政府办公室")
        page = guide.agency_page
        page.kind_combo.setCurrentIndex(page.kind_combo.findData("department"))
        page.body_edits["own_government"].setText("长沙市望城区人民政府")
        guide.agency_page.prefix_edit.setText("望政办公开")
        shot(guide, f"guide-1-filled-{tag}")
        guide.next()
        shot(guide, f"guide-2-{tag}")
        guide.next()
        shot(guide, f"guide-3-{tag}")
        guide.hide()
        guide.deleteLater()
        window.show_page("register")
        shot(window, f"register-empty-{tag}")
        window.show_page("dashboard")
        shot(window, f"dashboard-empty-{tag}")
        window.show_page("annual_report")
        shot(window, f"report-empty-{tag}")
        window.close()
        window.deleteLater()
        settle()

        window = create_main_window(demo)
        window.context.today_override = dt.date(2026, 12, 3)
        window._start_maximized = False  # (offscreen, the “screen” is 800×800: the size is set here)
        window.resize(w, h)
        window.show()
        page = window.page("dashboard")
        page.set_today(dt.date(2026, 12, 3))
        window.show_page("dashboard")
        shot(window, f"dashboard-{tag}")
        register = window.register_page()
        settle()
        register.table.selectRow(3)
        shot(window, f"register-{tag}")
        helper = show_help(window, "manual")
        helper.resize(min(760, w - 40), min(600, h - 60))
        shot(helper, f"help-manual-{tag}")
        helper.show_tab("shortcuts")
        shot(helper, f"help-shortcuts-{tag}")
        helper.close()
        settings = settings_dialog(window)
        shot(settings, f"settings-documents-{tag}")
        settings.reject()
        fee = fee_dialog(window)
        if fee is not None:
            shot(fee, f"fee-dialog-{tag}")
            fee.reject()
        window.close()
        window.deleteLater()
        settle()
    QApplication.processEvents()


def settings_dialog(window):
    from desktop_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.context, window)
    dialog.tabs.setCurrentIndex(3)  # 文书
    dialog.show()
    return dialog


def fee_dialog(window):
    """The 收费 step's dialog for an open application of the demo."""
    from desktop_app.services import applications
    from desktop_app.ui import deadline_dialogs

    open_apps = applications.open_applications(window.context.session)
    if not open_apps:
        return None
    dialog = deadline_dialogs.StepDialog(window.context, open_apps[0].id, "fee_notice", window)
    dialog.show()
    return dialog


if __name__ == "__main__":
    chosen = tuple(tuple(int(n) for n in a.split("x")) for a in sys.argv[2:]) or SIZES
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "screenshots",
         chosen)
