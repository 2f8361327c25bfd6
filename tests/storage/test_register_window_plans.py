"""Issue 19: the register's windows are read through the orders' indexes:
no window of an indexed order sorts rows (SQLite's plan has no temporary
B-tree), whatever the filter, and blanks are index lookups."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.services.demo import build_large_database
from desktop_app.services.session import open_register
from desktop_app.storage.applications import (
    ApplicationQuery, _group_ids, _off_plan, _total_plan, _total_query, register_order, register_where,
)

#: The orders with an index of their own (m0010_register_speed, m0014_register_orders), and
#: that index (or one led by the same key, such as m0013's report index for the receipt order).
INDEXED = {"serial": "idx_register_serial", "receipt_date": "idx_register_receipt",
           "applicant_name": "idx_register_applicant", "due_date": "idx_register_due",
           "reply_date": "idx_register_reply", "id_number": "idx_register_id_number",
           "phone": "idx_register_phone", "channel": "idx_register_channel"}
FILTERS = [ApplicationQuery(), ApplicationQuery(year=2026), ApplicationQuery(category="business"),
           ApplicationQuery(status="open"), ApplicationQuery(status="closed"),
           ApplicationQuery(status="overdue", today=dt.date(2026, 11, 20)),
           ApplicationQuery(year=2025, category="natural_person", status="closed")]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "register.db"
    build_large_database(path, 200, seed=3, today=dt.date(2026, 11, 20))
    session = open_register(path)
    yield session.store.db
    session.close()


def _plan(db, sql, params) -> str:
    return " | ".join(str(r[3]) for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("sort", sorted(INDEXED))
@pytest.mark.parametrize("descending", [False, True])
def test_every_window_of_an_indexed_order_walks_its_index_without_sorting(db, sort, descending):
    for query in FILTERS:
        where, params = register_where(query)
        for group in register_order(sort, descending):
            sql, args = _group_ids(group, where, params)
            plan = _plan(db, f"{sql} LIMIT 200 OFFSET 1000", args)
            assert "TEMP B-TREE" not in plan, (query, group, plan)
            if query.status != "overdue":  # (逾期 also reads the clock state, in the table)
                assert "COVERING INDEX" in plan, (query, group, plan)
            if group.key is not None:  # the group's own key: an index led by it and the serial key
                used = plan.split("INDEX ")[1].split()[0]
                leading = [r[2] for r in db.execute(f"PRAGMA index_info({used})")][:2]
                assert leading == [group.key, "serial_key"], (query, group, plan)


@pytest.mark.parametrize("sort", ["receipt_date", "applicant_name", "reply_date", "id_number", "phone"])
def test_the_blanks_are_read_by_an_index_lookup_each_and_merged_in_serial_order(db, sort):
    where, params = register_where(ApplicationQuery())
    blank = register_order(sort, True)[-1]
    assert blank.key is None and all("= ''" in p or "IS NULL" in p for p in blank.parts)
    sql, args = _group_ids(blank, where, params)
    plan = _plan(db, f"{sql} LIMIT 200 OFFSET 10", args)
    if len(blank.parts) > 1:
        assert "MERGE (UNION ALL)" in plan, plan
    assert plan.count("SEARCH") == len(blank.parts), plan


def test_a_years_total_is_counted_over_the_years_entries_of_a_covering_index(db):
    """The register's total under a year (with a status, a category or 待核实
    beside it) reads the year's range of a receipt-date index that holds those
    columns, not a whole index; 逾期 and a search keep the plan of the rest."""
    for query in [ApplicationQuery(year=2026), ApplicationQuery(year=2026, status="open"),
                  ApplicationQuery(year=2025, category="natural_person", status="closed"),
                  ApplicationQuery(year=2026, category="business", needs_review=True)]:
        where, params = register_where(query)
        plan = _plan(db, f"SELECT count(*) FROM applications WHERE {_total_plan(where, query)}", params)
        assert plan.startswith("SEARCH applications USING COVERING INDEX"), (query, plan)
        assert "(receipt_date>? AND receipt_date<?)" in plan, (query, plan)
    for query in [ApplicationQuery(year=2026, status="overdue", today=dt.date(2026, 11, 20)),
                  ApplicationQuery(year=2026, text="张"), ApplicationQuery(status="open")]:
        where, _params = register_where(query)
        assert _total_plan(where, query) == _off_plan(where, "due_date")


def test_the_open_applications_are_counted_as_two_ranges_of_the_status_index(db):
    """未办结 (with a category or 待核实 beside it): the entries either side of
    'closed' in the status index, which holds those columns; the same count as
    the filter's own."""
    for query in [ApplicationQuery(status="open"), ApplicationQuery(status="open", category="natural_person"),
                  ApplicationQuery(status="open", category="business", needs_review=True)]:
        where, params = register_where(query)
        sql, args = _total_query(where, params, query)
        plan = _plan(db, sql, args)
        assert plan.count("SEARCH applications USING COVERING INDEX idx_register_status (status") == 2, plan
        assert "SCAN applications" not in plan, plan
        expected = db.execute(f"SELECT count(*) FROM applications WHERE {where}", params).fetchone()[0]
        assert db.execute(sql, args).fetchone()[0] == expected
    assert sum(db.execute(*_total_query(*register_where(ApplicationQuery(status="open")),
                                        ApplicationQuery(status="open"))).fetchone()) > 0


def test_a_filtered_count_reads_a_covering_index_not_the_table(db):
    for query in FILTERS:
        where, params = register_where(query)
        plan = _plan(db, f"SELECT count(*) FROM applications WHERE {_off_plan(where, 'due_date')}", params)
        if query.status == "overdue":  # past due by the due-date index; the clock state of those in the table
            assert "idx_register_due" in plan and "SCAN applications" not in plan.replace(
                "SCAN applications USING INDEX idx_register_due", ""), plan
        else:
            assert "COVERING INDEX" in plan, (query, plan)


def test_an_order_is_read_in_windows_once_an_index_of_its_name_walks_it(tmp_path):
    from desktop_app.storage.applications import ApplicationsTable, register_sorts

    path = tmp_path / "register.db"
    build_large_database(path, 60, seed=5, today=dt.date(2026, 11, 20))
    session = open_register(path)
    try:
        db = session.store.db
        assert ApplicationsTable(db).windowed("reply_date")  # (m0014's index)
        assert ApplicationsTable(db).windowed("content")  # (m0016's index of the text's prefix)
        assert ApplicationsTable(db).windowed("applicant_name") and ApplicationsTable(db).windowed(None)
        name = register_sorts()["reply_date"].index
        db.execute(f"DROP INDEX {name}")
        assert not ApplicationsTable(db).windowed("reply_date")  # (no such index: ids read once)
        db.execute(f"CREATE INDEX {name} ON applications(reply_date, serial_key, receipt_date, status, "
                   "applicant_type, org_kind, review_reasons, deleted_at) WHERE deleted_at IS NULL")
        assert ApplicationsTable(db).windowed("reply_date")
        where, params = register_where(ApplicationQuery(year=2026))
        for group in register_order("reply_date", True):
            sql, args = _group_ids(group, where, params)
            plan = _plan(db, f"{sql} LIMIT 200 OFFSET 10", args)
            assert "TEMP B-TREE" not in plan and name in plan, (group, plan)
    finally:
        session.close()


def test_upgrade_adds_the_three_order_indexes(tmp_path):
    from desktop_app.storage import database
    from desktop_app.storage.applications import ApplicationsTable
    from desktop_app.storage.database import connect
    from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES

    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0014_register_orders"])
    db.execute(f"PRAGMA user_version = {MIGRATION_MODULES.index('m0014_register_orders')}")
    assert not ApplicationsTable(db).windowed("id_number")
    db.conn.commit()
    db.conn.close()
    db = connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        for sort in ("reply_date", "id_number", "phone"):
            assert ApplicationsTable(db).windowed(sort), sort
    finally:
        db.conn.close()


@pytest.mark.parametrize("descending", [False, True])
def test_the_outcome_labels_are_read_through_their_index_in_serial_order(db, descending):
    """办理结果: each label's rows with a numbered reason or none walk the outcome index in
    serial order; only the rare rows with a reason out of range, or with a code no catalogue
    knows (ordered by the code itself, in the ranges between the labels and known codes),
    are sorted apart."""
    where, params = register_where(ApplicationQuery())
    for group in register_order("outcome", descending):
        sql, args = _group_ids(group, where, params)
        plan = _plan(db, f"{sql} LIMIT 200 OFFSET 10", args)
        assert "idx_register_outcome" in plan or group.parts[0].startswith("outcome IS NULL"), (group, plan)
        if len(group.parts) == 1 and group.key is None and "NOT IN" not in group.parts[0] \
                and "NOT NULL" not in group.parts[0]:
            assert "TEMP B-TREE" not in plan, (group, plan)


@pytest.mark.parametrize("sort", ["channel", "outcome"])
def test_the_label_groups_are_counted_by_small_probes_and_the_commonest_label_as_the_rest(db, sort):
    """申请方式 and 办理结果: the codes no catalogue knows are ranges between the known codes
    and labels (each an index search of no or few rows, never the range of every code below
    the first label), and 网络 / 予以公开 are counted as the total less the other groups."""
    from desktop_app.domain import catalog
    from desktop_app.storage.applications import ApplicationsTable, register_sorts

    codes = catalog.CHANNELS if sort == "channel" else catalog.OUTCOMES
    spec = register_sorts()[sort]
    common = register_order(sort)[spec.main]
    assert common.parts[0] in ("channel = 'online'", "outcome = 'disclosed' AND outcome_reason IS NULL")
    statements = _statements(db, lambda: ApplicationsTable(db).register_counts(ApplicationQuery(), sort))
    assert not any(s.endswith(f"AND ({p})") for s in statements for p in common.parts)
    for group in register_order(sort):
        if group.key is None:
            continue
        for part in group.parts:  # (each gap between two known values: no code inside it)
            plan = _plan(db, f"SELECT count(*) FROM applications WHERE deleted_at IS NULL AND ({part})", [])
            assert f"SEARCH applications USING COVERING INDEX idx_register_{sort}" in plan, (part, plan)
            bounds = [b.split("'")[1] for b in part.split(" AND ")]
            assert not any(bounds[0] < c < bounds[-1] for c in codes if len(bounds) == 2), part


# --- m0016_order_keys (fourth session): 办理状态, 申请内容 and 剩余工作日 ---


def _statements(db, action) -> list[str]:
    """The SQL statements ``action`` runs on ``db``'s connection."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        db.conn.set_trace_callback(None)
    return seen


#: The orders by groups of m0016's indexes: the index, and the group counted as the rest.
GROUPED = {"status": ("idx_register_status", "status = 'closed'"),
           "applicant_category": ("idx_register_category", "applicant_type <> 'organisation'")}


@pytest.mark.parametrize("sort", sorted(GROUPED))
@pytest.mark.parametrize("descending", [False, True])
def test_each_status_and_kind_is_walked_in_serial_order_through_its_index(db, sort, descending):
    """办理状态 and 申请人类型: a known status's (an organisation kind's) window walks
    ``idx_register_status`` (``idx_register_category``) in serial order, no sort, under
    every filter; 自然人, most applicants, walks the serial index; any other code is a
    merge of index lookups (the ranges between the known codes; status is NOT NULL:
    never a scan for NULL)."""
    index, _rest = GROUPED[sort]
    for query in FILTERS:
        where, params = register_where(query)
        for group in register_order(sort, descending):
            sql, args = _group_ids(group, where, params)
            plan = _plan(db, f"{sql} LIMIT 200 OFFSET 10", args)
            if group.parts == ("applicant_type <> 'organisation'",):
                assert "idx_register_serial" in plan and "TEMP B-TREE" not in plan, (query, group, plan)
            elif len(group.parts) == 1:
                assert index in plan and "TEMP B-TREE" not in plan, (query, group, plan)
            else:  # (unknown codes, rare: each range searched in the index, or the serial index
                # walked in order, as SQLite prefers for a range open at one end; counted by probes below)
                arms = [p for p in plan.split(" | ") if p.startswith(("SEARCH", "SCAN"))]
                assert len(arms) == len(group.parts), (query, group, plan)
                assert all((a.startswith("SEARCH") and f"{index} (" in a)
                           or (a.startswith("SCAN") and "idx_register_serial" in a) for a in arms), (query, plan)


@pytest.mark.parametrize("sort", sorted(GROUPED))
def test_the_groups_are_counted_by_probes_of_their_index_and_the_largest_as_the_rest(db, sort):
    from desktop_app.storage.applications import ApplicationsTable

    index, rest = GROUPED[sort]
    table = ApplicationsTable(db)
    for query in FILTERS:
        counts = []
        statements = _statements(db, lambda q=query, c=counts: c.extend(table.register_counts(q, sort)))
        if not sum(counts):
            continue  # (nothing selected: no group counted)
        # every group but the largest (counted as the total less the others) is a probe of each of its parts
        parts = [p for g in register_order(sort) for p in g.parts if p != rest]
        probes = [s for s in statements if any(s.endswith(f"AND ({p})") for p in parts)]
        assert len(probes) == len(parts), (query, statements)
        for sql in probes:
            plan = _plan(db, sql, [])
            assert f"SEARCH applications USING COVERING INDEX {index}" in plan, (query, plan)
        assert not any(s.endswith(f"AND ({rest})") for s in statements), query


@pytest.mark.parametrize("descending", [False, True])
def test_a_content_window_walks_the_prefix_index_and_sorts_only_the_rows_sharing_a_prefix(db, descending):
    """申请内容: the prefix at the window's start is found by walking ``idx_register_content``
    (m0016), the rows of the prefixes before it counted in it, and the window read from that
    prefix on, SQLite sorting only the rows of one prefix at a time by the whole text."""
    from desktop_app.storage.applications import ApplicationsTable

    table = ApplicationsTable(db)
    for query in FILTERS:
        counts = table.register_counts(query, "content", descending)
        if counts[0] < 3:
            continue
        for offset in (counts[0] // 4, counts[0] * 3 // 4):  # (the prefix found from the nearer end)
            statements = _statements(db, lambda q=query, o=offset, c=counts: table.register_window(
                q, "content", descending, o, 20, ["serial"], c))
            reads = [s for s in statements if s.startswith("SELECT") and "json_each" not in s]
            assert len(reads) == 3, reads
            plans = [_plan(db, sql, [None] * sql.count("?")) for sql in reads]
            for plan in plans:
                assert "idx_register_content" in plan, (query, plan)
            assert "TEMP B-TREE" not in plans[0] and "TEMP B-TREE" not in plans[1], (query, plans)
            assert "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plans[2], (query, plans[2])
            assert "USE TEMP B-TREE FOR ORDER BY" not in plans[2], (query, plans[2])


def test_the_content_index_is_on_the_expression_the_register_queries(db):
    """The expression of ``idx_register_content`` (copied into m0016 as text) is the one
    ``storage.applications`` orders by: SQLite uses an index on an expression only for
    that expression."""
    from desktop_app.storage import applications as table_module
    from desktop_app.storage.migrations import m0016_order_keys

    assert m0016_order_keys.CONTENT == table_module._CONTENT
    assert m0016_order_keys.CONTENT_PREFIX == table_module._CONTENT_PREFIX
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'idx_register_content'").fetchone()[0]
    assert table_module._CONTENT_PREFIX in sql


def test_upgrade_to_m0016_adds_the_status_category_and_content_indexes_and_keeps_every_row(tmp_path):
    from desktop_app.storage import database
    from desktop_app.storage.applications import ApplicationsTable
    from desktop_app.storage.database import connect
    from desktop_app.storage.migrations import LATEST_VERSION, MIGRATION_MODULES

    built = tmp_path / "built.db"
    build_large_database(built, 120, seed=11, today=dt.date(2026, 11, 20))
    # a register as the previous version left it: every migration before m0016, its indexes absent
    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    database.MIGRATIONS.apply(db, stop_before=["m0016_order_keys"])
    db.execute(f"PRAGMA user_version = {MIGRATION_MODULES.index('m0016_order_keys')}")
    new_indexes = "('idx_register_status', 'idx_register_category', 'idx_register_content')"
    assert db.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN {new_indexes}").fetchone()[0] == 0
    source = connect(built)
    columns = [r[1] for r in source.execute("PRAGMA table_info(applications)")]
    rows = source.execute(f"SELECT {', '.join(columns)} FROM applications ORDER BY id").fetchall()
    source.conn.close()
    db.conn.executemany(f"INSERT INTO applications({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                        rows)
    assert not ApplicationsTable(db).windowed("content")
    before = ApplicationsTable(db).register_ids(ApplicationQuery(), "content", True)
    db.conn.commit()
    db.conn.close()
    db = connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        table = ApplicationsTable(db)
        assert table.windowed("content") and table.windowed("status") and table.windowed("applicant_category")
        assert db.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN {new_indexes}").fetchone()[0] == 3
        assert db.execute("SELECT count(*) FROM applications").fetchone()[0] == 120
        after = table.register_ids(ApplicationQuery(), "content", True)
        assert list(after) == list(before)  # (the same order, now read through the new index)
        counts = table.register_counts(ApplicationQuery(), "content", True)
        window = [r["id"] for r in table.register_window(ApplicationQuery(), "content", True, 40, 30, ["serial"],
                                                         counts)]
        assert window == list(after)[40:70]
    finally:
        db.conn.close()


@pytest.mark.parametrize("sort", sorted(INDEXED))
@pytest.mark.parametrize("form", ["walk", "in_rows"])
def test_every_window_of_a_search_walks_its_order_index_without_sorting(db, sort, form):
    # (a search that finds many: the found set probed, or each row's own text asked)
    from desktop_app.storage.search_index import SearchIndex

    index = SearchIndex(db)
    for query in (ApplicationQuery(text="某某"), ApplicationQuery(text="某某律师事务所 公开"),
                  ApplicationQuery(text="征地", year=2026, status="closed")):
        where, params = register_where(query, index, **{form: True})
        assert ("search_index" in where) == (form == "walk"), where
        for descending in (False, True):
            for group in register_order(sort, descending):
                sql, args = _group_ids(group, where, params)
                plan = _plan(db, f"{sql} LIMIT 200 OFFSET 1000", args)
                assert "TEMP B-TREE" not in plan, (query, group, plan)
                if group.key is not None:
                    used = plan.split("INDEX ")[1].split()[0]
                    leading = [r[2] for r in db.execute(f"PRAGMA index_info({used})")][:2]
                    assert leading == [group.key, "serial_key"], (query, group, plan)
