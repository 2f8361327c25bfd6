"""Data safety: the audit trail (修改记录) and the recycle bin (回收站).

* ``audit_log``: one row per change to an application, event, case or
  setting — when, by which clerk, what, and the old and new values as
  JSON.  Rows are only ever inserted.
* ``applications.deleted_at``: an application moved to the recycle bin
  keeps its row (and its serial number) until it is purged explicitly.
"""


def migrate(db):
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            clerk TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            action TEXT NOT NULL,
            old_values TEXT,
            new_values TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_audit_entity ON audit_log(entity, entity_id)")
    db.execute("ALTER TABLE applications ADD COLUMN deleted_at TEXT")
    # partial: serves the recycle bin only, never hijacks the plans of "not deleted" queries
    db.execute("CREATE INDEX idx_applications_deleted ON applications(deleted_at) WHERE deleted_at IS NOT NULL")
