"""``due``, ``calendar`` and ``deadlines``: the working-day calendar and
the statutory time limits from the command line, through the services
the GUI calls too (``services.calendar``, ``services.deadlines``)."""

from __future__ import annotations

import argparse
import datetime as _dt
from collections.abc import Sequence
from pathlib import Path

from ..domain import deadlines as dl
from ..domain.deadlines import DeadlineRules, period_breakdown
from ..domain.validation import parse_date
from ..domain.workdays import (
    PROVISIONAL_MARK, PROVISIONAL_RULE, UnknownScheduleError, WorkdayCalendar, parse_schedule_notice, year_ranges,
)
from ..services import applications, calendar, deadlines
from ..services.deadlines import Moved
from ..services.session import Session
from .common import fail, names_a_register, open_session, print_table


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "due", help="计算期限：收到日期后第 N 个工作日（默认20，收到当日不计），最后一行输出 YYYY-MM-DD",
        description="按国家法定节假日和调休安排（及本机关在数据库中设定的调整）计算期限："
                    "收到申请当日不计，N 个工作日的期限届满于其后第 N 个工作日。"
                    "最后一行输出届满日（YYYY-MM-DD）。涉及节假日安排尚未录入的年份时报错退出（退出码2），"
                    f"除非加 --allow-provisional（按暂定结果：{PROVISIONAL_RULE}）。")
    p.add_argument("date", metavar="DATE", help="起算日（收到申请的日期），如 2026-09-28")
    p.add_argument("--days", "-n", type=int, default=None, metavar="N",
                   help="工作日数（默认：答复期限，通常为20）")
    p.add_argument("--allow-provisional", action="store_true",
                   help=f"节假日安排未录入的年份按暂定结果（{PROVISIONAL_RULE}）计算")
    p.add_argument("--explain", action="store_true", help="逐日列出计算明细（跳过的日子及原因）")
    p.set_defaults(func=run_due)

    p = subparsers.add_parser(
        "calendar", help="工作日历：已覆盖年份、月历、本机关调整、录入新一年放假安排",
        description="查看和维护工作日历。修改后自动重新计算所有未办结申请的期限，并列出期限发生变化的申请。")
    sub = p.add_subparsers(dest="calendar_command", metavar="ACTION")
    q = sub.add_parser("years", help="列出已掌握放假安排的年份")
    q.set_defaults(func=run_years)
    q = sub.add_parser("month", help="显示一个月的工作日历，如 2026-10")
    q.add_argument("month", metavar="YYYY-MM")
    q.set_defaults(func=run_month)
    q = sub.add_parser("set", help="把某一天设为本机关的休息日（--off）或工作日（--on）")
    q.add_argument("date", metavar="DATE")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--off", action="store_true", help="设为休息日")
    g.add_argument("--on", action="store_true", help="设为工作日")
    q.add_argument("--note", required=True, help="调整原因，如“台风停止办公”")
    q.set_defaults(func=run_set)
    q = sub.add_parser("unset", help="取消本机关对某一天的调整")
    q.add_argument("date", metavar="DATE")
    q.set_defaults(func=run_unset)
    q = sub.add_parser(
        "schedule", help="录入某年的放假安排：粘贴国务院办公厅通知原文的文本文件",
        description="从国务院办公厅《关于某年部分节假日安排的通知》的文本（UTF-8 文本文件）录入该年放假和调休上班日期。")
    q.add_argument("year", type=int, metavar="YEAR")
    q.add_argument("file", metavar="FILE", help="通知正文的文本文件（UTF-8）")
    q.add_argument("--note", default="", help="文号等说明，如“国办发明电〔2026〕5号”")
    q.set_defaults(func=run_schedule)
    p.set_defaults(func=lambda args, parser=p: (parser.print_help(), 0)[1])

    p = subparsers.add_parser("deadlines", help="列出未办结申请的期限：已逾期、今日到期、3个工作日内到期…")
    p.add_argument("--today", metavar="DATE", help="按指定日期查看（默认今天）")
    p.add_argument("--overdue", action="store_true", help="只列出逾期（已过答复期限仍未答复）的申请")
    p.set_defaults(func=run_deadlines)


def _parse_date(text: str, what: str = "日期") -> _dt.date:
    try:
        d = parse_date(text)
    except ValueError:
        d = None
    if d is None:
        fail(f"{what}“{text}”无效，请按 YYYY-MM-DD 的格式填写，如 2026-09-28。")
    if not 2000 <= d.year <= 2060:
        fail(f"{what}“{text}”超出可计算的范围（2000年至2060年）。")
    return d


def _session(args: argparse.Namespace) -> Session | None:
    """The register when one is named or exists; otherwise None (the
    official calendar alone)."""
    return open_session(args) if names_a_register(args) else None


def _calendar_and_rules(args: argparse.Namespace) -> tuple[WorkdayCalendar, DeadlineRules]:
    session = _session(args)
    return deadlines.load_calendar(session), deadlines.load_rules(session)


def run_due(args: argparse.Namespace) -> int:
    start = _parse_date(args.date, "起算日")
    cal, rules = _calendar_and_rules(args)
    days = args.days if args.days is not None else rules.reply_days
    if not 1 <= days <= 365:
        fail("工作日数应为1至365之间的整数。")
    result = cal.due(start, days)
    if result.provisional and not args.allow_provisional:
        fail(str(UnknownScheduleError(result.unknown_years)) +
             "（命令行可加 --allow-provisional 先行估算。）")
    wd = "一二三四五六日"
    info = cal.day_info(start)
    print(f"起算日：{start.isoformat()}（星期{wd[start.weekday()]}，{info.label}；当日不计）")
    print(f"期限：{days}个工作日")
    if args.explain:
        print(period_breakdown(cal, "计算明细", start, "起算日", days).as_text())
    if result.provisional:
        print("注意（暂定）：" + result.warning)
    print(f"届满日：星期{wd[result.date.weekday()]}")
    print(result.date.isoformat())
    return 0


def run_years(args: argparse.Namespace) -> int:
    session = _session(args)
    years = deadlines.load_calendar(session).covered_years()
    print("已掌握国家放假安排的年份：" + year_ranges(years))
    if session is not None:
        for row in calendar.entered_years(session):
            print(f"本机关录入：{row.year}年 {row.note}（{row.entered_at[:10]}）")
    this_year = _dt.date.today().year
    for y in (this_year, this_year + 1):
        if y not in years:
            print(f"提示：{y}年的放假安排尚未录入，涉及该年的期限为暂定。")
    return 0


def run_month(args: argparse.Namespace) -> int:
    try:
        year, month = (int(x) for x in args.month.split("-"))
        _dt.date(year, month, 1)
    except (ValueError, TypeError):
        fail(f"月份“{args.month}”无效，请按 YYYY-MM 填写，如 2026-10。")
    cal, _rules = _calendar_and_rules(args)
    print(f"{year}年{month}月" + ("" if cal.is_known(_dt.date(year, month, 1)) else f"（{PROVISIONAL_MARK}）"))
    for info in cal.month_days(year, month):
        mark = "上班" if info.is_workday else "休息"
        extra = "" if info.kind in ("workday", "weekend") else "  " + info.label
        print(f"{info.date.isoformat()} {info.weekday_label} {mark}{extra}")
    return 0


def _print_moved(moved: Sequence[Moved]) -> None:
    if not moved:
        print("没有申请的答复期限因此改变。")
        return
    print(f"以下 {len(moved)} 件申请的答复期限已改变：")
    for m in moved:
        print("  " + m.text)


def run_set(args: argparse.Namespace) -> int:
    moved = calendar.set_override(open_session(args), _parse_date(args.date), bool(args.on), args.note)
    print(f"已将 {args.date} 设为本机关{'工作日' if args.on else '休息日'}。")
    _print_moved(moved)
    return 0


def run_unset(args: argparse.Namespace) -> int:
    moved = calendar.remove_override(open_session(args), _parse_date(args.date))
    print(f"已取消 {args.date} 的调整。")
    _print_moved(moved)
    return 0


def run_schedule(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(f"无法读取“{path}”：{exc.strerror or exc}。")
    except UnicodeDecodeError:
        fail(f"“{path}”不是 UTF-8 文本文件，请另存为 UTF-8 编码后重试。")
    try:
        holidays, workdays = parse_schedule_notice(text, args.year)
    except ValueError as exc:
        fail(str(exc))
    moved = calendar.enter_year_schedule(open_session(args), args.year, holidays, workdays, args.note)
    print(f"已录入{args.year}年放假安排：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天。")
    for d in sorted(workdays):
        print(f"  调休上班：{d.isoformat()}（{workdays[d]}）")
    _print_moved(moved)
    return 0


def run_deadlines(args: argparse.Namespace) -> int:
    today = _parse_date(args.today, "日期") if args.today else _dt.date.today()
    session = open_session(args)
    moved = deadlines.ensure_current(session)
    if moved:
        _print_moved(moved)
    status = "overdue" if getattr(args, "overdue", False) else "open"
    open_apps = applications.search(session, applications.ApplicationQuery(status=status, today=today))
    rows = sorted(zip(deadlines.views(session, open_apps, today), open_apps), key=lambda t: t[0].sort_key)
    if not rows:
        print("没有未办结的申请。")
        return 0
    print_table(["申请编号", "申请人", "收到日期", "答复期限", "剩余", "状态"], [
        [app.serial or "", (app.applicant_name or "")[:16], str(app.receipt_date),
         v.due_date.isoformat() if v.due_date else "—", v.days_text, v.label]
        for v, app in rows])
    counts: dict[str, int] = {}
    for v, _app in rows:
        counts[v.state] = counts.get(v.state, 0) + 1
    print("合计：" + "，".join(f"{dl.STATE_LABELS[s]}{n}件" for s, n in counts.items()))
    return 0
