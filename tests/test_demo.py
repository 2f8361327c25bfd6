import datetime as dt
import sqlite3
import time

from desktop_app.demo import DEMO_SETTINGS, DemoGenerator, build_large_database, fill_demo
from desktop_app.domain import catalog
from desktop_app.domain.validation import resident_id_error, uscc_error, validate_application
from desktop_app.storage.database import connect
from desktop_app.storage.register import Register

TODAY = dt.date(2026, 11, 25)


def test_fill_demo_adds_valid_applications_over_two_years(register):
    assert fill_demo(register, today=TODAY) == 200
    apps = list(register.iter_applications())
    assert len(apps) == 200
    for app in apps:
        assert validate_application(app, today=TODAY) == {}, app
        receipt = dt.date.fromisoformat(app["receipt_date"])
        assert TODAY - dt.timedelta(days=731) <= receipt <= TODAY
        if app["applicant_type"] == catalog.NATURAL_PERSON:
            assert app["applicant_name"][1:] in ("某", "某某")
        if app["id_type"] == "resident_id":
            assert resident_id_error(app["id_number"]) is None
        if app["id_type"] == "uscc":
            assert uscc_error(app["id_number"]) is None
        if app["reply_date"]:
            assert app["status"] == "closed" and app["outcome"] in catalog.OUTCOMES
        else:
            assert app["status"] != "closed"
    years = {a["receipt_date"][:4] for a in apps}
    assert years == {"2024", "2025", "2026"}
    # A realistic mix: mostly disclosed, every outcome present, some open,
    # both kinds of applicant.
    outcomes = [a["outcome"] for a in apps]
    assert set(outcomes) - {None} == set(catalog.OUTCOMES)
    assert outcomes.count("disclosed") == max(outcomes.count(c) for c in catalog.OUTCOMES)
    assert 2 <= outcomes.count(None) <= 20
    open_dates = [a["receipt_date"] for a in apps if a["outcome"] is None]
    assert min(open_dates) >= (TODAY - dt.timedelta(days=80)).isoformat()
    assert {a["applicant_type"] for a in apps} == set(catalog.APPLICANT_TYPES)
    # Cases in the middle of a step, for the deadline views.
    assert {"awaiting_correction", "extended", "in_progress"} <= {a["status"] for a in apps}
    kinds = register.db.execute("SELECT DISTINCT kind FROM events").fetchall()
    assert {"received", "replied", "correction_requested"} <= {k[0] for k in kinds}
    assert register.settings()["agency_name"] == DEMO_SETTINGS["agency_name"]
    assert register.settings()["doc_number_prefix"] == "望政公开"


def test_events_lie_between_receipt_and_today(register):
    fill_demo(register, count=80, today=TODAY)
    for app in register.iter_applications():
        for ev in register.events(app["id"]):
            assert app["receipt_date"] <= ev["date"] <= TODAY.isoformat()


def test_fill_demo_keeps_existing_settings(register):
    register.update_settings({"agency_name": "某某县人民政府"})
    fill_demo(register, count=10, today=TODAY)
    assert register.settings()["agency_name"] == "某某县人民政府"
    assert register.settings()["disclosure_office"] == DEMO_SETTINGS["disclosure_office"]


def _contents(reg):
    return [{k: v for k, v in a.items() if k not in ("created_at", "updated_at")}
            for a in reg.iter_applications(order_by="serial")]


def test_deterministic_for_a_seed(tmp_path):
    regs = []
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        reg = Register(connect(tmp_path / f"{name}.db"))
        fill_demo(reg, count=50, seed=seed, today=TODAY)
        regs.append(_contents(reg))
    assert regs[0] == regs[1]
    assert regs[0] != regs[2]


def test_generator_records_are_valid_in_bulk():
    gen = DemoGenerator(3, TODAY, expected=3000)
    for app in gen.applications(3000):
        assert validate_application(app.record, today=TODAY) == {}, app.record


def test_build_large_database(tmp_path):
    path = tmp_path / "big.db"
    start = time.perf_counter()
    build_large_database(path, 5000, seed=1, today=TODAY)
    assert time.perf_counter() - start < 30
    reg = Register(connect(path))
    assert reg.count() == 5000
    apps = list(reg.iter_applications())
    assert all(validate_application(a, today=TODAY) == {} for a in apps)
    serials = [a["serial"] for a in apps]
    assert len(set(serials)) == 5000
    received = reg.db.execute("SELECT count(DISTINCT application_id) FROM events "
                              "WHERE kind = 'received'").fetchone()[0]
    assert received == 5000
    # Serial counters are reserved: a new application continues the year.
    last_2026 = max(s for s in serials if s.startswith("2026-"))
    assert reg.next_serial(2026) == f"2026-{int(last_2026[5:]) + 1:04d}"
    # The same derived state (due dates, status) as records added one by one.
    from desktop_app.storage import deadline_store
    sample = apps[::250]
    for app in sample:
        deadline_store.update_derived(reg.db, app["id"])
    again = {a["id"]: a for a in reg.iter_applications()}
    assert all(again[a["id"]] == a for a in sample)
    check = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"
