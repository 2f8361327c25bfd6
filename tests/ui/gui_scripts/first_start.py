"""The first start on a new PC in the real GUI on a real X server (run by
tests/ui/test_x11_first_start.py under Xvfb; never collected by pytest itself).

    python tests/ui/gui_scripts/first_start.py OUT_DIR

Starts ``disclosure-desk`` with no register yet (a fresh data folder) and
works through the first hour's start the way a clerk does: 新建空白台账 in
the welcome dialog; the first-start guide (the agency's name typed, its kind
and reviewing body, the 文号 prefix; start empty; where the data lives;
完成); lands on the empty register with its empty state; creates the first
application from the empty state's 新建申请.  Each guide page and the
register before and after are saved as PNG in OUT_DIR.

Prints ``FIRST START OK`` and exits 0 when every step passed; otherwise
lists the failed steps and exits 1.  A crash ends the process with a signal.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import sys
from pathlib import Path

faulthandler.enable()

sys.path.insert(0, str(Path(__file__).resolve().parent))

from driver import Driver, ScenarioError  # noqa: E402

OUT_DIR = Path(sys.argv[1])
OUT_DIR.mkdir(parents=True, exist_ok=True)
AGENCY = "长沙市望城区人民政府办公室"


def log(msg: str) -> None:
    print(msg, flush=True)


def shot(widget, name: str) -> None:
    widget.grab().save(str(OUT_DIR / f"{name}.png"))


def main() -> int:
    from desktop_app.main import main as app_main
    from desktop_app.ui import app as ui_app

    outcome: dict = {"failures": []}
    original_ensure = ui_app.ensure_application

    def ensure(*args, **kwargs):
        app = original_ensure(*args, **kwargs)
        if "driver" not in outcome:
            outcome["driver"] = Driver(log)
            arm_first_start(outcome["driver"], outcome)
        return app

    ui_app.ensure_application = ensure
    code = app_main([])  # no --db: the default register, which does not exist yet
    failures = outcome["failures"] + (outcome["driver"].failures if "driver" in outcome else [])
    if failures:
        log("FAILED STEPS:")
        for f in failures:
            log(" - " + f)
        return 1
    if not outcome.get("done"):
        log(f"scenario did not finish (exit code {code})")
        return 1
    log("FIRST START OK")
    return 0


def type_in(edit, text: str) -> None:
    """Chinese text as an input method commits it: the whole phrase at the
    cursor of the focused field (QTest types ASCII keys only)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(edit, Qt.LeftButton, Qt.NoModifier, edit.rect().center())
    edit.insert(text)


def arm_first_start(d: Driver, outcome: dict) -> None:
    """Before the window opens: the welcome dialog, then the guide."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWizard

    d.begin("welcome")

    def welcome(dialog):
        shot(dialog, "welcome")
        d.click(dialog.create_button)

    def guide(wizard):
        d.step = "guide"
        d.wait_for(lambda: wizard.isVisible(), "the guide shown")
        page = wizard.agency_page
        next_button = wizard.button(QWizard.NextButton)
        if next_button.isEnabled():
            raise ScenarioError("guide: 下一步 is enabled before the agency's name is typed")
        shot(wizard, "guide-1")
        type_in(page.name_edit, AGENCY)
        page.kind_combo.setCurrentIndex(page.kind_combo.findData("department"))
        type_in(page.body_edits["own_government"], "长沙市望城区人民政府")
        type_in(page.prefix_edit, "望政办公开")
        d.pump(100)
        if "望政办公开" not in page.prefix_example.text():
            raise ScenarioError(f"guide: no live 文号 example: {page.prefix_example.text()!r}")
        shot(wizard, "guide-1-filled")
        d.click(next_button)
        d.wait_for(lambda: wizard.currentPage() is wizard.ledger_page, "page 2 (已有台账)")
        if not wizard.ledger_page.empty_radio.isChecked():
            raise ScenarioError("guide: 从空台账开始 is not the default")
        shot(wizard, "guide-2")
        d.click(wizard.button(QWizard.NextButton))
        d.wait_for(lambda: wizard.currentPage() is wizard.storage_page, "page 3 (数据保存在哪里)")
        shot(wizard, "guide-3")
        QTimer.singleShot(400, lambda: run(outcome))  # once the guide has closed
        d.click(wizard.button(QWizard.FinishButton))

    d.expect("NewRegisterDialog", welcome, timeout=60)
    d.expect("FirstStartGuide", guide, timeout=60)


def run(outcome: dict) -> None:
    from PySide6.QtWidgets import QApplication

    d = outcome["driver"]
    window = next((w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow"), None)
    try:
        if window is None:
            raise ScenarioError("no main window")
        scenario(d, window)
    except ScenarioError as exc:
        d.failures.append(str(exc))
    except Exception:  # noqa: BLE001 - any failure is reported as the step's
        import traceback

        d.failures.append(f"{d.step}: {traceback.format_exc()}")
    d.begin("end")
    outcome["done"] = True
    if window is not None:
        window.close()
    QApplication.instance().exit(0)


def scenario(d: Driver, window) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.services import applications, first_start

    d.begin("land on the empty register")
    d.wait_for(lambda: QApplication.activeModalWidget() is None, "the guide closed")
    context = window.context
    session = context.session
    if first_start.guide_state(session) != "done":
        raise ScenarioError(f"{d.step}: the guide was not recorded as done")
    stored = session.store.settings.stored()
    if stored.get("agency_name") != AGENCY or stored.get("agency_kind") != "department":
        raise ScenarioError(f"{d.step}: the agency's details were not saved: {stored}")
    if window.current_page_key() != "register":
        raise ScenarioError(f"{d.step}: the window shows {window.current_page_key()}, not the register")
    if AGENCY not in window.windowTitle():
        raise ScenarioError(f"{d.step}: the title does not name the agency: {window.windowTitle()!r}")
    page = window.pages["register"]
    d.wait_for(lambda: not page.is_loading(), "the register loaded")
    empty = page.table.empty_state
    d.wait_for(lambda: empty.isVisible(), "the empty state shown")
    if "新建申请" not in empty.text.text():
        raise ScenarioError(f"{d.step}: the empty state does not say what to do: {empty.text.text()!r}")
    d.pump(200)
    shot(window, "register-empty")

    d.begin("the first application")
    today = dt.date.today()

    def fill(dialog):
        dialog.receipt_edit.setDate(dialog.receipt_edit.date().fromString(
            (today - dt.timedelta(days=1)).isoformat(), "yyyy-MM-dd"))
        dialog.person_name.setText("王某某")
        dialog.person_id_number.setText("11010519491231002X")
        dialog.phone_edit.setText("13812345678")
        dialog.address_edit.setText("浙江省杭州市西湖区文三路1号")
        dialog.postcode_edit.setText("310012")
        dialog.description_edit.setPlainText("2025年本区老旧小区改造项目的立项批复文件")
        d.click(d.button(dialog, "保存"))
        if dialog.isVisible():
            raise ScenarioError(f"{d.step}: the form was not saved")

    d.expect("ApplicationDialog", fill)
    d.click(empty.new_button)
    app_id = d.wait_for(lambda: page.current_app_id(), "the first application selected")
    d.wait_for(lambda: not empty.isVisible(), "the empty state gone")
    d.wait_for(lambda: page.detail.app_id == app_id and page.detail.content.isVisible(), "its details")
    serial = applications.get(session, app_id).serial
    expected = f"{(today - dt.timedelta(days=1)).year}-0001"  # the default numbering, its first number
    if serial != expected:
        raise ScenarioError(f"{d.step}: serial {serial!r}, expected {expected!r}")
    if applications.count(session) != 1:
        raise ScenarioError(f"{d.step}: {applications.count(session)} applications instead of 1")
    d.pump(200)
    shot(window, "register-first-application")


if __name__ == "__main__":
    raise SystemExit(main())
