"""Starting the GUI: the QApplication, the database, the main window.

``run_gui(args)`` is what ``disclosure-desk`` with no command runs;
``create_main_window(session)`` builds the window alone (tests, the
installer's self-test, benchmarks).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication  # (QMessageBox where a message is shown: ~2 ms)

from .. import APP_NAME, APP_NAME_EN
from .features import FEATURES
from .main_window import MainWindow
from .registry import Features

log = logging.getLogger(__name__)

#: CJK-capable UI fonts, best first: Windows, macOS, UOS/Kylin/Debian.
UI_FONT_FAMILIES = [
    "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
    "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "SimHei", "SimSun",
]
UI_FONT_POINT_SIZE = 10


def _set_identity() -> None:
    QCoreApplication.setOrganizationName(APP_NAME_EN.replace(" ", ""))
    QCoreApplication.setApplicationName(APP_NAME_EN.replace(" ", ""))
    QGuiApplication.setApplicationDisplayName(APP_NAME)


def configure_application(app: QApplication, *, icon: bool = True, fusion: bool = False) -> None:
    """Font, style and icon for every window (idempotent; ``fusion``: the
    application was made with ``-style fusion`` already)."""
    _set_identity()
    # asking an application for its style() builds PySide's QStyle class with
    # its dozen enums (~10 ms of the start-up): not done when it is known
    if not fusion and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the same look on Windows, UOS and Kylin
    font = QFont()
    font.setFamilies(UI_FONT_FAMILIES + [app.font().family()])
    font.setPointSize(UI_FONT_POINT_SIZE)
    app.setFont(font)
    from .qt_translations import install_qt_translations

    install_qt_translations(app)  # Qt's standard buttons and dialogs in Chinese (确定/取消)
    if icon:
        install_icon(app)


def install_icon(app: QApplication) -> None:
    try:
        from .icons import install_app_icon

        install_app_icon(app)
    except Exception:  # an icon is never worth failing start-up for: any failure is logged
        log.debug("no app icon", exc_info=True)


def ensure_application(*, icon: bool = True) -> QApplication:
    app = QApplication.instance()
    if app is None:
        _set_identity()
        # Fusion from the start: the platform's style made and then replaced
        # by setStyle costs ~10 ms of the start-up
        from .. import font_preload

        font_preload.wait()  # (Qt and the preload never initialise fontconfig together)
        app = QApplication([*(sys.argv[:1] or ["disclosure-desk"]), "-style", "fusion"])
        configure_application(app, icon=icon, fusion=True)
    return app


def create_main_window(session, *, start_page: str | None = None,
                       features: Features = FEATURES) -> MainWindow:
    """The main window over an open register (not yet shown)."""
    from .context import AppContext

    app = ensure_application()
    context = AppContext(session, features, parent=app)
    window = MainWindow(context, start_page=start_page)
    return window


def run_startup_hooks(context, window) -> None:
    from .widgets import load_feature

    for ext in context.features.startup_hooks:
        fn, error = load_feature(ext)
        if fn is None:
            if error != "building":
                log.warning("start-up hook %s unavailable: %s", ext.key, error)
            continue
        try:
            fn(context, window)
        except Exception:  # a failing hook is logged; the clerk goes on working
            log.exception("start-up hook %s failed", ext.key)


def upgrade_with_progress(path: Path, parent=None, step: str = "migrate") -> None:
    """Upgrade the register at ``path`` to this version in a worker thread
    (its own connection, closed there) while a progress dialog says what is
    happening (``step``: ``services.session.upgrade_step``); raises what the
    upgrade raised (nothing is half-written: the migrations run in one
    transaction after a backup; the search index is built in one)."""
    import threading

    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    from ..services.session import upgrade_register

    outcome: dict = {}

    def work() -> None:
        try:
            upgrade_register(path)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread and raised there
            outcome["error"] = exc

    if step == "search_index":  # (only derived data is written: no backup needed, none claimed)
        text, title = ("正在为台账建立检索索引（只需一次）……\n"
                       "建好后搜索会快得多。台账较大时可能需要半分钟左右，请勿关闭程序。", "正在建立检索索引")
    else:
        text, title = ("正在升级台账的数据结构（每个新版本只需一次）……\n"
                       "升级前已自动备份。台账较大时可能需要一分钟左右，请勿关闭程序。", "正在升级台账")
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setWindowTitle(f"{APP_NAME} – {title}")
    dialog.setCancelButton(None)  # (one transaction: stopping it halfway is not offered)
    dialog.setWindowModality(Qt.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    worker = threading.Thread(target=work, name="register-upgrade", daemon=False)
    worker.start()
    dialog.show()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
    timer.start(50)
    if worker.is_alive():
        loop.exec()
    timer.stop()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]


def _is_empty(session) -> bool:
    from ..services import counts

    return counts.registered(session) == 0


def open_register_gui(path: Path, *, demo: bool = False, parent=None):
    """Open the database and return its session; on failure show the
    reason and return None (the file is left exactly as it was)."""
    from ..services.session import DatabaseOpenError, open_register, upgrade_step

    try:
        step = upgrade_step(path)
        if step is not None:  # (a large register takes a while: never a frozen window)
            upgrade_with_progress(path, parent, step)
        # a new register is made only by the first-start dialog (safety.before_opening);
        # the demo makes its own
        session = open_register(path, create=demo, make_parents=demo)
    except DatabaseOpenError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(parent, f"{APP_NAME} – 无法打开数据库", str(exc))
        return None
    if demo and _is_empty(session):
        try:
            from ..services.demo import fill_demo

            fill_demo(session)
        except Exception as exc:  # the app still opens, empty; the failure is shown
            log.exception("demo data failed")
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(parent, APP_NAME, f"生成演示数据失败：{exc}")
    return session


def run_gui(args) -> int:
    """Show the main window's frame at once, then, from the event loop,
    check and open the database and bring the window to life.  A database
    that cannot be opened gets a dialog and exit code 2, the file untouched."""
    logging.basicConfig(level=logging.WARNING)
    app = ensure_application(icon=False)
    window = MainWindow(None)
    window.show()
    # The integrity check reads the whole file in a thread (standard library
    # only: it takes nothing from this thread but a share of the CPU) while
    # the frame is drawn and the modules that open the register load; started
    # after the frame so that the frame comes first on a busy PC (started
    # before Qt, on this 2-core bench machine under load, the frame came at
    # 2.8x a bare window instead of 1.5x and ready was no sooner: BENCHMARKS.md).
    from ..services.startup_check import EarlyIntegrityCheck

    early = EarlyIntegrityCheck.start(args)
    install_icon(app)  # reading the icon files waits until the window is up
    state: dict = {"code": None, "session": None, "crashlog": None, "guard": None, "early": early}

    def finish(code: int) -> None:
        state["code"] = code
        window.hide()
        app.exit(code)

    def open_phase() -> None:
        try:
            try:
                code = _open_into_window(window, args, state)
            finally:
                resume_garbage_collection()
        except Exception as exc:  # shown to the clerk: never a frame that never opens
            log.exception("start-up failed")
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(window, f"{APP_NAME} – 无法启动",
                                 f"打开台账时出错：{exc}\n请把这条信息告诉技术人员。")
            code = 2
        if code is not None:
            finish(code)

    QTimer.singleShot(0, open_phase)
    try:
        rc = app.exec()
    finally:
        if state["guard"] is not None:
            state["guard"].finish()  # the exit backup, in its own thread since the window closed
        if state["session"] is not None:
            state["session"].close()
        if state["crashlog"] is not None:
            state["crashlog"].end()  # a clean exit: the next start reports nothing
        if state["session"] is not None and state.get("path") is not None:
            # (the window is gone: a register this session changed is checked
            # now, so that the next start need not read it whole)
            from ..services.startup_check import check_after_session

            check_after_session(state["path"])
    return state["code"] if state["code"] is not None else rc


def start_crash_log(path: Path, window, state: dict) -> None:
    """The session log of this register (faults and uncaught exceptions go
    there); after a session that did not end cleanly, tell the clerk."""
    from .. import __version__
    from ..files import paths
    from ..files.crashlog import CrashLog, configure_file_logging, logs_dir

    folder = logs_dir(paths.data_dir())
    configure_file_logging(folder)
    crashlog = CrashLog(folder, path)
    previous = crashlog.previous_crash()
    try:
        crashlog.begin(__version__)
    except OSError:
        log.warning("cannot write the session log in %s", folder, exc_info=True)
        return
    state["crashlog"] = crashlog
    install_excepthook(crashlog, window)
    if previous is not None:
        log.warning("the previous session did not end cleanly: %s", previous.log_path)
        QTimer.singleShot(0, lambda: _warning(window, "程序上次意外关闭", previous.message()))


def resume_garbage_collection() -> None:
    """Once the first screen is drawn (or the start-up ended otherwise): when
    the entry point paused the cyclic garbage collector for the start-up,
    what the start-up made (modules, classes, the window: kept as long as the
    app runs) goes to the permanent generation, so no collection goes over it
    again, and collection resumes for what the clerk's work makes."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _warning(parent, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def install_excepthook(crashlog, window) -> None:
    """An exception that escapes a slot is written to the session log and
    the clerk is told; the window stays open."""
    previous_hook = sys.excepthook
    showing = {"now": False}

    def hook(exc_type, exc, tb):
        crashlog.record_exception(exc_type, exc, tb)
        previous_hook(exc_type, exc, tb)  # the terminal keeps the traceback
        if showing["now"] or issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            return
        showing["now"] = True
        try:
            _warning(
                window, f"{APP_NAME} – 出错了",
                f"刚才的操作没有完成：{exc_type.__name__}: {exc}\n\n"
                "已保存的数据不受影响。错误已记录在：\n"
                f"{crashlog.path}\n如果问题重复出现，请把这个文件发给技术人员。")
        finally:
            showing["now"] = False

    sys.excepthook = hook


def _while_checking(window: MainWindow) -> None:
    """While the start-up integrity check reads the file on the other core,
    load the modules that opening the register and drawing the start page
    import anyway (module bodies only: nothing is opened, read or shown), so
    the wait for the check's report does work that follows it anyway."""
    import logging.handlers  # noqa: F401  (the session log)

    from ..files import crashlog  # noqa: F401
    from ..services import counts, deadlines, session  # noqa: F401  (opening the register, its counts)
    from .context import AppContext  # noqa: F401
    from .widgets import load_feature

    if window.page_exts:
        load_feature(window.page_exts[0])  # the start page's module


def _open_into_window(window: MainWindow, args, state: dict) -> int | None:
    """The slow half of start-up; an exit code when the app must stop."""
    from ..files.paths import register_path

    demo = bool(getattr(args, "demo", False))
    path = register_path(getattr(args, "db", None), demo=demo)
    # refuse what is not ours untouched; the first start; one instance per
    # database; the start-up integrity check
    from .safety import before_opening, startup_guard

    path, code = before_opening(path, parent=window, demo=demo,
                                default_location=not demo and not getattr(args, "db", None))
    if path is None:
        return code
    early = state.get("early")
    if early is not None and early.running():
        _while_checking(window)
    report = early.report_for(path) if early is not None else None
    guard = (startup_guard(path, parent=window) if report is None
             else startup_guard(path, parent=window, report=report))
    if guard is None:
        return 0
    session = open_register_gui(path, demo=demo, parent=window)
    if session is None:
        return 2
    state["session"] = session
    state["path"] = path
    start_crash_log(path, window, state)
    from .context import AppContext

    context = AppContext(session, window.features, parent=QApplication.instance())
    if not guard.attach(context, window):  # start-up password, idle lock, exit backup
        return 0
    state["guard"] = guard
    window.attach(context)
    QTimer.singleShot(0, lambda: run_startup_hooks(context, window))
    return None
