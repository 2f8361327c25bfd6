"""A published annual report's year is locked where the data lives.

Once a year's report is published (``report.publish``), a change that
would alter its figures — an application saved from the GUI or the CLI,
an import, a reconsideration or litigation case, the section 二 figures,
the report's texts — is refused with :class:`YearLockedError` until the
clerk unlocks the year with a reason (:func:`unlock_year`).  Unlocking,
locking again, publishing and unpublishing are written to the audit
trail (entity ``report_year``).  Publishing a year again locks it.

The unlocks are kept in the settings (key :data:`UNLOCK_KEY`: year →
reason, time), so a register needs no new table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..storage.store import Store
from .errors import RefusedError
from .session import Session, now_iso

UNLOCK_KEY = "report_unlocked_years"
AUDIT_ENTITY = "report_year"


class YearLockedError(RefusedError):
    """The change would alter published, locked years (``years``):
    nothing was written."""

    def __init__(self, years: list[int], what: str = "此修改"):
        self.years = years
        text = "、".join(f"{y}年" for y in years)
        super().__init__(
            f"{what}会改变已发布的{text}政府信息公开工作年度报告中的数字或内容。该年度已锁定，本次没有保存。"
            f"如确需更改，请先在“年度报告”页解锁{text}并写明理由（解锁记入操作日志），"
            f"或在命令行用 report-unlock --year {years[0]} --reason 理由。")


def unlocked(store: Store) -> dict[int, dict[str, Any]]:
    """Year → {reason, at} of the published years the clerk unlocked."""
    raw = store.settings.get(UNLOCK_KEY) or {}
    out: dict[int, dict[str, Any]] = {}
    for key, value in dict(raw).items():
        try:
            out[int(key)] = dict(value or {})
        except (TypeError, ValueError):
            continue
    return out


def locked_years(store: Store, years: Iterable[int]) -> list[int]:
    """Those of ``years`` that are published and not unlocked."""
    published = set(store.report.published_years())
    free = unlocked(store)
    return sorted({y for y in years if y in published and y not in free})


def require_unlocked(store: Store, years: Iterable[int], what: str = "此修改") -> None:
    """Raise :class:`YearLockedError` when any of ``years`` is locked."""
    locked = locked_years(store, years)
    if locked:
        raise YearLockedError(locked, what)


def is_locked(session: Session, year: int) -> bool:
    return bool(locked_years(session.store, [year]))


def unlock_year(session: Session, year: int, reason: str) -> None:
    """Unlock a published year so its figures may be changed; the reason
    is required and audited."""
    reason = (reason or "").strip()
    if not reason:
        raise RefusedError("请写明解锁的理由（如“更正第3件申请的办理结果，已报上级同意”）。")
    store = session.store
    if year not in store.report.published_years():
        raise RefusedError(f"{year}年度报告尚未发布，无需解锁。")
    with store.transaction():
        current = {str(y): v for y, v in unlocked(store).items()}
        current[str(year)] = {"reason": reason, "at": now_iso()}
        store.settings.put(UNLOCK_KEY, current)
        store.audit.record(AUDIT_ENTITY, year, "unlock", None, {"reason": reason})


def lock_year(store: Store, year: int, action: str = "lock") -> None:
    """Lock ``year`` again (inside the caller's transaction); audited as
    ``action`` (``lock``, or ``publish`` when publishing re-locks it)."""
    current = {str(y): v for y, v in unlocked(store).items()}
    was = current.pop(str(year), None)
    store.settings.put(UNLOCK_KEY, current)
    if action == "lock" and was is None:
        return
    store.audit.record(AUDIT_ENTITY, year, action, {"unlocked": was} if was else None, None)


def relock_year(session: Session, year: int) -> None:
    """Lock an unlocked published year again (audited)."""
    with session.store.transaction():
        lock_year(session.store, year)
