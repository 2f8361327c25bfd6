"""m0009: the proactive register's tables, and the section 二 figures typed
before the upgrade moved into typed yearly figures, not lost."""

import sqlite3

from sqlite_utils import Database, Migrations

from desktop_app.services import items, report
from desktop_app.services.session import open_register
from desktop_app.storage import migrations


def _register_at_previous_version(path):
    db = Database(path)
    previous = Migrations(migrations.MIGRATION_SET)
    names = migrations.MIGRATION_MODULES[:migrations.MIGRATION_MODULES.index("m0009_proactive_items")]
    for name in names:
        module = __import__(f"desktop_app.storage.migrations.{name}", fromlist=["migrate"])
        previous(name=name)(module.migrate)
    previous.apply(db)
    db.execute(f"PRAGMA user_version = {len(names)}")
    return db


def test_m0009_moves_typed_section2_figures_into_yearly_figures(tmp_path):
    path = tmp_path / "old.db"
    db = _register_at_previous_version(path)
    db.execute("INSERT INTO report_proactive(year, regulations_issued, normative_issued, normative_repealed, "
               "normative_in_force, licensing_decisions, penalty_decisions, enforcement_decisions, fees_amount, "
               "updated_at) VALUES(2024, 0, 6, 2, 31, 412, 17, NULL, 12.3456, '2025-01-20T09:00:00')")
    db.conn.commit()
    db.conn.close()

    reg = open_register(path)
    assert reg.store.db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    s2 = items.section2(reg, 2024)
    # typed counts stay what was printed, marked with their source, not counted from the (empty) register
    assert s2.values["normative_issued"] == 6 and s2.values["normative_in_force"] == 31
    assert s2.values["normative_repealed"] == 2 and s2.values["regulations_issued"] == 0
    assert s2.values["licensing_decisions"] == 412 and s2.values["penalty_decisions"] == 17
    assert s2.values["fees_amount"] == 12.3456
    assert s2.values["enforcement_decisions"] is None  # never entered stays blank
    assert "升级前" in s2.sources["normative_issued"]
    assert not s2.computed("normative_issued") and s2.computed("normative_in_force") is False
    # a field never typed is counted from the register
    assert s2.computed("regulations_repealed") and s2.values["regulations_repealed"] == 0
    assert report.get_section2(reg, 2024)["penalty_decisions"] == 17
    reg.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM report_proactive").fetchone()[0] == 1  # old table untouched
    conn.close()


def test_m0009_on_a_register_without_typed_figures_creates_empty_tables(tmp_path):
    path = tmp_path / "old.db"
    db = _register_at_previous_version(path)
    db.conn.commit()
    db.conn.close()
    reg = open_register(path)
    assert items.count(reg) == 0
    assert items.figures(reg, 2025) == []
    reg.close()
