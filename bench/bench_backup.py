"""Benchmark: backing up a 100,000-application register.

Prints, each beside its baseline measured in the same run:

* the full backup (SQLite online backup API in 4 MiB steps, then
  ``PRAGMA integrity_check`` of the copy, then the rename) against a plain
  ``shutil.copyfile`` of the same database file;
* the restore (pre-restore backup + copy into the live database + check);
* the GUI during a backup started from the 数据备份 page's worker thread:
  a 10 ms QTimer keeps ticking, and the longest gap between two ticks is
  reported against the same timer's longest gap with the event loop idle.

Run: ``python3 bench/bench_backup.py [N]`` (default 100000).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.services.demo import build_large_database  # noqa: E402
from desktop_app.storage import backups as bk  # noqa: E402
from desktop_app.storage import restore  # noqa: E402


def timed(fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    return time.perf_counter() - t0, out


def event_loop_gaps(app, run_seconds=None, until=None, interval_ms=10):
    """Tick a QTimer; return (ticks, longest gap in ms, duration)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    stamps = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: stamps.append(clock.elapsed()))
    timer.start()
    while True:
        app.processEvents()
        time.sleep(0.001)
        if until is not None and until():
            break
        if run_seconds is not None and clock.elapsed() >= run_seconds * 1000:
            break
    timer.stop()
    gaps = [b - a for a, b in zip(stamps, stamps[1:])] or [0]
    return len(stamps), max(gaps), clock.elapsed() / 1000


def main(n: int = 100_000) -> int:
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        db = d / "register.db"
        t_build, _ = timed(build_large_database, db, n, today=_dt.date(2026, 11, 25))
        size = db.stat().st_size
        print(f"database: {n} applications, {size / 1024 / 1024:.1f} MB (built in {t_build:.1f} s)")

        # baseline: a plain file copy (what a clerk would do by hand; unsafe while the app writes)
        t_copy, _ = timed(shutil.copyfile, db, d / "plain-copy.db")
        os.remove(d / "plain-copy.db")
        t_backup, info = timed(bk.create_backup, db, kind="manual", folder=d / "backups")
        assert info.applications == n, info
        print(f"backup (online API + integrity_check + rename): {t_backup:.2f} s "
              f"= {t_backup / t_copy:.1f}x a plain file copy ({t_copy:.2f} s); "
              f"{'PASS' if t_backup < 5 else 'FAIL'} (< 5 s)")

        t_verify, _ = timed(bk.verify_backup, info.path)
        print(f"verify a backup (integrity_check, read-only): {t_verify:.2f} s "
              f"= {t_verify / t_copy:.1f}x the file copy")

        from desktop_app.storage import integrity
        from desktop_app.storage.database import connect

        t_open, conn = timed(connect, db)
        conn.conn.close()
        t_quick, report = timed(integrity.quick_check, db)
        assert report.ok
        t_check, findings = timed(integrity.check_file, db)
        print(f"start-up quick_check: {t_quick:.2f} s (opening the database itself: {t_open * 1000:.0f} ms); "
              f"full `check` (integrity + consistency): {t_check:.2f} s = {t_check / t_quick:.1f}x quick_check; "
              f"{len(findings)} findings")

        t_restore, result = timed(restore.restore_backup, db, info.path)
        print(f"restore (pre-restore backup + copy in + check + migrate check): {t_restore:.2f} s "
              f"= {t_restore / t_backup:.1f}x one backup")

        # the GUI stays responsive: the backup page's worker thread
        from PySide6.QtWidgets import QApplication

        from desktop_app.ui.safety import BackupThread

        app = QApplication.instance() or QApplication([])
        idle_ticks, idle_gap, idle_secs = event_loop_gaps(app, run_seconds=1.0)
        progress = []
        thread = BackupThread(db, "manual", d / "backups")
        thread.progress.connect(lambda done, total: progress.append((done, total)))
        thread.start()
        ticks, gap, secs = event_loop_gaps(app, until=lambda: thread.isFinished())
        thread.wait()
        assert thread.error is None, thread.error
        print(f"GUI during a {secs:.2f} s background backup: {ticks} timer ticks "
              f"({ticks / secs:.0f}/s vs {idle_ticks / idle_secs:.0f}/s idle), longest event-loop gap "
              f"{gap} ms vs {idle_gap} ms idle; {len(progress)} progress updates")
        return 0 if t_backup < 5 else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
