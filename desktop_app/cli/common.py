"""What every command needs: the database path, opening the register
safely (never creating one by mistake), the start-up password, and a
clean failure."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..files import paths
from ..storage.recognition import DatabaseDamagedError, DatabaseMissingError, DatabaseOpenError, probe
from ..storage.database import connect
from ..storage.register import Register

#: Scripts give the start-up password here (an interactive run is asked for it).
PASSWORD_ENV = "DISCLOSURE_DESK_PASSWORD"
PASSWORD_ATTEMPTS = 3


def database_path(args) -> Path:
    if getattr(args, "demo", False):
        return paths.demo_database_path()
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    return paths.default_database_path()


def missing_hint(path: Path) -> str:
    parents = "" if path.parent.is_dir() else " --parents"
    return (f"如需在这里新建一个空白台账，请运行：disclosure-desk --db \"{path}\" init{parents}"
            "（或在图形界面中新建）。")


def open_register(args, *, create: bool = False) -> Register:
    """Open the register named by ``--db``/``--demo`` for a command; on
    failure print the true reason and exit 2, leaving the file and its
    folder exactly as they were.

    A missing database is refused (a mistyped ``--db`` never creates an
    empty register); only ``--demo`` creates its own.  When the register
    has a start-up password, it is asked for before anything is read."""
    path = database_path(args)
    demo = bool(getattr(args, "demo", False))
    found = None
    try:
        found = probe(path)
    except DatabaseMissingError as exc:
        if not (create or demo):
            fail(f"{exc}\n{missing_hint(path)}")
    except DatabaseDamagedError as exc:
        _fail_damaged(path, exc)
    except DatabaseOpenError as exc:
        fail(str(exc), exc.exit_code)
    if found is not None and found.state == "empty" and not (create or demo):
        fail(f"“{path}”是一个空文件（0 字节），里面没有台账，程序没有改动它。\n{missing_hint(path)}")
    if found is not None and found.exists:
        require_password(found.setting("password_hash"))
    try:
        db = connect(path, create=create or demo, make_parents=demo, check=True)
    except DatabaseDamagedError as exc:
        _fail_damaged(path, exc)
    except DatabaseOpenError as exc:
        fail(str(exc), exc.exit_code)
    register = Register(db)
    if demo and register.count() == 0:
        from ..demo import fill_demo

        fill_demo(register)
    return register


def require_password(stored_hash: str | None) -> None:
    """When the register has a start-up password, the command needs it:
    from ``DISCLOSURE_DESK_PASSWORD`` (scripts), or asked with getpass on a
    terminal.  Otherwise exit 2 without reading anything."""
    if not stored_hash:
        return
    from ..domain.password import UNAVAILABLE_MESSAGE, available, verify_password

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


def _fail_damaged(path: Path, exc: DatabaseDamagedError):
    """Name the damage and the newest good backup, and exit 2."""
    lines = [str(exc)]
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


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def print_table(headers: list[str], rows: list[list[str]], *, right: set[int] = frozenset()) -> None:
    """Rows in columns that line up on a terminal (Chinese characters
    counted double); columns in ``right`` are right-aligned."""
    table = [headers, *rows]
    widths = [max(display_width(str(r[i])) for r in table) for i in range(len(headers))]
    for r in table:
        cells = []
        for i, cell in enumerate(r):
            cell = str(cell)
            pad = " " * (widths[i] - display_width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        print("  ".join(cells).rstrip())
