"""Issue 19: section 三 and the list behind each of its cells share one
read of the year, kept until the register changes: every kind of change
(a save in this session, a commit by another program, a deletion) shows
at once, and what a transaction read before it was rolled back is never
kept."""

from __future__ import annotations

import sqlite3

import pytest
from report_samples import TODAY, add

from desktop_app.services import applications, recycle_bin, report


@pytest.fixture
def year_2025(register):
    ids = {
        "a10": add(register, "甲", "2025-03-05"),
        "a9": add(register, "乙公司", "2025-03-05", "business", "2025-04-01", "disclosed"),
        "b": add(register, "丙", "2024-12-30", reply="2025-01-06", outcome="disclosed"),
        "c": add(register, "丁", "2025-01-02"),
    }
    return ids


def _serials(register, ids):
    return [applications.get(register, i).serial for i in ids]


def test_drill_down_lists_the_year_in_receipt_order(register, year_2025):
    listed = report.application_ids_in_cell(register, 2025, "results")
    assert set(listed) == {year_2025["a9"], year_2025["b"]}
    every = report.application_ids_in_cell(register, 2025, "carry_forward") + listed
    received = [applications.get(register, i).receipt_date for i in
                report.application_ids_in_cell(register, 2025, "new")]
    assert received == sorted(received) and len(every) == 4


def test_a_save_in_this_session_shows_in_the_table_and_the_drill_down(register, year_2025):
    assert report.section3(register, 2025).value("carry_forward") == 2
    before = report.application_ids_in_cell(register, 2025, "disclosed")
    applications.update_application(register, year_2025["a10"],
                                    {"reply_date": "2025-05-06", "outcome": "disclosed"}, today=TODAY)
    assert report.section3(register, 2025).value("carry_forward") == 1
    assert sorted(report.application_ids_in_cell(register, 2025, "disclosed")) == sorted(
        [*before, year_2025["a10"]])


def test_a_commit_by_another_program_shows(register, year_2025, db_path):
    assert report.section3(register, 2025).value("new", "business") == 1
    other = sqlite3.connect(db_path)
    other.execute("UPDATE applications SET org_kind = 'research' WHERE id = ?", [year_2025["a9"]])
    other.commit()
    other.close()
    s3 = report.section3(register, 2025)
    assert (s3.value("new", "business"), s3.value("new", "research")) == (0, 1)
    assert report.application_ids_in_cell(register, 2025, "new", "research") == [year_2025["a9"]]


def test_an_application_moved_to_the_recycle_bin_leaves_the_list(register, year_2025):
    assert year_2025["c"] in report.application_ids_in_cell(register, 2025, "new")
    recycle_bin.delete_application(register, year_2025["c"])
    assert year_2025["c"] not in report.application_ids_in_cell(register, 2025, "new")
    assert report.section3(register, 2025).value("new") == 2


def test_what_a_rolled_back_transaction_read_is_not_kept(register, year_2025):
    store = register.store
    assert report.section3(register, 2025).value("new") == 3
    with pytest.raises(RuntimeError), store.transaction():
        store.db.execute("UPDATE applications SET receipt_date = '2026-02-02' WHERE id = ?", [year_2025["c"]])
        assert report.section3(register, 2025).value("new") == 2  # (inside: the change is seen)
        raise RuntimeError("undone")
    assert report.section3(register, 2025).value("new") == 3
    assert year_2025["c"] in report.application_ids_in_cell(register, 2025, "new")
