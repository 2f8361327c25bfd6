"""What every command needs: the database path and a clean failure."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..storage.database import DatabaseOpenError, connect
from ..storage.register import Register


def database_path(args) -> Path:
    if getattr(args, "demo", False):
        return paths.demo_database_path()
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    return paths.default_database_path()


def open_register(args, *, create: bool = True) -> Register:
    """Open the register named by ``--db``/``--demo``; on failure print
    the reason and exit 2 (never touching a file it cannot read)."""
    path = database_path(args)
    _refuse_damaged(path)  # data safety: a damaged database is never opened for writing
    try:
        db = connect(path, create=create)
    except DatabaseOpenError as exc:
        fail(str(exc))
    register = Register(db)
    if getattr(args, "demo", False) and register.count() == 0:
        from ..demo import fill_demo

        fill_demo(register)
    return register


def _refuse_damaged(path: Path) -> None:
    """Quick integrity check (read-only) before anything is written; on
    damage name the problems and the newest good backup, and exit 2."""
    from ..storage import integrity

    report = integrity.quick_check(path)
    if report.ok or not report.sqlite_header:
        return  # sound, new, or not SQLite at all (connect says so itself)
    lines = [report.message()]
    try:
        from .safety_cmd import newest_good_backup

        good = newest_good_backup(path)
    except Exception:  # noqa: BLE001 - the message matters more than the hint
        good = None
    if good is not None:
        lines.append(f"最新的完好备份：{good.path}（{good.created:%Y-%m-%d %H:%M}）。"
                     f"恢复：disclosure-desk --db \"{path}\" restore \"{good.path}\"")
    else:
        lines.append("没有找到完好的备份。请不要继续使用这个文件，联系技术人员。")
    fail("\n".join(lines))


def fail(message: str, code: int = 2):
    print(f"错误：{message}", file=sys.stderr)
    raise SystemExit(code)
