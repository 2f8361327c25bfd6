"""Issue 19: m0013_report_index upgrades a register built at the previous
version: section 三 of a year is then read from the narrow index alone, in
the register's receipt order (the serial's natural order within a day)."""

from __future__ import annotations

from desktop_app.domain.serials import natural_key_text
from desktop_app.storage import database
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES
from desktop_app.storage.report import ReportTables

def test_upgrade_adds_the_section3_index_and_reads_in_receipt_order(db_path):
    db = connect(db_path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0013_report_index"])
    db.execute(f"PRAGMA user_version = {MIGRATION_MODULES.index('m0013_report_index')}")
    assert "idx_report_section3" not in {r[1] for r in db.execute("PRAGMA index_list(applications)")}
    rows = [("2025-10", "2025-03-05", None), ("2025-9", "2025-03-05", None), ("2025-1", "2025-04-01", None),
            ("2024-7", "2024-12-30", "2025-01-03"), ("2024-3", "2024-02-01", "2024-03-01"),
            ("2026-1", "2026-01-05", None)]
    for serial, received, reply in rows:
        db.execute("INSERT INTO applications(serial, serial_key, receipt_date, reply_date, outcome, applicant_type, "
                   "applicant_name, info_description, status, created_at, updated_at) VALUES(?, ?, ?, ?, ?, "
                   "'natural_person', '甲', '某文件', 'received', 'x', 'x')",
                   [serial, natural_key_text(serial), received, reply, "disclosed" if reply else None])
    db.conn.commit()
    db.conn.close()

    db = connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert database.pending_migrations(db) == []
    plan = " ".join(str(r[3]) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id, receipt_date, reply_date, outcome, outcome_reason, applicant_type, org_kind "
        "FROM applications WHERE deleted_at IS NULL AND receipt_date <= ? ORDER BY receipt_date, serial_key",
        ["2025-12-31"]))
    assert "COVERING INDEX idx_report_section3" in plan
    assert "TEMP B-TREE" not in plan  # (no sort: the index is in that order)
    serial_of = dict(db.execute("SELECT id, serial FROM applications").fetchall())
    listed = [serial_of[r[0]] for r in ReportTables(db).section3_rows(2025)]
    # 2024-3 was answered before 2025 and 2026-1 came after it: neither is counted
    assert listed == ["2024-7", "2025-9", "2025-10", "2025-1"]
    db.conn.close()
