"""Issue 19: the register sorted and filtered by indexes.

* ``applications.serial_key``: the serial's natural sort key as text
  (``domain.serials.natural_key_text``: 望政依申〔2025〕9号 before 〔2025〕10号),
  kept by the storage layer whenever a serial is written.
* Indexes for the register's orders: receipt date, applicant, due date and
  serial, each followed by the serial key (the register's tie-break).
"""


def migrate(db):
    from ...domain.serials import natural_key_text

    columns = {r[1] for r in db.execute("PRAGMA table_info(applications)")}
    if "serial_key" not in columns:
        db.execute("ALTER TABLE applications ADD COLUMN serial_key TEXT")
    rows = db.execute("SELECT id, serial FROM applications").fetchall()
    db.conn.executemany("UPDATE applications SET serial_key = ? WHERE id = ?",
                        [(natural_key_text(serial), app_id) for app_id, serial in rows])
    db.execute("CREATE INDEX IF NOT EXISTS idx_applications_serial_key ON applications(serial_key)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_applications_receipt_serial "
               "ON applications(receipt_date, serial_key)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_applications_applicant_serial "
               "ON applications(applicant_name, serial_key)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_applications_due_serial ON applications(due_date, serial_key)")
