"""``report``: the annual report (政府信息公开工作年度报告) of one year as
PDF, DOCX, XLSX or JSON, and the combining of several agencies' JSON
reports into one, through ``services.report`` as the GUI's 年度报告 page."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from ..services import applications, report
from ..services.report import EXPORT_FORMATS, combine_files
from ..services.settings import get_settings
from .common import fail, open_session


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="导出政府信息公开工作年度报告（.pdf/.docx/.xlsx/.json），或合并多个机关的JSON报告",
        description="按国办公开办函〔2021〕30号格式，从台账统计并导出某一年度的政府信息公开工作年度报告，"
                    "文件格式由 --out 的扩展名决定（.pdf、.docx、.xlsx、.json）。"
                    "使用 --combine 时把多个机关导出的同一年度JSON报告相加为一份（不需要数据库）。")
    p.add_argument("--year", type=int, metavar="Y", help="报告年度（默认为上一年）")
    p.add_argument("--out", metavar="FILE", help="输出文件（.pdf、.docx、.xlsx 或 .json）")
    p.add_argument("--combine", nargs="+", metavar="JSON", help="要合并的各机关年度报告JSON文件（至少两个）")
    p.add_argument("--agency", metavar="NAME", help="合并报告的机关名称（默认为各机关名称相连）")
    p.add_argument("--check", action="store_true", help="只列出导出前检查发现的问题，不导出")
    p.add_argument("--published", action="store_true",
                   help="导出标记发布时冻结的报告（而不是按台账当前数字重新统计）")
    p.set_defaults(func=run_report)


def _print_warning(warning: str | None) -> None:
    if warning:
        print(f"提示：{warning}")


def run_report(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.suffix.lower() not in EXPORT_FORMATS:
        fail(f"不支持的文件类型“{out.suffix or '（无扩展名）'}”。请使用 .pdf、.docx、.xlsx 或 .json 作为 --out 的扩展名。")
    if args.combine:
        return _combine(args, out)
    year = args.year if args.year is not None else _dt.date.today().year - 1
    if not 2000 <= year <= 2100:
        fail(f"年度 {year} 无效，请填写如 2025 的四位年份。")
    if out is None and not args.check:
        fail("请用 --out 指定输出文件（.pdf、.docx、.xlsx 或 .json），或用 --check 只做检查。")
    session = open_session(args)
    if args.published:
        return _export_published(session, year, out)
    s3 = report.section3(session, year)
    document = report.build_document(session, year, s3=s3)
    issues = report.check(session, year, document=document, s3=s3)
    errors = [i for i in issues if i.level == "error"]
    if args.check:
        _print_issues(session, year, issues)
        return 1 if errors else 0
    assert out is not None  # checked above
    warning = report.export(document, out, get_settings(session))
    print(f"已导出{document['title']}：{out}")
    _print_warning(warning)
    diffs = report.differences(session, year, document)
    if diffs:
        print(f"注意：{year}年报告已发布，当前有{len(diffs)}个数字与已发布的不同；"
              "导出的是当前数字（加 --published 可导出已发布的版本）。")
    if issues:
        print(f"检查发现{len(errors)}个错误、{len(issues) - len(errors)}个提示，"
              f"可运行 disclosure-desk report --year {year} --check 查看。")
    return 0


def _combine(args: argparse.Namespace, out: Path | None) -> int:
    """Several agencies' JSON reports added up into one."""
    if out is None:
        fail("合并报告需要用 --out 指定输出文件。")
    if args.year is not None:
        print("提示：合并时年度取自各JSON文件，已忽略 --year。")
    document = combine_files([Path(p).expanduser() for p in args.combine], agency=args.agency)
    warning = report.export(document, out)
    print(f"已合并{len(document['agencies'])}个机关的{document['year']}年报告，写入 {out}")
    _print_warning(warning)
    return 0


def _export_published(session, year: int, out: Path | None) -> int:
    """The report as frozen when it was marked published."""
    snap = report.published(session, year)
    if snap is None:
        fail(f"{year}年报告尚未标记为已发布，没有冻结的版本可导出。去掉 --published 可按台账当前数字导出。")
    if out is None:
        fail("请用 --out 指定输出文件（.pdf、.docx、.xlsx 或 .json）。")
    warning = report.export(snap.document, out, get_settings(session))
    print(f"已导出{year}年报告已发布的版本（{snap.published_at.replace('T', ' ')[:16]} 冻结）：{out}")
    _print_warning(warning)
    return 0


def _print_issues(session, year: int, issues) -> None:
    if not issues:
        print(f"{year}年报告检查通过，没有发现问题。")
    for issue in issues:
        print(f"[{issue.level_label}] {issue.message}")
        if issue.app_ids:
            serials = [applications.get(session, i).serial or "" for i in issue.app_ids[:20]]
            more = "等" if len(issue.app_ids) > 20 else ""
            print(f"    涉及申请：{'、'.join(serials)}{more}")
