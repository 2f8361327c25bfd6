"""Version 6: adopting an agency's existing ledger.

* ``applications.review_reasons``: NULL, or a JSON object ``{field:
  reason}`` of the doubtful values an imported row carried (a wrong ID
  check digit, an unknown channel word…): the application is 待核实 (needs
  review) until the clerk corrects or confirms them.
* ``serial_sequences``: the highest sequence number handed out per
  numbering pattern and year (the agency's pattern, e.g.
  ``望政依申〔{年}〕{序号}号``), so a number is never reused even after its
  application was purged.  The default pattern keeps using
  ``serial_counters`` as well.
"""


def migrate(db):
    db.execute("ALTER TABLE applications ADD COLUMN review_reasons TEXT")
    # partial: serves the 待核实 filter only
    db.execute("CREATE INDEX idx_applications_review ON applications(id) WHERE review_reasons IS NOT NULL")
    db.execute(
        """
        CREATE TABLE serial_sequences (
            pattern TEXT NOT NULL,
            year INTEGER NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (pattern, year)
        )
        """
    )
