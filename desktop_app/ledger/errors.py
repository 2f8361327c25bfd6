"""The error every ledger reader raises when a file as a whole cannot be
read (a module of its own, so that the services that catch it need not
load the readers)."""

from __future__ import annotations


class LedgerFileError(Exception):
    """The file as a whole cannot be read; the message is for the clerk."""


__all__ = ["LedgerFileError"]
