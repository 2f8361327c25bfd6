"""Start-up time to a shown main window: the built bundle, ``python3 -m
desktop_app``, and a bare PySide6 window from the same Python (baseline).

    python3 bench/bench_startup.py [--runs 7] [--cold] [--bundle dist/disclosure-desk/disclosure-desk]

"Shown" is the moment the app has opened the database, built and painted
its main window and run its start-up hooks: with
``DISCLOSURE_DESK_EXIT_AFTER_SHOW=1`` it prints ``DISCLOSURE_DESK_SHOWN
<unix time>`` then and quits (desktop_app/ui/startup_probe.py).  The
baseline does the same with an empty QMainWindow.  Each figure is the time
from spawning the process to that line; the database is a copy of a demo
register (about 200 applications).  With ``--cold`` (root only) the page
cache is dropped before every run, so each start reads its files from
disk, as after a reboot; otherwise the runs are warm (files cached).
Qt runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "DISCLOSURE_DESK_SHOWN"

BASELINE = r"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("baseline")
w.setCentralWidget(QLabel("baseline"))
w.resize(1200, 760)
w.show()
def done():
    w.repaint()
    print("%s %.6f" % ("DISCLOSURE_DESK_SHOWN", time.time()), flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


# The app as ``python3 -m desktop_app``, with PySide6's __feature__ hook put
# back to reading each imported module's source (as before
# ``qt_workarounds.skip_feature_source_reads``), to measure what that costs.
SOURCE_READS = r"""
import sys
import desktop_app.ui
from desktop_app.ui import qt_workarounds
feature = sys.modules["shibokensupport.feature"]
feature._mod_uses_pyside = qt_workarounds._feature_source_reader or feature._mod_uses_pyside
from desktop_app.main import main
raise SystemExit(main(["--db", sys.argv[1]]))
"""


def drop_caches() -> bool:
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


def time_to_shown(cmd: list[str], env: dict, cold: bool) -> float:
    if cold:
        drop_caches()
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            encoding="utf-8", errors="replace")
    shown = None
    for line in proc.stdout:
        if line.startswith(MARKER):
            shown = float(line.split()[1])
            break
    try:
        _out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    if shown is None:
        raise RuntimeError(f"{cmd[0]}: no '{MARKER}' line (exit {proc.returncode}): {err[-800:]}")
    return shown - start


def make_database(folder: Path) -> Path:
    from desktop_app.services.demo import fill_demo
    from desktop_app.services.session import open_register

    path = folder / "register.db"
    session = open_register(path, create=True)
    fill_demo(session)
    session.close()
    return path


def measure(label, cmd, env, runs, cold):
    times = []
    for _ in range(runs):
        times.append(time_to_shown(cmd, env, cold))
    return label, times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cold", action="store_true", help="drop the page cache before each run (root)")
    ap.add_argument("--bundle", default=str(ROOT / "dist" / "disclosure-desk" / "disclosure-desk"))
    args = ap.parse_args(argv)

    if args.cold and not drop_caches():
        print("cannot drop the page cache (not root?): measuring warm starts")
        args.cold = False
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        db = make_database(work)
        # (the app's data folder, with its session logs and check marks, kept
        # between the runs as a clerk's is, and never the user's own)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DISCLOSURE_DESK_EXIT_AFTER_SHOW="1",
                   XDG_DATA_HOME=str(work / "data"))
        env.pop("DISPLAY", None)
        py_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        bundle_env = dict(env)
        bundle_env.pop("PYTHONPATH", None)

        cases = [("bare PySide6 window (baseline)", [sys.executable, "-c", BASELINE], env)]
        cases.append(("python3 -m desktop_app", [sys.executable, "-m", "desktop_app", "--db", str(db)], py_env))
        cases.append(("the same, PySide reading each module's source", [sys.executable, "-c", SOURCE_READS,
                                                                         str(db)], py_env))
        bundle = Path(args.bundle)
        if bundle.exists():
            cases.append(("bundle dist/disclosure-desk", [str(bundle), "--db", str(db)], bundle_env))
        else:
            print(f"(no bundle at {bundle}: run python3 scripts/build_installer.py first)")

        # one untimed warm-up of each (creates the exit backup folder, byte-compiles)
        if not args.cold:
            for _label, cmd, e in cases:
                time_to_shown(cmd, e, False)
        results = {}
        for _ in range(args.runs):  # interleaved, so drifts hit every case alike
            for label, cmd, e in cases:
                results.setdefault(label, []).append(time_to_shown(cmd, e, args.cold))

        kind = "cold (page cache dropped before each run)" if args.cold else "warm"
        print(f"start-up to a shown main window, {kind}, {args.runs} runs each, "
              f"{os.cpu_count()} cores, Qt offscreen; database: demo register")
        base = statistics.median(results[cases[0][0]])
        for label, _cmd, _e in cases:
            t = results[label]
            med = statistics.median(t)
            print(f"  {label:34s} median {med * 1000:7.0f} ms  min {min(t) * 1000:7.0f} ms  "
                  f"ratio to baseline {med / base:5.2f}x")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
