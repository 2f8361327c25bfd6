"""``form``, ``notice``, ``envelope``, ``batch``, ``reprint``: the
application form and the notices as PDF (the same functions as the GUI's
打印 and 导出PDF)."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path
from typing import Any, NoReturn

from ..domain import catalog, reply_grounds
from ..domain.records import Application
from ..domain.remedies import Clause
from ..domain.validation import parse_date
from ..services import applications, notices, printing
from ..services.session import Session
from .common import fail, open_session

KIND_CHOICES = ["receipt", "correction", "extension", "third-party", "fee", "later-date", "reply", "service"]
KIND_HELP = ("receipt 登记回执，correction 补正告知书，extension 延期答复告知书，third-party 征求第三方意见函，"
             "fee 收费通知书，later-date 另行确定答复期限告知书（条例第三十五条），"
             "reply 答复告知书（按办理结果选用：予以公开/部分公开/不予公开/无法提供/不予处理/其他处理），"
             "service 送达回证")


def _add_value_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("文书内容（不填时取自申请记录和时间线）")
    g.add_argument("--date", metavar="YYYY-MM-DD", help="发文日期（默认：今天；答复告知书默认为答复日期）")
    g.add_argument("--items", metavar="TEXT", help="补正告知书：需要补正的事项（可用\\n分行）")
    g.add_argument("--reason", metavar="TEXT", help="延期理由，或答复告知书中的理由")
    g.add_argument("--content", metavar="TEXT", help="答复告知书：答复的具体内容")
    g.add_argument("--third-party", metavar="NAME", help="征求第三方意见函：第三方名称")
    g.add_argument("--co-maker", action="store_true",
                   help="征求第三方意见函：对象为共同制作的行政机关（条例第三十四条，逾期视为同意）")
    g.add_argument("--party-type", choices=["organisation", "natural_person"],
                   help="征求第三方意见函：第三方的类型（organisation 称“你单位”，natural_person 称“您”；"
                        "不填时取已记录的类型，未记录的按名称判断）")
    g.add_argument("--approver", metavar="NAME", help="延期答复告知书：批准延期的负责人（同时记录延期）")
    g.add_argument("--approved-on", metavar="YYYY-MM-DD", help="延期答复告知书：批准日期（默认：发文日期）")
    g.add_argument("--days", metavar="N", type=int, help="延期的工作日数，或补正期限的工作日数")
    g.add_argument("--ground", metavar="CODE",
                   help="答复告知书：答复类型（同一办理结果下的具体情形），如 already_published、not_ours；"
                        "可用 grounds 命令列出")
    g.add_argument("--pages", metavar="N", type=int, help="收费通知书（按量计收）：提供信息的页数")
    g.add_argument("--served", metavar="TEXT", help="送达回证：所送达文书的名称和文号")
    g.add_argument("--value", metavar="名称=值", action="append", default=[],
                   help="其他占位符的值，如 --value 送达方式=直接送达（可重复）")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("form", help="打印政府信息公开申请表（空白或按申请填好）",
                              description="生成《政府信息公开申请表》PDF：--blank 为空白表（公民与法人或者其他组织两栏），"
                                          "--id 为按申请记录填好的申请表。")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--blank", action="store_true", help="空白申请表")
    which.add_argument("--id", metavar="申请编号", help="按该申请填好的申请表，如 2026-0001")
    p.add_argument("--out", metavar="FILE.pdf", required=True, help="输出的 PDF 文件")
    p.set_defaults(func=run_form)

    p = subparsers.add_parser("notice", help="出具一件文书（编文号、记入时间线）并保存为 PDF",
                              description="为一件申请出具文书：分配文号（按年连续编号，不重复使用），记入申请的时间线，"
                                          "并保存为 PDF。" + KIND_HELP + "。")
    p.add_argument("--id", metavar="申请编号", required=True)
    p.add_argument("--kind", required=True, choices=KIND_CHOICES, metavar="KIND", help=KIND_HELP)
    p.add_argument("--out", metavar="FILE.pdf", required=True)
    p.add_argument("--envelope", action="store_true", help="在文书之后附信封（DL 220×110mm）")
    p.add_argument("--draft", action="store_true", help="只生成草稿预览（显示下一个文号，不编号、不记入时间线）")
    p.add_argument("--again", action="store_true",
                   help="本申请已出具过同类文书时，确认再次出具（取用新的文号）；只需再打印一份请用 reprint")
    _add_value_options(p)
    p.set_defaults(func=run_notice)

    p = subparsers.add_parser("envelope", help="打印一件申请的信封（DL 220×110mm）")
    p.add_argument("--id", metavar="申请编号", required=True)
    p.add_argument("--out", metavar="FILE.pdf", required=True)
    p.set_defaults(func=run_envelope)

    p = subparsers.add_parser("batch", help="为多件申请出具同一种文书，合并为一个 PDF 一次打印",
                              description="为多件申请出具同一种文书（每件各编文号、记入时间线），连同信封合并为一个 PDF。"
                                          "任何一件无法出具时，不出具任何文书。")
    p.add_argument("--ids", metavar="编号,编号", required=True, help="申请编号，用逗号分隔")
    p.add_argument("--kind", required=True, choices=KIND_CHOICES, metavar="KIND", help=KIND_HELP)
    p.add_argument("--envelopes", choices=["none", "with", "only"], default="with",
                   help="none 只打印文书；with 每件文书后附信封（默认）；only 只打印信封")
    p.add_argument("--out", metavar="FILE.pdf", required=True)
    p.add_argument("--again", action="store_true",
                   help="已出具过同类文书的申请也再次出具（取用新的文号）；默认跳过这些申请并列出")
    _add_value_options(p)
    p.set_defaults(func=run_batch)

    p = subparsers.add_parser("grounds", help="列出答复类型（条例第三十五条至第三十九条的各种答复）及其条款和救济途径",
                              description="列出每种答复：代码、所计入的年报栏目、引用的条款、需要填写的内容、"
                                          "救济途径（复议前置或可选择复议、诉讼）。")
    p.set_defaults(func=run_grounds)

    p = subparsers.add_parser("reprint", help="按文号重新打印已出具的文书（与原件相同）")
    p.add_argument("--doc-number", metavar="文号", help="如 望政公开〔2026〕第12号")
    p.add_argument("--id", metavar="申请编号", help="列出该申请已出具的文书")
    p.add_argument("--out", metavar="FILE.pdf")
    p.set_defaults(func=run_reprint)


def _out(args: argparse.Namespace) -> Path:
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        fail(f"输出文件“{out}”应以 .pdf 结尾。")
    if out.exists() and out.is_dir():
        fail(f"“{out}”是一个文件夹，请给出 PDF 文件名。")
    return out


def _application(session: Session, serial: str) -> Application:
    record = applications.find_by_serial(session, serial.strip())
    if record is None or record.deleted_at:
        fail(f"找不到申请编号为“{serial}”的申请。请用 export 命令或在台账中核对编号。")
    return record


def _extras(args: argparse.Namespace) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    mapping = {"items": "补正内容", "content": "答复内容", "third_party": "第三方", "pages": "页数",
               "served": "送达文书", "approver": "批准人", "approved_on": "批准日期", "ground": "答复类型"}
    for attr, key in mapping.items():
        value = getattr(args, attr, None)
        if value is not None:
            extras[key] = value.replace("\\n", "\n") if isinstance(value, str) else value
    if getattr(args, "days", None):
        extras["延长天数" if args.kind == "extension" else "补正期限天数"] = args.days
    if getattr(args, "co_maker", False):
        extras["征求对象"] = "co_maker"
    if getattr(args, "party_type", None):
        extras["第三方类型"] = args.party_type
    if getattr(args, "reason", None):
        extras["延期理由" if args.kind == "extension" else "理由"] = args.reason
    for item in getattr(args, "value", []) or []:
        if "=" not in item:
            fail(f"--value 应写成“名称=值”，现为“{item}”。")
        k, _, v = item.partition("=")
        extras[k.strip().strip("{}")] = v.replace("\\n", "\n")
    return extras


def _fonts_warning(session: Session) -> None:
    warning = printing.font_warning(session)
    if warning:
        print(f"警告：{warning}", file=sys.stderr)


def _date(args: argparse.Namespace) -> _dt.date | None:
    if not getattr(args, "date", None):
        return None
    try:
        return parse_date(args.date)
    except ValueError:
        fail(f"发文日期“{args.date}”不是有效日期，请按 2026-03-05 的格式填写。")


_CHECK_FILE = "请检查文件是否被其他程序打开或文件夹是否可写。"


def _write_failed(out: Path, exc: OSError, hint: str = _CHECK_FILE) -> NoReturn:
    fail(f"无法写入“{out}”：{exc.strerror or exc}。{hint}")


def run_form(args: argparse.Namespace) -> int:
    out = _out(args)
    session = open_session(args)
    record = None if args.blank else _application(session, args.id)
    _fonts_warning(session)
    try:
        printing.form_pdf(session, record.id if record else None, out)
    except OSError as exc:
        _write_failed(out, exc)
    print(f"已生成{'空白' if record is None else '填好的'}申请表：{out}")
    return 0


def run_notice(args: argparse.Namespace) -> int:
    out = _out(args)
    session = open_session(args)
    record = _application(session, args.id)
    try:
        draft = notices.prepare(session, record.id, args.kind.replace("-", "_"), issue_date=_date(args),
                                extras=_extras(args), again=args.again or args.draft)
    except notices.AlreadyIssuedError as exc:
        fail(f"{exc}确需再次出具的，请加 --again。")
    _fonts_warning(session)
    for warning in draft.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    snapshot = draft.snapshot if args.draft else notices.issue(session, draft).snapshot
    try:
        printing.notice_pdf(snapshot, out, with_envelope=args.envelope)
    except OSError as exc:
        _write_failed(out, exc, "" if args.draft else
                      f"文书已编号 {snapshot['doc_number']}，可用 reprint --doc-number 重新打印。")
    state = "草稿（未编号）" if args.draft else f"文号 {snapshot['doc_number']}"
    print(f"已生成{snapshot['label']}（{state}）：{out}")
    return 0


def run_envelope(args: argparse.Namespace) -> int:
    out = _out(args)
    session = open_session(args)
    record = _application(session, args.id)
    if not (record.address or "").strip():
        fail(f"申请 {record.serial} 没有通信地址，无法打印信封。请先在申请详情中填写通信地址和邮政编码。")
    _fonts_warning(session)
    printing.envelope_pdf(notices.envelope_snapshot(session, record.id), out)
    print(f"已生成信封：{out}")
    return 0


def run_batch(args: argparse.Namespace) -> int:
    out = _out(args)
    session = open_session(args)
    serials = [s.strip() for s in args.ids.replace("，", ",").split(",") if s.strip()]
    if not serials:
        fail("请用 --ids 给出至少一个申请编号。")
    records = [_application(session, s) for s in serials]
    kind = args.kind.replace("-", "_")
    ids = [r.id for r in records]
    if not args.again:
        ids, skipped = notices.split_issued(session, ids, kind)
        for serial, doc in skipped:
            print(f"跳过 {serial}：已于{doc.issued_on}出具{doc.snapshot.get('label') or kind}（{doc.doc_number}）。"
                  "只需再打印请用 reprint；确需再次出具请加 --again。", file=sys.stderr)
        if not ids:
            print("所列申请都已出具过该文书，本次未出具任何文书。")
            return 0
    drafts = notices.prepare_many(session, ids, kind, issue_date=_date(args), extras=_extras(args),
                                  again=args.again)
    _fonts_warning(session)
    issued = notices.issue_many(session, drafts)
    printing.batch_pdf([d.snapshot for d in issued], out, envelopes=args.envelopes)
    print(f"已出具 {len(issued)} 件文书（{issued[0].doc_number} 至 {issued[-1].doc_number}），合并为：{out}")
    return 0


def run_grounds(args: argparse.Namespace) -> int:
    for g in reply_grounds.GROUNDS:
        row = catalog.outcome_label(g.outcome, g.reason)
        clause = "复议前置" if g.remedy is Clause.RECONSIDERATION_FIRST else "复议或诉讼"
        needs = "、".join(n.label for n in g.needs) or "—"
        print(f"{g.code}\t{g.label}\t{row}\t{('条例' + g.citation) if g.citation else '—'}\t默认{clause}\t需填写：{needs}")
    return 0


def run_reprint(args: argparse.Namespace) -> int:
    session = open_session(args)
    if args.doc_number:
        if not args.out:
            fail("请用 --out 给出输出的 PDF 文件。")
        out = _out(args)
        doc = notices.find_issued(session, args.doc_number.strip())
        if doc is None:
            fail(f"找不到文号为“{args.doc_number}”的文书。")
        printing.notice_pdf(doc.snapshot, out)
        print(f"已重新打印{doc.snapshot.get('label')}（{doc.doc_number}）：{out}")
        return 0
    if args.id:
        record = _application(session, args.id)
        docs = notices.list_issued(session, record.id)
        if not docs:
            print(f"申请 {record.serial} 尚未出具文书。")
        for d in docs:
            print(f"{d.issued_on}\t{d.doc_number}\t{d.snapshot.get('label')}")
        return 0
    fail("请给出 --doc-number（重新打印）或 --id（列出已出具的文书）。")
