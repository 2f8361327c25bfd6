"""Start the real app (``disclosure-desk --db DB``) and either crash it or
report what the start showed (run by tests/test_crash_log.py).

    python crash_then_restart.py crash DB     # window up, then SIGSEGV
    python crash_then_restart.py look DB      # window up: print the message shown, quit cleanly
    python crash_then_restart.py raise DB     # window up, a slot raises, then quit cleanly
"""

from __future__ import annotations

import faulthandler
import sys


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.main import main as app_main
    from desktop_app.ui import app as ui_app

    mode, db = sys.argv[1], sys.argv[2]
    original = ui_app.run_startup_hooks

    def report_and_quit(window):
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        for box in boxes:
            text = box.text().replace("\n", " ")
            print(f"MESSAGE[{box.windowTitle()}]: {text}", flush=True)
            box.done(0)
        window.close()
        QApplication.instance().exit(0)

    def hooks(context, window):
        original(context, window)
        if mode == "crash":
            QTimer.singleShot(300, lambda: faulthandler._sigsegv())
        elif mode == "look":
            QTimer.singleShot(800, lambda: report_and_quit(window))
        elif mode == "raise":
            def boom():
                raise RuntimeError("测试用的错误")
            QTimer.singleShot(200, boom)
            QTimer.singleShot(1200, lambda: report_and_quit(window))

    ui_app.run_startup_hooks = hooks
    return app_main(["--db", db]) or 0


if __name__ == "__main__":
    raise SystemExit(main())
