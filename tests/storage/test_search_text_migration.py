"""Issue 19: m0011_search_text upgrades a register built at the previous
version: every application gets its lower-cased search text, the register's
search finds them by it, and a search scans only the narrow search index."""

from __future__ import annotations

from desktop_app.services import applications
from desktop_app.services.session import open_register
from desktop_app.storage import database
from desktop_app.storage.applications import ApplicationQuery, register_where
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES


def test_upgrade_from_the_version_before_search_text(db_path):
    db = connect(db_path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0011_search_text"])
    previous = MIGRATION_MODULES.index("m0011_search_text")
    db.execute(f"PRAGMA user_version = {previous}")
    assert "search_text" not in {r[1] for r in db.execute("PRAGMA table_info(applications)")}
    rows = [("2025-0001", "ＺＨＡＮＧ San", None, "征地补偿"),
            ("2025-0002", "李四", "Ｗａｎｇ", "拆迁公告"),
            ("2025-0003", "ΣΟΦΙΑ", None, "Straße")]
    for serial, name, contact, content in rows:
        db.execute("INSERT INTO applications(serial, receipt_date, applicant_type, applicant_name, contact_name, "
                   "info_description, status, created_at, updated_at) VALUES(?, '2025-03-05', 'natural_person', "
                   "?, ?, ?, 'received', 'x', 'x')", [serial, name, contact, content])
    db.conn.commit()
    db.conn.close()

    db = connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert database.pending_migrations(db) == []
    stored = dict(db.execute("SELECT serial, search_text FROM applications").fetchall())
    assert stored == {"2025-0001": "2025-0001\x1fｚｈａｎｇ san\x1f\x1f\x1f征地补偿",
                      "2025-0002": "2025-0002\x1f李四\x1fｗａｎｇ\x1f\x1f拆迁公告",
                      "2025-0003": "2025-0003\x1fσοφια\x1f\x1f\x1fstraße"}
    where, params = register_where(ApplicationQuery(text="ｚｈａｎｇ"))
    plan = " ".join(str(r[3]) for r in db.execute(f"EXPLAIN QUERY PLAN SELECT id FROM applications WHERE {where}",
                                                   params))
    assert "COVERING INDEX idx_search_text" in plan
    db.conn.close()

    session = open_register(db_path)
    try:
        def found(text):
            return sorted(applications.get(session, i).serial
                          for i in applications.register_ids(session, ApplicationQuery(text=text)))
        assert found("Ｚｈａｎｇ") == ["2025-0001"]
        assert found("ｗａｎｇ 拆迁") == ["2025-0002"]
        assert found("σοφία") == []  # (the accent is a different letter, as before)
        assert found("σοφια STRASSE") == []
        assert found("σοφια STRAßE") == ["2025-0003"]
        assert found("四ｗ") == []  # no word spans two fields
    finally:
        session.close()
