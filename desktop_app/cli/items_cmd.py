"""``items``: the proactive-disclosure register (主动公开目录) from the
command line — import an agency's catalogue, export 政府信息公开目录, list
items (late ones with their due dates) — through ``services.items`` as in
the GUI."""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path

from ..domain import proactive as pr
from ..services import items
from ..services.items import CatalogueImportError, ItemFilter
from .common import fail, open_session, print_table


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("items", help="主动公开目录：导入、导出、列出事项（逾期公开的列出应公开日期）",
                              description="主动公开目录（主动公开事项登记）。")
    sub = p.add_subparsers(dest="items_command", metavar="子命令", required=True)
    i = sub.add_parser("import", help="导入本机关原有的主动公开目录或网站导出的目录（Excel 或 CSV）；有一行有误则全部不导入",
                       description="导入主动公开目录。表头可用常见写法（标题、发文字号、成文日期、发布日期……），"
                                   "索引号按原样保留，没有索引号的按“索引号格式”编号。已有的索引号会更新该事项，"
                                   "同一文件重复导入不会产生变化。")
    i.add_argument("file", metavar="FILE", help="要导入的 .xlsx、.xls 或 .csv 文件")
    i.add_argument("--check", action="store_true", help="只检查文件，报告将新增、更新多少条，不写入任何数据")
    i.add_argument("--map", action="append", default=[], metavar="表头=列名",
                   help="指定文件中某个表头对应目录的哪一列，如 --map \"稿件标题=信息名称\"；"
                        "不导入某列写 --map \"点击量=忽略\"。可重复")
    i.set_defaults(func=run_import)
    e = sub.add_parser("export", help="导出政府信息公开目录（.xlsx、.csv 可再导入；.pdf 供打印公布）")
    e.add_argument("file", metavar="FILE", help="导出文件路径（.xlsx、.csv 或 .pdf）")
    e.add_argument("--year", type=int, metavar="年", help="只导出该年公开（未公开的按形成日期）的事项")
    e.set_defaults(func=run_export)
    f = sub.add_parser("figures", help="从表格导入第二部分的行政许可、处罚、强制决定数和收费金额（按月或按年，注明来源）",
                       description="表格每行一个月（或一年，月份留空或写“全年”），列：年份、月份、行政许可、行政处罚、"
                                   "行政强制、收费金额（万元）、来源。有任何一行有误则全部不导入。")
    f.add_argument("file", metavar="FILE", help=".xlsx、.xls 或 .csv 文件")
    f.add_argument("--check", action="store_true", help="只检查，不写入")
    f.add_argument("--source", default="", metavar="来源", help="表格没有“来源”列时使用的来源")
    f.set_defaults(func=run_figures)
    listing = sub.add_parser("list", help="列出事项；--late 列出逾期公开和已逾期未公开的事项及其应公开日期")
    listing.add_argument("--year", type=int, metavar="年", help="只列出该年公开（未公开的按形成日期）的事项")
    listing.add_argument("--late", action="store_true", help="逾期公开的事项和已过期限尚未公开的事项")
    listing.add_argument("--due", action="store_true", help="尚未公开、5个工作日内到期或已逾期的事项")
    listing.set_defaults(func=run_list)


def run_import(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        mapping = dict(m.split("=", 1) for m in args.map if "=" in m)
        bad = [m for m in args.map if "=" not in m]
        if bad:
            fail(f"--map 的写法应为“表头=列名”，如 --map \"稿件标题=信息名称\"：{'、'.join(bad)}")
        summary = items.import_catalogue(session, Path(args.file).expanduser(), check_only=args.check,
                                         mapping=mapping)
    except CatalogueImportError as exc:
        fail(f"导入失败：{exc}")
    print(summary.text)
    for note in summary.notes:
        print(f"提示：{note}")
    return 0


def run_figures(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        n = items.import_figures(session, Path(args.file).expanduser(), check_only=args.check,
                                 default_source=args.source)
    except CatalogueImportError as exc:
        fail(f"导入失败：{exc}")
    print(f"检查通过（未写入）：将录入 {n} 个数字。" if args.check else f"已录入 {n} 个数字。")
    return 0


def run_export(args: argparse.Namespace) -> int:
    session = open_session(args)
    flt = ItemFilter(year=args.year) if args.year else None
    try:
        n = items.export_catalogue(session, Path(args.file).expanduser(), flt)
    except OSError as exc:
        fail(f"无法写入“{args.file}”：{exc.strerror or exc}。请检查路径，或关闭正在打开该文件的程序。")
    print(f"已导出 {n} 条到 {args.file}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    session = open_session(args)
    today = _dt.date.today()
    if args.late:
        rows = []
        for record, dl in items.late_items(session, args.year, today=today):
            state = dl.state.label
            rows.append((record.index_no or "", record.title, str(dl.due) if dl.due else "",
                         record.published_on or "（未公开）", f"{state}{dl.working_days_late}个工作日"))
        if not rows:
            print("没有逾期公开或已逾期未公开的事项。")
            return 0
        print_table(["索引号", "信息名称", "应公开日期", "公开日期", "情况"], rows)
        print(f"共 {len(rows)} 条。")
        return 0
    if args.due:
        records = (items.list_items(session, ItemFilter(state="overdue", year=args.year), today=today,
                                    sort="due_date", descending=False, limit=100_000)
                   + items.list_items(session, ItemFilter(state="due_soon", year=args.year), today=today,
                                      sort="due_date", descending=False, limit=100_000))
    else:
        records = items.list_items(session, ItemFilter(year=args.year), today=today, sort="index_no",
                                   descending=False, limit=1_000_000)
    rows = []
    for r in records:
        dl = items.deadline(session, r, today)
        rows.append((r.index_no or "", r.title, r.published_on or "（未公开）", str(dl.due or ""),
                     dl.state.label if dl.state is not pr.Timeliness.NOT_DUE else r.attribute_label))
    if not rows:
        print("没有符合条件的事项。")
        return 0
    print_table(["索引号", "信息名称", "公开日期", "应公开日期", "状态"], rows)
    print(f"共 {len(rows)} 条。")
    return 0
