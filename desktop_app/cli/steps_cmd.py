"""``step``: record a workflow step (办理步骤) of an application, list its
steps, or cancel the last one, through the same service functions as the
GUI's 办理步骤 menu.  A step that has a written notice says which
``notice`` command issues it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..domain import deadlines as dl
from ..services import applications, steps
from ..services.errors import StepError
from .common import fail, open_session

#: The CLI names of the steps (``--kind``).
STEP_CHOICES = {
    "correction": "correction_requested",
    "corrected": "corrected",
    "extension": "extension",
    "third-party": "third_party_sent",
    "third-party-delivered": "third_party_delivered",
    "third-party-replied": "third_party_replied",
    "fee": "fee_notice",
    "fee-paid": "fee_paid",
    "deadline": "deadline_set",
}

#: The notice that is the written form of a step.
STEP_NOTICE = {"correction_requested": "correction", "extension": "extension",
               "third_party_sent": "third-party", "fee_notice": "fee"}

KIND_HELP = "；".join(f"{cli} {dl.STEP_LABELS[kind]}" for cli, kind in STEP_CHOICES.items())


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "step", help="记录办理步骤（补正、延期、征求第三方意见、收费等），或列出、撤销",
        description="记录一件申请的办理步骤，检查规则与图形界面相同，答复期限随之重新计算。"
                    "不带 --kind 时列出本申请的办理步骤。" + KIND_HELP + "。")
    p.add_argument("--id", metavar="申请编号", required=True)
    p.add_argument("--kind", choices=list(STEP_CHOICES), metavar="KIND", help=KIND_HELP)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="步骤的日期（发出、收到、决定的日期；默认今天）")
    p.add_argument("--items", metavar="TEXT", help="补正：一次性列明需要补正的事项（可用\\n分行）")
    p.add_argument("--days", metavar="N", type=int, help="补正期限或延长的工作日数")
    p.add_argument("--approver", metavar="NAME", help="延期：批准的负责人")
    p.add_argument("--approved-on", metavar="YYYY-MM-DD", help="延期：批准日期（默认：步骤日期）")
    p.add_argument("--reason", metavar="TEXT", help="延期或另行确定期限的理由；撤销的原因")
    p.add_argument("--third-party", metavar="NAME", help="第三方（或共同制作机关）名称")
    p.add_argument("--co-maker", action="store_true", help="征求意见的对象是共同制作的行政机关（条例第三十四条）")
    p.add_argument("--party-type", choices=["organisation", "natural_person"],
                   help="第三方的类型：organisation 法人或者其他组织（文书称“你单位”），natural_person 自然人（称“您”）；"
                        "不填时按名称判断")
    p.add_argument("--delivered", metavar="YYYY-MM-DD", help="征求意见函送达第三方的日期（其15个工作日自此起算）")
    p.add_argument("--opinion", metavar="TEXT", help="第三方答复：同意公开、不同意公开……")
    p.add_argument("--amount", metavar="元", type=float, help="收费：金额")
    p.add_argument("--due-date", metavar="YYYY-MM-DD", help="另行确定的答复期限（条例第三十五条）")
    p.add_argument("--cancel", action="store_true", help="撤销最近一个办理步骤（须用 --reason 说明原因）")
    p.set_defaults(func=run_step)


def _data(args: argparse.Namespace, kind: str, date: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if args.items:
        data["items"] = args.items.replace("\\n", "\n")
    if args.days is not None:
        data["days" if kind == "extension" else "period_days"] = args.days
    if kind == "correction_requested" and "period_days" not in data:
        data["period_days"] = 15
    if args.approver:
        data["approver"] = args.approver
    if kind == "extension":
        data["approved_on"] = args.approved_on or date
    if args.reason:
        data["reason"] = args.reason
    if args.third_party:
        data["third_party"] = args.third_party
    if args.co_maker:
        data["role"] = "co_maker"
    if args.party_type:
        data["party_type"] = args.party_type
    if args.delivered:
        data["delivered"] = args.delivered
    if args.opinion:
        data["opinion"] = args.opinion
    if args.amount is not None:
        data["amount"] = args.amount
    if args.due_date:
        data["due_date"] = args.due_date
    return data


def run_step(args: argparse.Namespace) -> int:
    import datetime as _dt

    session = open_session(args)
    record = applications.find_by_serial(session, args.id.strip())
    if record is None or record.deleted_at:
        fail(f"找不到申请编号为“{args.id}”的申请。")
    assert record.id is not None
    if args.cancel:
        try:
            steps.cancel_last_step(session, record.id, args.reason or "")
        except StepError as exc:
            fail(str(exc))
        print(f"已撤销申请 {record.serial} 最近的办理步骤。")
        return 0
    if not args.kind:
        for ev in applications.events(session, record.id):
            if ev.kind in dl.STEP_LABELS or ev.kind == "step_cancelled":
                label = dl.STEP_LABELS.get(ev.kind, "撤销步骤")
                print(f"{ev.date}\t{label}\t{ev.data.get('summary', '')}")
        return 0
    kind = STEP_CHOICES[args.kind]
    date = args.date or _dt.date.today().isoformat()
    try:
        steps.record_step(session, record.id, kind, date, _data(args, kind, date))
    except StepError as exc:
        fail(f"无法记录“{dl.STEP_LABELS[kind]}”：{exc}")
    except ValueError as exc:
        fail(str(exc))
    print(f"已记录申请 {record.serial} 的“{dl.STEP_LABELS[kind]}”（{date}）。")
    if kind in STEP_NOTICE:
        print(f"请出具书面告知：disclosure-desk notice --id {record.serial} --kind {STEP_NOTICE[kind]} "
              f"--date {date} --out 文件.pdf", file=sys.stderr)
    return 0
