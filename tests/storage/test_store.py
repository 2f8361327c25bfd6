import datetime as dt
import sqlite3

import pytest

from desktop_app.services import applications
from desktop_app.services import settings as settings_service
from desktop_app.services.errors import ValidationError
from desktop_app.services.session import Session, open_register
from desktop_app.storage import database
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION
from desktop_app.storage.recognition import (
    DatabaseReadOnlyError,
    NewerSchemaError,
    NotADatabaseError,
)
from desktop_app.storage.store import Store

TODAY = dt.date(2026, 6, 1)


def test_new_database_is_wal_with_foreign_keys(db_path):
    db = connect(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert {"applications", "events", "settings"} <= set(db.table_names())


def test_add_assigns_serial_and_records_received_event(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    app = applications.get(register, app_id)
    assert app.serial == "2026-0001"
    assert app.receipt_date == "2026-03-05"
    assert [e.kind for e in applications.events(register, app_id)] == ["received"]
    second = applications.register_application(register, person_record, today=TODAY).app_id
    assert applications.get(register, second).serial == "2026-0002"


def test_serials_are_never_reused(register, person_record):
    first = applications.register_application(register, person_record, today=TODAY).app_id
    register.store.db.execute("DELETE FROM applications WHERE id = ?", [first])
    register.store.db.conn.commit()
    again = applications.register_application(register, person_record, today=TODAY).app_id
    assert applications.get(register, again).serial == "2026-0002"


def test_invalid_record_saves_nothing(register, person_record):
    bad = dict(person_record, id_number="110105194912310021")
    with pytest.raises(ValidationError) as info:
        applications.register_application(register, bad, today=TODAY).app_id
    assert "id_number" in info.value.errors
    assert applications.count(register) == 0
    assert register.store.db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_duplicate_serial_refused(register, person_record):
    applications.register_application(register, dict(person_record, serial="2026-0007"), today=TODAY).app_id
    with pytest.raises(ValidationError) as info:
        applications.register_application(register, dict(person_record, serial="2026-0007"), today=TODAY).app_id
    assert "已被使用" in info.value.errors["serial"]
    assert applications.next_serial(register, 2026) == "2026-0008"


def test_update_returns_diff_and_closes_on_outcome(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    diff = applications.update_application(register,
        app_id, {"reply_date": "2026-03-20", "outcome": "disclosed"}, today=TODAY).changes
    assert diff["outcome"] == (None, "disclosed")
    app = applications.get(register, app_id)
    assert app.status == "closed"
    assert [e.kind for e in applications.events(register, app_id)] == ["received", "replied"]


def test_round_trip_through_reopen(db_path, person_record):
    reg = open_register(db_path, create=True)
    app_id = applications.register_application(reg, person_record, today=TODAY).app_id
    settings_service.update_settings(reg, {"agency_name": "望城区人民政府办公室"})
    reg.close()
    reg2 = open_register(db_path)
    assert applications.get(reg2, app_id).applicant_name == "张某某"
    assert settings_service.get_settings(reg2)["agency_name"] == "望城区人民政府办公室"


def test_search_filters_by_year_category_text_and_status(register, person_record):
    applications.register_application(register, person_record, today=TODAY).app_id
    applications.register_application(register, dict(person_record, applicant_type="organisation", org_kind="legal_services",
                                  applicant_name="某某律师事务所", id_type="uscc",
                                  id_number="91350100M000100Y43", receipt_date="2025-12-30",
                                  info_description="征地补偿标准"), today=TODAY).app_id
    assert len(applications.search(register, applications.ApplicationQuery(year=2026))) == 1
    assert len(applications.search(register, applications.ApplicationQuery(category="legal_services"))) == 1
    found = applications.search(register, applications.ApplicationQuery(text="征地"))
    assert [a.applicant_name for a in found] == ["某某律师事务所"]
    assert len(applications.search(register, applications.ApplicationQuery(status="open"))) == 2


def test_garbage_file_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    content = b"This is my Word document, not a database." * 100
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError) as info:
        connect(path)
    assert "不是本程序的数据库文件" in str(info.value)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_other_programs_sqlite_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError):
        connect(path)
    assert path.read_bytes() == before


def test_newer_schema_refused_and_untouched(db_path):
    db = connect(db_path)
    db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    db.conn.commit()
    db.conn.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerSchemaError) as info:
        connect(db_path)
    assert "更新版本" in str(info.value)
    assert db_path.read_bytes() == before


def test_read_only_file_refused(db_path, monkeypatch):
    """A file the user may not write is refused before anything is written
    (simulated through os.access, since CI runs as root)."""
    import os

    connect(db_path).conn.close()
    before = db_path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(database.os, "access",
                        lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(DatabaseReadOnlyError) as info:
        connect(db_path)
    assert "只读" in str(info.value)
    assert db_path.read_bytes() == before


def test_upgrade_from_version_1(db_path, person_record):
    """A database made by schema version 1 upgrades in place, data intact."""
    db = connect(db_path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=[m.name for m in database.MIGRATIONS._migrations[1:]] or None)
    db.execute("PRAGMA user_version = 1")
    # an application as version 1 wrote it (the services write the current schema only)
    db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, info_description, "
               "status, created_at, updated_at) VALUES('2026-0001', '2026-03-05', 'natural_person', ?, ?, "
               "'received', 'x', 'x')", [person_record["applicant_name"], person_record["info_description"]])
    db.conn.commit()
    db.conn.close()
    db = connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert applications.count(Session(Store(db))) == 1
    assert database.pending_migrations(db) == []
