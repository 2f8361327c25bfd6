"""Issue 19: quitting the real application (``disclosure-desk --db``, offscreen)
with nothing changed takes no backup; after a change the window closes, the event
loop returns at once and the process ends only after a verified exit backup."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from desktop_app.services import applications
from desktop_app.services import backups as bk

CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop_app.ui.app as gui
def ready(context, window):
    if sys.argv[2] == "change":
        from desktop_app.services import applications
        app_id = applications.search(context.session)[0].id
        applications.update_application(context.session, app_id, {"notes": "改过"})
    QTimer.singleShot(0, window.close)
gui.run_startup_hooks = ready
_exec = QApplication.exec
def exec_(*_a):
    rc = _exec()
    print("loop-returned", flush=True)
    return rc
QApplication.exec = staticmethod(exec_)
from desktop_app.main import main
raise SystemExit(main(["--db", sys.argv[1]]))
"""


def _run(db: Path, what: str, home: Path) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(db), what], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.split()


def test_quitting_unchanged_takes_no_backup_and_after_a_change_a_verified_one(register, db_path, person_record,
                                                                             tmp_path):
    applications.register_application(register, person_record, today=dt.date(2026, 11, 20))
    register.close()
    bk.back_up(db_path, kind="manual")
    time.sleep(1.1)  # backups are named to the second
    before = bk.list_backups(db_path)

    assert _run(db_path, "unchanged", tmp_path) == ["loop-returned"]
    assert bk.list_backups(db_path) == before

    assert _run(db_path, "change", tmp_path) == ["loop-returned"]
    after = bk.list_backups(db_path)
    made = [b for b in after if b.path not in {x.path for x in before}]
    assert [b.kind for b in made] == ["exit"]
    ok, _message, apps = bk.verify_backup(made[0].path)
    assert ok and apps == 1
    time.sleep(1.1)
    # the session after the one that changed something has nothing new to back up
    assert _run(db_path, "unchanged", tmp_path) == ["loop-returned"]
    assert bk.list_backups(db_path) == after
