"""The statutory time limits of an application, computed from its record
and its timeline on the official working-day calendar.

The rules are data (:class:`DeadlineRules`, stored in the settings) with
the 2019 Regulation's defaults:

* reply within 20 working days of receipt (Art. 33), one extension of at
  most 20 working days with the approval recorded;
* a correction notice (补正) within 7 working days of receipt (Art. 30),
  with a correction period for the applicant; the reply period then runs
  afresh from the day the corrected application is received, and an
  application not corrected in time may be closed as 其他处理 (1);
* third-party consultation (Art. 32): the third party answers within 15
  working days; the time is not counted in the reply period;
* a processing-fee notice: the applicant pays within 20 working days;
  the time until payment is not counted by default (a setting); unpaid,
  the application may be closed as 其他处理 (2).

Applications received before 2019-05-15 follow the 2008 Regulation
(15 + 15 working days) when the setting says so.

Counting: the start day is not counted; N working days end on the Nth
working day after it.  A pause (third party, fee) excludes the working
days after the day it began up to and including the day it ended.

Everything here is plain Python; the storage layer writes the derived
columns (:func:`derived_columns`) on every write, and the GUI and CLI
read a :class:`DeadlineView` for "today".
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Protocol

from .due_soon import DUE_SOON_DAYS  # (re-exported: the one definition lives there)
from .records import Event
from .validation import parse_date
from .workdays import INDEX_END, PROVISIONAL_RULE, DueResult, WorkdayCalendar

REGULATION_2019_IN_FORCE = _dt.date(2019, 5, 15)


# --- the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRules:
    reply_days: int = 20               # 答复期限 (Art. 33)
    extension_days: int = 20           # 延期最长 (Art. 33)
    correction_notice_days: int = 7    # 补正告知期限 (Art. 30)
    correction_period_days: int = 15   # default correction period given to the applicant
    third_party_days: int = 15         # 第三方答复期限 (Art. 32)
    fee_payment_days: int = 20         # 缴费期限 (国办函〔2020〕109号)
    fee_time_counted: bool = False     # is the time from fee notice to payment counted? (practice: no)
    old_rules_before_2019: bool = True  # receipts before 2019-05-15 follow the 2008 rules (15 + 15)

    LABELS = {
        "reply_days": "答复期限（工作日）",
        "extension_days": "延期最长（工作日）",
        "correction_notice_days": "补正告知期限（工作日）",
        "correction_period_days": "默认补正期限（工作日）",
        "third_party_days": "第三方答复期限（工作日）",
        "fee_payment_days": "缴费期限（工作日）",
        "fee_time_counted": "缴费期间计入答复期限",
        "old_rules_before_2019": "2019年5月15日前收到的申请按2008年条例（15+15个工作日）计算",
    }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DeadlineRules:
        """Rules from stored settings; unknown keys and bad values are
        ignored (the defaults stand)."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if data and f.name in data:
                v = data[f.name]
                if f.type in ("bool", bool):
                    values[f.name] = bool(v)
                else:
                    try:
                        iv = int(v)
                    except (TypeError, ValueError):
                        continue
                    if 1 <= iv <= 365:
                        values[f.name] = iv
        return cls(**values)

    def errors(self) -> dict[str, str]:
        """Chinese messages for values an agency may not set."""
        out = {}
        for name in ("reply_days", "extension_days", "correction_notice_days",
                     "correction_period_days", "third_party_days", "fee_payment_days"):
            v = getattr(self, name)
            label = self.LABELS[name].split("（")[0]
            if not isinstance(v, int) or not 1 <= v <= 60:
                out[name] = f"{label}应为1至60之间的整数个工作日。"
        if not out and self.reply_days > 20:
            out["reply_days"] = "答复期限不得超过条例规定的20个工作日（可设置更短的期限）。"
        if not out and self.extension_days > 20:
            out["extension_days"] = "延期不得超过条例规定的20个工作日（可设置更短的期限）。"
        return out


#: The 2008 Regulation (Art. 24): 15 working days, extension at most 15.
RULES_2008 = DeadlineRules(reply_days=15, extension_days=15, old_rules_before_2019=False)
PRESETS: dict[str, tuple[str, DeadlineRules]] = {
    "2019": ("2019年条例（20+20个工作日）", DeadlineRules()),
    "2008": ("2008年条例（15+15个工作日，用于旧记录）", RULES_2008),
}


def rules_for(rules: DeadlineRules, receipt: _dt.date) -> DeadlineRules:
    """The rules that govern an application received on ``receipt``."""
    if rules.old_rules_before_2019 and receipt < REGULATION_2019_IN_FORCE:
        return replace(rules, reply_days=RULES_2008.reply_days,
                       extension_days=RULES_2008.extension_days)
    return rules


# --- clock states -----------------------------------------------------------------------

RUNNING = "running"
EXTENDED = "extended"
PAUSED_CORRECTION = "paused_correction"
PAUSED_THIRD_PARTY = "paused_third_party"
PAUSED_FEE = "paused_fee"
CLOSED = "closed"

# read-time states (depend on today)
OVERDUE = "overdue"
DUE_TODAY = "due_today"
DUE_SOON = "due_soon"
CORRECTION_LAPSED = "correction_lapsed"
FEE_LAPSED = "fee_lapsed"
UNKNOWN = "unknown"

STATE_LABELS = {
    RUNNING: "正常计时",
    EXTENDED: "已延期",
    PAUSED_CORRECTION: "待补正（期限未起算）",
    PAUSED_THIRD_PARTY: "暂停：征求第三方意见",
    PAUSED_FEE: "暂停：待缴费",
    CLOSED: "已办结",
    OVERDUE: "已逾期",
    DUE_TODAY: "今日到期",
    DUE_SOON: "即将到期",
    CORRECTION_LAPSED: "逾期未补正（可按其他处理办结）",
    FEE_LAPSED: "逾期未缴费（可按其他处理办结）",
    UNKNOWN: "未计算",
}

PAUSE_REASONS = {
    "third_party": "征求第三方意见期间不计入",
    "fee": "缴费期间不计入",
}



@dataclass
class Pause:
    kind: str                      # third_party | fee
    start: _dt.date                # the day the request/notice was sent
    limit: _dt.date | None         # third-party deadline / payment deadline
    end: _dt.date | None = None    # the day it ended (reply received / paid)
    label: str = ""                # e.g. the third party's name

    @property
    def reason(self) -> str:
        text = PAUSE_REASONS[self.kind]
        return f"{text}（{self.label}）" if self.label else text

    def effective_end(self) -> _dt.date | None:
        """When the uncounted time ends: the reply/payment date, or for a
        third party that never answered, its deadline (the agency then
        decides alone, Art. 32)."""
        if self.kind == "third_party" and self.limit is not None:
            return self.limit if self.end is None else min(self.end, self.limit)
        return self.end


@dataclass
class DeadlineState:
    """Everything the timeline says about an application's limits."""

    receipt: _dt.date
    rules: DeadlineRules
    clock_start: _dt.date
    limit_days: int
    extension_days: int = 0
    extension: dict[str, Any] | None = None          # approver, approved_on, reason, days, date
    fixed_due: dict[str, Any] | None = None          # Art. 35: a later date the agency set (date, due, reason)
    due_date: _dt.date | None = None       # tentative while a pause is open
    provisional: bool = False
    unknown_years: tuple[int, ...] = ()
    clock_state: str = RUNNING
    pause_until: _dt.date | None = None
    pauses: list[Pause] = field(default_factory=list)
    paused_days: int = 0
    correction_notice_due: _dt.date | None = None
    correction: dict[str, Any] | None = None          # sent, deadline, items, period_days, received
    fee: dict[str, Any] | None = None                 # notice, deadline, paid, amount
    third_parties: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False
    reply_date: _dt.date | None = None
    history: list[tuple[_dt.date, str]] = field(default_factory=list)  # events that moved the deadline
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # the timeline breaks a rule

    @property
    def total_days(self) -> int:
        return self.limit_days + self.extension_days

    @property
    def replied_late(self) -> bool | None:
        if not self.closed or self.reply_date is None or self.due_date is None:
            return None
        return self.reply_date > self.due_date


def _date(value: object) -> _dt.date | None:
    if type(value) is str and len(value) == 10:
        try:
            return _dt.date.fromisoformat(value)  # the stored form: fast path
        except ValueError:
            pass
    try:
        return parse_date(value)
    except (ValueError, TypeError):
        return None


def _merged(intervals: list[tuple[_dt.date, _dt.date]]) -> list[tuple[_dt.date, _dt.date]]:
    out: list[list[_dt.date]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def end_of_period(calendar: WorkdayCalendar, start: _dt.date, n: int,
                  pauses: Sequence[tuple[_dt.date, _dt.date]] = ()) -> tuple[_dt.date, int]:
    """The Nth counted working day after ``start``, where working days in
    a pause interval (s, e] are not counted.  Returns (end, working days
    skipped because of pauses)."""
    remaining = n
    cursor = start
    skipped = 0
    for s, e in _merged([(max(s, start), e) for s, e in pauses]):
        if s < cursor:
            s = cursor
        if e <= cursor:
            continue
        before = calendar.working_days_between(cursor, s)
        if before >= remaining:
            break
        remaining -= before
        skipped += calendar.working_days_between(s, e)
        cursor = e
    return calendar._add(cursor, remaining), skipped


class ClockFacts(Protocol):
    """What the deadline needs of an application's record: an
    ``Application`` (or ``ApplicationFields``) has these."""

    @property
    def receipt_date(self) -> str | None: ...
    @property
    def reply_date(self) -> str | None: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...


@dataclass
class _Timeline:
    """The state being built while the events are read in order."""

    st: DeadlineState
    calendar: WorkdayCalendar
    pauses: list[Pause] = field(default_factory=list)

    @property
    def rules(self) -> DeadlineRules:
        return self.st.rules


def _whole_days(value: Any, *, blank: int, bad: int) -> int:
    """A number of days entered with a step: ``blank`` when none was
    entered, ``bad`` when what was entered is not a whole number."""
    if not value:
        return blank
    try:
        return int(value)
    except (TypeError, ValueError):
        return bad


def _correction_requested(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    st, r = t.st, t.rules
    if st.correction is not None:
        st.errors.append("补正告知应一次性发出，本申请已发出过补正告知。")
        return
    period = _whole_days(data.get("period_days"), blank=r.correction_period_days, bad=r.correction_period_days)
    st.correction = {"sent": d, "period_days": period, "deadline": t.calendar._add(d, period),
                     "items": data.get("items", ""), "received": None}
    if st.correction_notice_due is not None and d > st.correction_notice_due:
        st.warnings.append(
            f"补正告知于{d.isoformat()}发出，晚于收到申请后{r.correction_notice_days}个工作日"
            f"（应于{st.correction_notice_due.isoformat()}前发出）。")
    st.history.append((d, "发出补正告知：答复期限自收到补正材料之日起重新计算"))


def _corrected(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    st = t.st
    if st.correction is None:
        st.warnings.append("记录了收到补正材料，但没有补正告知。")
        st.correction = {"sent": d, "period_days": 0, "deadline": d, "items": "", "received": None}
    st.correction["received"] = d
    if d > st.correction["deadline"]:
        st.warnings.append(
            f"补正材料于{d.isoformat()}收到，已超过补正期限（{st.correction['deadline'].isoformat()}）。")
    st.clock_start = d
    st.history.append((d, f"收到补正材料：答复期限自本日起重新计算{t.rules.reply_days}个工作日"))


def _extension(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    st, r = t.st, t.rules
    if st.extension is not None:
        st.errors.append("依照条例第三十三条，答复期限只能延长一次，本申请已延期。")
        return
    days = _whole_days(data.get("days"), blank=r.extension_days, bad=r.extension_days)
    if days > r.extension_days:
        st.errors.append(f"延长期限最长不得超过{r.extension_days}个工作日。")
        days = r.extension_days
    st.extension_days = days
    st.extension = {"date": d, "days": days, "approver": data.get("approver", ""),
                    "approved_on": data.get("approved_on", ""), "reason": data.get("reason", "")}
    st.history.append((d, f"延期{days}个工作日（批准人：{data.get('approver', '')}）"))


def _third_party_sent(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    """Art. 32 / 34: the letter went out on ``d``; the third party's (or
    co-maker's) 15 working days run from the day it *received* the letter
    (``delivered``, when known; until then from the sending day)."""
    name = data.get("third_party", "")
    delivered = _date(data.get("delivered"))
    start = delivered or d
    p = Pause("third_party", d, t.calendar._add(start, t.rules.third_party_days), label=name)
    t.pauses.append(p)
    t.st.third_parties.append({"sent": d, "deadline": p.limit, "name": name, "replied": None,
                               "delivered": delivered, "role": data.get("role") or "third_party",
                               "party_type": data.get("party_type") or ""})
    who = "征求共同制作机关意见" if data.get("role") == "co_maker" else "征求第三方意见"
    t.st.history.append((d, f"{who}{('（' + name + '）') if name else ''}：期间不计入答复期限"))


def _third_party_delivered(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    """The consultation letter reached the third party on ``d``: its 15
    working days run from then."""
    name = data.get("third_party", "")
    open_tp = [p for p in t.pauses if p.kind == "third_party" and p.end is None and p.start <= d]
    chosen = next((p for p in open_tp if name and p.label == name), open_tp[0] if open_tp else None)
    if chosen is None:
        t.st.warnings.append("记录了征求意见函的送达日期，但没有征求意见的记录。")
        return
    chosen.limit = t.calendar._add(d, t.rules.third_party_days)
    for tp in t.st.third_parties:
        if tp["sent"] == chosen.start and tp["name"] == chosen.label and tp["replied"] is None:
            tp["delivered"] = d
            tp["deadline"] = chosen.limit
            break
    t.st.history.append((d, f"征求意见函送达{('（' + chosen.label + '）') if chosen.label else ''}："
                            f"其意见期限至{chosen.limit.isoformat()}"))


def _third_party_replied(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    open_tp = [p for p in t.pauses if p.kind == "third_party" and p.end is None and p.start <= d]
    name = data.get("third_party", "")
    chosen = next((p for p in open_tp if name and p.label == name), open_tp[0] if open_tp else None)
    if chosen is None:
        t.st.warnings.append("记录了第三方答复，但没有征求第三方意见的记录。")
        return
    chosen.end = d
    for tp in t.st.third_parties:
        if tp["sent"] == chosen.start and tp["name"] == chosen.label and tp["replied"] is None:
            tp["replied"] = d
            break
    t.st.history.append((d, "收到第三方意见：恢复计算答复期限"))


def _fee_notice(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    deadline = t.calendar._add(d, t.rules.fee_payment_days)
    t.st.fee = {"notice": d, "deadline": deadline, "paid": None, "amount": data.get("amount")}
    if not t.rules.fee_time_counted:
        t.pauses.append(Pause("fee", d, deadline))
        t.st.history.append((d, "发出收费通知：缴费期间不计入答复期限"))
    else:
        t.st.history.append((d, "发出收费通知"))


def _fee_paid(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    if t.st.fee is None:
        t.st.warnings.append("记录了缴费，但没有收费通知。")
        return
    t.st.fee["paid"] = d
    for p in t.pauses:
        if p.kind == "fee" and p.end is None:
            p.end = d
    t.st.history.append((d, "申请人缴纳费用：恢复计算答复期限"))


def _deadline_set(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    fixed = _date(data.get("due_date"))
    if fixed is None:
        t.st.warnings.append("另行确定的答复期限日期无效。")
        return
    t.st.fixed_due = {"date": d, "due": fixed, "reason": data.get("reason", "")}
    t.st.history.append((d, f"依照条例第三十五条另行确定答复期限至{fixed.isoformat()}"))


def _replied(t: _Timeline, d: _dt.date, data: Mapping[str, Any]) -> None:
    t.st.closed = True
    t.st.reply_date = d


#: What each kind of event does to the deadline (other kinds do nothing).
_EVENT_EFFECTS: dict[str, Callable[[_Timeline, _dt.date, Mapping[str, Any]], None]] = {
    "correction_requested": _correction_requested,
    "corrected": _corrected,
    "extension": _extension,
    "third_party_sent": _third_party_sent,
    "third_party_delivered": _third_party_delivered,
    "third_party_replied": _third_party_replied,
    "fee_notice": _fee_notice,
    "fee_paid": _fee_paid,
    "deadline_set": _deadline_set,
    "replied": _replied,
}


def compute_state(record: ClockFacts, events: Sequence[Event], calendar: WorkdayCalendar,
                  rules: DeadlineRules) -> DeadlineState:
    """The deadline state of one application from its record (needs
    ``receipt_date``; ``outcome``/``reply_date``/``status`` close it) and
    its timeline."""
    receipt = _date(record.receipt_date)
    if receipt is None:
        raise ValueError("收到日期无效，无法计算期限。")
    r = rules_for(rules, receipt)
    st = DeadlineState(receipt=receipt, rules=r, clock_start=receipt, limit_days=r.reply_days)
    st.correction_notice_due = calendar._add(receipt, r.correction_notice_days)
    t = _Timeline(st, calendar)
    # a step recorded by mistake is cancelled by a later event (the
    # timeline keeps both): its effect on the deadline is ignored
    cancelled = {ev.data.get("event_id") for ev in events if ev.kind == "step_cancelled"}
    for ev in sorted(events, key=lambda e: (str(e.date or ""), e.id or 0)):
        d = _date(ev.date)
        effect = _EVENT_EFFECTS.get(ev.kind)
        if effect is None or d is None or (ev.id is not None and ev.id in cancelled):
            continue
        effect(t, d, ev.data or {})
    if record.outcome or record.status == "closed":
        st.closed = True
        st.reply_date = _date(record.reply_date) or st.reply_date
    st.pauses = t.pauses
    if st.correction is not None and st.correction.get("received") is None:
        _awaiting_correction(st, calendar, receipt)
    else:
        _running_clock(st, calendar, receipt)
    return st


def _awaiting_correction(st: DeadlineState, calendar: WorkdayCalendar, receipt: _dt.date) -> None:
    """No due date while the applicant corrects the application."""
    assert st.correction is not None
    st.due_date = None
    st.pause_until = st.correction["deadline"]
    st.clock_state = CLOSED if st.closed else PAUSED_CORRECTION
    unknown = calendar.unknown_years_between(receipt, st.correction["deadline"])
    st.provisional, st.unknown_years = bool(unknown), unknown


def _running_clock(st: DeadlineState, calendar: WorkdayCalendar, receipt: _dt.date) -> None:
    """The due date after the pauses, and what stops the clock now."""
    # pause intervals (s, e]; an open fee pause is taken to its deadline (tentative)
    intervals = []
    for p in st.pauses:
        end = p.effective_end() or p.limit
        if end is not None:
            intervals.append((p.start, end))
    due, skipped = end_of_period(calendar, st.clock_start, st.total_days, intervals)
    if st.fixed_due is not None:
        due, skipped = st.fixed_due["due"], 0
    st.due_date = due
    st.paused_days = skipped
    unknown = () if st.fixed_due is not None else calendar.unknown_years_between(receipt, due)
    st.provisional, st.unknown_years = bool(unknown), unknown
    if st.closed:
        st.clock_state = CLOSED
        return
    # an open pause stops the clock only if it began before the due date
    open_pauses = [p for p in st.pauses if p.end is None and p.start < due]
    for p in st.pauses:
        if p.end is None and p.start >= due:
            st.warnings.append(
                f"{'征求第三方意见' if p.kind == 'third_party' else '发出收费通知'}时"
                f"答复期限（{due.isoformat()}）已届满，该期间不能延长答复期限。")
    fee_open = [p.limit for p in open_pauses if p.kind == "fee" and p.limit is not None]
    tp_open = [p.limit for p in open_pauses if p.kind == "third_party" and p.limit is not None]
    if fee_open:
        st.clock_state = PAUSED_FEE
        st.pause_until = max(fee_open)
    elif tp_open:
        st.clock_state = PAUSED_THIRD_PARTY
        st.pause_until = max(tp_open)
    else:
        st.clock_state = EXTENDED if st.extension else RUNNING
    if st.fee and st.fee["paid"] is None and st.rules.fee_time_counted and not fee_open:
        # fee time counted: the clock runs, but the payment still has a deadline
        st.pause_until = st.fee["deadline"]


# --- the derived columns ---------------------------------------------------------------

DERIVED_COLUMNS = ("due_date", "clock_state", "clock_start", "pause_until", "limit_days",
                   "extension_days", "paused_days", "deadline_provisional")


def derived_columns(st: DeadlineState) -> dict[str, Any]:
    def iso(d: _dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "due_date": iso(st.due_date),
        "clock_state": st.clock_state,
        "clock_start": iso(st.clock_start),
        "pause_until": iso(st.pause_until),
        "limit_days": st.limit_days,
        "extension_days": st.extension_days,
        "paused_days": st.paused_days,
        "deadline_provisional": 1 if st.provisional else 0,
    }


def derived_status(st: DeadlineState, current: str | None) -> str:
    """The register's status code implied by the timeline."""
    if st.closed:
        return "closed"
    if st.correction is not None and st.correction.get("received") is None:
        return "awaiting_correction"
    if st.fee is not None and st.fee.get("paid") is None:
        return "awaiting_payment"
    if any(p.kind == "third_party" and p.end is None for p in st.pauses):
        return "awaiting_third_party"
    if st.extension:
        return "extended"
    if current in ("received", "in_progress"):
        return current
    return "in_progress"


# --- reading a deadline for today -------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    """An application's deadline as the clerk sees it today."""

    state: str
    due_date: _dt.date | None
    days_left: int | None          # working days; negative when overdue; None when unknown
    provisional: bool = False
    pause_until: _dt.date | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def level(self) -> str | None:
        """``"overdue"`` (red), ``"soon"`` (orange: ≤3 working days) or None."""
        if self.state == OVERDUE:
            return "overdue"
        if self.state in (DUE_TODAY, DUE_SOON):
            return "soon"
        return None

    @property
    def is_open(self) -> bool:
        return self.state != CLOSED

    @property
    def days_text(self) -> str:
        """``剩余5个工作日``, ``今日到期``, ``逾期2个工作日``, ``暂停``…"""
        if self.state == CLOSED:
            return "已办结"
        if self.state == PAUSED_CORRECTION:
            return "待补正"
        if self.state == CORRECTION_LAPSED:
            return "逾期未补正"
        if self.state == FEE_LAPSED:
            return "逾期未缴费"
        if self.days_left is None:
            return ""
        suffix = "（暂定）" if self.provisional else ""
        if self.state in (PAUSED_THIRD_PARTY, PAUSED_FEE):
            return f"暂停，余{self.days_left}日{suffix}"
        if self.state == OVERDUE:
            return f"逾期{-self.days_left}个工作日"
        if self.state == DUE_TODAY:
            return "今日到期" + suffix
        return f"剩余{self.days_left}个工作日{suffix}"

    @property
    def short_text(self) -> str:
        """Compact form for a table column headed 剩余工作日:
        ``8``, ``今日到期``, ``逾期2``, ``暂停·余10``, ``待补正``."""
        if self.state == CLOSED:
            return ""
        if self.state in (PAUSED_CORRECTION, CORRECTION_LAPSED, FEE_LAPSED):
            return self.days_text
        if self.days_left is None:
            return ""
        mark = "（暂定）" if self.provisional else ""
        if self.state in (PAUSED_THIRD_PARTY, PAUSED_FEE):
            return f"暂停·余{self.days_left}{mark}"
        if self.state == OVERDUE:
            return f"逾期{-self.days_left}{mark}"
        if self.state == DUE_TODAY:
            return "今日到期" + mark
        return f"{self.days_left}{mark}"

    @property
    def sort_key(self) -> float:
        """Ascending: most urgent first; closed last."""
        if self.state == CLOSED:
            return 1e9
        if self.days_left is None:
            return 1e6
        if self.state in (PAUSED_THIRD_PARTY, PAUSED_FEE):
            return 1e5 + self.days_left
        return float(self.days_left)


def _d(value: object) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value)  # type: ignore[arg-type]  # anything else: the TypeError below
    except (TypeError, ValueError):
        return None


#: The fields of a row :func:`view_of_row` reads.
VIEW_FIELDS = ("clock_state", "deadline_provisional", "due_date", "pause_until", "outcome", "status")


def view_of_row(row: Any, calendar: WorkdayCalendar, today: _dt.date) -> DeadlineView:
    """The deadline view of a register row (``row[field]`` for each of
    :data:`VIEW_FIELDS`) for ``today``: cheap, no events needed."""
    return _view(*(row[f] for f in VIEW_FIELDS), calendar=calendar, today=today)


def view_of(app: ClockFacts, calendar: WorkdayCalendar, today: _dt.date) -> DeadlineView:
    """The deadline view of an application record for ``today``."""
    return _view(*(getattr(app, f) for f in VIEW_FIELDS), calendar=calendar, today=today)


def _view(state: str | None, provisional_flag: object, due_text: object, pause_text: object,
          outcome: str | None, status: str | None, *, calendar: WorkdayCalendar,
          today: _dt.date) -> DeadlineView:
    provisional = bool(provisional_flag)
    due = _d(due_text)
    pause_until = _d(pause_text)
    if state == CLOSED or (state is None and (outcome or status == "closed")):
        return DeadlineView(CLOSED, due, None, provisional)
    if state == PAUSED_CORRECTION:
        if pause_until and today > pause_until:
            return DeadlineView(CORRECTION_LAPSED, None, None, provisional, pause_until)
        return DeadlineView(PAUSED_CORRECTION, None, None, provisional, pause_until)
    if state is None or due is None:
        return DeadlineView(UNKNOWN, due, None, provisional, pause_until)
    if state == PAUSED_FEE or (status == "awaiting_payment" and state in (RUNNING, EXTENDED)):
        if pause_until and today > pause_until:
            return DeadlineView(FEE_LAPSED, due, None, provisional, pause_until)
    if state == PAUSED_FEE:
        left = calendar.working_days_between(pause_until, due) if pause_until else None
        return DeadlineView(PAUSED_FEE, due, left, provisional, pause_until)
    if state == PAUSED_THIRD_PARTY and pause_until and today <= pause_until:
        left = calendar.working_days_between(pause_until, due)
        return DeadlineView(PAUSED_THIRD_PARTY, due, left, provisional, pause_until)
    # the clock is running (a third party that never answered: running again)
    if today > due:
        left = -max(1, calendar.working_days_between(due, today))
        return DeadlineView(OVERDUE, due, left, provisional, pause_until)
    left = calendar.working_days_between(today, due)
    if today == due:
        return DeadlineView(DUE_TODAY, due, 0, provisional, pause_until)
    if left <= DUE_SOON_DAYS:
        return DeadlineView(DUE_SOON, due, left, provisional, pause_until)
    return DeadlineView(EXTENDED if state == EXTENDED else RUNNING, due, left, provisional, pause_until)


def bulk_due_and_days_left(rows: Iterable[tuple[str, int, int]], calendar: WorkdayCalendar,
                           today: _dt.date) -> list[tuple[int, int]]:
    """Fast path for many running applications: for each row (a tuple
    ``(clock_start_iso, total_days, paused_days)``) the due date as an
    ordinal and the working days left today.  Used by the benchmark and
    by bulk recomputation of plain applications (no open pause)."""
    base = calendar._base
    _work, cum, wd = calendar._index(INDEX_END.toordinal())  # (complete: due dates may be in any year)
    t = cum[today.toordinal() - base]
    fromiso = _dt.date.fromisoformat
    out: list[tuple[int, int]] = []
    append = out.append
    for start, total, paused in rows:
        k = cum[fromiso(start).toordinal() - base] + total + paused
        due = wd[k - 1]
        append((due, k - t))
    return out


# --- checking a workflow step before it is recorded -------------------------------------


def check_step(kind: str, date: _dt.date, data: dict[str, Any], st: DeadlineState,
               calendar: WorkdayCalendar, today: _dt.date | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for recording a workflow step ``kind`` on
    ``date`` with ``data`` on an application in state ``st``.  Errors
    forbid it; warnings are shown to the clerk, who may go on."""
    check = _StepCheck(kind, date, data, st, calendar, today or _dt.date.today())
    if date > check.today:
        check.errors.append("日期不能晚于今天，请核对。")
    if date < st.receipt:
        check.errors.append(f"日期不能早于收到申请的日期（{st.receipt.isoformat()}）。")
    if st.closed:
        check.errors.append("该申请已办结，不能再记录办理步骤。如需更正，请先修改办理结果。")
        return check.errors, check.warnings
    rule = _STEP_CHECKS.get(kind)
    if rule is not None:
        rule(check)
    return check.errors, check.warnings


@dataclass
class _StepCheck:
    """One step being checked: what is known, and what was found."""
    kind: str
    date: _dt.date
    data: dict[str, Any]
    st: DeadlineState
    calendar: WorkdayCalendar
    today: _dt.date
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def correction_pending(self) -> bool:
        return self.st.correction is not None and self.st.correction.get("received") is None

    def text(self, key: str) -> str:
        return str(self.data.get(key) or "").strip()


def _check_correction_requested(c: _StepCheck) -> None:
    st, r = c.st, c.st.rules
    if st.correction is not None:
        c.errors.append("补正告知应一次性告知需要补正的全部事项，本申请已发出过补正告知，不能再次发出。")
    if not c.text("items"):
        c.errors.append("请填写需要补正的事项。")
    period = _whole_days(c.data.get("period_days"), blank=0, bad=0)
    if not 1 <= period <= 60:
        c.errors.append("补正期限应为1至60个工作日。")
    if st.correction_notice_due and c.date > st.correction_notice_due:
        c.warnings.append(f"补正告知应在收到申请后{r.correction_notice_days}个工作日内"
                          f"（{st.correction_notice_due.isoformat()}前）发出，现已超过。")


def _check_corrected(c: _StepCheck) -> None:
    if not c.correction_pending:
        c.errors.append("本申请没有待补正的告知，不能记录收到补正。")
        return
    correction = c.st.correction or {}
    if c.date < correction["sent"]:
        c.errors.append("收到补正的日期不能早于补正告知发出的日期。")
    elif c.date > correction["deadline"]:
        c.warnings.append(f"补正期限已于{correction['deadline'].isoformat()}届满；"
                          "申请人有正当理由的，可以继续办理。")


def _check_extension(c: _StepCheck) -> None:
    st, r = c.st, c.st.rules
    if st.extension is not None:
        c.errors.append(f"依照条例第三十三条，答复期限只能延长一次。本申请已于"
                        f"{st.extension['date'].isoformat()}延期（批准人：{st.extension['approver']}），不能再次延期。")
    if c.correction_pending:
        c.errors.append("申请待补正，答复期限尚未起算，无需延期。")
    if st.fixed_due is not None:
        c.errors.append("本申请已依照条例第三十五条另行确定答复期限，不再适用延期。")
    if not c.text("approver"):
        c.errors.append("请填写批准延期的负责人（政府信息公开工作机构负责人）。")
    if not c.text("reason"):
        c.errors.append("请填写延期理由。")
    approved = _date(c.data.get("approved_on"))
    if approved is None:
        c.errors.append("请填写批准日期。")
    elif approved > c.today:
        c.errors.append("批准日期不能晚于今天。")
    days = _whole_days(c.data.get("days"), blank=r.extension_days, bad=0)
    if not 1 <= days <= r.extension_days:
        c.errors.append(f"延长期限应为1至{r.extension_days}个工作日。")
    if st.due_date and c.date > st.due_date and not c.errors:
        c.errors.append(f"答复期限已于{st.due_date.isoformat()}届满，延期须在期限届满前决定并告知申请人。")


def _check_third_party_sent(c: _StepCheck) -> None:
    if c.correction_pending:
        c.errors.append("申请待补正，请在收到补正材料后再征求第三方意见。")
    if not c.text("third_party"):
        c.errors.append("请填写第三方的名称或姓名。")
    if c.st.due_date and c.date > c.st.due_date:
        c.warnings.append(f"答复期限已于{c.st.due_date.isoformat()}届满，征求意见期间不能延长已届满的期限。")


def _check_third_party_delivered(c: _StepCheck) -> None:
    waiting = [p.start for p in c.st.pauses if p.kind == "third_party" and p.end is None]
    if not waiting:
        c.errors.append("本申请没有等待答复的意见征询，不能记录送达日期。")
    elif c.date < min(waiting):
        c.errors.append("送达日期不能早于征求意见函发出的日期。")


def _check_third_party_replied(c: _StepCheck) -> None:
    waiting = [p.start for p in c.st.pauses if p.kind == "third_party" and p.end is None]
    if not waiting:
        c.errors.append("本申请没有等待答复的第三方意见征询。")
    elif c.date < min(waiting):
        c.errors.append("第三方答复日期不能早于征求意见的日期。")


def _check_deadline_set(c: _StepCheck) -> None:
    st = c.st
    if st.fixed_due is not None:
        c.errors.append("本申请已另行确定过答复期限。")
    if c.correction_pending:
        c.errors.append("申请待补正，答复期限尚未起算。")
    fixed = _date(c.data.get("due_date"))
    if fixed is None:
        c.errors.append("请填写另行确定的答复期限。")
    elif st.due_date and fixed <= st.due_date:
        c.errors.append(f"另行确定的答复期限应晚于现行答复期限（{st.due_date.isoformat()}）；"
                        "在现行期限内能够答复的，无需另行确定。")
    elif not c.calendar.is_workday(fixed):
        c.warnings.append(f"{fixed.isoformat()}不是工作日，请核对。")
    if not c.text("reason"):
        c.errors.append("请填写理由（条例第三十五条：申请数量、频次明显超过合理范围，"
                        "理由合理但无法在规定期限内答复）。")


def _check_fee_notice(c: _StepCheck) -> None:
    if c.st.fee is not None and c.st.fee.get("paid") is None:
        c.errors.append("本申请已有未缴费的收费通知。")
    amount = c.data.get("amount")
    try:
        if amount is None or float(amount) <= 0:
            raise ValueError
    except (TypeError, ValueError):
        c.errors.append("请填写收费金额（元，大于0）。")


def _check_fee_paid(c: _StepCheck) -> None:
    fee = c.st.fee
    if fee is None or fee.get("paid") is not None:
        c.errors.append("本申请没有待缴费的收费通知。")
    elif c.date < fee["notice"]:
        c.errors.append("缴费日期不能早于收费通知的日期。")
    elif c.date > fee["deadline"]:
        c.warnings.append(f"缴费期限已于{fee['deadline'].isoformat()}届满。")


#: What each workflow step must satisfy besides the common date checks.
_STEP_CHECKS: dict[str, Callable[[_StepCheck], None]] = {
    "correction_requested": _check_correction_requested,
    "corrected": _check_corrected,
    "extension": _check_extension,
    "third_party_sent": _check_third_party_sent,
    "third_party_delivered": _check_third_party_delivered,
    "third_party_replied": _check_third_party_replied,
    "deadline_set": _check_deadline_set,
    "fee_notice": _check_fee_notice,
    "fee_paid": _check_fee_paid,
}


def lapse_outcome(view: DeadlineView) -> tuple[str, int] | None:
    """The outcome an application may be closed with because the
    applicant let a period lapse: (``other``, 1) or (``other``, 2)."""
    if view.state == CORRECTION_LAPSED:
        return ("other", 1)
    if view.state == FEE_LAPSED:
        return ("other", 2)
    return None


# --- showing the arithmetic --------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownDay:
    date: _dt.date
    counted: int | None      # the running number of a counted working day; None if skipped
    reason: str              # why skipped / what the day is


@dataclass
class Breakdown:
    title: str
    start: _dt.date
    start_note: str
    days: int
    end: _dt.date | None
    rows: list[BreakdownDay]
    provisional: bool = False
    notes: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [self.title, f"起算日：{self.start.isoformat()}（{self.start_note}，当日不计）"]
        for r in self.rows:
            wd = "一二三四五六日"[r.date.weekday()]
            if r.counted:
                lines.append(f"{r.date.isoformat()} 周{wd}  第{r.counted}个工作日{('  ' + r.reason) if r.reason else ''}")
            else:
                lines.append(f"{r.date.isoformat()} 周{wd}  不计：{r.reason}")
        if self.end:
            lines.append(f"届满日：{self.end.isoformat()}（第{self.days}个工作日）")
        lines.extend(self.notes)
        return "\n".join(lines)


def period_breakdown(calendar: WorkdayCalendar, title: str, start: _dt.date, start_note: str,
                     n: int, pauses: Sequence[tuple[_dt.date, _dt.date, str]] = ()) -> Breakdown:
    """Day by day: from the start day (not counted) to the Nth counted
    working day, each skipped day with its reason."""
    rows: list[BreakdownDay] = []
    counted = 0
    d = start
    provisional = False
    guard = 0
    while counted < n and guard < 3660:
        guard += 1
        d += _dt.timedelta(days=1)
        info = calendar.day_info(d)
        if not info.known:
            provisional = True
        pause = next((reason for s, e, reason in pauses if s < d <= e), None)
        if not info.is_workday:
            rows.append(BreakdownDay(d, None, info.label))
        elif pause:
            rows.append(BreakdownDay(d, None, pause))
        else:
            counted += 1
            note = info.label if info.kind not in ("workday",) else ""
            rows.append(BreakdownDay(d, counted, note))
    notes = []
    if provisional:
        unknown = calendar.unknown_years_between(start, d)
        notes.append(f"注意：{'、'.join(str(y) + '年' for y in unknown)}的节假日安排尚未录入，"
                     f"本结果为暂定（{PROVISIONAL_RULE}），安排公布后请复核。")
    return Breakdown(title, start, start_note, n, d, rows, provisional, notes)


def breakdowns(st: DeadlineState, calendar: WorkdayCalendar) -> list[Breakdown]:
    """The breakdown of every period of an application: the reply period
    first, then the correction, third-party and fee periods."""
    out: list[Breakdown] = []
    r = st.rules
    if st.due_date is not None:
        pauses = []
        for p in st.pauses:
            end = p.effective_end() or p.limit
            if end:
                pauses.append((p.start, end, p.reason))
        start_note = "收到补正材料" if st.clock_start != st.receipt else "收到申请"
        title = f"答复期限：{st.limit_days}个工作日"
        if st.extension_days:
            title += f" + 延期{st.extension_days}个工作日"
        b = period_breakdown(calendar, title, st.clock_start, start_note, st.total_days, pauses)
        if st.clock_state in (PAUSED_FEE, PAUSED_THIRD_PARTY):
            b.notes.append("暂停尚未结束：届满日按暂停持续到" +
                           (st.pause_until.isoformat() if st.pause_until else "期限届满") +
                           "计算，实际结束后自动重算。")
        if st.fixed_due:
            f = st.fixed_due
            b.notes.append(f"依照条例第三十五条，本机关于{f['date'].isoformat()}另行确定答复期限至"
                           f"{f['due'].isoformat()}（理由：{f['reason']}），以该日期为准；上表为法定期限的计算。")
        if st.extension:
            e = st.extension
            b.notes.append(f"延期：{e['date'].isoformat()}决定，批准人{e['approver']}，"
                           f"批准日期{e['approved_on']}，理由：{e['reason']}")
        out.append(b)
    out.append(period_breakdown(calendar, f"补正告知期限：{r.correction_notice_days}个工作日",
                                st.receipt, "收到申请", r.correction_notice_days))
    if st.correction:
        c = st.correction
        out.append(period_breakdown(calendar, f"补正期限：{c['period_days']}个工作日",
                                    c["sent"], "发出补正告知", c["period_days"]))
    for tp in st.third_parties:
        out.append(period_breakdown(
            calendar, f"第三方答复期限：{r.third_party_days}个工作日" + (f"（{tp['name']}）" if tp["name"] else ""),
            tp["sent"], "发出征求意见函", r.third_party_days))
    if st.fee:
        out.append(period_breakdown(calendar, f"缴费期限：{r.fee_payment_days}个工作日",
                                    st.fee["notice"], "发出收费通知", r.fee_payment_days))
    return out


def simple_due(calendar: WorkdayCalendar, start: _dt.date, days: int) -> DueResult:
    """The calculator: the due date of ``days`` working days from ``start``
    (a :class:`~desktop_app.domain.workdays.DueResult`)."""
    return calendar.due(start, days)


#: The workflow steps a clerk records.
STEP_KINDS = ("correction_requested", "corrected", "extension", "third_party_sent",
              "third_party_delivered", "third_party_replied", "fee_notice", "fee_paid", "deadline_set")


def step_summary(kind: str, data: Mapping[str, Any], after: DeadlineState) -> str:
    """The line the timeline shows for a workflow step: what it did to
    the deadline."""
    due = after.due_date.isoformat() if after.due_date else ""
    if kind == "correction_requested" and after.correction:
        return (f"补正事项：{data.get('items', '')}；补正期限{after.correction['period_days']}个工作日，"
                f"至{after.correction['deadline'].isoformat()}；答复期限自收到补正材料之日重新计算")
    if kind == "corrected":
        return f"答复期限自本日起重新计算{after.limit_days}个工作日，至{due}"
    if kind == "extension":
        return (f"延长{after.extension_days}个工作日，答复期限延至{due}；批准人：{data.get('approver', '')}"
                f"（{data.get('approved_on', '')}）；理由：{data.get('reason', '')}")
    if kind == "third_party_sent" and after.third_parties:
        tp = after.third_parties[-1]
        return (f"第三方：{data.get('third_party', '')}；答复期限至{tp['deadline'].isoformat()}；"
                "征求意见期间不计入答复期限")
    if kind == "third_party_delivered":
        delivered = [t for t in after.third_parties if t.get("delivered")]
        limit = delivered[-1]["deadline"].isoformat() if delivered else ""
        return f"征求意见函送达{data.get('third_party', '')}；其意见期限自送达之日起计算，至{limit}"
    if kind == "third_party_replied":
        opinion = data.get("opinion")
        return (f"{('意见：' + opinion + '；') if opinion else ''}恢复计算答复期限，答复期限为{due}")
    if kind == "fee_notice" and after.fee:
        amount = data.get("amount")
        method = data.get("method")
        text = f"金额{amount}元" + (f"（{method}）" if method else "")
        text += f"；缴费期限至{after.fee['deadline'].isoformat()}"
        if not after.rules.fee_time_counted:
            text += "；缴费期间不计入答复期限"
        return text
    if kind == "fee_paid":
        return f"已缴费，恢复计算答复期限，答复期限为{due}"
    if kind == "deadline_set":
        return f"依照条例第三十五条另行确定答复期限至{due}；理由：{data.get('reason', '')}"
    return ""


STEP_LABELS = {
    "correction_requested": "补正告知",
    "corrected": "收到补正",
    "extension": "延期答复",
    "third_party_sent": "征求第三方意见",
    "third_party_delivered": "征求意见函送达",
    "third_party_replied": "第三方答复",
    "fee_notice": "收费通知",
    "fee_paid": "已缴费",
    "deadline_set": "另行确定答复期限",
}


def step_unavailable(kind: str, st: DeadlineState) -> str | None:
    """Why a workflow step cannot be recorded now (a Chinese sentence),
    or None when it can (the dialog then checks the details)."""
    if st.closed:
        return "该申请已办结，不能再记录办理步骤。"
    correction_pending = st.correction is not None and st.correction.get("received") is None
    if kind == "correction_requested" and st.correction is not None:
        return ("补正告知应一次性告知需要补正的全部事项（条例第三十条），"
                f"本申请已于{st.correction['sent'].isoformat()}发出过补正告知。")
    if kind == "corrected" and not correction_pending:
        return "本申请没有待补正的告知。"
    if kind == "extension":
        if st.extension is not None:
            e = st.extension
            return (f"依照条例第三十三条，答复期限只能延长一次。本申请已于{e['date'].isoformat()}"
                    f"延期{e['days']}个工作日（批准人：{e['approver']}），不能再次延期。")
        if correction_pending:
            return "申请待补正，答复期限尚未起算，无需延期。"
    if kind == "third_party_sent" and correction_pending:
        return "申请待补正，请在收到补正材料后再征求第三方意见。"
    if kind in ("third_party_replied", "third_party_delivered") and not any(
            p.kind == "third_party" and p.end is None for p in st.pauses):
        return "本申请没有等待答复的第三方意见征询。"
    if kind == "fee_notice" and st.fee is not None and st.fee.get("paid") is None:
        return "本申请已有未缴费的收费通知。"
    if kind == "fee_paid" and (st.fee is None or st.fee.get("paid") is not None):
        return "本申请没有待缴费的收费通知。"
    if kind == "deadline_set":
        if st.fixed_due is not None:
            return f"本申请已于{st.fixed_due['date'].isoformat()}另行确定答复期限（至{st.fixed_due['due'].isoformat()}）。"
        if correction_pending:
            return "申请待补正，答复期限尚未起算。"
    if kind == "extension" and st.fixed_due is not None:
        return "本申请已依照条例第三十五条另行确定答复期限，不再适用延期。"
    return None
