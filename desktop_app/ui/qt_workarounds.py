"""Work-arounds for defects of the Qt binding that the app cannot avoid by
writing its own code differently.

PySide6 6.12.0 on CPython 3.11: every call of a C++ method returning
``void`` (``setText``, ``setFlags``, ``setRowCount`` …) hands back ``None``
without taking a reference to it.  On Python 3.12 and later ``None`` is
immortal (PEP 683) and nothing happens; on 3.11 its reference count —
about 5,000 at start-up — drops by one per call, and after a few thousand
calls the interpreter aborts with ``Fatal Python error: none_dealloc:
deallocating None``.  A desktop session makes that many calls in minutes.

:func:`protect_none_refcount` gives ``None`` the same protection 3.12
has: it adds 2**40 to its reference count once, so the lost references
can never bring it to zero.  It changes nothing on 3.12+ or on
interpreters other than CPython.  Call it before creating the
``QApplication``.
"""

from __future__ import annotations

import sys

_MARGIN = 1 << 40


def protect_none_refcount() -> bool:
    """Make ``None``'s reference count unreachable from zero on CPython <
    3.12; returns True if it was (or already had been) raised."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    if refcount.value < _MARGIN:
        refcount.value += _MARGIN
    return True


# --- QWidget.screen() / QWindow.screen() ----------------------------------------------
#
# PySide6 6.11 records the QScreen that ``QWidget.screen()`` (and
# ``QWindow.screen()``) returns as a child of the widget in its ownership
# bookkeeping.  When that widget is destroyed, the QScreen's wrapper is
# handed to Python as if Python owned it; the next garbage collection then
# deletes the C++ QScreen itself, and the next window Qt creates crashes
# in QScreen::virtualSiblings() (seen on X11: 编辑 → 已答复 → 保存, then
# 打印文书 → 预览 killed the app with SIGSEGV).  ``QGuiApplication.screenAt``
# and ``QGuiApplication.screens`` do not set up that relation, so the app
# asks for screens only through :func:`screen_of`.


def screen_of(widget=None):
    """The screen showing ``widget`` (its centre), else the primary screen;
    never through ``QWidget.screen()`` (see above)."""
    from PySide6.QtGui import QGuiApplication

    screen = None
    if widget is not None:
        window = widget.window()
        try:
            centre = window.mapToGlobal(window.rect().center())
            screen = QGuiApplication.screenAt(centre)
        except RuntimeError:  # the widget is gone already
            screen = None
    return screen or QGuiApplication.primaryScreen()


def available_geometry(widget=None):
    """The available geometry (without taskbars) of :func:`screen_of`
    ``widget``, or None without any screen."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else None


# --- PySide6's __feature__ import hook reads every module's source ---------------------
#
# PySide6 replaces ``__import__`` to support ``from __feature__ import
# snake_case, true_property``.  For each module imported after it, its hook
# (``shibokensupport.feature.feature_imported``) asks ``_mod_uses_pyside``,
# which reads the module's whole source file (``inspect.getsource``) to
# look for the word "PySide6": a file read per module, every standard-library
# and third-party module included, on the way to the first window.  The app
# uses no __feature__ (no module imports it), so no module needs a feature
# selection: every module counts as one without PySide, which is also what
# the hook decides in the built bundle, where no source file exists.


def skip_feature_source_reads() -> bool:
    """Make PySide6's feature hook decide "no feature selection" without
    reading each imported module's source; True if the hook was found.
    Does nothing on a PySide6 without that hook or once a module of the
    process has imported __feature__ (then its selection must be kept)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    selections = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(selections, dict) or any(isinstance(v, int) and v > 0 for v in selections.values()):
        return False  # a __feature__ selection is in use: leave the hook as it is
    global _feature_source_reader
    _feature_source_reader = feature._mod_uses_pyside  # (bench/bench_startup.py puts it back to compare)
    feature._mod_uses_pyside = _no_feature_selection
    return True


_feature_source_reader = None


def _no_feature_selection(module) -> bool:
    return False
