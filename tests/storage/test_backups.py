"""Backups, restore, integrity checks, the instance lock and the CLI."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.main import main as cli_main
from desktop_app.services import applications, recycle_bin
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register
from desktop_app.storage import backups as bk
from desktop_app.storage import integrity, restore
from desktop_app.storage.database import connect
from desktop_app.storage.lock import AlreadyRunningError, InstanceLock, is_locked
from desktop_app.storage.recognition import NotADatabaseError

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _isolated_locations(tmp_path, monkeypatch):
    """The remembered backup folders live in the user's data dir: not in tests."""
    monkeypatch.setattr(bk, "_locations_file", lambda: tmp_path / "locations" / "backup-locations.json")


def dump(path) -> list:
    """Everything a clerk would see: applications, events, settings."""
    conn = sqlite3.connect(path)
    try:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("applications", "events", "settings", "serial_counters")]
    finally:
        conn.close()


def fill(register, person_record, n=5):
    ids = []
    for i in range(n):
        ids.append(applications.register_application(
            register, dict(person_record, applicant_name=f"申请人{i}"), today=TODAY).app_id)
    settings_service.update_settings(register, {"agency_name": "某区人民政府办公室"})
    return ids


def test_backup_is_verified_private_and_listed(register, db_path, person_record):
    fill(register, person_record, 3)
    seen = []
    info = bk.create_backup(db_path, progress=lambda done, total: seen.append((done, total)))
    assert info.path.parent == db_path.parent / "backups"
    assert info.path.name.startswith("register-") and info.path.name.endswith("-manual.db")
    assert info.applications == 3
    assert seen and seen[-1][0] == seen[-1][1]
    assert oct(info.path.stat().st_mode & 0o777) == "0o600"
    assert oct(info.path.parent.stat().st_mode & 0o777) == "0o700"
    ok, _msg, apps = bk.verify_backup(info.path)
    assert ok and apps == 3
    # a backup is a plain (non-WAL) file: no side files needed to read it
    with open(info.path, "rb") as fh:
        assert fh.read(20)[18:20] == b"\x01\x01"
    listed = bk.list_backups(db_path)
    assert [b.path for b in listed] == [info.path]
    assert listed[0].applications == 3 and listed[0].size == info.path.stat().st_size
    # no temporary files left behind
    assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]


def test_backup_folder_setting_and_to_option(register, db_path, tmp_path, person_record):
    fill(register, person_record, 1)
    other = tmp_path / "usb" / "备份"
    settings_service.update_settings(register, {"backup_dir": str(other)})
    info = bk.create_backup(db_path, kind="auto")
    assert info.path.parent == other
    assert bk.backup_dir(db_path, register.store.db.conn) == other


def test_backup_then_restore_gives_identical_register(register, db_path, person_record):
    ids = fill(register, person_record, 4)
    before = dump(db_path)
    info = bk.create_backup(db_path)
    # change everything after the backup
    applications.update_application(register, ids[0], {"applicant_name": "改过的名字"}, today=TODAY).changes
    recycle_bin.delete_application(register, ids[1])
    applications.register_application(register, person_record, today=TODAY).app_id
    settings_service.update_settings(register, {"agency_name": "另一个机关"})
    assert dump(db_path) != before

    result = restore.restore_backup(db_path, info.path)
    assert result.applications == 4
    assert dump(db_path) == before
    # the open connection of the running app sees the restored register
    assert applications.get(register, ids[0]).applicant_name == "申请人0"
    assert applications.count(register) == 4
    # the restore itself can be undone
    assert result.undo_backup is not None and result.undo_backup.kind == "pre-restore"
    restore.restore_backup(db_path, result.undo_backup.path)
    assert applications.get(register, ids[0]).applicant_name == "改过的名字"
    assert applications.count(register) == 4  # 4 + 1 new - 1 deleted
    assert integrity.quick_check(db_path).ok


def test_restore_refuses_a_bad_backup_and_touches_nothing(register, db_path, tmp_path, person_record):
    fill(register, person_record, 2)
    info = bk.create_backup(db_path)
    bad = tmp_path / "register-20260101-000000-manual.db"
    data = info.path.read_bytes()
    bad.write_bytes(data[: len(data) // 2])  # truncated
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    before = dump(db_path)
    n_backups = len(bk.list_backups(db_path))
    for source in (bad, garbage):
        with pytest.raises(bk.BackupError) as err:
            restore.restore_backup(db_path, source)
        assert "没有进行恢复" in str(err.value)
    assert dump(db_path) == before
    assert len(bk.list_backups(db_path)) == n_backups  # not even a pre-restore backup


def test_restore_over_a_damaged_database_moves_it_aside(register, db_path, person_record):
    fill(register, person_record, 2)
    info = bk.create_backup(db_path)
    register.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    garbage = b"SQLite format 3\x00" + os.urandom(8000)
    db_path.write_bytes(garbage)
    result = restore.restore_backup(db_path, info.path)
    assert result.damaged_copy is not None and result.damaged_copy.read_bytes() == garbage
    assert result.undo_backup is None
    assert applications.count(open_register(db_path, create=True)) == 2


def test_rotation_keeps_daily_weekly_monthly(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    start = dt.datetime(2025, 1, 1, 9, 0, 0)
    for day in range(400):  # two backups a day for 400 days
        for hour in (9, 17):
            when = start + dt.timedelta(days=day, hours=hour - 9)
            (folder / f"register-{when:%Y%m%d-%H%M%S}-auto.db").write_bytes(b"x")
    removed = bk.rotate(folder, "register", recent=0)
    kept = sorted(bk.list_backups(folder / "register.db", folder, count=False), key=lambda b: b.created)
    assert removed
    newest = kept[-1].created
    assert newest == start + dt.timedelta(days=399, hours=8)
    days = {b.created.date() for b in kept}
    # the last 7 days each keep exactly their newest backup
    last7 = [newest.date() - dt.timedelta(days=i) for i in range(7)]
    assert set(last7) <= days
    assert all(b.created.hour == 17 for b in kept)
    assert len({(b.created.year, b.created.month) for b in kept}) == 12
    assert len(kept) <= 7 + 8 + 12
    # other databases' backups and foreign files are never touched
    (folder / "other-20250101-000000-auto.db").write_bytes(b"x")
    (folder / "notes.txt").write_text("keep me")
    bk.rotate(folder, "register", recent=0)
    assert (folder / "other-20250101-000000-auto.db").exists() and (folder / "notes.txt").exists()


def test_auto_backup_due_after_a_day(register, db_path, person_record):
    fill(register, person_record, 1)
    assert bk.auto_backup_due(db_path)
    info = bk.create_backup(db_path, kind="auto")
    assert not bk.auto_backup_due(db_path, now=info.created + dt.timedelta(hours=23))
    assert bk.auto_backup_due(db_path, now=info.created + dt.timedelta(days=1, minutes=1))


def test_backup_before_migration(db_path, person_record, monkeypatch):
    from desktop_app.storage import database, migrations, recognition

    reg = open_register(db_path, create=True)
    fill(reg, person_record, 2)
    reg.close()
    # pretend the app was upgraded with one more migration
    extra = migrations.build_migrations()
    extra(name="m9999_test")(lambda db: db.execute("CREATE TABLE extra_test(x)"))
    monkeypatch.setattr(database, "MIGRATIONS", extra)
    monkeypatch.setattr(recognition, "KNOWN_NAMES", migrations.KNOWN_NAMES | {"m9999_test"})
    monkeypatch.setattr(recognition, "LATEST_VERSION", migrations.LATEST_VERSION + 1)
    monkeypatch.setattr(database, "LATEST_VERSION", migrations.LATEST_VERSION + 1)
    db = connect(db_path)
    assert "extra_test" in db.table_names()
    backups = bk.list_backups(db_path)
    assert [b.kind for b in backups] == ["pre-migration"]
    assert backups[0].applications == 2
    db.conn.close()
    # no backup when nothing is pending
    connect(db_path).conn.close()
    assert len(bk.list_backups(db_path)) == 1


def test_new_database_is_private(tmp_path):
    db = connect(tmp_path / "new.db")
    db.conn.close()
    assert oct((tmp_path / "new.db").stat().st_mode & 0o777) == "0o600"


# --- damaged databases ------------------------------------------------------------------------


def _make_db(path, person_record, n=30):
    reg = open_register(path, create=True)
    for i in range(n):
        applications.register_application(reg, dict(person_record, applicant_name=f"人{i}", notes="备注" * 200), today=TODAY)
    reg.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "zeroed_page"])
def test_damaged_database_gets_clear_error_and_stays_untouched(tmp_path, person_record, damage):
    path = tmp_path / "register.db"
    _make_db(path, person_record)
    data = path.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = os.urandom(len(data))
    else:
        page = 4096
        data = data[: page * 3] + b"\x00" * page + data[page * 4:]
    path.write_bytes(data)
    report = integrity.quick_check(path)
    assert not report.ok and report.problems
    if damage == "garbage":
        # no SQLite header: not provably damage (it may be any other file); said as it is
        assert not report.damaged and "不是 SQLite" in report.message()
        with pytest.raises(NotADatabaseError):
            connect(path)
        with pytest.raises(SystemExit) as info:
            cli_main(["--db", str(path), "check"])
        assert info.value.code == 2
    else:
        assert report.damaged and "已损坏" in report.message()
        # the check command says so, with exit code 1
        rc = cli_main(["--db", str(path), "check"])
        assert rc == 1
    assert path.read_bytes() == data




# --- CLI --------------------------------------------------------------------------------------------






# --- one instance per database --------------------------------------------------------------------


def test_second_instance_is_refused(db_path):
    first = InstanceLock(db_path).acquire()
    try:
        with pytest.raises(AlreadyRunningError) as info:
            InstanceLock(db_path).acquire()
        assert "已经打开" in str(info.value) and str(os.getpid()) in str(info.value)
        assert is_locked(db_path)
    finally:
        first.release()
    assert not is_locked(db_path)
    InstanceLock(db_path).acquire().release()


def test_asking_whether_a_register_is_open_leaves_the_last_holder_recorded(db_path):
    """is_locked only probes: the lock file still names the process that
    held it last (what the refusal message shows), byte for byte."""
    InstanceLock(db_path).acquire().release()
    lock_file = Path(str(db_path) + ".lock")
    before = lock_file.read_bytes()
    assert f"pid={os.getpid()}".encode() in before
    lock_file.write_bytes(before.replace(f"pid={os.getpid()}".encode(), b"pid=4242"))
    edited = lock_file.read_bytes()
    assert not is_locked(db_path)
    assert lock_file.read_bytes() == edited


def test_lock_held_by_another_process_and_stale_after_kill(db_path):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from desktop_app.storage.lock import InstanceLock
        InstanceLock({str(db_path)!r}).acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunningError) as info:
            InstanceLock(db_path).acquire()
        assert info.value.holder["pid"] == str(proc.pid)
    finally:
        proc.kill()  # SIGKILL: no clean-up ran
        proc.wait()
    assert Path(str(db_path) + ".lock").exists()  # the file stays behind...
    lock = InstanceLock(db_path).acquire()         # ...but does not block
    lock.release()








def test_restore_of_an_older_schema_backup_is_migrated(tmp_path, person_record):
    from desktop_app.storage import database

    old = tmp_path / "old.db"
    db = connect(old, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=[m.name for m in database.MIGRATIONS._migrations[1:]])
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, "
               "info_description, created_at, updated_at) VALUES('2025-0001', '2025-03-01', "
               "'natural_person', '老数据', '旧申请', '2025-03-01', '2025-03-01')")
    db.conn.commit()
    db.conn.close()
    backup_file = tmp_path / "register-20250301-000000-manual.db"
    src = sqlite3.connect(old)
    dst = sqlite3.connect(backup_file)
    src.backup(dst)
    dst.execute("PRAGMA journal_mode = DELETE")
    src.close()
    dst.close()

    live = tmp_path / "live" / "register.db"
    reg = open_register(live, make_parents=True, create=True)
    applications.register_application(reg, person_record, today=TODAY).app_id
    reg.close()
    result = restore.restore_backup(live, backup_file)
    assert result.applications == 1 and result.undo_backup is not None
    reg = open_register(live, create=True)
    assert database.pending_migrations(reg.store.db) == []
    assert applications.find_by_serial(reg, "2025-0001").applicant_name == "老数据"
    assert reg.store.db.execute("SELECT count(*) FROM audit_log WHERE action = 'restore_backup'").fetchone()[0] == 1


def test_backup_completes_while_another_connection_keeps_writing(register, db_path, person_record, monkeypatch):
    """A page-by-page backup restarts when another connection writes between
    steps; under a steady stream of writes it falls back to one snapshot
    instead of restarting for ever, and the copy is consistent."""
    for _ in range(40):
        applications.register_application(register, dict(person_record, notes="备注" * 300), today=TODAY).app_id
    monkeypatch.setattr(bk, "PAGES_PER_STEP", 2)  # many steps
    writer = open_register(db_path, create=True)
    writes = []

    def progress(done, total):
        applications.register_application(writer, person_record, today=TODAY)  # a write between every step
        writes.append(done)

    info = bk.create_backup(db_path, progress=progress)
    writer.close()
    assert len(writes) >= bk.MAX_RESTARTS
    ok, _msg, apps = bk.verify_backup(info.path)
    assert ok and 40 <= apps <= 40 + len(writes)
    conn = sqlite3.connect(info.path)
    # consistent: every application has its received event in the copy
    assert conn.execute("SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM events e "
                        "WHERE e.application_id = a.id)").fetchone()[0] == 0
    conn.close()
