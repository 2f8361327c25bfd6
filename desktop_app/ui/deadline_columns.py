"""Register columns 答复期限 and 剩余工作日 (through
``extensions.REGISTER_COLUMNS``): overdue in red, three working days or
fewer in orange, sortable by urgency.

The columns read the derived deadline columns of each row; the working
days left are counted on the agency's calendar for today."""

from __future__ import annotations

import datetime as _dt
import time

from PySide6.QtGui import QColor

from ..domain import deadlines as dl
from .register_model import CENTER, Column

RED = QColor("#c62828")
ORANGE = QColor("#e65100")
FIELDS = ("due_date", "clock_state", "pause_until", "deadline_provisional", "status", "outcome")

_state = {"calendar": None, "loaded": 0.0, "db": None, "today": None}


def bind(context) -> None:
    """Use the agency's calendar of this register (pages call this)."""
    _state["db"] = context.register.db
    _state["calendar"] = None
    context.data_changed.connect(invalidate)


def set_today(day: _dt.date | None) -> None:
    """For tests and demonstrations: count days left as of ``day``."""
    _state["today"] = day


def today() -> _dt.date:
    return _state["today"] or _dt.date.today()


def invalidate() -> None:
    _state["calendar"] = None


def _calendar():
    cal = _state["calendar"]
    if cal is None or time.monotonic() - _state["loaded"] > 60:
        if _state["db"] is not None:
            from ..storage.calendar_store import load_calendar

            try:
                cal = load_calendar(_state["db"])
            except Exception:  # noqa: BLE001 - a closed database: fall back to the official calendar
                import logging

                logging.getLogger(__name__).warning("agency calendar unavailable; using the official one")
                cal = None
        if cal is None:
            from ..domain.workdays import default_calendar

            cal = default_calendar()
        _state["calendar"] = cal
        _state["loaded"] = time.monotonic()
    return cal


def _row(r) -> dict:
    return {k: r[k] for k in FIELDS}


def view(r) -> dl.DeadlineView:
    return dl.view_of_row(_row(r), _calendar(), today())


def _due_text(r) -> str:
    if r["status"] == "closed" or not r["due_date"]:
        return ""
    return r["due_date"] + ("（暂定）" if r["deadline_provisional"] else "")


def _days_text(r) -> str:
    if r["status"] == "closed":
        return ""
    return view(r).short_text


def _color(r):
    if r["status"] == "closed":
        return None
    v = view(r)
    level = v.level
    if level == "overdue" or v.state in (dl.CORRECTION_LAPSED, dl.FEE_LAPSED):
        return RED
    if level == "soon":
        return ORANGE
    return None


def _tooltip(r) -> str | None:
    if r["status"] == "closed":
        return None
    v = view(r)
    text = v.label
    if v.pause_until and v.state in (dl.PAUSED_CORRECTION, dl.PAUSED_FEE, dl.PAUSED_THIRD_PARTY):
        text += f"（至 {v.pause_until.isoformat()}）"
    if v.provisional:
        text += "\n期限涉及放假安排尚未录入的年份，为暂定结果。"
    return text


def _sort_key(r):
    if r["status"] == "closed":
        return 1e9
    return view(r).sort_key


def columns() -> list[Column]:
    return [
        Column("due_date", "答复期限", FIELDS, _due_text, sort_key=lambda r: r["due_date"] or "9999",
               alignment=CENTER, width=104, after="status", tooltip=_tooltip),
        Column("days_left", "剩余工作日", FIELDS, _days_text, sort_key=_sort_key, foreground=_color,
               alignment=CENTER, width=92, after="due_date", tooltip=_tooltip),
    ]
