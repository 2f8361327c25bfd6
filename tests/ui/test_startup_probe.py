"""The start-up probe used by bench/bench_startup.py: the real GUI start
path (``disclosure-desk`` with no command) up to a shown main window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _gui(db, **extra_env):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", **extra_env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(db)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


def test_app_reports_shown_window_and_exits(tmp_path):
    from desktop_app.storage.database import create_register

    create_register(tmp_path / "r.db").conn.close()  # a missing file would get the first-start dialog
    marker_file = tmp_path / "shown.txt"
    before = time.time()
    proc = _gui(tmp_path / "r.db", DISCLOSURE_DESK_EXIT_AFTER_SHOW="1",
                DISCLOSURE_DESK_SHOWN_FILE=str(marker_file))
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("DISCLOSURE_DESK_SHOWN ")]
    assert len(lines) == 1
    shown = float(lines[0].split()[1])
    assert before < shown < time.time()
    assert marker_file.read_text(encoding="utf-8").strip() == lines[0]
    assert (tmp_path / "r.db").is_file()


def test_probe_runs_only_with_the_flag(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui import startup_probe

    calls = []
    monkeypatch.setattr(startup_probe, "report_shown", lambda w: calls.append(w) or 0.0)
    window = QMainWindow()
    qtbot.addWidget(window)

    monkeypatch.delenv(startup_probe.ENV_FLAG, raising=False)
    startup_probe.exit_after_show_hook(None, window)
    qtbot.wait(50)
    assert calls == []

    monkeypatch.setenv(startup_probe.ENV_FLAG, "1")
    startup_probe.exit_after_show_hook(None, window)
    qtbot.waitUntil(lambda: calls == [window], timeout=2000)
