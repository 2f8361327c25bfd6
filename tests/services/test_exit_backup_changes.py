"""Issue 19: the exit backup is taken only after a change since the last good
backup, in its own thread, and is complete and verified when it has finished."""

from __future__ import annotations

import datetime as dt
import time

from desktop_app.services import applications
from desktop_app.services import backups as bk

TODAY = dt.date(2026, 11, 20)


def _fresh_backup(register, db_path):
    bk.back_up(db_path, kind="manual")
    time.sleep(0.05)
    assert not bk.written_since_backup(db_path, bk.folder_of(db_path, register))


def test_quitting_with_nothing_changed_takes_no_backup(register, db_path, person_record):
    applications.register_application(register, person_record, today=TODAY)
    _fresh_backup(register, db_path)
    before = len(bk.list_backups(db_path))
    tracker = bk.ExitBackup(register, db_path)
    applications.search(register)  # reading is not a change
    released = []
    assert tracker.start(register, then=lambda: released.append(True)) is False
    assert tracker.wait() and released == [True]
    assert len(bk.list_backups(db_path)) == before


def test_quitting_after_a_change_leaves_a_verified_exit_backup(register, db_path, person_record):
    _fresh_backup(register, db_path)
    tracker = bk.ExitBackup(register, db_path)
    assert not tracker.needed(register)
    applications.register_application(register, person_record, today=TODAY)
    assert tracker.needed(register)
    released = []
    assert tracker.start(register, then=lambda: released.append(True)) is True
    assert tracker.thread is not None and tracker.thread.daemon is False  # the process waits for it
    assert tracker.wait(30) and released == [True] and tracker.error is None
    made = [b for b in bk.list_backups(db_path) if b.path == tracker.result.path]
    assert [b.kind for b in made] == ["exit"]
    ok, _message, apps = bk.verify_backup(made[0].path)
    assert ok and apps == 1


def test_a_change_by_another_connection_counts(register, db_path, person_record):
    from desktop_app.services.session import open_register

    _fresh_backup(register, db_path)
    tracker = bk.ExitBackup(register, db_path)
    other = open_register(db_path)
    try:
        applications.register_application(other, person_record, today=TODAY)
    finally:
        other.close()
    assert tracker.needed(register)


def test_a_register_written_after_its_last_backup_is_backed_up_even_unchanged(register, db_path, person_record):
    _fresh_backup(register, db_path)
    time.sleep(1.1)
    applications.register_application(register, person_record, today=TODAY)
    register.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tracker = bk.ExitBackup(register, db_path)  # a session beginning now
    assert tracker.needed(register)


def test_looking_at_the_backup_folder_later_gives_the_same_answer(register, db_path, person_record):
    """The GUI makes its tracker without looking at the backup folder (not on
    the way to the first screen) and settles it once the window is drawn."""
    applications.register_application(register, person_record, today=TODAY)
    _fresh_backup(register, db_path)
    unchanged = bk.ExitBackup(register, db_path, look_now=False)
    assert unchanged.dirty_at_start is None
    unchanged.settle(register)
    assert unchanged.dirty_at_start is False and not unchanged.needed(register)

    time.sleep(1.1)
    applications.register_application(register, dict(person_record, applicant_name="李四"), today=TODAY)
    register.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    newer = bk.ExitBackup(register, db_path, look_now=False)  # a session beginning now
    assert newer.needed(register)  # (looked at by needed() when never settled)
    assert newer.dirty_at_start is True
