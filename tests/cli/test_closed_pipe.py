"""``disclosure-desk deadlines | head``: when the reader of the output has
gone, the command ends with 0 and no traceback, in a real process."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from desktop_app.services import applications

ROOT = Path(__file__).resolve().parents[2]


def test_deadlines_into_a_closed_pipe_ends_quietly_with_0(tmp_path, db_path, register, person_record):
    for i in range(3):
        applications.register_application(register, dict(person_record, applicant_name=f"申请人{i}",
                                                         receipt_date=dt.date.today()))
    register.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    command = [sys.executable, "-m", "desktop_app", "--db", str(db_path), "deadlines"]
    # the same command into an open pipe lists the three applications
    listed = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert all(f"申请人{i}" in listed.stdout for i in range(3))
    # ... and into a pipe whose reader has already gone (`| head` that stopped reading)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        closed = subprocess.run(command, stdout=write_end, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                env=env, timeout=120)
    finally:
        os.close(write_end)
    assert closed.returncode == 0, closed.stderr
    assert "Traceback" not in closed.stderr and "BrokenPipe" not in closed.stderr, closed.stderr
