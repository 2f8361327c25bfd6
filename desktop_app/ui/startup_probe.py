"""Start-up timing for bench/bench_startup.py.

With ``DISCLOSURE_DESK_EXIT_AFTER_SHOW=1`` in the environment, the app,
once its main window is shown with the database open and the start-up
hooks have run, paints the window, prints ``DISCLOSURE_DESK_SHOWN <unix
time>`` (and writes it to ``DISCLOSURE_DESK_SHOWN_FILE`` when set: a
windowed Windows build has no stdout) and quits.  Without the variable
this hook does nothing.
"""

from __future__ import annotations

import os
import time

ENV_FLAG = "DISCLOSURE_DESK_EXIT_AFTER_SHOW"
ENV_FILE = "DISCLOSURE_DESK_SHOWN_FILE"
MARKER = "DISCLOSURE_DESK_SHOWN"


def enabled() -> bool:
    return os.environ.get(ENV_FLAG) == "1"


def report_shown(window) -> float:
    """Paint ``window`` now and report the time; returns it."""
    window.repaint()  # synchronous: the first frame is really drawn
    shown = time.time()
    line = f"{MARKER} {shown:.6f}"
    target = os.environ.get(ENV_FILE)
    if target:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(line + "\n")
    try:
        print(line, flush=True)
    except (AttributeError, OSError, ValueError):  # no console
        pass
    return shown


def exit_after_show_hook(context, main_window) -> None:
    """A STARTUP_HOOKS entry (runs after the other hooks: it defers itself
    to the event loop's next turn)."""
    if not enabled():
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def done() -> None:
        report_shown(main_window)
        QApplication.instance().quit()

    QTimer.singleShot(0, done)
