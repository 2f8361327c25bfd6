"""Audit trail (修改记录) and recycle bin (回收站)."""

import datetime as dt

import pytest

from desktop_app.services import applications, deadlines, history, recycle_bin
from desktop_app.services import calendar as calendar_service
from desktop_app.services import cases as review_cases
from desktop_app.services import settings as settings_service
from desktop_app.services.errors import NotFoundError, ValidationError
from desktop_app.storage import audit as audit_mod
from desktop_app.storage.audit import audit

TODAY = dt.date(2026, 6, 1)


def test_edit_is_recorded_with_old_and_new_values_and_clerk(register, person_record):
    settings_service.update_settings(register, {"clerk_name": "李四"})
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    applications.update_application(register, app_id, {"phone": "13900001111", "address": "新地址 2 号"}, today=TODAY).changes
    entries = history.of(register, "application", app_id)
    assert [e.action for e in entries] == ["create", "update"]
    upd = entries[-1]
    assert upd.clerk == "李四"
    # personal identifiers are kept masked in the trail (issue 11), other fields in full
    assert upd.old_values == {"phone": "138****5678", "address": "浙江省杭州市西湖区文三路1号"}
    assert upd.new_values == {"phone": "139****1111", "address": "新地址 2 号"}
    assert ("phone", "138****5678", "139****1111") in upd.field_changes()
    dt.datetime.fromisoformat(upd.time)  # a real timestamp


def test_clerk_falls_back_to_os_user(register, person_record, monkeypatch):
    monkeypatch.setattr(audit_mod, "os_user", lambda: "os-clerk")
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    assert history.of(register, "application", app_id)[0].clerk == "os-clerk"


def test_events_and_settings_are_audited(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    ev = applications.add_event(register, app_id, "note", "2026-03-06", {"text": "电话沟通"})
    kinds = [(e.entity, e.action) for e in history.of_application(register, app_id)]
    assert ("event", "create") in kinds and ("application", "create") in kinds
    ev_rows = history.of(register, "event", ev)
    assert ev_rows[0].new_values["data"] == {"text": "电话沟通"}

    settings_service.update_settings(register, {"agency_name": "甲机关"})
    settings_service.update_settings(register, {"agency_name": "乙机关", "password_hash": "scrypt$secret"})
    rows = history.of(register, "setting", "agency_name")
    assert rows[-1].old_values == {"agency_name": "甲机关"}
    assert rows[-1].new_values == {"agency_name": "乙机关"}
    secret = history.of(register, "setting", "password_hash")
    assert len(secret) == 1
    assert "scrypt$secret" not in str(secret[0])


def test_unchanged_update_records_nothing(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    applications.update_application(register, app_id, {"phone": person_record["phone"]}, today=TODAY).changes
    settings_service.update_settings(register, {"agency_name": ""})  # equals the default
    assert len(history.of(register, "application", app_id)) == 1
    assert history.of(register, "setting", "agency_name") == []


def test_failed_write_leaves_no_audit_row(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    before = register.store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(ValidationError):  # the ID number's check digit is wrong
        applications.update_application(register, app_id, {"id_number": "110105194912310021"}, today=TODAY).changes
    assert register.store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_generic_audit_for_other_tables(register):
    with register.store.db.atomic():
        audit(register.store.db, "case", 7, "update", {"result": "维持"}, {"result": "纠正"})
    row = history.of(register, "case", 7)[0]
    assert row.old_values == {"result": "维持"} and row.new_values == {"result": "纠正"}


def test_recycle_bin_delete_restore_purge(register, person_record):
    keep = applications.register_application(register, person_record, today=TODAY).app_id
    gone = applications.register_application(register, dict(person_record, applicant_name="王五"), today=TODAY).app_id
    recycle_bin.delete_application(register, gone)
    assert applications.count(register) == 1
    assert [a.id for a in applications.search(register)] == [keep]
    assert [a.id for a in applications.all_applications(register)] == [keep]
    assert [a.id for a in recycle_bin.contents(register)] == [gone]
    # the serial stays taken while in the bin
    assert applications.next_serial(register, 2026) == "2026-0003"

    recycle_bin.restore_application(register, gone)
    assert applications.count(register) == 2 and recycle_bin.contents(register) == []

    recycle_bin.delete_application(register, gone)
    with pytest.raises(ValueError):
        recycle_bin.purge_application(register, keep)  # not in the bin: refused
    recycle_bin.purge_application(register, gone)
    with pytest.raises(NotFoundError):
        applications.get(register, gone)
    assert register.store.db.execute("SELECT count(*) FROM events WHERE application_id = ?",
                               [gone]).fetchone()[0] == 0
    actions = [e.action for e in history.of(register, "application", gone)]
    assert actions == ["create", "delete", "restore", "delete", "purge"]
    purge = history.of(register, "application", gone)[-1]
    assert purge.old_values["serial"] == "2026-0002"
    assert "id_number" not in purge.old_values
    # the personal identifiers are gone from the whole trail of the purged application
    created = history.of(register, "application", gone)[0]
    assert created.new_values["id_number"] == "110105********002X"
    assert created.new_values["phone"] == "138****5678"
    assert "11010519491231002X" not in str(history.of(register, "application", gone))
    # the other application's trail is as written: masked from the start (issue 11)
    assert history.of(register, "application", keep)[0].new_values["id_number"] == "110105********002X"
    assert applications.get(register, keep).id_number == "11010519491231002X"  # the register keeps it
    assert applications.next_serial(register, 2026) == "2026-0003"  # never reused


def test_review_cases_are_audited(register):
    case_id = review_cases.add_case(register, {"kind": "reconsideration", "filed_date": "2026-03-01"},
                                    today=TODAY)
    review_cases.update_case(register, case_id, {"closed_date": "2026-05-01", "result": "upheld"},
                             today=TODAY)
    review_cases.delete_case(register, case_id)
    rows = history.of(register, "case", case_id)
    assert [r.action for r in rows] == ["create", "update", "purge"]
    assert rows[0].new_values["kind"] == "reconsideration"
    assert rows[1].old_values["result"] == "pending" and rows[1].new_values["result"] == "upheld"
    assert rows[2].old_values["filed_date"] == "2026-03-01"


def test_calendar_and_deadline_rules_are_audited(register):
    from desktop_app.domain.deadlines import DeadlineRules

    calendar_service.set_override(register, "2026-10-29", False, "台风停止办公")
    calendar_service.remove_override(register, "2026-10-29")
    rows = history.of(register, "calendar", "2026-10-29")
    assert [r.action for r in rows] == ["update", "purge"]
    assert rows[0].new_values == {"is_workday": False, "note": "台风停止办公"}

    deadlines.save_rules(register, DeadlineRules(reply_days=15))
    row = history.of(register, "setting", deadlines.RULES_KEY)[-1]
    assert row.new_values[deadlines.RULES_KEY]["reply_days"] == 15
