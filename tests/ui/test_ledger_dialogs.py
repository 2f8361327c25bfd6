"""The 文件 menu's ledger actions through pytest-qt (dialogs monkeypatched)."""

import csv
import datetime as dt

import openpyxl
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desktop_app.services import applications
from desktop_app.ui import ledger_actions
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES
from desktop_app.ui.ledger_actions import ImportResultDialog

HEADER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "通信地址",
          "电子邮箱", "申请内容", "答复日期", "办理结果", "结果细项", "备注"]
GOOD = [["", "2026-03-05", "网络", "自然人", "张某某", "11010519491231002X", "13812345678", "", "",
         "老旧小区改造项目立项批复", "2026-03-20", "予以公开", "", ""],
        ["", "2026-03-06", "信函", "其他组织", "某某业主委员会", "", "", "", "",
         "加装电梯补贴", "", "", "", ""]]


def write_csv(path, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


@pytest.fixture
def context(register, db_path, qtbot):
    ctx = AppContext(register, FEATURES)
    return ctx


@pytest.fixture
def shown(monkeypatch):
    """Capture the result dialog instead of blocking on exec()."""
    dialogs = []
    monkeypatch.setattr(ImportResultDialog, "exec", lambda self: dialogs.append(self) or 0)
    messages = []
    confirmations = []
    monkeypatch.setattr(ledger_actions, "confirm_import",
                        lambda parent, name, summary: confirmations.append(summary) or True)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    return dialogs, messages


def test_import_action_adds_rows_and_notifies(context, qtbot, tmp_path, monkeypatch, shown):
    dialogs, _ = shown
    path = write_csv(tmp_path / "台账.csv", GOOD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(context.data_changed, timeout=10000):
        ledger_actions.import_ledger_action(context, None)
    assert applications.count(context.session) == 2
    assert "新增 2 件" in dialogs[-1].heading.text()
    assert dialogs[-1].list.isHidden()
    dialogs[-1].grab().save(str(tmp_path / "ok.png"))

    # The same file again: nothing changes, no data_changed.
    fired = []
    context.data_changed.connect(lambda: fired.append(1))
    ledger_actions.import_ledger_action(context, None)
    assert "未变化 2 件" in dialogs[-1].heading.text()
    assert fired == [] and applications.count(context.session) == 2


def test_import_action_lists_every_bad_row(context, qtbot, tmp_path, monkeypatch, shown):
    dialogs, _ = shown
    bad = [list(GOOD[0]), list(GOOD[1])]
    bad[0][5] = "110105194912310021"  # a wrong check digit: a warning (待核实), not an error
    bad[1][3] = "个体户"  # an unknown applicant type: an error
    path = write_csv(tmp_path / "bad.csv", bad)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    ledger_actions.import_ledger_action(context, None)
    dialog = dialogs[-1]
    errors = dialog.lists.edits["errors"].toPlainText()
    assert dialog.list is dialog.lists.edits["errors"]
    assert "第3行：" in errors and "个体户" in errors and "第2行" not in errors
    review = dialog.lists.edits["review"].toPlainText()
    assert "第2行" in review and "校验位" in review
    assert "没有导入任何数据" in dialog.heading.text()
    assert applications.count(context.session) == 0
    dialog.copy()
    from PySide6.QtGui import QGuiApplication
    copied = QGuiApplication.clipboard().text()
    assert "第3行" in copied and "校验位" in copied


def test_import_action_unreadable_file(context, qtbot, tmp_path, monkeypatch, shown):
    dialogs, _ = shown
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    ledger_actions.import_ledger_action(context, None)
    assert "没有写入任何数据" in dialogs[-1].heading.text()
    assert "Excel" in dialogs[-1].detail.text()


def test_export_action_asks_for_purpose(context, qtbot, tmp_path, monkeypatch, shown, person_record):
    _, messages = shown
    applications.register_application(context.session, person_record, today=dt.date(2026, 6, 1)).app_id
    target = tmp_path / "导出"  # no extension: the chosen filter decides
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ledger_actions.SAVE_FILTERS[0]))

    choices = []
    monkeypatch.setattr(ledger_actions, "ask_export_purpose", lambda parent: choices.pop(0))

    choices.append(True)  # for sharing
    ledger_actions.export_ledger_action(context, None)
    ws = openpyxl.load_workbook(tmp_path / "导出.xlsx").active
    assert ws["F2"].value == "110105********002X"
    assert "已遮盖" in messages[-1]

    choices.append(False)  # moving the register
    ledger_actions.export_ledger_action(context, None)
    ws = openpyxl.load_workbook(tmp_path / "导出.xlsx").active
    assert ws["F2"].value == "11010519491231002X"

    choices.append(None)  # cancelled
    (tmp_path / "导出.xlsx").unlink()
    ledger_actions.export_ledger_action(context, None)
    assert not (tmp_path / "导出.xlsx").exists()


def test_export_purpose_dialog(qtbot, monkeypatch):
    from desktop_app.ui.ledger_actions import ExportPurposeDialog

    dialog = ExportPurposeDialog()
    qtbot.addWidget(dialog)
    assert dialog.mask is True  # sharing is the default
    dialog.full.setChecked(True)
    assert dialog.mask is False
    monkeypatch.setattr(ExportPurposeDialog, "exec", lambda self: QDialog.Accepted)
    assert ledger_actions.ask_export_purpose(None) is True
    monkeypatch.setattr(ExportPurposeDialog, "exec", lambda self: QDialog.Rejected)
    assert ledger_actions.ask_export_purpose(None) is None


def test_template_action_writes_the_import_template_and_says_where(context, qtbot, tmp_path, monkeypatch, shown):
    _, messages = shown
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    ledger_actions.template_action(context, None)
    assert openpyxl.load_workbook(target).sheetnames == ["申请台账", "填写说明"]
    assert "导入模板" in messages[-1]


def test_file_menu_groups_the_ledger_commands_and_its_template_entry_writes_the_template(
        qtbot, register, tmp_path, monkeypatch):
    from desktop_app.ui.app import create_main_window

    window = create_main_window(register)
    qtbot.addWidget(window)
    menu = window.menuBar().actions()[0].menu()
    items = ["|" if a.isSeparator() else a.text() for a in menu.actions()]
    i = items.index("导入台账…")
    assert items[i - 1:i + 4] == ["|", "导入台账…", "导出台账…", "下载导入模板…", "|"]
    assert all(a.isEnabled() for a in menu.actions() if a.text() in items[i:i + 3])
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    next(a for a in menu.actions() if a.text() == "下载导入模板…").trigger()
    assert openpyxl.load_workbook(target).sheetnames == ["申请台账", "填写说明"]


def test_cancelled_worker_writes_nothing(context, qtbot, tmp_path):
    from desktop_app.ui.ledger_actions import LedgerWorker

    path = write_csv(tmp_path / "x.csv", GOOD)
    worker = LedgerWorker(context.db_path, "import", path)
    worker.cancel()  # as the progress dialog's 取消 does
    with qtbot.waitSignal(worker.finished, timeout=10000):
        worker.start()
    assert worker.was_cancelled and worker.summary is None
    assert applications.count(context.session) == 0


def test_import_from_the_main_windows_file_menu(qtbot, register, db_path, tmp_path, monkeypatch, shown):
    from desktop_app.ui.app import create_main_window

    dialogs, _ = shown
    window = create_main_window(register, start_page="register")
    qtbot.addWidget(window)
    window.show()
    path = write_csv(tmp_path / "台账.csv", GOOD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    action = next(a for a in window.file_actions if a.text() == "导入台账…")
    with qtbot.waitSignal(window.context.data_changed, timeout=10000):
        action.trigger()
    assert applications.count(register) == 2
    assert "新增 2 件" in dialogs[-1].heading.text()
    window.close()


def test_import_asks_before_writing(context, qtbot, tmp_path, monkeypatch, shown):
    dialogs, _ = shown
    asked = []
    monkeypatch.setattr(ledger_actions, "confirm_import",
                        lambda parent, name, summary: asked.append((name, summary.added)) or False)
    path = write_csv(tmp_path / "台账.csv", GOOD)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    ledger_actions.import_ledger_action(context, None)
    assert asked == [("台账.csv", 2)]
    assert applications.count(context.session) == 0 and dialogs == []


def test_confirm_import_box_shows_counts_and_the_lists(qtbot, monkeypatch):
    from desktop_app.services.ledger import ImportSummary, RowProblem
    from desktop_app.ui.ledger_actions import ImportConfirmDialog

    summary = ImportSummary(added=5, updated=2, unchanged=1,
                            review=[RowProblem(4, ("身份证号码校验位不正确",), None, "张三")],
                            ignored=["第9行：合计行（“合计”），已忽略。"])
    dialog = ImportConfirmDialog("a.xlsx", summary)
    qtbot.addWidget(dialog)
    text = dialog.heading.text() + dialog.text.text()
    assert "新增 5 件" in text and "更新 2 件" in text and "备份" in text and "1 件有存疑" in text
    assert "第4行（张三）：身份证号码校验位不正确" in dialog.lists.edits["review"].toPlainText()
    assert "合计行" in dialog.lists.edits["ignored"].toPlainText()
    monkeypatch.setattr(ImportConfirmDialog, "exec", lambda self: QDialog.Accepted)
    assert ledger_actions.confirm_import(None, "a.xlsx", summary)
    monkeypatch.setattr(ImportConfirmDialog, "exec", lambda self: QDialog.Rejected)
    assert not ledger_actions.confirm_import(None, "a.xlsx", summary)


# --- issue 10: the mapping step, the three lists, the 待核实 filter ---------------------------------


def _unmapped_ledger(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年依申请台账"])
    ws.append(["序号", "来文时间", "申请人姓名", "身份证号", "申请公开内容"])
    ws.append([1, "2025.3.5", "张伟", "110105194912310021", "征地补偿方案"])
    ws.append([2, "2025年3月6日上午", "王芳", "11010519491231002X", "财政预算"])
    wb.save(path)
    return path


def test_mapping_step_chooses_the_missing_column_and_is_remembered(context, qtbot, tmp_path, monkeypatch,
                                                                  shown):
    dialogs, _ = shown
    path = _unmapped_ledger(tmp_path / "台账.xlsx")
    seen = []

    def exec_(dialog):
        seen.append(dialog)
        assert not dialog.ok_button.isEnabled() and "收到日期" in dialog.status.text()
        samples = {h: dialog.table.item(r, 2).text() for r, (h, _c, _a) in enumerate(dialog.combos)}
        assert "2025.3.5" in samples["来文时间"] and "行序号" in samples["序号"]
        for header, combo, _auto in dialog.combos:
            if header == "来文时间":
                combo.setCurrentIndex(combo.findData("收到日期"))
        assert dialog.ok_button.isEnabled()
        return QDialog.Accepted

    monkeypatch.setattr(ledger_actions.ImportSetupDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    ledger_actions.import_ledger_action(context, None)
    assert len(seen) == 1
    assert applications.count(context.session) == 2
    result = dialogs[-1]
    assert "新增 2 件" in result.heading.text() and "其中 1 件待核实" in result.heading.text()
    assert "校验位" in result.lists.edits["review"].toPlainText()
    assert not result.review_button.isHidden()
    # a second file with the same headers: no mapping step this time
    other = _unmapped_ledger(tmp_path / "台账2.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    ledger_actions.import_ledger_action(context, None)
    assert len(seen) == 1 and "未变化 2 件" in dialogs[-1].heading.text()


def test_mapping_step_cancelled_writes_nothing(context, qtbot, tmp_path, monkeypatch, shown):
    path = _unmapped_ledger(tmp_path / "台账.xlsx")
    monkeypatch.setattr(ledger_actions.ImportSetupDialog, "exec", lambda self: QDialog.Rejected)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    ledger_actions.import_ledger_action(context, None)
    assert applications.count(context.session) == 0


def test_register_filters_needs_review_and_the_detail_section_resolves(qtbot, register, db_path, tmp_path):
    from desktop_app.services.ledger import import_ledger
    from desktop_app.ui.app import create_main_window
    from desktop_app.ui.ledger_actions import ReviewSection

    import_ledger(register, write_csv(tmp_path / "a.csv", GOOD + [
        ["", "2026-03-07", "微信", "自然人", "李娜", "", "1381234567", "", "", "预算", "", "", "", ""]]),
        today=dt.date(2026, 6, 1))
    window = create_main_window(register, start_page="register")
    qtbot.addWidget(window)
    window.show()
    page = window.register_page()
    qtbot.waitUntil(lambda: page.model.total_count() == 3)
    assert page.review_check.isVisibleTo(page) and page.review_check.text() == "待核实（1）"
    page.show_needs_review()
    assert page.model.visible_count() == 1
    app_id = page.model.app_id(0)
    assert page.model.data(page.model.index(0, page.model.column_index("serial")), Qt.BackgroundRole) is not None
    page.select_application(app_id)
    section = page.detail.findChildren(ReviewSection)[0]
    assert "微信" in section.label.text() and "联系电话" in section.label.text()
    with qtbot.waitSignal(window.context.data_changed, timeout=5000):
        section.resolve_button.click()
    assert applications.get(register, app_id).review_reasons == {}
    qtbot.waitUntil(lambda: page.model.visible_count() == 0)
    page.clear_filters()
    assert page.model.visible_count() == 3 and not page.review_check.isChecked()
    window.close()
