"""The first hour of a new clerk in the GUI (offscreen): the first-start
guide, the empty states, 帮助 (manual and shortcuts), and the smaller
things of issue 16 at 1024×768."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWizard

from desktop_app.services import applications, first_start
from desktop_app.ui import first_start_guide
from desktop_app.ui.app import create_main_window
from desktop_app.ui.first_start_guide import FirstStartGuide
from desktop_app.ui.help_window import HelpWindow, all_shortcuts, manual_html

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path):
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def window(qapp, register):
    w = create_main_window(register)
    w._start_maximized = False
    w.resize(1366, 768)
    w.show()
    qapp.processEvents()
    yield w
    w.close()
    w.deleteLater()


def _settle():
    for _ in range(5):
        QApplication.processEvents()


def _add(register, person_record, **changes):
    return applications.register_application(register, {**person_record, **changes}).app_id


# --- the first-start guide --------------------------------------------------------------------


def test_the_guide_saves_the_agency_details_and_lands_finished(window, register):
    guide = FirstStartGuide(window.context, window)
    guide.show()
    page = guide.agency_page
    assert not page.isComplete()  # the agency's name is required
    page.name_edit.setText("长沙市望城区人民政府办公室")
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("department"))
    assert "本级人民政府" in page.kind_hint.text()
    assert not page.body_edits["higher_government"].isVisibleTo(page)  # only the bodies of this kind
    page.body_edits["own_government"].setText("长沙市望城区人民政府")
    page.prefix_edit.setText("望政办公开")
    assert "望政办公开" in page.prefix_example.text()
    page.serial_edit.setText("YSQ{年}{序号:03}")
    assert f"YSQ{TODAY.year}001" in page.serial_example.text()
    guide.next()
    assert guide.currentPage() is guide.ledger_page
    guide.next()
    assert guide.currentPage() is guide.storage_page
    assert str(register.path) in guide.storage_page.database_label.text()
    guide.accept()
    stored = register.store.settings.stored()
    assert stored["agency_name"] == "长沙市望城区人民政府办公室"
    assert stored["agency_kind"] == "department"
    assert stored["own_government"] == "长沙市望城区人民政府"
    assert stored["doc_number_prefix"] == "望政办公开"
    assert stored["first_start_guide"] == "done"
    assert not guide.wants_import


def test_a_serial_pattern_that_cannot_be_used_keeps_the_guide_on_its_first_page(window, register):
    guide = FirstStartGuide(window.context, window)
    guide.show()
    guide.agency_page.name_edit.setText("某局")
    guide.agency_page.serial_edit.setText("{年}-")
    guide.next()
    assert guide.currentPage() is guide.agency_page
    assert guide.agency_page.serial_error.text()
    assert "agency_name" not in register.store.settings.stored()


def test_skipping_the_guide_records_it_and_the_next_start_does_not_ask_again(window, register, monkeypatch):
    shown = []

    def fake_exec(guide):
        shown.append(guide)
        guide.reject()  # 跳过向导
        return QWizard.Rejected

    monkeypatch.setattr(FirstStartGuide, "exec", fake_exec)
    first_start_guide.first_start_hook(window.context, window)
    _settle()  # the guide is offered from the event loop
    assert len(shown) == 1
    assert first_start.guide_state(register) == "skipped"
    first_start_guide.first_start_hook(window.context, window)  # the next start
    _settle()
    assert len(shown) == 1


def test_the_guide_waits_until_a_start_up_message_is_answered(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(FirstStartGuide, "exec", lambda guide: shown.append(guide) or guide.reject() or 0)
    box = QMessageBox(QMessageBox.Warning, "程序上次意外关闭", "…", QMessageBox.Ok, window)
    box.setModal(True)
    box.show()
    _settle()
    assert QApplication.activeModalWidget() is box
    first_start_guide.first_start_hook(window.context, window)
    _settle()
    QTest.qWait(first_start_guide.RETRY_MS * 2)
    assert shown == []  # not over the message
    box.accept()
    QTest.qWait(first_start_guide.RETRY_MS * 2)
    assert len(shown) == 1


def test_finishing_with_an_existing_ledger_starts_the_import(window, monkeypatch):
    started = []

    def fake_exec(guide):
        guide.agency_page.name_edit.setText("某局")
        guide.next()
        guide.ledger_page.import_radio.setChecked(True)
        guide.next()
        guide.accept()
        return QWizard.Accepted

    monkeypatch.setattr(FirstStartGuide, "exec", fake_exec)
    from desktop_app.ui import ledger_actions

    monkeypatch.setattr(ledger_actions, "import_ledger_action", lambda ctx, win: started.append(win))
    assert first_start_guide.run_guide(window.context, window)
    assert started == [window]
    assert window.current_page_key() == "register"


def test_the_guide_is_reopened_from_help_and_from_settings(window, monkeypatch):
    opened = []
    monkeypatch.setattr(first_start_guide, "run_guide", lambda ctx, win: opened.append("guide") or True)
    window.guide_action.trigger()
    assert opened == ["guide"]

    from desktop_app.ui.settings_dialog import SettingsDialog

    def settings_exec(dialog):
        dialog.guide_button.click()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", settings_exec)
    window.open_settings()
    assert opened == ["guide", "guide"]


# --- 帮助 -------------------------------------------------------------------------------------


def test_the_manual_covers_the_common_tasks():
    text = manual_html()
    for task in ("登记申请", "记录办理步骤", "打印文书", "年度报告", "备份与恢复", "导入台账"):
        assert f"、{task}</h3>" in text, task


def test_the_shortcut_list_is_read_from_the_actions_and_follows_a_change(window):
    rows = all_shortcuts(window)
    keys = {(what, key) for _where, what, key in rows}
    native = lambda k: QKeySequence(k).toString(QKeySequence.NativeText)  # noqa: E731
    assert ("新建申请", native(QKeySequence.New)) in keys
    assert ("搜索申请", native(QKeySequence.Find)) in keys
    assert ("使用说明", native(QKeySequence.HelpContents)) in keys
    assert ("转到“申请台账”", "Ctrl+2") in keys
    assert ("打印", native(QKeySequence.Print)) in keys  # the preview's own table
    window.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
    assert ("新建申请", "Ctrl+Shift+N") in {(w, k) for _p, w, k in all_shortcuts(window)}


def test_the_help_window_opens_on_either_tab_from_the_menu(window):
    window.manual_action.trigger()
    helper = window._help_window
    assert isinstance(helper, HelpWindow) and helper.isVisible()
    assert helper.tabs.currentIndex() == 0
    window.shortcuts_action.trigger()
    assert window._help_window is helper and helper.tabs.currentIndex() == 1
    assert helper.shortcut_table.rowCount() == len(all_shortcuts(window))


# --- empty states ------------------------------------------------------------------------------


def test_the_empty_register_says_how_to_begin_and_its_button_opens_the_form(window, monkeypatch):
    page = window.register_page()
    _settle()
    empty = page.table.empty_state
    assert empty.isVisible() and empty.mode == "empty"
    assert "新建申请" in empty.text.text() and "导入台账" in empty.text.text()
    assert empty.new_button.isVisible() and empty.import_button.isVisible()
    assert "在表格中选择" not in page.detail.empty_label.text()
    from desktop_app.ui.application_dialog import ApplicationDialog

    opened = []
    monkeypatch.setattr(ApplicationDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    empty.new_button.click()
    assert len(opened) == 1 and opened[0].app_id is None  # the form of a new application


def test_filters_that_hide_every_row_say_so_and_offer_to_clear_them(window, register, person_record):
    _add(register, person_record)
    window.context.notify_changed()
    page = window.register_page()
    _settle()
    assert not page.table.empty_state.isVisible()
    page.search_edit.setText("没有这个词")
    page.apply_filters()
    assert page.table.empty_state.isVisible() and page.table.empty_state.mode == "filtered"
    page.table.empty_state.clear_button.click()
    assert not page.table.empty_state.isVisible()
    assert page.model.visible_count() == 1


def test_the_empty_dashboard_says_how_to_begin(window, register, person_record):
    dashboard = window.show_page("dashboard")
    _settle()
    assert "还没有申请" in dashboard.empty_label.text()
    app_id = _add(register, person_record)
    applications.update_application(register, app_id, {
        "status": "closed", "reply_date": person_record["receipt_date"] + dt.timedelta(days=5),
        "outcome": "disclosed"})
    dashboard.refresh()
    assert "全部申请均已办结" in dashboard.empty_label.text()


def test_a_report_year_without_applications_says_where_its_figures_come_from(window, register, person_record):
    report_page = window.show_page("annual_report")
    _settle()
    year = report_page.current_year()
    assert report_page.empty_year_label.isVisible()
    assert f"{year}年度台账中没有申请" in report_page.empty_year_label.text()
    _add(register, person_record, receipt_date=dt.date(year, 1, 5) if year < TODAY.year
         else min(TODAY, dt.date(year, 3, 5)))
    report_page.refresh_figures()
    assert not report_page.empty_year_label.isVisible()


# --- the smaller things at 1024×768 --------------------------------------------------------------


def test_at_1024_the_register_shows_status_due_date_and_days_left_and_clear_does_not_overlap_search(
        window, register, person_record):
    for i in range(3):
        _add(register, person_record, applicant_name=f"张某{i}")
    window.context.notify_changed()
    window.resize(1024, 768)
    page = window.register_page()
    _settle()
    table = page.table
    viewport = table.viewport().rect()
    for key in ("serial", "applicant_name", "status", "due_date", "days_left"):
        col = page.model.column_index(key)
        rect = table.visualRect(page.model.index(0, col))
        assert viewport.contains(rect), (key, rect, viewport)
    search = page.search_edit.geometry()
    clear = page.clear_button.geometry()
    assert not search.intersects(clear), (search, clear)


def test_a_provisional_due_date_fits_its_column(window):
    from desktop_app.ui.deadline_columns import due_column_width

    page = window.register_page()
    col = page.model.column_index("due_date")
    needed = page.table.fontMetrics().horizontalAdvance("2027-01-04 暂定")
    assert page.table.columnWidth(col) >= due_column_width() >= needed + 8


def test_the_dashboard_tiles_show_their_whole_label_at_1024(window):
    window.resize(1024, 768)
    dashboard = window.show_page("dashboard")
    _settle()
    for tile in dashboard.tiles.values():
        label: QLabel = tile.label
        needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        assert label.height() >= needed, (label.text(), label.size(), needed)
        assert label.fontMetrics().boundingRect(label.rect(), int(label.alignment()) | 0x1000,
                                                label.text()).width() <= label.width()


def test_selecting_another_application_shows_its_detail_from_the_top(window, register, person_record):
    ids = [_add(register, person_record, applicant_name=f"李某{i}",
                info_description="很长的申请内容。" * 80) for i in range(2)]
    window.context.notify_changed()
    window.resize(1024, 600)
    page = window.register_page()
    _settle()
    page.select_application(ids[0])
    _settle()
    bar = page.detail.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    page.select_application(ids[1])
    _settle()
    assert bar.value() == 0


def test_a_replied_application_says_closed_once_with_its_reply_date(window, register, person_record):
    app_id = _add(register, person_record)
    reply = person_record["receipt_date"] + dt.timedelta(days=6)
    applications.update_application(register, app_id, {"status": "closed", "reply_date": reply,
                                                       "outcome": "disclosed"})
    from desktop_app.ui.deadline_section import DeadlineSection

    section = DeadlineSection(window.context, window)
    section.set_application(app_id)
    text = section.badge.text()
    assert text.count("已办结") == 1
    assert f"{reply.isoformat()}答复" in text


def test_the_fee_dialog_says_the_application_is_free_and_where_per_page_is_chosen(window, register, person_record):
    from desktop_app.ui.deadline_dialogs import StepDialog

    app_id = _add(register, person_record, receipt_date=TODAY - dt.timedelta(days=1))
    dialog = StepDialog(window.context, app_id, "fee_notice", window)
    text = dialog.fee_quote_label.text()
    assert dialog.fields["amount"].value() == 0
    assert "不收取信息处理费" in text and "不需要发出收费通知" in text
    assert "设置 → 文书 → 收费方式" in text and "按量计收" in text
    dialog.fields["method"].setCurrentIndex(dialog.fields["method"].findData("按量计收"))
    dialog.fee_pages.setValue(40)  # pages 31-40 at 10 yuan
    assert dialog.fields["amount"].value() == 100
    assert "100元" in dialog.fee_quote_label.text()
    assert dialog.data()["method"] == "按量计收"


def test_the_font_choosers_in_settings_have_their_labels_and_do_not_overlap_at_1024(window):
    from desktop_app.ui.documents_settings import DocumentSettingsTab
    from desktop_app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.context, window)
    dialog.resize(984, 700)
    tab = next(w for _e, w in dialog.pages if isinstance(w, DocumentSettingsTab))
    dialog.tabs.setCurrentWidget(tab)
    dialog.show()
    _settle()
    form = tab.font_section.layout()
    tops = []
    for picker in tab.font_section.pickers.values():
        cell = picker.parentWidget()
        label = form.labelForField(cell)
        assert isinstance(label, QLabel) and label.isVisible() and label.text().endswith("：")
        assert label.width() >= label.sizeHint().width(), label.text()
        assert picker.width() >= picker.minimumSizeHint().width()
        tops.append((cell.y(), cell.y() + cell.height()))
    for (_t1, bottom), (top2, _b2) in zip(tops, tops[1:], strict=False):
        assert bottom <= top2  # each chooser with its lines above the next
    viewport = tab.left_scroll.viewport()
    assert tab.font_section.width() <= viewport.width()
    dialog.reject()


def test_a_kind_without_its_reviewing_body_keeps_the_guide_on_its_first_page(window, register):
    guide = FirstStartGuide(window.context, window)
    guide.show()
    page = guide.agency_page
    page.name_edit.setText("国家税务总局长沙市望城区税务局")
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("vertical"))
    guide.next()
    assert guide.currentPage() is page
    assert "上一级主管部门" in page.kind_error.text()
    assert "agency_kind" not in register.store.settings.stored()
