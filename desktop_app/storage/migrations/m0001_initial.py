"""Version 1: the register (applications), their timeline (events),
agency settings, and the per-year serial counters."""


def migrate(db):
    db.execute(
        """
        CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            serial TEXT NOT NULL UNIQUE,
            receipt_date TEXT NOT NULL,
            channel TEXT,
            applicant_type TEXT NOT NULL,
            org_kind TEXT,
            applicant_name TEXT NOT NULL,
            id_type TEXT,
            id_number TEXT,
            work_unit TEXT,
            legal_rep TEXT,
            contact_name TEXT,
            phone TEXT,
            fax TEXT,
            address TEXT,
            postcode TEXT,
            email TEXT,
            info_description TEXT NOT NULL,
            info_title TEXT,
            info_doc_number TEXT,
            info_index_number TEXT,
            info_purpose TEXT,
            delivery_forms TEXT,
            obtain_methods TEXT,
            status TEXT NOT NULL DEFAULT 'received',
            reply_date TEXT,
            outcome TEXT,
            outcome_reason INTEGER,
            notes TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_applications_receipt ON applications(receipt_date)")
    db.execute("CREATE INDEX idx_applications_status ON applications(status)")
    db.execute("CREATE INDEX idx_applications_reply ON applications(reply_date)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            date TEXT NOT NULL,
            data TEXT,
            doc_number TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_events_application ON events(application_id)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE serial_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)")
