"""``report-unlock`` / ``report-lock``: unlock a published report year
(with a reason, audited) so its figures may be changed, and lock it again."""

from __future__ import annotations

import argparse

from ..services import year_lock
from ..services.errors import RefusedError
from .common import fail, open_session


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report-unlock", help="解锁已发布的年度报告年份（须写明理由，记入操作日志）",
                              description="已发布年度报告的年份被锁定：会改变该年数字的修改（界面、命令行、导入）都被拒绝。"
                                          "确需更改时，先用本命令解锁并写明理由。")
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.add_argument("--reason", required=True, metavar="TEXT", help="解锁的理由")
    p.set_defaults(func=run_unlock)
    p = subparsers.add_parser("report-lock", help="重新锁定已解锁的年度报告年份")
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.set_defaults(func=run_lock)


def run_unlock(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        year_lock.unlock_year(session, args.year, args.reason)
    except RefusedError as exc:
        fail(str(exc))
    print(f"已解锁{args.year}年度（理由：{args.reason}）。修改完成后请重新发布或用 report-lock 重新锁定。")
    return 0


def run_lock(args: argparse.Namespace) -> int:
    session = open_session(args)
    year_lock.relock_year(session, args.year)
    print(f"已锁定{args.year}年度。")
    return 0
