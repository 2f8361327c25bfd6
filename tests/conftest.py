"""Shared fixtures.  Qt runs offscreen in every test."""

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The GUI converts Noto Serif CJK SC in the background by itself (minutes of
# CPU): never in tests, nor in the apps they start (tests convert subsets).
os.environ.setdefault("DISCLOSURE_DESK_NO_FONT_CONVERSION", "1")

# The suite never reads or writes the clerk's own settings and data folders
# (QSettings, backups, logs): one private pair of folders for the session.
import tempfile as _tempfile

_PRIVATE = _tempfile.mkdtemp(prefix="disclosure-desk-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_PRIVATE, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_PRIVATE, "data")

import pytest

from desktop_app.services.session import open_register


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "register.db"


@pytest.fixture
def register(db_path):
    """A new, open register (a ``services.session.Session``)."""
    session = open_register(db_path, create=True)
    yield session
    session.close()


@pytest.fixture
def report_register(register):
    """The register of the annual-report tests (``report_samples``)."""
    from report_samples import fill_report_register

    return fill_report_register(register)


@pytest.fixture
def person_record():
    """A valid natural-person application (receipt in the past)."""
    return {
        "receipt_date": dt.date(2026, 3, 5),
        "channel": "in_person",
        "applicant_type": "natural_person",
        "applicant_name": "张某某",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "address": "浙江省杭州市西湖区文三路1号",
        "postcode": "310012",
        "info_description": "2025年本区老旧小区改造项目的立项批复文件",
    }


# --- a real X server for the GUI paths a clerk clicks through -------------------------------

import shutil
import subprocess
import sys
import time
from pathlib import Path


@pytest.fixture(scope="session")
def xvfb_display():
    """A private Xvfb at 1366x768 (":N"), for tests that run the GUI in a
    subprocess on a real X server.  Without Xvfb the test is skipped, and
    reported as such; CI sets DISCLOSURE_DESK_REQUIRE_XVFB=1 so a missing
    Xvfb fails the run instead."""
    exe = shutil.which("Xvfb")
    if exe is None:
        if os.environ.get("DISCLOSURE_DESK_REQUIRE_XVFB") == "1":
            pytest.fail("Xvfb is required (DISCLOSURE_DESK_REQUIRE_XVFB=1) but not installed")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    for n in range(140, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            break
    proc = subprocess.Popen([exe, f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Xvfb :{n} did not start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def run_on_x11(xvfb_display, tmp_path):
    """Run ``python SCRIPT ARGS`` on the Xvfb display as a first start: a fresh
    home, data and config folder (no saved window geometry)."""
    home = tmp_path / "home"
    home.mkdir()

    def run(script: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
        env.update(DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb", HOME=str(home),
                   XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
                   XDG_RUNTIME_DIR=str(home / "run"), PYTHONFAULTHANDLER="1")
        (home / "run").mkdir(mode=0o700, exist_ok=True)
        return subprocess.run([sys.executable, str(script), *args], env=env, cwd=str(tmp_path),
                              capture_output=True, text=True, timeout=timeout)

    run.home = home
    return run
