"""What every window, page and dialog of the GUI shares."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..storage.register import Register


class AppContext(QObject):
    """The open register and the signals that keep views in step.

    Pages never talk to each other directly: a page that writes calls
    :meth:`notify_changed`, and every page listening to ``data_changed``
    reloads what it shows.
    """

    #: Any application, event or setting was written.
    data_changed = Signal()
    #: Ask the main window to show one application (id) in the register.
    application_requested = Signal(int)

    def __init__(self, register: Register, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.register = register
        self.db_path = Path(db_path)

    def settings(self) -> dict:
        return self.register.settings()

    def notify_changed(self) -> None:
        self.data_changed.emit()
