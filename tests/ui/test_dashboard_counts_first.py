"""工作台 at start-up: its tiles, the open count and the list title come from
one SQL pass when the page is built, and the list of the framed tile follows
once the event loop runs; everything the clerk reads is what the full
(Python) refresh shows."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.services import deadlines
from desktop_app.services.demo import fill_demo
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES


@pytest.fixture
def context(qtbot, register):
    # receipts up to today, so that something is overdue, due soon and waiting
    fill_demo(register, count=120, today=dt.date.today())
    return AppContext(register, FEATURES)


def shown(page) -> dict:
    return {"tiles": {k: t.number.text() for k, t in page.tiles.items()},
            "framed": [k for k, t in page.tiles.items() if "2px solid" in t.styleSheet()],
            "date": page.date_label.text(), "title": page.list_title.text(),
            "banner": page.calendar_banner.text(), "counts": page.counts(),
            # the list's place: the table, or the empty text, as when filled
            "table": page.table.isVisibleTo(page), "empty": page.empty_label.isVisibleTo(page),
            "empty_text": page.empty_label.text() if page.empty_label.isVisibleTo(page) else ""}


def test_dashboard_shows_its_counts_before_its_list_and_the_same_after(qtbot, context, monkeypatch):
    from desktop_app.ui.dashboard_page import DashboardPage

    read = []
    real = deadlines.open_summary
    monkeypatch.setattr(deadlines, "open_summary", lambda *a: read.append(1) or real(*a))
    page = DashboardPage(context)
    qtbot.addWidget(page)
    assert read == []  # no application row read, no deadline view computed yet
    first = shown(page)
    assert sum(first["counts"].values()) > 0
    assert page.table.rowCount() == 0
    qtbot.waitUntil(lambda: page.table.rowCount() > 0 or page.empty_label.text() != "")
    assert read == [1]
    assert page.table.rowCount() == first["counts"][page.selected]
    assert shown(page) == first
    page.refresh()  # the full refresh (as after any change): the same figures
    assert shown(page) == first


def test_an_empty_register_shows_how_to_begin_before_the_list_is_read(qtbot, register):
    from desktop_app.ui.dashboard_page import DashboardPage

    page = DashboardPage(AppContext(register, FEATURES))
    qtbot.addWidget(page)
    first = shown(page)
    assert first["empty"] and not first["table"] and "还没有申请" in first["empty_text"]
    qtbot.wait(20)
    assert shown(page) == first
