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


_FEATURE_PROBE = r"""
import inspect, sys, pathlib
sys.path.insert(0, sys.argv[1])
reads = []
real = inspect.getsource
inspect.getsource = lambda obj: (reads.append(getattr(obj, "__name__", "?")), real(obj))[1]
import desktop_app.ui  # the workaround is applied here (PySide6's own import read two sources before)
from desktop_app.ui import qt_workarounds
reads.clear()
feature = sys.modules["shibokensupport.feature"]
import probe_module_after_qt  # a module with a source file, imported after PySide6
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("政府信息公开")
print(feature._mod_uses_pyside is qt_workarounds._no_feature_selection,
      feature.pyside_feature_dict.get("probe_module_after_qt"), reads, label.text())
"""


def test_pyside_feature_hook_reads_no_module_source_and_qt_still_works(tmp_path):
    """PySide6's __feature__ hook read each imported module's source file
    (inspect.getsource) on the way to the first window; after
    ``import desktop_app.ui`` it decides without reading, and Qt works."""
    import subprocess
    from pathlib import Path

    (tmp_path / "probe_module_after_qt.py").write_text("from PySide6.QtCore import QObject\nVALUE = 1\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", _FEATURE_PROBE, str(tmp_path)], cwd=root,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                              "PYTHONPATH": str(root)},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "-1", "[]", "政府信息公开"], out.stdout


def test_pyside_feature_hook_is_left_alone_when_a_feature_selection_is_in_use(monkeypatch):
    from desktop_app.ui import qt_workarounds

    feature = sys.modules["shibokensupport.feature"]
    original = feature._mod_uses_pyside
    monkeypatch.setattr(feature, "_mod_uses_pyside", original)
    monkeypatch.setitem(feature.pyside_feature_dict, "a_module_using_snake_case", 1)
    assert qt_workarounds.skip_feature_source_reads() is False
    assert feature._mod_uses_pyside is original
