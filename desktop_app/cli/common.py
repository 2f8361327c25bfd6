"""What every command needs: the database path, opening the register
safely (never creating one by mistake), the start-up password, the one
way a command fails, and columns that line up on a terminal."""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..domain.password import UNAVAILABLE_MESSAGE, available, verify_password
from ..files import paths
from ..services import backups
from ..services.demo import fill_demo
from ..services.session import (
    DatabaseDamagedError, DatabaseMissingError, DatabaseOpenError, Probe, Session, open_register, probe,
)

#: Scripts give the start-up password here (an interactive run is asked for it).
PASSWORD_ENV = "DISCLOSURE_DESK_PASSWORD"
PASSWORD_ATTEMPTS = 3


class CommandError(Exception):
    """A command that cannot go on: ``str()`` is printed after “错误：” and
    the command exits with ``code``.  Every command fails this way; the one
    handler is ``cli.run_command``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = 2) -> NoReturn:
    raise CommandError(message, code)


def database_path(args: argparse.Namespace) -> Path:
    return paths.register_path(getattr(args, "db", None), demo=bool(getattr(args, "demo", False)))


def names_a_register(args: argparse.Namespace) -> bool:
    """Whether the command line names a register (``--db``/``--demo``) or
    the default one exists."""
    return bool(getattr(args, "db", None) or getattr(args, "demo", False)) or database_path(args).exists()


def missing_hint(path: Path) -> str:
    parents = "" if path.parent.is_dir() else " --parents"
    return (f"如需在这里新建一个空白台账，请运行：disclosure-desk --db \"{path}\" init{parents}"
            "（或在图形界面中新建）。")


def existing_register(path: Path, *, hint_empty: bool = True) -> Probe:
    """Look at ``path`` read-only and fail with the true cause unless it
    is a register of this app; ask for its start-up password."""
    try:
        found = probe(path)
    except DatabaseMissingError as exc:
        fail(f"{exc}\n{missing_hint(path)}")
    except DatabaseDamagedError as exc:
        fail_damaged(path, exc)
    except DatabaseOpenError as exc:
        fail(str(exc), exc.exit_code)
    if not found.exists:
        hint = f"\n{missing_hint(path)}" if hint_empty else ""
        fail(f"“{path}”是一个空文件（0 字节），里面没有台账，程序没有改动它。{hint}")
    require_password(found.setting("password_hash"))
    return found


def open_session(args: argparse.Namespace) -> Session:
    """Open the register named by ``--db``/``--demo`` for a command; on
    failure the true reason, the file and its folder left exactly as they
    were.

    A missing database is refused (a mistyped ``--db`` never creates an
    empty register); only ``--demo`` creates its own.  When the register
    has a start-up password, it is asked for before anything is read."""
    path = database_path(args)
    demo = bool(getattr(args, "demo", False))
    if not demo:
        existing_register(path)
    else:
        try:
            found = probe(path)
        except DatabaseMissingError:
            found = None
        except DatabaseDamagedError as exc:
            fail_damaged(path, exc)
        if found is not None and found.exists:
            require_password(found.setting("password_hash"))
    try:
        session = open_register(path, create=demo, make_parents=demo, check=True)
    except DatabaseDamagedError as exc:
        fail_damaged(path, exc)
    if demo:
        from ..services.applications import count

        if count(session) == 0:
            fill_demo(session)
    return session


def require_password(stored_hash: str | None) -> None:
    """When the register has a start-up password, the command needs it:
    from ``DISCLOSURE_DESK_PASSWORD`` (scripts), or asked with getpass on a
    terminal.  Otherwise fail without reading anything."""
    if not stored_hash:
        return
    if not available():
        fail(UNAVAILABLE_MESSAGE)
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        if verify_password(given, stored_hash):
            return
        fail(f"环境变量 {PASSWORD_ENV} 中的启动密码不正确，没有读取台账。")
    if not _interactive():
        fail("此台账设置了启动密码，命令行也需要密码才能读取。请在终端中运行以输入密码，"
             f"或在脚本中通过环境变量 {PASSWORD_ENV} 提供密码。")
    import getpass

    for attempt in range(PASSWORD_ATTEMPTS):
        try:
            given = getpass.getpass("此台账设置了启动密码，请输入密码：")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            fail("没有输入密码，没有读取台账。")
        if verify_password(given, stored_hash):
            return
        if attempt < PASSWORD_ATTEMPTS - 1:
            print("密码不正确，请重新输入。", file=sys.stderr)
    fail("密码不正确，没有读取台账。忘记密码时，请联系技术人员。")


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def fail_damaged(path: Path, exc: DatabaseDamagedError) -> NoReturn:
    """Name the damage and the newest good backup, and fail."""
    lines = [str(exc)]
    try:
        good = backups.newest_good_backup(path)
    except OSError:  # the message matters more than the hint
        good = None
    if good is not None:
        lines.append(f"最新的完好备份：{good.path}（{good.created:%Y-%m-%d %H:%M}）。"
                     f"恢复：disclosure-desk --db \"{path}\" restore \"{good.path}\"")
    else:
        lines.append("没有找到完好的备份。请不要继续使用这个文件，联系技术人员。")
    fail("\n".join(lines))


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def print_table(headers: list[str], rows: Sequence[Sequence[object]], *, right: set[int] | frozenset[int] = frozenset()
                ) -> None:
    """Rows in columns that line up on a terminal (Chinese characters
    counted double); columns in ``right`` are right-aligned."""
    table = [headers, *rows]
    widths = [max(display_width(str(r[i])) for r in table) for i in range(len(headers))]
    for r in table:
        cells = []
        for i, cell in enumerate(r):
            text = str(cell)
            pad = " " * (widths[i] - display_width(text))
            cells.append(pad + text if i in right else text + pad)
        print("  ".join(cells).rstrip())
