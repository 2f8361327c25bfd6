"""Register GUI benchmark (issue 2).

1. Cold start: a fresh process from launch to "main window shown and the
   event loop running", for a bare PySide6 QMainWindow and for
   ``disclosure-desk --db <100k database>`` (the real entry point: CLI
   parser, database open, main window), alternating, several repetitions;
   medians and their ratio (target: <= 1.5).
2. Register page at 100k rows: time to load it (worker thread), then the
   text-filter latency (filter + model reset + repaint), median over
   several needles (target: < 100 ms), with the cost of one repaint of the
   unfiltered table as the baseline.

Run: ``python3 bench/bench_gui.py [--rows 100000] [--repeat 7]``.  The
100k database is built once with ``desktop_app.services.demo.build_large_database``
and kept in the temp folder.
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

BARE_CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1280, 760)
w.show()
def shown():
    print("shown", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

# numpy is not a dependency of the app (a clerk's install has none), but
# sqlite-utils imports it when it happens to be installed, as it is on
# this development machine (for scipy).  By default the children run as a
# clean install does: with numpy hidden.  --with-numpy measures both ways.
HIDE_NUMPY = r"""
import sys
class _HideNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy.") or name == "pandas":
            raise ImportError(f"{name} hidden: not a dependency of the app")
sys.meta_path.insert(0, _HideNumpy())
"""

# The real start-up path (cli.main -> run_gui).  run_gui shows the
# window's frame first and opens the database from the event loop;
# "shown" is printed when the event loop runs with the window shown (as
# for the bare window), "ready" when the register is open, the start page
# built and the start-up hooks are due.  The child imports nothing of its
# own before ``main`` (as a real launch): the GUI module is patched when the
# app imports it, so the app's own import order is what is measured (its
# integrity check starts before Qt is loaded, as it does for a clerk).
APP_CHILD = r"""
import importlib.util
import sys

def patch(gui):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    _show = gui.MainWindow.show
    def show(self):
        _show(self)
        QTimer.singleShot(0, lambda: print("shown", flush=True))
    gui.MainWindow.show = show
    def ready(context, window):
        assert window.isVisible() and window.context is not None
        print("ready", flush=True)
        QApplication.quit()
    gui.run_startup_hooks = ready

class _PatchGui:
    def find_spec(self, name, path=None, target=None):
        if name != "desktop_app.ui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, _PatchGui())
from desktop_app.main import main
raise SystemExit(main(["--db", sys.argv[1]]))
"""


def compile_app() -> None:
    """Byte-compile the app as an installed copy has it (pip and the bundle
    ship compiled modules; a checkout run with PYTHONDONTWRITEBYTECODE=1, as
    on this machine, would otherwise compile ~40 modules at every launch,
    which the bare window never does)."""
    import compileall

    compileall.compile_dir(str(ROOT / "desktop_app"), quiet=1)


#: The app's data folder (session logs, the marks of passed integrity checks)
#: for every child of one bench run: kept between launches, as a clerk's is,
#: and never the user's own.
BENCH_DATA = tempfile.mkdtemp(prefix="bench-data-")


def _env(data: str | None = None) -> dict:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bench-qsettings-")  # no saved geometry
    env["XDG_DATA_HOME"] = data or BENCH_DATA
    return env


def time_child(code: str, *args: str, hide_numpy: bool = True, marks=("shown",),
               data: str | None = None) -> list[float]:
    """Seconds from launch to each line in ``marks`` printed by the child
    (``data``: its data folder, else the bench run's)."""
    if hide_numpy:
        code = HIDE_NUMPY + code
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(data), cwd=str(ROOT))
    times = []
    for mark in marks:
        line = proc.stdout.readline()
        times.append(time.perf_counter() - start)
        if line.strip() != mark:
            proc.kill()
            _out, err = proc.communicate(timeout=60)
            raise RuntimeError(f"child failed (exit {proc.returncode}, got {line!r}): {err[-2000:]}")
    proc.communicate(timeout=60)
    return times


def ensure_database(rows: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"disclosure-desk-bench-{rows}.db"
    if path.exists():
        return path
    from desktop_app.services.demo import build_large_database

    print(f"building a {rows:,}-application database at {path} …", flush=True)
    t = time.perf_counter()
    build_large_database(path, rows)
    print(f"  built in {time.perf_counter() - t:.1f} s")
    return path


def bench_startup(db: Path, repeat: int, hide_numpy: bool = True) -> tuple[float, float]:
    app_marks = ("shown", "ready")
    compile_app()
    time_child(BARE_CHILD, hide_numpy=hide_numpy)  # warm the OS file cache for both
    time_child(APP_CHILD, str(db), hide_numpy=hide_numpy, marks=app_marks)
    bare, shown, ready = [], [], []
    for _ in range(repeat):
        bare.append(time_child(BARE_CHILD, hide_numpy=hide_numpy)[0])
        s, r = time_child(APP_CHILD, str(db), hide_numpy=hide_numpy, marks=app_marks)
        shown.append(s)
        ready.append(r)
    b, s, r = statistics.median(bare), statistics.median(shown), statistics.median(ready)

    def runs(xs):
        return ", ".join(f"{x * 1000:.0f}" for x in xs)

    how = "numpy hidden, as in a clean install" if hide_numpy else "numpy importable, as on this dev machine"
    n = count_rows(db)
    print(f"cold start, {repeat} runs each ({how}):")
    print(f"  bare QMainWindow shown:                     median {b * 1000:5.0f} ms  ({runs(bare)})")
    print(f"  app main window shown ({n:,} apps):     median {s * 1000:5.0f} ms  ({runs(shown)})"
          f"  ratio {s / b:.2f} (target <= 1.5)")
    print(f"  app ready (register open, 工作台 built): median {r * 1000:5.0f} ms  ({runs(ready)})"
          f"  ratio {r / b:.2f}")
    return b, s


def count_rows(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM applications").fetchone()[0]


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def bench_filter(db: Path, repeat: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tempfile.mkdtemp())
    from desktop_app.services.session import open_register
    from desktop_app.ui.app import create_main_window

    register = open_register(db, create=True)
    window = create_main_window(register)
    window.resize(1366, 768)
    window.show()
    app = QApplication.instance()
    app.processEvents()

    rss_before = _rss_mb()
    t = time.perf_counter()
    page = window.show_page("register")
    while page.is_loading():
        app.processEvents()
        time.sleep(0.002)
    app.processEvents()
    load = time.perf_counter() - t
    print(f"register page: {page.model.total_count():,} rows loaded and shown in {load * 1000:.0f} ms "
          f"(worker thread; the window stays responsive); memory +{_rss_mb() - rss_before:.0f} MB")

    def repaint_cost() -> float:
        t0 = time.perf_counter()
        page.table.viewport().repaint()
        return time.perf_counter() - t0

    baseline = statistics.median(repaint_cost() for _ in range(repeat))

    needles = ["张", "征地", "某某律师事务所", "2025-00", "补偿", "公开", "不存在的内容xyz", "李某"]
    times: list[float] = []
    for _ in range(max(1, repeat // 3)):
        for needle in needles:
            page.search_edit.blockSignals(True)
            page.search_edit.setText(needle)
            page.search_edit.blockSignals(False)
            t0 = time.perf_counter()
            page.apply_filters()
            page.table.viewport().repaint()
            QCoreApplication.processEvents()
            times.append(time.perf_counter() - t0)
            shown = page.model.visible_count()
        page.search_edit.setText("")
        page.apply_filters()
    med, worst = statistics.median(times), max(times)
    print(f"text filter at {page.model.total_count():,} rows: median {med * 1000:.1f} ms, "
          f"worst {worst * 1000:.1f} ms over {len(times)} filters (target < 100 ms; last matched {shown:,})")
    print(f"  baseline, one repaint of the table: {baseline * 1000:.1f} ms; "
          f"ratio filter / repaint = {med / baseline:.1f}")

    # combined filters and a sort, for the record
    page.year_combo.setCurrentIndex(1)
    t0 = time.perf_counter()
    page.status_combo.setCurrentIndex(page.status_combo.findData("open"))
    QCoreApplication.processEvents()
    combo = time.perf_counter() - t0
    page.clear_filters()
    t0 = time.perf_counter()
    page.table.sortByColumn(page.model.column_index("applicant_name"), page.model.sort_state()[1])
    QCoreApplication.processEvents()
    sort_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    page.table.sortByColumn(page.model.column_index("receipt_date"), page.model.sort_state()[1])
    QCoreApplication.processEvents()
    sort_again = time.perf_counter() - t0
    print(f"status filter on a year: {combo * 1000:.0f} ms; sort by 申请人 (first time, keys built): "
          f"{sort_first * 1000:.0f} ms; sort back by 收到日期: {sort_again * 1000:.0f} ms")
    # one row brought up to date in place after a save in the form (no reload)
    app_id = page.model.app_id(0)
    t0 = time.perf_counter()
    page.refresh_applications([app_id])
    QCoreApplication.processEvents()
    one_row = time.perf_counter() - t0
    print(f"refresh of one saved application in place at {page.model.total_count():,} rows: "
          f"{one_row * 1000:.0f} ms (vs {load * 1000:.0f} ms for a full load)")
    window.close()
    register.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--with-numpy", action="store_true",
                        help="also time start-up with numpy importable (sqlite-utils then loads it)")
    parser.add_argument("--skip-filter", action="store_true")
    args = parser.parse_args()
    db = ensure_database(args.rows)
    bench_startup(db, args.repeat)
    if args.with_numpy:
        bench_startup(db, args.repeat, hide_numpy=False)
    if args.skip_filter:
        return 0
    bench_filter(db, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
