"""Drive the real GUI from inside its own event loop, the way a clerk does:
one modal dialog after another.

``expect(kind, handler)`` arms a watcher that calls ``handler(dialog)`` as
soon as a modal dialog of that class becomes the active modal window; the
caller then triggers what opens it (a button click, an action), which
blocks in ``exec()`` until the handler closes it.  Handlers may arm the next
watcher and click on, so nested dialogs (preview → print dialog) are driven
in the order they appear.  A dialog that never appears, or a handler that
raises, fails the scenario with the step's name.
"""

from __future__ import annotations

import gc
import time
import traceback

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QMessageBox,
    QWidget,
)


class ScenarioError(AssertionError):
    pass


class Driver:
    #: A modal dialog nobody expected that stays this long fails the step and is closed.
    STRAY_AFTER = 8.0

    def __init__(self, log):
        self.log = log
        self.failures: list[str] = []
        self.step = "start"
        self._handled: set[int] = set()
        self._stray: tuple[int, float] | None = None
        self._watchdog = QTimer()
        self._watchdog.setInterval(250)
        self._watchdog.timeout.connect(self._close_stray_modal)
        self._watchdog.start()

    def _close_stray_modal(self) -> None:
        w = QApplication.activeModalWidget()
        if w is None or id(w) in self._handled:
            self._stray = None
            return
        if self._stray is None or self._stray[0] != id(w):
            self._stray = (id(w), time.monotonic())
            return
        if time.monotonic() - self._stray[1] > self.STRAY_AFTER:
            text = w.text() if isinstance(w, QMessageBox) else ""
            self.failures.append(f"{self.step}: unexpected {type(w).__name__} “{w.windowTitle()}” {text}")
            self._stray = None
            w.reject() if isinstance(w, QDialog) else w.close()

    def begin(self, step: str) -> None:
        """Start the next step; a dialog armed for the previous one that never
        came is a failure of that step (and its watcher is stopped)."""
        for timer, what, owner in getattr(self, "_pending", []):
            if timer.isActive():
                timer.stop()
                self.failures.append(f"{owner}: {what} never appeared")
        self._pending = []
        self.step = step
        # Collect garbage now, not whenever Python decides: a wrapper that
        # wrongly owns a Qt object (a binding defect) then fails here, in
        # this step, every time, instead of at random later.
        gc.collect()

    # --- waiting ---------------------------------------------------------------------------

    def pump(self, ms: int = 50) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            QApplication.processEvents(QEventLoop.AllEvents, 20)
            time.sleep(0.005)

    def wait_for(self, predicate, what: str, timeout: float = 20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = predicate()
            if value:
                return value
            self.pump(30)
        raise ScenarioError(f"{self.step}: timed out waiting for {what}")

    # --- modal dialogs ---------------------------------------------------------------------

    def expect(self, kind, handler, timeout: float = 20.0) -> None:
        """Call ``handler(dialog)`` when a modal ``kind`` (a class or a class
        name) is shown; fail the scenario if none is within ``timeout``."""
        started = time.monotonic()
        step = self.step
        timer = QTimer()
        timer.setInterval(40)
        seen: set[int] = set()

        def poll():
            w = QApplication.activeModalWidget()
            name = type(w).__name__ if w is not None else None
            wanted = kind if isinstance(kind, str) else kind.__name__
            if w is not None and id(w) not in seen and w.isVisible() and (
                    name == wanted or (not isinstance(kind, str) and isinstance(w, kind))):
                seen.add(id(w))
                self._handled.add(id(w))
                timer.stop()
                self.log(f"  [{step}] {name}: {w.windowTitle()}")
                try:
                    gc.collect()
                    handler(w)
                except Exception:  # noqa: BLE001 - report and close, the scenario fails
                    self.failures.append(f"{step}: handler for {wanted} raised\n{traceback.format_exc()}")
                    if w.isVisible():
                        w.reject() if isinstance(w, QDialog) else w.close()
                return
            if time.monotonic() - started > timeout:
                timer.stop()
                self.failures.append(f"{step}: no {wanted} dialog appeared within {timeout:.0f} s "
                                     f"(active modal: {name})")
                if w is not None and isinstance(w, QDialog):
                    w.reject()

        timer.timeout.connect(poll)
        timer.start()
        self._pending = getattr(self, "_pending", [])
        self._pending.append((timer, f"a {kind if isinstance(kind, str) else kind.__name__} dialog", step))

    # --- clicks ----------------------------------------------------------------------------

    def click(self, widget: QWidget) -> None:
        """A real mouse click in the middle of ``widget`` (it must be visible and enabled)."""
        if not widget.isVisible() or not widget.isEnabled():
            raise ScenarioError(f"{self.step}: cannot click {widget!r} (visible={widget.isVisible()}, "
                                f"enabled={widget.isEnabled()})")
        QTest.mouseClick(widget, Qt.LeftButton, Qt.NoModifier, widget.rect().center())

    def button(self, parent: QWidget, text: str) -> QAbstractButton:
        """The visible button of ``parent`` whose text starts with ``text``."""
        for b in parent.findChildren(QAbstractButton):
            if b.isVisible() and b.text().replace("&", "").startswith(text):
                return b
        labels = [b.text() for b in parent.findChildren(QAbstractButton) if b.isVisible()]
        raise ScenarioError(f"{self.step}: no button {text!r} in {type(parent).__name__} (has {labels})")

    def answer(self, text: str) -> None:
        """Arm: the next QMessageBox is answered with the button ``text``."""
        def handler(box: QMessageBox):
            self.click(self.button(box, text))
        self.expect(QMessageBox, handler)

    def menu_point(self, widget: QWidget) -> QPoint:
        return widget.mapToGlobal(widget.rect().center())


def expect_popup_item(driver: Driver, text: str, timeout: float = 10.0) -> None:
    """Arm: click the item starting with ``text`` of the next popup menu."""
    from PySide6.QtWidgets import QMenu

    started = time.monotonic()
    step = driver.step
    timer = QTimer()
    timer.setInterval(40)

    def poll():
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu) and menu.isVisible():
            timer.stop()
            for action in menu.actions():
                if action.text().replace("&", "").startswith(text):
                    if not action.isEnabled():
                        driver.failures.append(f"{step}: menu item {text!r} is disabled: {action.toolTip()}")
                        menu.close()
                        return
                    driver.log(f"  [{step}] menu: {action.text()}")
                    QTest.mouseClick(menu, Qt.LeftButton, Qt.NoModifier, menu.actionGeometry(action).center())
                    return
            driver.failures.append(f"{step}: no menu item {text!r} in {[a.text() for a in menu.actions()]}")
            menu.close()
        elif time.monotonic() - started > timeout:
            timer.stop()
            driver.failures.append(f"{step}: no popup menu appeared")

    timer.timeout.connect(poll)
    timer.start()
    driver._pending = getattr(driver, "_pending", [])
    driver._pending.append((timer, f"a popup menu with {text!r}", step))
