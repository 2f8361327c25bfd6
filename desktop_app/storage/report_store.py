"""Storage of the annual report: the cases register (section 四), the
proactive figures (section 二), the narrative texts and the published
snapshots, and the functions that assemble one year's report document
from the register.  No Qt: the GUI and the CLI both call these."""

from __future__ import annotations

import datetime as _dt
import json

from .. import APP_NAME, __version__
from ..domain import report_model as rm
from ..domain import report_stats as rs
from ..domain.report_cases import CASE_FIELDS, clean_case, validate_case
from ..domain.report_checks import WARNING, Issue, check_report
from ..domain.report_narrative import DraftFacts, draft_texts
from .audit import audit  # data safety: audit trail
from .register import NotFoundError, Register, ValidationError, now_iso

SECTION2_CODES = list(rs.SECTION2_FIELDS)

# --- Section 三 ----------------------------------------------------------------


def _section3_sql(year: int) -> tuple[str, list]:
    start, end = rs.year_bounds(year)
    # Only what the count needs: open or closed-in/after-Y applications
    # received by the end of Y.  "+receipt_date" keeps SQLite on a plain
    # scan, which beats the index when most rows qualify.
    sql = (f"SELECT {', '.join(rs.SECTION3_COLUMNS)} FROM applications "
           "WHERE +deleted_at IS NULL AND +receipt_date <= ? "  # data safety: not the recycle bin
           "AND (reply_date IS NULL OR reply_date >= ? "
           "OR outcome IS NULL OR outcome = '')")
    return sql, [end, start]


def section3_rows(register: Register, year: int) -> list[tuple]:
    sql, params = _section3_sql(year)
    return register.db.execute(sql, params).fetchall()


def section3(register: Register, year: int) -> rs.Section3:
    return rs.compute_section3(section3_rows(register, year), year)


def applications_in_cell(register: Register, year: int, row_key: str,
                         column: str = "total") -> list[dict]:
    """The applications counted in one cell of section 三 (drill-down)."""
    ids = rs.cell_members(section3_rows(register, year), year, row_key, column)
    return applications_by_ids(register, ids)


def applications_by_ids(register: Register, ids: list[int]) -> list[dict]:
    """Short records (for lists) of the given applications, in receipt
    order; one query however many ids."""
    if not ids:
        return []
    cols = ("id, serial, receipt_date, applicant_type, org_kind, applicant_name, "
            "info_description, status, reply_date, outcome, outcome_reason")
    return list(register.iter_applications(
        "id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))], columns=cols,
        order_by="receipt_date, serial"))


def placements(register: Register, app_id: int, *, until: int | None = None) -> list[dict]:
    """Every year's report an application is counted in, in words:
    ``[{"year", "text", "published"}]`` from its receipt year to the year
    it was closed (or ``until``, default this year, while open)."""
    app = register.get_application(app_id)
    if app.get("deleted_at") or not app.get("receipt_date"):
        return []
    row = rs.as_row(app)
    first = int(app["receipt_date"][:4])
    last = until or _dt.date.today().year
    if app.get("reply_date") and app.get("outcome"):
        last = min(last, int(app["reply_date"][:4]))
    frozen = set(published_years(register))
    out = []
    for year in range(first, max(first, last) + 1):
        text = rs.describe_placement(row, year)
        if text:
            out.append({"year": year, "text": text, "published": year in frozen})
    return out


def cases_of_application(register: Register, app_id: int) -> list[dict]:
    return [c for c in list_cases(register) if c["application_id"] == app_id]


# --- Section 四: the cases register ------------------------------------------------


def _case_row(cur, row) -> dict:
    return dict(zip([d[0] for d in cur.description], row))


def list_cases(register: Register, year: int | None = None) -> list[dict]:
    """All cases (newest first), or those counted in ``year``."""
    cur = register.db.execute(
        "SELECT c.*, a.serial AS application_serial FROM review_cases c "
        "LEFT JOIN applications a ON a.id = c.application_id ORDER BY c.filed_date DESC, c.id DESC")
    rows = [_case_row(cur, r) for r in cur.fetchall()]
    if year is not None:
        rows = [r for r in rows if rs.classify_case(tuple(r[c] for c in rs.CASE_COLUMNS), year)]
    return rows


def get_case(register: Register, case_id: int) -> dict:
    cur = register.db.execute("SELECT * FROM review_cases WHERE id = ?", [case_id])
    row = cur.fetchone()
    if row is None:
        raise NotFoundError(f"找不到编号为 {case_id} 的案件，可能已被删除。")
    return _case_row(cur, row)


def _validate_case(register: Register, rec: dict, today) -> None:
    errors = validate_case(rec, today=today)
    app_id = rec.get("application_id")
    if app_id is not None:
        row = register.db.execute("SELECT receipt_date FROM applications WHERE id = ?", [app_id]).fetchone()
        if row is None:
            errors["application_id"] = "关联的申请不存在，请重新选择或清空。"
    if errors:
        raise ValidationError(errors)


def add_case(register: Register, record: dict, *, today: _dt.date | None = None) -> int:
    rec = clean_case(record)
    rec["result"] = rec.get("result") or "pending"
    _validate_case(register, rec, today)
    stamp = now_iso()
    rec["created_at"] = rec["updated_at"] = stamp
    with register.db.atomic():
        cur = register.db.execute(
            f"INSERT INTO review_cases({', '.join(rec)}) VALUES({', '.join('?' * len(rec))})",
            list(rec.values()))
        audit(register.db, "case", cur.lastrowid, "create", None,  # data safety: audit trail
              {k: v for k, v in rec.items() if v is not None and k not in ("created_at", "updated_at")})
        return cur.lastrowid


def update_case(register: Register, case_id: int, changes: dict, *,
                today: _dt.date | None = None) -> dict:
    with register.db.atomic():
        old = get_case(register, case_id)
        merged = dict(old)
        merged.update(clean_case(changes))
        merged["result"] = merged.get("result") or "pending"
        _validate_case(register, merged, today)
        diff = {k: (old.get(k), merged.get(k)) for k in CASE_FIELDS if old.get(k) != merged.get(k)}
        if diff:
            sets = ", ".join(f"{k} = ?" for k in diff)
            register.db.execute(f"UPDATE review_cases SET {sets}, updated_at = ? WHERE id = ?",
                                [merged[k] for k in diff] + [now_iso(), case_id])
            audit(register.db, "case", case_id, "update",  # data safety: audit trail
                  {k: v[0] for k, v in diff.items()}, {k: v[1] for k, v in diff.items()})
        return diff


def delete_case(register: Register, case_id: int) -> None:
    with register.db.atomic():
        old = get_case(register, case_id)
        register.db.execute("DELETE FROM review_cases WHERE id = ?", [case_id])
        audit(register.db, "case", case_id, "purge", old, None)  # data safety: audit trail


def _case_rows(register: Register, year: int) -> list[tuple]:
    _start, end = rs.year_bounds(year)
    return register.db.execute(
        f"SELECT {', '.join(rs.CASE_COLUMNS)} FROM review_cases WHERE filed_date <= ?", [end]).fetchall()


def section4(register: Register, year: int) -> rs.Section4:
    return rs.compute_section4(_case_rows(register, year), year)


def cases_in_cell(register: Register, year: int, kind: str, column: str = "total") -> list[dict]:
    ids = set(rs.case_cell_members(_case_rows(register, year), year, kind, column))
    return [c for c in list_cases(register) if c["id"] in ids]


# --- Section 二 ------------------------------------------------------------------


def get_section2(register: Register, year: int) -> dict:
    """The proactive figures of ``year`` (None for fields never entered)."""
    cur = register.db.execute(
        f"SELECT {', '.join(SECTION2_CODES)} FROM report_proactive WHERE year = ?", [year])
    row = cur.fetchone()
    return dict(zip(SECTION2_CODES, row)) if row else dict.fromkeys(SECTION2_CODES)


def save_section2(register: Register, year: int, values: dict) -> None:
    errors = rm.validate_section2(values)
    if errors:
        raise ValidationError(errors)
    clean = {}
    for code in SECTION2_CODES:
        v = values.get(code)
        if v is None or (isinstance(v, str) and not v.strip()):
            clean[code] = None
        elif code in rs.SECTION2_AMOUNT_FIELDS:
            clean[code] = rm.parse_amount(v)
        else:
            clean[code] = int(str(v).strip())
    with register.db.atomic():
        register.db.execute(
            f"INSERT INTO report_proactive(year, {', '.join(SECTION2_CODES)}, updated_at) "
            f"VALUES(?, {', '.join('?' * len(SECTION2_CODES))}, ?) "
            f"ON CONFLICT(year) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in SECTION2_CODES) + ", updated_at = excluded.updated_at",
            [year] + [clean[c] for c in SECTION2_CODES] + [now_iso()])


# --- Narrative texts -------------------------------------------------------------------


def get_texts(register: Register, year: int) -> dict[str, str]:
    """Saved narrative texts of ``year`` (only the parts ever saved)."""
    return {r[0]: r[1] for r in register.db.execute(
        "SELECT section, text FROM report_texts WHERE year = ?", [year]).fetchall()}


def save_text(register: Register, year: int, section: str, text: str) -> None:
    if section not in rm.NARRATIVE_KEYS:
        raise ValueError(section)
    with register.db.atomic():
        register.db.execute(
            "INSERT INTO report_texts(year, section, text, updated_at) VALUES(?, ?, ?, ?) "
            "ON CONFLICT(year, section) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [year, section, text or "", now_iso()])


def _amount(data) -> float:
    try:
        payload = json.loads(data) if data else {}
    except ValueError:
        return 0.0
    if not isinstance(payload, dict):
        return 0.0
    for key in ("amount", "amount_yuan", "fee", "fee_amount"):
        value = payload.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str) and value.strip():
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 0.0


def fee_facts(register: Register, year: int) -> tuple[int, float, float]:
    """(收费通知 issued in ``year``, their total in 元, 信息处理费 received
    in ``year`` in 元), from the ``fee_notice`` and ``fee_paid`` events."""
    start, end = rs.year_bounds(year)
    notices, noticed, collected = 0, 0.0, 0.0
    for kind, data in register.db.execute(
            "SELECT kind, data FROM events WHERE kind IN ('fee_notice', 'fee_paid') AND date BETWEEN ? AND ?",
            [start, end]).fetchall():
        if kind == "fee_notice":
            notices += 1
            noticed += _amount(data)
        else:
            collected += _amount(data)
    return notices, noticed, collected


def previous_year_complete(register: Register, year: int) -> bool:
    """Whether the register plausibly holds the whole of ``year - 1``: that
    year's report was published from it, or its first application was
    received by January 31 of that year."""
    if published(register, year - 1) is not None:
        return True
    first = register.db.execute(
        "SELECT min(receipt_date) FROM applications WHERE deleted_at IS NULL").fetchone()[0]
    return bool(first) and first <= f"{year - 1}-01-31"


def draft_facts(register: Register, year: int, s3: rs.Section3 | None = None) -> DraftFacts:
    settings = register.settings()
    notices, noticed, collected = fee_facts(register, year)
    return DraftFacts(
        year=year, agency=settings.get("agency_name") or "",
        section3=s3 or section3(register, year),
        previous=section3(register, year - 1),
        previous_complete=previous_year_complete(register, year),
        section4=section4(register, year),
        section2=get_section2(register, year),
        fee_notices=notices, fees_noticed_yuan=noticed, fees_collected_yuan=collected,
        office=settings.get("disclosure_office") or "",
        address=settings.get("agency_address") or "",
        phone=settings.get("agency_phone") or "",
        postcode=settings.get("agency_postcode") or "",
    )


def drafts(register: Register, year: int, s3: rs.Section3 | None = None) -> dict[str, str]:
    """Drafts of the narrative parts written from the year's figures."""
    return draft_texts(draft_facts(register, year, s3))


# --- The whole document --------------------------------------------------------------


def build_document(register: Register, year: int, *, s3: rs.Section3 | None = None,
                   use_drafts: bool = True) -> dict:
    """The report of ``year`` as computed now.  Narrative parts never
    saved are filled with the app's drafts when ``use_drafts``."""
    s3 = s3 or section3(register, year)
    texts = get_texts(register, year)
    if use_drafts and any(k not in texts for k in rm.NARRATIVE_KEYS):
        generated = drafts(register, year, s3)
        texts = {k: texts.get(k, generated[k]) for k in rm.NARRATIVE_KEYS}
    return rm.build_document(
        year=year, agency=register.setting("agency_name") or "",
        section2=get_section2(register, year), section3=s3, section4=section4(register, year),
        texts=texts, generated_at=now_iso(), generator=f"{APP_NAME} {__version__}")


# --- Year lock ------------------------------------------------------------------------


def published(register: Register, year: int) -> dict | None:
    """The published snapshot of ``year``: ``{"published_at", "document"}``."""
    row = register.db.execute(
        "SELECT published_at, document FROM report_snapshots WHERE year = ?", [year]).fetchone()
    if row is None:
        return None
    return {"published_at": row[0], "document": json.loads(row[1])}


def published_years(register: Register) -> list[int]:
    return [r[0] for r in register.db.execute("SELECT year FROM report_snapshots ORDER BY year")]


def publish(register: Register, year: int, document: dict | None = None) -> dict:
    """Freeze ``year``'s figures as published (replacing an earlier snapshot)."""
    document = document or build_document(register, year)
    stamp = now_iso()
    with register.db.atomic():
        register.db.execute(
            "INSERT INTO report_snapshots(year, published_at, document) VALUES(?, ?, ?) "
            "ON CONFLICT(year) DO UPDATE SET published_at = excluded.published_at, document = excluded.document",
            [year, stamp, rm.to_json(document)])
    return {"published_at": stamp, "document": document}


def unpublish(register: Register, year: int) -> None:
    with register.db.atomic():
        register.db.execute("DELETE FROM report_snapshots WHERE year = ?", [year])


MANUAL_CARRY_KEY = "report_manual_carry_forward"


def manual_carry_forward(register: Register, year: int) -> dict[str, int] | None:
    """四、结转下年度继续办理 of ``year`` as printed in a report typed by
    hand before the agency used this app (column label → number), or None."""
    stored = register.setting(MANUAL_CARRY_KEY) or {}
    values = stored.get(str(year)) if isinstance(stored, dict) else None
    return dict(values) if values else None


def save_manual_carry_forward(register: Register, year: int, values: dict[str, int] | None) -> None:
    """Record (or with None forget) the carry-forward row of a hand-typed
    report of ``year``; the check of ``year + 1`` compares 上年结转 with it."""
    if values is not None:
        bad = [c for c in rm.SECTION3_VALUE_KEYS
               if not isinstance(values.get(c), int) or isinstance(values.get(c), bool) or values[c] < 0]
        if bad:
            raise ValidationError({"carry_forward": f"请为{'、'.join(bad)}填写不小于0的整数。"})
        values = {c: values[c] for c in rm.SECTION3_VALUE_KEYS}
    stored = register.setting(MANUAL_CARRY_KEY) or {}
    stored = dict(stored) if isinstance(stored, dict) else {}
    if values is None:
        stored.pop(str(year), None)
    else:
        stored[str(year)] = values
    register.update_settings({MANUAL_CARRY_KEY: stored})


_SECTION_NAMES = {"section2": "二", "section3": "三", "section4": "四"}


def compare_documents(published_doc: dict, current: dict) -> list[dict]:
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


def differences(register: Register, year: int, document: dict | None = None) -> list[dict]:
    """Figures of ``year`` that now differ from the published ones
    (empty when the year is not published or nothing changed)."""
    snap = published(register, year)
    if snap is None:
        return []
    return compare_documents(snap["document"], document or build_document(register, year))


def published_years_touched(register: Register, old: dict | None, new: dict | None) -> list[int]:
    """Published years whose section 三 figures a change of one
    application (``old`` → ``new`` records, None when added/deleted) would
    alter: the register and its forms call this to warn before saving."""
    years = published_years(register)
    if not years:
        return []
    def row(record):
        if record is not None and record.get("deleted_at"):
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

    a, b = row(old), row(new)
    return [y for y in years if rs.touches_year(a, b, y)]


def published_years_touched_by_case(register: Register, old: dict | None, new: dict | None) -> list[int]:
    years = published_years(register)
    def row(c):
        if c is None:
            return None
        c = clean_case(c)
        return tuple(c.get(k) for k in rs.CASE_COLUMNS)
    a, b = row(old), row(new)
    return [y for y in years if (a and rs.classify_case(a, y)) != (b and rs.classify_case(b, y))]


def published_warning(years: list[int]) -> str:
    if not years:
        return ""
    text = "、".join(f"{y}年" for y in years)
    return (f"此修改会改变已发布的{text}政府信息公开工作年度报告中的数字。"
            "修改仍会保存，差异将列在“年度报告”页面的“与已发布数字的差异”中，请核对是否需要更正已发布的报告。")


# --- The pre-export check --------------------------------------------------------------------


def _needs_review(register: Register, year: int) -> list[tuple[int, str]]:
    """Applications of the year's section 三 (received that year, or
    received earlier and still open or answered in it) flagged 待核实."""
    if not register.review_count():
        return []
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    return [(r["id"], r["serial"]) for r in register.iter_applications(
        "review_reasons IS NOT NULL AND receipt_date <= ? AND (receipt_date >= ? OR reply_date IS NULL "
        "OR reply_date >= ?)", [end, start, start], order_by="receipt_date, id", columns="id, serial")]


def check(register: Register, year: int, *, document: dict | None = None,
          s3: rs.Section3 | None = None, today: _dt.date | None = None) -> list[Issue]:
    s3 = s3 or section3(register, year)
    document = document or build_document(register, year, s3=s3)
    prev_snap = published(register, year - 1)
    manual = manual_carry_forward(register, year - 1)
    if prev_snap is not None:
        rows = {r["label"]: r["values"] for r in prev_snap["document"]["section3"]}
        prev_forward = rows.get("四、结转下年度继续办理")
        source = f"已发布的{year - 1}年报告"
    elif manual is not None:
        prev_forward = manual
        source = f"手工录入的{year - 1}年报告"
    else:
        prev_forward = None  # computed from the same register: equal by construction
        source = ""
    prev2 = get_section2(register, year - 1)
    issues = check_report(
        document=document, section3=s3, previous_carry_forward=prev_forward, previous_source=source,
        previous_section2=prev2 if any(v is not None for v in prev2.values()) else None,
        section2=get_section2(register, year), differences=differences(register, year, document),
        needs_review=_needs_review(register, year), today=today)
    saved = get_texts(register, year)
    for key, title in rm.NARRATIVE_KEYS.items():
        if key not in saved:
            issues.append(Issue(WARNING, f"unsaved_{key}",
                                f"“{title}”尚未编辑保存，导出时使用程序自动生成的草稿。"))
    return issues
