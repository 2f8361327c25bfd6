"""The start-up integrity check (``PRAGMA quick_check``, read-only) of the
register a run of the GUI will open.

A register that is exactly as a recent passed check left it
(``storage.check_mark``: same file, size, times and header, no write in
progress) is not read again: its sound report is there at once.  Otherwise
the check runs in a plain thread started as soon as the window's frame is
shown, so that it runs on the other core while the modules that open the
register load, and a file that passes is marked.  After a session that ended
cleanly, a register the session changed is checked (and marked) before the
process ends, so the next start finds it marked.

Only the standard library and ``storage.integrity``/``storage.check_mark``
are imported here: the thread holds Python's lock only to start and to end
(SQLite reads the file without it).  Its report counts only if the file is
the same one, unchanged (size and modification time), when the register is
opened."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..storage.integrity import IntegrityReport

log = logging.getLogger(__name__)


class EarlyIntegrityCheck:
    def __init__(self, path: Path, marks: Path | None = None):
        self.path = path
        self.marks = marks
        self.report: IntegrityReport | None = None
        self._stat = self._stat_of(path)
        self._thread: threading.Thread | None = None
        if marks is not None and _is_marked(path, marks):
            from ..storage.integrity import IntegrityReport

            self.report = IntegrityReport(path, True, from_mark=True)
            # nothing to check: the thread reads the 工作台's counts instead
            # (SQLite reads without Python's lock, beside the window's start)
            _EARLY_COUNTS.start(path)
            return
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
            from ..storage.check_mark import check_unless_marked

            self.report = check_unless_marked(self.path, self.marks)
        except Exception:  # noqa: BLE001 - the check is simply run again when the register is opened
            log.debug("early integrity check failed", exc_info=True)

    def running(self) -> bool:
        """Whether the check is still reading the file."""
        return self._thread is not None and self._thread.is_alive()

    def report_for(self, path: Path) -> IntegrityReport | None:
        """The report for ``path`` (waiting for the check to end), or None
        when it must be checked again."""
        if self._thread is not None:
            self._thread.join()
        if self.report is None or self._stat is None or Path(path) != self.path:
            return None
        return self.report if self._stat_of(self.path) == self._stat else None

    @classmethod
    def start(cls, args: Any) -> EarlyIntegrityCheck | None:
        """The check of the register ``args`` (``--db``/``--demo``) opens,
        when it exists."""
        from ..files.paths import check_marks_dir, register_path

        try:
            path = register_path(getattr(args, "db", None), demo=bool(getattr(args, "demo", False)))
            return cls(path, check_marks_dir()) if path.is_file() else None
        except OSError:
            return None


class _EarlyCounts:
    """The 工作台's counts of open applications (``storage.open_counts``)
    and the register's total (the status bar's), read once at start-up in a
    thread on a read-only connection of its own while the window opens, and
    each handed to the first count of the same register (the open counts: on
    the same day) when the file is still exactly as the thread read it
    (``storage.check_mark.FileState``); any doubt: counted again."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._path: Path | None = None
        self._state: Any = None
        self._pass: Any = None
        self._registered: int | None = None

    def start(self, path: Path) -> None:
        import datetime as _dt

        self._path, self._state, self._pass, self._registered = Path(path), None, None, None
        today = _dt.date.today().isoformat()
        self._thread = threading.Thread(target=self._read, args=(self._path, today),
                                        name="startup-counts", daemon=True)
        self._thread.start()

    def _read(self, path: Path, today: str) -> None:
        try:
            from ..storage.check_mark import FileState
            from ..storage.open_counts import read, registered
            from ..storage.sqlite_file import open_untouched

            before = FileState.of(path)
            if before is None or Path(f"{path}-wal").exists():
                return  # (open_untouched would read a copy: not worth it here)
            with open_untouched(path) as conn:
                counted = read(conn, today)
                total = registered(conn)
            if FileState.of(path) == before:
                self._state, self._pass, self._registered = before, counted, total
        except Exception:  # noqa: BLE001 - the 工作台 counts them itself
            log.debug("early counts failed", exc_info=True)

    def _for(self, path: Path | None) -> bool:
        """Whether what the thread read (waited for) is of ``path``."""
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
        return path is not None and self._path == Path(path)

    def _unchanged(self, path: Path) -> bool:
        from ..storage.check_mark import FileState

        return self._state is not None and FileState.of(path) == self._state

    def take(self, path: Path | None, today: str) -> Any:
        """The pass read at start-up for ``path`` as of ``today`` (ISO), once,
        when the file has not changed since; else None."""
        mine = self._for(path)
        counted, self._pass = self._pass, None
        if not mine or path is None or counted is None or counted.today != today:
            return None
        return counted if self._unchanged(path) else None

    def take_registered(self, path: Path | None) -> int | None:
        """The register's total read at start-up for ``path``, once, when the
        file has not changed since; else None."""
        mine = self._for(path)
        total, self._registered = self._registered, None
        if not mine or path is None or total is None:
            return None
        return total if self._unchanged(path) else None


_EARLY_COUNTS = _EarlyCounts()


def take_early_counts(path: Path | None, today: str) -> Any:
    """The 工作台's counts read at start-up (a ``storage.open_counts.OpenCountsPass``)
    for ``path`` as of ``today``, once, when still valid; else None."""
    return _EARLY_COUNTS.take(path, today)


def take_early_registered(path: Path | None) -> int | None:
    """The register's total (``storage.open_counts.registered``) read at
    start-up for ``path``, once, when still valid; else None."""
    return _EARLY_COUNTS.take_registered(path)


def _is_marked(path: Path, marks: Path) -> bool:
    from ..storage.check_mark import is_marked

    return is_marked(path, marks)


def check_for_start(path: Path) -> IntegrityReport:
    """The start-up check of ``path`` when the early one could not be used
    (the clerk chose another file, or it changed): at once when marked."""
    from ..files.paths import check_marks_dir
    from ..storage.check_mark import check_unless_marked

    return check_unless_marked(path, check_marks_dir())


def check_after_session(path: Path) -> IntegrityReport | None:
    """After a session that ended cleanly (the register closed): when the
    file is no longer as its mark says (the session, or a command beside it,
    wrote to it) or the mark is old, check it now, while the process ends,
    so that the next start finds it marked.  None when it was still marked;
    never raises (a failure only means the next start checks)."""
    from ..files.paths import check_marks_dir
    from ..storage.check_mark import check_unless_marked

    try:
        if not Path(path).is_file():
            return None
        report = check_unless_marked(path, check_marks_dir())
    except Exception:  # noqa: BLE001 - the next start checks the file
        log.warning("the check after the session failed", exc_info=True)
        return None
    if report.from_mark:
        return None
    if report.damaged:
        log.error("the register was found damaged after the session: %s", "; ".join(report.problems))
    return report
