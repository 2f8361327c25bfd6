"""The 工作台's counts read in a thread at start-up (on a read-only
connection of their own, while the window opens) are used only for the same
register on the same day, once, and only while the file is exactly as the
thread read it; they are the counts the register gives itself."""

from __future__ import annotations

import datetime as _dt
import sqlite3

from desktop_app.services import deadlines, startup_check
from desktop_app.services.demo import fill_demo
from desktop_app.services.session import open_register
from desktop_app.storage import open_counts


def _filled(db_path):
    session = open_register(db_path, create=True)
    fill_demo(session, count=80, today=_dt.date(2026, 11, 20))
    session.close()


def test_the_early_pass_is_the_registers_own_and_is_taken_once(db_path):
    _filled(db_path)
    today = _dt.date.today()
    startup_check._EARLY_COUNTS.start(db_path)
    startup_check._EARLY_COUNTS._thread.join()  # (read before the register is opened, as at start-up)
    session = open_register(db_path)
    try:
        own = session.store.applications.open_counts_pass(today.isoformat())
        early = startup_check.take_early_counts(db_path, today.isoformat())
        assert early == own and sum(n for _d, n in own.ahead) > 0
        assert startup_check.take_early_counts(db_path, today.isoformat()) is None  # once
        # what the 工作台 shows from it: the same as counting the rows (the
        # register is open now: the thread reads beside it, or gives up)
        startup_check._EARLY_COUNTS.start(db_path)
        counts = deadlines.open_counts(session, today)
        rows, groups = deadlines.open_summary(session, today)
        assert counts == deadlines.counts_of(rows, groups)
        assert startup_check.take_early_counts(db_path, today.isoformat()) is None  # (taken by the count)
    finally:
        session.close()


def test_the_early_pass_is_dropped_for_another_day_file_or_a_change(db_path, tmp_path):
    _filled(db_path)
    today = _dt.date.today().isoformat()
    startup_check._EARLY_COUNTS.start(db_path)
    assert startup_check.take_early_counts(db_path, "2020-01-01") is None
    startup_check._EARLY_COUNTS.start(db_path)
    assert startup_check.take_early_counts(tmp_path / "other.db", today) is None
    startup_check._EARLY_COUNTS.start(db_path)
    startup_check._EARLY_COUNTS._thread.join()
    conn = sqlite3.connect(db_path)  # a write after the thread read the file
    conn.execute("UPDATE applications SET due_date = '2099-01-01' WHERE id = (SELECT min(id) FROM applications)")
    conn.commit()
    conn.close()
    assert startup_check.take_early_counts(db_path, today) is None
    assert startup_check.take_early_counts(None, today) is None


def test_due_soon_is_summed_by_due_date_before_the_given_day(db_path):
    _filled(db_path)
    session = open_register(db_path)
    try:
        counted = session.store.applications.open_counts_pass("2026-11-20")
        assert counted.ahead and all(d > "2026-11-20" for d, _n in counted.ahead)
        first = min(d for d, _n in counted.ahead)
        assert counted.counts(first)["due_soon"] == 0
        assert counted.counts("9999-12-31")["due_soon"] == sum(n for _d, n in counted.ahead)
        assert list(counted.counts(first)) == list(open_counts.KEYS)
    finally:
        session.close()


def test_opened_while_the_thread_reads_the_pass_is_the_same_or_none(db_path):
    _filled(db_path)
    today = _dt.date.today().isoformat()
    for _ in range(5):
        startup_check._EARLY_COUNTS.start(db_path)
        session = open_register(db_path)  # at once: the side files appear while the thread looks
        try:
            early = startup_check.take_early_counts(db_path, today)
            assert early is None or early == session.store.applications.open_counts_pass(today)
        finally:
            session.close()


def test_the_early_total_is_the_registers_own_taken_once_and_dropped_after_a_change(db_path):
    from desktop_app.services import counts

    _filled(db_path)
    startup_check._EARLY_COUNTS.start(db_path)
    startup_check._EARLY_COUNTS._thread.join()
    session = open_register(db_path)
    try:
        own = open_counts.registered(session.store.db)
        assert own == 80
        assert startup_check.take_early_registered(db_path) == own
        assert startup_check.take_early_registered(db_path) is None  # once
    finally:
        session.close()
    # taken by the status bar's count; the 工作台's pass is still there for it
    startup_check._EARLY_COUNTS.start(db_path)
    startup_check._EARLY_COUNTS._thread.join()
    session = open_register(db_path)
    try:
        assert counts.registered(session) == own
        assert startup_check.take_early_registered(db_path) is None
        assert startup_check.take_early_counts(db_path, _dt.date.today().isoformat()) is not None
    finally:
        session.close()
    startup_check._EARLY_COUNTS.start(db_path)
    startup_check._EARLY_COUNTS._thread.join()
    conn = sqlite3.connect(db_path)  # an application moved to the recycle bin after the thread read the file
    conn.execute("UPDATE applications SET deleted_at = '2026-12-01' WHERE id = (SELECT min(id) FROM applications)")
    conn.commit()
    conn.close()
    assert startup_check.take_early_registered(db_path) is None
    startup_check._EARLY_COUNTS.start(db_path)
    assert startup_check.take_early_registered(db_path.with_name("other.db")) is None
