"""Is the register sound?  A quick check at start-up, a thorough one for
the ``check`` command.

Both open the database read-only and never change it: a damaged
database is reported (with the newest good backup to restore), never
opened for writing and never replaced by an empty one.
"""

from __future__ import annotations

import os
import re
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path

from .sqlite_file import SQLITE_HEADER, open_untouched


@dataclass
class IntegrityReport:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    missing: bool = False   # no file (or an empty one): a new register, not damage
    sqlite_header: bool = True  # False: the file does not even start like an SQLite database
    #: why the check could not be made or failed: "" (sound or missing),
    #: "folder", "unreadable" (no permission, disk gone), "not_sqlite",
    #: "damaged".  Only "damaged" is damage.
    cause: str = ""
    #: True: not read now; the file is exactly as a recent passed check left it
    #: (``check_mark``)
    from_mark: bool = False

    @property
    def damaged(self) -> bool:
        return self.cause == "damaged"

    def message(self) -> str:
        if self.ok:
            return "数据库完好。"
        if not self.damaged:
            return f"无法检查数据库“{self.path}”：" + "；".join(self.problems)
        return (f"数据库“{self.path}”已损坏，程序没有打开或修改它：\n"
                + "\n".join(f"· {p}" for p in self.problems))


def _header_problems(path: Path) -> list[str]:
    """Damage visible in the file header: not SQLite, or truncated."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror or exc}）"]
    if not header.startswith(SQLITE_HEADER):
        return ["文件不是 SQLite 数据库（文件头不对），可能已被其他数据覆盖"]
    if len(header) < 100:
        return [f"文件只有 {size} 字节，已被截断"]
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return ["文件头中的页大小无效，文件已损坏"]
    change_counter, page_count = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    wal = Path(str(path) + "-wal")
    wal_has_data = wal.exists() and wal.stat().st_size > 32
    if page_count and change_counter == valid_for and not wal_has_data:
        expected = page_count * page_size
        if size < expected:
            return [f"文件被截断：应有 {expected} 字节，实际只有 {size} 字节"]
    return []


def quick_check(path: str | os.PathLike) -> IntegrityReport:
    """Fast start-up check: the file header, then ``PRAGMA quick_check``,
    read-only.  A missing or empty file is ``ok`` with ``missing``."""
    path = Path(path).expanduser()
    if path.is_dir():
        return IntegrityReport(path, False, ["这是一个文件夹，不是数据库文件"], sqlite_header=False,
                               cause="folder")
    if not path.exists() or path.stat().st_size == 0:
        return IntegrityReport(path, True, missing=True)
    try:
        with open(path, "rb") as fh:
            is_sqlite = fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError as exc:
        return IntegrityReport(path, False, [f"无法读取文件（{exc.strerror or exc}）"],
                               sqlite_header=False, cause="unreadable")
    if not is_sqlite:
        return IntegrityReport(path, False, ["文件不是 SQLite 数据库（文件头不对）"], sqlite_header=False,
                               cause="not_sqlite")
    problems = _header_problems(path)
    if problems:
        return IntegrityReport(path, False, problems, cause="damaged")
    try:
        with open_untouched(path) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            # busy is not damage: another program holds a write lock
            return IntegrityReport(path, True)
        if "unable to open" in text:
            return IntegrityReport(path, False, [f"无法打开（{exc}）"], cause="unreadable")
        return IntegrityReport(path, False, [_translate(str(exc))], cause="damaged")
    except sqlite3.DatabaseError as exc:
        return IntegrityReport(path, False, [_translate(str(exc))], cause="damaged")
    except OSError as exc:
        return IntegrityReport(path, False, [f"无法读取文件（{exc.strerror or exc}）"], cause="unreadable")
    if rows != ["ok"]:
        return IntegrityReport(path, False, [_translate(r) for r in rows], cause="damaged")
    return IntegrityReport(path, True)


def _translate(text: str) -> str:
    low = text.lower()
    if "malformed" in low:
        return f"数据库结构已损坏（{text}）"
    if "not a database" in low or "file is not a database" in low:
        return f"文件不是有效的数据库（{text}）"
    return f"SQLite 报告：{text}"


# --- the `check` command ------------------------------------------------------------------------

_SERIAL_RE = re.compile(r"^(\d{4})-(\d{4,})$")


def consistency_check(db) -> list[str]:
    """Everything wrong with an open register, in Chinese; empty when
    sound.  ``db`` is a sqlite-utils ``Database`` or ``sqlite3.Connection``.
    Read-only."""
    conn = getattr(db, "conn", db)
    findings: list[str] = []
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(50)")]
    except sqlite3.DatabaseError as exc:
        return [_translate(str(exc))]
    if rows != ["ok"]:
        findings += [_translate(r) for r in rows]
        return findings  # the rest would read damaged pages

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "applications" not in tables:
        return ["数据库中没有申请台账表"]

    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        findings.append(f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录")
    _orphan_events(conn, findings)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(applications)")}
    where_live = " WHERE deleted_at IS NULL" if "deleted_at" in cols else ""
    _serial_counters(conn, tables, findings)
    for _app_id, serial in conn.execute(
            "SELECT a.id, a.serial FROM applications a WHERE NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.application_id = a.id AND e.kind = 'received')"
            + (" AND a.deleted_at IS NULL" if where_live else "")).fetchall()[:50]:
        findings.append(f"申请 {serial} 缺少“收到申请”记录")
    _status_outcome(conn, cols, where_live, findings)
    return findings


def _orphan_events(conn, findings: list[str]) -> None:
    orphans = conn.execute(
        "SELECT e.id, e.application_id, e.kind FROM events e "
        "LEFT JOIN applications a ON a.id = e.application_id WHERE a.id IS NULL").fetchall()
    for ev_id, app_id, kind in orphans[:50]:
        msg = f"办理记录 #{ev_id}（{kind}）指向不存在的申请 #{app_id}"
        if msg not in " ".join(findings):
            findings.append(msg)


def _serial_counters(conn, tables: set[str], findings: list[str]) -> None:
    """Serial counters must be at or beyond every serial used."""
    counters = dict(conn.execute("SELECT year, last FROM serial_counters").fetchall()) \
        if "serial_counters" in tables else {}
    highest: dict[int, int] = {}
    for (serial,) in conn.execute("SELECT serial FROM applications"):
        m = _SERIAL_RE.match(serial or "")
        if m:
            y, n = int(m.group(1)), int(m.group(2))
            highest[y] = max(highest.get(y, 0), n)
    for year, top in sorted(highest.items()):
        if counters.get(year, 0) < top:
            findings.append(f"{year} 年的编号计数器（{counters.get(year, 0)}）落后于已用编号 "
                            f"{year}-{top:04d}，新申请可能得到重复编号")


def _status_outcome(conn, cols: set[str], where_live: str, findings: list[str]) -> None:
    """Status, outcome and reply date agree (rows flagged 待核实 are listed
    in the register instead: imported as written, not damage)."""
    flagged = "review_reasons" if "review_reasons" in cols else "NULL"
    for serial, status, outcome, reply, review in conn.execute(
            f"SELECT serial, status, outcome, reply_date, {flagged} FROM applications" + where_live).fetchall():
        if review:
            continue
        if outcome and status != "closed":
            findings.append(f"申请 {serial} 已有办理结果但状态不是“已办结”")
        elif status == "closed" and not outcome:
            findings.append(f"申请 {serial} 状态为“已办结”但没有办理结果")
        if outcome and not reply:
            findings.append(f"申请 {serial} 已有办理结果但没有答复日期")
        if len(findings) > 200:
            findings.append("……问题过多，只列出前 200 条")
            break


def check_file(path: str | os.PathLike) -> list[str]:
    """Quick check, then the consistency check, of the file at ``path``,
    read-only; empty when sound."""
    path = Path(path).expanduser()
    report = quick_check(path)
    if report.missing:
        return [f"数据库文件“{path}”不存在或为空"]
    if not report.ok:
        return report.problems
    with open_untouched(path) as conn:
        return consistency_check(conn)
