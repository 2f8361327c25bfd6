"""Version 2 (deadlines): the agency's calendar overrides and entered
yearly schedules, and the derived deadline columns of an application.

The derived columns are written by the services (``services.deadlines``)
after every write, and for every open
application whenever the calendar or the rules change, so the register,
the notices and the annual report read the current due date without
recomputing it.  Rows written before this migration are filled in the
first time the app checks its calendar (``services.deadlines.ensure_current``).
"""


def migrate(db):
    db.execute(
        """
        CREATE TABLE calendar_overrides (
            date TEXT PRIMARY KEY,
            is_workday INTEGER NOT NULL,
            note TEXT,
            source TEXT NOT NULL DEFAULT 'override',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE calendar_years (
            year INTEGER PRIMARY KEY,
            note TEXT,
            entered_at TEXT NOT NULL
        )
        """
    )
    for column, decl in [
        ("due_date", "TEXT"),              # current reply due date (tentative while paused; NULL awaiting correction)
        ("clock_state", "TEXT"),           # running | extended | paused_correction | paused_third_party | paused_fee | closed
        ("clock_start", "TEXT"),           # receipt date, or the day the corrected application was received
        ("pause_until", "TEXT"),           # latest end of the current pause (correction / payment / third-party deadline)
        ("limit_days", "INTEGER"),         # reply limit applied (20, or 15 under the 2008 rules)
        ("extension_days", "INTEGER NOT NULL DEFAULT 0"),
        ("paused_days", "INTEGER NOT NULL DEFAULT 0"),  # working days not counted (third party, fee)
        ("deadline_provisional", "INTEGER NOT NULL DEFAULT 0"),  # rests on a year whose schedule is not known
    ]:
        db.execute(f"ALTER TABLE applications ADD COLUMN {column} {decl}")
    db.execute("CREATE INDEX idx_applications_due ON applications(due_date)")
