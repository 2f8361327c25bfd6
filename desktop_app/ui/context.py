"""What every window, page and dialog of the GUI shares."""

from __future__ import annotations

import datetime as _dt
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..domain.settings import Settings
from ..domain.workdays import WorkdayCalendar
from ..services.deadlines import load_calendar
from ..services.session import Session
from ..services.settings import get_settings
from .registry import Features

#: The agency's calendar is read again after this many seconds at most.
CALENDAR_TTL = 60.0


class AppContext(QObject):
    """The open register, the GUI's features and the signals that keep
    views in step.

    Pages never talk to each other directly: a page that writes calls
    :meth:`notify_changed`, and every page listening to ``data_changed``
    reloads what it shows.
    """

    #: Any application, event or setting was written.
    data_changed = Signal()
    #: Ask the main window to show one application (id) in the register.
    application_requested = Signal(int)

    def __init__(self, session: Session, features: Features, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.features = features
        #: "today" for the register's deadline columns (tests, demonstrations)
        self.today_override: _dt.date | None = None
        self._calendar: tuple[float, WorkdayCalendar] | None = None
        self.data_changed.connect(self._forget_calendar)

    @property
    def db_path(self) -> Path:
        return self.session.path

    def settings(self) -> Settings:
        return get_settings(self.session)

    def notify_changed(self) -> None:
        self.data_changed.emit()

    def today(self) -> _dt.date:
        return self.today_override or _dt.date.today()

    def calendar(self) -> WorkdayCalendar:
        """The agency's working-day calendar, kept for a minute (the
        register table asks for it for every painted cell)."""
        if self._calendar is None or time.monotonic() - self._calendar[0] > CALENDAR_TTL:
            self._calendar = (time.monotonic(), load_calendar(self.session))
        return self._calendar[1]

    def _forget_calendar(self) -> None:
        self._calendar = None
