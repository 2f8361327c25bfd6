"""Issue 19: m0010_register_speed upgrades a register built at the previous
version: every serial gets its natural sort key, and the register's orders use
the new indexes."""

from __future__ import annotations

from desktop_app.domain.serials import natural_key_text
from desktop_app.storage import database
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES


def test_upgrade_from_the_version_before_register_speed(db_path):
    db = connect(db_path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0010_register_speed"])
    previous = MIGRATION_MODULES.index("m0010_register_speed")
    db.execute(f"PRAGMA user_version = {previous}")
    assert "serial_key" not in {r[1] for r in db.execute("PRAGMA table_info(applications)")}
    serials = ["2025-0010", "2025-0009", "望政依申〔2025〕10号", "望政依申〔2025〕9号"]
    for n, serial in enumerate(serials):
        db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, "
                   "info_description, status, created_at, updated_at) VALUES(?, '2025-03-05', 'natural_person', "
                   "?, '内容', 'received', 'x', 'x')", [serial, f"申请人{n}"])
    db.conn.commit()
    db.conn.close()

    db = connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert database.pending_migrations(db) == []
    keys = dict(db.execute("SELECT serial, serial_key FROM applications").fetchall())
    assert keys == {s: natural_key_text(s) for s in serials}
    ordered = [r[0] for r in db.execute("SELECT serial FROM applications ORDER BY serial_key")]
    assert ordered == ["2025-0009", "2025-0010", "望政依申〔2025〕9号", "望政依申〔2025〕10号"]
    plan = " ".join(str(r[3]) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM applications WHERE deleted_at IS NULL AND applicant_name <> '' "
        "ORDER BY applicant_name, serial_key, id"))
    assert "COVERING INDEX idx_register_applicant" in plan
