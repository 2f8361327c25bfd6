"""The mark of a passed integrity check: a register exactly as a recent
passed check left it is not read again at start-up; any change, a write in
progress, an old mark or damage means it is read again."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest

from desktop_app.storage import check_mark, integrity
from desktop_app.storage.check_mark import FileState, check_unless_marked, is_marked, mark_path
from desktop_app.storage.database import connect


@pytest.fixture()
def register(tmp_path):
    path = tmp_path / "register.db"
    db = connect(path)
    db.conn.execute("CREATE TABLE filler (x TEXT)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    db.conn.commit()
    db.close()
    assert not (tmp_path / "register.db-wal").exists()
    return path


@pytest.fixture()
def reads(monkeypatch):
    """Counts the times the file is really read by quick_check."""
    calls = []
    real = integrity.quick_check

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(check_mark, "quick_check", counting)
    return calls


def test_a_passed_check_marks_the_file_and_the_next_start_reads_nothing(register, tmp_path, reads):
    marks = tmp_path / "marks"
    first = check_unless_marked(register, marks)
    assert first.ok and not first.from_mark and len(reads) == 1
    assert mark_path(register, marks).is_file()
    second = check_unless_marked(register, marks)
    assert second.ok and second.from_mark and len(reads) == 1
    # the register's own folder gains nothing
    assert sorted(p.name for p in register.parent.iterdir()) == ["marks", "register.db"]


def test_a_write_through_sqlite_means_a_new_check(register, tmp_path, reads):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    conn = sqlite3.connect(register)
    conn.execute("INSERT INTO filler VALUES ('y')")
    conn.commit()
    conn.close()
    assert not is_marked(register, marks)
    assert not check_unless_marked(register, marks).from_mark and len(reads) == 2


def test_damage_with_the_times_put_back_is_still_read(register, tmp_path, reads):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    st = register.stat()
    with open(register, "r+b") as fh:  # a page in the middle overwritten, size unchanged
        fh.seek(st.st_size // 2)
        fh.write(b"\xff" * 4096)
    os.utime(register, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` or a careless tool would
    assert register.stat().st_mtime_ns == st.st_mtime_ns and register.stat().st_size == st.st_size
    report = check_unless_marked(register, marks)
    assert not report.from_mark and len(reads) == 2
    assert report.damaged
    assert not mark_path(register, marks).exists()  # damage drops the mark


def test_a_write_in_progress_is_never_trusted(register, tmp_path, reads):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    wal = register.with_name("register.db-wal")
    wal.write_bytes(b"\0" * 64)
    try:
        assert FileState.of(register) is None
        assert not check_unless_marked(register, marks).from_mark
    finally:
        wal.unlink()
    journal = register.with_name("register.db-journal")
    journal.write_bytes(b"\0" * 64)
    assert not is_marked(register, marks)


def test_an_old_mark_or_a_clock_gone_back_means_a_new_check(register, tmp_path):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    now = dt.datetime.now(dt.timezone.utc)
    assert is_marked(register, marks, now=now + check_mark.MAX_AGE - dt.timedelta(minutes=1))
    assert not is_marked(register, marks, now=now + check_mark.MAX_AGE + dt.timedelta(minutes=1))
    assert not is_marked(register, marks, now=now - dt.timedelta(days=1))


def test_a_copy_elsewhere_or_a_replaced_file_is_not_marked(register, tmp_path):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    copy = tmp_path / "copy.db"
    copy.write_bytes(register.read_bytes())
    assert not is_marked(copy, marks)
    replacement = tmp_path / "replacement.db"
    replacement.write_bytes(register.read_bytes())
    os.replace(replacement, register)  # same bytes, another file
    assert not is_marked(register, marks)


def test_an_unreadable_or_foreign_mark_means_a_new_check(register, tmp_path):
    marks = tmp_path / "marks"
    check_unless_marked(register, marks)
    target = mark_path(register, marks)
    target.write_text("{not json", encoding="utf-8")
    assert not is_marked(register, marks)
    target.write_text('{"version": 99}', encoding="utf-8")
    assert not is_marked(register, marks)


def test_a_file_that_changes_while_it_is_read_is_not_marked(register, tmp_path, monkeypatch):
    marks = tmp_path / "marks"
    real = integrity.quick_check

    def check_while_written(path):
        report = real(path)
        conn = sqlite3.connect(register)
        conn.execute("INSERT INTO filler VALUES ('z')")
        conn.commit()
        conn.close()
        return report

    monkeypatch.setattr(check_mark, "quick_check", check_while_written)
    assert check_unless_marked(register, marks).ok
    assert not mark_path(register, marks).exists()


def test_no_folder_means_always_read(register, reads):
    assert not check_unless_marked(register, None).from_mark
    assert not check_unless_marked(register, None).from_mark
    assert len(reads) == 2
