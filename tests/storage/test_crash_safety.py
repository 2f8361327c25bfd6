"""A writer killed with SIGKILL at any moment loses nothing it committed.

A child process opens the register with ``storage.database.connect`` and
writes through :class:`Register`, printing a line after each commit.  The
parent kills it (SIGKILL: no clean-up, no atexit, no flush) at several
points, then proves the database passes ``PRAGMA integrity_check``, holds
every change the child reported committed, and holds an interrupted bulk
import either wholly or not at all.
"""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.services import applications
from desktop_app.services.session import open_register

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

PRELUDE = textwrap.dedent(f"""
    import datetime as dt, sys
    sys.path.insert(0, {str(ROOT)!r})
    from desktop_app.services import applications
    from desktop_app.services.session import open_register
    TODAY = dt.date(2026, 6, 1)
    def record(i, tag):
        return {{
            "receipt_date": "2026-03-05", "channel": "letter", "applicant_type": "natural_person",
            "applicant_name": f"{{tag}}申请人{{i}}", "phone": "13812345678",
            "info_description": f"第{{i}}件：关于某项目的批复文件" + "。" * (i % 50),
        }}
    reg = open_register(sys.argv[1], create=True)
    print("ready", flush=True)
""")

STREAM = PRELUDE + textwrap.dedent("""
    i = 0
    while True:
        i += 1
        app_id = applications.register_application(reg, record(i, "流"), today=TODAY).app_id
        serial = applications.get(reg, app_id).serial
        print(f"A {serial}", flush=True)
        if i % 3 == 0:
            applications.update_application(reg, app_id, {"notes": f"修改{i}"}, today=TODAY).changes
            print(f"U {serial} 修改{i}", flush=True)
        if i % 4 == 0:
            ev = applications.add_event(reg, app_id, "note", "2026-03-06", {"text": f"记录{i}"})
            print(f"E {ev}", flush=True)
""")

BULK = PRELUDE + textwrap.dedent("""
    n = int(sys.argv[2])
    with reg.store.transaction():                  # one bulk import = one transaction
        for i in range(1, n + 1):
            applications.register_application(reg, record(i, "批"), today=TODAY).app_id
            if i % 10 == 0:
                print(f"P {i}", flush=True)  # progress inside the transaction
    print("DONE", flush=True)
""")

LEDGER = PRELUDE + textwrap.dedent("""
    from desktop_app.services.ledger import import_ledger
    def progress(stage, done, total):
        print(f"P {stage} {done}", flush=True)
    summary = import_ledger(reg, sys.argv[2], today=TODAY, progress=progress)
    print(f"DONE {summary.added}", flush=True)
""")


def run_and_kill(script: str, args: list[str], kill_when) -> list[str]:
    """Run ``script``; SIGKILL it as soon as ``kill_when(lines)`` is true
    (or let it finish).  Returns the lines it printed."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_when(lines):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.stdout.close()
        proc.wait(timeout=30)
        err = proc.stderr.read()
        proc.stderr.close()
    assert lines and lines[0] == "ready", err
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"writer failed: {err}")
    return lines


def check_sound(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def seed(path: Path) -> None:
    """An existing register the crashes must never damage."""
    script = PRELUDE + textwrap.dedent("""
        for i in range(1, 6):
            applications.register_application(reg, record(i, "原有"), today=TODAY).app_id
        print("DONE", flush=True)
    """)
    run_and_kill(script, [str(path)], lambda lines: False)


@pytest.mark.parametrize("kill_after", [1, 7, 40, 111])
def test_kill_during_a_stream_of_writes(tmp_path, kill_after):
    path = tmp_path / "register.db"
    seed(path)
    lines = run_and_kill(STREAM, [str(path)],
                         lambda ls: sum(1 for x in ls if x[:1] in "AUE") >= kill_after)
    conn = check_sound(path)
    serials = {r[0] for r in conn.execute("SELECT serial FROM applications")}
    notes = dict(conn.execute("SELECT serial, notes FROM applications").fetchall())
    events = {r[0] for r in conn.execute("SELECT id FROM events")}
    committed = [x.split() for x in lines[1:]]
    assert committed, "the writer reported nothing"
    for kind, *rest in committed:
        if kind == "A":
            assert rest[0] in serials
        elif kind == "U":
            assert notes[rest[0]] == rest[1]
        elif kind == "E":
            assert int(rest[0]) in events
    # every application has its received event and its audit row (same transaction)
    assert conn.execute("SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM events e "
                        "WHERE e.application_id = a.id AND e.kind = 'received')").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM audit_log l "
                        "WHERE l.entity = 'application' AND l.entity_id = CAST(a.id AS TEXT) "
                        "AND l.action = 'create')").fetchone()[0] == 0
    # the killed writer's database opens again and takes new writes
    conn.close()
    reg = open_register(path, create=True)
    assert applications.count(reg) == len(serials)
    reg.close()


@pytest.mark.parametrize("kill_at", [10, 150, 290, None])
def test_kill_during_a_bulk_import(tmp_path, kill_at):
    path = tmp_path / "register.db"
    seed(path)
    n = 300
    lines = run_and_kill(BULK, [str(path), str(n)],
                         lambda ls: kill_at is not None and f"P {kill_at}" in ls)
    conn = check_sound(path)
    imported = conn.execute("SELECT count(*) FROM applications WHERE applicant_name LIKE '批%'").fetchone()[0]
    original = conn.execute("SELECT count(*) FROM applications WHERE applicant_name LIKE '原有%'").fetchone()[0]
    assert original == 5
    if kill_at is None:
        assert "DONE" in lines and imported == n
    else:
        assert "DONE" not in lines
        assert imported == 0  # wholly absent: never half an import
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == original + imported


def _ledger_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["收到日期", "申请方式", "申请人类型", "申请人", "联系电话", "申请内容"])
        for i in range(1, n + 1):
            w.writerow(["2026-03-05", "信函", "自然人", f"导入人{i}", "13812345678", f"导入的第{i}件申请内容"])


@pytest.mark.parametrize("kill_at", ["check", "write-early", "write-late", None])
def test_kill_during_a_ledger_import(tmp_path, kill_at):
    path = tmp_path / "register.db"
    seed(path)
    src = tmp_path / "ledger.csv"
    n = 400
    _ledger_csv(src, n)

    def kill_when(ls):
        writes = [int(x.split()[2]) for x in ls if x.startswith("P write")]
        if kill_at == "check":
            return any(x.startswith("P check") for x in ls)
        if kill_at == "write-early":
            return any(w >= 20 for w in writes)
        if kill_at == "write-late":
            return any(w >= n - 20 for w in writes)
        return False

    lines = run_and_kill(LEDGER, [str(path), str(src)], kill_when)
    conn = check_sound(path)
    imported = conn.execute("SELECT count(*) FROM applications WHERE applicant_name LIKE '导入人%'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM applications WHERE applicant_name LIKE '原有%'").fetchone()[0] == 5
    if kill_at is None:
        assert f"DONE {n}" in lines and imported == n
    else:
        assert imported in (0, n)
        if not any(x.startswith("DONE") for x in lines):
            assert imported == 0


BACKUP = PRELUDE + textwrap.dedent("""
    from desktop_app.storage import backups as bk
    for i in range(1, 120):
        applications.register_application(reg, record(i, "备"), today=TODAY).app_id
    print("filled", flush=True)
    bk.PAGES_PER_STEP = 1
    bk.create_backup(sys.argv[1], progress=lambda done, total: print(f"P {done}", flush=True))
    print("DONE", flush=True)
""")


def test_kill_during_a_backup_leaves_no_half_backup(tmp_path):
    import time as _time

    from desktop_app.storage import backups as bk

    path = tmp_path / "register.db"
    lines = run_and_kill(BACKUP, [str(path)], lambda ls: any(x.startswith("P 5") for x in ls))
    assert "DONE" not in lines
    conn = check_sound(path)
    assert conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 119
    conn.close()
    folder = tmp_path / "backups"
    assert bk.list_backups(path, folder) == []          # nothing under a backup's name
    leftovers = list(folder.glob(".*.tmp"))
    assert leftovers                                       # only the temporary file
    old = _time.time() - 7200
    for f in leftovers:
        os.utime(f, (old, old))
    info = bk.create_backup(path)                          # the next backup tidies up
    assert bk.verify_backup(info.path)[0]
    assert list(folder.glob(".*.tmp")) == []
