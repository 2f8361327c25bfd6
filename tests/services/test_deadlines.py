"""Statutory limits on real register records: extension, correction,
third party, fee, the 2008 rules, the derived columns kept current on
every write, and recomputation when the calendar or the rules change."""

import datetime as dt

import pytest

from desktop_app.domain import deadlines as dl
from desktop_app.services import applications, deadlines, steps
from desktop_app.services import calendar as calendar_service
from desktop_app.services.errors import ValidationError

D = dt.date
TODAY = D(2026, 11, 25)


@pytest.fixture
def app(register, person_record):
    rec = dict(person_record, receipt_date=D(2026, 9, 28))
    return applications.register_application(register, rec, today=TODAY).app_id


def row(register, app_id):
    return applications.get(register, app_id)


def view(register, app_id, today):
    return deadlines.view_of(register, app_id, today)


def test_new_application_gets_due_date(register, app):
    r = row(register, app)
    assert r.due_date == "2026-10-30"
    assert r.clock_state == dl.RUNNING and r.clock_start == "2026-09-28"
    assert r.limit_days == 20 and r.deadline_provisional == 0


def test_days_left_and_states_for_today(register, app):
    assert view(register, app, D(2026, 10, 12)).days_left == 14
    v = view(register, app, D(2026, 10, 27))
    assert v.state == dl.DUE_SOON and v.days_left == 3 and v.level == "soon"
    v = view(register, app, D(2026, 10, 30))
    assert v.state == dl.DUE_TODAY and v.days_left == 0 and v.days_text == "今日到期"
    v = view(register, app, D(2026, 10, 31))  # Saturday after the due Friday
    assert v.state == dl.OVERDUE and v.days_left == -1 and v.level == "overdue"
    v = view(register, app, D(2026, 11, 3))
    assert v.state == dl.OVERDUE and v.days_left == -2 and v.days_text == "逾期2个工作日"


def test_closed_is_never_overdue(register, app):
    applications.update_application(register, app, {"outcome": "disclosed", "reply_date": "2026-11-02"}, today=TODAY).changes
    v = view(register, app, TODAY)
    assert v.state == dl.CLOSED and v.level is None
    st = deadlines.state_of(register, app)
    assert st.replied_late is True  # replied after 2026-10-30


def test_one_extension_with_approval(register, app):
    data = {"approver": "李主任", "approved_on": "2026-10-26", "reason": "需调取档案", "days": 20}
    steps.record_step(register, app, "extension", "2026-10-26", data, today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-11-27" and r.status == "extended" and r.extension_days == 20
    v = view(register, app, D(2026, 11, 2))
    assert v.state == dl.EXTENDED and v.label == "已延期"
    with pytest.raises(steps.StepError) as info:
        steps.record_step(register, app, "extension", "2026-11-02", data, today=TODAY)
    assert "只能延长一次" in str(info.value)
    # even around the dialogs, the register refuses a second extension
    with pytest.raises(ValidationError):
        applications.add_event(register, app, "extension", "2026-11-02", data)
    assert [e.kind for e in applications.events(register, app)].count("extension") == 1


def test_extension_needs_approver_reason_and_time(register, app):
    errors, _ = steps.check_step(register, app, "extension", "2026-10-26", {"days": 20}, today=TODAY)
    assert any("批准" in e for e in errors) and any("理由" in e for e in errors)
    errors, _ = steps.check_step(register, app, "extension", "2026-10-26",
                              {"approver": "李", "approved_on": "2026-10-26", "reason": "x", "days": 25},
                              today=TODAY)
    assert any("1至20个工作日" in e for e in errors)
    errors, _ = steps.check_step(register, app, "extension", "2026-11-02",
                              {"approver": "李", "approved_on": "2026-11-02", "reason": "x", "days": 20},
                              today=TODAY)
    assert any("届满" in e for e in errors)


def test_an_extension_shorter_than_the_limit_moves_the_due_date_by_its_days(register, app):
    steps.record_step(register, app, "extension", "2026-10-26",
                   {"approver": "李", "approved_on": "2026-10-26", "reason": "x", "days": 5}, today=TODAY)
    assert row(register, app).due_date == "2026-11-06"


def test_correction_restarts_the_reply_period(register, app):
    steps.record_step(register, app, "correction_requested", "2026-10-09",
                   {"items": "请写明所需文件的名称或文号", "period_days": 10}, today=TODAY)
    r = row(register, app)
    assert r.status == "awaiting_correction" and r.due_date is None
    assert r.pause_until == "2026-10-22"  # 10 working days after 2026-10-09 (10-10 is a working Saturday)
    v = view(register, app, D(2026, 10, 20))
    assert v.state == dl.PAUSED_CORRECTION and v.level is None
    # a second correction notice is refused: everything must be asked at once
    with pytest.raises(steps.StepError):
        steps.record_step(register, app, "correction_requested", "2026-10-12",
                       {"items": "再补", "period_days": 5}, today=TODAY)
    steps.record_step(register, app, "corrected", "2026-10-20", {}, today=TODAY)
    r = row(register, app)
    assert r.clock_start == "2026-10-20" and r.status == "in_progress"
    assert r.due_date == "2026-11-17"  # 20 working days after 2026-10-20


def test_uncorrected_application_can_be_closed_as_other_1(register, app):
    steps.record_step(register, app, "correction_requested", "2026-10-09",
                   {"items": "身份证明", "period_days": 10}, today=TODAY)
    v = view(register, app, D(2026, 10, 26))
    assert v.state == dl.CORRECTION_LAPSED and dl.lapse_outcome(v) == ("other", 1)
    applications.update_application(register, app, {"outcome": "other", "outcome_reason": 1,
                                      "reply_date": "2026-10-27"}, today=TODAY).changes
    assert view(register, app, TODAY).state == dl.CLOSED


def test_late_correction_notice_warns(register, app):
    _, warnings = steps.check_step(register, app, "correction_requested", "2026-10-14",
                                {"items": "x", "period_days": 10}, today=TODAY)
    assert any("2026-10-13" in w for w in warnings)


def test_third_party_time_not_counted(register, app):
    steps.record_step(register, app, "third_party_sent", "2026-10-12", {"third_party": "某公司"}, today=TODAY)
    r = row(register, app)
    assert r.status == "awaiting_third_party" and r.clock_state == dl.PAUSED_THIRD_PARTY
    assert r.pause_until == "2026-11-02"  # 15 working days after 2026-10-12
    v = view(register, app, D(2026, 10, 20))
    assert v.state == dl.PAUSED_THIRD_PARTY and v.days_left == 14  # 6 of 20 used before the pause
    steps.record_step(register, app, "third_party_replied", "2026-10-16", {}, today=TODAY)
    r = row(register, app)
    # 13, 14, 15 and 16 October not counted: four working days later than 2026-10-30
    assert r.due_date == "2026-11-05" and r.paused_days == 4 and r.clock_state == dl.RUNNING


def test_third_party_that_never_answers(register, app):
    steps.record_step(register, app, "third_party_sent", "2026-10-12", {"third_party": "某公司"}, today=TODAY)
    # the pause ends at the third party's 15-working-day limit; the clock runs again after it
    assert row(register, app).due_date == "2026-11-20"
    v = view(register, app, D(2026, 11, 4))
    assert v.state == dl.RUNNING and v.days_left == 12


def test_fee_pause_and_payment(register, app):
    steps.record_step(register, app, "fee_notice", "2026-10-12", {"amount": 200}, today=TODAY)
    r = row(register, app)
    assert r.status == "awaiting_payment" and r.clock_state == dl.PAUSED_FEE
    assert r.pause_until == "2026-11-09"  # 20 working days to pay
    steps.record_step(register, app, "fee_paid", "2026-10-20", {}, today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-11-09" and r.paused_days == 6


def test_unpaid_fee_can_be_closed_as_other_2(register, app):
    steps.record_step(register, app, "fee_notice", "2026-10-12", {"amount": 200}, today=TODAY)
    v = view(register, app, D(2026, 11, 10))
    assert v.state == dl.FEE_LAPSED and dl.lapse_outcome(v) == ("other", 2)


def test_fee_time_counted_setting(register, app):
    deadlines.save_rules(register, dl.DeadlineRules(fee_time_counted=True))
    steps.record_step(register, app, "fee_notice", "2026-10-12", {"amount": 200}, today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-10-30" and r.clock_state == dl.RUNNING
    assert r.status == "awaiting_payment"
    assert view(register, app, D(2026, 10, 20)).state == dl.RUNNING
    # unpaid after the 20 working days: closable as 其他处理 (2) in this mode too
    assert view(register, app, D(2026, 11, 10)).state == dl.FEE_LAPSED


def test_2008_rules_for_old_records(register, person_record):
    old = applications.register_application(register, dict(person_record, receipt_date=D(2019, 3, 1)), today=TODAY).app_id
    r = row(register, old)
    assert r.limit_days == 15 and r.due_date == "2019-03-22"
    new = applications.register_application(register, dict(person_record, receipt_date=D(2019, 5, 15)), today=TODAY).app_id
    assert row(register, new).limit_days == 20


def test_rules_change_recomputes_and_lists_moved(register, app):
    moved = deadlines.save_rules(register, dl.DeadlineRules(reply_days=15))
    assert [(m.old, m.new) for m in moved] == [("2026-10-30", "2026-10-23")]
    assert "2026-10-30 → 2026-10-23" in moved[0].text
    with pytest.raises(deadlines.RulesError):
        deadlines.save_rules(register, dl.DeadlineRules(reply_days=25))


def test_calendar_override_recomputes_and_lists_moved(register, app):
    moved = calendar_service.set_override(register, "2026-10-29", False, "台风停止办公")
    assert [(m.app_id, m.old, m.new) for m in moved] == [(app, "2026-10-30", "2026-11-02")]
    assert row(register, app).due_date == "2026-11-02"
    assert calendar_service.list_overrides(register)[0].note == "台风停止办公"
    moved = calendar_service.remove_override(register, "2026-10-29")
    assert [(m.old, m.new) for m in moved] == [("2026-11-02", "2026-10-30")]
    with pytest.raises(calendar_service.CalendarError):
        calendar_service.set_override(register, "2026-10-29", False, "")


def test_entering_next_years_schedule_ends_provisional(register, person_record):
    app_id = applications.register_application(register, dict(person_record, receipt_date=D(2026, 11, 24)), today=TODAY).app_id
    assert row(register, app_id).deadline_provisional == 0
    steps.record_step(register, app_id, "extension", "2026-11-25",
                   {"approver": "李主任", "approved_on": "2026-11-25", "reason": "涉及多个部门", "days": 20},
                   today=TODAY)
    r = row(register, app_id)
    # 40 working days run into 2027, whose schedule is not known yet: the
    # statutory 1 January is counted off already (not 2027-01-19)
    assert r.deadline_provisional == 1 and r.due_date == "2027-01-20"
    assert "（暂定）" in view(register, app_id, TODAY).days_text
    moved = calendar_service.enter_year_schedule(register, 2027, {D(2027, 1, 1): "元旦", D(2027, 1, 4): "元旦"}, {},
                                                 "国办发明电〔2026〕X号")
    assert [(m.app_id, m.old, m.new) for m in moved] == [(app_id, "2027-01-20", "2027-01-21")]
    assert row(register, app_id).deadline_provisional == 0
    assert 2027 in deadlines.load_calendar(register).covered_years()
    assert calendar_service.entered_years(register)[0].note == "国办发明电〔2026〕X号"
    with pytest.raises(calendar_service.CalendarError):
        calendar_service.enter_year_schedule(register, 2027, {D(2027, 1, 4): "x"}, {D(2027, 1, 4): "x"})
    moved = calendar_service.remove_year_schedule(register, 2027)
    assert row(register, app_id).deadline_provisional == 1


def test_ensure_current_fills_rows_never_computed(register, app):
    register.store.db.execute("UPDATE applications SET due_date = NULL, clock_state = NULL")
    register.store.db.conn.commit()
    assert deadlines.ensure_current(register) == []
    assert row(register, app).due_date == "2026-10-30"
    assert deadlines.ensure_current(register) == []  # nothing to do the second time


def test_breakdown_shows_every_day(register, app):
    steps.record_step(register, app, "third_party_sent", "2026-10-12", {"third_party": "某公司"}, today=TODAY)
    steps.record_step(register, app, "third_party_replied", "2026-10-16", {}, today=TODAY)
    st = deadlines.state_of(register, app)
    reply = dl.breakdowns(st, deadlines.load_calendar(register))[0]
    assert reply.start == D(2026, 9, 28) and reply.end == D(2026, 11, 5)
    by_date = {r.date: r for r in reply.rows}
    assert by_date[D(2026, 10, 1)].counted is None and "国庆节" in by_date[D(2026, 10, 1)].reason
    assert by_date[D(2026, 10, 10)].counted == 5 and "调休上班" in by_date[D(2026, 10, 10)].reason
    assert by_date[D(2026, 10, 11)].reason == "周末"
    assert by_date[D(2026, 10, 12)].counted == 6
    assert by_date[D(2026, 10, 13)].counted is None and "第三方" in by_date[D(2026, 10, 13)].reason
    assert [r.counted for r in reply.rows if r.counted] == list(range(1, 21))
    assert reply.rows[-1].date == D(2026, 11, 5)
    text = reply.as_text()
    assert "起算日：2026-09-28" in text and "届满日：2026-11-05（第20个工作日）" in text


def test_pause_after_due_date_does_not_extend(register, app):
    steps.record_step(register, app, "third_party_sent", "2026-11-03", {"third_party": "某公司"}, today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-10-30" and r.clock_state == dl.RUNNING
    assert view(register, app, TODAY).state == dl.OVERDUE




def test_timeline_says_what_each_step_did(register, app):
    steps.record_step(register, app, "extension", "2026-10-26",
                   {"approver": "李主任", "approved_on": "2026-10-26", "reason": "需调取档案", "days": 20},
                   today=TODAY)
    ev = applications.events(register, app)[-1]
    assert ev.data["new_due_date"] == "2026-11-27"
    assert "答复期限延至2026-11-27" in ev.data["summary"] and "李主任" in ev.data["summary"]
    assert ev.data["approver"] == "李主任"


def test_package_update_is_noticed_and_moves_listed(register, app):
    # as if the deadline had been computed on an older calendar
    register.store.db.execute("UPDATE applications SET due_date = '2026-10-29'")
    register.store.db.execute("UPDATE settings SET value = '\"old\"' WHERE key = ?", [deadlines.FINGERPRINT_KEY])
    register.store.db.conn.commit()
    moved = deadlines.ensure_current(register)
    assert [(m.old, m.new) for m in moved] == [("2026-10-29", "2026-10-30")]
    assert deadlines.ensure_current(register) == []




def test_a_mistaken_step_is_cancelled_not_deleted(register, app):
    data = {"approver": "李主任", "approved_on": "2026-10-26", "reason": "需调取档案", "days": 20}
    steps.record_step(register, app, "extension", "2026-10-26", data, today=TODAY)
    assert row(register, app).due_date == "2026-11-27"
    assert steps.last_step(register, app).kind == "extension"
    with pytest.raises(steps.StepError):
        steps.cancel_last_step(register, app, "  ", today=TODAY)
    steps.cancel_last_step(register, app, "误录：本应为另一件申请", today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-10-30" and r.status != "extended"
    kinds = [e.kind for e in applications.events(register, app)]
    assert kinds.count("extension") == 1 and kinds[-1] == "step_cancelled"  # the record keeps both
    assert "误录" in applications.events(register, app)[-1].data["summary"]
    # the extension can now be recorded properly, once
    steps.record_step(register, app, "extension", "2026-10-27", dict(data, approved_on="2026-10-27"), today=TODAY)
    assert row(register, app).due_date == "2026-11-27"
    with pytest.raises(steps.StepError):
        steps.record_step(register, app, "extension", "2026-10-28", data, today=TODAY)
    assert steps.last_step(register, app).date == "2026-10-27"


def test_article_35_later_date_set_by_the_agency(register, app):
    errors, _ = steps.check_step(register, app, "deadline_set", "2026-10-20",
                              {"due_date": "2026-10-28", "reason": "x"}, today=TODAY)
    assert any("应晚于现行答复期限（2026-10-30）" in e for e in errors)
    steps.record_step(register, app, "deadline_set", "2026-10-20",
                   {"due_date": "2026-12-15", "reason": "一个月内提出120件申请，需逐件检索"}, today=TODAY)
    r = row(register, app)
    assert r.due_date == "2026-12-15"
    assert "第三十五条" in applications.events(register, app)[-1].data["summary"]
    with pytest.raises(steps.StepError) as info:
        steps.record_step(register, app, "extension", "2026-10-21",
                       {"approver": "李", "approved_on": "2026-10-21", "reason": "x", "days": 20}, today=TODAY)
    assert "第三十五条" in str(info.value)
    assert view(register, app, D(2026, 12, 14)).days_left == 1
