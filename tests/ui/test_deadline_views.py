"""The deadline GUI: dashboard lists and counts, register colours and
sorting, the calendar page, the workflow dialogs (an extension recorded
through its dialog, a second one refused), the breakdown, the calculator,
the settings tab and the start-up reminder."""

import datetime as dt

import deadline_scenarios as sc
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from desktop_app.services import applications, deadlines
from desktop_app.ui import deadline_dialogs
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES

D = dt.date


@pytest.fixture
def context(qtbot, register, db_path):
    ctx = AppContext(register, FEATURES)
    yield ctx


@pytest.fixture
def ids(register):
    return sc.build(register)


@pytest.fixture
def no_message_boxes(monkeypatch):
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name,
                            staticmethod(lambda parent, title, text, *a, **k: shown.append((title, text)) or 0))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.Yes))
    return shown


def test_dashboard_counts_and_lists(qtbot, context, ids):
    from desktop_app.ui.dashboard_page import DashboardPage

    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.set_today(sc.TODAY)
    assert page.counts() == {"overdue": 2, "due_today": 1, "due_soon": 1, "awaiting_correction": 1,
                             "awaiting_third_party": 1, "awaiting_payment": 1, "extended": 1}
    # most overdue first
    assert page.app_ids("overdue") == [ids["overdue2"], ids["overdue"]]
    assert page.selected == "overdue" and page.table.rowCount() == 2
    assert page.table.item(0, 4).text() == "逾期6个工作日"
    assert page.table.item(0, 4).foreground().color() == QColor("#c62828")
    page.select("due_soon")
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "陈芳"
    assert page.table.item(0, 4).foreground().color() == QColor("#e65100")
    page.select("awaiting_correction")
    assert "补正期限至 2026-12-03" in page.table.item(0, 5).text()
    # a row opens its application
    page.select("overdue")
    with qtbot.waitSignal(context.application_requested) as signal:
        page.table.itemDoubleClicked.emit(page.table.item(1, 0))
    assert signal.args == [ids["overdue"]]
    assert not page.report_banner.isVisible() or page.report_banner.text() == ""


def test_dashboard_annual_report_reminder_in_january(qtbot, context, ids):
    from desktop_app.ui.dashboard_page import DashboardPage, annual_report_reminder

    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.show()
    page.set_today(D(2027, 1, 10))
    assert page.report_banner.isVisible()
    assert "1月31日前发布2026年度" in page.report_banner.text() and "还有21天" in page.report_banner.text()
    assert annual_report_reminder(D(2027, 1, 31)).count("今天是最后一天") == 1
    assert annual_report_reminder(D(2027, 2, 1)) is None
    assert annual_report_reminder(D(2026, 12, 31)) is None


def test_dashboard_refreshes_when_data_changes(qtbot, context, ids, register):
    from desktop_app.ui.dashboard_page import DashboardPage

    page = DashboardPage(context)
    qtbot.addWidget(page)
    page.set_today(sc.TODAY)
    applications.update_application(register, ids["overdue"], {"outcome": "disclosed", "reply_date": "2026-11-25"},
                                today=sc.TODAY).changes
    context.notify_changed()
    assert page.counts()["overdue"] == 1


def test_register_colours_and_sort_by_days_left(qtbot, context, ids, register):
    from desktop_app.ui.register_model import RegisterModel, register_columns

    context.today_override = sc.TODAY
    model = RegisterModel(register_columns(context))
    model.set_rows(applications.table_rows(register, model.fields()))
    col = model.column_index("days_left")
    assert col >= 0 and model.columns[col].header == "剩余工作日"
    assert model.column_index("due_date") == model.column_index("status") + 1

    def cell(app_id, role=Qt.DisplayRole):
        return model.data(model.index(model.row_of(app_id), col), role)

    assert cell(ids["overdue"]) == "逾期1"
    assert cell(ids["overdue"], Qt.ForegroundRole).color() == QColor("#c62828")
    assert cell(ids["due_today"]) == "今日到期"
    assert cell(ids["due_soon"], Qt.ForegroundRole).color() == QColor("#e65100")
    assert cell(ids["running"], Qt.ForegroundRole) is None
    assert cell(ids["third_party"]) == "暂停·余10"
    assert cell(ids["running"]) == "13"
    model.sort(col, Qt.AscendingOrder)
    order = [model.app_id(r) for r in range(4)]
    assert order == [ids["overdue2"], ids["overdue"], ids["due_today"], ids["due_soon"]]


def test_calendar_page_marks_holidays_and_due_dates(qtbot, context, ids):
    from desktop_app.ui.calendar_page import CalendarPage

    page = CalendarPage(context)
    qtbot.addWidget(page)
    page.today_override = sc.TODAY
    page.show_month(2026, 10)
    texts = {d: page.grid.item(r, c).text() for (r, c), d in page.cells.items()}
    assert "国庆节" in texts[D(2026, 10, 1)]
    assert "调休上班" in texts[D(2026, 10, 10)]
    assert page.grid.item(*next(k for k, d in page.cells.items() if d == D(2026, 10, 1))).background().color() \
        == QColor("#fde2e2")
    page.show_month(2026, 11)
    texts = {d: page.grid.item(r, c).text() for (r, c), d in page.cells.items()}
    assert "1件到期" in texts[D(2026, 11, 24)] and "1件到期" in texts[D(2026, 11, 17)]
    page.selected_day = D(2026, 11, 24)
    page._show_day(D(2026, 11, 24))
    assert page.due_list.count() == 1 and "王建国" in page.due_list.item(0).text()
    with qtbot.waitSignal(context.application_requested) as signal:
        page.due_list.itemDoubleClicked.emit(page.due_list.item(0))
    assert signal.args == [ids["overdue"]]
    page.show_month(2027, 3)
    assert not page.coverage.isHidden() and "2027年" in page.coverage.text()


def test_extension_recorded_through_dialog_and_second_refused(qtbot, context, ids, register, no_message_boxes):
    app_id = ids["due_soon"]
    dialog = deadline_dialogs.StepDialog(context, app_id, "extension")
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2026, 11, 25))
    dialog.accept()  # no approver or reason yet
    assert dialog.errors.isVisible() or not dialog.errors.isHidden()
    assert "批准" in dialog.errors.text() and "理由" in dialog.errors.text()
    assert dialog.result() == 0
    dialog.fields["approver"].setText("张主任")
    dialog.fields["approved_on"].setDate(QDate(2026, 11, 25))
    dialog.fields["reason"].setPlainText("涉及多个部门，需调取档案核查")
    dialog.fields["days"].setValue(15)
    assert "2026-12-18" in dialog.info.text()  # 2026-11-27 + 15 working days
    with qtbot.waitSignal(context.data_changed):
        dialog.accept()
    assert dialog.result() == 1
    app = applications.get(register, app_id)
    assert app.due_date == "2026-12-18" and app.status == "extended"
    ev = [e for e in applications.events(register, app_id) if e.kind == "extension"][0]
    assert ev.data["approver"] == "张主任" and ev.data["days"] == 15
    # the second time the step is refused with the reason, no dialog
    assert deadline_dialogs.open_step(context, app_id, "extension") is False
    assert "只能延长一次" in no_message_boxes[-1][1]


def test_correction_dialog_and_steps_menu(qtbot, context, ids, register, no_message_boxes):
    app_id = ids["running"]
    menu = deadline_dialogs.steps_menu(context, app_id)
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled["补正告知…"] and enabled["延期答复…"] and not enabled["收到补正…"]
    assert not enabled["已缴费…"] and enabled["期限计算明细…"]
    dialog = deadline_dialogs.StepDialog(context, app_id, "correction_requested")
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2026, 11, 18))
    dialog.fields["items"].setPlainText("请提供身份证明复印件")
    dialog.fields["period_days"].setValue(10)
    dialog.accept()
    assert dialog.result() == 1
    assert applications.get(register, app_id).status == "awaiting_correction"
    assert [e.kind for e in applications.events(register, app_id)][-1] == "correction_requested"


def test_breakdown_dialog_shows_pause_days(qtbot, context, ids):
    dialog = deadline_dialogs.BreakdownDialog.for_application(context, ids["third_party"])
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    assert table.item(0, 2).text() == "起算日"
    r = rows["2026-11-17"]
    assert table.item(r, 2).text() == "不计" and "第三方" in table.item(r, 3).text()
    assert table.item(r, 0).background().color() == deadline_dialogs.PAUSE_BG
    last = table.rowCount() - 1
    assert table.item(last, 0).text() == "2026-12-21" and "届满日" in table.item(last, 3).text()
    assert "2026-12-21" in dialog.summary.text()
    assert dialog.choice.count() >= 3  # reply, correction notice, third party


def test_calculator_counts_working_days_and_warns_when_the_year_is_provisional(qtbot, context):
    dialog = deadline_dialogs.CalculatorDialog(context)
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 9, 28))
    dialog.days.setValue(20)
    assert dialog.result_date == D(2026, 10, 30) and "2026-10-30" in dialog.result.text()
    dialog.preset_buttons[2].click()  # 补正告知 7
    assert dialog.result_date == D(2026, 10, 13)
    dialog.start.setDate(QDate(2026, 12, 20))
    dialog.days.setValue(20)
    assert "暂定" in dialog.result.text() and dialog.warning.isVisibleTo(dialog)


def test_settings_tab_rules_and_override(qtbot, context, ids, register, monkeypatch, no_message_boxes):
    from desktop_app.ui import deadline_settings

    shown = []
    monkeypatch.setattr(deadline_settings, "show_moved", lambda ctx, moved, reason, parent: shown.append(moved))
    tab = deadline_settings.DeadlineSettingsTab(context)
    qtbot.addWidget(tab)
    assert "2004–2026年" in tab.covered.text()
    tab.spins["reply_days"].setValue(25)
    assert "20个工作日" in tab.validate()
    tab.spins["reply_days"].setValue(15)
    assert tab.validate() is None
    tab.save()
    assert deadlines.load_rules(register).reply_days == 15
    moved_ids = {m.app_id for m in shown[-1]}
    assert ids["running"] in moved_ids and ids["correction"] not in moved_ids
    tab.override_date.setDate(QDate(2026, 12, 1))
    tab.override_kind.setCurrentIndex(0)
    tab.override_note.setText("台风停止办公")
    tab.add_override()
    assert tab.overrides.rowCount() == 1 and tab.overrides.item(0, 2).text() == "台风停止办公"
    assert shown[-1]  # some due dates moved by the day off


def test_schedule_dialog_enters_a_year(qtbot, context, ids, register):
    from desktop_app.ui.deadline_settings import ScheduleDialog

    dialog = ScheduleDialog(context)
    qtbot.addWidget(dialog)
    dialog.year_spin.setValue(2027)
    dialog.text.setPlainText("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
                             "二、春节：2月6日至14日放假调休，共9天。2月20日（周六）上班。")
    assert dialog.parse() and dialog.preview.rowCount() == 13
    dialog.accept()
    assert dialog.result() == 1

    assert 2027 in deadlines.load_calendar(register).covered_years()


def test_startup_hook_tells_the_clerk(qtbot, context, ids):
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui.dashboard_page import startup_hook

    window = QMainWindow()
    qtbot.addWidget(window)
    box = startup_hook(context, window, today=sc.TODAY)
    assert box is not None and box.isVisible() and not box.isModal()
    assert "已逾期 2 件" in box.text() and "今日到期 1 件" in box.text()
    assert "3个工作日内到期 1 件" in box.text()
    assert window.statusBar().currentMessage().startswith("请注意")


def test_startup_hook_quiet_when_nothing_is_due(qtbot, context):
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.ui.dashboard_page import startup_hook

    window = QMainWindow()
    qtbot.addWidget(window)
    assert startup_hook(context, window, today=D(2026, 11, 25)) is None
    box = startup_hook(context, window, today=D(2027, 1, 5))
    assert box is not None and "年度报告" in box.text()


def test_deadline_section_shows_days_left_extension_and_correction_of_the_selection(qtbot, context, ids):
    from desktop_app.ui.deadline_section import DeadlineSection

    section = DeadlineSection(context)
    qtbot.addWidget(section)
    section.today_override = sc.TODAY
    section.set_application(ids["extended"])
    assert "剩余8个工作日" in section.badge.text()
    assert "批准人张主任" in section.body.text() and "2026-12-07" in section.body.text()
    section.set_application(ids["correction"])
    assert "待补正" in section.badge.text() and "收到补正材料后重新起算" in section.body.text()
    section.set_application(None)
    assert not section.isEnabled()


def test_lapsed_correction_closed_from_detail_section(qtbot, context, register, person_record,
                                                      no_message_boxes):
    app_id = sc.add(register, "冯某", D(2026, 10, 9), "某文件",
                    [("correction_requested", D(2026, 10, 12), {"items": "请写明文件名称", "period_days": 10})])
    from desktop_app.ui.deadline_section import DeadlineSection

    section = DeadlineSection(context)
    qtbot.addWidget(section)
    section.today_override = sc.TODAY
    section.set_application(app_id)
    assert not section.close_button.isHidden() and "逾期不补正" in section.close_button.text()
    section.close_button.click()
    app = applications.get(register, app_id)
    assert app.outcome == "other" and app.outcome_reason == 1 and app.status == "closed"
    assert section.close_button.isHidden()


def test_breakdown_exported_as_pdf(qtbot, context, ids, tmp_path, no_message_boxes):
    from pypdf import PdfReader

    dialog = deadline_dialogs.BreakdownDialog.for_application(context, ids["third_party"])
    qtbot.addWidget(dialog)
    path = dialog.export_pdf(str(tmp_path / "说明"))
    assert path.endswith(".pdf")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "期限计算说明" in compact and "2026-12-21" in compact and "某某化工有限公司" in compact
    assert "第20日" in compact and "不计" in compact
    assert "已保存" in no_message_boxes[-1][1]


def test_cancel_last_step_from_menu(qtbot, context, ids, register, no_message_boxes):
    app_id = ids["extended"]
    menu = deadline_dialogs.steps_menu(context, app_id)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert any(t.startswith("撤销最近一步（延期答复 2026-11-05）") for t in texts)
    with qtbot.waitSignal(context.data_changed):
        assert deadline_dialogs.cancel_step(context, app_id, reason="批准人录错")
    app = applications.get(register, app_id)
    assert app.extension_days == 0 and app.status != "extended"
    assert deadline_dialogs.cancel_step(context, app_id, reason="再撤") is False
    assert "没有可以撤销" in no_message_boxes[-1][1]


def test_plugged_into_the_main_window(qtbot, context, ids, register, db_path):
    from desktop_app.ui.features import FEATURES
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.settings_dialog import SettingsDialog

    keys = [e.key for e in FEATURES.pages]
    assert keys[0] == "dashboard" and keys[keys.index("register") + 1] == "calendar"
    assert FEATURES.detail_sections[0].key == "deadline"
    assert "deadline_calculator" in [e.key for e in FEATURES.file_actions]
    assert "deadline_reminder" in [e.key for e in FEATURES.startup_hooks]
    window = MainWindow(context)
    qtbot.addWidget(window)
    from desktop_app.ui.calendar_page import CalendarPage
    from desktop_app.ui.dashboard_page import DashboardPage

    assert isinstance(window.page("dashboard"), DashboardPage)
    assert isinstance(window.page("calendar"), CalendarPage)
    labels = [a.text() for a in window.file_actions]
    assert "期限计算器…" in labels
    dialog = SettingsDialog(context, window)
    qtbot.addWidget(dialog)
    assert "期限与日历" in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    # the dashboard opens an application in the register
    dash = window.page("dashboard")
    dash.set_today(sc.TODAY)
    dash.select("due_today")
    dash.open_selected()
    assert window.current_page_key() == "register"


def test_every_step_dialog_builds(qtbot, context, ids, register):
    from desktop_app.domain import deadlines as dl

    for kind in dl.STEP_LABELS:
        dialog = deadline_dialogs.StepDialog(context, ids["running"], kind)
        qtbot.addWidget(dialog)
        assert dialog.info.text()  # each explains what the step does to the deadline
    dialog = deadline_dialogs.StepDialog(context, ids["running"], "deadline_set")
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2026, 11, 20))
    dialog.fields["due_date"].setDate(QDate(2027, 1, 29))
    dialog.fields["reason"].setPlainText("同一申请人一个月内提出120件申请")
    dialog.accept()
    assert dialog.result() == 1
    app = applications.get(register, ids["running"])
    assert app.due_date == "2027-01-29" and app.deadline_provisional == 0


def test_step_offers_the_matching_notice(qtbot, context, ids, monkeypatch, no_message_boxes):
    from desktop_app.ui import documents_actions

    opened = []

    class FakeNotice:
        def __init__(self, ctx, app_id, parent=None, kind=None):
            opened.append((app_id, kind))

        def exec(self):
            return 0

        def deleteLater(self):
            pass

    monkeypatch.setattr(documents_actions, "NoticeDialog", FakeNotice)
    monkeypatch.setattr(deadline_dialogs.StepDialog, "exec", lambda self: 1)
    assert deadline_dialogs.open_step(context, ids["running"], "third_party_sent")
    assert opened == [(ids["running"], "third_party")]
    assert deadline_dialogs.open_step(context, ids["third_party"], "third_party_replied")
    assert len(opened) == 1  # a reply from the third party needs no notice
