"""What a use case refuses, with a Chinese message for the clerk.

Every error a service raises on purpose is a :class:`ServiceError` (or
one of the lower layers' errors listed in ``__all__`` of the service),
so the GUI shows ``str(error)`` in a dialog and the command line prints
it through one handler."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping



class ServiceError(Exception):
    """A use case that could not be done; ``str()`` is for the clerk."""


class ValidationError(ServiceError):
    """A record that may not be saved: ``errors`` maps field → message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class NotFoundError(ServiceError, LookupError):
    """The application (case, document…) is not in the register."""


class StepError(ServiceError, ValueError):
    """A workflow step that breaks a rule; ``errors`` lists why."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class CalendarError(ServiceError, ValueError):
    """A calendar change that may not be saved."""


class RulesError(ServiceError, ValueError):
    """Deadline rules that may not be saved; ``errors`` maps field → message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class PublishedChange(ServiceError):
    """The change would alter figures of published annual reports
    (``years``) that the clerk has not agreed to change: nothing was
    written; ask, then save again naming the years agreed to."""

    def __init__(self, years: list[int], message: str, changes: list[str]):
        self.years = years
        #: one line per year: where the application counts now, and after
        self.changes = changes
        super().__init__(message)


class RefusedError(ServiceError, ValueError):
    """The request is not allowed as it stands (purging an application
    that is not in the recycle bin…)."""


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a write lock another program
    holds (the GUI beside a command): the clerk is told to try again."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def clerk_errors() -> tuple[type[Exception], ...]:
    """Every error a use case raises for the clerk to read: ``str(error)``
    says what happened and what to do.  The command line reports these in
    one place (``cli.run_command``).  (Read when asked: the modules that
    define them are not needed to open the window.)"""
    from ..documents.notices import NoticeError
    from ..documents.report_export import ExportError
    from ..documents.templates import TemplateError
    from ..domain.report_model import ReportFileError
    from ..ledger.reader import LedgerFileError
    from ..storage.backups import BackupError

    return (ServiceError, NoticeError, TemplateError, ExportError, ReportFileError, LedgerFileError, BackupError)
