"""``disclosure-desk --self-test``: prove an installation works.

Run by the installer build on the freshly built bundle, and by IT staff
on a clerk's PC after installing.  It exercises each layer the way the
app uses it, each step isolated so a failure names its step:

1. ``database`` – open the database (a temporary one unless ``--db`` is
   given), apply the migrations, check the schema is current and the
   file passes ``PRAGMA quick_check``;
2. ``due_date`` – load the working-day calendar and compute a reply
   deadline, checked against a known date around a holiday;
3. ``pdf`` – render the blank application form, check it is a complete
   PDF with an embedded CJK font (or report the fallback warning) and have
   pdfium, the print preview's engine, draw its first page;
4. ``notice`` – in a scratch register (never the one given with ``--db``):
   record an application and render its receipt notice, the way the GUI's
   打印文书 does, and check the PDF and its embedded fonts;
5. ``report`` – the scratch register's annual report exported as PDF,
   Word (.docx, python-docx's templates from the bundle) and Excel
   (.xlsx), each opened again and checked;
6. ``ledger`` – the scratch register's ledger exported as .xlsx (openpyxl)
   and imported into a second scratch register through the real import
   (python-calamine's compiled reader, the file's checks, the batches):
   the same applications come back;
7. ``features`` – import every feature loaded by name (GUI extensions,
   CLI commands, migrations), so a module missing from a bundle shows;
   check scrypt (the start-up password) and, in a Linux bundle, that
   programs the app starts get the system's library path;
8. ``main_window`` – on Linux with a display, first the platform check
   (:mod:`desktop_app.platform_check`: the xcb libraries Qt needs); then
   build the main window and paint it; on a real display it is shown
   and waited for until the window system exposes it (offscreen when
   there is no display).

Prints one line ``自检通过 …`` and exits 0, or prints the failing
step(s) and exits 1.  Nothing is written outside a temporary folder
except the migrations of the database given with ``--db``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

EXIT_OK = 0
EXIT_FAILED = 1


@dataclass
class StepResult:
    name: str
    label: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0
    warning: str | None = None


@dataclass
class SelfTestState:
    """What the steps share: the open database and the temporary folder."""

    workdir: Path
    db_path: Path
    db: Any = None                # the sqlite-utils database once opened
    register: Any = None          # the Session over it
    warnings: list[str] = field(default_factory=list)
    scratch: tuple | None = None  # (register, app_id, year) of the documents steps


class StepFailed(Exception):
    """A check inside a step failed; the message is for the reader."""


# --- the steps ---------------------------------------------------------------------


def step_database(state: SelfTestState) -> str:
    from .services.session import Session
    from .storage.database import connect, pending_migrations
    from .storage.migrations import LATEST_VERSION
    from .storage.store import Store

    # a database named with --db must exist (a mistyped path never becomes a new register)
    db = connect(state.db_path, create=state.db_path.parent == state.workdir)
    state.db = db
    state.register = Session(Store(db, state.db_path))
    pending = pending_migrations(db)
    if pending:
        raise StepFailed(f"迁移未全部应用：{', '.join(pending)}")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != LATEST_VERSION:
        raise StepFailed(f"数据库版本 {version}，应为 {LATEST_VERSION}")
    check = db.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise StepFailed(f"完整性检查失败：{check}")
    missing = {"applications", "events", "settings"} - set(db.table_names())
    if missing:
        raise StepFailed(f"缺少数据表：{', '.join(sorted(missing))}")
    from .services.applications import count as count_applications

    count = count_applications(state.register)
    return f"数据库版本 {version}，{count} 件申请"


#: A date whose 20-working-day deadline crosses National Day 2025 and its
#: 调休 days (Sunday 2025-09-28 and Saturday 2025-10-11 are working days):
#: computed by hand from the published 2025 holiday notice.  Receipt
#: 2025-09-26 (Fri); counting from the next day: Sep 28 29 30, Oct 9 10 11,
#: 13–17, 20–24, 27–30 → the 20th working day is 2025-10-30.
REFERENCE_START = dt.date(2025, 9, 26)
REFERENCE_DAYS = 20
REFERENCE_DUE = dt.date(2025, 10, 30)


def step_due_date(state: SelfTestState) -> str:
    from .domain.workdays import WorkdayCalendar  # noqa: F401  (the module must import)
    from .services.deadlines import load_calendar

    if state.register is None:
        raise StepFailed("数据库未打开（见 database 步骤）")
    calendar = load_calendar(state.register)
    due = calendar.add_working_days(REFERENCE_START, REFERENCE_DAYS)
    if due != REFERENCE_DUE:
        raise StepFailed(
            f"{REFERENCE_START} 起 {REFERENCE_DAYS} 个工作日应为 {REFERENCE_DUE}，算得 {due}（节假日数据有误？）")
    today = dt.date.today()
    years = sorted(calendar.covered_years())
    if not years:
        raise StepFailed("工作日历不含任何年份")
    # the statutory days off counted in a year without an official schedule
    # (the holidays library and its Chinese catalogue): every December's
    # deadlines reach into such a year
    from .domain.statutory_holidays import statutory_days_off

    ahead = years[-1] + 1
    off = statutory_days_off(ahead)
    for day, name in ((dt.date(ahead, 1, 1), "元旦"), (dt.date(ahead, 5, 1), "劳动节"), (dt.date(ahead, 10, 1), "国庆节")):
        if off.get(day) != name:
            raise StepFailed(f"{ahead}年的法定节假日推算有误：{day} 应为{name}，得到“{off.get(day) or '工作日'}”")
    today_due = calendar.due(today, REFERENCE_DAYS)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if today_due.provisional:
        state.warnings.append(today_due.warning)
    note = "（暂按放假办法推算）" if today_due.provisional else ""
    return f"今天受理 → {today_due.date} 到期{note}，日历 {span} 年"


def _check_pdf(data: bytes) -> tuple[int, bool, list[str]]:
    """(pages, has an embedded font, base font names) of a PDF, or
    StepFailed when it is not a complete PDF."""
    if not data.startswith(b"%PDF-"):
        raise StepFailed("输出不是 PDF 文件（缺少 %PDF- 文件头）")
    if b"%%EOF" not in data[-1024:]:
        raise StepFailed("PDF 文件不完整（缺少 %%EOF）")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    if pages == 0:
        raise StepFailed("PDF 没有页面")
    embedded = re.search(rb"/FontFile[23]?\b", data) is not None
    fonts = sorted({m.decode("latin-1") for m in re.findall(rb"/BaseFont\s*/([^\s/>\[]+)", data)})
    try:  # a full parse when pypdf is installed (tests, developer machines)
        import pypdf
    except ImportError:
        pass
    else:
        import io

        try:
            pages = len(pypdf.PdfReader(io.BytesIO(data), strict=False).pages)
        except Exception as exc:  # pypdf raises its own and struct/zlib errors
            raise StepFailed(f"PDF 无法解析：{exc}") from None
    return pages, embedded, fonts


def render_blank_form(state: SelfTestState, out: Path) -> None:
    """Render the blank application form to ``out`` (the same function the
    CLI's ``form --blank`` and the GUI's 打印空白申请表 use)."""
    from .documents.form import render_form
    from .services.settings import get_settings

    settings = get_settings(state.register) if state.register is not None else {}
    render_form(None, settings, out)


def _rasterise_first_page(state: SelfTestState, data: bytes) -> None:
    """Open the PDF with pdfium, the engine of the print preview and of
    printing, and draw page 1: proves the native library is in the bundle
    and the PDF is readable by a real PDF engine."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        state.warnings.append("未安装 pypdfium2：打印预览和打印不可用")
        return
    try:
        doc = pdfium.PdfDocument(data)
        try:
            bitmap = doc[0].render(scale=36 / 72)
            width, height = bitmap.width, bitmap.height
        finally:
            doc.close()
    except Exception as exc:  # pdfium raises its own errors, OSError for a missing library
        raise StepFailed(f"打印引擎（pdfium）无法读取或绘制该 PDF：{type(exc).__name__}: {exc}") from None
    if width < 100 or height < 100:
        raise StepFailed(f"打印引擎绘制的页面尺寸异常（{width}×{height}）")


def step_pdf(state: SelfTestState) -> str:
    from .documents.fonts import resolve_fonts
    from .services.settings import get_settings

    settings = get_settings(state.register) if state.register is not None else {}
    fonts = resolve_fonts(dict(settings))
    out = state.workdir / "blank-form.pdf"
    render_blank_form(state, out)
    if not out.is_file():
        raise StepFailed("没有生成 PDF 文件")
    data = out.read_bytes()
    pages, embedded, _names = _check_pdf(data)
    if fonts.embedded and not embedded:
        raise StepFailed(f"应嵌入字体 {fonts.body_face.label}，但 PDF 中没有嵌入的字体")
    _rasterise_first_page(state, data)
    if not fonts.embedded:
        state.warnings.append(fonts.warning or "PDF 未嵌入中文字体")
        font_text = "字体未嵌入（使用阅读器内置 STSong-Light）"
    else:
        font_text = f"已嵌入字体 {Path(fonts.body_face.path or '').name}"
    return f"空白申请表 {pages} 页，{len(data) // 1024} KB，{font_text}"


#: The application the scratch register of the notice and report steps holds.
SAMPLE_APPLICATION = {
    "channel": "in_person",
    "applicant_type": "natural_person",
    "applicant_name": "张某某",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "address": "浙江省杭州市西湖区文三路1号",
    "postcode": "310012",
    "info_description": "2025年本区老旧小区改造项目的立项批复文件",
}


def _scratch_register(state: SelfTestState):
    """A register of its own in the temporary folder, with one application
    received a year ago: the documents steps never write into the
    register given with ``--db``."""
    if getattr(state, "scratch", None) is not None:
        return state.scratch
    from .services.applications import register_application
    from .services.session import create_register
    from .services.settings import update_settings

    session = create_register(state.workdir / "documents.db")
    update_settings(session, {"agency_name": "自检示例人民政府办公室", "doc_number_prefix": "自检公开"})
    received = dt.date.today().replace(month=3, day=5) - dt.timedelta(days=365)
    app_id = register_application(session, {**SAMPLE_APPLICATION, "receipt_date": received.isoformat()}).app_id
    state.scratch = (session, app_id, received.year)
    return state.scratch


def step_notice(state: SelfTestState) -> str:
    from .documents import render
    from .documents.fonts import resolve_fonts
    from .services import notices
    from .services.settings import get_settings

    session, app_id, _year = _scratch_register(state)
    fonts = resolve_fonts(dict(get_settings(session)))
    draft = notices.prepare(session, app_id, "receipt")
    data = render.render_notice(draft.snapshot, fonts=fonts)
    pages, embedded, names = _check_pdf(data)
    if fonts.embedded and not embedded:
        raise StepFailed(f"告知书应嵌入字体 {fonts.body_face.label}，但 PDF 中没有嵌入的字体")
    if not draft.snapshot.get("title"):
        raise StepFailed("告知书没有标题")
    out = state.workdir / "notice.pdf"
    out.write_bytes(data)
    body = fonts.body_face.family or fonts.body_face.label
    title = fonts.title_face.family or fonts.title_face.label
    return f"{draft.snapshot.get('title')} {pages} 页，{len(data) // 1024} KB，正文 {body}，标题 {title}"


def step_report(state: SelfTestState) -> str:
    import zipfile

    from .documents.report_export import export_report
    from .services import report
    from .services.settings import get_settings

    session, _app_id, year = _scratch_register(state)
    document = report.build_document(session, year)
    sizes = []
    for ext in (".pdf", ".docx", ".xlsx"):
        out = state.workdir / f"report{ext}"
        export_report(document, out, dict(get_settings(session)))
        if not out.is_file() or out.stat().st_size == 0:
            raise StepFailed(f"没有生成年度报告{ext}文件")
        sizes.append(f"{ext[1:].upper()} {out.stat().st_size // 1024} KB")
        if ext == ".pdf":
            _check_pdf(out.read_bytes())
        elif ext == ".docx":
            try:
                with zipfile.ZipFile(out) as zf:
                    body = zf.read("word/document.xml").decode("utf-8")
                    footers = [n for n in zf.namelist() if n.startswith("word/footer")]
            except (zipfile.BadZipFile, KeyError) as exc:
                raise StepFailed(f"Word 文件无法读取：{exc}") from None
            if document["title"][:8] not in body:
                raise StepFailed("Word 文件中没有报告标题")
            if not footers:
                raise StepFailed("Word 文件没有页脚（页码）")
        else:
            import openpyxl

            try:
                wb = openpyxl.load_workbook(out, read_only=True)
                sheets = wb.sheetnames
                wb.close()
            except Exception as exc:  # openpyxl raises many kinds
                raise StepFailed(f"Excel 文件无法读取：{exc}") from None
            if not sheets:
                raise StepFailed("Excel 文件没有工作表")
    return f"{year}年度报告：" + "，".join(sizes)


def step_ledger(state: SelfTestState) -> str:
    from .services import applications, ledger
    from .services.session import create_register

    session, _app_id, _year = _scratch_register(state)
    out = state.workdir / "ledger.xlsx"
    written = ledger.export_ledger(session, out)
    if written < 1 or not out.is_file():
        raise StepFailed("没有导出台账 .xlsx 文件")
    target = create_register(state.workdir / "ledger.db")
    try:
        summary = ledger.import_ledger(target, out, backup=False)
        if summary.added != written:
            raise StepFailed(f"导出 {written} 件申请，导入后只有 {summary.added} 件：{summary.text()}")
        exported = {a.serial: a.applicant_name for a in applications.all_applications(session)}
        imported = {a.serial: a.applicant_name for a in applications.all_applications(target)}
        if imported != exported:
            raise StepFailed(f"导入的申请与导出的不一致：{imported} / {exported}")
    finally:
        target.close()
    return f"台账 .xlsx 导出 {written} 件、导入 {summary.added} 件"


def step_features(state: SelfTestState) -> str:
    """Every module the GUI and the CLI load when first needed (the GUI's
    features, the command modules, the migrations) imports: in a bundle, a
    module PyInstaller missed or a Qt module the spec excluded fails here,
    not on a clerk's first click."""
    import importlib

    ensure_qt_platform()
    from .cli import COMMAND_MODULES
    from .storage.migrations import MIGRATION_MODULES
    from .ui.features import FEATURES
    from .ui.widgets import load_feature

    broken: list[str] = []
    placeholders: list[str] = []
    count = len(COMMAND_MODULES)  # imported with the cli package above
    for name in MIGRATION_MODULES:
        count += 1
        try:
            importlib.import_module(f"desktop_app.storage.migrations.{name}")
        except Exception as exc:  # every failure is collected and reported
            broken.append(f"迁移 {name}（{type(exc).__name__}: {exc}）")
    for feature in FEATURES.all():
        count += 1
        target, error = load_feature(feature)
        if error == "building":
            placeholders.append(feature.label)  # declared but not built: the GUI shows a "建设中" page
        elif target is None:  # a module it needs is missing (e.g. left out of a bundle)
            broken.append(f"{feature.label}（{feature.key}: {error}）")
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir and bundle_dir in os.environ.get("LD_LIBRARY_PATH", ""):
        # programs the app starts (xdg-open, fc-list, lp) would load the
        # bundle's libraries instead of the system's
        broken.append("子进程环境（LD_LIBRARY_PATH 仍指向程序目录）")
    try:  # the start-up password needs OpenSSL's scrypt (hashlib)
        from .domain import password as password_module
    except ImportError:
        password_module = None  # type: ignore[assignment]  # the check below reports it
    if password_module is not None and hasattr(password_module, "available") and not password_module.available():
        broken.append("启动密码（hashlib.scrypt 缺失：OpenSSL 未随程序打包）")
    if broken:
        raise StepFailed("无法加载：" + "；".join(broken))
    if placeholders:
        state.warnings.append("尚未提供的功能（显示为“建设中”）：" + "、".join(placeholders))
    return f"{count - len(placeholders)}/{count} 个功能模块可加载"


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_qt_platform() -> None:
    """Qt's offscreen platform when there is no display (CI, SSH)."""
    if not os.environ.get("QT_QPA_PLATFORM") and not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def step_main_window(state: SelfTestState) -> str:
    if state.register is None:
        raise StepFailed("数据库未打开（见 database 步骤）")
    ensure_qt_platform()
    from .platform_check import find_problem

    problem = find_problem()
    if problem is not None:
        raise StepFailed(problem.message())
    if sys.platform.startswith("linux") and os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        # offscreen (no display, a root install): still say what a desktop would lack
        desktop = find_problem({**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": os.environ.get("DISPLAY") or ":0"})
        if desktop is not None and desktop.packages:
            state.warnings.append("在图形桌面上打开窗口还需要安装：sudo apt-get install " + " ".join(desktop.packages))
    from .ui.selftest_window import check_main_window

    try:
        title, platform, warnings = check_main_window(state.register, state.workdir)
    except RuntimeError as exc:
        raise StepFailed(str(exc)) from None
    state.warnings.extend(warnings)
    return f"主窗口“{title}”（{platform}）"


STEPS: list[tuple[str, str, Callable[[SelfTestState], str]]] = [
    ("database", "数据库与迁移", step_database),
    ("due_date", "期限计算", step_due_date),
    ("pdf", "生成PDF", step_pdf),
    ("notice", "告知书", step_notice),
    ("report", "年度报告导出", step_report),
    ("ledger", "台账导入导出", step_ledger),
    ("features", "功能模块", step_features),
    ("main_window", "主窗口", step_main_window),
]


# --- running -----------------------------------------------------------------------


def run_steps(state: SelfTestState, steps=None) -> list[StepResult]:
    results = []
    for name, label, func in (steps if steps is not None else STEPS):
        start = time.perf_counter()
        try:
            detail = func(state)
            ok = True
        except StepFailed as exc:
            detail, ok = str(exc), False
        except BaseException as exc:  # an import error in a bundle, SystemExit from a library…
            if isinstance(exc, KeyboardInterrupt):
                raise
            last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
            where = f"（{Path(last[0].filename).name}:{last[0].lineno}）" if last else ""
            detail, ok = f"{type(exc).__name__}: {exc}{where}", False
        results.append(StepResult(name, label, ok, detail, time.perf_counter() - start))
    return results


def summary_line(results: list[StepResult], seconds: float) -> str:
    if all(r.ok for r in results):
        details = "；".join(r.detail for r in results)
        return f"自检通过（disclosure-desk {__version__}，{seconds:.1f} 秒）：{details}"
    failed = [r for r in results if not r.ok]
    names = "、".join(f"{r.name}（{r.label}）" for r in failed)
    return f"自检失败（disclosure-desk {__version__}）：{names}"


def run_self_test(db_path: str | os.PathLike | None = None, *, out=None, err=None,
                  steps=None) -> int:
    """Run every step; print the summary to ``out`` and each failure and
    warning to ``err``; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="disclosure-desk-selftest-"))
    state = SelfTestState(workdir=workdir,
                          db_path=Path(db_path).expanduser() if db_path else workdir / "selftest.db")
    try:
        results = run_steps(state, steps)
    finally:
        for session in (state.register, state.scratch[0] if state.scratch else None):
            if session is not None:
                with contextlib.suppress(Exception):  # closing is best effort; the folder goes anyway
                    session.close()
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started
    for r in results:
        if not r.ok:
            _print(err, f"步骤 {r.name}（{r.label}）失败：{r.detail}")
    for w in state.warnings:
        _print(err, f"注意：{w}")
    _print(out, summary_line(results, seconds))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def _print(stream, text: str) -> None:
    if stream is None:  # a windowed build on Windows has no console
        return
    try:
        print(text, file=stream, flush=True)
    except (OSError, ValueError):
        pass


def _attach_windows_console() -> None:
    """A windowed (console=False) Windows build has no stdout: print into
    the console the self-test was started from, if any."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    try:
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - the console for the rest of the run
            sys.stderr = sys.stdout
    except (AttributeError, OSError):
        pass


def main(args) -> int:
    """Entry from the CLI (``--self-test``)."""
    _attach_windows_console()
    if getattr(args, "demo", False):
        from .files import paths

        return run_self_test(paths.demo_database_path())
    return run_self_test(getattr(args, "db", None))
