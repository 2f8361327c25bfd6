"""Version 9 (proactive disclosure, issue 17): the register of items the
agency publishes (``items``), the public-comment periods of drafts
(``item_comment_periods``; a document's interpretations are items linked
by ``interpretation_of``), and the section 二 figures that come from other
systems, typed per month or per year with their source
(``report_figures``).

The section 二 figures typed by hand before (``report_proactive``, one row
per year) move into ``report_figures`` as yearly figures marked as typed
before the upgrade: the decision counts and fees stay what they were, and
the document counts stay in force for that year until the clerk lets the
register count them (the old table is left in place, untouched)."""

MIGRATED_SOURCE = "升级前在年度报告第二部分手工填写"

FIELDS = ("regulations_issued", "regulations_repealed", "regulations_in_force",
          "normative_issued", "normative_repealed", "normative_in_force",
          "licensing_decisions", "penalty_decisions", "enforcement_decisions", "fees_amount")


# Long: the tables and indexes of one migration, then the typed figures moved, in the order applied
def migrate(db):
    db.execute(
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            index_no TEXT,
            title TEXT NOT NULL,
            doc_number TEXT,
            issuer TEXT,
            formed_on TEXT,
            published_on TEXT,
            channels TEXT NOT NULL DEFAULT '',
            attribute TEXT NOT NULL DEFAULT 'proactive',
            attribute_reason TEXT,
            art20 INTEGER,
            topic TEXT,
            summary TEXT,
            kind TEXT NOT NULL DEFAULT 'other',
            issued_on TEXT,
            effective_on TEXT,
            amended_on TEXT,
            repealed_on TEXT,
            expires_on TEXT,
            interpretation_of INTEGER REFERENCES items(id) ON DELETE SET NULL,
            due_override TEXT,
            reviewed_by TEXT,
            reviewed_on TEXT,
            signed_off_by TEXT,
            signed_off_on TEXT,
            notes TEXT,
            due_date TEXT,
            days_late INTEGER NOT NULL DEFAULT 0,
            source TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX idx_items_index_no ON items(index_no) WHERE index_no IS NOT NULL")
    db.execute("CREATE INDEX idx_items_published ON items(published_on)")
    # the register's default order (unpublished first, newest first) and the sort by name
    db.execute("CREATE INDEX idx_items_listing ON items(published_on IS NULL, published_on, due_date)")
    db.execute("CREATE INDEX idx_items_title ON items(title)")
    db.execute("CREATE INDEX idx_items_due ON items(due_date)")
    # the clerk's open work (due soon, overdue): a small partial index
    db.execute("CREATE INDEX idx_items_open_due ON items(due_date) "
               "WHERE published_on IS NULL AND attribute = 'proactive'")
    db.execute("CREATE INDEX idx_items_formed ON items(formed_on)")
    db.execute("CREATE INDEX idx_items_kind ON items(kind, issued_on)")
    db.execute("CREATE INDEX idx_items_interpretation ON items(interpretation_of)")
    # The register's year filter (published in the year, or formed in it while
    # unpublished) with the columns the other filters read: counted from the index.
    db.execute("CREATE INDEX idx_items_year ON items(substr(coalesce(published_on, formed_on), 1, 4), art20, "
               "published_on, due_date, attribute, kind)")
    db.execute(
        """
        CREATE TABLE item_comment_periods (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            start_on TEXT NOT NULL,
            end_on TEXT NOT NULL,
            channel TEXT,
            comments_received INTEGER,
            usage TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_item_comment_periods_item ON item_comment_periods(item_id)")
    db.execute(
        """
        CREATE TABLE report_figures (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            month INTEGER,
            field TEXT NOT NULL,
            value REAL NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX idx_report_figures_cell ON report_figures(year, field, IFNULL(month, 0))")
    stamp_row = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')").fetchone()
    stamp = stamp_row[0]
    for row in db.execute(f"SELECT year, {', '.join(FIELDS)}, updated_at FROM report_proactive").fetchall():
        year, values, updated = row[0], row[1:-1], row[-1]
        for field, value in zip(FIELDS, values):
            if value is None:
                continue
            db.execute(
                "INSERT INTO report_figures(year, month, field, value, source, updated_at) "
                "VALUES(?, NULL, ?, ?, ?, ?)", [year, field, value, MIGRATED_SOURCE, updated or stamp])
