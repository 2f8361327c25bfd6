"""Start-up does only what the first screen needs (issue 19): launched
through the real entry point (``disclosure-desk --db``), when the 工作台 is
drawn with its counts the process has not imported sqlite-utils (nor
pluggy, click, dateutil) nor any migration module, and no page but the
工作台 is built; the first write afterwards brings sqlite-utils in and is
saved as before."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# As bench/bench_gui.py's APP_CHILD: nothing imported before ``main``; the GUI
# module is patched when the app imports it, so the app's own import order runs.
CHILD = r"""
import importlib.util, json, sys

def patch(gui):
    from PySide6.QtWidgets import QApplication

    def ready(context, window):
        dashboard = window.pages.get("dashboard")
        import PySide6.QtCore
        report = {
            "qt_namespace": "Qt" in PySide6.QtCore.__dict__,  # (made on first import: ~30 ms)
            # (PySide makes a class with its enums when Python first names it:
            # asking for the application's style() builds QStyle's dozen, ~10 ms)
            "qstyle_built": "QStyle" in __import__("PySide6.QtWidgets").QtWidgets.__dict__,
            "dialog_classes_built": sorted(n for n in ("QMessageBox", "QDialogButtonBox", "QLineEdit")
                                           if n in __import__("PySide6.QtWidgets").QtWidgets.__dict__),
            "modules": sorted(sys.modules),
            "pages": sorted(window.pages),
            "current": window.current_page_key(),
            "counts": dashboard.counts() if dashboard is not None else None,
            "tiles": {k: t.number.text() for k, t in dashboard.tiles.items()} if dashboard else None,
            "status": window.count_label.text(),
            # the collector, paused by the entry point for the start-up, works again
            "gc_enabled": __import__("gc").isenabled(),
            "gc_frozen": __import__("gc").get_freeze_count(),
        }
        # after ready: a write, through the services as the GUI makes it
        from desktop_app.services.settings import update_settings
        update_settings(context.session, {"agency_name": "懒加载测试局"})
        report["after_write"] = sorted(m for m in sys.modules if m.startswith("sqlite_utils"))
        register = window.show_page("register")  # a page built on first show
        report["register_rows"] = register.model.rowCount() if register is not None else None
        report["pages_after"] = sorted(window.pages)
        print("REPORT " + json.dumps(report), flush=True)
        QApplication.quit()

    gui.run_startup_hooks = ready

class _PatchGui:
    def find_spec(self, name, path=None, target=None):
        if name != "desktop_app.ui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _PatchGui())
from desktop_app.main import main
raise SystemExit(main(["--db", sys.argv[1]]))
"""


def _launch(db: Path, tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=180, cwd=str(tmp_path))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("REPORT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-3000:]
    return json.loads(lines[0][len("REPORT "):])


def _register(tmp_path: Path) -> Path:
    from desktop_app.services.demo import fill_demo
    from desktop_app.services.session import open_register

    path = tmp_path / "register.db"
    session = open_register(path, create=True)
    fill_demo(session, count=60, today=dt.date.today())
    session.close()
    return path


def test_the_dashboard_is_ready_without_sqlite_utils_migrations_or_other_pages(tmp_path):
    report = _launch(_register(tmp_path), tmp_path)
    modules = set(report["modules"])
    for heavy in ("sqlite_utils", "pluggy", "click", "dateutil"):
        assert heavy not in modules, f"{heavy} imported before the 工作台 was ready"
    # a few milliseconds each, none needed by the first screen: OpenSSL (the
    # password, the check marks, the local server's name), the socket module
    # (the lock's host name, logging.handlers), strptime (backup names), and
    # the annual report's and the ledger reader's modules (the 主动公开 strip)
    # the deadline rules and the proactive register: with the list, after the first paint;
    # the applications' records and their repository (the counts are plain SQL)
    for light in ("desktop_app.domain.records", "desktop_app.storage.applications",
                  "desktop_app.services.applications", "_hashlib", "socket", "logging.handlers", "_strptime",
                  "desktop_app.domain.report_stats", "desktop_app.domain.report_model", "desktop_app.ledger.reader",
                  "desktop_app.domain.deadlines", "desktop_app.domain.items", "desktop_app.services.items"):
        assert light not in modules, f"{light} imported before the 工作台 was ready"
    assert not [m for m in modules if m.startswith("desktop_app.storage.migrations.m")]
    assert report["qt_namespace"] is False, "Qt's enum namespace was imported before the 工作台 was ready"
    assert report["qstyle_built"] is False, "QStyle was built before the 工作台 was ready"
    assert report["dialog_classes_built"] == [], "dialog classes were built before the 工作台 was ready"
    assert report["current"] == "dashboard"
    assert report["pages"] == ["dashboard"]
    assert sum(report["counts"].values()) > 0  # the tiles drawn with the register's counts
    assert report["tiles"] == {k: str(v) for k, v in report["counts"].items()}
    assert report["status"] == "共 60 件申请"
    assert report["gc_enabled"] is True and report["gc_frozen"] > 10_000  # (the start-up's objects)


def test_the_first_write_after_start_brings_sqlite_utils_and_is_saved(tmp_path):
    db = _register(tmp_path)
    report = _launch(db, tmp_path)
    assert "sqlite_utils" in report["after_write"]
    assert report["pages_after"] == ["dashboard", "register"]
    assert report["register_rows"] == 60
    with sqlite3.connect(db) as conn:
        value = conn.execute("SELECT value FROM settings WHERE key = 'agency_name'").fetchone()[0]
    assert json.loads(value) == "懒加载测试局"


def test_an_older_register_is_still_upgraded_at_start(tmp_path):
    """A register one migration behind goes through the upgrade (sqlite-utils
    and the migrations are then loaded, as they must be) and opens."""
    from desktop_app.storage import database
    from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES

    path = tmp_path / "old.db"
    db = database.connect(path, create=True, migrate=False)
    database.MIGRATIONS.apply(db.utils, stop_before=[MIGRATION_MODULES[-1]])
    db.conn.close()
    report = _launch(path, tmp_path)
    assert f"desktop_app.storage.migrations.{MIGRATION_MODULES[-1]}" in report["modules"]
    assert report["pages"] == ["dashboard"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def test_what_is_loaded_while_a_first_start_check_runs_is_what_the_first_screen_needs(tmp_path):
    """(A register not yet marked as checked is read whole in a thread while the
    modules that opening it needs are loaded: not the applications' records.)"""
    code = (
        "import sys\n"
        "from desktop_app.ui import app\n"
        "qapp = app.ensure_application(icon=False)\n"
        "window = app.MainWindow(None)\n"
        "app._while_checking(window)\n"
        "wanted = ('desktop_app.services.session', 'desktop_app.services.counts',\n"
        "          'desktop_app.services.deadlines', 'desktop_app.ui.dashboard_page')\n"
        "unwanted = ('desktop_app.domain.records', 'desktop_app.storage.applications',\n"
        "            'desktop_app.services.applications', 'sqlite_utils')\n"
        "import json\n"
        "print('LOADED', json.dumps([[m for m in wanted if m in sys.modules],\n"
        "                            [m for m in unwanted if m in sys.modules]]))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120, cwd=str(tmp_path))
    line = next((x for x in proc.stdout.splitlines() if x.startswith("LOADED ")), None)
    assert proc.returncode == 0 and line is not None, proc.stderr[-3000:]
    loaded, unwanted = json.loads(line[len("LOADED "):])
    assert len(loaded) == 4
    assert unwanted == []


def test_the_collector_is_resumed_only_where_the_entry_point_paused_it():
    import gc

    from desktop_app.ui.app import resume_garbage_collection

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    resume_garbage_collection()  # (a test process, an embedding: nothing to resume, nothing frozen)
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        resume_garbage_collection()
        assert gc.isenabled() and gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
        gc.enable()
