"""Before a write that would change a figure of a PUBLISHED annual report
(a back-dated application, a changed outcome or applicant category, a
deletion or a restore), ask the clerk — naming the year(s) and what
changes.  The clerk may go ahead (allowed, but never silent); the report
page then lists the difference against the published figures.

The years, the wording and the placements in words come from
``services.report``; a save of the application form gets them in the
:class:`~desktop_app.services.errors.PublishedChange` it raises."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ..domain.records import Application
from ..services import report

log = logging.getLogger(__name__)

Record = Application | Mapping[str, Any] | None


def published_years(context, old: Record, new: Record) -> list[int]:
    try:
        return report.published_years_touched(context.session, old, new)
    except Exception:  # a failing check is logged and never blocks the clerk's work
        log.exception("published-years check failed")
        return []


def ask(context, parent: QWidget | None, years: Sequence[int], changes: Sequence[str], *,
        action: str = "保存") -> bool:
    """Ask whether to go ahead with a change of published years; True when
    the clerk chose to.  ``action`` names the button (保存, 移入回收站…)."""
    # published_warning's first sentence names the year(s); its “修改仍会保存”
    # describes the after-the-fact notice, so the question says it its own way.
    headline = report.published_warning(years).split("。")[0] + "。"
    box = QMessageBox(QMessageBox.Warning, "将改变已发布的年度报告", headline, parent=parent)
    box.setInformativeText("变化如下：\n" + "\n".join(changes)
                           + f"\n\n如仍要{action}，差异将列在“年度报告”页面的“与已发布数字的差异”中，"
                           "请核对是否需要更正已发布的报告。")
    go = box.addButton(f"仍要{action}", QMessageBox.AcceptRole)
    cancel = box.addButton("返回", QMessageBox.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    if box.clickedButton() is not go:
        return False
    # The after-change guard (cases_page.PublishedGuard) need not warn again
    # about the years the clerk has just confirmed.
    confirmed = getattr(context, "confirmed_published_years", None)
    if not isinstance(confirmed, set):
        confirmed = set()
        context.confirmed_published_years = confirmed
    confirmed.update(years)
    return True


def confirm_published_change(context, parent: QWidget | None, old: Record, new: Record,
                             *, action: str = "保存") -> bool:
    """True when the change touches no published report, or the clerk
    chose to go ahead after the warning."""
    years = published_years(context, old, new)
    if not years:
        return True
    return ask(context, parent, years, report.placement_changes(old, new, years), action=action)


def ask_unlock(context, parent: QWidget | None, exc) -> bool:
    """A save refused because a published year is locked
    (``services.year_lock.YearLockedError``): ask the clerk for a reason
    and unlock the year(s) (audited); True when unlocked, so the caller
    saves again."""
    from ..services import year_lock
    from ..services.errors import RefusedError

    years = "、".join(f"{y}年" for y in exc.years)
    reason, ok = QInputDialog.getText(
        parent, "解锁已发布的年度", f"{exc}\n\n如确需更改，请写明解锁{years}的理由（记入操作日志）：")
    if not ok:
        return False
    try:
        for year in exc.years:
            year_lock.unlock_year(context.session, year, reason)
    except RefusedError as err:
        QMessageBox.warning(parent, "解锁已发布的年度", str(err))
        return False
    return True
