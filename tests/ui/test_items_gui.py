"""The 主动公开 page, the item form's validation, the dashboard's cards,
section 二 drill-down on the report page and items on the month calendar
(pytest-qt, offscreen).  Screenshots go to docs/screenshots/ when
DISCLOSURE_DESK_SCREENSHOTS is set."""

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.services import items
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES

TODAY = dt.date(2026, 11, 20)
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(widget, name):
    if os.environ.get("DISCLOSURE_DESK_SCREENSHOTS"):
        from PySide6.QtWidgets import QApplication

        for _ in range(3):  # let the layouts settle as on screen
            QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"proactive-{name}.png"))


@pytest.fixture
def filled(register):
    reg = register
    doc = items.add(reg, {"title": "望城区养老服务补贴管理办法", "kind": "normative", "doc_number": "望政发〔2025〕3号",
                          "formed_on": "2025-03-03", "published_on": "2025-03-20", "channels": "政府网站、政府公报",
                          "summary": "规定补贴对象、标准和申领程序。"}, today=TODAY)
    items.add(reg, {"title": "《望城区养老服务补贴管理办法》政策解读", "kind": "interpretation",
                    "interpretation_of": doc, "published_on": "2025-03-27", "channels": "政府网站"}, today=TODAY)
    items.add(reg, {"title": "2025年3月行政许可办理结果公示", "art20": 5, "formed_on": "2025-03-03",
                    "published_on": "2025-04-10", "channels": "政府网站"}, today=TODAY)
    items.add(reg, {"title": "2026年冬季供暖保障工作方案", "art20": 3, "formed_on": "2026-10-09"}, today=TODAY)
    items.add(reg, {"title": "2026年11月行政许可办理结果公示", "art20": 5, "formed_on": "2026-10-28"}, today=TODAY)
    items.add(reg, {"title": "2026年第三批行政处罚决定", "art20": 6, "formed_on": "2026-06-01",
                    "published_on": "2026-07-20", "channels": "政府网站"}, today=TODAY)
    return reg


@pytest.fixture
def context(filled):
    ctx = AppContext(filled, FEATURES)
    ctx.today_override = TODAY
    return ctx


def test_register_page_filters_by_timeliness_year_item_and_text(qtbot, context):
    from desktop_app.ui.items_page import ItemsPage

    page = ItemsPage(context)
    qtbot.addWidget(page)
    page.resize(1280, 640)
    page.show()
    assert page.model.rowCount() == 6
    assert "共 6 条" in page.status.text() and "已逾期未公开 1 条" in page.status.text()
    # unpublished first, newest first
    assert page.model.record(0).published_on is None
    shot(page, "register")
    page.set_state_filter("overdue")
    assert [page.model.record(r).title for r in range(page.model.rowCount())] == ["2026年冬季供暖保障工作方案"]
    state_col = [c[1] for c in __import__("desktop_app.ui.items_page", fromlist=["COLUMNS"]).COLUMNS].index("days_late")
    assert page.model.index(0, state_col).data().startswith("已逾期")
    page.set_state_filter("late")
    # the licensing results of 2025, the interpretation 5 working days after its document, the penalties of 2026
    assert page.model.rowCount() == 3
    page.set_state_filter("late", 2026)
    assert page.model.rowCount() == 1
    page.set_state_filter(None)
    page.art20.setCurrentIndex(page.art20.findData(5))
    assert page.model.rowCount() == 2
    page.art20.setCurrentIndex(0)
    page.search.setText("养老")
    page.apply_filter()
    assert page.model.rowCount() == 2
    page.kind.setCurrentIndex(page.kind.findData("interpretation"))
    assert page.model.rowCount() == 1


def test_item_dialog_shows_errors_in_chinese_and_saves_nothing_until_fixed(qtbot, context, filled):
    from desktop_app.ui.item_dialog import ItemDialog

    dialog = ItemDialog(context, None)
    qtbot.addWidget(dialog)
    dialog.widgets["title"].setText("")
    dialog.widgets["attribute"].setCurrentIndex(dialog.widgets["attribute"].findData("withheld"))
    dialog.widgets["kind"].setCurrentIndex(dialog.widgets["kind"].findData("rule"))
    assert "规章制定权" in dialog.errors["kind"].text()  # told at once why a rule cannot be recorded
    assert dialog.save() is False
    assert dialog.errors["title"].text() == "请填写信息名称。"
    assert "理由" in dialog.errors["attribute_reason"].text()
    assert dialog.summary_error.isVisibleTo(dialog) and "未保存" in dialog.summary_error.text()
    assert items.count(filled) == 6
    dialog.resize(820, 660)
    dialog.show()
    shot(dialog, "item-dialog-errors")
    dialog.widgets["title"].setText("区政府常务会议纪要")
    dialog.widgets["kind"].setCurrentIndex(dialog.widgets["kind"].findData("other"))
    dialog.widgets["attribute_reason"].setText("《条例》第十六条 内部事务信息")
    dialog.widgets["formed_on"].set_value("2026-11-02")
    assert dialog.save() is True
    assert items.get(filled, dialog.saved_id).attribute == "withheld"


def test_item_dialog_of_a_document_lists_its_interpretation_and_deadline(qtbot, context, filled):
    from desktop_app.ui.item_dialog import ItemDialog

    doc = filled.store.items.all()[0]
    dialog = ItemDialog(context, doc.id)
    qtbot.addWidget(dialog)
    dialog.resize(820, 660)
    dialog.show()
    assert "2025-03-31" in dialog.deadline_label.text() and "按时公开" in dialog.deadline_label.text()
    assert "政策解读" in dialog.children_label.text()
    shot(dialog, "item-dialog")
    late = [r for r in filled.store.items.all() if r.title.startswith("2025年3月行政许可")][0]
    d2 = ItemDialog(context, late.id)
    qtbot.addWidget(d2)
    assert "逾期公开" in d2.deadline_label.text() and "晚" in d2.deadline_label.text()


def test_dashboard_cards_count_items_and_open_the_register_filtered(qtbot, context, monkeypatch):
    from desktop_app.ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    window = MainWindow(context, start_page="dashboard")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    dash = window.page("dashboard")
    dash.set_today(TODAY)
    strip = dash.proactive_strip
    assert strip.cards["overdue"].count == 1
    assert strip.cards["due_soon"].count == 1
    assert strip.cards["late"].count == 1
    shot(window, "dashboard")
    qtbot.mouseClick(strip.cards["overdue"], Qt.LeftButton)
    assert window.current_page_key() == "proactive"
    page = window.pages["proactive"]
    assert page.model.rowCount() == 1 and page.state.currentData() == "overdue"


def test_report_section2_is_computed_and_drills_down_to_documents(qtbot, context, filled):
    from desktop_app.ui.report_page import ReportPage

    items.save_figure(filled, 2025, 1, "licensing_decisions", 30, "区政务服务平台")
    page = ReportPage(context)
    page.year.setValue(2025)
    qtbot.addWidget(page)
    page.resize(1366, 860)
    page.show()
    cell = page.table2.item_for(("section2", "normative_issued"))
    assert cell.text() == "1"
    page.show_cell(("section2", "normative_issued"))
    assert "共 1 件，由主动公开目录统计" in page.cell_title.text()
    assert page.cell_model.text(0, 1) == "望城区养老服务补贴管理办法"
    shot(page, "section2-drilldown")
    page.show_cell(("section2", "licensing_decisions"))
    assert "来源：区政务服务平台（1个月）" in page.cell_title.text()
    assert page.table2.item_for(("section2", "regulations_issued")).text() == "0"
    # the form: computed counts stay blank with the register's count as a hint; monthly figures read-only
    assert page.s2_edits["normative_issued"].text() == "" and "目录统计 1" in page.s2_edits["normative_issued"].placeholderText()
    assert page.s2_edits["licensing_decisions"].isReadOnly()


def test_the_month_calendar_shows_items_due(qtbot, context):
    from desktop_app.ui.calendar_page import CalendarPage

    page = CalendarPage(context)
    qtbot.addWidget(page)
    page.show_month(2026, 11)
    due = items.get(context.session, [r for r in context.session.store.items.all()
                                       if r.title.startswith("2026年冬季")][0].id).due_date
    d = dt.date.fromisoformat(due)
    cell = next(page.grid.item(r, c) for (r, c), day in page.cells.items() if day == d)
    assert "◆ 1条公开到期" in cell.text()
    page._show_day(d)
    assert any("2026年冬季供暖保障工作方案" in page.due_list.item(i).text() for i in range(page.due_list.count()))


def test_monthly_figures_dialog_saves_each_month_with_its_source(qtbot, context, filled):
    from PySide6.QtWidgets import QTableWidgetItem

    from desktop_app.ui.figures_dialog import FIELDS, FiguresDialog

    dialog = FiguresDialog(context, 2025)
    qtbot.addWidget(dialog)
    col = FIELDS.index("licensing_decisions")
    dialog.table.setItem(0, col, QTableWidgetItem("30"))
    dialog.table.setItem(1, col, QTableWidgetItem("十二"))
    dialog.sources["licensing_decisions"].setText("区政务服务平台")
    assert dialog.save() is False and "应为整数" in dialog.error.text()
    dialog.table.setItem(1, col, QTableWidgetItem("12"))
    assert dialog.save() is True
    s2 = items.section2(filled, 2025)
    assert s2.values["licensing_decisions"] == 42 and "区政务服务平台" in s2.sources["licensing_decisions"]


def test_item_dialog_saves_a_comment_period_and_refuses_a_reversed_one(qtbot, context, filled):
    from PySide6.QtWidgets import QTableWidgetItem

    from desktop_app.ui.item_dialog import ItemDialog

    doc = filled.store.items.all()[0]
    dialog = ItemDialog(context, doc.id)
    qtbot.addWidget(dialog)
    dialog._add_period({"start_on": "2025-02-01", "end_on": "2025-01-01", "channel": "门户网站"})
    assert dialog.save() is False and "结束日期早于开始日期" in dialog.period_error.text()
    dialog.periods.setItem(0, 1, QTableWidgetItem("2025-03-01"))
    dialog.periods.setItem(0, 3, QTableWidgetItem("12"))
    assert dialog.save() is True
    (period,) = items.get(filled, doc.id).comment_periods
    assert (period.start_on, period.end_on, period.comments_received) == ("2025-02-01", "2025-03-01", 12)


def test_settings_tab_sets_rule_making_power_and_the_index_pattern(qtbot, context, filled):
    from desktop_app.ui.items_settings import ProactiveSettingsTab

    tab = ProactiveSettingsTab(context)
    qtbot.addWidget(tab)
    tab.pattern.setText("{年}-{序}")
    assert "未知的占位符" in tab.validate() and tab.validate().startswith("索引号格式")
    tab.pattern.setText("WC-{年}-{序号:04}")
    assert "WC-2026-0001" in tab.example.text()
    tab.rules.setChecked(True)
    assert tab.validate() is None
    tab.save()
    assert items.may_make_rules(filled)
    assert items.next_index_no(filled, 2026) == "WC-2026-0001"
    items.add(filled, {"title": "某规章", "kind": "rule", "formed_on": "2026-01-05"}, today=TODAY)
    tab.rules.setChecked(False)
    assert "已登记了规章" in tab.validate()


def test_catalogue_import_and_export_run_off_the_gui_thread(qtbot, context, filled, tmp_path, monkeypatch):
    from desktop_app.ui.items_page import ItemsPage

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]) or QMessageBox.Ok)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]) or QMessageBox.Ok)
    page = ItemsPage(context)
    qtbot.addWidget(page)
    out = tmp_path / "目录.xlsx"
    monkeypatch.setattr("desktop_app.ui.items_page.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), ""))
    page.export_dialog()
    assert out.exists() and "已导出 6 条" in shown[-1]
    assert page.import_file(str(out)) is True
    assert "6条与目录中已有的相同" in shown[-1]
    bad = tmp_path / "bad.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    assert page.import_file(str(bad)) is False and "信息名称" in shown[-1]


def test_delete_the_selected_item_after_confirming(qtbot, context, filled, monkeypatch):
    from desktop_app.ui.items_page import ItemsPage

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    page = ItemsPage(context)
    qtbot.addWidget(page)
    page.search.setText("养老服务补贴管理办法")
    page.apply_filter()
    page.kind.setCurrentIndex(page.kind.findData("normative"))
    page.view.selectRow(0)
    assert page.delete_selected() is True
    assert "1篇政策解读" in asked[-1]
    assert items.count(filled) == 5


def test_an_unpublished_interpretation_needs_no_formation_date(register):
    doc = items.add(register, {"title": "某办法", "kind": "normative", "formed_on": "2025-03-03",
                               "published_on": "2025-03-20", "channels": "政府网站"}, today=TODAY)
    interp = items.add(register, {"title": "某办法解读", "kind": "interpretation", "interpretation_of": doc},
                       today=TODAY)
    assert items.get(register, interp).due_date == "2025-03-25"
