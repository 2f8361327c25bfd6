"""Benchmark: due dates and working days left for 100,000 open applications.

Prints, each beside its baseline measured in the same run:

* the bulk path (``deadlines.bulk_due_and_days_left``): for each open
  application its clock start, reply limit (+ extension) and paused working
  days → the due date and the working days left today, on the precomputed
  working-day index — against simply iterating over the same rows;
* the calendar alone: 100,000 ``WorkdayCalendar.add_working_days`` calls
  (the contract other modules use) with the provisional check;
* the register/dashboard path: ``deadlines.view_of_row`` (state, due date,
  days left, colour level) for 100,000 register rows read from SQLite,
  against reading the same rows;
* the full rule engine (``compute_state`` from record + timeline events) for
  10,000 applications with corrections, third parties, fees and
  extensions, against iterating over them;
* building the calendar index (package data + overrides).

Run: ``python3 bench/bench_deadlines.py [N]`` (default 100000).
"""

from __future__ import annotations

import datetime as _dt
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.domain import deadlines as dl  # noqa: E402
from desktop_app.domain.records import ApplicationFields, Event  # noqa: E402
from desktop_app.domain.workdays import WorkdayCalendar  # noqa: E402

TODAY = _dt.date(2026, 11, 25)


def best_of(fn, repeat=5):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def main(n: int = 100_000) -> None:
    rng = random.Random(3)
    t_build, _, calendar = best_of(lambda: WorkdayCalendar.from_package(
        overrides={_dt.date(2026, 10, 29): (False, "台风停止办公")}), repeat=3)
    first = _dt.date(2025, 1, 1).toordinal()
    span = TODAY.toordinal() - first
    starts = [_dt.date.fromordinal(first + rng.randrange(span)) for _ in range(n)]
    rows = [(s.isoformat(), 20 + (20 if rng.random() < 0.1 else 0), rng.choice([0, 0, 0, 0, 3, 8]))
            for s in starts]

    # 1. bulk due dates and days left vs iterating
    def iterate():
        count = 0
        for start, total, paused in rows:
            count += total
        return count

    t_iter, _, _ = best_of(iterate)
    t_bulk, t_bulk_med, out = best_of(lambda: dl.bulk_due_and_days_left(rows, calendar, TODAY))
    # sanity: the fast path agrees with the calendar
    for (start, total, paused), (due, _left) in list(zip(rows, out))[:2000]:
        assert _dt.date.fromordinal(due) == calendar._add(_dt.date.fromisoformat(start), total + paused)

    # 2. the calendar contract
    def contract():
        add = calendar.add_working_days
        last = None
        for s in starts:
            last = add(s, 20, allow_provisional=True)
        return last

    t_contract, _, _ = best_of(contract, repeat=3)

    # 3. register rows from SQLite → DeadlineView
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE applications (id INTEGER PRIMARY KEY, status TEXT, due_date TEXT, "
                 "clock_state TEXT, pause_until TEXT, deadline_provisional INTEGER, outcome TEXT)")
    states = ["running"] * 12 + ["extended", "paused_third_party", "paused_fee", "paused_correction"]
    data = []
    for i, (start, total, paused) in enumerate(rows):
        due = _dt.date.fromordinal(calendar.add_working_days_ordinal(_dt.date.fromisoformat(start).toordinal(),
                                                                     total + paused))
        state = rng.choice(states)
        pause_until = (calendar._add(TODAY, rng.randrange(-5, 15)).isoformat()
                       if state.startswith("paused") else None)
        data.append((i + 1, "in_progress", None if state == "paused_correction" else due.isoformat(),
                     state, pause_until, 0, None))
    conn.executemany("INSERT INTO applications VALUES (?, ?, ?, ?, ?, ?, ?)", data)
    conn.row_factory = sqlite3.Row

    def read_rows():
        return [dict(r) for r in conn.execute("SELECT * FROM applications")]

    t_read, _, db_rows = best_of(read_rows, repeat=3)

    def views():
        view = dl.view_of_row
        return [view(r, calendar, TODAY) for r in db_rows]

    t_views, _, vs = best_of(views, repeat=3)

    def iterate_dicts():
        c = 0
        for r in db_rows:
            c += r["id"]
        return c

    t_iter_dicts, _, _ = best_of(iterate_dicts, repeat=3)

    # 4. the full rule engine on 10,000 applications with timelines
    m = min(n, 10_000)
    apps = []
    for s in starts[:m]:
        events = [Event(1, None, "received", s.isoformat(), {})]
        r = rng.random()
        if r < 0.15:
            sent = calendar._add(s, 3)
            events.append(Event(2, None, "correction_requested", sent.isoformat(), {"items": "x", "period_days": 10}))
            events.append(Event(3, None, "corrected", calendar._add(sent, 5).isoformat(), {}))
        elif r < 0.3:
            sent = calendar._add(s, 4)
            events.append(Event(2, None, "third_party_sent", sent.isoformat(), {"third_party": "某公司"}))
            events.append(Event(3, None, "third_party_replied", calendar._add(sent, 6).isoformat(), {}))
        elif r < 0.4:
            events.append(Event(2, None, "extension", calendar._add(s, 15).isoformat(),
                                {"approver": "张主任", "approved_on": "", "reason": "x", "days": 20}))
        elif r < 0.45:
            sent = calendar._add(s, 5)
            events.append(Event(2, None, "fee_notice", sent.isoformat(), {"amount": 100}))
            events.append(Event(3, None, "fee_paid", calendar._add(sent, 4).isoformat(), {}))
        apps.append((ApplicationFields(receipt_date=s.isoformat(), status="in_progress"), events))
    rules = dl.DeadlineRules()

    def full():
        return [dl.compute_state(rec, evs, calendar, rules) for rec, evs in apps]

    t_full, _, _ = best_of(full, repeat=3)

    def iterate_apps():
        c = 0
        for rec, evs in apps:
            c += len(evs)
        return c

    t_iter_apps, _, _ = best_of(iterate_apps, repeat=3)

    ms = lambda t: f"{t * 1000:8.1f} ms"  # noqa: E731
    print(f"Deadlines benchmark, {n:,} open applications (best of several runs; today = {TODAY})")
    print(f"  baseline: iterate over {n:,} rows                 {ms(t_iter)}")
    print(f"  due dates + days left (bulk index path)         {ms(t_bulk)}   "
          f"ratio {t_bulk / t_iter:5.1f}x iterate   (median {t_bulk_med * 1000:.1f} ms; target < 200 ms)")
    print(f"  {n:,} x calendar.add_working_days (contract)   {ms(t_contract)}   "
          f"ratio {t_contract / t_iter:5.1f}x iterate")
    print(f"  baseline: read {n:,} register rows from SQLite  {ms(t_read)}")
    print(f"  baseline: iterate over those {n:,} dict rows    {ms(t_iter_dicts)}")
    print(f"  DeadlineView (state, due, days left, colour)    {ms(t_views)}   "
          f"ratio {t_views / t_iter_dicts:5.1f}x iterate, {t_views / t_read:4.2f}x reading them")
    print(f"  full rules from timelines, {m:,} applications   {ms(t_full)}   "
          f"ratio {t_full / t_iter_apps:5.1f}x iterate ({t_full / m * 1e6:.1f} µs each)")
    print(f"  build the working-day index (1999–2060)         {ms(t_build)}")
    counts = {}
    for v in vs:
        counts[v.state] = counts.get(v.state, 0) + 1
    print("  states seen: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if t_bulk >= 0.2:
        print("  WARNING: bulk path slower than the 200 ms target")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
