"""backup, backups, restore and check: the data-safety commands, beside a busy or running GUI and on damaged registers."""

import datetime as dt
import sqlite3
import time
from pathlib import Path

import pytest

from desktop_app.main import main as cli_main
from desktop_app.services import applications
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register
from desktop_app.storage import backups as bk
from desktop_app.storage.lock import InstanceLock

TODAY = dt.date(2026, 6, 1)


def fill(register, person_record, n=5):
    ids = []
    for i in range(n):
        ids.append(applications.register_application(
            register, dict(person_record, applicant_name=f"申请人{i}"), today=TODAY).app_id)
    settings_service.update_settings(register, {"agency_name": "某区人民政府办公室"})
    return ids


def _make_db(path, person_record, n=30):
    reg = open_register(path, create=True)
    for i in range(n):
        applications.register_application(reg, dict(person_record, applicant_name=f"人{i}", notes="备注" * 200), today=TODAY)
    reg.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_check_reports_consistency_findings(register, db_path, person_record, capsys):
    ids = fill(register, person_record, 2)
    assert cli_main(["--db", str(db_path), "check"]) == 0
    assert "完好" in capsys.readouterr().out
    register.store.db.execute("PRAGMA foreign_keys = OFF")
    register.store.db.execute("UPDATE serial_counters SET last = 0")
    register.store.db.execute("INSERT INTO events(application_id, kind, date, created_at) "
                        "VALUES(999, 'note', '2026-01-01', '2026-01-01')")
    register.store.db.execute("UPDATE applications SET status = 'closed' WHERE id = ?", [ids[0]])
    register.store.db.conn.commit()
    assert cli_main(["--db", str(db_path), "check"]) == 1
    out = capsys.readouterr().out
    assert "编号计数器" in out and "不存在的" in out and "没有办理结果" in out


def test_cli_backup_backups_restore(register, db_path, tmp_path, person_record, capsys):
    fill(register, person_record, 3)
    register.close()
    target = tmp_path / "移动硬盘"
    assert cli_main(["--db", str(db_path), "backup", "--to", str(target)]) == 0
    out = capsys.readouterr().out
    assert "3 件申请" in out and "完整性校验" in out
    backup_file = next(target.glob("register-*-cli.db"))
    assert cli_main(["--db", str(db_path), "backups", "--dir", str(target)]) == 0
    assert "命令行备份" in capsys.readouterr().out

    reg = open_register(db_path, create=True)
    applications.register_application(reg, person_record, today=TODAY).app_id
    reg.close()
    assert cli_main(["--db", str(db_path), "restore", str(backup_file)]) == 0
    out = capsys.readouterr().out
    assert "撤销" in out and "pre-restore" in out
    assert applications.count(open_register(db_path, create=True)) == 3


def test_cli_restore_refuses_garbage(register, db_path, tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_text("nonsense")
    with pytest.raises(SystemExit) as info:
        cli_main(["--db", str(db_path), "restore", str(bad)])
    assert info.value.code == 2
    assert "不是数据库备份文件" in capsys.readouterr().err


def test_cli_beside_a_busy_database_waits_then_gives_a_clear_message(register, db_path, tmp_path, capsys):
    """Another program holds the write lock: a CLI write waits for it (busy
    timeout), and only when it is held too long fails with a clear message."""
    import threading

    src = tmp_path / "one.csv"
    src.write_text("收到日期,申请人类型,申请人,申请内容\n2026-03-05,自然人,张某,某文件\n", encoding="utf-8")
    holder = sqlite3.connect(db_path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, holder.rollback).start()  # a short write elsewhere
    t0 = time.monotonic()
    assert cli_main(["--db", str(db_path), "import", str(src)]) == 0
    assert time.monotonic() - t0 >= 0.9  # it waited for the lock
    assert applications.count(register) == 1

    src.write_text("收到日期,申请人类型,申请人,申请内容\n2026-03-06,自然人,李某,另一文件\n", encoding="utf-8")
    holder.execute("BEGIN IMMEDIATE")  # held longer than the busy timeout
    try:
        with pytest.raises(SystemExit) as info:
            cli_main(["--db", str(db_path), "import", str(src)])
    finally:
        holder.rollback()
        holder.close()
    assert info.value.code == 2
    assert "正被其他程序" in capsys.readouterr().err
    assert applications.count(register) == 1
    assert cli_main(["--db", str(db_path), "import", str(src)]) == 0
    assert applications.count(register) == 2


def test_cli_reads_and_backs_up_beside_a_running_gui(register, db_path, person_record):
    applications.register_application(register, person_record, today=TODAY).app_id
    gui = InstanceLock(db_path).acquire()  # the GUI is open on this database
    try:
        assert cli_main(["--db", str(db_path), "check"]) == 0
        assert cli_main(["--db", str(db_path), "backup"]) == 0
        with pytest.raises(SystemExit):
            cli_main(["--db", str(db_path), "restore", str(bk.list_backups(db_path)[0].path)])
    finally:
        gui.release()


def test_cli_commands_refuse_a_damaged_database_and_name_a_backup(tmp_path, person_record, capsys):
    path = tmp_path / "register.db"
    _make_db(path, person_record)
    good = bk.create_backup(path)
    data = path.read_bytes()
    page = 4096
    data = data[: page * 3] + b"\x00" * page + data[page * 4:]
    path.write_bytes(data)
    src = tmp_path / "in.csv"
    src.write_text("收到日期,申请人类型,申请人,申请内容\n2026-03-05,自然人,张某,某文件\n", encoding="utf-8")
    for argv in (["import", str(src)], ["export", str(tmp_path / "out.xlsx")]):
        with pytest.raises(SystemExit) as info:
            cli_main(["--db", str(path), *argv])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert "已损坏" in err and good.path.name in err and "restore" in err
    assert path.read_bytes() == data
    assert not (tmp_path / "out.xlsx").exists()
