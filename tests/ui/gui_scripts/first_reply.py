"""The crash of the first hour, replayed exactly (run under Xvfb by
tests/test_x11_clerk_day.py; never collected by pytest itself).

    python tests/gui_scripts/first_reply.py DB_PATH

On a first start (no saved window geometry) with the demo register: select
an open application, 编辑 → 办理结果 已答复 → 保存, then 打印文书 → 答复告知书
→ 预览.  With PySide6 6.11 and a QWidget.screen() call on this path the
QScreen was deleted and the preview's QDialog constructor crashed with
SIGSEGV, every time.  Prints ``FIRST REPLY OK`` and exits 0 when the preview
opened and closed.
"""

from __future__ import annotations

import faulthandler
import sys
import time
from pathlib import Path

from desktop_app.services import applications

faulthandler.enable()


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.demo import fill_demo
    from desktop_app.services.session import open_register
    from desktop_app.ui.app import create_main_window

    path = Path(sys.argv[1])
    register = open_register(path, create=True)
    fill_demo(register)
    window = create_main_window(register)
    window.resize(1366, 768)
    window.show()
    app = QApplication.instance()
    page = window.show_page("register")
    started = time.monotonic()
    while page.is_loading() and time.monotonic() - started < 30:
        app.processEvents()
        time.sleep(0.01)
    app_id = min(a.id for a in applications.all_applications(register) if a.outcome is None)
    page.select_application(app_id)
    app.processEvents()
    seen: list[str] = []

    def record_reply():
        dialog = app.activeModalWidget()
        seen.append(type(dialog).__name__)
        dialog.outcome_combo.setCurrentIndex(dialog.outcome_combo.findData("disclosed"))
        app.processEvents()
        dialog.save()

    QTimer.singleShot(500, record_reply)
    page.edit_application(app_id)
    app.processEvents()
    if applications.get(register, app_id).outcome != "disclosed":
        print("the reply was not saved", seen)
        return 1

    def preview_reply():
        dialog = app.activeModalWidget()
        seen.append(type(dialog).__name__)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("reply"))
        app.processEvents()

        def close_preview():
            preview = app.activeModalWidget()
            seen.append(type(preview).__name__)
            preview.reject()
            QTimer.singleShot(200, lambda: app.activeModalWidget().reject())

        QTimer.singleShot(800, close_preview)
        dialog.preview()

    QTimer.singleShot(500, preview_reply)
    action = next(e for e in window.features.application_actions if e.key == "print_documents")
    page.detail._run_action(action)
    if seen != ["ApplicationDialog", "NoticeDialog", "PdfPreviewDialog"]:
        print("unexpected dialogs:", seen)
        return 1
    print("FIRST REPLY OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
