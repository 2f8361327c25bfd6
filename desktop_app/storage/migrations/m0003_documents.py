"""Version 3: document numbers, issued documents and the
agency's notice templates.

* ``document_counters``: the last document number (文号) used per year.
  Only ever increases, so a number is never issued twice, even if the
  document or its application is deleted later.
* ``issued_documents``: every numbered notice, with the snapshot it was
  rendered from (all wording and values), so a reprint is identical.
* ``document_templates``: the agency's edited wording per document kind
  (the shipped defaults live in resources/templates/).
"""


def migrate(db):
    db.execute("CREATE TABLE document_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)")
    db.execute(
        """
        CREATE TABLE issued_documents (
            id INTEGER PRIMARY KEY,
            application_id INTEGER REFERENCES applications(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            doc_number TEXT NOT NULL,
            issued_on TEXT NOT NULL,
            event_id INTEGER,
            snapshot TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (year, number)
        )
        """
    )
    db.execute("CREATE INDEX idx_issued_documents_application ON issued_documents(application_id)")
    db.execute(
        """
        CREATE TABLE document_templates (
            kind TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
