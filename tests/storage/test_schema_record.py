"""The recorded schema of this version's migrations (storage.schema_record),
which recognition uses instead of applying every migration at each start,
and the register's connection that makes its sqlite-utils wrapper only on
first need (issue 19: start-up)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.storage import database, recognition, schema_record
from desktop_app.storage.migrations import KNOWN_NAMES, MIGRATION_MODULES

ROOT = Path(__file__).resolve().parents[2]


def test_the_record_is_what_the_migrations_create():
    assert schema_record.applied_schema(schema_record.NAMES) == schema_record.TABLES


def test_the_record_covers_every_migration_of_this_version():
    assert schema_record.NAMES == KNOWN_NAMES, (
        "a migration was added or removed: run `python -m desktop_app.storage.schema_record` "
        "to record the schema it makes (then this test and the one above pass)")


def test_regenerating_the_record_writes_the_same_module(tmp_path, monkeypatch):
    text = Path(schema_record.__file__).read_text(encoding="utf-8")
    assert schema_record.render(KNOWN_NAMES, schema_record.applied_schema(KNOWN_NAMES)) == text


def test_a_register_missing_a_recorded_column_is_refused_as_damaged(tmp_path):
    path = tmp_path / "r.db"
    database.connect(path).conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE applications DROP COLUMN address")
    recognition.expected_schema.cache_clear()
    with pytest.raises(recognition.DatabaseDamagedError, match="address"):
        recognition.probe(path)


def test_a_register_at_an_older_set_is_checked_against_its_own_migrations(tmp_path):
    path = tmp_path / "old.db"
    db = database.connect(path, migrate=False)
    database.MIGRATIONS.apply(db.utils, stop_before=[MIGRATION_MODULES[-1]])
    db.conn.close()
    found = recognition.probe(path)
    assert found.migrations == KNOWN_NAMES - {MIGRATION_MODULES[-1]}
    assert recognition.expected_schema(frozenset(found.migrations)) == schema_record.applied_schema(
        frozenset(found.migrations))


def test_opening_an_up_to_date_register_and_reading_it_does_not_import_sqlite_utils(tmp_path):
    path = tmp_path / "r.db"
    database.connect(path).conn.close()
    code = (
        "import json, sys\n"
        "from desktop_app.services.session import open_register\n"
        "from desktop_app.services import applications, settings\n"
        "s = open_register(sys.argv[1])\n"
        "n = applications.count(s)\n"
        "settings.setting(s, 'agency_name')\n"
        "print(json.dumps([n, sorted(m for m in sys.modules if m.startswith(('sqlite_utils', "
        "'desktop_app.storage.migrations.m')))]))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env,
                         timeout=120, check=True).stdout
    assert json.loads(out) == [0, []]


def test_reads_leave_sqlite_utils_unmade_and_a_write_goes_through_it(tmp_path):
    database.connect(tmp_path / "r.db").conn.close()  # (created and migrated: through sqlite-utils)
    db = database.connect(tmp_path / "r.db")
    assert db.execute("SELECT count(*) FROM applications").fetchone()[0] == 0
    assert db.execute("  -- a comment\n  pragma user_version").fetchone()[0] == len(MIGRATION_MODULES)
    assert db._utils is None
    db.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")  # committed, as sqlite-utils does
    assert db._utils is not None
    with sqlite3.connect(tmp_path / "r.db") as other:
        assert other.execute("SELECT value FROM settings WHERE key = 'x'").fetchone() == ("1",)
    assert "settings" in db.table_names()  # any other sqlite-utils method is served by it
    assert db["settings"].count >= 1
    db.conn.close()


def test_the_register_connection_turns_recursive_triggers_on_before_the_wrapper(tmp_path):
    database.connect(tmp_path / "r.db").conn.close()
    db = database.connect(tmp_path / "r.db")
    assert db.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    assert db._utils is None
    db.conn.close()


def test_atomic_takes_the_write_lock_up_front(tmp_path):
    db = database.connect(tmp_path / "r.db")
    with db.atomic():
        other = sqlite3.connect(tmp_path / "r.db", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    db.conn.close()
