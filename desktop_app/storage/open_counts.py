"""The 工作台's counts of open applications in one SQL pass over the stored
deadline columns (through the status index), and the register's total.

The pass does not depend on the working-day calendar: the applications whose
deadline is still ahead are counted per due date, and "due soon" (due before
a given working day) is summed from those afterwards.  So the pass can run
before the calendar is loaded, even in another thread on its own read-only
connection while the window opens (``services.startup_check``).

Standard library only.  The state of each row is
:func:`domain.deadlines.view_of_row`'s, in SQL; tests compare the two on
generated registers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

#: Rows in the recycle bin are left out of lists and counts ("+": never
#: plan by the recycle-bin index; ``storage.applications`` uses the same).
NOT_DELETED = "+deleted_at IS NULL"

# The state of an open row on :today; 'ahead' = due after today (the
# view's due_soon or running, told apart by the due date afterwards).
_STATE = """CASE
    WHEN clock_state = 'closed' OR (clock_state IS NULL
         AND ((outcome IS NOT NULL AND outcome != '') OR status = 'closed')) THEN 'closed'
    WHEN clock_state = 'paused_correction' THEN 'paused_correction'
    WHEN clock_state IS NULL OR due_date IS NULL OR due_date = '' THEN 'unknown'
    WHEN (clock_state = 'paused_fee' OR (status = 'awaiting_payment'
          AND clock_state IN ('running', 'extended')))
         AND pause_until IS NOT NULL AND pause_until != '' AND :today > pause_until THEN 'fee_lapsed'
    WHEN clock_state = 'paused_fee' THEN 'paused_fee'
    WHEN clock_state = 'paused_third_party' AND pause_until IS NOT NULL AND pause_until != ''
         AND :today <= pause_until THEN 'paused_third_party'
    WHEN :today > due_date THEN 'overdue'
    WHEN :today = due_date THEN 'due_today'
    ELSE 'ahead' END"""

SQL = f"""SELECT CASE WHEN state = 'ahead' THEN due_date END, count(*),
        coalesce(sum(coalesce(deadline_provisional, 0) != 0), 0),
        coalesce(sum(state = 'overdue'), 0), coalesce(sum(state = 'due_today'), 0),
        coalesce(sum(state != 'closed' AND status = 'awaiting_correction'), 0),
        coalesce(sum(state != 'closed' AND status = 'awaiting_third_party'), 0),
        coalesce(sum(state != 'closed' AND status = 'awaiting_payment'), 0),
        coalesce(sum(state != 'closed' AND (status = 'extended' OR coalesce(extension_days, 0) > 0)), 0)
    FROM (SELECT status, extension_days, deadline_provisional, due_date, {_STATE} AS state
          FROM applications WHERE (status < 'closed' OR status > 'closed') AND {NOT_DELETED})
    GROUP BY 1"""

#: The counts, in the order :meth:`OpenCountsPass.counts` gives them.
KEYS = ("open", "provisional", "overdue", "due_today", "due_soon", "awaiting_correction",
        "awaiting_third_party", "awaiting_payment", "extended")
_SUMMED = ("open", "provisional", "overdue", "due_today", "awaiting_correction",
           "awaiting_third_party", "awaiting_payment", "extended")


class _Executes(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


@dataclass(frozen=True)
class OpenCountsPass:
    """One pass over the open applications as of ``today`` (ISO): the
    counts that do not depend on the calendar, and how many applications
    still ahead of their deadline fall due on each date."""

    today: str
    fixed: tuple[tuple[str, int], ...]
    ahead: tuple[tuple[str, int], ...]  # (due date, how many), due after today

    def counts(self, soon_before: str) -> dict[str, int]:
        """``open``, ``provisional`` and each dashboard group, "due soon"
        meaning due after today and before ``soon_before`` (ISO)."""
        out = dict(self.fixed)
        out["due_soon"] = sum(n for due, n in self.ahead if due < soon_before)
        return {k: out[k] for k in KEYS}


def registered(conn: _Executes) -> int:
    """Applications in the register, less those in the recycle bin (both
    counted from indexes: no table scan)."""
    return int(conn.execute(
        "SELECT (SELECT count(*) FROM applications) - "
        "(SELECT count(*) FROM applications WHERE deleted_at IS NOT NULL)").fetchone()[0])


def read(conn: _Executes, today: str) -> OpenCountsPass:
    """The pass over ``conn`` (a sqlite3 connection, or the register's
    database: anything with ``execute``) for the day ``today`` (ISO)."""
    totals = dict.fromkeys(_SUMMED, 0)
    ahead = []
    for due, *values in conn.execute(SQL, {"today": today}).fetchall():
        for key, value in zip(_SUMMED, values):
            totals[key] += int(value)
        if due is not None:
            ahead.append((str(due), int(values[0])))
    return OpenCountsPass(today, tuple(totals.items()), tuple(ahead))


__all__ = ["KEYS", "NOT_DELETED", "SQL", "OpenCountsPass", "read", "registered"]
