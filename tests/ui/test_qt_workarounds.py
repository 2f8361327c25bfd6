"""The PySide6 6.12.0 / Python 3.11 reference-count defect cannot crash the app."""

import sys

from PySide6.QtWidgets import QLabel

import desktop_app.ui  # noqa: F401  (applies the protection on import)


def test_many_void_qt_calls_do_not_exhaust_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(20000):  # far more than None's natural reference count
        label.setText("政府信息公开")
    # Still alive, and None still holds a reference count well above zero.
    assert sys.getrefcount(None) > 0
    assert label.text() == "政府信息公开"
    assert before > 0


def _shiboken_parents(obj) -> list[str]:
    """Qt objects that shiboken's ownership bookkeeping lists as holding ``obj``."""
    import gc

    return [type(r).__name__ for r in gc.get_referrers(obj) if type(r).__name__ not in ("list", "dict", "frame", "tuple")]


def test_screen_of_does_not_make_the_screen_a_child_of_the_widget(qtbot):
    """QWidget.screen() in PySide6 6.11 parents the QScreen wrapper to the
    widget, and the QScreen is deleted once the widget goes (a crash on X11);
    screen_of must not set up that relation."""
    from PySide6.QtWidgets import QDialog

    from desktop_app.ui.qt_workarounds import available_geometry, screen_of

    dialog = QDialog()
    qtbot.addWidget(dialog)
    screen = screen_of(dialog)
    assert screen is not None
    assert "QDialog" not in _shiboken_parents(screen)
    assert available_geometry(dialog).width() > 0


def test_no_module_asks_a_widget_or_window_for_its_screen():
    """Every screen lookup goes through qt_workarounds.screen_of."""
    import pathlib
    import re

    root = pathlib.Path(desktop_app.ui.__file__).parent
    offenders = [
        f"{path.name}:{n}"
        for path in root.rglob("*.py") if path.name != "qt_workarounds.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.screen\(\)", line)
    ]
    assert offenders == []
