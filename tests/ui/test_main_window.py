"""Start-up (run_gui), the settings dialog and the extension hooks."""

from __future__ import annotations

import argparse
from dataclasses import replace

import pytest
from gui_helpers import feature, not_built
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.services import applications
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register
from desktop_app.storage.database import connect
from desktop_app.storage.migrations import LATEST_VERSION
from desktop_app.ui import app as app_module
from desktop_app.ui.app import create_main_window
from desktop_app.ui.features import FEATURES
from desktop_app.ui.settings_dialog import AgencySettingsTab, SettingsDialog
from desktop_app.ui.widgets import PlaceholderPage


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path):
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def criticals(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a, **k: shown.append((title, text))))
    return shown


@pytest.fixture
def warnings_shown(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a, **k: shown.append((title, text))))
    return shown


def gui_args(path, demo=False):
    return argparse.Namespace(db=None if demo else str(path), demo=demo, command=None)


# --- run_gui ---------------------------------------------------------------------------


def test_garbage_database_shows_error_and_exits_2_untouched(qapp, tmp_path, criticals):
    path = tmp_path / "garbage.db"
    content = b"PK\x03\x04 this is a Word document, not a register" * 50
    path.write_bytes(content)
    assert app_module.run_gui(gui_args(path)) == 2
    assert len(criticals) == 1
    assert "不是本程序的数据库文件" in criticals[0][1]
    assert path.read_bytes() == content
    assert not (tmp_path / "garbage.db-wal").exists()


def test_newer_schema_database_refused(qapp, tmp_path, criticals):
    path = tmp_path / "newer.db"
    db = connect(path)
    db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    db.conn.commit()
    db.conn.close()
    before = path.read_bytes()
    assert app_module.run_gui(gui_args(path)) == 2
    assert "更新版本" in criticals[0][1]
    assert path.read_bytes() == before


def test_run_gui_opens_window_runs_startup_hooks_and_exits(qapp, tmp_path, monkeypatch, criticals):
    path = tmp_path / "new.db"
    calls = []
    import desktop_app.ui.main_window as main_window_module

    def hook(context, window):
        calls.append((context.db_path, window.isVisible()))
        QTimer.singleShot(0, window.close)

    monkeypatch.setattr(main_window_module, "FEATURES", replace(FEATURES, startup_hooks=[
        not_built("missing", "未建成", "desktop_app.ui.no_such_module"),
        feature("test", "测试", hook),
    ]))
    monkeypatch.setattr(QApplication, "exec", lambda self: _spin_until_closed())
    from desktop_app.ui import safety

    asked = []
    monkeypatch.setattr(safety, "ask_first_start",
                        lambda p, **kw: asked.append(p) or ("create", None))  # the clerk creates it
    assert app_module.run_gui(gui_args(path)) == 0
    assert asked == [path]
    assert criticals == []
    assert calls == [(path, True)]
    assert path.exists() and applications.count(open_register(path, create=True)) == 0


def _spin_until_closed() -> int:
    app = QApplication.instance()
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(5000)
    while any(w.isVisible() for w in app.topLevelWidgets()) and not deadline.hasExpired():
        app.processEvents(QEventLoop.AllEvents, 50)
    return 0


def test_demo_fills_an_empty_database_once(qapp, tmp_path, monkeypatch, criticals):
    from desktop_app.files import paths

    demo = tmp_path / "demo.db"
    monkeypatch.setattr(paths, "demo_database_path", lambda: demo)
    register = app_module.open_register_gui(demo, demo=True)
    n = applications.count(register)
    assert 150 <= n <= 250
    register.close()
    again = app_module.open_register_gui(demo, demo=True)
    assert applications.count(again) == n
    again.close()


# --- settings ---------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, register, db_path):
    w = create_main_window(register)
    qtbot.addWidget(w)
    return w


def fill_agency(tab: AgencySettingsTab, **overrides):
    values = {
        "agency_name": "望城区人民政府办公室", "disclosure_office": "政务公开科",
        "agency_address": "望城区政府大楼3楼", "agency_postcode": "410200",
        "agency_phone": "0731-88881234", "doc_number_prefix": "望政公开", "clerk_name": "刘某",
    }
    values.update(overrides)
    for key, value in values.items():
        tab.edits[key].setText(value)


def test_settings_dialog_saves_and_retitles_window(qtbot, window, register):
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][0] == "机关信息"
    tab = dialog.tabs.widget(0)
    assert isinstance(tab, AgencySettingsTab)
    fill_agency(tab)
    dialog.accept()
    assert dialog.result() == SettingsDialog.Accepted
    s = settings_service.get_settings(register)
    assert s["agency_name"] == "望城区人民政府办公室"
    assert s["agency_postcode"] == "410200"
    assert s["doc_number_prefix"] == "望政公开"
    assert s["clerk_name"] == "刘某"
    assert window.windowTitle() == "望城区人民政府办公室"


def test_settings_dialog_refuses_bad_postcode_and_phone(qtbot, window, register, warnings_shown):
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    tab = dialog.tabs.widget(0)
    fill_agency(tab, agency_postcode="4102", agency_phone="0731-88")
    dialog.accept()
    assert dialog.result() == 0
    assert settings_service.get_settings(register)["agency_name"] == ""  # nothing saved
    assert "邮政编码应为6位数字" in tab.errors["agency_postcode"].text()
    assert not tab.errors["agency_postcode"].isHidden()
    assert "电话格式不正确" in tab.errors["agency_phone"].text()
    assert tab.edits["agency_postcode"].property("invalid") is True
    assert len(warnings_shown) == 1 and "机关信息" in warnings_shown[0][1]
    fill_agency(tab, agency_name="")
    dialog.accept()
    assert "请填写机关名称" in tab.errors["agency_name"].text()
    fill_agency(tab)
    dialog.accept()
    assert dialog.result() == SettingsDialog.Accepted
    assert settings_service.get_settings(register)["agency_phone"] == "0731-88881234"


class _BadTab(QWidget):
    saved = False

    def __init__(self, context, parent=None):
        super().__init__(parent)

    def validate(self):
        return "提醒天数必须是数字。"

    def save(self):
        type(self).saved = True


def test_settings_validates_every_tab_before_saving_any(qtbot, window, register, monkeypatch,
                                                        warnings_shown):
    monkeypatch.setattr(window.context, "features", replace(FEATURES, settings_tabs=[
        *FEATURES.settings_tabs, feature("bad", "提醒", _BadTab), not_built("later", "以后")]))
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    fill_agency(dialog.tabs.widget(0))
    labels = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert isinstance(dialog.tabs.widget(labels.index("以后")), PlaceholderPage)
    dialog.accept()
    assert dialog.tabs.currentIndex() == labels.index("提醒")  # switched to the tab with the problem
    assert "提醒天数必须是数字" in warnings_shown[0][1]
    assert settings_service.get_settings(register)["agency_name"] == ""  # the valid tab was not saved either
    assert not _BadTab.saved


def test_file_action_and_application_action_hooks(qtbot, register, db_path, monkeypatch, person_record):
    calls = []
    features = replace(
        FEATURES,
        file_actions=[feature("export", "导出台账…", lambda ctx, win: calls.append(("file", win)))],
        application_actions=[feature("print", "打印回执",
                                     lambda ctx, app_id, parent: calls.append(("app", app_id)))])
    app_id = applications.register_application(register, person_record).app_id
    w = create_main_window(register, features=features)
    qtbot.addWidget(w)
    w.show()
    file_menu = w.menuBar().actions()[0].menu()
    labels = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert labels == ["新建申请…", "导出台账…", "设置…", "退出"]
    w.file_actions[0].trigger()
    assert calls == [("file", w)]
    page = w.show_page("register")
    assert [a.text() for a in page.application_actions] == ["打印回执"]
    assert not page.application_actions[0].isEnabled()  # nothing selected yet
    page.select_application(app_id)
    assert page.application_actions[0].isEnabled()
    page.application_actions[0].trigger()
    assert calls[-1] == ("app", app_id)
    # the same action from the detail pane
    page.detail.action_buttons[0].click()
    assert calls[-1] == ("app", app_id)


def test_geometry_is_remembered(qtbot, register, db_path):
    w = create_main_window(register)
    qtbot.addWidget(w)
    w.showNormal()
    w.resize(980, 666)  # the offscreen test screen is 800x800
    w.close()
    w2 = create_main_window(register)
    qtbot.addWidget(w2)
    assert QSettings().value("main_window/geometry") is not None
    # Qt keeps a restored window on the (800 px wide) screen: the height shows it was restored
    assert w2.height() == 666
    assert not w2.isMaximized()


def test_gui_arguments_skip_the_command_parser():
    from desktop_app.main import gui_only_args

    args = gui_only_args(["--db", "/tmp/x.db"])
    assert args.db == "/tmp/x.db" and args.demo is False and args.command is None
    assert gui_only_args(["--db=/tmp/y.db"]).db == "/tmp/y.db"
    assert gui_only_args(["--demo"]).demo is True
    assert gui_only_args([]).db is None
    # anything else goes through the full parser (commands, help, errors)
    for argv in (["import", "a.csv"], ["--help"], ["--version"], ["--db"], ["--db", "x", "export", "y"],
                 ["--db", "x", "--demo"], ["--self-test"]):
        assert gui_only_args(argv) is None, argv


def test_unexpected_start_up_error_is_shown_and_exits_2(qapp, tmp_path, criticals, monkeypatch):
    from desktop_app.storage import database

    database.create_register(tmp_path / "x.db").conn.close()

    def broken_connect(path, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(database, "connect", broken_connect)
    assert app_module.run_gui(gui_args(tmp_path / "x.db")) == 2
    assert criticals and "disk on fire" in criticals[0][1]
