"""The command line: ``disclosure-desk [--db PATH | --demo] [COMMAND ...]``.

With no command the GUI opens.  Each command lives in its own module
below, which defines ``register(subparsers)``; the command's function is
set with ``parser.set_defaults(func=...)`` and takes ``(args)`` and
returns an exit code.  Commands call the same domain, storage and
document functions as the GUI.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import APP_NAME, __version__
from . import zh_argparse

#: Command modules, in the order they appear in ``--help``.
COMMAND_MODULES = [
    "ledger_cmd",      # import, export
    "due_cmd",         # due, calendar, deadlines (deadlines issue)
    "documents_cmd",   # form, notice, envelope, batch, reprint (documents issue)
    "report_cmd",      # report (annual report issue)
    "safety_cmd",      # init, backup, backups, restore, check (data safety issue)
]


def build_parser() -> argparse.ArgumentParser:
    parser = zh_argparse.parser(
        prog="disclosure-desk",
        description=f"{APP_NAME}（Disclosure Desk）：政府信息公开申请台账、期限、文书与年度报告。"
                    "不带子命令时打开图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--db", metavar="PATH",
                        help="数据库文件路径（默认：用户数据目录下的 register.db）。"
                             "文件不存在时命令会报错而不会新建；新建台账请用 init 命令")
    parser.add_argument("--demo", action="store_true",
                        help="使用演示数据库（首次使用时自动生成约200件虚构申请）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：打开数据库并迁移、计算期限、生成一份PDF、构建主窗口，然后退出（0 表示通过）")
    sub = parser.add_subparsers(dest="command", metavar="命令",
                                help="各命令的用法：disclosure-desk 命令 -h")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def gui_only_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they just open the GUI (``--db PATH``, ``--demo``,
    nothing else), read without importing the command modules so the
    window opens fast; None for anything else (the full parser decides)."""
    db, demo, i = None, False, 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--demo":
            demo = True
        elif arg == "--db" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            db = argv[i + 1]
            i += 1
        elif arg.startswith("--db=") and len(arg) > 5:
            db = arg[5:]
        else:
            return None
        i += 1
    if db and demo:
        return None
    return argparse.Namespace(db=db, demo=demo, command=None, self_test=False)


def main(argv: list[str] | None = None) -> int:
    # Chinese text on a Windows console or a pipe: never die on encoding.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    gui_args = gui_only_args(sys.argv[1:] if argv is None else list(argv))
    if gui_args is not None:
        from ..ui.app import run_gui  # Qt is imported only for the GUI

        return run_gui(gui_args)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db and args.demo:
        parser.error("--db 与 --demo 不能同时使用。")
    if args.self_test:
        from ..selftest import main as self_test

        return self_test(args)
    if args.command is None:
        from ..ui.app import run_gui  # Qt is imported only for the GUI

        return run_gui(args)
    import sqlite3

    from ..storage.recognition import DatabaseOpenError

    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader of our output went away (``disclosure-desk deadlines | head``):
        # stop quietly, as other command-line tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except DatabaseOpenError as exc:  # data safety: the true cause, never a traceback
        from .common import fail

        fail(str(exc), exc.exit_code)
    except sqlite3.OperationalError as exc:  # data safety: a busy database gets a clear message
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        from .common import fail

        fail("数据库正被其他程序（例如打开着的政府信息公开办理台窗口）写入，等待超时，本次没有做任何修改。"
             "请稍后再试；如果一直如此，请先在窗口中完成或取消正在进行的操作。")
