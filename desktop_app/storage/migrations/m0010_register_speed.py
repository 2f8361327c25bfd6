"""Issue 19: the register sorted and filtered by indexes.

* ``applications.serial_key``: the serial's natural sort key as text
  (``domain.serials.natural_key_text``: 望政依申〔2025〕9号 before 〔2025〕10号),
  kept by the storage layer whenever a serial is written.
* Indexes for the register's orders (receipt date, applicant, due date,
  serial), each followed by the serial key (the register's tie-break) and
  the columns the register filters on, over the rows not in the recycle
  bin: the ids of a filtered, sorted register come from one index alone.
"""


def migrate(db):
    from ...domain.serials import natural_key_text

    columns = {r[1] for r in db.execute("PRAGMA table_info(applications)")}
    if "serial_key" not in columns:
        db.execute("ALTER TABLE applications ADD COLUMN serial_key TEXT")
    rows = db.execute("SELECT id, serial FROM applications").fetchall()
    db.conn.executemany("UPDATE applications SET serial_key = ? WHERE id = ?",
                        [(natural_key_text(serial), app_id) for app_id, serial in rows])
    create_register_indexes(db)


#: The columns the register filters on (status, applicant category, year, 待核实), carried
#: in each order's index so a filtered order is read from the index alone.
_FILTER_COLUMNS = "receipt_date, status, applicant_type, org_kind, review_reasons, deleted_at"

#: (index name, leading key) of the register's orders; each is followed by the serial key.
REGISTER_INDEXES = [
    ("idx_register_serial", "serial_key"),
    ("idx_register_receipt", "receipt_date"),
    ("idx_register_applicant", "applicant_name"),
    ("idx_register_due", "due_date"),
]


def create_register_indexes(db) -> None:
    """Partial indexes over the applications not in the recycle bin: each
    order's key, the serial key (the tie-break), then the filter columns."""
    for name, key in REGISTER_INDEXES:
        extra = ", ".join(c.strip() for c in _FILTER_COLUMNS.split(",") if c.strip() != key)
        columns = f"{key}, serial_key, {extra}" if key != "serial_key" else f"serial_key, {extra}"
        db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applications({columns}) WHERE deleted_at IS NULL")
