"""The start-up integrity check that runs in a thread while Qt loads: its
report is used only for the same file, unchanged; and it loads nothing but
the standard library and the integrity module (no sqlite-utils, no Qt), so it
takes nothing from the thread that brings up the window."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from desktop_app.services.startup_check import EarlyIntegrityCheck

ROOT = Path(__file__).resolve().parents[2]


def test_report_counts_only_for_the_same_unchanged_file(register, db_path, tmp_path):
    register.close()
    check = EarlyIntegrityCheck.start(argparse.Namespace(db=str(db_path), demo=False))
    assert check is not None
    report = check.report_for(db_path)
    assert report is not None and report.ok
    assert check.report_for(tmp_path / "other.db") is None
    later = time.time() + 5
    os.utime(db_path, (later, later))  # the file changed since it was checked
    assert check.report_for(db_path) is None


def test_no_check_for_a_register_that_does_not_exist(tmp_path):
    assert EarlyIntegrityCheck.start(argparse.Namespace(db=str(tmp_path / "none.db"), demo=False)) is None


def test_the_check_loads_neither_sqlite_utils_nor_qt(register, db_path):
    register.close()
    code = (
        "import argparse, sys\n"
        "from desktop_app.services.startup_check import EarlyIntegrityCheck\n"
        f"check = EarlyIntegrityCheck.start(argparse.Namespace(db={str(db_path)!r}, demo=False))\n"
        f"assert check.report_for(check.path).ok\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'PySide6', 'shiboken6')"
        " or m.startswith('desktop_app.storage.recognition')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
