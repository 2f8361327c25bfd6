"""Qt's own strings in Simplified Chinese: the standard buttons (确定, 取消,
是, 否), file dialogs and the context menus of text fields (复制, 粘贴, 全选).

The UI is Chinese whatever the system locale (a clerk's PC may run an
English Windows), so ``qtbase_zh_CN.qm`` is loaded unconditionally from
Qt's translations folder (inside the PyInstaller bundle too: the spec keeps
the zh_CN catalogues)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

CATALOGUES = ("qtbase",)

#: Qt strings whose English source changed after the shipped ``qtbase_zh_CN``
#: catalogue was made (Qt 6.12 added accelerators to the file dialog's labels),
#: so the catalogue no longer matches them: (context, source) -> Chinese.
SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QPrintSettingsOutput", "Page &Set:"): "页面组(&S)：",
}


class SupplementTranslator(QTranslator):
    """Answers only for :data:`SUPPLEMENT`; every other string falls
    through to the catalogues (None, a null string, means "not mine")."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return SUPPLEMENT.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app) -> list[str]:
    """Load and install the catalogues; return those found (missing ones
    leave Qt's English strings, never an error).  Idempotent."""
    existing = getattr(app, "_disclosure_desk_qt_translators", None)
    if existing is not None:
        return [name for name, _tr in existing]
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    installed = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder) and app.installTranslator(translator):
            installed.append((name, translator))
    supplement = SupplementTranslator(app)
    if app.installTranslator(supplement):  # installed last: asked first
        app._disclosure_desk_qt_supplement = supplement  # kept apart: the list is what loaded from disk
    app._disclosure_desk_qt_translators = installed  # keep them alive
    return [name for name, _tr in installed]
