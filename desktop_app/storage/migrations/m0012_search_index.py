"""Issue 19: the register's text search served by an n-gram index.

* ``search_pending``: the writes to ``applications`` the index has not yet
  taken, logged by triggers (insert; update of ``search_text``; delete).
* ``search_index``: an FTS5 table of the characters and character pairs of
  each application's stored ``search_text``, filled here from every
  application (where this SQLite has FTS5; without it the search keeps
  scanning ``search_text``).  See ``storage.search_index``.
"""


def migrate(db):
    from ..search_index import create

    create(db)
