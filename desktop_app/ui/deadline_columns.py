"""Register columns 答复期限 and 剩余工作日 (through
``ui.features``): overdue in red, three working days or
fewer in orange, sortable by urgency.

The columns read the derived deadline columns of each row; the working
days left are counted on the agency's calendar (``context.calendar()``)
for ``context.today()``."""

from __future__ import annotations

from functools import partial

from PySide6.QtGui import QColor

from ..domain import deadlines as dl
from .register_model import CENTER, Column

RED = QColor("#c62828")
ORANGE = QColor("#e65100")
FIELDS = ("due_date", "clock_state", "pause_until", "deadline_provisional", "status", "outcome")



def _view(context, r) -> dl.DeadlineView:
    return dl.view_of_row(r, context.calendar(), context.today())


def _due_text(r) -> str:
    if r["status"] == "closed" or not r["due_date"]:
        return ""
    return r["due_date"] + (" 暂定" if r["deadline_provisional"] else "")  # the tooltip says why


def _days_text(context, r) -> str:
    if r["status"] == "closed":
        return ""
    return _view(context, r).short_text


def _color(context, r):
    if r["status"] == "closed":
        return None
    v = _view(context, r)
    level = v.level
    if level == "overdue" or v.state in (dl.CORRECTION_LAPSED, dl.FEE_LAPSED):
        return RED
    if level == "soon":
        return ORANGE
    return None


def _tooltip(context, r) -> str | None:
    if r["status"] == "closed":
        return None
    v = _view(context, r)
    text = v.label
    if v.pause_until and v.state in (dl.PAUSED_CORRECTION, dl.PAUSED_FEE, dl.PAUSED_THIRD_PARTY):
        text += f"（至 {v.pause_until.isoformat()}）"
    if v.provisional:
        text += "\n期限涉及放假安排尚未录入的年份，为暂定结果。"
    return text


#: 剩余工作日's key of a closed application: above every open one's (``DeadlineView.sort_key``).
CLOSED_KEY = 1e9


def _sort_key(context, r):
    if r["status"] == "closed":
        return CLOSED_KEY
    return _view(context, r).sort_key


def due_column_width() -> int:
    """Wide enough for a provisional date, “2027-01-04 暂定”, in the UI font."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    metrics = QFontMetrics(QApplication.font())
    return max(96, metrics.horizontalAdvance("2027-01-04 暂定") + 18)


def columns(context) -> list[Column]:
    """The two columns, counting on the agency's calendar as of
    ``context.today()``."""
    tooltip = partial(_tooltip, context)
    return [
        Column("due_date", "答复期限", FIELDS, _due_text, sort_key=lambda r: r["due_date"] or "9999",
               alignment=CENTER, width=due_column_width(), after="status", tooltip=tooltip,
               sort_field="due_date"),
        Column("days_left", "剩余工作日", FIELDS, partial(_days_text, context),
               sort_key=partial(_sort_key, context), foreground=partial(_color, context),
               alignment=CENTER, width=92, after="due_date", tooltip=tooltip, closed_key=CLOSED_KEY,
               key_of_fields=True),
    ]
