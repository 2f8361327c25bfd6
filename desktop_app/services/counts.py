"""The counts the window shows from its first screen on: the register's
total in the status bar (the 工作台's own are :func:`.deadlines.open_counts`).

Plain SQL from :mod:`..storage.open_counts`: counting does not load the
applications' records or their repository (issue 19: start-up).
"""

from __future__ import annotations

from ..storage import open_counts
from .session import Session


def registered(session: Session) -> int:
    """Applications in the register (not those in the recycle bin)."""
    from .startup_check import take_early_registered

    early = take_early_registered(session.store.path)  # (read beside the window's start, once)
    return early if early is not None else open_counts.registered(session.store.db)


__all__ = ["registered"]
