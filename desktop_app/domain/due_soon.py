"""When a deadline counts as "due soon" (a module of its own: the 工作台's
first count needs it before the deadline rules of :mod:`.deadlines` are
loaded)."""

from __future__ import annotations

#: Working days left at or under which a deadline is "due soon" (orange).
DUE_SOON_DAYS = 3

__all__ = ["DUE_SOON_DAYS"]
