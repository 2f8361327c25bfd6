"""Before a write that would change a figure of a PUBLISHED annual report
(a back-dated application, a changed outcome or applicant category, a
deletion or a restore), ask the clerk — naming the year(s) and what
changes.  The clerk may go ahead (issue 5: allowed, but never silent);
the report page then lists the difference against the published figures.

The years come from ``storage.report_store.published_years_touched`` and
the wording from ``published_warning``; the placement in words from
``domain.report_stats.describe_placement``.
"""

from __future__ import annotations

import datetime as _dt
import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain import report_stats as rs
from ..storage import report_store as st

log = logging.getLogger(__name__)


def _row(record: dict | None):
    """``record`` as the section-三 tuple the statistics classify (None
    when absent or in the recycle bin); dates and reasons as a form hands
    them over are normalised like ``published_years_touched`` does."""
    if record is None or record.get("deleted_at"):
        return None
    row = rs.as_row(record)
    if row is None:
        return None
    row = tuple(v.isoformat() if isinstance(v, _dt.date) else v for v in row)
    reason = row[4]
    if isinstance(reason, str) and reason.strip().isdigit():
        row = row[:4] + (int(reason),) + row[5:]
    return row


def describe_changes(old: dict | None, new: dict | None, years: list[int]) -> list[str]:
    """One line per touched year: where the application counts in that
    year's section 三 now, and where it would count after the change."""
    a, b = _row(old), _row(new)
    lines = []
    for year in years:
        before = rs.describe_placement(a, year) if a is not None else None
        after = rs.describe_placement(b, year) if b is not None else None
        lines.append(f"{year}年：{before or '不计入'}\n　　改为：{after or '不再计入'}")
    return lines


def published_years(context, old: dict | None, new: dict | None) -> list[int]:
    try:
        return st.published_years_touched(context.register, old, new)
    except Exception:  # noqa: BLE001 - a failing check must not block the clerk's work
        log.exception("published-years check failed")
        return []


def confirm_published_change(context, parent: QWidget | None, old: dict | None, new: dict | None,
                             *, action: str = "保存") -> bool:
    """True when the change touches no published report, or the clerk
    chose to go ahead after the warning.  ``action`` names the button
    (保存, 移入回收站, 恢复…)."""
    years = published_years(context, old, new)
    if not years:
        return True
    # published_warning's first sentence names the year(s); its “修改仍会保存”
    # describes the after-the-fact notice, so the question says it its own way.
    headline = st.published_warning(years).split("。")[0] + "。"
    box = QMessageBox(QMessageBox.Warning, "将改变已发布的年度报告", headline, parent=parent)
    box.setInformativeText("变化如下：\n" + "\n".join(describe_changes(old, new, years))
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
