"""Issue 11: never touch what is not ours, say the true reason.

Each case hands the command line (and the GUI's start) a file that must be
refused, and asserts three things: the exit code, the cause named in the
message (and that only real damage says damage), and that the file and
its folder are exactly as before, by a listing of every name, size,
modification time and SHA-256 (the folder's own time stamp included, so
a -wal/-shm created and deleted again shows too).

Read-only situations are real, not simulated: the command runs in a
subprocess as an unprivileged user (``setpriv`` to ``nobody`` when the
tests run as root, as on CI), so the operating system refuses the write.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from folders import listing

from desktop_app.main import main as cli_main
from desktop_app.services import applications
from desktop_app.services import settings as settings_service
from desktop_app.services.session import Session, create_register, open_register
from desktop_app.storage import backups as bk
from desktop_app.storage.database import connect
from desktop_app.storage.recognition import APPLICATION_ID
from desktop_app.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 1)


# --- helpers ----------------------------------------------------------------------------------


def cli(capsys, *argv) -> tuple[int, str, str]:
    """Run a command in this process: (exit code, stdout, stderr).  Any
    exception other than SystemExit (a traceback for the clerk) fails the
    test."""
    try:
        code = cli_main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def make_register(path: Path, n: int = 2, *, wal: bool = True) -> Path:
    reg = create_register(path, make_parents=True)
    for i in range(n):
        applications.register_application(reg, {
            "receipt_date": dt.date(2025, 3, 5) + dt.timedelta(days=i), "channel": "in_person",
            "applicant_type": "natural_person", "applicant_name": f"王某{i}",
            "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678",
            "info_description": "老旧小区改造立项批复"}, today=TODAY).app_id
    reg.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if not wal:
        reg.store.db.execute("PRAGMA journal_mode = DELETE")
    reg.close()
    for s in ("-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    shutil.rmtree(path.parent / "backups", ignore_errors=True)
    return path


def sqlite_file(path: Path, *statements: str, wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()
    return path


# Other programs' SQLite databases, each made up here (none is the
# issue's example verbatim): a job-application tracker whose table happens
# to be called `applications`; one that even has `events` and `settings`;
# another sqlite-utils app with its own migration records; a file with
# another program's header marker; an empty database; and one that
# claims our migrations without our schema.
FOREIGN = {
    "job_tracker_applications": lambda p: sqlite_file(
        p, "CREATE TABLE applications (id INTEGER PRIMARY KEY, company TEXT, position TEXT, applied_on TEXT)",
        "INSERT INTO applications VALUES (1, '某科技公司', '前端工程师', '2025-04-01')", wal=True),
    "our_table_names_other_columns": lambda p: sqlite_file(
        p, "CREATE TABLE applications (id INTEGER PRIMARY KEY, title TEXT)",
        "CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",
        "INSERT INTO settings VALUES ('theme', 'dark')"),
    "other_sqlite_utils_app": lambda p: sqlite_file(
        p, "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)",
        "INSERT INTO _sqlite_migrations VALUES (1, 'library_app', 'm0001_initial', '2024-01-01')",
        "CREATE TABLE applications (id INTEGER PRIMARY KEY, member TEXT)", wal=True),
    "geopackage_marker": lambda p: sqlite_file(
        p, "PRAGMA application_id = 1196444487",  # 'GPKG'
        "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY)"),
    "empty_sqlite": lambda p: sqlite_file(p, "PRAGMA user_version = 7"),
    "our_migrations_without_our_schema": lambda p: sqlite_file(
        p, "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)",
        "INSERT INTO _sqlite_migrations VALUES (1, 'disclosure_desk', 'm0001_initial', '2024-01-01')",
        "CREATE TABLE applications (id INTEGER PRIMARY KEY)"),
}

#: Commands that read the register (and two that write), with the
#: arguments they need; outputs go outside the folder under test.
def reading_commands(out: Path, ledger: Path) -> list[list]:
    return [
        ["export", out / "out.csv"],
        ["import", "--check", ledger],
        ["import", ledger],
        ["deadlines"],
        ["report", "--year", "2025", "--out", out / "r.pdf"],
        ["backup"],
        ["calendar", "set", "2026-10-29", "--off", "--note", "台风"],
        ["form", "--id", "2025-0001", "--out", out / "f.pdf"],
    ]


@pytest.fixture
def ledger_file(tmp_path) -> Path:
    path = tmp_path / "in" / "ledger.csv"
    path.parent.mkdir()
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,证件号码,联系电话,所需信息\n"
                    ",2025-03-05,当面,自然人,赵某,,13800000000,某批复\n", encoding="utf-8")
    return path


@pytest.fixture
def out_dir(tmp_path) -> Path:
    path = tmp_path / "out"
    path.mkdir()
    return path


# --- other programs' databases ------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_other_programs_database_is_refused_by_every_command_and_left_identical(
        kind, tmp_path, capsys, out_dir, ledger_file, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = FOREIGN[kind](folder / "work.sqlite")
    for s in ("-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    before = listing(folder)
    for argv in reading_commands(out_dir, ledger_file) + [["check"]]:
        code, out, err = cli(capsys, "--db", path, *argv)
        assert code == 2, (argv, out, err)
        assert "不是政府信息公开办理台的台账" in err and "没有打开或修改它" in err, (argv, err)
        assert "损坏" not in err, (argv, err)
        assert listing(folder) == before, argv
    assert list(out_dir.iterdir()) == []
    assert not (tmp_path / "data").exists()  # nothing remembered about it either


def test_other_programs_database_refused_in_a_subprocess_without_traceback(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = FOREIGN["job_tracker_applications"](folder / "jobs.db")
    for s in ("-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    before = listing(folder)
    proc = run_as(None, tmp_path, "--db", path, "export", tmp_path / "x.csv")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "其他程序的 SQLite 数据库" in proc.stderr
    assert listing(folder) == before


def test_connect_refuses_a_foreign_database_without_a_migration_table_or_backup(tmp_path):
    from desktop_app.storage.recognition import NotADatabaseError

    folder = tmp_path / "theirs"
    folder.mkdir()
    path = FOREIGN["our_table_names_other_columns"](folder / "crm.db")
    before = listing(folder)
    with pytest.raises(NotADatabaseError):
        connect(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    assert "_sqlite_migrations" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert listing(folder) == before
    assert not (tmp_path / "backups").exists() and not (folder / "backups").exists()


def test_a_register_is_recognised_by_its_marker_and_an_old_one_by_its_schema(tmp_path):
    """Positive control: our own registers open, old ones get the marker."""
    new = make_register(tmp_path / "new.db")
    conn = sqlite3.connect(new)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    # a register written before the marker (application_id 0) is still ours
    old = make_register(tmp_path / "old.db")
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0007_privacy'")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    db = connect(old)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert applications.count(Session(Store(db))) == 2
    db.conn.close()
    # our marker on another program's schema is damage of a register, not "another program"
    from desktop_app.storage.recognition import DatabaseDamagedError
    odd = sqlite_file(tmp_path / "odd.db", f"PRAGMA application_id = {APPLICATION_ID}",
                      "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT)",
                      "INSERT INTO _sqlite_migrations VALUES (1, 'disclosure_desk', 'm0001_initial')")
    with pytest.raises(DatabaseDamagedError):
        connect(odd)


# --- the true cause ----------------------------------------------------------------------------


def test_a_folder_given_as_the_database_is_named_as_a_folder(tmp_path, capsys, out_dir, ledger_file):
    folder = tmp_path / "台账.db"
    folder.mkdir()
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    good = bk.create_backup(make_register(tmp_path / "ours" / "register.db"), folder=tmp_path / "bk").path
    before = listing(tmp_path / "台账.db")
    for argv in reading_commands(out_dir, ledger_file) + [["check"], ["init"], ["restore", good]]:
        code, _out, err = cli(capsys, "--db", folder, *argv)
        assert code == 2, (argv, err)
        assert "是一个文件夹" in err and "损坏" not in err, (argv, err)
    assert listing(folder) == before


@pytest.mark.parametrize("parent_exists", [True, False])
def test_a_mistyped_db_path_is_refused_and_nothing_is_created(
        parent_exists, tmp_path, capsys, out_dir, ledger_file, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    work = tmp_path / "work"
    work.mkdir()
    path = work / "registr.db" if parent_exists else work / "台帐" / "register.db"
    before = listing(work)
    for argv in reading_commands(out_dir, ledger_file) + [["check"], ["due", "2026-09-28"]]:
        code, _out, err = cli(capsys, "--db", path, *argv)
        assert code == 2, (argv, err)
        assert "不存在" in err and "损坏" not in err, (argv, err)
        if not parent_exists:
            assert "文件夹" in err and ("--parents" in err or argv[0] == "check")
        assert "init" in err or argv[0] == "check", (argv, err)
        assert listing(work) == before, argv
    assert list(out_dir.iterdir()) == []


def test_an_empty_file_is_not_taken_for_a_register(tmp_path, capsys, out_dir, ledger_file):
    folder = tmp_path / "w"
    folder.mkdir()
    path = folder / "register.db"
    path.touch()
    before = listing(folder)
    for argv in reading_commands(out_dir, ledger_file):
        code, _out, err = cli(capsys, "--db", path, *argv)
        assert code == 2 and "空文件" in err and "损坏" not in err, (argv, err)
    assert listing(folder) == before


def test_only_real_damage_says_damage_and_a_damaged_wal_database_stays_identical(tmp_path, capsys, out_dir,
                                                                                    ledger_file):
    folder = tmp_path / "w"
    folder.mkdir()
    path = make_register(folder / "register.db", n=40)
    data = bytearray(path.read_bytes())
    assert data[18] == 2 and data[19] == 2  # a WAL-mode database
    page = int.from_bytes(data[16:18], "big")
    data[page * 2: page * 3] = os.urandom(page)  # one page of the register overwritten
    path.write_bytes(bytes(data))
    before = listing(folder)
    for argv in reading_commands(out_dir, ledger_file):
        code, _out, err = cli(capsys, "--db", path, *argv)
        assert code == 2, (argv, err)
        assert "已损坏" in err, (argv, err)
        assert listing(folder) == before, argv
    code, out, _err = cli(capsys, "--db", path, "check")
    assert code == 1 and "问题" in out
    assert listing(folder) == before


def test_a_database_of_a_newer_version_says_so(tmp_path, capsys, out_dir, ledger_file):
    folder = tmp_path / "w"
    folder.mkdir()
    path = make_register(folder / "register.db")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                 "VALUES ('disclosure_desk', 'm0099_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = listing(folder)
    code, _out, err = cli(capsys, "--db", path, "export", out_dir / "x.csv")
    assert code == 2 and "更新版本" in err and "损坏" not in err
    assert listing(folder) == before


# --- read-only situations (a real unprivileged user) -------------------------------------------


def _unprivileged_prefix() -> list[str] | None:
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def run_as(prefix: list[str] | None, home: Path, *argv) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DISCLOSURE_DESK_"))}
    home = Path(home) / "home"
    home.mkdir(exist_ok=True)
    os.chmod(home, 0o777)
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), PYTHONIOENCODING="utf-8",
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p))
    return subprocess.run([*(prefix or []), sys.executable, "-m", "desktop_app", *map(str, argv)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


@pytest.fixture
def unprivileged():
    """(command prefix, a folder the unprivileged user can reach)."""
    import tempfile

    prefix = _unprivileged_prefix()
    if prefix is None:
        pytest.skip("needs POSIX permissions and, as root, setpriv to run as an unprivileged user")
    base = Path(tempfile.mkdtemp(prefix="dd-readonly-"))
    os.chmod(base, 0o755)  # (pytest's own tmp_path is private to root)
    probe = run_as(prefix, base, "--version")
    if probe.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"the unprivileged user cannot run Python here: {probe.stderr[-200:]}")
    yield prefix, base
    for p in [base, *base.rglob("*")]:
        if p.is_dir():
            os.chmod(p, 0o755)
    shutil.rmtree(base, ignore_errors=True)


def _read_only_case(tmp_path: Path, situation: str) -> tuple[Path, Path, str]:
    """(folder, database, the words that name the cause)."""
    folder = tmp_path / situation
    folder.mkdir()
    path = make_register(folder / "register.db", wal=situation != "read_only_file_rollback_journal")
    if situation in ("read_only_file", "read_only_file_rollback_journal"):
        os.chmod(folder, 0o777)         # the folder may be written,
        os.chmod(path, 0o444)           # the file may not
        words = "数据库文件"
    elif situation == "read_only_folder":
        os.chmod(path, 0o666)           # the file may be written,
        os.chmod(folder, 0o555)         # its folder may not (no -wal/-shm possible)
        words = "所在的文件夹"
    else:                               # read_only_wal_everything: a read-only share
        os.chmod(path, 0o444)
        os.chmod(folder, 0o555)
        words = "只读"
    return folder, path, words


READ_ONLY = ["read_only_file", "read_only_file_rollback_journal", "read_only_folder", "read_only_wal_everything"]


@pytest.mark.parametrize("situation", READ_ONLY)
def test_a_read_only_database_is_refused_as_read_only_and_left_identical(situation, unprivileged, ledger_file):
    prefix, tmp_path = unprivileged
    folder, path, words = _read_only_case(tmp_path, situation)
    out = tmp_path / "out"
    out.mkdir()
    os.chmod(out, 0o777)
    ledger = shutil.copy(ledger_file, out / "ledger.csv")
    before = listing(folder)
    try:
        for argv in (["export", out / "x.csv"], ["deadlines"], ["import", "--check", ledger],
                     ["calendar", "set", "2026-10-29", "--off", "--note", "台风"]):
            proc = run_as(prefix, tmp_path, "--db", path, *argv)
            assert proc.returncode == 2, (argv, proc.stdout, proc.stderr)
            assert "只读" in proc.stderr and words in proc.stderr, (argv, proc.stderr)
            assert "损坏" not in proc.stderr and "Traceback" not in proc.stderr, (argv, proc.stderr)
            assert listing(folder) == before, argv
        # reading it is still possible: the check command reads without writing
        proc = run_as(prefix, tmp_path, "--db", path, "check")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "完好" in proc.stdout
        assert listing(folder) == before
    finally:
        os.chmod(folder, 0o755)


def test_connect_as_the_clerks_user_names_a_read_only_folder(unprivileged):
    """``connect`` (what the GUI opens with) refuses a read-only folder as such."""
    prefix, tmp_path = unprivileged
    folder, path, _words = _read_only_case(tmp_path, "read_only_folder")
    before = listing(folder)
    script = ("import sys;from desktop_app.storage import database as d\n"
              "try:\n d.connect(sys.argv[1], create=False)\n"
              "except d.DatabaseReadOnlyError as e: print('REFUSED', e)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    proc = subprocess.run([*prefix, sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=60)
    os.chmod(folder, 0o755)
    assert proc.stdout.startswith("REFUSED") and "所在的文件夹" in proc.stdout, proc.stdout + proc.stderr
    assert listing(folder) == before


# --- creating only on purpose ------------------------------------------------------------------


def test_init_creates_a_register_only_where_nothing_is(tmp_path, capsys):
    path = tmp_path / "new" / "register.db"
    code, _out, err = cli(capsys, "--db", path, "init")
    assert code == 2 and "不存在" in err and "--parents" in err
    assert not path.parent.exists()
    code, out, _err = cli(capsys, "--db", path, "init", "--parents")
    assert code == 0 and path.is_file() and "已新建" in out
    code, out, err = cli(capsys, "--db", path, "export", tmp_path / "x.csv")
    assert code == 0
    import gc

    gc.collect()  # the export's connection (a real CLI process ends here)
    before = listing(path.parent)
    code, _out, err = cli(capsys, "--db", path, "init")
    assert code == 2 and "已经是一个台账" in err
    assert listing(path.parent) == before
    other = FOREIGN["job_tracker_applications"](tmp_path / "jobs.db")
    for s in ("-wal", "-shm"):
        Path(f"{other}{s}").unlink(missing_ok=True)
    before = listing(tmp_path)
    code, _out, err = cli(capsys, "--db", other, "init")
    assert code == 2 and "其他程序" in err
    assert listing(tmp_path) == before


def test_restore_into_a_missing_folder_is_refused(tmp_path, capsys):
    reg = make_register(tmp_path / "register.db")
    backup = bk.create_backup(reg, folder=tmp_path / "bk").path
    target = tmp_path / "nowhere" / "register.db"
    code, _out, err = cli(capsys, "--db", target, "restore", backup)
    assert code == 2 and "不存在" in err
    assert not target.parent.exists()


def test_restore_never_replaces_a_file_that_is_not_ours(tmp_path, capsys):
    reg = make_register(tmp_path / "register.db")
    backup = bk.create_backup(reg, folder=tmp_path / "bk").path
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "report.db"
    doc.write_bytes(b"PK\x03\x04" + os.urandom(3000))  # an office document with a .db name
    before = listing(folder)
    code, _out, err = cli(capsys, "--db", doc, "restore", backup)
    assert code == 2 and "不是 SQLite" in err
    assert listing(folder) == before


# --- backups under concurrency ------------------------------------------------------------------


def test_backups_in_the_same_second_get_unique_names(tmp_path):
    import threading

    path = make_register(tmp_path / "register.db")
    now = dt.datetime(2026, 6, 1, 9, 30, 15)
    results, errors = [], []
    start = threading.Barrier(6)

    def one():
        start.wait()
        try:
            results.append(bk.create_backup(path, kind="pre-import", now=now, rotate_after=False))
        except Exception as exc:  # noqa: BLE001 - collected and asserted
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = {r.path.name for r in results}
    assert len(names) == 6
    assert all(bk.verify_backup(r.path)[0] for r in results)
    assert not list((tmp_path / "backups").glob(".*.tmp"))


def test_a_backup_being_written_by_another_process_is_neither_deleted_nor_overwritten(tmp_path):
    path = make_register(tmp_path / "register.db")
    now = dt.datetime(2026, 6, 1, 9, 30, 15)
    folder = tmp_path / "backups"
    folder.mkdir()
    theirs = folder / ".register-20260601-093015-pre-import.db.tmp"
    theirs.write_bytes(b"half written by the other import")
    info = bk.create_backup(path, kind="pre-import", now=now)
    assert info.path.name == "register-20260601-093015-2-pre-import.db"
    assert theirs.read_bytes() == b"half written by the other import"


def test_two_imports_started_together_both_succeed(tmp_path, ledger_file):
    """Two CLI imports at once: each takes a pre-import backup (often in the
    same second) and neither fails on the other's backup name."""
    path = make_register(tmp_path / "register.db")
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("DISCLOSURE_DESK_PASSWORD", None)
    procs = [subprocess.Popen([sys.executable, "-m", "desktop_app", "--db", str(path), "import", str(ledger_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    backups = list((tmp_path / "backups").glob("register-*-pre-import.db"))
    assert 1 <= len(backups) <= 2 and all(bk.verify_backup(b)[0] for b in backups)


# --- personal data ------------------------------------------------------------------------------


FULL_ID, FULL_PHONE = "11010519491231002X", "13812345678"


def resident_id(first17: str) -> str:
    """A resident ID number with its GB 11643 check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def test_audit_trail_never_stores_full_id_or_phone_numbers(tmp_path):
    path = make_register(tmp_path / "register.db", n=1)
    reg = open_register(path, create=True)
    app = applications.search(reg)[0]
    # two valid numbers that differ only in the digits the mask hides
    first, second = resident_id("11010519500101003"), resident_id("11010519500128003")
    assert first[-4:] == second[-4:] and first != second
    applications.update_application(reg, app.id, {"id_number": first, "phone": "13900001111",
                                       "fax": "010-66001234"}, today=TODAY).changes
    # a change hidden by the mask (only middle digits) still shows as a change
    applications.update_application(reg, app.id, {"id_number": second}, today=TODAY).changes
    rows = reg.store.db.execute("SELECT old_values, new_values FROM audit_log").fetchall()
    text = " ".join(str(r) for r in rows)
    for full in (FULL_ID, FULL_PHONE, first, "13900001111", "66001234", second):
        assert full not in text
    assert f"110105********{second[-4:]}（中间位已改）" in text
    assert applications.get(reg, app.id).id_number == second  # the register keeps it
    reg.close()


def test_m0007_masks_an_old_trail_and_stamps_the_marker(tmp_path):
    path = make_register(tmp_path / "register.db", n=1)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO audit_log(time, clerk, entity, entity_id, action, old_values, new_values) "
                 "VALUES('2025-01-01T00:00:00', '张三', 'application', '1', 'update', ?, ?)",
                 ['{"phone": "13700001234"}', '{"phone": "13700005678", "id_number": "310101198001011234"}'])
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0007_privacy'")
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    db = connect(path)
    text = str(db.execute("SELECT old_values, new_values FROM audit_log").fetchall())
    assert "13700001234" not in text and "310101198001011234" not in text and "137****1234" in text
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.conn.close()
    # the upgrade was backed up first, as every migration
    assert list((tmp_path / "backups").glob("register-*-pre-migration.db"))


@pytest.fixture
def protected(tmp_path):
    from desktop_app.domain.password import hash_password

    path = make_register(_mk(tmp_path))
    reg = open_register(path, create=True)
    settings_service.update_settings(reg, {"password_hash": hash_password("门禁1234")})
    reg.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()
    for s in ("-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    return path


def _mk(tmp_path: Path) -> Path:
    folder = tmp_path / "w"
    folder.mkdir()
    return folder / "register.db"


def test_password_guards_the_reading_commands(protected, tmp_path, capsys, monkeypatch, out_dir):
    from desktop_app.cli import common

    monkeypatch.delenv(common.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(common, "_interactive", lambda: False)
    folder = protected.parent
    before = listing(folder)
    guarded = [["export", out_dir / "all.csv"], ["report", "--year", "2025", "--out", out_dir / "r.json"],
               ["deadlines"], ["backup", "--to", out_dir / "bk"],
               ["form", "--id", "2025-0001", "--out", out_dir / "f.pdf"]]
    for argv in guarded:
        code, out, err = cli(capsys, "--db", protected, *argv)
        assert code == 2 and "启动密码" in err and common.PASSWORD_ENV in err, (argv, err)
        assert "王某" not in out
    monkeypatch.setenv(common.PASSWORD_ENV, "wrong")
    code, _out, err = cli(capsys, "--db", protected, "export", out_dir / "all.csv")
    assert code == 2 and "不正确" in err
    assert list(out_dir.iterdir()) == []
    assert listing(folder) == before  # refused before anything was opened for writing
    monkeypatch.setenv(common.PASSWORD_ENV, "门禁1234")
    code, out, _err = cli(capsys, "--db", protected, "export", out_dir / "all.csv")
    assert code == 0 and "已导出 2 件" in out


def test_password_is_asked_on_a_terminal(protected, capsys, monkeypatch, out_dir):
    import getpass

    from desktop_app.cli import common

    monkeypatch.delenv(common.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(common, "_interactive", lambda: True)
    answers = iter(["错的", "门禁1234"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code, out, err = cli(capsys, "--db", protected, "export", out_dir / "a.csv")
    assert code == 0 and "密码不正确，请重新输入" in err
    answers = iter(["a", "b", "c"])
    code, _out, err = cli(capsys, "--db", protected, "export", out_dir / "b.csv")
    assert code == 2 and "密码不正确" in err
    assert not (out_dir / "b.csv").exists()


def test_without_a_password_commands_ask_nothing(tmp_path, capsys, monkeypatch, out_dir):
    from desktop_app.cli import common

    path = make_register(_mk(tmp_path))
    monkeypatch.delenv(common.PASSWORD_ENV, raising=False)
    monkeypatch.setattr(common, "_interactive", lambda: False)
    code, out, _err = cli(capsys, "--db", path, "export", out_dir / "a.csv")
    assert code == 0
