"""The 年度报告 and 复议诉讼 pages: drill-down, section 二 form, drafts,
year lock and the cases dialog (pytest-qt, offscreen)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.services import applications, report
from desktop_app.services import cases as review_cases
from desktop_app.ui.cases_page import CaseDialog, CasesPage, PublishedGuard
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES
from desktop_app.ui.report_page import ReportPage


@pytest.fixture
def context(report_register, db_path):
    return AppContext(report_register, FEATURES)


@pytest.fixture
def page(qtbot, context):
    page = ReportPage(context)
    page.year.setValue(2025)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def click(qtbot, table, item):
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_tables_drill_down_and_open(qtbot, page, context, report_register):
    item = page.table3.item_for(("section3", "withheld.4", "business"))
    assert item.text() == "2"
    assert page.table3.rowSpan(0, 0) == 3 and page.table3.columnSpan(0, 0) == 3
    assert page.table3.item(0, 3).text() == "申请人情况" and page.table3.columnSpan(0, 3) == 7
    click(qtbot, page.table3, item)
    serials = {page.cell_model.text(r, 0) for r in range(page.cell_model.rowCount())}
    assert serials == {"2025-0001", "2025-0002"}
    assert "共 2 件申请" in page.cell_title.text()
    with qtbot.waitSignal(context.application_requested) as signal:
        page.cell_list.doubleClicked.emit(page.cell_model.index(0, 0))
    assert signal.args == [applications.find_by_serial(report_register, "2025-0001").id]
    # section 四: the case behind 未经复议直接起诉·结果纠正
    item4 = page.table4.item_for(("section4", "lawsuit_direct", "corrected"))
    assert item4.text() == "1"
    click(qtbot, page.table4, item4)
    assert page.cell_model.rowCount() == 1 and "结果纠正" in page.cell_title.text()
    assert page.cell_model.headers[0] == "案号"


def test_section2_form_validates_and_shows_last_year(qtbot, page, report_register):
    report.save_section2(report_register, 2024, {"licensing_decisions": 999})
    page.load_year()
    assert page.s2_previous["licensing_decisions"].text() == "上年：999"
    assert page.s2_edits["licensing_decisions"].text() == "1204"
    page.s2_edits["penalty_decisions"].setText("八十")
    assert page.save_section2() is False
    assert "应为整数" in page.s2_errors.text()
    assert report.get_section2(report_register, 2025)["penalty_decisions"] == 88
    page.s2_edits["penalty_decisions"].setText("90")
    assert page.save_section2() is True
    assert report.get_section2(report_register, 2025)["penalty_decisions"] == 90
    assert page.table2.grid.text_at(9, 1) == "90"


def test_draft_and_save_texts(qtbot, page, report_register):
    edit = page.text_edits["section1"]
    assert "共收到政府信息公开申请5件" in edit.toPlainText()
    assert "尚未保存" in page.text_state["section1"].text()
    edit.setPlainText("本机关的总体情况。")
    page.save_text("section1")
    assert report.get_texts(report_register, 2025)["section1"] == "本机关的总体情况。"
    page.generate_draft("section1")
    assert "共收到政府信息公开申请5件" in edit.toPlainText()
    edit.undo()
    assert edit.toPlainText() == "本机关的总体情况。"


def test_publish_then_change_lists_differences_and_warns(qtbot, page, context, report_register,
                                                        monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    guard = PublishedGuard(context, page)
    page.publish()
    assert report.published(report_register, 2025) is not None
    assert "已发布" in page.status.text()
    app = applications.find_by_serial(report_register, "2025-0002")
    from desktop_app.services import year_lock
    year_lock.unlock_year(report_register, 2025, "更正第2件的办理结果")  # published years are locked
    applications.update_application(report_register, app.id, {"outcome": "disclosed", "outcome_reason": None},
                                       today=__import__("datetime").date(2026, 6, 30)).changes
    context.notify_changed()
    assert page.diff_list.rowCount() == len(page.diffs) > 0
    rows = [[page.diff_list.item(r, c).text() for c in range(5)] for r in range(page.diff_list.rowCount())]
    assert ["三", "4.保护第三方合法权益", "商业企业", "2", "1"] in rows
    assert guard.last_box is not None and "2025年" in guard.last_box.text()
    assert guard.check() == []  # warned once, not again for the same difference
    changed = page.table3.item_for(("section3", "disclosed", "business"))
    assert changed.toolTip() == "此数与已发布的数字不同"
    assert any(i.code == "published_changed" for i in page.issues)


def test_export_from_page(qtbot, page, tmp_path):
    out = tmp_path / "r.docx"
    assert page.export_to(out) is None
    assert out.stat().st_size > 0


def test_case_dialog_validates_and_saves(qtbot, context, report_register):
    dialog = CaseDialog(context)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(0)
    dialog.closed.set_value("2025-03-01")
    dialog.result.setCurrentIndex(3)  # 尚未审结 with a closing date
    dialog.application.setText("2099-0001")
    dialog.save()
    assert "找不到申请编号" in dialog.errors["application_id"].text()
    dialog.application.setText("2025-0003")
    dialog.filed.setDate(dialog.filed.date().fromString("2025-02-01", "yyyy-MM-dd"))
    dialog.save()
    assert "请选择审结结果" in dialog.errors["result"].text()
    assert review_cases.list_cases(report_register) and len(review_cases.list_cases(report_register)) == 1
    dialog.result.setCurrentIndex(0)  # 结果维持
    with qtbot.waitSignal(context.data_changed):
        dialog.save()
    cases = review_cases.list_cases(report_register)
    assert len(cases) == 2
    new = next(c for c in cases if c.id == dialog.saved_id)
    assert new.application_serial == "2025-0003" and new.result == "upheld"


def test_cases_page_lists_year(qtbot, context):
    page = CasesPage(context)
    qtbot.addWidget(page)
    page.year_filter.setCurrentIndex(page.year_filter.findData(2025))
    assert page.table.rowCount() == 1
    assert "行政诉讼（未经复议直接起诉） 1 件" in page.summary.text()
    page.year_filter.setCurrentIndex(page.year_filter.findData(2024))
    assert page.table.rowCount() == 0


def test_export_and_combine_dialogs(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(("info", a[2])))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(("error", a[2])))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Yes)
    a = tmp_path / "a"  # the dialog adds the extension
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **k: (str(a), ""))
    page.export_dialog(".json")
    qtbot.waitUntil(lambda: len(shown) == 1)  # written off the GUI thread
    assert (tmp_path / "a.json").exists() and shown[-1][0] == "info"
    import json
    other = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    other["agency"] = "乙局"
    other["agencies"] = ["乙局"]
    (tmp_path / "b.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "all.xlsx"
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *args, **k: ([str(tmp_path / "a.json"), str(tmp_path / "b.json")], ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **k: ("测试区", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **k: (str(out), ""))
    page.combine_dialog()
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert out.exists() and "已合并2个机关" in shown[-1][1]
    other["year"] = 2024
    (tmp_path / "b.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    page.combine_dialog()
    qtbot.waitUntil(lambda: len(shown) == 3)
    assert shown[-1][0] == "error" and "不同年度" in shown[-1][1]


def test_none_refcount_protected_against_pyside_void_calls(qtbot):
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call;
    without the work-around 20,000 calls abort the interpreter."""
    import sys

    from PySide6.QtWidgets import QLabel

    from desktop_app.ui.qt_workarounds import protect_none_refcount

    protected = protect_none_refcount()
    assert protected == (sys.version_info < (3, 12) and sys.implementation.name == "cpython")
    if protected:
        assert sys.getrefcount(None) > 2 ** 39
    label = QLabel()
    qtbot.addWidget(label)
    for _ in range(20_000):
        label.setText("x")
    assert label.text() == "x"


def test_manual_carry_forward_dialog(qtbot, page, report_register, monkeypatch):
    from desktop_app.ui.report_page import CarryForwardDialog

    def fake_exec(dialog):
        dialog.boxes["自然人"].setValue(4)
        dialog.boxes["总计"].setValue(4)
        return CarryForwardDialog.Accepted

    monkeypatch.setattr(CarryForwardDialog, "exec", fake_exec)
    page.edit_manual_carry_forward()
    assert report.manual_carry_forward(report_register, 2024)["自然人"] == 4
    mismatch = [i for i in page.issues if i.code == "carry_mismatch"]
    assert mismatch and "手工录入的2024年报告" in mismatch[0].message
    texts = [page.check_list.item(r, 1).text() for r in range(page.check_list.rowCount())]
    assert any("手工录入的2024年报告" in t for t in texts)


def test_export_dialog_offers_the_published_version(qtbot, page, report_register, tmp_path,
                                                    monkeypatch):
    import datetime as dt
    import json

    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    done = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: done.append(a[2]))
    page.publish()
    app = applications.find_by_serial(report_register, "2025-0002")
    from desktop_app.services import year_lock
    year_lock.unlock_year(report_register, 2025, "更正第2件的办理结果")  # published years are locked
    applications.update_application(report_register, app.id, {"outcome": "disclosed", "outcome_reason": None},
                                       today=dt.date(2026, 6, 30)).changes
    page.refresh_figures()
    out = tmp_path / "frozen.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "clickedButton",
                        lambda self: next(b for b in self.buttons() if b.text() == "已发布的版本"))
    page.export_dialog(".json")
    qtbot.waitUntil(lambda: len(done) == 1)
    rows = {r["label"]: r["values"] for r in json.loads(out.read_text(encoding="utf-8"))["section3"]}
    assert rows["4.保护第三方合法权益"]["商业企业"] == 2  # as published, before the change


def test_detail_section_shows_where_an_application_counts(qtbot, context, report_register):
    from desktop_app.ui.report_section import ReportPlacementSection

    section = ReportPlacementSection(context)
    qtbot.addWidget(section)
    first = applications.find_by_serial(report_register, "2024-0001")  # received 2024-11-10, closed 2025-02-01
    report.publish(report_register, 2025)
    section.set_application(first.id)
    text = section.label.text()
    assert "2024年" in text and "一、本年新收 → 四、结转下年度继续办理（自然人列）" in text
    assert "2025年" in text and "二、上年结转 → （一）予以公开（自然人列）" in text
    assert "已发布" in text and "会改变已发布报告中的数字" in text
    case_app = applications.find_by_serial(report_register, "2025-0002")
    from desktop_app.services import year_lock
    with pytest.raises(year_lock.YearLockedError):  # a case of a published year changes its section 四
        review_cases.add_case(report_register, {"kind": "reconsideration", "filed_date": "2025-05-01",
                                                "case_number": "测复〔2025〕1号", "application_id": case_app.id},
                              today=__import__("datetime").date(2026, 6, 30))
    year_lock.unlock_year(report_register, 2025, "补录复议案件")
    review_cases.add_case(report_register, {"kind": "reconsideration", "filed_date": "2025-05-01",
                                            "case_number": "测复〔2025〕1号", "application_id": case_app.id},
                          today=__import__("datetime").date(2026, 6, 30))
    section.set_application(case_app.id)
    assert "（三）不予公开 4.保护第三方合法权益（商业企业列）" in section.label.text()
    assert "测复〔2025〕1号（尚未审结）" in section.label.text()


def test_failed_background_export_is_shown(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import desktop_app.ui.report_page as report_page
    from desktop_app.services.report import ExportError

    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: errors.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Yes)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "r.pdf"), ""))

    def refuse(*args, **kwargs):
        raise ExportError("无法写入：文件正被其他程序打开。")

    monkeypatch.setattr(report_page.report, "export", refuse)
    page.export_dialog(".pdf")
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert "正被其他程序打开" in errors[0]
    qtbot.waitUntil(lambda: not page._workers)
    assert not (tmp_path / "r.pdf").exists()
