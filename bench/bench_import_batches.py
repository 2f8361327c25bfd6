"""The ledger import's write, one row at a time against batches (issue 19).

``python3 bench/bench_import_batches.py [--rows 10000] [--runs 3]``

Builds an agency-shaped .xlsx of ``--rows`` applications (as ``bench_import.py
--only-agency`` does), then imports it into fresh registers, alternating in one
process: the write as it was (each new row through ``applications.add``, which
checks it again) and as it is (``add_checked_many``: batches of 500, checked once
in the plan).  Each figure is printed with its ratio to reading the same file with
openpyxl alone, and with python-calamine alone (the library the import reads
.xlsx with), timed in the same runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_import as bi  # noqa: E402

from desktop_app.services import applications  # noqa: E402
from desktop_app.services import ledger as ledger_service  # noqa: E402
from desktop_app.services.session import open_register  # noqa: E402


def one_by_one(store, batch):
    """The write before batches: each new row through ``applications.add``."""
    return [applications.add(store, item.fields, review=item.review, event_data=item.event_data)
            for item in batch]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-batches-"))
    bi.build_large_database(work / "source.db", args.rows, seed=11, today=bi.TODAY)
    src = open_register(work / "source.db", create=True)
    records = [a.values() for a in sorted(applications.all_applications(src), key=lambda a: (a.receipt_date, a.id))]
    src.close()
    path = work / "agency.xlsx"
    bi.write_agency_xlsx(path, bi.agency_rows(records))
    batched = ledger_service.add_checked_many
    times: dict[str, list[float]] = {"plain openpyxl read": [], "plain calamine read": [], "one row at a time": [],
                                     "batches of 500": []}
    for run in range(args.runs):
        for name, read in (("plain openpyxl read", bi.plain_openpyxl), ("plain calamine read", bi.plain_calamine)):
            t = time.perf_counter()
            read(path)
            times[name].append(time.perf_counter() - t)
        for name, write in (("batches of 500", batched), ("one row at a time", one_by_one)):
            ledger_service.add_checked_many = write
            session = open_register(work / f"{run}-{len(name)}.db", create=True)
            t = time.perf_counter()
            summary = ledger_service.import_ledger(session, path, today=bi.TODAY)
            times[name].append(time.perf_counter() - t)
            assert summary.added == args.rows, summary.text()
            session.close()
    ledger_service.add_checked_many = batched
    base = statistics.median(times["plain openpyxl read"])
    fast = statistics.median(times["plain calamine read"])
    print(f"{args.rows:,}-row agency .xlsx, {args.runs} runs each, alternating:")
    for name, xs in times.items():
        m = statistics.median(xs)
        print(f"  {name:<22} median {m:6.2f} s  runs {', '.join(f'{x:.2f}' for x in xs)}  "
              f"{m / base:4.1f}x the plain openpyxl read, {m / fast:5.1f}x the plain calamine read")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
