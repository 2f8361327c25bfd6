"""``disclosure-desk --self-test`` (installer issue): through the installed
package's entry point, and each step's failure named."""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import desktop_app
from desktop_app import selftest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, cwd=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    # The package as installed (pip install -e . in CI); from a bare checkout,
    # the checkout itself.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd, timeout=180)


# --- through the entry point ------------------------------------------------------------


def test_self_test_passes_with_a_temporary_database(tmp_path):
    proc = run_cli("--self-test", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    summary = lines[0]
    assert summary.startswith("自检通过")
    assert f"disclosure-desk {desktop_app.__version__}" in summary
    # each step reported what it did
    assert "数据库版本" in summary and "到期" in summary and "空白申请表" in summary and "主窗口" in summary
    assert "台账 .xlsx 导出 1 件、导入 1 件" in summary
    # the temporary database and PDF were cleaned up, nothing left in cwd
    assert list(tmp_path.iterdir()) == []


def test_self_test_with_db_migrates_that_database(tmp_path):
    from desktop_app.storage.migrations import LATEST_VERSION

    db = tmp_path / "sub" / "register.db"
    # a mistyped --db never becomes a new register, nor its folder
    missing = run_cli("--db", str(db), "--self-test")
    assert missing.returncode == 1 and "不存在" in missing.stderr
    assert not db.parent.exists()
    assert run_cli("--db", str(db), "init", "--parents").returncode == 0
    first = run_cli("--db", str(db), "--self-test")
    assert first.returncode == 0, first.stdout + first.stderr
    assert db.is_file()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        conn.close()
    # an existing, current database passes again and is reported
    second = run_cli("--db", str(db), "--self-test")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 件申请" in second.stdout


def test_self_test_refuses_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("这不是数据库\n", encoding="utf-8")
    proc = run_cli("--db", str(bogus), "--self-test")
    assert proc.returncode == 1
    assert "自检失败" in proc.stdout and "database（数据库与迁移）" in proc.stdout
    assert "步骤 database" in proc.stderr and "不是本程序的数据库文件" in proc.stderr
    # the steps that need the database say so instead of crashing
    assert "due_date" in proc.stdout and "main_window" in proc.stdout
    assert bogus.read_text(encoding="utf-8") == "这不是数据库\n"


def test_self_test_prints_a_notice_and_exports_the_report_in_every_format(tmp_path):
    proc = run_cli("--self-test", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = proc.stdout
    assert "政府信息公开申请接收回执 1 页" in summary
    assert "年度报告：PDF" in summary and "DOCX" in summary and "XLSX" in summary


def test_self_test_never_writes_documents_into_the_register_given(tmp_path):
    db = tmp_path / "register.db"
    assert run_cli("--db", str(db), "init").returncode == 0
    proc = run_cli("--db", str(db), "--self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_broken_docx_export_fails_the_report_step(monkeypatch, qapp):
    """What happened in the bundle (python-docx's templates not found)
    is caught by the self-test, not by a clerk."""
    import desktop_app.documents.report_docx as report_docx

    def broken(document, path):
        raise FileNotFoundError(2, "No such file or directory", "docx/parts/../templates/default-footer.xml")

    monkeypatch.setattr(report_docx, "write_report_docx", broken)
    code, out, err = _run()
    assert code == 1
    assert "report（年度报告导出）" in out and "default-footer.xml" in err


def test_self_test_shows_the_main_window_on_a_real_display(xvfb_display, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
    env.update(DISPLAY=xvfb_display, HOME=str(tmp_path), PYTHONIOENCODING="utf-8",
               XDG_RUNTIME_DIR=str(tmp_path))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "--self-test"], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "（xcb，已在显示器上显示）" in proc.stdout


def test_help_lists_the_flag():
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert "--self-test" in proc.stdout


# --- in process: a failing step is named, the others still run --------------------------


def _run(**kw):
    out, err = io.StringIO(), io.StringIO()
    code = selftest.run_self_test(out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_failing_pdf_step_is_named(monkeypatch, qapp):
    def broken(state, out):
        raise OSError("磁盘已满")

    monkeypatch.setattr(selftest, "render_blank_form", broken)
    code, out, err = _run()
    assert code == selftest.EXIT_FAILED
    assert out.strip().splitlines() == [f"自检失败（disclosure-desk {desktop_app.__version__}）：pdf（生成PDF）"]
    assert "步骤 pdf（生成PDF）失败：OSError: 磁盘已满" in err


def test_wrong_calendar_is_caught(monkeypatch, qapp):
    """A bundle whose holiday data were lost would count Mon-Fri only."""

    class MondayToFriday:
        def add_working_days(self, start, n, **kw):
            d = start
            while n:
                d += dt.timedelta(days=1)
                if d.weekday() < 5:
                    n -= 1
            return d

    import desktop_app.services.deadlines as deadlines

    monkeypatch.setattr(deadlines, "load_calendar", lambda session: MondayToFriday())
    code, out, err = _run()
    assert code == 1
    assert "due_date（期限计算）" in out
    assert "2025-10-30" in err  # what it should have been
    assert "pdf" not in out and "main_window" not in out


def test_a_missing_xlsx_reader_fails_the_ledger_step(monkeypatch, qapp):
    """A bundle without python-calamine's compiled module would refuse every
    .xlsx ledger: the self-test says so, not a clerk's first import."""
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails as in such a bundle
    code, out, err = _run()
    assert code == 1
    assert out.strip().splitlines() == [f"自检失败（disclosure-desk {desktop_app.__version__}）：ledger（台账导入导出）"]
    assert "步骤 ledger（台账导入导出）失败" in err and "python-calamine" in err


def test_a_missing_holiday_catalogue_fails_the_due_date_step(monkeypatch, qapp):
    """What the glibc 2.28 bundle did (the holidays library's gettext
    catalogue not collected): every deadline reaching into a year without an
    official schedule failed.  The self-test counts such a year's statutory
    days off whatever today's date, so it always shows."""
    import holidays.holiday_base as holiday_base

    from desktop_app.domain.statutory_holidays import statutory_days_off

    def no_catalogue(domain, **kw):
        raise FileNotFoundError(2, f"No translation file found for domain: {domain!r}")

    monkeypatch.setattr(holiday_base, "translation", no_catalogue)
    statutory_days_off.cache_clear()
    try:
        code, out, err = _run()
    finally:
        statutory_days_off.cache_clear()
    assert code == 1
    assert "due_date（期限计算）" in out
    assert "No translation file found for domain: 'CN'" in err


def test_failing_main_window_is_named(monkeypatch, qapp):
    import desktop_app.ui.app as ui_app

    def broken(session, **kw):
        raise ImportError("libQt6Widgets.so.6: cannot open shared object file")

    monkeypatch.setattr(ui_app, "create_main_window", broken)
    code, out, err = _run()
    assert code == 1
    assert "main_window（主窗口）" in out
    assert "ImportError: libQt6Widgets" in err


def test_all_steps_pass_in_process(qapp, tmp_path):
    from desktop_app.storage.database import create_register

    create_register(tmp_path / "r.db").conn.close()
    code, out, err = _run(db_path=tmp_path / "r.db")
    assert code == 0, out + err
    assert out.startswith("自检通过")


def test_font_fallback_is_reported_not_failed(monkeypatch, qapp):
    """No CJK TrueType font on the PC: the PDF still renders (CID font, not
    embedded); the self-test passes and says so."""
    from desktop_app.documents import fonts

    monkeypatch.setattr(fonts, "installed_faces", lambda: [])
    fonts.clear_cache()
    try:
        code, out, err = _run()
    finally:
        fonts.clear_cache()
    assert code == 0, out + err
    assert "字体未嵌入" in out
    assert "注意：" in err and "STSong-Light" in err


# --- the PDF check ------------------------------------------------------------------------------


def test_check_pdf_rejects_truncated_and_foreign_files(tmp_path):
    from reportlab.pdfgen import canvas

    from desktop_app.documents.fonts import resolve_fonts

    fonts = resolve_fonts({})
    out = tmp_path / "t.pdf"
    c = canvas.Canvas(str(out))
    c.setFont(fonts.body, 14)
    c.drawString(72, 720, "政府信息公开申请表")
    c.showPage()
    c.drawString(72, 720, "page 2")
    c.save()
    data = out.read_bytes()
    pages, embedded, names = selftest._check_pdf(data)
    assert pages == 2
    assert embedded == fonts.embedded
    if fonts.embedded:  # an embedded subset is tagged ABCDEF+FontName
        assert any("+" in n for n in names), names
    with pytest.raises(selftest.StepFailed, match="不是 PDF"):
        selftest._check_pdf(b"<html></html>")
    with pytest.raises(selftest.StepFailed, match="不完整"):
        selftest._check_pdf(data[: len(data) // 2])


# --- one version everywhere; the icon ---------------------------------------------------------


def test_windows_version_resource_carries_the_package_version(tmp_path):
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import version_info
    finally:
        sys.path.remove(str(ROOT / "installer"))
    assert version_info.package_version() == desktop_app.__version__
    path = version_info.write_version_file(tmp_path / "v.txt")
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates this text
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    v = version_info.version_tuple(desktop_app.__version__)
    assert f"filevers={v}" in text and f"StringStruct('ProductVersion', '{desktop_app.__version__}')" in text
    assert "政府信息公开办理台" in text
    assert version_info.version_tuple("1.2.3rc1") == (1, 2, 3, 0)


def test_icon_files_have_every_size():
    icons = ROOT / "resources" / "icons"
    data = (icons / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        w, h = struct.unpack_from("<BB", data, 6 + 16 * i)
        sizes.add((w or 256, h or 256))
    assert {(s, s) for s in (16, 24, 32, 48, 256)} <= sizes
    for s in (16, 32, 48, 256):
        png = (icons / f"app-{s}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", png[16:24]) == (s, s)


def test_app_icon_loads(qapp):
    from desktop_app.ui.icons import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 256}


def test_pdf_metadata_carries_the_package_version(tmp_path):
    """One version number: the About dialog, the bundle's version resource
    and the PDFs' metadata."""
    import pypdf

    from desktop_app.documents.form import render_form

    out = tmp_path / "blank.pdf"
    render_form(None, {}, out)
    meta = pypdf.PdfReader(str(out)).metadata
    assert meta.creator.endswith(desktop_app.__version__)
    assert desktop_app.__version__ in (meta.producer or "")


def test_a_feature_that_cannot_load_is_named(monkeypatch, qapp):
    """What a bundle missing a module looks like: the extension's own module
    exists but something it needs does not."""
    import importlib
    from dataclasses import replace

    from desktop_app.ui import features
    from desktop_app.ui.registry import Feature

    fake = type(sys)("desktop_app.ui._selftest_probe")
    fake.__dict__["__getattr__"] = lambda name: (_ for _ in ()).throw(
        ModuleNotFoundError("No module named 'PySide6.QtNetwork'", name="PySide6.QtNetwork"))
    monkeypatch.setitem(sys.modules, "desktop_app.ui._selftest_probe", fake)
    probe = Feature("probe", "探针", lambda: importlib.import_module("desktop_app.ui._selftest_probe").action)
    monkeypatch.setattr(features, "FEATURES", replace(
        features.FEATURES, file_actions=[*features.FEATURES.file_actions, probe]))
    code, out, err = _run()
    assert code == 1
    assert "features（功能模块）" in out
    assert "探针" in err and "PySide6.QtNetwork" in err


def test_a_feature_not_built_yet_is_a_warning(monkeypatch, qapp):
    from dataclasses import replace

    from gui_helpers import not_built

    from desktop_app.ui import features

    monkeypatch.setattr(features, "FEATURES", replace(features.FEATURES, pages=[
        *features.FEATURES.pages, not_built("later", "以后的页面", "desktop_app.ui.not_built_yet_page")]))
    code, out, err = _run()
    assert code == 0, out + err
    assert "以后的页面" in err and "建设中" in err


def test_missing_scrypt_fails_the_features_step(monkeypatch, qapp):
    """A bundle built without OpenSSL's _hashlib could not check the
    start-up password: the self-test must say so."""
    from desktop_app.domain import password

    monkeypatch.setattr(password, "available", lambda: False)
    code, out, err = _run()
    assert code == 1
    assert "features（功能模块）" in out
    assert "hashlib.scrypt" in err


def test_self_test_leaves_the_clerks_settings_alone(tmp_path):
    """The main window saves its geometry when closed; the self-test's must
    not land in the user's configuration."""
    home = tmp_path / "home"
    home.mkdir()
    env_home = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local" / "share")}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", **env_home)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "--self-test"], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = [p.relative_to(home) for p in home.rglob("*") if p.is_file()]
    assert written == [], written
