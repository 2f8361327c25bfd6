"""Issue 19: the register's text search over one stored, lower-cased column.

* ``applications.search_text``: the searched fields (serial, applicant,
  contact, title, content) joined by an untypeable separator and lower-cased
  by Python (``storage.applications.search_text``), kept by the storage layer
  whenever an application is written.
* ``idx_search_text``: a narrow partial index of that column over the rows not
  in the recycle bin, so a search scans the index alone, not the wide rows
  (``deleted_at``, always NULL in it, is carried so SQLite 3.40 counts the
  index as covering a query that names it).
"""


def migrate(db):
    from ..applications import search_text

    columns = {r[1] for r in db.execute("PRAGMA table_info(applications)")}
    if "search_text" not in columns:
        db.execute("ALTER TABLE applications ADD COLUMN search_text TEXT")
    cur = db.execute("SELECT id, serial, applicant_name, contact_name, info_title, info_description "
                     "FROM applications")
    names = [d[0] for d in cur.description]
    db.conn.executemany("UPDATE applications SET search_text = ? WHERE id = ?",
                        [(search_text(dict(zip(names, row))), row[0]) for row in cur.fetchall()])
    create_search_index(db)


def create_search_index(db) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS idx_search_text ON applications(search_text, deleted_at) "
               "WHERE deleted_at IS NULL")
