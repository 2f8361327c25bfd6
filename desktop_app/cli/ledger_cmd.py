"""``import``, ``export`` and ``template``: the ledger (申请台账) as an
Excel or CSV file.  The work is done by :mod:`desktop_app.ledger`, which
the GUI calls too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .common import fail, open_register


def _busy_message(exc: Exception, what: str) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"数据库正被其他程序（如正在保存的办理台窗口）占用，{what}没有进行，台账没有改动。请稍后再试。"
    return f"{what}时数据库出错：{exc}。台账没有改动。"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="从 Excel（.xlsx）或 CSV 台账导入申请；有任何一行有误则全部不导入",
        description="从 Excel（.xlsx）或 CSV 台账导入申请。第一行为表头（申请编号、收到日期*、申请方式、"
                    "申请人类型*、申请人*、证件号码、联系电话、通信地址、电子邮箱、申请内容*、答复日期、"
                    "办理结果、结果细项、备注，顺序不限）。任何一行有误时不导入任何数据，并列出每个错误行。"
                    "已存在的申请编号会被更新而不会重复，同一文件重复导入不会产生变化。")
    p.add_argument("file", metavar="FILE", help="要导入的 .xlsx 或 .csv 文件")
    p.add_argument("--check", action="store_true",
                   help="只检查文件并报告将新增、更新多少件，不写入任何数据")
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


def run_import(args) -> int:
    from ..ledger import LedgerFileError, LedgerImportError, check_ledger, import_ledger

    path = Path(args.file).expanduser()
    reg = open_register(args)
    try:
        summary = check_ledger(reg, path) if args.check else import_ledger(reg, path)
    except LedgerFileError as exc:
        fail(str(exc))
    except sqlite3.OperationalError as exc:
        fail(_busy_message(exc, "导入"))
    except LedgerImportError as exc:
        lines = [f"导入失败：{len(exc.problems)} 行有误，未导入任何数据。请改正后重新导入。"]
        lines += [p.text() for p in exc.problems]
        fail("\n".join(lines))
    if args.check:
        print(f"检查通过（未写入）：共 {summary.total} 行，导入时将新增 {summary.added} 件，"
              f"更新 {summary.updated} 件，{summary.unchanged} 件不变。")
    else:
        print(summary.text())
    for warning in summary.warnings:
        print(f"提示：{warning}")
    return 0


def run_export(args) -> int:
    from ..ledger import LedgerFileError, export_ledger

    reg = open_register(args)
    try:
        n = export_ledger(reg, Path(args.file).expanduser(), mask=args.mask)
    except LedgerFileError as exc:
        fail(str(exc))
    except sqlite3.OperationalError as exc:
        fail(_busy_message(exc, "导出"))
    except OSError as exc:
        fail(f"无法写入“{args.file}”：{exc.strerror or exc}。请检查路径，或关闭正在打开该文件的程序。")
    kind = "（已遮盖证件号码和电话）" if args.mask else ""
    print(f"已导出 {n} 件申请到 {args.file}{kind}")
    return 0


def run_template(args) -> int:
    from ..ledger import LedgerFileError, write_template

    try:
        write_template(Path(args.file).expanduser())
    except LedgerFileError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"无法写入“{args.file}”：{exc.strerror or exc}。请检查路径。")
    print(f"已生成导入模板：{args.file}")
    return 0
