"""The ``due``, ``calendar`` and ``deadlines`` commands."""

import datetime as dt
import subprocess
import sys

import pytest

from desktop_app.main import main
from desktop_app.services import applications


def run(capsys, *argv):
    with pytest.raises(SystemExit) as info:
        code = main(list(argv))
        raise SystemExit(code)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def new_db(capsys, tmp_path) -> str:
    """A new, empty register (commands never create one by themselves)."""
    db = str(tmp_path / "r.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    return db


def test_due_prints_iso_date_on_last_line(capsys, tmp_path):
    db = new_db(capsys, tmp_path)
    code, out, _ = run(capsys, "--db", db, "due", "2026-09-28")
    assert code == 0 and out.strip().splitlines()[-1] == "2026-10-30"
    code, out, _ = run(capsys, "--db", db, "due", "2026-09-28", "--days", "7")
    assert code == 0 and out.strip().splitlines()[-1] == "2026-10-13"
    code, out, _ = run(capsys, "--db", db, "due", "2026年2月13日", "-n", "7", "--explain")
    assert out.strip().splitlines()[-1] == "2026-03-02"
    assert "春节" in out and "调休上班" in out


def test_due_bad_date_exits_2(capsys, tmp_path):
    db = new_db(capsys, tmp_path)
    code, out, err = run(capsys, "--db", db, "due", "2026-02-30")
    assert code == 2 and "无效" in err and "YYYY-MM-DD" in err
    code, _out, err = run(capsys, "--db", db, "due", "2026-09-28", "--days", "0")
    assert code == 2 and "工作日数" in err


def test_due_unknown_year_needs_allow_provisional(capsys, tmp_path):
    db = new_db(capsys, tmp_path)
    code, out, err = run(capsys, "--db", db, "due", "2026-12-20")
    assert code == 2 and "2027年" in err and "--allow-provisional" in err
    code, out, _ = run(capsys, "--db", db, "due", "2026-12-20", "--allow-provisional")
    lines = out.strip().splitlines()
    assert code == 0 and lines[-1] == "2027-01-18" and any("暂定" in line for line in lines)


def test_due_uses_agency_overrides(capsys, tmp_path):
    db = new_db(capsys, tmp_path)
    code, out, _ = run(capsys, "--db", db, "calendar", "set", "2026-10-29", "--off", "--note", "台风停止办公")
    assert code == 0 and "休息日" in out
    code, out, _ = run(capsys, "--db", db, "due", "2026-09-28")
    assert out.strip().splitlines()[-1] == "2026-11-02"
    code, out, _ = run(capsys, "--db", db, "calendar", "unset", "2026-10-29")
    code, out, _ = run(capsys, "--db", db, "due", "2026-09-28")
    assert out.strip().splitlines()[-1] == "2026-10-30"


def test_calendar_years_month_and_schedule(capsys, tmp_path):
    db = new_db(capsys, tmp_path)
    code, out, _ = run(capsys, "--db", db, "calendar", "years")
    assert code == 0 and "2004–2026年" in out
    code, out, _ = run(capsys, "--db", db, "calendar", "month", "2026-10")
    assert "2026-10-10 星期六 上班  调休上班（国庆节）" in out
    notice = tmp_path / "2027.txt"
    notice.write_text("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
                      "二、春节：2月6日至14日放假调休，共9天。2月20日（周六）上班。\n", encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "calendar", "schedule", "2027", str(notice), "--note", "测试")
    assert code == 0 and "放假 12 天" in out and "2027-02-20" in out
    code, out, _ = run(capsys, "--db", db, "due", "2026-12-20")
    assert code == 0 and out.strip().splitlines()[-1] == "2027-01-18"
    bad = tmp_path / "bad.txt"
    bad.write_text("没有日期", encoding="utf-8")
    code, _out, err = run(capsys, "--db", db, "calendar", "schedule", "2028", str(bad))
    assert code == 2 and "没有从文本中识别出放假日期" in err


def test_deadlines_lists_open_applications(capsys, tmp_path, register, person_record):
    applications.register_application(register, dict(person_record, receipt_date=dt.date(2026, 9, 28)),
                                      today=dt.date(2026, 11, 25))
    path = str(register.store.db.conn.execute("PRAGMA database_list").fetchone()[2])
    code, out, _ = run(capsys, "--db", path, "deadlines", "--today", "2026-10-29")
    assert code == 0 and "2026-0001" in out and "剩余1个工作日" in out and "即将到期1件" in out


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "due", "2026-09-28", "-n", "7"],
                          capture_output=True, text=True, timeout=60,
                          env={**__import__("os").environ, "HOME": "/nonexistent-home-for-test"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "2026-10-13"


def test_calendar_without_action_prints_its_help(capsys, tmp_path):
    code, out, _ = run(capsys, "--db", str(tmp_path / "r.db"), "calendar")
    assert code == 0 and "years" in out and "schedule" in out and "--today" not in out
