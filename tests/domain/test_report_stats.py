"""Section 三 and 四 statistics computed from records alone: categories, flags, the table identity."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from report_strategies import application, dates

from desktop_app.domain import report_stats as rs

COLS = rs.COLUMN_CODES

case_rows = st.lists(st.tuples(
    st.sampled_from(list(rs.CASE_KINDS)), dates,
    st.one_of(st.none(), st.integers(0, 800)),
    st.sampled_from(list(rs.CASE_RESULTS))), max_size=30)


def test_missing_reason_counts_in_category_and_is_flagged():
    rows = [(1, "2025-01-05", "2025-02-01", "withheld", None, "natural_person", None),
            (2, "2025-01-05", "2025-02-01", "bogus", None, "natural_person", None),
            (3, "2025-01-05", None, "disclosed", None, "natural_person", None)]
    s3 = rs.compute_section3(rows, 2025)
    assert s3.value("withheld") == 1
    assert sum(s3.value(f"withheld.{i}") for i in range(1, 9)) == 0
    assert s3.flags["missing_reason"] == [1]
    assert s3.flags["unknown_outcome"] == [2]
    assert s3.flags["outcome_without_reply"] == [3]
    assert s3.value("carry_forward") == 2
    assert s3.identity_errors() == []


def test_organisation_of_unknown_kind_counts_as_other():
    rows = [(1, "2025-01-05", None, None, None, "organisation", None)]
    s3 = rs.compute_section3(rows, 2025)
    assert s3.value("new", "other") == 1


@given(st.lists(st.integers(), max_size=40).flatmap(
    lambda xs: st.tuples(*[application(i) for i in range(len(xs))])),
       st.integers(2022, 2027))
@settings(max_examples=150, deadline=None)
def test_identity_and_drill_down_property(rows, year):
    s3 = rs.compute_section3(rows, year)
    assert s3.identity_errors() == []
    for row in rs.SECTION3_ROWS:
        for col in COLS:
            assert len(rs.cell_members(rows, year, row.key, col)) == s3.value(row.key, col)
    # each application is counted once in the results
    closed = [a for r in rs.SECTION3_ROWS if r.kind == "reason" or r.key in ("disclosed", "partly_disclosed")
              for a in rs.cell_members(rows, year, r.key)]
    assert len(closed) == len(set(closed)) == s3.value("total")
    nxt = rs.compute_section3(rows, year + 1)
    for col in COLS:
        assert s3.value("carry_forward", col) == nxt.value("carried", col)


@given(case_rows, st.integers(2022, 2027))
@settings(max_examples=100, deadline=None)
def test_section4_totals_equal_their_cells_and_pending_cases_carry_over(raw, year):
    rows = []
    for i, (kind, filed, days, result) in enumerate(raw):
        closed = None if days is None or result == "pending" else (filed + dt.timedelta(days=days)).isoformat()
        rows.append((i, kind, filed.isoformat(), closed, result if closed else "pending"))
    s4 = rs.compute_section4(rows, year)
    for kind in rs.CASE_KINDS:
        assert s4.value(kind) == sum(s4.value(kind, c) for c in rs.CASE_RESULTS)
        for c in rs.SECTION4_COLUMNS:
            assert len(rs.case_cell_members(rows, year, kind, c)) == s4.value(kind, c)
    # a case still pending at the end of a year appears again the next year
    pending = {i for k in rs.CASE_KINDS for i in rs.case_cell_members(rows, year, k, "pending")}
    nxt = {i for k in rs.CASE_KINDS for i in rs.case_cell_members(rows, year + 1, k)}
    assert pending <= nxt


@given(st.lists(st.integers(), max_size=40).flatmap(
    lambda xs: st.tuples(*[application(i) for i in range(len(xs))])),
       st.integers(2022, 2027))
@settings(max_examples=150, deadline=None)
def test_packed_placements_are_place_alls_placements_with_the_same_table_and_cells(rows, year):
    placed, flags = rs.place_all(rows, year)
    packed, packed_flags = rs.place_packed(rows, year)
    assert list(packed) == placed and len(packed) == len(placed)
    assert packed_flags == flags
    assert rs.count_section3(packed, packed_flags, year).counts == rs.count_section3(placed, flags, year).counts
    for row in rs.SECTION3_ROWS:
        for col in ("total", *COLS):
            assert rs.placed_in_cell(packed, row.key, col) == rs.placed_in_cell(placed, row.key, col)
    assert rs.placed_in_cell(packed, "withheld.?") == rs.placed_in_cell(placed, "withheld.?")


def test_packed_placements_take_ten_bytes_an_application():
    rows = [(i, "2025-01-05", "2025-02-01" if i % 3 else None, "withheld" if i % 3 else None, i % 8 + 1,
             "natural_person" if i % 2 else "organisation", "commercial") for i in range(10_000)]
    packed, _flags = rs.place_packed(rows, 2025)
    assert len(packed) == 10_000
    assert packed.ids.itemsize * len(packed.ids) + packed.codes.itemsize * len(packed.codes) == 100_000
    assert len(packed.kinds) <= 2 * 10  # (intake, result, category) kinds, each stored once
