import dataclasses
import datetime as dt
import sqlite3

import pytest

from desktop_app.domain import catalog
from desktop_app.domain.validation import (
    resident_id_error,
    uscc_error,
    validate_application,
)
from desktop_app.services import applications, notices, recycle_bin, report
from desktop_app.services import cases as review_cases
from desktop_app.services import settings as settings_service
from desktop_app.services.demo import (
    DEMO_SETTINGS,
    DemoGenerator,
    build_large_database,
    fill_demo,
)
from desktop_app.services.session import Session, open_register
from desktop_app.storage.database import connect
from desktop_app.storage.store import Store

TODAY = dt.date(2026, 11, 25)


def test_fill_demo_adds_valid_applications_over_two_years(register):
    assert fill_demo(register, today=TODAY) == 200
    apps = list(applications.all_applications(register))
    assert len(apps) == 200
    for app in apps:
        assert validate_application(app.values(), today=TODAY) == {}, app
        receipt = dt.date.fromisoformat(app.receipt_date)
        assert TODAY - dt.timedelta(days=731) <= receipt <= TODAY
        if app.applicant_type == catalog.NATURAL_PERSON:
            assert app.applicant_name[1:] in ("某", "某某")
        if app.id_type == "resident_id":
            assert resident_id_error(app.id_number) is None
        if app.id_type == "uscc":
            assert uscc_error(app.id_number) is None
        if app.reply_date:
            assert app.status == "closed" and app.outcome in catalog.OUTCOMES
        else:
            assert app.status != "closed"
    years = {a.receipt_date[:4] for a in apps}
    assert years == {"2024", "2025", "2026"}
    # A realistic mix: mostly disclosed, every outcome present, some open,
    # both kinds of applicant.
    outcomes = [a.outcome for a in apps]
    assert set(outcomes) - {None} == set(catalog.OUTCOMES)
    assert outcomes.count("disclosed") == max(outcomes.count(c) for c in catalog.OUTCOMES)
    assert 2 <= outcomes.count(None) <= 20
    open_dates = [a.receipt_date for a in apps if a.outcome is None]
    assert min(open_dates) >= (TODAY - dt.timedelta(days=80)).isoformat()
    assert {a.applicant_type for a in apps} == set(catalog.APPLICANT_TYPES)
    # Cases in the middle of a step, for the deadline views.
    assert {"awaiting_correction", "extended", "in_progress"} <= {a.status for a in apps}
    kinds = register.store.db.execute("SELECT DISTINCT kind FROM events").fetchall()
    assert {"received", "replied", "correction_requested"} <= {k[0] for k in kinds}
    assert settings_service.get_settings(register)["agency_name"] == DEMO_SETTINGS["agency_name"]
    assert settings_service.get_settings(register)["doc_number_prefix"] == "望政公开"


def test_events_lie_between_receipt_and_today(register):
    fill_demo(register, count=80, today=TODAY)
    for app in applications.all_applications(register):
        for ev in applications.events(register, app.id):
            assert app.receipt_date <= ev.date <= TODAY.isoformat()


def test_fill_demo_keeps_existing_settings(register):
    settings_service.update_settings(register, {"agency_name": "某某县人民政府"})
    fill_demo(register, count=10, today=TODAY)
    assert settings_service.get_settings(register)["agency_name"] == "某某县人民政府"
    assert settings_service.get_settings(register)["disclosure_office"] == DEMO_SETTINGS["disclosure_office"]


def _contents(reg):

    stamps = ("created_at", "updated_at", "deleted_at")
    apps = [{k: v for k, v in dataclasses.asdict(a).items() if k not in stamps}
            for a in sorted(applications.all_applications(reg) + recycle_bin.contents(reg), key=lambda a: a.serial)]
    cases = [{k: v for k, v in dataclasses.asdict(c).items() if k not in stamps} for c in review_cases.list_cases(reg)]
    issued = [(d.application_id, d.kind, d.doc_number, d.issued_on, d.snapshot)
              for d in notices.list_issued(reg)]
    section2 = [report.get_section2(reg, y) for y in (2024, 2025, 2026)]
    texts = [report.get_texts(reg, y) for y in (2025, 2026)]
    snap = report.published(reg, 2025)
    published = snap and {k: snap.document[k] for k in ("section2", "section3", "section4")}
    return apps, cases, issued, section2, texts, published


def test_deterministic_for_a_seed(tmp_path):
    regs = []
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        reg = open_register(tmp_path / f"{name}.db", create=True)
        fill_demo(reg, count=50, seed=seed, today=TODAY)
        regs.append(_contents(reg))
    assert regs[0] == regs[1]
    for part_a, part_c in zip(regs[0], regs[2]):
        assert part_a != part_c


def test_generator_records_are_valid_in_bulk():
    gen = DemoGenerator(3, TODAY, expected=3000)
    for app in gen.applications(3000):
        assert validate_application(app.record, today=TODAY) == {}, app.record


def test_build_large_database(tmp_path):
    path = tmp_path / "big.db"
    build_large_database(path, 5000, seed=1, today=TODAY)  # (its time: bench/bench_demo.py)
    reg = open_register(path, create=True)
    assert applications.count(reg) == 5000
    apps = list(applications.all_applications(reg))
    assert all(validate_application(a.values(), today=TODAY) == {} for a in apps)
    serials = [a.serial for a in apps]
    assert len(set(serials)) == 5000
    received = reg.store.db.execute("SELECT count(DISTINCT application_id) FROM events "
                              "WHERE kind = 'received'").fetchone()[0]
    assert received == 5000
    # Serial counters are reserved: a new application continues the year.
    last_2026 = max(s for s in serials if s.startswith("2026-"))
    assert applications.next_serial(reg, 2026) == f"2026-{int(last_2026[5:]) + 1:04d}"
    # The same derived state (due dates, status) as records added one by one.
    from desktop_app.services.deadlines import refresh_derived
    sample = apps[::250]
    with reg.store.transaction():
        for app in sample:
            refresh_derived(reg.store, app.id)
    again = {a.id: a for a in applications.all_applications(reg)}
    assert all(again[a.id] == a for a in sample)
    check = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


# --- the rest of a living agency -----------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One full demo register (default count and seed), filled once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = connect(path)
    reg = Session(Store(db))
    fill_demo(reg, today=TODAY)
    yield reg
    db.conn.close()



def test_demo_section2_for_each_year(demo):
    from desktop_app.domain import report_stats as rs

    figures = {y: report.get_section2(demo, y) for y in (2024, 2025, 2026)}
    for year, values in figures.items():
        assert set(values) == set(rs.SECTION2_FIELDS)
        assert all(v is not None for v in values.values()), (year, values)
        assert values["regulations_issued"] == 0  # a district makes no 规章
        assert 1 <= values["normative_in_force"] <= 100
        assert values["fees_amount"] > 0
    # Full years: hundreds of licences; the year in progress: fewer so far
    # is allowed, but never nothing.
    assert all(200 <= figures[y]["licensing_decisions"] <= 600 for y in (2024, 2025))
    assert figures[2026]["licensing_decisions"] > 0
    # 现行有效 carries over: last year's + issued − repealed.
    for year in (2025, 2026):
        before, now = figures[year - 1], figures[year]
        assert now["normative_in_force"] == (before["normative_in_force"] + now["normative_issued"]
                                             - now["normative_repealed"])


def test_demo_cases_are_valid_and_fill_section4(demo):
    from desktop_app.domain import report_stats as rs
    from desktop_app.domain.report_cases import validate_case

    cases = review_cases.list_cases(demo)
    assert 4 <= len(cases) <= 10
    for case in cases:
        assert validate_case(case.values(), today=TODAY) == {}, case
        filed = case.filed_date
        assert filed <= TODAY.isoformat()
        assert dt.date.fromisoformat(filed).weekday() < 5
        if case.application_id is not None:
            app = applications.get(demo, case.application_id)
            assert app.outcome in ("withheld", "unavailable", "not_processed", "partly_disclosed")
            assert app.reply_date < filed
            assert case.party == app.applicant_name
    assert {c.kind for c in cases} == set(rs.CASE_KINDS)
    assert {c.result for c in cases} == set(rs.CASE_RESULTS)
    assert sum(c.application_id is not None for c in cases) >= 4
    for year in (2025, 2026):
        s4 = report.section4(demo, year)
        assert sum(s4.value(k) for k in rs.CASE_KINDS) >= 2, year
        for kind in rs.CASE_KINDS:
            assert s4.value(kind) == sum(s4.value(kind, c) for c in rs.CASE_RESULTS)
    # A lawsuit filed last year and decided this year is pending in last
    # year's table and decided in this year's.
    s4_2025 = report.section4(demo, 2025)
    assert s4_2025.value("lawsuit_direct", "pending") >= 1
    assert report.section4(demo, 2026).value("reconsideration", "pending") >= 1


def test_demo_reports_add_up(demo):
    from desktop_app.domain import report_model as rm
    from desktop_app.domain.report_checks import ERROR

    for year in (2025, 2026):
        s3 = report.section3(demo, year)
        assert s3.identity_errors() == []
        document = report.build_document(demo, year, s3=s3)
        assert rm.identity_errors(document) == []
        assert any(v for row in document["section2"] for v in row["values"].values())
        assert any(row["values"].get("总计") for row in document["section4"])
        issues = report.check(demo, year, document=document, s3=s3, today=TODAY)
        assert [i for i in issues if i.level == ERROR] == [], year
    # Last year's report is finished: nothing left to fill in or save.
    assert report.check(demo, 2025, today=TODAY) == []


def test_demo_last_year_written_and_published(demo):
    from desktop_app.domain import report_model as rm
    from desktop_app.domain.report_narrative import PLACEHOLDER_OPEN

    texts = report.get_texts(demo, 2025)
    assert set(texts) == set(rm.NARRATIVE_KEYS)
    for key, text in texts.items():
        assert text and PLACEHOLDER_OPEN not in text, key
    assert "2025年，本机关共收到政府信息公开申请" in texts["section1"]
    # The register starts in November 2024: no comparison with that year.
    assert "较上年" not in texts["section1"]
    assert "行政复议、行政诉讼案件共" in texts["section5"]  # drafted after the cases were logged
    assert report.published_years(demo) == [2025]
    assert report.differences(demo, 2025) == []
    # This year's report is still in progress (drafts, not published).
    assert report.get_texts(demo, 2026) == {}


def test_demo_issued_notices_are_numbered_in_date_order(demo):
    issued = notices.list_issued(demo)
    assert len(issued) >= 300
    assert {d.kind for d in issued} >= {"receipt", "reply", "correction", "extension"}
    by_year = {}
    for doc in sorted(issued, key=lambda d: (d.year, d.number)):
        by_year.setdefault(doc.year, []).append(doc)
        assert doc.doc_number.startswith("望政公开")
        assert doc.snapshot["doc_number"] == doc.doc_number
    for year, docs in by_year.items():
        assert [d.number for d in docs] == list(range(1, len(docs) + 1))
        assert [d.issued_on for d in docs] == sorted(d.issued_on for d in docs)
        assert notices.peek_doc_number(demo, year)[0] == len(docs) + 1
    # Each notice is on its application's timeline (出具文书) with its 文号.
    printed = demo.store.db.execute(
        "SELECT application_id, doc_number, date FROM events WHERE kind = ?",
        [notices.EVENT_KIND]).fetchall()
    assert sorted(printed) == sorted((d.application_id, d.doc_number, d.issued_on) for d in issued)
    for doc in issued:
        app = applications.get(demo, doc.application_id)
        assert app.receipt_date <= doc.issued_on <= TODAY.isoformat()
        if doc.kind == "reply":
            assert doc.issued_on == app.reply_date


def test_demo_recycle_bin_holds_a_duplicate(demo):
    deleted = recycle_bin.contents(demo)
    assert len(deleted) == 1
    dup = deleted[0]
    assert applications.count(demo) == 200  # the live register keeps its size
    original = applications.find_by_serial(demo, dup.notes[1:10])
    assert original and original.applicant_name == dup.applicant_name
    assert original.info_description == dup.info_description
    trail = demo.store.db.execute("SELECT count(*) FROM audit_log WHERE entity = 'application' "
                            "AND entity_id = ? AND action = 'delete'", [dup.id]).fetchone()[0]
    assert trail == 1


def test_fill_demo_without_agency_life(register):

    fill_demo(register, count=40, today=TODAY, agency_life=False)
    assert applications.count(register) == 40
    assert notices.list_issued(register) == []
    assert review_cases.list_cases(register) == []
    assert report.published_years(register) == []
    assert recycle_bin.contents(register) == []
