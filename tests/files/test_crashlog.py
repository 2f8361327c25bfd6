"""A crash is never silent: the session log keeps the fault, and the next
start tells the clerk that nothing saved was lost and where the log is."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.files.crashlog import CrashLog, register_key

SCRIPT = Path(__file__).resolve().parents[1] / "ui" / "gui_scripts" / "crash_then_restart.py"


def test_a_clean_session_leaves_nothing_to_report(tmp_path):
    log = CrashLog(tmp_path / "logs", tmp_path / "r.db")
    log.begin("test")
    assert log.path.exists()
    log.end()
    assert not log.path.exists()
    assert CrashLog(tmp_path / "logs", tmp_path / "r.db").previous_crash() is None


def test_a_session_killed_without_a_fault_is_reported_as_not_ended_cleanly(tmp_path):
    log = CrashLog(tmp_path / "logs", tmp_path / "r.db")
    log.begin("test")  # the process dies here: no end()
    previous = CrashLog(tmp_path / "logs", tmp_path / "r.db").previous_crash()
    assert previous is not None and not previous.fatal
    assert previous.log_path.name.startswith("crash-") and previous.log_path.exists()
    assert "没有正常结束" in previous.message() and str(previous.log_path) in previous.message()
    # reported once: the next start after that is clean
    assert CrashLog(tmp_path / "logs", tmp_path / "r.db").previous_crash() is None


def test_sessions_of_two_registers_do_not_see_each_other(tmp_path):
    demo = CrashLog(tmp_path / "logs", tmp_path / "demo.db")
    demo.begin("test")
    assert CrashLog(tmp_path / "logs", tmp_path / "register.db").previous_crash() is None
    assert register_key(tmp_path / "demo.db") != register_key(tmp_path / "register.db")
    demo.end()


def test_uncaught_exceptions_are_kept_after_a_clean_exit(tmp_path):
    log = CrashLog(tmp_path / "logs", tmp_path / "r.db")
    log.begin("test")
    try:
        raise ValueError("坏值")
    except ValueError as exc:
        log.record_exception(type(exc), exc, exc.__traceback__)
    kept = log.end()
    assert kept is not None and kept.name.startswith("errors-")
    assert "ValueError: 坏值" in kept.read_text(encoding="utf-8")


def _run(mode: str, db: Path, data: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(data / "config"),
               HOME=str(data))
    return subprocess.run([sys.executable, str(SCRIPT), mode, str(db)], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def app_dirs(tmp_path):
    from desktop_app.storage.database import connect

    data = tmp_path / "data"
    data.mkdir()
    db = tmp_path / "register.db"
    connect(db).conn.close()
    return db, data


def test_after_a_segfault_the_next_start_says_what_happened_and_where_the_log_is(app_dirs):
    db, data = app_dirs
    crashed = _run("crash", db, data)
    assert crashed.returncode < 0 or crashed.returncode >= 128, crashed  # killed by the signal
    logs = data / "DisclosureDesk" / "logs"
    session = next(logs.glob("session-*.log"))
    text = session.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert str(db) in text

    restarted = _run("look", db, data)
    assert restarted.returncode == 0, restarted.stderr[-3000:]
    kept = next(logs.glob("crash-*.log"))
    assert "Segmentation fault" in kept.read_text(encoding="utf-8")
    message = next(line for line in restarted.stdout.splitlines() if line.startswith("MESSAGE[程序上次意外关闭]"))
    assert "意外关闭" in message and "已保存的数据没有丢失" in message
    assert str(kept) in restarted.stdout
    assert not list(logs.glob("session-*.log"))  # this clean exit leaves none

    third = _run("look", db, data)
    assert "MESSAGE[程序上次意外关闭]" not in third.stdout


def test_an_exception_in_a_slot_is_shown_logged_and_the_app_goes_on(app_dirs):
    db, data = app_dirs
    result = _run("raise", db, data)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "测试用的错误" in result.stdout  # the clerk was told
    logs = data / "DisclosureDesk" / "logs"
    kept = next(logs.glob("errors-*.log"))
    assert "RuntimeError: 测试用的错误" in kept.read_text(encoding="utf-8")


def test_the_app_log_is_rotated_at_the_start_of_a_session_past_1_mb(tmp_path):
    import logging

    from desktop_app.files.crashlog import configure_file_logging

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "app.log").write_text("x" * 1_000_001, encoding="utf-8")
    for n in (1, 2, 3):
        (folder / f"app.log.{n}").write_text(f"old {n}", encoding="utf-8")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = configure_file_logging(folder)
        logging.getLogger("t").warning("after the rotation")
        for h in root.handlers:
            h.flush()
        assert (folder / "app.log.1").stat().st_size == 1_000_001
        assert (folder / "app.log.2").read_text(encoding="utf-8") == "old 1"
        assert (folder / "app.log.3").read_text(encoding="utf-8") == "old 2"  # old 3 dropped
        assert "after the rotation" in path.read_text(encoding="utf-8")
        configure_file_logging(folder)  # a small log stays; the handler is not added twice
        assert (folder / "app.log.1").stat().st_size == 1_000_001
        assert len(root.handlers) == len(before) + 1
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
