"""The proactive-disclosure register (主动公开): items, their deadlines on
the agency's working-day calendar, section 二 of the annual report computed
from them, the figures that come from other systems, the catalogue's
import and export and the disclosure guide.  Every change is one
transaction with its audit entry; the GUI and the command line call these
functions only."""

from __future__ import annotations

import datetime as _dt
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import items as di
from ..domain import proactive as pr
from ..domain import serials
from ..domain.items import CommentPeriod, ItemFilter, ItemRecord, ProactiveFacts
from ..ledger.errors import LedgerFileError
from ..storage.backups import BackupError
from ..storage.store import Store
from .errors import NotFoundError, ServiceError, ValidationError
from .session import Session, now_iso
from .settings import setting, update_settings
from .year_lock import require_unlocked

if TYPE_CHECKING:
    from ..ledger import catalogue as cat  # (imported where a catalogue is read or written)

__all__ = [
    "CatalogueImportError", "CatalogueSummary", "DashboardCounts", "ItemFilter", "ItemRecord", "LedgerFileError",
    "Section2",
    "add", "add_many", "change", "count", "dashboard_counts", "deadline", "delete", "due_between", "due_in_month",
    "export_catalogue", "facts", "figure_changes", "figures", "get", "guide_text", "has_rules", "import_catalogue",
    "import_figures",
    "index_pattern", "interpretations", "items_in_cell", "late_items", "list_items", "may_make_rules", "next_index_no",
    "print_guide", "published_years_changed_by_item", "recompute", "save_figure", "save_guide", "section2",
    "set_may_make_rules", "soon_until",
]

FIGURE_FIELDS = ("licensing_decisions", "penalty_decisions", "enforcement_decisions", "fees_amount")


# --- settings ----------------------------------------------------------------------------------


def may_make_rules(session: Session) -> bool:
    return bool(setting(session, di.SETTING_MAY_MAKE_RULES, False))


def has_rules(session: Session) -> bool:
    """Whether the register holds a 规章."""
    return session.store.items.count(ItemFilter(kind="rule"), _dt.date.today(), _dt.date.today()) > 0


def set_may_make_rules(session: Session, value: bool) -> None:
    if not value and has_rules(session):
        raise ServiceError("主动公开目录中已登记了规章，不能取消“有规章制定权”。请先把这些事项的类别改为其他类别。")
    update_settings(session, {di.SETTING_MAY_MAKE_RULES: bool(value)})


def index_pattern(session: Session) -> serials.SerialPattern:
    try:
        return serials.compile_pattern(setting(session, di.SETTING_INDEX_PATTERN) or di.DEFAULT_INDEX_PATTERN)
    except serials.PatternError:
        return serials.compile_pattern(di.DEFAULT_INDEX_PATTERN)


def next_index_no(session: Session, year: int) -> str:
    return _next_index(session.store, index_pattern(session), year)


def _next_index(store: Store, pattern: serials.SerialPattern, year: int) -> str:
    top = 0
    for text in store.items.index_numbers(pattern.like(year)):
        parsed = pattern.parse(text)
        if parsed and parsed[0] == year:
            top = max(top, parsed[1])
    return pattern.format(year, top + 1)


# --- deadlines -----------------------------------------------------------------------------------


def soon_until(store: Store, today: _dt.date) -> _dt.date:
    """The last due date that counts as due soon on ``today``."""
    return store.calendar.load().due(today, pr.DUE_SOON_DAYS).date


def _deadline(store: Store, record: ItemRecord, today: _dt.date, calendar: Any = None,
              parent_published: str | None = None) -> pr.ItemDeadline:
    calendar = calendar or store.calendar.load()
    if record.kind == "interpretation" and record.interpretation_of is not None and parent_published is None:
        parent_published = store.items.published_on_of([record.interpretation_of]).get(record.interpretation_of)
    parent = _dt.date.fromisoformat(parent_published) if parent_published else None
    return pr.deadline(di.rule_item(record), calendar, today, parent)


def deadline(session: Session, record: ItemRecord, today: _dt.date | None = None) -> pr.ItemDeadline:
    """The due date and state of ``record`` on ``today``."""
    return _deadline(session.store, record, today or _dt.date.today())


def recompute(store: Store, ids: Iterable[int] | None = None) -> int:
    """Store the due date (and the working days late of an item published
    late) of every proactive item, or of ``ids`` and their
    interpretations (inside the caller's transaction); returns how many
    changed."""
    calendar = store.calendar.load()
    if ids is None:
        records = store.items.needing_due()
    else:
        wanted = set(ids)
        records = store.items.by_ids(wanted)
        for i in list(wanted):
            records += store.items.interpretations_of(i)
    parents = store.items.published_on_of(r.interpretation_of for r in records if r.interpretation_of)
    updates = []
    today = _dt.date.today()
    for r in records:
        dl = _deadline(store, r, today, calendar, parents.get(r.interpretation_of) if r.interpretation_of else None)
        due = dl.due.isoformat() if dl.due else None
        late = dl.working_days_late if dl.state is pr.Timeliness.LATE else 0
        if (due, late) != (r.due_date, r.days_late):
            updates.append((r.id, due, late))
    store.items.set_due(updates)
    return len(updates)


# --- one item ------------------------------------------------------------------------------------


def get(session: Session, item_id: int) -> ItemRecord:
    record = session.store.items.get(item_id)
    if record is None:
        raise NotFoundError(f"找不到编号为 {item_id} 的主动公开事项，可能已被删除。")
    return record


def interpretations(session: Session, item_id: int) -> list[ItemRecord]:
    return session.store.items.interpretations_of(item_id)


def _check(store: Store, values: Mapping[str, Any], item_id: int | None, rules_allowed: bool,
           today: _dt.date) -> tuple[dict[str, Any], list[CommentPeriod]]:
    clean, errors = di.clean_item(values, may_make_rules=rules_allowed, today=today)
    if clean["index_no"] and "index_no" not in errors:
        other = store.items.by_index_no(clean["index_no"])
        if other is not None and other.id != item_id:
            errors["index_no"] = f"索引号“{clean['index_no']}”已用于“{other.title}”，请换一个或留空自动编号。"
    parent_id = clean["interpretation_of"]
    if parent_id is not None and "interpretation_of" not in errors:
        parent = store.items.get(parent_id)
        if parent is None:
            errors["interpretation_of"] = "所解读的文件已不在目录中，请重新选择。"
        elif parent_id == item_id or parent.kind == "interpretation":
            errors["interpretation_of"] = "政策解读应解读一份文件（不能解读自己或另一篇解读），请重新选择。"
        elif clean["published_on"] and parent.published_on and clean["published_on"] < parent.published_on:
            errors["published_on"] = (f"解读的公开日期早于所解读文件的公开日期（{parent.published_on}），"
                                      "请核对；如确是同步发布，请填同一日期。")
    periods: list[CommentPeriod] = []
    for i, p in enumerate(values.get("comment_periods") or []):
        period, problem = di.clean_comment_period(p)
        if problem:
            errors[f"comment_period_{i}"] = f"第{i + 1}个征求意见期：{problem}"
        elif period is not None:
            periods.append(period)
    if errors:
        raise ValidationError(errors)
    return clean, periods


def _auto_index(store: Store, pattern: serials.SerialPattern, clean: dict[str, Any], today: _dt.date) -> str:
    when = clean.get("published_on") or clean.get("formed_on") or today.isoformat()
    return _next_index(store, pattern, int(when[:4]))


def add(session: Session, values: Mapping[str, Any], *, today: _dt.date | None = None,
        source: str | None = None) -> int:
    """Register a new item (索引号 from the agency's pattern when left
    blank); returns its id.  :class:`ValidationError` names each field."""
    today = today or _dt.date.today()
    store = session.store
    clean, periods = _check(store, values, None, may_make_rules(session), today)
    with store.transaction():
        if not clean["index_no"]:
            clean["index_no"] = _auto_index(store, index_pattern(session), clean, today)
        item_id = store.items.insert(clean | {"source": source}, now_iso())
        store.items.replace_comment_periods(item_id, periods)
        recompute(store, [item_id])
        store.audit.record("item", item_id, "create", None, _audit_values(clean))
    return item_id


def add_many(session: Session, records: Iterable[Mapping[str, Any]], *, today: _dt.date | None = None,
             source: str | None = None) -> list[int]:
    """Register several items at once, all or nothing (each checked as by
    :func:`add`; a record may name the document it interprets by its
    position in ``records`` with ``interprets_index``)."""
    today = today or _dt.date.today()
    store = session.store
    rules = may_make_rules(session)
    pattern = index_pattern(session)
    ids: list[int] = []
    stamp = now_iso()
    with store.transaction():
        for values in records:
            values = dict(values)
            ref = values.pop("interprets_index", None)
            if ref is not None:
                values["interpretation_of"] = ids[ref]
            clean, periods = _check(store, values, None, rules, today)
            if not clean["index_no"]:
                clean["index_no"] = _auto_index(store, pattern, clean, today)
            item_id = store.items.insert(clean | {"source": source}, stamp)
            if periods:
                store.items.replace_comment_periods(item_id, periods)
            store.audit.record("item", item_id, "create", None, _audit_values(clean))
            ids.append(item_id)
        recompute(store, ids)
    return ids


def change(session: Session, item_id: int, values: Mapping[str, Any], *, today: _dt.date | None = None) -> bool:
    """Save the form of an existing item; returns whether anything changed."""
    today = today or _dt.date.today()
    store = session.store
    old = get(session, item_id)
    clean, periods = _check(store, values, item_id, may_make_rules(session) or old.kind == "rule", today)
    if clean["kind"] == "rule" and old.kind != "rule" and not may_make_rules(session):
        raise ValidationError({"kind": di.RULES_REFUSED})
    if not clean["index_no"]:
        clean["index_no"] = old.index_no
    before = {k: getattr(old, k) for k in di.EDITABLE_FIELDS}
    diff_old = {k: v for k, v in before.items() if v != clean[k]}
    diff_new = {k: clean[k] for k in diff_old}
    periods_changed = [(p.start_on, p.end_on, p.channel, p.comments_received, p.usage) for p in periods] != [
        (p.start_on, p.end_on, p.channel, p.comments_received, p.usage) for p in old.comment_periods]
    if not diff_new and not periods_changed:
        return False
    with store.transaction():
        store.items.update(item_id, clean, now_iso())
        store.items.replace_comment_periods(item_id, periods)
        recompute(store, [item_id])
        if periods_changed:
            diff_new["comment_periods"] = len(periods)
        store.audit.record("item", item_id, "update", _audit_values(diff_old), _audit_values(diff_new))
    return True


def delete(session: Session, item_id: int) -> None:
    """Remove an item (its interpretations stay, no longer linked)."""
    store = session.store
    old = get(session, item_id)
    with store.transaction():
        children = [r.id for r in store.items.interpretations_of(item_id)]
        store.items.delete(item_id)
        recompute(store, children)
        store.audit.record("item", item_id, "purge", _audit_values({k: getattr(old, k) for k in di.EDITABLE_FIELDS}),
                           None)


def _audit_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items() if v not in (None, "", ())}


def published_years_changed_by_item(session: Session, old: ItemRecord | None,
                                    new_values: Mapping[str, Any] | None) -> list[int]:
    """Published years whose section 二 a change of one item (``old`` →
    ``new_values``; None when added or deleted) would alter: the hook for
    the published-year lock (refuse or warn before saving)."""
    years = session.store.report.published_years()
    if not years:
        return []

    def as_item(values: Mapping[str, Any] | None) -> list[pr.Item]:
        if values is None:
            return []
        clean, _errors = di.clean_item(values, may_make_rules=True)
        record = ItemRecord(id=0, **{k: clean[k] for k in di.EDITABLE_FIELDS})
        return [di.rule_item(record)] if record.kind in ("rule", "normative") else []

    before = as_item({k: getattr(old, k) for k in di.EDITABLE_FIELDS} if old else None)
    after = as_item(new_values)
    return [y for y in years if pr.section2_documents(before, y) != pr.section2_documents(after, y)]


# --- the register's list -------------------------------------------------------------------------


def list_items(session: Session, flt: ItemFilter | None = None, *, today: _dt.date | None = None,
               sort: str = "published_on", descending: bool = True, offset: int = 0,
               limit: int = 200) -> list[ItemRecord]:
    """One page of the register, filtered and sorted in SQL."""
    today = today or _dt.date.today()
    store = session.store
    return store.items.page(flt or ItemFilter(), today, soon_until(store, today), sort=sort,
                            descending=descending, offset=offset, limit=limit)


def count(session: Session, flt: ItemFilter | None = None, *, today: _dt.date | None = None) -> int:
    today = today or _dt.date.today()
    store = session.store
    return store.items.count(flt or ItemFilter(), today, soon_until(store, today))


@dataclass(frozen=True)
class DashboardCounts:
    due_soon: int
    overdue: int
    late_this_year: int


def dashboard_counts(session: Session, today: _dt.date | None = None) -> DashboardCounts:
    today = today or _dt.date.today()
    return DashboardCounts(count(session, ItemFilter(state="due_soon"), today=today),
                           count(session, ItemFilter(state="overdue"), today=today),
                           count(session, ItemFilter(state="late", year=today.year), today=today))


def due_between(session: Session, start: _dt.date, end: _dt.date) -> list[ItemRecord]:
    """Unpublished proactive items due from ``start`` to ``end`` (the month calendar)."""
    return session.store.items.due_between(start.isoformat(), end.isoformat())


def due_in_month(session: Session, year: int, month: int) -> list[ItemRecord]:
    start = _dt.date(year, month, 1)
    end = (start + _dt.timedelta(days=32)).replace(day=1) - _dt.timedelta(days=1)
    return due_between(session, start, end)


def late_items(session: Session, year: int | None = None, *, today: _dt.date | None = None,
               ) -> list[tuple[ItemRecord, pr.ItemDeadline]]:
    """Items published late (in ``year``) and items overdue now, with
    their deadlines, oldest due date first."""
    today = today or _dt.date.today()
    store = session.store
    records = store.items.page(ItemFilter(state="late", year=year), today, soon_until(store, today),
                               sort="due_date", descending=False, limit=1_000_000)
    if year is None or year == today.year:
        records += store.items.page(ItemFilter(state="overdue"), today, soon_until(store, today),
                                    sort="due_date", descending=False, limit=1_000_000)
    calendar = store.calendar.load()
    return [(r, _deadline(store, r, today, calendar)) for r in records]


# --- section 二 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section2:
    """Section 二 of one year: the value of each field (None: never
    entered), the items behind each computed cell, and the source of each
    typed one."""

    year: int
    values: dict[str, Any]
    members: dict[str, tuple[int, ...]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    rules_allowed: bool = False

    def computed(self, code: str) -> bool:
        return code in self.members


def section2(session: Session, year: int) -> Section2:
    """Section 二 of ``year``: 第二十条第（一）项 counted from the documents'
    life dates (规章 only where the agency may make rules), the decision
    counts and fees summed from the figures typed per month or per year;
    a document count typed before the upgrade stays in force for its year."""
    from decimal import Decimal

    from ..domain import report_model as rm
    from ..domain import report_stats as rs

    store = session.store
    _start, end = rs.year_bounds(year)
    docs = [pr.Item(id=r[0], title="", kind=pr.DocKind(r[1]), issued_on=_d(r[2]), formed_on=_d(r[3]),
                    repealed_on=_d(r[4]), expires_on=_d(r[5])) for r in store.items.document_rows(end)]
    counted = pr.section2_documents(docs, year)
    rules = may_make_rules(session)
    values: dict[str, Any] = {}
    members: dict[str, tuple[int, ...]] = {}
    for prefix, counts in (("regulations", counted.rules), ("normative", counted.normative)):
        for cell in ("issued", "repealed", "in_force"):
            ids = getattr(counts, cell) if (rules or prefix == "normative") else ()
            values[f"{prefix}_{cell}"] = len(ids)
            members[f"{prefix}_{cell}"] = ids
    typed: dict[str, list[tuple[int | None, float, str]]] = {}
    for month, code, value, source in store.items.figures(year):
        typed.setdefault(code, []).append((month, value, source))
    sources: dict[str, str] = {}
    for code in rs.SECTION2_FIELDS:
        rows = typed.get(code)
        if not rows:
            if code in FIGURE_FIELDS:
                values[code] = None
            continue
        srcs = list(dict.fromkeys(s for _m, _v, s in rows if s))
        months = sorted(m for m, _v, _s in rows if m)
        where = f"（{len(months)}个月）" if months else ""
        sources[code] = "、".join(srcs) + where
        if code in rs.SECTION2_AMOUNT_FIELDS:
            values[code] = float(rm.format_amount(sum(Decimal(str(v)) for _m, v, _s in rows)))
        else:
            values[code] = int(sum(v for _m, v, _s in rows))
        members.pop(code, None)
    return Section2(year, values, members, sources, rules)


def _d(value: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if value else None


def items_in_cell(session: Session, year: int, code: str) -> list[ItemRecord]:
    """The items counted in one computed cell of section 二 (drill-down)."""
    s2 = section2(session, year)
    return session.store.items.by_ids(s2.members.get(code, ()))


@dataclass(frozen=True)
class Figure:
    year: int
    month: int | None
    field: str
    value: float
    source: str


def figures(session: Session, year: int) -> list[Figure]:
    return [Figure(year, m, f, v, s) for m, f, v, s in session.store.items.figures(year)]


def save_figure(session: Session, year: int, month: int | None, code: str, value: Any, source: str) -> None:
    """Enter one figure from another system (行政许可 decisions of March,
    the year's fees…) with its source; a blank value removes it.  A
    field is kept either per month or per year, never both (counted twice).
    A document count (第二十条第（一）项) may only be entered for a whole
    year: it then replaces the register's count for that year."""
    from ..domain import report_model as rm
    from ..domain import report_stats as rs

    if code not in rs.SECTION2_FIELDS:
        raise ValidationError({"field": f"第二部分没有“{code}”这一项。"})
    label = "·".join(rs.SECTION2_FIELDS[code])
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年份无效。"})
    if month is not None and not 1 <= int(month) <= 12:
        raise ValidationError({"month": "月份应为1至12。"})
    if month is not None and code not in FIGURE_FIELDS:
        raise ValidationError({"month": f"“{label}”由主动公开目录按年统计，不能按月填写。"})
    store = session.store
    if value is None or (isinstance(value, str) and not value.strip()):
        with store.transaction():
            if any(m == month and f == code for m, f, _v, _s in store.items.figures(year)):
                require_unlocked(store, [int(year)], "修改第二部分的数字")
            if store.items.delete_figure(year, month, code):
                store.audit.record("report_figure", f"{year}-{month or 0}-{code}", "purge", {code: label}, None)
        return
    errors = rm.validate_section2({code: value})
    if errors:
        raise ValidationError(errors)
    number: float | int | None = (rm.parse_amount(value) if code in rs.SECTION2_AMOUNT_FIELDS
                                  else int(str(value).strip()))
    assert number is not None  # blank values were handled above
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": f"请写明“{label}”数字的来源（如“市政务服务平台统计”）。"})
    existing = [m for m, f, _v, _s in store.items.figures(year) if f == code]
    if month is None and any(m is not None for m in existing):
        raise ValidationError({"month": f"{year}年的“{label}”已按月填写，不能再填全年数（会重复计算）。"
                                        "请删除各月的数字，或继续按月填写。"})
    if month is not None and None in existing:
        raise ValidationError({"month": f"{year}年的“{label}”已填写全年数，不能再按月填写（会重复计算）。"
                                        "请先删除全年数。"})
    with store.transaction():
        before = [(v, s) for m, f, v, s in store.items.figures(year) if m == month and f == code]
        if before == [(float(number), source)]:
            return  # saved again unchanged: nothing to write, nothing to audit
        if [v for v, _s in before] != [float(number)]:
            # the figure itself changes (a new source alone alters no published figure)
            require_unlocked(store, [int(year)], "修改第二部分的数字")
        store.items.put_figure(year, month, code, float(number), source, now_iso())
        store.audit.record("report_figure", f"{year}-{month or 0}-{code}", "update", None,
                           {"field": label, "value": number, "source": source})


def figure_changes(session: Session, year: int,
                   entries: Iterable[tuple[int | None, str, Any]]) -> list[tuple[int | None, str]]:
    """The (month, code) of those ``entries`` — (month, code, value) as
    :func:`save_figure` takes them — that would change a stored figure:
    a new or different number, or a blank where a figure is kept.  A value
    that does not validate is left out (saving it is refused anyway), and
    so is a changed source alone.  The dialogs ask to unlock a published
    year only when this is not empty."""
    from ..domain import report_model as rm
    from ..domain import report_stats as rs

    stored = {(m, f): v for m, f, v, _s in session.store.items.figures(year)}
    changed: list[tuple[int | None, str]] = []
    for month, code, value in entries:
        key = (month, code)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in stored:
                changed.append(key)
            continue
        if code not in rs.SECTION2_FIELDS or rm.validate_section2({code: value}):
            continue
        number = rm.parse_amount(value) if code in rs.SECTION2_AMOUNT_FIELDS else int(str(value).strip())
        if number is None or stored.get(key) != float(number):
            changed.append(key)
    return changed


def import_figures(session: Session, path: str | os.PathLike[str], *, check_only: bool = False,
                   default_source: str = "") -> int:
    """Enter the section 二 figures of a spreadsheet (one row per month or
    per year: 年份, 月份, 行政许可, 行政处罚, 行政强制, 收费金额, 来源), all or
    nothing; returns how many figures were (or would be) entered."""
    from ..domain import report_stats as rs
    from ..ledger.figures import read_figures

    rows = read_figures(path)
    problems: list[str] = []
    planned: list[tuple[int, int | None, str, Any, str]] = []
    for row in rows:
        place = f"第{row.number}行"
        problems += [f"{place}：{m}" for m in row.problems]
        try:
            year = int(str(row.year).replace("年", "").strip())
        except (TypeError, ValueError):
            problems.append(f"{place}：年份“{row.year or ''}”无效。")
            continue
        month_text = str(row.month or "").replace("月", "").strip()
        month: int | None = None
        if month_text and month_text not in ("全年", "合计"):
            month = int(month_text) if month_text.isdigit() else 0
            if not 1 <= month <= 12:
                problems.append(f"{place}：月份“{row.month}”无效，应为1至12，整年的留空或写“全年”。")
                continue
        for code, value in row.values.items():
            planned.append((year, month, code, value, row.source or default_source))
    if problems:
        raise CatalogueImportError(problems, len(rows), "表格")
    store = session.store
    try:
        with store.transaction():
            for year, month, code, value, source in planned:
                try:
                    save_figure(session, year, month, code, value, source)
                except ValidationError as exc:
                    label = rs.SECTION2_FIELDS[code][0]
                    raise CatalogueImportError(
                        [f"{year}年{f'{month}月' if month else '全年'}{label}：{m}" for m in exc.errors.values()],
                        len(rows), "表格") from None
            if check_only:
                raise _CheckOnly()
    except _CheckOnly:
        pass
    return len(planned)


class _CheckOnly(Exception):
    """Rolls a checked import back."""


# --- the report's words ----------------------------------------------------------------------------


def facts(session: Session, year: int, today: _dt.date | None = None) -> ProactiveFacts:
    from ..domain import report_stats as rs

    today = today or _dt.date.today()
    start, end = rs.year_bounds(year)
    rows = session.store.items.published_in(start, end)
    channels: Counter[str] = Counter()
    art20: Counter[int] = Counter()
    late_days = []
    interp_late = 0
    kinds: Counter[str] = Counter()
    for _id, kind, a20, chans, late in rows:
        kinds[kind] += 1
        if late and kind == "interpretation":
            interp_late += 1
        for c in (chans or "").split(","):
            if c:
                channels[c] += 1
        if a20:
            art20[a20] += 1
        if late:
            late_days.append(late)
    overdue = count(session, ItemFilter(state="overdue"), today=today) if year == today.year else 0
    return ProactiveFacts(len(rows), dict(channels), dict(art20), kinds["interpretation"],
                          kinds["rule"] + kinds["normative"], len(late_days), max(late_days, default=0),
                          sum(late_days), overdue, interp_late)


# --- the catalogue -------------------------------------------------------------------------------


class CatalogueImportError(ServiceError):
    """Rows of a catalogue that cannot be imported; nothing was written."""

    def __init__(self, problems: list[str], total: int, what: str = "目录"):
        self.problems = problems
        self.total = total
        shown = problems[:20]
        more = f"\n……另有{len(problems) - 20}处问题" if len(problems) > 20 else ""
        super().__init__(f"{what}共{total}行，其中{len(problems)}处有问题，整个文件没有导入（现有数据未改动）。"
                         "请改正后重新导入：\n" + "\n".join(shown) + more)


@dataclass
class CatalogueSummary:
    total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    checked_only: bool = False

    @property
    def text(self) -> str:
        verb = "检查通过，可以导入" if self.checked_only else "已导入"
        return (f"{verb}：共{self.total}行，新增{self.added}条，更新{self.updated}条，"
                f"{self.unchanged}条与目录中已有的相同。")


Planned = tuple[int | None, dict[str, Any], int]  # (item to update or None, clean values, row number)


def import_catalogue(session: Session, path: str | os.PathLike[str], *, check_only: bool = False,
                     today: _dt.date | None = None, backup: bool = True,
                     mapping: Mapping[str, str] | None = None) -> CatalogueSummary:
    """Import an agency's catalogue (Excel or CSV, its own headers and
    索引号) all or nothing: every row is checked first with the same rules
    as the item form; a row whose 索引号 (or, without one, 名称 + 文号 +
    公开日期) is already registered updates that item; importing the same
    file again changes nothing."""
    today = today or _dt.date.today()
    store = session.store
    from ..ledger import catalogue as cat

    catalogue = cat.read_catalogue(path, dict(mapping or {}))
    summary = CatalogueSummary(total=len(catalogue.rows), notes=list(catalogue.notes), checked_only=check_only)
    plan = _plan_catalogue(session, catalogue, summary, today)
    _note_published_years(session, plan, summary)
    if check_only or not plan:
        return summary
    if backup:
        try:
            store.backup("pre-import")
        except BackupError as exc:
            raise LedgerFileError(f"导入前备份失败：{exc} 为保护现有数据，本次没有导入。") from None
    _write_catalogue(session, plan, Path(path).name, today)
    return summary


def _plan_catalogue(session: Session, catalogue: cat.Catalogue, summary: CatalogueSummary,
                    today: _dt.date) -> list[Planned]:
    """Every row checked and matched to the register; raises
    :class:`CatalogueImportError` listing every bad row."""
    store = session.store
    rules = may_make_rules(session)
    problems: list[str] = []
    plan: list[Planned] = []
    seen: dict[str, int] = {}
    defaulted_channel = 0
    # a row without 索引号 is the item of the same 名称, 文号 and 公开日期 (numbered at its first import)
    existing_keys = {(r.title, r.doc_number or "", r.published_on or ""): r for r in store.items.all()
                     } if any(not row.values.get("index_no") for row in catalogue.rows) else {}
    for row in catalogue.rows:
        place = f"第{row.number}行"
        if row.problems:
            problems += [f"{place}：{m}" for m in row.problems.values()]
            continue
        values = dict(row.values)
        index_no = values.get("index_no")
        current = store.items.by_index_no(index_no) if index_no else None
        if index_no:
            if index_no in seen:
                problems.append(f"{place}：索引号“{index_no}”与第{seen[index_no]}行重复。")
                continue
            seen[index_no] = row.number
        if current is None and not index_no:
            current = existing_keys.get((values.get("title") or "", values.get("doc_number") or "",
                                         values.get("published_on") or ""))
        if current is not None:
            merged = {k: getattr(current, k) for k in di.EDITABLE_FIELDS}
            merged.update({k: v for k, v in values.items() if k in di.EDITABLE_FIELDS and k != "index_no"})
            values = merged
        if values.get("published_on") and not values.get("channels") \
                and (values.get("attribute") or "proactive") in ("proactive", "主动公开"):
            values["channels"] = ("website",)  # a catalogue lists what the website publishes
            defaulted_channel += 1
        clean, errors = di.clean_item(values, may_make_rules=rules or (current is not None and current.kind == "rule"),
                                      today=today)
        if clean["kind"] == "interpretation":
            errors.pop("interpretation_of", None)  # the catalogue does not link; the clerk links in the form
            clean["kind"] = "interpretation" if clean["interpretation_of"] else "other"
        if errors:
            problems += [f"{place}：{m}" for m in errors.values()]
        elif current is None:
            plan.append((None, clean, row.number))
        elif any(getattr(current, k) != clean[k] for k in di.EDITABLE_FIELDS):
            plan.append((current.id, clean, row.number))
        else:
            summary.unchanged += 1
    if problems:
        raise CatalogueImportError(problems, len(catalogue.rows))
    if defaulted_channel:
        summary.notes.append(f"{defaulted_channel}条已公开的信息没有写公开渠道，按“政府网站”导入。")
    summary.added = sum(1 for i, _c, _n in plan if i is None)
    summary.updated = len(plan) - summary.added
    return plan


def _note_published_years(session: Session, plan: list[Planned], summary: CatalogueSummary) -> None:
    store = session.store
    touched_years: set[int] = set()
    if store.report.published_years():
        for item_id, clean, _n in plan:
            old = store.items.get(item_id) if item_id is not None else None
            if clean["kind"] in ("rule", "normative") or (old is not None and old.kind in ("rule", "normative")):
                touched_years.update(published_years_changed_by_item(session, old, clean))
    if touched_years:
        years = "、".join(f"{y}年" for y in sorted(touched_years))
        summary.notes.append(f"此次导入会改变已发布的{years}年度报告第二部分的数字，请核对是否需要更正已发布的报告。")


def _write_catalogue(session: Session, plan: list[Planned], source: str, today: _dt.date) -> None:
    """The planned rows in one transaction, each audited, due dates computed."""
    store = session.store
    pattern = index_pattern(session)
    stamp = now_iso()
    touched: list[int] = []
    with store.transaction():
        for item_id, clean, _n in plan:
            if item_id is None:
                if not clean["index_no"]:
                    clean["index_no"] = _auto_index(store, pattern, clean, today)
                new_id = store.items.insert(clean | {"source": source}, stamp)
                store.audit.record("item", new_id, "create", None, _audit_values(clean) | {"imported_from": source})
                touched.append(new_id)
            else:
                store.items.update(item_id, clean, stamp)
                store.audit.record("item", item_id, "update", None, _audit_values(clean) | {"imported_from": source})
                touched.append(item_id)
        recompute(store, touched)


def export_catalogue(session: Session, path: str | os.PathLike[str], flt: ItemFilter | None = None, *,
                     today: _dt.date | None = None) -> int:
    """Write 政府信息公开目录 (索引、名称、内容概述、生成日期 and the rest) as
    XLSX or CSV (re-imports unchanged) or PDF; returns the rows written."""
    today = today or _dt.date.today()
    store = session.store
    if flt is None:
        records = store.items.all()
    else:
        records = store.items.page(flt, today, soon_until(store, today), sort="index_no", descending=False,
                                   limit=10_000_000)
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from ..documents.catalogue_pdf import write_catalogue_pdf
        from .settings import get_settings

        proactive = sorted((r for r in records if r.attribute == "proactive"),
                           key=lambda r: (r.published_on or r.formed_on or "", serials.natural_key(r.index_no)))
        write_catalogue_pdf(proactive, path, agency=setting(session, "agency_name") or "",
                            settings=dict(get_settings(session)), today=today)
        return len(proactive)
    from ..ledger import catalogue as cat

    return cat.write_catalogue(records, path, today=today)


# --- the guide -------------------------------------------------------------------------------------


def default_guide(session: Session) -> str:
    agency = setting(session, "agency_name") or "本机关"
    office = setting(session, "disclosure_office") or "政府信息公开工作机构"
    address = setting(session, "agency_address") or "【请补充：办公地址】"
    phone = setting(session, "agency_phone") or "【请补充：联系电话】"
    postcode = setting(session, "agency_postcode") or "【请补充：邮政编码】"
    return "\n".join([
        f"{agency}政府信息公开指南",
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），编制本指南。",
        "一、主动公开",
        f"（一）公开的主要内容。{agency}按照《条例》第十九条、第二十条的规定，主动公开机关职能、"
        "规范性文件、规划计划、行政许可和行政处罚、财政预决算等政府信息，具体见政府信息公开目录。",
        "（二）公开的方式和时限。主动公开的政府信息通过门户网站政府信息公开专栏、政府公报、政务新媒体、"
        "公开查阅点等途径公开。属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内予以公开。",
        "二、依申请公开",
        f"（一）受理机构。名称：{office}；办公地址：{address}；邮政编码：{postcode}；联系电话：{phone}。",
        "（二）申请方式。申请人可以通过当面、邮寄、传真、网上申请等方式提出申请，并填写《政府信息公开申请表》。",
        "（三）答复期限。能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日。",
        "（四）收费。行政机关依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、频次明显超过合理范围的，"
        "可以按照《政府信息公开信息处理费管理办法》收取信息处理费。",
        "三、监督和救济",
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
        "政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
    ])


def guide_text(session: Session) -> str:
    """The 政府信息公开指南 as saved, or a first draft with the office's details."""
    return setting(session, di.SETTING_GUIDE) or default_guide(session)


def print_guide(session: Session, text: str, path: str | os.PathLike[str]) -> None:
    """The guide (as given, e.g. still being edited) as a PDF at ``path``."""
    from ..documents.catalogue_pdf import write_guide_pdf
    from .settings import get_settings

    write_guide_pdf(text or guide_text(session), path, agency=setting(session, "agency_name") or "",
                    settings=dict(get_settings(session)))


def save_guide(session: Session, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"guide": "指南不能为空。"})
    if len(text) > 50_000:
        raise ValidationError({"guide": "指南过长（最多5万字）。"})
    update_settings(session, {di.SETTING_GUIDE: text})
