"""Register speed at 100,000 and 1,000,000 applications (issue 19).

Every figure is the worst (and the median) of ``--tries`` tries, printed beside a
ratio to a baseline measured in the same run:

* start-up: launch to ready (database open, 工作台 drawn with its counts) through the
  real entry point, alternating with a bare PySide6 ``QMainWindow`` process started
  the same way (``bench_gui``'s children); baseline the bare window;
* register page (in one process per size): first paint (a fresh page shown until its
  rows are painted), a status / year / category filter, a sort by 申请人, 收到日期 and
  答复期限, a text search; baseline a plain SQL query over the same file
  (``SELECT count(*) FROM applications``);
* drill-down of the report's 本年新收·总计 cell, listed and painted;
* resident memory of the process with the register page loaded;
* exit: window closed → event loop returned and → process ended, with nothing changed
  and after one change, against a bare window's exit.

``python3 bench/bench_register.py [--sizes 100000,1000000] [--tries 20]``; the
registers are built once with ``bench/build_register.py`` and kept in the temp folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_gui import APP_CHILD, BARE_CHILD, _env, compile_app, time_child  # noqa: E402
from build_register import cached  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _fmt(xs: list[float]) -> str:
    return f"worst {max(xs) * 1000:7.1f} ms  median {statistics.median(xs) * 1000:7.1f} ms"


def report(name: str, xs: list[float], base: float, target: str = "") -> dict:
    worst = max(xs)
    print(f"  {name:<44} {_fmt(xs)}  ratio {worst / base:6.1f}x baseline {target}", flush=True)
    return {"name": name, "worst_ms": worst * 1000, "median_ms": statistics.median(xs) * 1000,
            "ratio": worst / base}


# --- start-up -------------------------------------------------------------------------------


def bench_startup(db: Path, tries: int) -> None:
    """Launch to ready, alternating with a bare window: the everyday start
    (the register as the last session left it, marked by its passed check)
    and the first start after the file was copied in (no mark: read whole)."""
    marks = ("shown", "ready")
    compile_app()
    time_child(BARE_CHILD)
    time_child(APP_CHILD, str(db), marks=marks)  # (also leaves the register's mark)
    bare, ready, first = [], [], []
    for _ in range(tries):
        bare.append(time_child(BARE_CHILD)[0])
        ready.append(time_child(APP_CHILD, str(db), marks=marks)[1])
        first.append(time_child(APP_CHILD, str(db), marks=marks,
                                data=tempfile.mkdtemp(prefix="bench-data-first-"))[1])
    b = statistics.median(bare)
    print(f"start-up, {tries} tries each (numpy hidden, as in a clean install):")
    print(f"  bare QMainWindow shown                       {_fmt(bare)}")
    print(f"  ready: 工作台 with its counts ({_count(db):,})   {_fmt(ready)}  "
          f"median ratio {statistics.median(ready) / b:.2f}x, worst/worst {max(ready) / max(bare):.2f}x "
          f"(target <= 2, goal 1.5)", flush=True)
    print(f"  ready, first start after a copy (checked)    {_fmt(first)}  "
          f"median ratio {statistics.median(first) / b:.2f}x, worst/worst {max(first) / max(bare):.2f}x",
          flush=True)


def _count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM applications").fetchone()[0]


# --- exit -------------------------------------------------------------------------------------

EXIT_CHILD = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop_app.ui.app as gui
change = sys.argv[2] == "change"
def ready(context, window):
    if change:
        from desktop_app.services import applications
        app_id = applications.search(context.session)[0].id
        applications.update_application(context.session, app_id, {"notes": "bench %f" % time.time()})
    def close():
        print("close %f" % time.perf_counter(), flush=True)
        window.close()
    QTimer.singleShot(50, close)
gui.run_startup_hooks = ready
_exec = QApplication.exec
def exec_(self=None):
    rc = _exec()
    print("returned %f" % time.perf_counter(), flush=True)
    return rc
QApplication.exec = staticmethod(exec_)
from desktop_app.main import main
rc = main(["--db", sys.argv[1]])
print("main-returned %f" % time.perf_counter(), flush=True)
raise SystemExit(rc)
"""

BARE_EXIT = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 760); w.show()
def close():
    print("close %f" % time.perf_counter(), flush=True)
    w.close()
QTimer.singleShot(50, close)
app.exec()
print("returned %f" % time.perf_counter(), flush=True)
"""


def _exit_times(code: str, *args: str, env: dict) -> tuple[float, float]:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
    marks = {}
    for line in proc.stdout:
        name, _, value = line.strip().partition(" ")
        marks[name] = float(value)
        if name == "close":
            closed_at = time.perf_counter()
    proc.wait(timeout=120)
    ended = time.perf_counter()
    if "close" not in marks or "returned" not in marks:
        raise RuntimeError(proc.stderr.read()[-2000:])
    return marks["returned"] - marks["close"], ended - closed_at


def bench_exit(db: Path, tries: int) -> None:
    import shutil

    work = Path(tempfile.mkdtemp(prefix="bench-exit-"))
    copy = work / "register.db"
    shutil.copyfile(db, copy)
    env = _env()
    env["XDG_DATA_HOME"] = str(work / "data")
    env["DISCLOSURE_DESK_DATA_DIR"] = str(work / "data")
    backups = work / "backups"

    def backup_count() -> int:
        from desktop_app.services import backups as b

        return len(b.list_backups(copy, b.folder_of(copy), count=False))

    bare = [_exit_times(BARE_EXIT, env=env) for _ in range(tries)]
    base = statistics.median(p for _r, p in bare)
    _exit_times(EXIT_CHILD, str(copy), "change", env=env)  # a first backup of the copy
    print(f"exit ({tries} tries each; window closed -> event loop returned / -> process ended):")
    print(f"  bare QMainWindow: returned {_fmt([r for r, _p in bare])}; process ended {_fmt([p for _r, p in bare])}")
    for kind in ("unchanged", "change"):
        before = backup_count()
        runs = [_exit_times(EXIT_CHILD, str(copy), kind, env=env) for _ in range(tries)]
        made = backup_count() - before
        ret, ended = [r for r, _p in runs], [p for _r, p in runs]
        print(f"  {kind:<9}: returned {_fmt(ret)}; process ended {_fmt(ended)} "
              f"(ratio {statistics.median(ended) / base:.1f}x bare); new backups {made} of {tries} quits",
              flush=True)
    shutil.rmtree(work, ignore_errors=True)
    del backups


# --- the register page, in a child process per size --------------------------------------------


def open_window(db: str, tries: int):
    """The app's main window over ``db`` (offscreen, settings in a temp folder),
    shown and settled, with the baseline of the same process: the median of
    ``tries`` plain ``SELECT count(*) FROM applications``.  Returns (app,
    window, register, baseline seconds, resident MB before the register opened)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import sqlite3

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tempfile.mkdtemp())
    from desktop_app.services.session import open_register
    from desktop_app.ui.app import create_main_window

    rss0 = _rss_mb()
    plain = sqlite3.connect(db)

    def baseline() -> float:
        t = time.perf_counter()
        plain.execute("SELECT count(*) FROM applications").fetchone()
        return time.perf_counter() - t

    base = statistics.median(baseline() for _ in range(tries))
    register = open_register(Path(db))
    window = create_main_window(register)
    window.resize(1366, 768)
    window.show()
    app = QApplication.instance()
    app.processEvents()
    app.processEvents()  # (the 工作台 fills its list one turn of the loop after start-up)
    return app, window, register, base, rss0


def page_child(db: str, tries: int) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt

    app, window, register, base, rss0 = open_window(db, tries)
    n = _count(Path(db))
    print(f"register page at {n:,} applications ({tries} tries; baseline: plain "
          f"`SELECT count(*) FROM applications` {base * 1000:.2f} ms):", flush=True)

    def settle(page) -> None:
        while page.is_loading():
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        page.table.viewport().repaint()

    first = []
    t = time.perf_counter()
    page = window.show_page("register")
    settle(page)
    first.append(time.perf_counter() - t)
    rss = _rss_mb()
    from desktop_app.ui.register_page import RegisterPage

    for _ in range(tries - 1):
        t = time.perf_counter()
        other = RegisterPage(window.context)
        other.resize(1366, 700)
        other.show()
        settle(other)
        first.append(time.perf_counter() - t)
        other.hide()
        other.deleteLater()
        # deleteLater acts when control returns to the event loop, which processEvents is not:
        # without this the 19 pages stayed alive and "after all of the above" counted them
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        app.processEvents()
    results = [report("first paint (page shown, rows painted)", first, base, "(target < 300 ms)")]

    def timed(action) -> float:
        t0 = time.perf_counter()
        action()
        QCoreApplication.processEvents()
        page.table.viewport().repaint()
        return time.perf_counter() - t0

    def combo(widget, data):
        return lambda: widget.setCurrentIndex(widget.findData(data))

    year = page.year_combo.itemData(1)
    for label, on, off in (
            ("filter: status 未办结", combo(page.status_combo, "open"), combo(page.status_combo, None)),
            (f"filter: year {year}", combo(page.year_combo, year), combo(page.year_combo, None)),
            ("filter: category 法人或其他组织·商业企业", combo(page.category_combo, "commercial"),
             combo(page.category_combo, None)),
            ("filter: 待核实 only", lambda: page.review_check.setChecked(True),
             lambda: page.review_check.setChecked(False))):
        xs = []
        for _ in range(tries):
            xs.append(timed(on))
            xs.append(timed(off))
        results.append(report(label, xs, base, "(target < 100 / 300 ms)"))
    for key in ("applicant_name", "receipt_date", "due_date"):
        col = page.model.column_index(key)
        xs = []
        for i in range(tries):
            order = Qt.AscendingOrder if i % 2 == 0 else Qt.DescendingOrder
            xs.append(timed(lambda c=col, o=order: page.table.sortByColumn(c, o)))
        results.append(report(f"sort by {page.model.columns[col].header}", xs, base, "(target < 100 / 300 ms)"))
    page.table.sortByColumn(page.model.column_index("receipt_date"), Qt.DescendingOrder)
    needles = ["张", "征地", "某某律师事务所", "2025-00", "补偿 公开", "不存在的内容xyz", "李某", "拆迁"]
    xs = []
    for i in range(tries):
        page.search_edit.blockSignals(True)
        page.search_edit.setText(needles[i % len(needles)])
        page.search_edit.blockSignals(False)
        xs.append(timed(page.apply_filters))
    results.append(report("search (text filter)", xs, base, "(target < 100 / 300 ms)"))
    page.clear_filters()
    # scrolling to the end and back (rows read as they come into view)
    bar = page.table.verticalScrollBar()
    xs = []
    for i in range(tries):
        xs.append(timed(lambda i=i: bar.setValue(bar.maximum() if i % 2 == 0 else bar.maximum() // 2)))
    results.append(report("scroll to the end / the middle", xs, base))
    # drill-down from a report cell
    report_page = window.show_page("annual_report")
    app.processEvents()
    xs = []
    for _ in range(tries):
        t0 = time.perf_counter()
        report_page.show_cell(("section3", "new", "total"))
        app.processEvents()
        report_page.cell_list.viewport().repaint()
        xs.append(time.perf_counter() - t0)
    listed = report_page.cell_model.rowCount()
    results.append(report(f"drill-down 本年新收·总计 ({listed:,} listed)", xs, base, "(target < 200 ms)"))
    window.show_page("register")
    app.processEvents()
    rss_end = _rss_mb()
    print(f"  resident memory: {rss:.0f} MB with the register page loaded ({rss - rss0:+.0f} MB over "
          f"the interpreter with Qt imported); {rss_end:.0f} MB after all of the above (target < 200 MB)",
          flush=True)
    window.close()
    register.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--skip", default="", help="comma list of: startup,page,exit")
    parser.add_argument("--folder", default=os.environ.get("DISCLOSURE_DESK_BENCH_DIR"),
                        help="where the registers are kept (default: the temp folder; a copy per "
                             "branch keeps a migrated file away from other checkouts)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        page_child(args.child, args.tries)
        return 0
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(s) for s in args.sizes.split(",")]
    dbs = {n: cached(n, args.folder) for n in sizes}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    small = dbs[min(sizes)]
    if "startup" not in skip:
        bench_startup(small, args.tries)
    if "page" not in skip:
        for n, db in dbs.items():
            subprocess.run([sys.executable, __file__, "--child", str(db), "--tries", str(args.tries)],
                           check=True, env=_env())
    if "exit" not in skip:
        bench_exit(small, min(args.tries, 5))
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
