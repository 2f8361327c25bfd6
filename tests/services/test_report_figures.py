"""Section 三 and 四 statistics: every cell of registers whose tables are
known, across year boundaries; the identity; drill-down consistency."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_strategies import application, dates
from report_samples import TODAY, add

from desktop_app.domain import catalog
from desktop_app.domain import report_stats as rs
from desktop_app.services import cases as review_cases
from desktop_app.services import report
from desktop_app.services.errors import ValidationError
from desktop_app.services.session import Session
from desktop_app.storage.store import Store

COLS = rs.COLUMN_CODES


@pytest.fixture
def known(register):
    """Applications around the 2024/2025/2026 boundaries (see each line)."""
    ids = {}
    # received 2023, closed 2025: carried over across two year boundaries
    ids["A"] = add(register, "甲", "2023-11-10", reply="2025-02-01", outcome="disclosed")
    # closed on Dec 31 of the year of receipt
    ids["B"] = add(register, "乙公司", "2024-12-20", "business", "2024-12-31", "withheld", 3)
    # same day received, closed on Jan 1: carried into 2025
    ids["C"] = add(register, "丙公司", "2024-12-20", "business", "2025-01-01", "withheld", 3)
    # received on Dec 31 2025, still open
    ids["D"] = add(register, "丁研究所", "2025-12-31", "research")
    ids["E"] = add(register, "戊律所", "2025-03-01", "legal_services", "2025-03-20", "partly_disclosed")
    ids["F"] = add(register, "己协会", "2025-06-01", "public_interest", "2025-12-31", "unavailable", 1)
    ids["G"] = add(register, "庚单位", "2025-06-01", "other", "2026-01-02", "not_processed", 2)
    ids["H"] = add(register, "辛", "2025-01-01", reply="2025-01-01", outcome="other", reason=3)
    ids["I"] = add(register, "壬", "2026-01-01")
    ids["J"] = add(register, "癸", "2022-05-05", reply="2022-06-01", outcome="disclosed")
    ids["K"] = add(register, "子", "2025-02-02")
    # a reply date without an outcome (e.g. typed into the database by an
    # older tool): cannot be counted as closed
    register.store.db.execute("UPDATE applications SET reply_date = '2025-03-01' WHERE id = ?", [ids["K"]])
    register.store.db.conn.commit()
    return ids


def expected_table(cells):
    table = {r.key: dict.fromkeys(COLS, 0) for r in rs.SECTION3_ROWS}
    for (row, col), n in cells.items():
        table[row][col] += n
    # categories and the total follow from their reasons
    for code, outcome in catalog.OUTCOMES.items():
        if outcome.reasons:
            for col in COLS[:-1]:
                table[code][col] = sum(table[f"{code}.{i}"][col] for i in range(1, len(outcome.reasons) + 1))
    for col in COLS[:-1]:
        table["total"][col] = table["results"][col] = sum(table[c][col] for c in catalog.OUTCOMES)
    for row in table.values():
        row["total"] = sum(row[c] for c in COLS[:-1])
    return table


def assert_every_cell(s3, expected):
    for row in rs.SECTION3_ROWS:
        for col in COLS:
            assert s3.value(row.key, col) == expected[row.key][col], (row.label, col)


def test_2025_every_cell(register, known):
    s3 = report.section3(register, 2025)
    expected = expected_table({
        ("new", "natural_person"): 2,        # H (Jan 1), K
        ("new", "research"): 1,              # D (Dec 31)
        ("new", "legal_services"): 1,        # E
        ("new", "public_interest"): 1,       # F
        ("new", "other"): 1,                 # G
        ("carried", "natural_person"): 1,    # A, received 2023
        ("carried", "business"): 1,          # C, closed Jan 1 2025
        ("disclosed", "natural_person"): 1,  # A
        ("partly_disclosed", "legal_services"): 1,  # E
        ("withheld.3", "business"): 1,       # C
        ("unavailable.1", "public_interest"): 1,  # F, closed Dec 31
        ("other.3", "natural_person"): 1,    # H
        ("carry_forward", "research"): 1,    # D
        ("carry_forward", "other"): 1,       # G, closed Jan 2 2026
        ("carry_forward", "natural_person"): 1,  # K, no outcome
    })
    assert_every_cell(s3, expected)
    assert s3.identity_errors() == []
    assert s3.value("new") == 6 and s3.value("carried") == 2
    assert s3.value("total") == 5 and s3.value("carry_forward") == 3
    assert s3.flags == {"reply_without_outcome": [known["K"]]}


def test_2024_every_cell(register, known):
    s3 = report.section3(register, 2024)
    expected = expected_table({
        ("new", "business"): 2,              # B, C
        ("carried", "natural_person"): 1,    # A
        ("withheld.3", "business"): 1,       # B, closed Dec 31 2024
        ("carry_forward", "natural_person"): 1,  # A
        ("carry_forward", "business"): 1,    # C, closed Jan 1 2025
    })
    assert_every_cell(s3, expected)
    assert s3.identity_errors() == []


def test_2026_every_cell(register, known):
    s3 = report.section3(register, 2026)
    expected = expected_table({
        ("new", "natural_person"): 1,        # I
        ("carried", "research"): 1,          # D
        ("carried", "other"): 1,             # G
        ("carried", "natural_person"): 1,    # K
        ("not_processed.2", "other"): 1,     # G
        ("carry_forward", "research"): 1,
        ("carry_forward", "natural_person"): 2,
    })
    assert_every_cell(s3, expected)


def test_2023_counts_the_application_carried_twice(register, known):
    s3 = report.section3(register, 2023)
    assert s3.value("new") == 1 and s3.value("carry_forward") == 1
    assert s3.value("new", "natural_person") == 1
    assert s3.value("total") == 0


def test_carry_forward_equals_next_carried(register, known):
    for year in (2023, 2024, 2025):
        a = report.section3(register, year)
        b = report.section3(register, year + 1)
        for col in COLS:
            assert a.value("carry_forward", col) == b.value("carried", col)


def test_drill_down_lists_the_counted_applications(register, known):
    cell = report.applications_in_cell(register, 2025, "carried", "business")
    assert [a.id for a in cell] == [known["C"]]
    withheld = report.applications_in_cell(register, 2025, "withheld")
    assert [a.id for a in withheld] == [known["C"]]
    forward = {a.id for a in report.applications_in_cell(register, 2025, "carry_forward")}
    assert forward == {known["D"], known["G"], known["K"]}
    new = {a.id for a in report.applications_in_cell(register, 2025, "new", "total")}
    assert new == {known[k] for k in "DEFGHK"}






# --- property: identity and drill-down agree with the table ----------------------





# --- Section 四 ----------------------------------------------------------------------


@pytest.fixture
def cases(register, known):
    ids = {}
    ids["c1"] = review_cases.add_case(register, {"kind": "reconsideration", "filed_date": "2024-11-01",
                                                 "closed_date": "2025-01-10", "result": "upheld",
                                                 "application_id": known["A"]}, today=TODAY)
    ids["c2"] = review_cases.add_case(register, {"kind": "reconsideration", "filed_date": "2025-03-01",
                                                 "closed_date": "2025-12-31", "result": "corrected"}, today=TODAY)
    ids["c3"] = review_cases.add_case(register, {"kind": "lawsuit_direct", "filed_date": "2025-05-01"},
                                      today=TODAY)
    ids["c4"] = review_cases.add_case(register, {"kind": "lawsuit_after_reconsideration",
                                                 "filed_date": "2023-01-01", "closed_date": "2024-12-31",
                                                 "result": "other"}, today=TODAY)
    ids["c5"] = review_cases.add_case(register, {"kind": "lawsuit_after_reconsideration",
                                                 "filed_date": "2025-12-31", "closed_date": "2026-01-01",
                                                 "result": "corrected"}, today=TODAY)
    return ids


def test_section4_every_cell(register, cases):
    #            reconsideration     direct             after reconsideration
    #            维 纠 其 未 总       维 纠 其 未 总       维 纠 其 未 总
    expected = {
        2023: [0, 0, 0, 0, 0,       0, 0, 0, 0, 0,       0, 0, 0, 1, 1],
        2024: [0, 0, 0, 1, 1,       0, 0, 0, 0, 0,       0, 0, 1, 0, 1],
        2025: [1, 1, 0, 0, 2,       0, 0, 0, 1, 1,       0, 0, 0, 1, 1],
        2026: [0, 0, 0, 0, 0,       0, 0, 0, 1, 1,       0, 1, 0, 0, 1],
    }
    for year, numbers in expected.items():
        assert report.section4(register, year).flat() == numbers, year


def test_section4_drill_down(register, cases):
    pending = review_cases.cases_in_cell(register, 2025, "lawsuit_after_reconsideration", "pending")
    assert [c.id for c in pending] == [cases["c5"]]
    recon = review_cases.cases_in_cell(register, 2025, "reconsideration")
    assert {c.id for c in recon} == {cases["c1"], cases["c2"]}
    assert [c for c in review_cases.list_cases(register) if c.id == cases["c1"]][0].application_serial


@pytest.mark.parametrize("record, field, text", [
    ({"kind": "appeal", "filed_date": "2025-01-01"}, "kind", "案件类型"),
    ({"kind": "reconsideration"}, "filed_date", "请填写"),
    ({"kind": "reconsideration", "filed_date": "2025-02-01", "closed_date": "2025-01-01",
      "result": "upheld"}, "closed_date", "不能早于"),
    ({"kind": "reconsideration", "filed_date": "2025-02-01", "result": "upheld"}, "closed_date", "请填写审结日期"),
    ({"kind": "reconsideration", "filed_date": "2025-02-01", "closed_date": "2025-03-01"}, "result", "请选择审结结果"),
    ({"kind": "reconsideration", "filed_date": "2025-02-01", "application_id": 999}, "application_id", "不存在"),
])
def test_a_case_with_a_missing_or_bad_field_is_refused_and_nothing_saved(register, record, field, text):
    with pytest.raises(ValidationError) as info:
        review_cases.add_case(register, record, today=TODAY)
    assert text in info.value.errors[field]
    assert review_cases.list_cases(register) == []


def test_update_and_delete_case(register, cases):
    diff = review_cases.update_case(register, cases["c3"], {"closed_date": "2026-02-01", "result": "upheld"},
                                    today=TODAY)
    assert diff["result"] == ("pending", "upheld")
    assert report.section4(register, 2026).value("lawsuit_direct", "upheld") == 1
    review_cases.delete_case(register, cases["c3"])
    assert report.section4(register, 2025).value("lawsuit_direct") == 0


case_rows = st.lists(st.tuples(
    st.sampled_from(list(rs.CASE_KINDS)), dates,
    st.one_of(st.none(), st.integers(0, 800)),
    st.sampled_from(list(rs.CASE_RESULTS))), max_size=30)




@given(st.lists(st.integers(), max_size=25).flatmap(
    lambda xs: st.tuples(*[application(i + 1) for i in range(len(xs))])),
       st.integers(2022, 2027))
@settings(max_examples=40, deadline=None)
def test_sql_prefilter_keeps_every_counted_application(tmp_path_factory, rows, year):
    """The storage query fetches only part of the register; the table must
    equal the one counted over every application."""
    from desktop_app.storage.database import connect

    db = connect(tmp_path_factory.mktemp("prefilter") / "r.db")
    try:
        for r in rows:
            db.execute(
                "INSERT INTO applications(id, serial, receipt_date, reply_date, outcome, outcome_reason, "
                "applicant_type, org_kind, applicant_name, info_description, created_at, updated_at) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, '某', '某信息', '', '')",
                [r[0], f"2000-{r[0]:04d}", *r[1:]])
        db.conn.commit()
        stored = report.section3(Session(Store(db)), year)
        assert stored.counts == rs.compute_section3(rows, year).counts
    finally:
        db.conn.close()
