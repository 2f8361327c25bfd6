"""The annual report (政府信息公开工作年度报告): the figures of one year
from the register, the drill-down behind every cell, the proactive
figures and narrative texts the clerk enters, the check before export,
the year lock (published snapshots) and the export itself.

A second register (proactive disclosure items) plugs in here: section 二
is read by :func:`get_section2`, today from the figures typed per year.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import APP_NAME, __version__
from ..documents.report_export import EXPORT_FORMATS, ExportError, combine_files, export_report
from ..domain import report_model as rm
from ..domain import report_stats as rs
from ..domain.records import Application
from ..domain.report_cases import clean_case
from ..domain.report_checks import WARNING, Issue, check_report
from ..domain.report_narrative import DraftFacts, draft_texts
from ..storage.store import Store
from . import items
from .errors import NotFoundError, ValidationError
from .session import Session, now_iso
from .settings import get_settings, setting, update_settings
from .year_lock import lock_year, require_unlocked

__all__ = [
    "EXPORT_FORMATS", "ExportError", "Placement", "applications_in_cell", "build_document", "check",
    "combine_files", "compare_documents", "differences", "drafts", "export", "get_section2", "get_texts",
    "manual_carry_forward", "placements", "publish", "published", "published_warning", "published_years",
    "published_years_touched", "save_manual_carry_forward", "save_section2", "save_text", "section2_changes", "section3",
    "section4", "text_changed", "unpublish",
]

SECTION2_CODES = list(rs.SECTION2_FIELDS)
MANUAL_CARRY_KEY = "report_manual_carry_forward"


@dataclass(frozen=True)
class Placement:
    """Where an application counts in one year's report, in words."""

    year: int
    text: str
    published: bool


@dataclass(frozen=True)
class Published:
    """A published (locked) year: when, and the document as published."""

    published_at: str
    document: dict[str, Any]


# --- section 三 -------------------------------------------------------------------------


def section3(session: Session, year: int) -> rs.Section3:
    placed, flags = _placements(session, year)
    return rs.count_section3(placed, flags, year)


def _placements(session: Session, year: int) -> tuple[rs.PlacedYear, dict[str, list[int]]]:
    """Where each application counts in ``year``'s section 三 (in receipt
    order), read and placed once and kept until the register changes: the
    table and the list behind each of its cells (the drill-down) share it."""
    from .backups import change_mark

    store = session.store
    mark = change_mark(session)
    cache: dict[int, tuple[tuple[int, int], Any]] = getattr(store, "_section3_placements", None) or {}
    hit = cache.get(year)
    if hit is not None and hit[0] == mark:
        result: tuple[rs.PlacedYear, dict[str, list[int]]] = hit[1]
        return result
    result = rs.place_packed(store.report.section3_rows(year), year)
    if store.db.conn.in_transaction:  # (what a transaction read may yet be rolled back)
        return result
    cache = {y: v for y, v in cache.items() if v[0] == mark and y != year}
    if len(cache) >= 2:  # (the years last looked at; a year is about 0.5 MB at 100,000 applications)
        cache.pop(next(iter(cache)))
    cache[year] = (mark, result)
    store._section3_placements = cache  # type: ignore[attr-defined]  # kept with its register
    return result


def application_ids_in_cell(session: Session, year: int, row_key: str, column: str = "total") -> list[int]:
    """The ids of the applications counted in one cell of section 三, in
    receipt order (as :func:`applications_in_cell` lists them), without
    reading the applications: a drill-down list reads them as they are shown."""
    return rs.placed_in_cell(_placements(session, year)[0], row_key, column)


def applications_in_cell(session: Session, year: int, row_key: str, column: str = "total") -> list[Application]:
    """The applications counted in one cell of section 三 (drill-down), in receipt order."""
    ids = application_ids_in_cell(session, year, row_key, column)
    found = {a.id: a for a in session.store.applications.by_ids(ids)}
    return [found[i] for i in ids if i in found]


def placements(session: Session, app_id: int, *, until: int | None = None) -> list[Placement]:
    """Every year's report an application is counted in, from its receipt
    year to the year it was closed (or ``until``, default this year)."""
    app = session.store.applications.get(app_id)
    if app is None:
        raise NotFoundError(f"找不到编号为 {app_id} 的申请，可能已被删除。")
    if app.deleted_at or not app.receipt_date:
        return []
    row = rs.as_row(app)
    assert row is not None  # an application is always a row
    first = int(app.receipt_date[:4])
    last = until or _dt.date.today().year
    if app.reply_date and app.outcome:
        last = min(last, int(app.reply_date[:4]))
    frozen = set(published_years(session))
    out = []
    for year in range(first, max(first, last) + 1):
        text = rs.describe_placement(row, year)
        if text:
            out.append(Placement(year, text, year in frozen))
    return out


# --- section 四 (the cases register is services.cases) ------------------------------------------


def section4(session: Session, year: int) -> rs.Section4:
    _start, end = rs.year_bounds(year)
    return rs.compute_section4(session.store.cases.report_rows(end), year)


# --- section 二 ------------------------------------------------------------------------------


def get_section2(session: Session, year: int) -> dict[str, Any]:
    """Section 二 of ``year`` (None for fields never entered): the document
    counts from the proactive register, the rest from the typed figures
    (see :func:`services.items.section2`)."""
    return items.section2(session, year).values


#: The source recorded for figures entered in the report's section 二 form.
SECTION2_FORM_SOURCE = "年度报告第二部分录入"


def save_section2(session: Session, year: int, values: Mapping[str, Any],
                  source: str = SECTION2_FORM_SOURCE) -> None:
    """Enter whole-year figures of section 二 (the codes given; a blank
    value removes the typed figure, so a document count falls back to the
    register's).  A field kept per month is left as it is unless given."""
    errors = rm.validate_section2(dict(values))
    if errors:
        raise ValidationError(errors)
    store = session.store
    typed = {(f, m) for m, f, _v, _s in store.items.figures(year)}
    changed = set(section2_changes(session, year, values))
    with store.transaction():
        for code in SECTION2_CODES:
            if code not in values or code not in changed:
                continue  # an unchanged figure keeps its source (the form shows no source)
            v = values.get(code)
            blank = v is None or (isinstance(v, str) and not v.strip())
            monthly = any(f == code and m is not None for f, m in typed)
            if monthly:
                continue  # kept per month (items.save_figure): the form shows the sum, read-only
            current = [f for f, m in typed if f == code]
            if blank and not current:
                continue
            items.save_figure(session, year, None, code, v, source)


def section2_changes(session: Session, year: int, values: Mapping[str, Any]) -> list[str]:
    """The codes among ``values`` whose saving by :func:`save_section2`
    would change a figure of ``year`` (the report page asks to unlock a
    published year only then; saving unchanged figures does nothing)."""
    typed = {(f, m) for m, f, _v, _s in session.store.items.figures(year)}
    entries = [(None, code, values.get(code)) for code in SECTION2_CODES
               if code in values and not any(f == code and m is not None for f, m in typed)]
    return [code for _m, code in items.figure_changes(session, year, entries)]


def text_changed(session: Session, year: int, section: str, text: str) -> bool:
    """Whether saving ``text`` as ``section`` of ``year`` would change it."""
    return (session.store.report.texts(year).get(section) or "") != (text or "")


# --- narrative texts ---------------------------------------------------------------------------


def get_texts(session: Session, year: int) -> dict[str, str]:
    """Saved narrative texts of ``year`` (only the parts ever saved)."""
    return session.store.report.texts(year)


def save_text(session: Session, year: int, section: str, text: str) -> None:
    if section not in rm.NARRATIVE_KEYS:
        raise ValueError(section)
    store = session.store
    with store.transaction():
        old = store.report.texts(year).get(section)
        if (old or "") != (text or ""):
            require_unlocked(store, [year], "修改报告的文字")
            store.audit.record("report_text", f"{year}:{section}", "update", {section: old}, {section: text or ""})
        store.report.save_text(year, section, text or "", now_iso())


def _amount(data: Mapping[str, Any]) -> float:
    for key in ("amount", "amount_yuan", "fee", "fee_amount"):
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str) and value.strip():
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 0.0


def fee_facts(store: Store, year: int) -> tuple[int, float, float]:
    """(收费通知 issued in ``year``, their total in 元, 信息处理费 received
    in ``year`` in 元), from the ``fee_notice`` and ``fee_paid`` events."""
    start, end = rs.year_bounds(year)
    notices, noticed, collected = 0, 0.0, 0.0
    for event in store.events.of_kinds_between(("fee_notice", "fee_paid"), start, end):
        if event.kind == "fee_notice":
            notices += 1
            noticed += _amount(event.data)
        else:
            collected += _amount(event.data)
    return notices, noticed, collected


def previous_year_complete(session: Session, year: int) -> bool:
    """Whether the register plausibly holds the whole of ``year - 1``: that
    year's report was published from it, or its first application was
    received by January 31 of that year."""
    if published(session, year - 1) is not None:
        return True
    first = session.store.applications.first_receipt_date()
    return bool(first) and str(first) <= f"{year - 1}-01-31"


def draft_facts(session: Session, year: int, s3: rs.Section3 | None = None) -> DraftFacts:
    settings = get_settings(session)
    notices, noticed, collected = fee_facts(session.store, year)
    return DraftFacts(
        year=year, agency=settings.get("agency_name") or "",
        section3=s3 or section3(session, year),
        previous=section3(session, year - 1),
        previous_complete=previous_year_complete(session, year),
        section4=section4(session, year),
        section2=get_section2(session, year),
        fee_notices=notices, fees_noticed_yuan=noticed, fees_collected_yuan=collected,
        office=settings.get("disclosure_office") or "",
        address=settings.get("agency_address") or "",
        phone=settings.get("agency_phone") or "",
        postcode=settings.get("agency_postcode") or "",
        proactive=items.facts(session, year) if session.store.items.count_all() else None,
    )


def drafts(session: Session, year: int, s3: rs.Section3 | None = None) -> dict[str, str]:
    """Drafts of the narrative parts written from the year's figures."""
    return draft_texts(draft_facts(session, year, s3))


# --- the whole document ---------------------------------------------------------------------


def build_document(session: Session, year: int, *, s3: rs.Section3 | None = None,
                   use_drafts: bool = True) -> dict[str, Any]:
    """The report of ``year`` as computed now.  Narrative parts never
    saved are filled with the app's drafts when ``use_drafts``."""
    s3 = s3 or section3(session, year)
    texts = get_texts(session, year)
    if use_drafts and any(k not in texts for k in rm.NARRATIVE_KEYS):
        generated = drafts(session, year, s3)
        texts = {k: texts.get(k, generated[k]) for k in rm.NARRATIVE_KEYS}
    s2 = items.section2(session, year)
    document = rm.build_document(
        year=year, agency=setting(session, "agency_name") or "",
        section2=s2.values, section3=s3, section4=section4(session, year),
        texts=texts, generated_at=now_iso(), generator=f"{APP_NAME} {__version__}")
    if session.store.items.count_all():  # an agency keeping the proactive register
        document["section2_detail"] = section2_detail(session, s2)
    return document


def section2_detail(session: Session, s2: items.Section2) -> list[dict[str, Any]]:
    """What stands behind each figure of section 二 (the exports' drill-down):
    the documents counted from the register, or the source of a typed figure."""
    out: list[dict[str, Any]] = []
    for code, (label, column) in rs.SECTION2_FIELDS.items():
        entry: dict[str, Any] = {"field": code, "label": label, "column": column, "value": s2.values.get(code)}
        if s2.computed(code):
            entry["source"] = "主动公开目录统计"
            entry["items"] = [[r.index_no or "", r.title, r.doc_number or "", r.issued_on or r.formed_on or "",
                               r.repealed_on or ""] for r in session.store.items.by_ids(s2.members[code])]
        else:
            entry["source"] = s2.sources.get(code, "")
            entry["items"] = []
        out.append(entry)
    return out


def export(document: dict[str, Any], path: str | os.PathLike[str],
           settings: Mapping[str, Any] | None = None) -> str | None:
    """Write the report in the format of ``path``'s extension (PDF, DOCX,
    XLSX, JSON) with the fonts of ``settings`` (``get_settings``; none: the
    defaults, e.g. for a combined report); returns a warning for the
    clerk, or None.  Touches no register: safe in a worker thread."""
    return export_report(document, path, dict(settings) if settings is not None else None)


# --- year lock --------------------------------------------------------------------------------


def published(session: Session, year: int) -> Published | None:
    """The published snapshot of ``year``."""
    snap = session.store.report.snapshot(year)
    return Published(*snap) if snap else None


def published_years(session: Session) -> list[int]:
    return session.store.report.published_years()


def publish(session: Session, year: int, document: dict[str, Any] | None = None) -> Published:
    """Freeze ``year``'s figures as published (replacing an earlier snapshot)."""
    document = document or build_document(session, year)
    stamp = now_iso()
    with session.store.transaction():
        session.store.report.save_snapshot(year, stamp, rm.to_json(document))
        lock_year(session.store, year, "publish")
    return Published(stamp, document)


def unpublish(session: Session, year: int) -> None:
    with session.store.transaction():
        had = session.store.report.snapshot(year)
        session.store.report.delete_snapshot(year)
        lock_year(session.store, year, "lock")
        if had:
            session.store.audit.record("report_year", year, "unpublish", {"published_at": had[0]}, None)


def manual_carry_forward(session: Session, year: int) -> dict[str, int] | None:
    """四、结转下年度继续办理 of ``year`` as printed in a report typed by
    hand before the agency used this app (column label → number), or None."""
    stored = setting(session, MANUAL_CARRY_KEY) or {}
    values = stored.get(str(year)) if isinstance(stored, dict) else None
    return dict(values) if values else None


def save_manual_carry_forward(session: Session, year: int, values: Mapping[str, int] | None) -> None:
    """Record (or with None forget) the carry-forward row of a hand-typed
    report of ``year``; the check of ``year + 1`` compares 上年结转 with it."""
    clean: dict[str, int] | None = None
    if values is not None:
        bad = [c for c in rm.SECTION3_VALUE_KEYS
               if not isinstance(values.get(c), int) or isinstance(values.get(c), bool) or values[c] < 0]
        if bad:
            raise ValidationError({"carry_forward": f"请为{'、'.join(bad)}填写不小于0的整数。"})
        clean = {c: values[c] for c in rm.SECTION3_VALUE_KEYS}
    stored = setting(session, MANUAL_CARRY_KEY) or {}
    stored = dict(stored) if isinstance(stored, dict) else {}
    if clean is None:
        stored.pop(str(year), None)
    else:
        stored[str(year)] = clean
    update_settings(session, {MANUAL_CARRY_KEY: stored})


_SECTION_NAMES = {"section2": "二", "section3": "三", "section4": "四"}


def compare_documents(published_doc: Mapping[str, Any], current: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every figure of sections 二–四 that differs between two documents."""
    out = []
    for key, name in _SECTION_NAMES.items():
        for old_row, new_row in zip(published_doc.get(key, []), current[key]):
            for column, new in new_row["values"].items():
                old = old_row.get("values", {}).get(column)
                if old != new:
                    label = new_row["label"]
                    if key == "section4":
                        label = f"{new_row.get('group', '')}·{label}" if new_row.get("group") != label else label
                    out.append({"section": name, "label": label, "column": column,
                                "published": old, "current": new})
    return out


def differences(session: Session, year: int, document: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Figures of ``year`` that now differ from the published ones
    (empty when the year is not published or nothing changed)."""
    snap = published(session, year)
    if snap is None:
        return []
    return compare_documents(snap.document, document or build_document(session, year))


def _report_row(record: Application | Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    if record is None:
        return None
    if isinstance(record, Mapping):
        values = dict(record)
        if values.get("deleted_at"):
            return None
    elif record.deleted_at:
        return None  # in the recycle bin: not counted anywhere
    t = rs.as_row(record)
    if t is None:
        return None
    # a form may hand over dates as date objects and reasons as text
    t = tuple(v.isoformat() if isinstance(v, _dt.date) else v for v in t)
    reason = t[4]
    if isinstance(reason, str) and reason.strip().isdigit():
        t = t[:4] + (int(reason),) + t[5:]
    return t


def years_touched(store: Store, old: Application | Mapping[str, Any] | None,
                  new: Application | Mapping[str, Any] | None) -> list[int]:
    years = store.report.published_years()
    if not years:
        return []
    a, b = _report_row(old), _report_row(new)
    return [y for y in years if rs.touches_year(a, b, y)]


def published_years_touched(session: Session, old: Application | Mapping[str, Any] | None,
                            new: Application | Mapping[str, Any] | None) -> list[int]:
    """Published years whose section 三 figures a change of one application
    (``old`` → ``new``; None when added or deleted; a form's values may be
    given as a mapping) would alter: the forms warn before saving."""
    return years_touched(session.store, old, new)


def published_years_touched_by_case(session: Session, old: Mapping[str, Any] | None,
                                    new: Mapping[str, Any] | None) -> list[int]:
    def row(c: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
        if c is None:
            return None
        cleaned = clean_case(c)
        return tuple(cleaned.get(k) for k in rs.CASE_COLUMNS)

    a, b = row(old), row(new)
    return [y for y in published_years(session) if (a and rs.classify_case(a, y)) != (b and rs.classify_case(b, y))]


def placement_changes(old: Application | Mapping[str, Any] | None, new: Application | Mapping[str, Any] | None,
                      years: Sequence[int]) -> list[str]:
    """One line per year: where the application counts in that year's
    section 三 now, and where it would count after the change."""
    a, b = _report_row(old), _report_row(new)
    lines = []
    for year in years:
        before = rs.describe_placement(a, year) if a is not None else None
        after = rs.describe_placement(b, year) if b is not None else None
        lines.append(f"{year}年：{before or '不计入'}\n　　改为：{after or '不再计入'}")
    return lines


def published_warning(years: Sequence[int]) -> str:
    if not years:
        return ""
    text = "、".join(f"{y}年" for y in years)
    return (f"此修改会改变已发布的{text}政府信息公开工作年度报告中的数字。"
            "修改仍会保存，差异将列在“年度报告”页面的“与已发布数字的差异”中，请核对是否需要更正已发布的报告。")


# --- the pre-export check ----------------------------------------------------------------------


def _previous_carry_forward(session: Session, year: int) -> tuple[dict[str, Any] | None, str]:
    prev_snap = published(session, year - 1)
    if prev_snap is not None:
        rows = {r["label"]: r["values"] for r in prev_snap.document["section3"]}
        return rows.get("四、结转下年度继续办理"), f"已发布的{year - 1}年报告"
    manual = manual_carry_forward(session, year - 1)
    if manual is not None:
        return dict(manual), f"手工录入的{year - 1}年报告"
    return None, ""  # computed from the same register: equal by construction


def check(session: Session, year: int, *, document: dict[str, Any] | None = None,
          s3: rs.Section3 | None = None, today: _dt.date | None = None) -> list[Issue]:
    """What is wrong or missing before the report of ``year`` is exported."""
    s3 = s3 or section3(session, year)
    document = document or build_document(session, year, s3=s3)
    prev_forward, source = _previous_carry_forward(session, year)
    prev2 = get_section2(session, year - 1)
    flagged = [(a.id, a.serial or "") for a in session.store.applications.flagged_in_report_year(year)]
    issues = check_report(
        document=document, section3=s3, previous_carry_forward=prev_forward, previous_source=source,
        previous_section2=prev2 if any(v is not None for v in prev2.values()) else None,
        section2=get_section2(session, year), differences=differences(session, year, document),
        needs_review=flagged, today=today)
    saved = get_texts(session, year)
    for key, title in rm.NARRATIVE_KEYS.items():
        if key not in saved:
            issues.append(Issue(WARNING, f"unsaved_{key}",
                                f"“{title}”尚未编辑保存，导出时使用程序自动生成的草稿。"))
    return issues
