"""``import``, ``export`` and ``template``: the ledger (申请台账) as an
Excel or CSV file, through ``services.ledger`` as in the GUI."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..services import ledger
from ..services.ledger import RowProblem
from .common import fail, open_session


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import", help="从 Excel（.xlsx、.xls）或 CSV 台账导入申请；有任何一行有误则全部不导入",
        description="从本机关原有的台账（Excel .xlsx/.xls、WPS 或 CSV）导入申请。表头可在标题行下方，"
                    "列的顺序不限，常见写法（受理日期、申请人姓名、申请公开内容……）自动识别；申请编号按原样保留。"
                    "有错误的行（缺收到日期、日期无效、缺申请人或申请内容、答复早于收到、编号重复）使整个文件不导入，"
                    "并列出每个错误行；校验位错误的证件号码、格式不对的电话等照原样导入并标为“待核实”。"
                    "已存在的申请编号会被更新而不会重复，同一文件重复导入不会产生变化。")
    p.add_argument("file", metavar="FILE", help="要导入的 .xlsx、.xls 或 .csv 文件")
    p.add_argument("--check", action="store_true",
                   help="只检查文件，列出错误、待核实和忽略的行，报告将新增、更新、标记多少件，不写入任何数据")
    p.add_argument("--map", action="append", default=[], metavar="表头=列名",
                   help="指定文件中某个表头对应台账的哪一列，如 --map \"受理时间=收到日期\"；"
                        "不导入某列写 --map \"经办人=忽略\"。可重复")
    p.add_argument("--sheet", action="append", default=[], metavar="工作表",
                   help="只导入指定的工作表（可重复）；默认导入所有含台账表头的工作表")
    p.set_defaults(func=run_import)

    p = subparsers.add_parser(
        "export", help="把台账导出为 .xlsx 或 .csv（按扩展名）；导出的文件可原样再导入",
        description="把全部申请导出为台账文件（.xlsx 或 .csv，按扩展名决定；CSV 为带 BOM 的 UTF-8，"
                    "Excel 可直接打开）。默认导出完整信息，用于迁移台账；对外提供时请加 --mask。")
    p.add_argument("file", metavar="FILE", help="导出文件路径（.xlsx 或 .csv）")
    p.add_argument("--mask", action="store_true", help="遮盖证件号码和联系电话（对外提供时使用）")
    p.set_defaults(func=run_export)

    p = subparsers.add_parser(
        "template", help="生成导入模板（.xlsx 含填写说明；.csv 仅表头和示例行）")
    p.add_argument("file", metavar="FILE", help="模板文件路径（.xlsx 或 .csv）")
    p.set_defaults(func=run_template)


def _lists(review: Sequence[RowProblem], ignored: Sequence[str], warnings: Sequence[str] = ()) -> list[str]:
    """The warning and ignored lists, as printed after a check or import."""
    lines = []
    if review:
        lines.append(f"待核实（{len(review)} 行，照原样导入并标为“待核实”，可在台账中筛选查看）：")
        lines += [f"  {p.text()}" for p in review]
    if ignored:
        lines.append(f"已忽略（{len(ignored)} 项）：")
        lines += [f"  {text}" for text in ignored]
    lines += [f"提示：{w}" for w in warnings]
    return lines


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    options = ledger.ImportOptions(mapping=ledger.parse_mapping(args.map), sheets=args.sheet or None)
    session = open_session(args)
    try:
        if args.check:
            summary = ledger.check_ledger(session, path, options=options)
        else:
            summary = ledger.import_ledger(session, path, options=options)
    except ledger.LedgerImportError as exc:
        lines = [f"导入失败：{len(exc.problems)} 行有误，未导入任何数据。请改正后重新导入。"]
        lines += [p.text() for p in exc.problems]
        lines += _lists(exc.review, exc.ignored)
        fail("\n".join(lines))
    flagged = f"，其中 {summary.flagged} 件将标为待核实" if summary.flagged else ""
    if args.check:
        print(f"检查通过（未写入）：共 {summary.total} 行，导入时将新增 {summary.added} 件，"
              f"更新 {summary.updated} 件，{summary.unchanged} 件不变{flagged}。")
    else:
        print(summary.text())
    for line in _lists(summary.review, summary.ignored, summary.warnings):
        print(line)
    return 0


def run_export(args: argparse.Namespace) -> int:
    session = open_session(args)
    try:
        n = ledger.export_ledger(session, Path(args.file).expanduser(), mask=args.mask)
    except OSError as exc:
        fail(f"无法写入“{args.file}”：{exc.strerror or exc}。请检查路径，或关闭正在打开该文件的程序。")
    kind = "（已遮盖证件号码和电话）" if args.mask else ""
    print(f"已导出 {n} 件申请到 {args.file}{kind}")
    return 0


def run_template(args: argparse.Namespace) -> int:
    try:
        ledger.write_template(Path(args.file).expanduser())
    except OSError as exc:
        fail(f"无法写入“{args.file}”：{exc.strerror or exc}。请检查路径。")
    print(f"已生成导入模板：{args.file}")
    return 0
