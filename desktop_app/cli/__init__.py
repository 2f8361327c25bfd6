"""The command line: ``disclosure-desk [--db PATH | --demo] COMMAND ...``.

Each command lives in its own module below, which defines
``register(subparsers)``; the command's function is set with
``parser.set_defaults(func=...)``, takes ``(args)`` and returns an exit
code.  Commands call the services, as the GUI does.  Every error a
command meets ends in :func:`run_command`: printed after “错误：”, then
``SystemExit`` with code 2 (or the error's own), never a traceback.  Whether the command line
or the GUI runs is decided by ``desktop_app.main``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from .. import APP_NAME, __version__
from ..services.errors import clerk_errors, is_busy
from ..services.session import DatabaseOpenError
from . import (
    documents_cmd, due_cmd, fonts_cmd, items_cmd, ledger_cmd, report_cmd, safety_cmd, steps_cmd, year_lock_cmd,
    zh_argparse,
)
from .common import CommandError

#: Command modules, in the order they appear in ``--help``.
COMMAND_MODULES = [ledger_cmd, due_cmd, steps_cmd, documents_cmd, report_cmd, year_lock_cmd, safety_cmd, fonts_cmd,
                   items_cmd]

BUSY_MESSAGE = ("数据库正被其他程序（例如打开着的政府信息公开办理台窗口）写入，等待超时，本次没有做任何修改。"
                "请稍后再试；如果一直如此，请先在窗口中完成或取消正在进行的操作。")


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
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _fail(message: str, code: int = 2) -> NoReturn:
    print(f"错误：{message}", file=sys.stderr)
    raise SystemExit(code)


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; the one place its errors are reported."""
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader of our output went away (``disclosure-desk deadlines | head``):
        # stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CommandError as exc:
        _fail(str(exc), exc.code)
    except DatabaseOpenError as exc:  # the true cause, never a traceback
        _fail(str(exc), exc.exit_code)
    except clerk_errors() as exc:
        _fail(str(exc))
    except Exception as exc:
        if is_busy(exc):  # a busy database gets a clear message
            _fail(BUSY_MESSAGE)
        raise
