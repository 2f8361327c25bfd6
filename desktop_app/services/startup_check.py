"""The start-up integrity check (``PRAGMA quick_check``, read-only) of the
register a run of the GUI will open, in a plain thread started as soon as the
window's frame is shown, so that it runs on the other core while the modules
that open the register load.

Only the standard library and ``storage.integrity`` are imported here: the
thread holds Python's lock only to start and to end (SQLite reads the file
without it).  Its report counts only if the file is the same one, unchanged
(size and modification time), when the register is opened."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..storage.integrity import IntegrityReport

log = logging.getLogger(__name__)


class EarlyIntegrityCheck:
    def __init__(self, path: Path):
        self.path = path
        self.report: IntegrityReport | None = None
        self._stat = self._stat_of(path)
        self._thread = threading.Thread(target=self._run, name="startup-check", daemon=True)
        self._thread.start()

    @staticmethod
    def _stat_of(path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns)

    def _run(self) -> None:
        try:
            from ..storage.integrity import quick_check

            self.report = quick_check(self.path)
        except Exception:  # noqa: BLE001 - the check is simply run again when the register is opened
            log.debug("early integrity check failed", exc_info=True)

    def running(self) -> bool:
        """Whether the check is still reading the file."""
        return self._thread.is_alive()

    def report_for(self, path: Path) -> IntegrityReport | None:
        """The report for ``path`` (waiting for the check to end), or None
        when it must be checked again."""
        self._thread.join()
        if self.report is None or self._stat is None or Path(path) != self.path:
            return None
        return self.report if self._stat_of(self.path) == self._stat else None

    @classmethod
    def start(cls, args: Any) -> EarlyIntegrityCheck | None:
        """The check of the register ``args`` (``--db``/``--demo``) opens,
        when it exists."""
        from ..files.paths import register_path

        try:
            path = register_path(getattr(args, "db", None), demo=bool(getattr(args, "demo", False)))
            return cls(path) if path.is_file() else None
        except OSError:
            return None
