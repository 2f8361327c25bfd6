"""Audit trail (修改记录) and recycle bin (回收站)."""

import datetime as dt

import pytest

from desktop_app.storage import audit as audit_mod
from desktop_app.storage.audit import application_history, audit, field_changes, history
from desktop_app.storage.register import NotFoundError

TODAY = dt.date(2026, 6, 1)


def test_edit_is_recorded_with_old_and_new_values_and_clerk(register, person_record):
    register.update_settings({"clerk_name": "李四"})
    app_id = register.add_application(person_record, today=TODAY)
    register.update_application(app_id, {"phone": "13900001111", "address": "新地址 2 号"}, today=TODAY)
    entries = history(register.db, "application", app_id)
    assert [e["action"] for e in entries] == ["create", "update"]
    upd = entries[-1]
    assert upd["clerk"] == "李四"
    # personal identifiers are kept masked in the trail (issue 11), other fields in full
    assert upd["old_values"] == {"phone": "138****5678", "address": "浙江省杭州市西湖区文三路1号"}
    assert upd["new_values"] == {"phone": "139****1111", "address": "新地址 2 号"}
    assert ("phone", "138****5678", "139****1111") in field_changes(upd)
    dt.datetime.fromisoformat(upd["time"])  # a real timestamp


def test_clerk_falls_back_to_os_user(register, person_record, monkeypatch):
    monkeypatch.setattr(audit_mod, "os_user", lambda: "os-clerk")
    app_id = register.add_application(person_record, today=TODAY)
    assert history(register.db, "application", app_id)[0]["clerk"] == "os-clerk"


def test_events_and_settings_are_audited(register, person_record):
    app_id = register.add_application(person_record, today=TODAY)
    ev = register.add_event(app_id, "note", "2026-03-06", {"text": "电话沟通"})
    kinds = [(e["entity"], e["action"]) for e in application_history(register.db, app_id)]
    assert ("event", "create") in kinds and ("application", "create") in kinds
    ev_rows = history(register.db, "event", ev)
    assert ev_rows[0]["new_values"]["data"] == {"text": "电话沟通"}

    register.update_settings({"agency_name": "甲机关"})
    register.update_settings({"agency_name": "乙机关", "password_hash": "scrypt$secret"})
    rows = history(register.db, "setting", "agency_name")
    assert rows[-1]["old_values"] == {"agency_name": "甲机关"}
    assert rows[-1]["new_values"] == {"agency_name": "乙机关"}
    secret = history(register.db, "setting", "password_hash")
    assert len(secret) == 1
    assert "scrypt$secret" not in str(secret[0])


def test_unchanged_update_records_nothing(register, person_record):
    app_id = register.add_application(person_record, today=TODAY)
    register.update_application(app_id, {"phone": person_record["phone"]}, today=TODAY)
    register.update_settings({"agency_name": ""})  # equals the default
    assert len(history(register.db, "application", app_id)) == 1
    assert history(register.db, "setting", "agency_name") == []


def test_failed_write_leaves_no_audit_row(register, person_record):
    app_id = register.add_application(person_record, today=TODAY)
    before = register.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(Exception):
        register.update_application(app_id, {"id_number": "110105194912310021"}, today=TODAY)
    assert register.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_generic_audit_for_other_tables(register):
    with register.db.atomic():
        audit(register.db, "case", 7, "update", {"result": "维持"}, {"result": "纠正"})
    row = history(register.db, "case", 7)[0]
    assert row["old_values"] == {"result": "维持"} and row["new_values"] == {"result": "纠正"}


def test_recycle_bin_delete_restore_purge(register, person_record):
    keep = register.add_application(person_record, today=TODAY)
    gone = register.add_application(dict(person_record, applicant_name="王五"), today=TODAY)
    register.delete_application(gone)
    assert register.count() == 1
    assert [a["id"] for a in register.list_applications()] == [keep]
    assert [a["id"] for a in register.iter_applications()] == [keep]
    assert [a["id"] for a in register.deleted_applications()] == [gone]
    # the serial stays taken while in the bin
    assert register.next_serial(2026) == "2026-0003"

    register.restore_application(gone)
    assert register.count() == 2 and register.deleted_applications() == []

    register.delete_application(gone)
    with pytest.raises(ValueError):
        register.purge_application(keep)  # not in the bin: refused
    register.purge_application(gone)
    with pytest.raises(NotFoundError):
        register.get_application(gone)
    assert register.db.execute("SELECT count(*) FROM events WHERE application_id = ?",
                               [gone]).fetchone()[0] == 0
    actions = [e["action"] for e in history(register.db, "application", gone)]
    assert actions == ["create", "delete", "restore", "delete", "purge"]
    purge = history(register.db, "application", gone)[-1]
    assert purge["old_values"]["serial"] == "2026-0002"
    assert "id_number" not in purge["old_values"]
    # the personal identifiers are gone from the whole trail of the purged application
    created = history(register.db, "application", gone)[0]
    assert created["new_values"]["id_number"] == "110105********002X"
    assert created["new_values"]["phone"] == "138****5678"
    assert "11010519491231002X" not in str(history(register.db, "application", gone))
    # the other application's trail is as written: masked from the start (issue 11)
    assert history(register.db, "application", keep)[0]["new_values"]["id_number"] == "110105********002X"
    assert register.get_application(keep)["id_number"] == "11010519491231002X"  # the register keeps it
    assert register.next_serial(2026) == "2026-0003"  # never reused


def test_review_cases_are_audited(register):
    report_store = pytest.importorskip("desktop_app.storage.report_store")
    case_id = report_store.add_case(register, {"kind": "reconsideration", "filed_date": "2026-03-01"},
                                    today=TODAY)
    report_store.update_case(register, case_id, {"closed_date": "2026-05-01", "result": "upheld"},
                             today=TODAY)
    report_store.delete_case(register, case_id)
    rows = history(register.db, "case", case_id)
    assert [r["action"] for r in rows] == ["create", "update", "purge"]
    assert rows[0]["new_values"]["kind"] == "reconsideration"
    assert rows[1]["old_values"]["result"] == "pending" and rows[1]["new_values"]["result"] == "upheld"
    assert rows[2]["old_values"]["filed_date"] == "2026-03-01"


def test_calendar_and_deadline_rules_are_audited(register):
    cs = pytest.importorskip("desktop_app.storage.calendar_store")
    ds = pytest.importorskip("desktop_app.storage.deadline_store")
    from desktop_app.domain.deadlines import DeadlineRules

    cs.set_override(register, "2026-10-29", False, "台风停止办公")
    cs.remove_override(register, "2026-10-29")
    rows = history(register.db, "calendar", "2026-10-29")
    assert [r["action"] for r in rows] == ["update", "purge"]
    assert rows[0]["new_values"] == {"is_workday": False, "note": "台风停止办公"}

    ds.save_rules(register, DeadlineRules(reply_days=15))
    row = history(register.db, "setting", ds.RULES_KEY)[-1]
    assert row["new_values"][ds.RULES_KEY]["reply_days"] == 15
