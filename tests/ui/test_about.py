"""The About dialog (关于): version, locations, calendar years, PDF font."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QGuiApplication

import desktop_app
from desktop_app.services import about, deadlines
from desktop_app.services import settings as settings_service
from desktop_app.storage import backups as backup


def rows_by_key(rows):
    return {r.key: r for r in rows}


def test_rows_show_version_database_backups_calendar_font(register, db_path, tmp_path):
    folder = tmp_path / "elsewhere" / "备份"
    settings_service.update_settings(register, {backup.BACKUP_DIR_SETTING: str(folder)})
    backup.create_backup(db_path, source=register.store.db.conn)  # into the configured folder
    rows = rows_by_key(about.about_rows(register))

    assert rows["version"].value == desktop_app.__version__
    assert str(db_path) in rows["database"].value
    assert rows["database"].path == str(db_path.parent)
    # the backup folder is the one set in the settings, not the default
    assert rows["backup_dir"].value.startswith(str(folder))
    assert "1 份" in rows["backup_dir"].value
    assert rows["backup_dir"].path == str(folder)


    years = deadlines.load_calendar(register).covered_years()
    assert f"{years[0]}–{years[-1]} 年" in rows["calendar"].value

    from desktop_app.documents.fonts import resolve_fonts

    fonts = resolve_fonts(settings_service.get_settings(register))
    assert rows["pdf_font"].value == fonts.describe()
    assert bool(rows["pdf_font"].warning) == (not fonts.embedded)


def test_no_backup_yet_is_a_warning(register, db_path):
    row = about.backup_row(register)
    assert "尚无备份" in row.value and row.warning


def test_backup_count_and_newest(register, db_path):
    backup.create_backup(db_path)
    row = about.backup_row(register)
    assert "1 份" in row.value and not row.warning
    assert row.path == str(backup.default_backup_dir(db_path))


def test_calendar_warns_about_next_year_late_in_the_year(register):

    last = max(deadlines.load_calendar(register).covered_years())
    late = about.calendar_row(register, today=dt.date(last, 11, 25))
    assert f"{last + 1} 年的节假日安排尚未收录" in late.warning
    early = about.calendar_row(register, today=dt.date(last, 3, 1))
    assert early.warning == ""
    beyond = about.calendar_row(register, today=dt.date(last + 1, 2, 1))
    assert f"今年（{last + 1}）" in beyond.warning


def test_years_text_shows_gaps():
    assert about._years_text([2004, 2005, 2006, 2028]) == "2004–2006、2028"
    assert about._years_text([2026]) == "2026"


def test_a_failing_row_never_breaks_the_dialog(monkeypatch, register, db_path):
    import desktop_app.documents.fonts as fonts

    def boom(settings):
        raise RuntimeError("font cache corrupt")

    monkeypatch.setattr(fonts, "resolve_fonts", boom)
    row = rows_by_key(about.about_rows(register))["pdf_font"]
    assert row.value.startswith("无法读取") and "font cache corrupt" in row.value


def test_dialog_shows_rows_and_copies_them(qtbot, register, db_path):
    from desktop_app.ui.about_dialog import AboutDialog
    from desktop_app.ui.context import AppContext
    from desktop_app.ui.features import FEATURES

    dialog = AboutDialog(AppContext(register, FEATURES))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "关于政府信息公开办理台"
    assert dialog.value_labels["version"].text() == desktop_app.__version__
    assert str(db_path) in dialog.value_labels["database"].text()
    assert "年" in dialog.value_labels["calendar"].text()
    text = dialog.copy_to_clipboard()
    assert QGuiApplication.clipboard().text() == text
    assert f"版本：{desktop_app.__version__}" in text and str(db_path) in text
    # fits a 1366x768 screen
    assert dialog.height() <= 700 and dialog.width() <= 1300


def test_main_window_help_menu_opens_the_about_dialog(qtbot, register, db_path, monkeypatch):
    from desktop_app.ui import about_dialog
    from desktop_app.ui.app import create_main_window

    shown = []
    monkeypatch.setattr(about_dialog.AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window = create_main_window(register)
    qtbot.addWidget(window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("帮助"))
    about_action = next(a for a in help_menu.actions() if a.text() == "关于")
    about_action.trigger()
    assert len(shown) == 1 and isinstance(shown[0], about_dialog.AboutDialog)
    assert shown[0].value_labels["version"].text() == desktop_app.__version__
