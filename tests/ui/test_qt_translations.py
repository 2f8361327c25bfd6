"""Qt's standard strings in Chinese (installer issue: the bundle keeps the
zh_CN catalogues and the app loads them)."""

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox


def test_standard_buttons_are_chinese(qapp):
    from desktop_app.ui.app import configure_application

    configure_application(qapp)
    assert "qtbase" in qapp._disclosure_desk_qt_translators[0][0]
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    assert [b.text() for b in box.buttons()] == ["确定", "取消"]
    msg = QMessageBox(QMessageBox.Question, "t", "t", QMessageBox.Yes | QMessageBox.No)
    assert {b.text().split("(")[0] for b in msg.buttons()} == {"是", "否"}


def test_installing_twice_adds_no_second_translator(qapp):
    from desktop_app.ui.qt_translations import install_qt_translations

    first = install_qt_translations(qapp)
    count = len(qapp._disclosure_desk_qt_translators)
    assert install_qt_translations(qapp) == first
    assert len(qapp._disclosure_desk_qt_translators) == count
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
