"""The dashboard's counts from one SQL pass over the stored deadline columns
(``deadlines.open_counts``, what start-up shows) are the counts of the Python
grouping of the open applications (``deadlines.open_summary``, what fills the
lists), on generated registers, for every day over four months: weekdays,
weekends, the New Year and Spring Festival holidays (of a year whose schedule is
provisional), pauses that lapse and deadlines that pass."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3

import pytest

from desktop_app.services import deadlines
from desktop_app.services.demo import build_large_database
from desktop_app.services.session import open_register

BUILT = dt.date(2026, 11, 20)
DAYS = [BUILT - dt.timedelta(days=30) + dt.timedelta(days=i) for i in range(125)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "generated.db"
    build_large_database(path, 3_000, seed=11, today=BUILT)
    return path


def python_counts(session, day):
    rows = session.store.applications.open_rows(deadlines.dashboard_fields())
    groups = deadlines.group_open(rows, deadlines.load_calendar(session), day)
    return deadlines.counts_of(rows, groups)


def test_sql_counts_equal_the_python_grouping_every_day(generated):
    session = open_register(generated)
    try:
        seen = {k: 0 for k in deadlines.DASHBOARD_GROUPS}
        for day in DAYS:
            expected = python_counts(session, day)
            assert deadlines.open_counts(session, day) == expected, day
            for k, n in expected.groups.items():
                seen[k] += n
        # the register has something in every group on some day (else the
        # comparison proves little)
        assert all(seen.values()), seen
        assert expected.open > 50
    finally:
        session.close()


def test_sql_counts_equal_the_python_grouping_on_odd_column_values(generated, tmp_path):
    """Rows as an older version or a hand edit may have left them: no clock
    state, empty dates, a fee notice with the clock running, extension days
    without the extended status, any status with any clock state."""
    path = tmp_path / "odd.db"
    shutil.copy(generated, path)
    rnd = random.Random(19)
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM applications ORDER BY id")]
    dates = [None, "", *(d.isoformat() for d in DAYS[::3])]
    for app_id in rnd.sample(ids, 1_200):
        conn.execute(
            "UPDATE applications SET clock_state = ?, due_date = ?, pause_until = ?, status = ?, "
            "outcome = ?, extension_days = ?, deadline_provisional = ? WHERE id = ?",
            [rnd.choice([None, "running", "extended", "paused_correction", "paused_third_party",
                         "paused_fee", "closed"]),
             rnd.choice(dates), rnd.choice(dates),
             rnd.choice(["received", "in_progress", "awaiting_correction", "awaiting_third_party",
                         "awaiting_payment", "extended", "closed"]),
             rnd.choice([None, "", "disclosed"]), rnd.choice([0, 15, 20]),
             rnd.choice([0, 1]), app_id])
    conn.commit()
    conn.close()
    session = open_register(path)
    try:
        for day in DAYS[::2]:
            assert deadlines.open_counts(session, day) == python_counts(session, day), day
    finally:
        session.close()
