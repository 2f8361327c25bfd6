"""The register (申请台账): applications, their timeline and the agency
settings, over one sqlite-utils ``Database``.

This class is the single write path for applications and events: the
GUI, the CLI and the importer all go through it, so validation, serial
numbers and (later) the audit trail live in one place.  Each public write
is one transaction.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from ..domain import catalog, serials
from ..domain.validation import (
    SERIAL_RE, parse_date, split_reviewable, validate_application,
)
from .audit import audit, scrub_personal  # data safety: audit trail

#: Every column of an application a caller may set.
APPLICATION_FIELDS = [
    "serial", "receipt_date", "channel", "applicant_type", "org_kind", "applicant_name",
    "id_type", "id_number", "work_unit", "legal_rep", "contact_name", "phone", "fax",
    "address", "postcode", "email", "info_description", "info_title", "info_doc_number",
    "info_index_number", "info_purpose", "delivery_forms", "obtain_methods", "status",
    "reply_date", "outcome", "outcome_reason", "notes",
]
_DATE_FIELDS = ("receipt_date", "reply_date")

#: Default agency settings (机关设置).
DEFAULT_SETTINGS: dict[str, object] = {
    "agency_name": "",          # 机关名称
    "disclosure_office": "",    # 公开工作机构
    "agency_address": "",       # 地址
    "agency_postcode": "",      # 邮编
    "agency_phone": "",         # 电话
    "doc_number_prefix": "",    # 文号前缀, e.g. 望政公开
    "clerk_name": "",           # 经办人
    "serial_pattern": "",       # 申请编号格式, e.g. 望政依申〔{年}〕{序号}号 ("" = 2026-0001)
}

#: Fields checked together: a change to one re-examines the flags of all.
_OUTCOME_GROUP = frozenset({"outcome", "outcome_reason", "reply_date"})


def review_reasons(app: dict) -> dict[str, str]:
    """The 待核实 flags of an application (``{field: reason}``), empty when
    it needs no review."""
    raw = app.get("review_reasons")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return {"note": str(raw)}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {"note": str(value)}


def review_text(app: dict) -> str:
    """The reasons as one line for lists and exports (empty when none)."""
    return "；".join(r.rstrip("。；") for r in review_reasons(app).values())


def _review_json(flags: dict[str, str]) -> str | None:
    return json.dumps(dict(sorted(flags.items())), ensure_ascii=False) if flags else None


#: data safety: rows in the recycle bin are left out of lists and counts.
_NOT_DELETED = "+deleted_at IS NULL"  # "+": never plan by the recycle-bin index
#: data safety: setting values never written to the audit trail.
_SECRET_SETTINGS = frozenset({"password_hash"})
_SECRET_MARK = "（已更改，内容不记录）"


class ValidationError(Exception):
    """A record that may not be saved: ``errors`` maps field → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(errors.values()))


class NotFoundError(LookupError):
    pass


def now_iso() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


def _clean(record: dict) -> dict:
    """Strip strings, turn blanks into None, dates into ISO strings."""
    out: dict = {}
    for key, value in record.items():
        if key not in APPLICATION_FIELDS:
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if key in _DATE_FIELDS and value is not None:
            try:
                value = parse_date(value).isoformat()
            except (ValueError, AttributeError):
                pass  # left for validation to report
        if key in ("id_number",) and isinstance(value, str):
            value = value.upper()
        if key == "outcome_reason" and value is not None:
            value = int(value)
        out[key] = value
    return out


class Register:
    def __init__(self, db: Database):
        self.db = db

    # --- settings --------------------------------------------------------------

    def settings(self) -> dict:
        values = dict(DEFAULT_SETTINGS)
        for row in self.db.execute("SELECT key, value FROM settings").fetchall():
            try:
                values[row[0]] = json.loads(row[1])
            except (TypeError, ValueError):
                values[row[0]] = row[1]
        return values

    def setting(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            return DEFAULT_SETTINGS.get(key, default)
        return json.loads(row[0])

    def update_settings(self, values: dict) -> None:
        with self.db.atomic():
            old_settings = self.settings()  # data safety: audit trail
            for key, value in values.items():
                self.db.execute(
                    "INSERT INTO settings(key, value) VALUES(?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, json.dumps(value, ensure_ascii=False)],
                )
                # --- data safety: audit trail ---
                if old_settings.get(key) != value:
                    secret = key in _SECRET_SETTINGS
                    audit(self.db, "setting", key, "update",
                          {key: _SECRET_MARK if secret else old_settings.get(key)},
                          {key: _SECRET_MARK if secret else value})

    # --- serial numbers ----------------------------------------------------------

    def serial_pattern(self) -> serials.SerialPattern:
        """The agency's numbering pattern (设置 → 机关信息 → 申请编号格式)."""
        try:
            return serials.compile_pattern(self.setting(serials.SETTING_PATTERN))
        except serials.PatternError:
            return serials.compile_pattern(None)

    def _has_sequences(self) -> bool:
        if getattr(self, "_sequences_table", None) is None:
            self._sequences_table = self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'serial_sequences'"
            ).fetchone() is not None
        return self._sequences_table

    def _highest_used(self, pattern: serials.SerialPattern, year: int) -> int:
        """The highest number of ``year`` in ``pattern`` that the register
        holds (imported ones and those in the recycle bin included)."""
        top = 0
        for (serial,) in self.db.execute(
                "SELECT serial FROM applications WHERE serial LIKE ? ESCAPE '\\'", [pattern.like(year)]):
            parsed = pattern.parse(serial)
            if parsed and parsed[0] == year:
                top = max(top, parsed[1])
        if pattern.text == serials.DEFAULT_PATTERN:
            row = self.db.execute("SELECT last FROM serial_counters WHERE year = ?", [year]).fetchone()
            top = max(top, row[0] if row else 0)
        return top

    def _sequence_last(self, pattern: serials.SerialPattern, year: int) -> int | None:
        if not self._has_sequences():
            return None
        row = self.db.execute("SELECT last FROM serial_sequences WHERE pattern = ? AND year = ?",
                              [pattern.text, year]).fetchone()
        return row[0] if row else None

    def next_serial(self, year: int, pattern: str | None = None) -> str:
        """The next unused serial of ``year`` in the agency's pattern (or
        ``pattern``, e.g. as typed in the settings; not reserved until
        saved): after the highest number of that pattern already handed
        out or in the register, never a number used before."""
        pattern = serials.compile_pattern(pattern) if pattern is not None else self.serial_pattern()
        last = self._sequence_last(pattern, year)
        if last is None:
            last = self._highest_used(pattern, year)
        number = last + 1
        while True:
            serial = pattern.format(year, number)
            if self.db.execute("SELECT 1 FROM applications WHERE serial = ?", [serial]).fetchone() is None:
                return serial
            number += 1

    def _reserve_serial(self, serial: str) -> None:
        """Remember a saved serial's number so that it is never handed out
        again (inside the caller's transaction)."""
        m = SERIAL_RE.fullmatch(serial)
        if m:
            year, number = int(m.group(1)), int(m.group(2))
            self.db.execute(
                "INSERT INTO serial_counters(year, last) VALUES(?, ?) "
                "ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
                [year, number],
            )
        if not self._has_sequences():
            return
        current = self.serial_pattern()
        known = {current.text: current}
        for (text,) in self.db.execute("SELECT DISTINCT pattern FROM serial_sequences"):
            if text not in known:
                try:
                    known[text] = serials.compile_pattern(text)
                except serials.PatternError:
                    continue
        for pattern in known.values():
            parsed = pattern.parse(serial)
            if not parsed:
                continue
            year, number = parsed
            if self._sequence_last(pattern, year) is None:
                # first number of this pattern and year: start after every one in the register
                number = max(number, self._highest_used(pattern, year))
            self.db.execute(
                "INSERT INTO serial_sequences(pattern, year, last) VALUES(?, ?, ?) "
                "ON CONFLICT(pattern, year) DO UPDATE SET last = max(last, excluded.last)",
                [pattern.text, year, number],
            )

    # --- applications --------------------------------------------------------------

    def validate(self, record: dict, *, app_id: int | None = None,
                 today: _dt.date | None = None) -> dict[str, str]:
        """Field errors of a full record, including serial uniqueness.

        For an existing application (``app_id``), a doubtful value that is
        stored already and left as it is (an imported ID number with a
        wrong check digit, an outcome never recorded…) is not an error:
        the clerk who edits the phone number is not made to correct an
        old record first.  Such values stay flagged 待核实."""
        errors = validate_application(record, today=today)
        serial = record.get("serial")
        if serial and "serial" not in errors:
            row = self.db.execute("SELECT id FROM applications WHERE serial = ?",
                                  [str(serial).strip()]).fetchone()
            if row and row[0] != app_id:
                errors["serial"] = f"申请编号 {serial} 已被使用，请换一个编号或留空由系统生成。"
        if app_id is not None and errors:
            _hard, soft = split_reviewable(errors, record)
            if soft:
                try:
                    old = self.get_application(app_id)
                except NotFoundError:
                    return errors
                new = _clean(record)
                for field in soft:
                    group = _OUTCOME_GROUP if field in _OUTCOME_GROUP else {field}
                    if all(old.get(f) == new.get(f, old.get(f)) for f in group):
                        errors.pop(field)
        return errors

    def check_import(self, record: dict, *, app_id: int | None = None,
                     today: _dt.date | None = None) -> tuple[dict[str, str], dict[str, str]]:
        """``(errors, reviewable)`` of a record read from a ledger file:
        errors keep the row out; reviewable faults import it flagged 待核实."""
        return split_reviewable(self.validate(record, app_id=app_id, today=today), record)

    def add_application(self, record: dict, *, today: _dt.date | None = None,
                        event_data: dict | None = None, review: dict[str, str] | None = None) -> int:
        """Validate and insert an application with its ``received`` event;
        assigns the next serial of the receipt year when none is given.

        ``review`` (given by the ledger import, ``{}`` for none): doubtful
        values are then saved as written and flagged 待核实 with their
        reasons (plus those in ``review``) instead of refused."""
        rec = _clean(record)
        rec.setdefault("status", "received")
        if rec.get("outcome") and rec.get("status") != "closed":
            rec["status"] = "closed"
        with self.db.atomic():
            if not rec.get("serial") and rec.get("receipt_date"):
                try:
                    year = parse_date(rec["receipt_date"]).year
                    rec["serial"] = self.next_serial(year)
                except ValueError:
                    pass
            errors = self.validate(rec, today=today)
            flags: dict[str, str] = {}
            if review is not None:
                errors, soft = split_reviewable(errors, rec)
                flags = {**soft, **review}
            if errors:
                raise ValidationError(errors)
            stamp = now_iso()
            rec["created_at"] = rec["updated_at"] = stamp
            if flags:
                rec["review_reasons"] = _review_json(flags)
            columns = ", ".join(rec)
            marks = ", ".join("?" for _ in rec)
            cur = self.db.execute(f"INSERT INTO applications({columns}) VALUES({marks})", list(rec.values()))
            app_id = cur.lastrowid
            self._reserve_serial(rec["serial"])
            audit(self.db, "application", app_id, "create", None,  # data safety: audit trail
                  {k: v for k, v in rec.items()
                   if v is not None and (k in APPLICATION_FIELDS or k == "review_reasons")})
            self._insert_event(app_id, "received", rec["receipt_date"],
                               event_data or {"channel": rec.get("channel")})
            if rec.get("outcome"):
                self._insert_event(app_id, "replied", rec["reply_date"],
                                   {"outcome": rec["outcome"], "outcome_reason": rec.get("outcome_reason")})
            self._after_write(app_id)
        return app_id

    def update_application(self, app_id: int, changes: dict, *, today: _dt.date | None = None,
                           review: dict[str, str] | None = None) -> dict:
        """Validate the merged record and save the changed fields; returns
        ``{field: (old, new)}`` of what changed.

        待核实 flags follow the values: a flagged field that is changed is
        examined afresh (its flag goes when the new value is right).  With
        ``review`` (the ledger import) a doubtful new value is saved flagged
        instead of refused; ``review`` adds reasons for changed fields."""
        with self.db.atomic():
            old = self.get_application(app_id)
            merged = dict(old)
            merged.update(_clean(changes))
            if merged.get("outcome") and merged.get("status") != "closed":
                merged["status"] = "closed"
            elif not merged.get("outcome") and merged.get("status") == "closed" \
                    and not (old.get("status") == "closed" and not old.get("outcome")):
                # an outcome taken away reopens the application; one closed
                # without an outcome (an imported reply, 待核实) stays closed
                merged["status"] = "in_progress"
            errors = self.validate(merged, app_id=app_id, today=today)
            soft: dict[str, str] = {}
            if review is not None:
                errors, soft = split_reviewable(errors, merged)
            if errors:
                raise ValidationError(errors)
            diff = {k: (old.get(k), merged.get(k)) for k in APPLICATION_FIELDS
                    if old.get(k) != merged.get(k)}
            flags = review_reasons(old)
            touched = set(diff)
            if touched & _OUTCOME_GROUP:
                touched |= _OUTCOME_GROUP
            flags = {k: v for k, v in flags.items() if k not in touched}
            flags.update({k: v for k, v in {**soft, **(review or {})}.items() if k in touched})
            new_flags = _review_json(flags)
            if new_flags != old.get("review_reasons"):
                diff["review_reasons"] = (old.get("review_reasons"), new_flags)
                merged["review_reasons"] = new_flags
            if not diff:
                return {}
            sets = ", ".join(f"{k} = ?" for k in diff)
            self.db.execute(
                f"UPDATE applications SET {sets}, updated_at = ? WHERE id = ?",
                [merged[k] for k in diff] + [now_iso(), app_id],
            )
            audit(self.db, "application", app_id, "update",  # data safety: audit trail
                  {k: v[0] for k, v in diff.items()}, {k: v[1] for k, v in diff.items()})
            if "serial" in diff:
                self._reserve_serial(merged["serial"])
            if "outcome" in diff or "reply_date" in diff or "outcome_reason" in diff:
                if merged.get("outcome"):
                    self._insert_event(app_id, "replied", merged["reply_date"],
                                       {"outcome": merged["outcome"],
                                        "outcome_reason": merged.get("outcome_reason")})
            self._after_write(app_id)
        return diff

    def resolve_review(self, app_id: int) -> bool:
        """The clerk has checked a 待核实 application and confirms its
        values as they are: the flags are cleared (recorded in the audit
        trail).  True when there was something to clear."""
        with self.db.atomic():
            app = self.get_application(app_id)
            if not app.get("review_reasons"):
                return False
            self.db.execute("UPDATE applications SET review_reasons = NULL, updated_at = ? WHERE id = ?",
                            [now_iso(), app_id])
            audit(self.db, "application", app_id, "update",  # data safety: audit trail
                  {"review_reasons": app["review_reasons"]}, {"review_reasons": None})
        return True

    def review_count(self) -> int:
        """Applications flagged 待核实 (not in the recycle bin)."""
        if not self._has_review_column():
            return 0
        return self.db.execute(
            f"SELECT count(*) FROM applications WHERE review_reasons IS NOT NULL AND {_NOT_DELETED}"
        ).fetchone()[0]

    def _has_review_column(self) -> bool:
        if getattr(self, "_review_column", None) is None:
            self._review_column = any(
                r[1] == "review_reasons" for r in self.db.execute("PRAGMA table_info(applications)"))
        return self._review_column

    def get_application(self, app_id: int) -> dict:
        cur = self.db.execute("SELECT * FROM applications WHERE id = ?", [app_id])
        row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"找不到编号为 {app_id} 的申请，可能已被删除。")
        return dict(zip([d[0] for d in cur.description], row))

    def find_by_serial(self, serial: str) -> dict | None:
        cur = self.db.execute("SELECT * FROM applications WHERE serial = ?", [serial])
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row)) if row else None

    def count(self) -> int:
        return self.db.execute(
            f"SELECT count(*) FROM applications WHERE {_NOT_DELETED}").fetchone()[0]

    def iter_applications(self, where: str = "", params: Iterable = (),
                          order_by: str = "receipt_date, serial",
                          columns: str = "*", *, include_deleted: bool = False) -> Iterator[dict]:
        """Applications as dicts; ``where`` is an SQL condition with ``?``
        parameters (callers pass only fixed SQL, never user text).
        Applications in the recycle bin are left out unless
        ``include_deleted``."""
        sql = f"SELECT {columns} FROM applications"
        if not include_deleted:  # data safety: recycle bin
            where = f"{_NOT_DELETED} AND ({where})" if where else _NOT_DELETED
        if where:
            sql += f" WHERE {where}"
        if order_by:
            sql += f" ORDER BY {order_by}"
        cur = self.db.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row))

    def list_applications(self, *, year: int | None = None, status: str | None = None,
                          category: str | None = None, text: str | None = None,
                          needs_review: bool = False) -> list[dict]:
        """Filtered register: year of receipt, status code (``open`` for any
        open status), applicant category (a report column code), free
        text over applicant and content, and only the 待核实 ones."""
        where, params = [], []
        if needs_review:
            where.append("review_reasons IS NOT NULL")
        if year:
            where.append("receipt_date >= ? AND receipt_date < ?")
            params += [f"{year}-01-01", f"{year + 1}-01-01"]
        if status == "open":
            where.append("status != 'closed'")
        elif status:
            where.append("status = ?")
            params.append(status)
        if category == catalog.NATURAL_PERSON:
            where.append("applicant_type = ?")
            params.append(catalog.NATURAL_PERSON)
        elif category:
            where.append("applicant_type = ? AND org_kind = ?")
            params += [catalog.ORGANISATION, category]
        if text and text.strip():
            needle = f"%{text.strip()}%"
            where.append("(applicant_name LIKE ? OR info_description LIKE ? OR info_title LIKE ? "
                         "OR serial LIKE ? OR contact_name LIKE ?)")
            params += [needle] * 5
        return list(self.iter_applications(" AND ".join(where), params))

    def _after_write(self, app_id: int) -> None:
        """Called inside the transaction after every write to an
        application or its events: derived state (status, due date) is
        brought up to date here, so it is never stale."""
        from .deadline_store import update_derived  # deadlines issue

        update_derived(self.db, app_id)

    # --- data safety: recycle bin (回收站) -------------------------------------------------

    def delete_application(self, app_id: int) -> None:
        """Move an application to the recycle bin (it keeps its serial)."""
        with self.db.atomic():
            app = self.get_application(app_id)
            if app.get("deleted_at"):
                return
            stamp = now_iso()
            self.db.execute("UPDATE applications SET deleted_at = ? WHERE id = ?", [stamp, app_id])
            audit(self.db, "application", app_id, "delete",
                  {"deleted_at": None}, {"deleted_at": stamp, "serial": app["serial"]})

    def restore_application(self, app_id: int) -> None:
        """Bring an application back from the recycle bin."""
        with self.db.atomic():
            app = self.get_application(app_id)
            if not app.get("deleted_at"):
                return
            self.db.execute("UPDATE applications SET deleted_at = NULL WHERE id = ?", [app_id])
            audit(self.db, "application", app_id, "restore",
                  {"deleted_at": app["deleted_at"]}, {"deleted_at": None, "serial": app["serial"]})

    def purge_application(self, app_id: int) -> None:
        """Delete for good an application that is in the recycle bin, with
        its timeline.  The purge itself is recorded (serial and applicant
        only: the personal data goes with the record).  The serial stays
        used: serial numbers are never reused."""
        with self.db.atomic():
            app = self.get_application(app_id)
            if not app.get("deleted_at"):
                raise ValueError(f"申请 {app['serial']} 不在回收站中，不能彻底删除。请先删除到回收站。")
            self.db.execute("DELETE FROM events WHERE application_id = ?", [app_id])
            self.db.execute("DELETE FROM applications WHERE id = ?", [app_id])
            scrub_personal(self.db, "application", app_id)
            audit(self.db, "application", app_id, "purge",
                  {"serial": app["serial"], "applicant_name": app["applicant_name"],
                   "receipt_date": app["receipt_date"]}, None)

    def deleted_applications(self) -> list[dict]:
        """The recycle bin, most recently deleted first."""
        return list(self.iter_applications(
            "deleted_at IS NOT NULL", order_by="deleted_at DESC, id DESC", include_deleted=True))

    # --- events (the timeline) ----------------------------------------------------------

    def _insert_event(self, app_id: int, kind: str, date, data: dict | None = None,
                      doc_number: str | None = None) -> int:
        if isinstance(date, (_dt.date, _dt.datetime)):
            date = date.isoformat()
        cur = self.db.execute(
            "INSERT INTO events(application_id, kind, date, data, doc_number, created_at) "
            "VALUES(?, ?, ?, ?, ?, ?)",
            [app_id, kind, date, json.dumps(data or {}, ensure_ascii=False), doc_number, now_iso()],
        )
        audit(self.db, "event", cur.lastrowid, "create", None,  # data safety: audit trail
              {"application_id": app_id, "kind": kind, "date": date, "data": data or {},
               "doc_number": doc_number})
        return cur.lastrowid

    def add_event(self, app_id: int, kind: str, date, data: dict | None = None,
                  doc_number: str | None = None) -> int:
        """Record an event on an application's timeline."""
        with self.db.atomic():
            self.get_application(app_id)
            event_id = self._insert_event(app_id, kind, date, data, doc_number)
            self._after_write(app_id)
            return event_id

    def events(self, app_id: int) -> list[dict]:
        cur = self.db.execute(
            "SELECT id, application_id, kind, date, data, doc_number, created_at FROM events "
            "WHERE application_id = ? ORDER BY date, id", [app_id])
        names = [d[0] for d in cur.description]
        out = []
        for row in cur:
            ev = dict(zip(names, row))
            ev["data"] = json.loads(ev["data"]) if ev["data"] else {}
            out.append(ev)
        return out


#: Chinese labels of timeline event kinds; later features add theirs here.
EVENT_LABELS: dict[str, str] = {
    "received": "收到申请",
    "replied": "作出答复",
    "note": "备注",
    "correction_requested": "发出补正告知",
    "corrected": "收到补正材料",
    "extension": "延期答复",
    "third_party_sent": "征求第三方意见",
    "third_party_replied": "第三方答复",
    "fee_notice": "发出收费通知",
    "fee_paid": "缴纳费用",
    "notice_printed": "出具文书",
    "step_cancelled": "撤销办理步骤",
    "deadline_set": "另行确定答复期限",
}
