"""A clerk's day in the real GUI on a real X server (run by
tests/test_x11_clerk_day.py under Xvfb; never collected by pytest itself).

    python tests/gui_scripts/clerk_day.py DB_PATH OUT_DIR

Starts the app as ``disclosure-desk --db DB_PATH`` and, once the window is
up, works through the common paths in the order a clerk meets them: add an
application; print its receipt; record every workflow step and issue the
notice each offers; record the reply through 编辑 and preview and print the
reply notice (the path that used to crash); print the service return, the
filled form and the envelope; reprint an issued notice; open the annual
report and export it; take a backup; open and save the settings.  Every
preview is printed through the real print dialog into OUT_DIR.

Prints ``SCENARIO OK`` and exits 0 when every step passed; otherwise lists
the failed steps and exits 1.  A crash ends the process with a signal.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import sys
from pathlib import Path

faulthandler.enable()

sys.path.insert(0, str(Path(__file__).resolve().parent))

from driver import Driver, ScenarioError, expect_popup_item

from desktop_app.services import applications

DB_PATH, OUT_DIR = Path(sys.argv[1]), Path(sys.argv[2])
OUT_DIR.mkdir(parents=True, exist_ok=True)
printed: list[Path] = []


def log(msg: str) -> None:
    print(msg, flush=True)


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.main import main as app_main
    from desktop_app.ui import app as ui_app

    original_hooks = ui_app.run_startup_hooks
    outcome: dict = {}

    def hooks_then_scenario(context, window):
        original_hooks(context, window)
        QTimer.singleShot(500, lambda: run(context, window, outcome))

    ui_app.run_startup_hooks = hooks_then_scenario
    seed_register()
    app_main(["--db", str(DB_PATH)])
    QApplication.instance()
    if outcome.get("failures"):
        log("FAILED STEPS:")
        for f in outcome["failures"]:
            log(" - " + f)
        return 1
    if not outcome.get("done"):
        log("scenario did not finish")
        return 1
    log(f"printed {len(printed)} documents")
    log("SCENARIO OK")
    return 0


def seed_register() -> None:
    """The agency's register with one application received three weeks ago
    (the app is then started on it as on any working day)."""
    from desktop_app.services.session import open_register

    from desktop_app.services import settings as settings_service

    register = open_register(DB_PATH, create=True)
    try:
        settings_service.set_agency_profile(register, "department", own_government="长沙市望城区人民政府")
        applications.register_application(register, {
            "receipt_date": dt.date.today() - dt.timedelta(days=21), "channel": "letter",
            "applicant_type": "natural_person", "applicant_name": "张某某", "id_type": "resident_id",
            "id_number": "11010519491231002X", "phone": "13812345678",
            "address": "浙江省杭州市西湖区文三路1号", "postcode": "310012",
            "info_description": "2025年本区道路改造工程的招标文件",
        })
    finally:
        register.close()


def run(context, window, outcome: dict) -> None:
    from PySide6.QtWidgets import QApplication

    d = Driver(log)
    try:
        scenario(d, context, window)
    except ScenarioError as exc:
        d.failures.append(str(exc))
    except Exception:  # any other failure is recorded with its traceback, and the window still closes
        import traceback

        d.failures.append(f"{d.step}: {traceback.format_exc()}")
    d.begin("end")
    outcome["failures"] = d.failures
    outcome["done"] = True
    window.close()
    QApplication.instance().exit(0)


# --- the scenario --------------------------------------------------------------------------


def print_preview(d: Driver, name: str):
    """Handler for the preview dialog: print through the real print dialog
    into OUT_DIR/name.pdf, then close the preview."""
    def handler(preview):
        target = OUT_DIR / f"{len(printed) + 1:02d}-{name}.pdf"

        def print_dialog(dialog):
            from PySide6.QtWidgets import QLineEdit

            fields = [e for e in dialog.findChildren(QLineEdit) if e.objectName() == "filename"]
            if fields:
                fields[0].setText(str(target))
            else:
                dialog.printer().setOutputFileName(str(target))
            d.click(d.button(dialog, "打印") if _has_button(dialog, "打印") else d.button(dialog, "Print"))

        d.expect("QPrintDialog", print_dialog)
        d.click(d.button(preview, "打印"))
        d.wait_for(lambda: target.exists() and target.stat().st_size > 1000, f"{target.name} printed")
        printed.append(target)
        d.click(d.button(preview, "关闭"))
    return handler


def _has_button(parent, text) -> bool:
    from PySide6.QtWidgets import QAbstractButton

    return any(b.isVisible() and b.text().replace("&", "").startswith(text)
               for b in parent.findChildren(QAbstractButton))


def notice_dialog(d: Driver, kind_label: str, name: str, fill=None, then_close: bool = True):
    """Handler for 打印文书: choose ``kind_label``, fill, preview and print it, close."""
    def handler(dialog):
        combo = dialog.kind_combo
        index = next((i for i in range(combo.count()) if combo.itemText(i).startswith(kind_label)), -1)
        if index < 0:
            raise ScenarioError(f"{d.step}: no document {kind_label!r} in 打印文书")
        combo.setCurrentIndex(index)
        d.pump(50)
        if fill:
            fill(dialog)
        d.expect("PdfPreviewDialog", print_preview(d, name))
        d.click(dialog.preview_button)
        if dialog.error.isVisible() and dialog.error.text():
            raise ScenarioError(f"{d.step}: 打印文书 refused: {dialog.error.text()}")
        if then_close:
            d.click(d.button(dialog, "关闭"))
    return handler


def fee_by_pages(dialog) -> None:
    from desktop_app.domain import fees

    dialog.fee_method.setCurrentIndex(dialog.fee_method.findData(fees.PER_PAGE))
    dialog.fee_pages.setValue(150)


NOTICE_FILL = {"收费通知书": fee_by_pages}


def step(d: Driver, pane, menu_item: str, fill, notice: str | None):
    """Record a workflow step through 办理步骤… in the detail pane; when the
    step offers its notice, issue and print it."""
    def step_dialog(dialog):
        fill(dialog)
        if notice:
            d.answer("是")  # 现在出具《…》吗？
            d.expect("NoticeDialog", notice_dialog(d, notice, menu_item, NOTICE_FILL.get(notice)))
        d.click(d.button(dialog, "记录"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: step refused: {dialog.errors.text()}")

    expect_popup_item(d, menu_item)
    d.expect("StepDialog", step_dialog)
    d.click(d.button(pane, "办理步骤"))
    d.pump(200)


def set_date(edit, date: dt.date) -> None:
    from PySide6.QtCore import QDate

    edit.setDate(QDate(date.year, date.month, date.day))


def scenario(d: Driver, context, window) -> None:
    from PySide6.QtWidgets import QApplication

    reg = context.session
    today = dt.date.today()

    d.begin("start-up")
    d.wait_for(lambda: window.isVisible() and QApplication.activeModalWidget() is None, "a free main window")
    page = window.show_page("register")
    d.wait_for(lambda: not page.is_loading(), "the register loaded")

    # 0. The first thing of the day: record the reply of the waiting application
    #    (编辑 → 已答复 → 办理结果 → 保存), then preview and print its reply notice.
    #    On a first start this path crashed the app in PdfPreviewDialog.__init__.
    d.begin("first reply")
    first = applications.search(reg)[0].id
    page.select_application(first)
    d.wait_for(lambda: page.detail.app_id == first, "the application shown")

    def reply_now(dialog):
        dialog.outcome_combo.setCurrentIndex(dialog.outcome_combo.findData("disclosed"))
        d.click(d.button(dialog, "保存"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: the reply was not saved")

    d.expect("ApplicationDialog", reply_now)
    d.click(d.button(page.detail, "编辑"))
    d.expect("NoticeDialog", notice_dialog(d, "答复告知书", "first-reply"))
    d.click(d.button(page.detail, "打印文书"))

    # 1. A new application, received some weeks ago on paper.
    d.begin("new application")

    def fill_new(dialog):
        set_date(dialog.receipt_edit, today - dt.timedelta(days=35))
        dialog.person_name.setText("王某某")
        dialog.person_id_number.setText("11010519491231002X")
        dialog.phone_edit.setText("13812345678")
        dialog.address_edit.setText("浙江省杭州市西湖区文三路1号")
        dialog.postcode_edit.setText("310012")
        dialog.description_edit.setPlainText("2025年本区老旧小区改造项目的立项批复文件及资金安排")
        d.click(d.button(dialog, "保存"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: the form was not saved")

    d.expect("ApplicationDialog", fill_new)
    d.click(d.button(page, "新建申请"))
    app_id = d.wait_for(lambda: page.current_app_id(), "the new application selected")
    pane = page.detail
    d.wait_for(lambda: pane.app_id == app_id and pane.content.isVisible(), "its details")
    receipt = applications.get(reg, app_id).receipt_date

    # 2. Its receipt notice.
    d.begin("receipt notice")
    d.expect("NoticeDialog", notice_dialog(d, "登记回执", "receipt"))
    d.click(d.button(pane, "打印文书"))

    # 3. Every workflow step, each notice it offers.
    base = dt.date.fromisoformat(str(receipt))

    d.begin("correction requested")
    step(d, pane, "补正告知", lambda w: (set_date(w.date, base + dt.timedelta(days=2)),
                                     w.fields["items"].setPlainText("请写明所需信息的文件名称或者文号")),
         "补正告知书")
    d.begin("corrected")
    step(d, pane, "收到补正", lambda w: set_date(w.date, base + dt.timedelta(days=6)), None)
    d.begin("third party consulted")
    step(d, pane, "征求第三方意见", lambda w: (set_date(w.date, base + dt.timedelta(days=8)),
                                         w.fields["third_party"].setText("某某建设有限公司")),
         "征求第三方意见函")
    d.begin("third party replied")
    step(d, pane, "第三方答复", lambda w: set_date(w.date, base + dt.timedelta(days=13)), None)
    d.begin("extension")

    def fill_extension(w):
        set_date(w.date, base + dt.timedelta(days=14))
        set_date(w.fields["approved_on"], base + dt.timedelta(days=14))
        w.fields["approver"].setText("李某某")
        w.fields["reason"].setPlainText("所需信息涉及多个部门，需调取档案核查")

    step(d, pane, "延期", fill_extension, "延期答复告知书")
    d.begin("fee notice")
    step(d, pane, "收费通知", lambda w: (set_date(w.date, base + dt.timedelta(days=16)),
                                     w.fields["method"].setCurrentText("按量计收"),
                                     w.fields["amount"].setValue(40)), "收费通知书")
    d.begin("fee paid")
    step(d, pane, "已缴费", lambda w: set_date(w.date, base + dt.timedelta(days=18)), None)

    # 4. The reply, through 编辑 → 已答复 → 保存, then its notice (the path that crashed).
    d.begin("record the reply")

    def fill_reply(dialog):
        dialog.reply_edit.check.setChecked(True)
        set_date(dialog.reply_edit.edit, base + dt.timedelta(days=20))
        dialog.outcome_combo.setCurrentIndex(dialog.outcome_combo.findData("disclosed"))
        d.click(d.button(dialog, "保存"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: the reply was not saved")

    d.expect("ApplicationDialog", fill_reply)
    d.click(d.button(pane, "编辑"))
    d.wait_for(lambda: applications.get(reg, app_id).outcome == "disclosed", "the reply saved")
    for kind, name in (("答复告知书", "reply"), ("送达回证", "service"), ("申请表", "form"), ("信封", "envelope")):
        d.begin(f"print {name}")
        d.expect("NoticeDialog", notice_dialog(d, kind, name))
        d.click(d.button(pane, "打印文书"))

    # 5. Reprint an issued notice from the list.
    d.begin("reprint")

    def reprint(dialog):
        dialog.issued_table.selectRow(0)
        d.expect("PdfPreviewDialog", print_preview(d, "reprint"))
        d.click(dialog.reprint_button)
        d.click(d.button(dialog, "关闭"))

    d.expect("NoticeDialog", reprint)
    d.click(d.button(pane, "打印文书"))

    # 6. The annual report of this year: show it and export it.
    d.begin("annual report")
    report = window.show_page("annual_report")
    d.pump(300)
    target = OUT_DIR / "report.pdf"
    report.export_to(target)
    d.wait_for(lambda: target.exists() and target.stat().st_size > 1000, "the report PDF")

    # 7. A backup now, from the 数据备份 page.
    d.begin("backup")
    backups = window.show_page("backup")
    folder = backups.folder()
    before = len(list(folder.glob("*.db"))) if folder.exists() else 0
    d.click(d.button(backups, "立即备份"))
    d.wait_for(lambda: not backups.busy() and folder.exists()
               and len(list(folder.glob("*.db"))) > before, "a new backup", timeout=60)

    # 8. Settings: open, look at each tab, save.
    d.begin("settings")

    def settings(dialog):
        from PySide6.QtWidgets import QTabWidget

        tabs = dialog.findChild(QTabWidget)
        agency = dialog.pages[0][1]
        agency.edits["agency_name"].setText("某某区人民政府办公室")
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            d.pump(100)
        d.click(d.button(dialog, "确定") if _has_button(dialog, "确定") else d.button(dialog, "保存"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: settings were not saved")

    d.expect("SettingsDialog", settings)
    window.open_settings()

    d.begin("back to the register")
    window.show_page("register")
    d.pump(300)
    issued = [e for e in applications.events(reg, app_id) if e.doc_number]
    if len(issued) < 5:
        raise ScenarioError(f"{d.step}: only {len(issued)} notices recorded on the timeline")


if __name__ == "__main__":
    raise SystemExit(main())
