"""Proactive-disclosure register benchmark (issue 17).

A register of 50,000 items (four years of a busy district: routine
items, 3% normative documents, some issued and repealed across years,
interpretations, late and overdue items).

1. Filter and list: ``services.items.count`` + the first page
   (``list_items``, 200 rows, as the 主动公开 page fetches it) for the
   filters the page offers.  Target: < 100 ms each.
2. Section 二 of one year (``services.items.section2``: the documents'
   life dates counted by the domain rule, the typed figures summed, with
   the drill-down ids).  Target: < 100 ms.

Baseline in the same run, for each: a plain SQL query over the same
table — ``SELECT count(*)`` plus the first 200 rows unfiltered and
unsorted for the list; one ``GROUP BY kind`` over the documents for
section 二 — what the database costs without the app's rules.

Run: ``python3 bench/bench_items.py [--items 50000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.domain.items import ItemFilter  # noqa: E402
from desktop_app.services import items  # noqa: E402
from desktop_app.services.session import now_iso, open_register  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def best_of(fn, repeat: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def build(path: Path, n: int) -> None:
    """``n`` items written straight through the storage layer in one
    transaction (the set-up is not what is measured), due dates computed
    by the service."""
    rng = random.Random(17)
    reg = open_register(path, create=True)
    store = reg.store
    stamp = now_iso()
    start = dt.date(TODAY.year - 3, 1, 1)
    span = (TODAY - start).days
    docs: list[int] = []
    with store.transaction():
        for i in range(n):
            formed = start + dt.timedelta(days=rng.randrange(span))
            pub = formed + dt.timedelta(days=rng.choice([3, 7, 12, 20, 25, 35, 60]))
            published = pub.isoformat() if pub <= TODAY and rng.random() > 0.01 else None
            kind = "normative" if rng.random() < 0.03 else "other"
            what = "许可" if i % 5 else "处罚"
            values = {"index_no": f"BENCH-{formed.year}-{i:06d}", "title": f"第{i}号公开事项（{what}结果）",
                      "formed_on": formed.isoformat(), "published_on": published,
                      "channels": ("website",), "attribute": "proactive", "art20": rng.randint(1, 15), "kind": kind}
            if kind == "normative":
                values["issued_on"] = formed.isoformat()
                values["art20"] = 1
                if rng.random() < 0.3:
                    values["repealed_on"] = (formed + dt.timedelta(days=rng.randrange(100, 900))).isoformat()
            item_id = store.items.insert(values, stamp)
            if kind == "normative":
                docs.append(item_id)
        for k, doc in enumerate(docs[: len(docs) // 2]):
            parent = store.items.get(doc)
            if parent.published_on:
                d = dt.date.fromisoformat(parent.published_on) + dt.timedelta(days=rng.choice([1, 2, 3, 6]))
                store.items.insert({"title": f"解读{k}", "kind": "interpretation", "interpretation_of": doc,
                                    "published_on": min(d, TODAY).isoformat(), "channels": ("website",),
                                    "attribute": "proactive", "art20": 1}, stamp)
        items.recompute(store)
    store.optimize()
    reg.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.db"
        t = time.perf_counter()
        build(path, args.items)
        print(f"built {args.items:,} items (+ interpretations) in {time.perf_counter() - t:.1f} s")
        reg = open_register(path)
        db = reg.store.db
        total = db.execute("SELECT count(*) FROM items").fetchone()[0]
        print(f"register: {total:,} items")

        def plain_list():
            db.execute("SELECT count(*) FROM items").fetchone()
            return db.execute("SELECT * FROM items LIMIT 200").fetchall()

        base, _ = best_of(plain_list)
        print(f"\n1. filter + count + first page of 200 (target < 100 ms); baseline plain SQL "
              f"count + 200 rows: {base * 1000:.1f} ms")
        print(f"{'filter':<34}{'rows':>8}{'time':>10}{'ratio':>8}")
        filters = [
            ("all, newest first", ItemFilter(), "published_on", True),
            ("overdue (已逾期)", ItemFilter(state="overdue"), "due_date", False),
            ("due soon (即将到期)", ItemFilter(state="due_soon"), "due_date", False),
            ("published late in 2025", ItemFilter(state="late", year=2025), "published_on", True),
            ("year 2025, Art. 20 (五)", ItemFilter(year=2025, art20=5), "published_on", True),
            ("text 处罚, sorted by name", ItemFilter(text="处罚"), "title", False),
            ("normative documents", ItemFilter(kind="normative"), "formed_on", True),
        ]
        worst = 0.0
        for label, flt, sort, desc in filters:
            def run(flt=flt, sort=sort, desc=desc):
                n = items.count(reg, flt, today=TODAY)
                page = items.list_items(reg, flt, today=TODAY, sort=sort, descending=desc, limit=200)
                return n, page
            secs, (n, _page) = best_of(run)
            worst = max(worst, secs)
            print(f"{label:<34}{n:>8,}{secs * 1000:>8.1f} ms{secs / base:>7.1f}x")

        def plain_section2():
            return db.execute("SELECT kind, count(*) FROM items WHERE kind IN ('rule', 'normative') "
                              "GROUP BY kind").fetchall()

        base2, _ = best_of(plain_section2)
        secs2, s2 = best_of(lambda: items.section2(reg, 2025))
        print(f"\n2. section 二 of 2025 (target < 100 ms): {secs2 * 1000:.1f} ms; baseline plain SQL GROUP BY: "
              f"{base2 * 1000:.1f} ms; ratio {secs2 / base2:.1f}x")
        print("   normative issued / repealed / in force: "
              f"{s2.values['normative_issued']} / {s2.values['normative_repealed']} / {s2.values['normative_in_force']}")
        print(f"\nslowest filter {worst * 1000:.1f} ms: {'OK' if worst < 0.1 else 'OVER TARGET'}; "
              f"section 二 {'OK' if secs2 < 0.1 else 'OVER TARGET'}")
        reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
