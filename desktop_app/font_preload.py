"""Fontconfig's start-up work done beside the app's (Linux; issue 19).

The first widget that measures text makes Qt's font database, and on Linux
that first has fontconfig read its configuration and font caches (~10 ms
on the bench machine, far more from an office PC's cold disk).  Started
here, right after the platform check, it runs in a thread while Python
imports the app and Qt: ctypes lets go of the interpreter lock during the
call, so the two really run side by side.  Qt's own ``FcInit`` then finds
fontconfig ready.

Nothing depends on it: a library that is not there, or any failure, leaves
fontconfig to Qt as before.  :func:`wait` is called before the
QApplication is made, so Qt never initialises fontconfig at the same time.
Standard library only (it runs before Qt is imported).
"""

from __future__ import annotations

import sys
import threading

#: The library Qt's font database uses on Linux (the same soname: one copy
#: in the process, the one the platform check has just loaded with Qt's).
LIBRARY = "libfontconfig.so.1"

_thread: threading.Thread | None = None


def _init() -> None:
    try:
        import ctypes

        ctypes.CDLL(LIBRARY).FcInit()
    except (OSError, AttributeError):  # no fontconfig here: Qt does without, or loads its own
        pass


def start() -> bool:
    """Start the preload (Linux only, once); whether it was started."""
    global _thread
    if not sys.platform.startswith("linux") or _thread is not None:
        return False
    _thread = threading.Thread(target=_init, name="fontconfig-preload", daemon=True)
    _thread.start()
    return True


def wait() -> None:
    """Until the preload (if any) has finished."""
    if _thread is not None:
        _thread.join()


__all__ = ["LIBRARY", "start", "wait"]
