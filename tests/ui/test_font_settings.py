"""设置 → 文书, the font section: each role's face and why; the background
conversion of Noto Serif CJK SC started from it, its progress, and the
section showing the converted face when it ends; the status-bar hook."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from desktop_app.documents import font_convert, fonts
from desktop_app.ui import documents_settings, font_conversion
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES

SUBSET = "政府信息公开申请答复告知书〔〕关开请书华国条号年月日第号：，。"

NOTO = None
for _f in fonts.installed_faces():
    if _f.family == fonts.NOTO_SERIF_SC and _f.style == "Regular":
        NOTO = _f
fonts.clear_cache()
needs_noto = pytest.mark.skipif(NOTO is None, reason="Noto Serif CJK SC not installed (apt-get install fonts-noto-cjk)")


@pytest.fixture
def isolated_fonts(monkeypatch, tmp_path):
    """This PC's faces without any 仿宋/小标宋, conversions into a temporary
    folder limited to SUBSET, and a fresh background job whose worker
    converts exactly what the app asks for."""
    fonts.clear_cache()
    faces = [f for f in fonts.installed_faces() if f.kind() not in ("fangsong", "xiaobiaosong", "zhongsong")]
    monkeypatch.setattr(fonts, "installed_faces", lambda: faces)
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "converted_dir", lambda: tmp_path / "converted")
    real = fonts.conversion_tasks
    monkeypatch.setattr(fonts, "conversion_tasks",
                        lambda faces=None: {k: replace(t, subset_text=SUBSET) for k, t in real(faces).items()})
    job = font_convert.BackgroundConversion()
    monkeypatch.setattr(documents_settings, "BACKGROUND", job)
    monkeypatch.setattr(font_conversion, "BACKGROUND", job)

    def worker(tasks):
        args = [(t.source, t.index, t.target, t.family, t.style, t.subset_text) for t in tasks]
        return [sys.executable, "-c",
                "import sys; from desktop_app.documents.font_convert import ConversionTask, run_tasks;"
                f"sys.exit(run_tasks([ConversionTask(*a) for a in {args!r}]))"]

    original_start = job.start
    monkeypatch.setattr(job, "start",
                        lambda command=None, env=None: original_start(worker(fonts.pending_conversions()), env))
    yield job
    job.cancel()
    fonts.clear_cache()


@pytest.fixture
def context(qtbot, register, db_path):
    return AppContext(register, FEATURES)


def test_each_role_shows_its_face_and_why(qtbot, context, monkeypatch):
    fonts.clear_cache()
    tab = documents_settings.DocumentSettingsTab(context)
    qtbot.addWidget(tab)
    section = tab.font_section
    assert list(section.pickers) == ["body", "title", "heading", "kai"]
    fs = fonts.resolve_fonts({})
    for role, label in section.in_use.items():
        assert label.text() == f"使用：{fs.face(role).family or fs.face(role).label}"
        assert label.toolTip() == fs.face(role).label  # the file, on hover
        assert section.why[role].text() == f"原因：{fs.reasons[role]}"


@needs_noto
def test_converting_from_the_settings_shows_progress_and_then_the_converted_face(qtbot, context, isolated_fonts):
    job = isolated_fonts
    tab = documents_settings.DocumentSettingsTab(context)
    qtbot.addWidget(tab)
    section = tab.font_section
    assert "暂用" in section.why["body"].text()       # printing meanwhile with the best face
    assert not section.convert_button.isHidden()
    qtbot.mouseClick(section.convert_button, Qt.LeftButton)
    assert job.running or job.finished
    qtbot.waitUntil(lambda: job.finished, timeout=120_000)
    qtbot.waitUntil(lambda: "已转换完成" in section.progress.label.text(), timeout=5_000)
    assert job.error is None
    assert section.in_use["body"].text() == "使用：Noto Serif CJK SC Regular（已转换为 TrueType）"
    assert "由 Noto Serif CJK SC（思源宋体）转换" in section.why["body"].text()
    assert section.in_use["title"].text() == "使用：Noto Serif CJK SC Bold（已转换为 TrueType）"
    assert section.convert_button.isHidden()


@needs_noto
def test_the_startup_hook_converts_in_the_background_with_progress_in_the_status_bar(
        qtbot, context, isolated_fonts, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    job = isolated_fonts
    window = QMainWindow()
    qtbot.addWidget(window)
    monkeypatch.delenv(font_conversion.ENV_NO_CONVERSION, raising=False)
    font_conversion.startup_hook(context, window)
    assert job.running or job.finished
    bars = window.statusBar().findChildren(font_conversion.ConversionProgress)
    assert len(bars) == 1 and "公文字体" in bars[0].label.text()
    qtbot.waitUntil(lambda: job.finished, timeout=120_000)
    qtbot.waitUntil(lambda: "公文字体（思源宋体）已准备好" in window.statusBar().currentMessage(), timeout=5_000)
    assert fonts.resolve_fonts({}).body_face.path.endswith("NotoSerifCJKsc-Regular.ttf")


def test_the_startup_hook_stays_idle_when_told_or_when_nothing_is_needed(qtbot, context, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    job = font_convert.BackgroundConversion()
    monkeypatch.setattr(font_conversion, "BACKGROUND", job)
    window = QMainWindow()
    qtbot.addWidget(window)
    monkeypatch.setenv(font_conversion.ENV_NO_CONVERSION, "1")
    font_conversion.startup_hook(context, window)
    assert not job.running and job.proc is None
    monkeypatch.delenv(font_conversion.ENV_NO_CONVERSION)
    monkeypatch.setattr(fonts, "pending_conversions", lambda settings=None: [])
    font_conversion.startup_hook(context, window)
    assert job.proc is None


def test_a_progress_added_under_a_message_does_not_show_the_path_through_it(qtbot):
    """Qt shows the status bar's normal widgets again when one is added;
    the path label was drawn through the start-up reminder's message."""
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    path = QLabel("数据库：/tmp/register.db")
    window.statusBar().addWidget(path, 1)
    window.show()
    window.statusBar().showMessage("请注意：3个工作日内到期 99 件。", 60_000)
    assert not path.isVisible()
    window.statusBar().addPermanentWidget(QLabel("plain"))
    qtbot.wait(50)  # (Qt lays the bar out again from the event loop)
    assert path.isVisible()  # (what Qt does: the reason for the helper)
    window.statusBar().showMessage("请注意：3个工作日内到期 99 件。", 60_000)
    font_conversion.add_permanent_status_widget(window.statusBar(), QLabel("正在准备公文字体"))
    qtbot.wait(50)
    assert not path.isVisible()
    assert window.statusBar().currentMessage() == "请注意：3个工作日内到期 99 件。"
    window.statusBar().clearMessage()
    qtbot.wait(50)
    assert path.isVisible()
    # and a message shown as a widget is removed (the conversion's end)
    extra = QLabel("正在准备公文字体")
    window.statusBar().addPermanentWidget(extra)
    window.statusBar().removeWidget(extra)
    font_conversion.show_message_after_layout(window.statusBar(), "公文字体（思源宋体）已准备好", 15_000)
    qtbot.wait(50)
    assert not path.isVisible() and window.statusBar().currentMessage() == "公文字体（思源宋体）已准备好"
