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
