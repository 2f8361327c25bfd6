"""The register's text search served by an n-gram index (issue 19).

The search itself is defined by the stored ``applications.search_text``
(see :func:`.applications.search_text`): a word matches an application when
it occurs in one of its fields, lower-cased by Python.  Scanning that column
costs a fixed time per application; this index finds the candidates instead:

* ``search_index``: an FTS5 table (contentless, ``detail=none``: row ids only)
  whose terms are, for each field of ``search_text``, every character and
  every pair of adjacent characters, each character written as four base-36
  digits (plain ASCII, so no tokenizer rule can split, fold or drop them).
  A word of one or two characters is then found exactly by its one term; a
  longer word by the AND of its pairs, each candidate verified with
  ``instr(search_text, word)``.  No term spans two fields, so neither does a
  match.
* ``search_pending``: the writes the index has not yet taken, logged by
  triggers on ``applications`` (a new row; a changed ``search_text`` with the
  text the index holds for it; a removed row), whoever writes: the storage
  layer, a migration, another program.  :meth:`SearchIndex.catch_up` brings
  them into the index (at the end of every storage transaction, and before
  a search); while any remain, or where SQLite has no FTS5, the search
  scans ``search_text`` as before, so its results never depend on the index.

A search that finds many applications is counted here (:meth:`SearchIndex.count`,
kept until the register changes) and read by the register in windows that
walk the order's index probing the found set (``condition(walk=True)``).
A register upgraded where SQLite had no FTS5 gets its index built when it is
next opened where SQLite has it (:func:`build_missing`, announced by
``services.session.upgrade_step`` so the GUI shows its progress dialog).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

INDEX = "search_index"
PENDING = "search_pending"

#: The most pending writes a search takes into the index before it runs
#: (more, after a bulk write by another program: it scans this time).
CATCH_UP_AT_SEARCH = 5_000

#: Candidates from which a search probes the found set instead of reading
#: rows by id (also at least one application in :data:`MANY_AT`).
LARGE_AT_LEAST = 2_000

#: A search that finds at least one application in this many probes the found
#: set while its query walks the order's index, rather than reading its rows by
#: id (at 1,000,000 applications a word in a fifth of them, with a year: 0.25–0.3 s
#: walked, 0.9–1.2 s by id; one in twenty: about the same either way).
MANY_AT = 12

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _code(code: int) -> str:
    """A code point's four base-36 digits (36**4 > 0x10FFFF)."""
    digits = ""
    for _ in range(4):
        code, r = divmod(code, 36)
        digits = _DIGITS[r] + digits
    return digits


class _Codes(dict):
    """Code point -> its code, for str.translate."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _code(code)
        return value


class _Spread(dict):
    """Code point -> ``C uC C`` (C its code), for str.translate: the codes of a
    field's characters so spread, less the first and last five characters, are
    its terms: each character (``uC``) and each adjacent pair (``CD``), in C."""

    def __missing__(self, code: int) -> str:
        c = _code(code)
        value = self[code] = f"{c} u{c} {c}"
        return value


_CODES = _Codes()
_SPREAD = _Spread()


def index_terms(text: str | None) -> str:
    """The index's terms for one stored ``search_text``, space-separated:
    each character of each field (``u`` and its code) and each pair of
    adjacent characters within a field (the two codes)."""
    return " ".join([field.translate(_SPREAD)[5:-5] for field in (text or "").split("\x1f") if field])


def word_terms(word: str) -> list[str]:
    """The terms an application must have to contain ``word`` (lower-cased,
    without whitespace): its character, or each of its adjacent pairs."""
    codes = word.translate(_CODES)
    if len(word) == 1:
        return ["u" + codes]
    return list(dict.fromkeys(codes[k:k + 8] for k in range(0, len(codes) - 4, 4)))


def match_expression(words: Iterable[str]) -> str:
    """The FTS5 query: every term of every word (quoted: a term is never an operator)."""
    terms = dict.fromkeys(t for w in words for t in word_terms(w))
    return " AND ".join(f'"{t}"' for t in terms)


# --- the schema (migration m0012_search_index) ------------------------------------------------


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has FTS5 (every build the app ships has)."""
    try:
        conn.execute("SELECT fts5_source_id()").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def create(db, *, build: bool = True) -> None:
    """The pending log and its triggers; the index too where SQLite has
    FTS5, filled from every application's stored ``search_text``."""
    db.execute(f"CREATE TABLE IF NOT EXISTS {PENDING} (seq INTEGER PRIMARY KEY, app_id INTEGER NOT NULL, "
               "old_text TEXT, indexed INTEGER NOT NULL)")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_pending_insert AFTER INSERT ON applications BEGIN "
               f"INSERT INTO {PENDING}(app_id, old_text, indexed) VALUES (new.id, NULL, 0); END")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_pending_update AFTER UPDATE OF id, search_text "
               f"ON applications BEGIN "
               f"INSERT INTO {PENDING}(app_id, old_text, indexed) VALUES (old.id, old.search_text, 1); "
               f"INSERT INTO {PENDING}(app_id, old_text, indexed) SELECT new.id, NULL, 0 WHERE new.id <> old.id; "
               f"END")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS search_pending_delete AFTER DELETE ON applications BEGIN "
               f"INSERT INTO {PENDING}(app_id, old_text, indexed) VALUES (old.id, old.search_text, 1); END")
    conn = db.conn if hasattr(db, "conn") else db
    if not fts5_available(conn):
        return
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(terms, content='', detail=none, "
               "columnsize=0, tokenize='ascii')")
    if build:
        rebuild(conn)


def rebuild(conn: sqlite3.Connection) -> None:
    """Fill the index anew from every application (inside the caller's transaction)."""
    conn.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('delete-all')")
    conn.execute(f"DELETE FROM {PENDING}")
    # a larger in-memory batch while loading (fewer, larger segments), then back to the default
    conn.execute(f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('hashsize', 67108864)")
    cur = conn.execute("SELECT id, search_text FROM applications")
    conn.executemany(f"INSERT INTO {INDEX}(rowid, terms) VALUES (?, ?)",
                     ((app_id, index_terms(text)) for app_id, text in cur))
    conn.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('optimize')")
    conn.execute(f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('hashsize', 1048576)")  # FTS5's default


def index_missing(conn: sqlite3.Connection) -> bool:
    """Whether the register behind ``conn`` has the pending log (m0012 ran)
    but no index, while this SQLite has FTS5: it was upgraded where SQLite
    had none, and searches by scanning until the index is built here
    (:func:`build_missing`, when the register is next opened)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name IN (?, ?)", [PENDING, INDEX])}
    return PENDING in names and INDEX not in names and fts5_available(conn)


def build_missing(db) -> bool:
    """Build the index of a register upgraded where SQLite had no FTS5 (see
    :func:`index_missing`) from every stored text, in one transaction;
    True when it was built.  Not a migration: a migration runs once, and a
    register may meet a SQLite with FTS5 any time after its upgrade."""
    if not index_missing(db.conn):
        return False
    with db.atomic():
        if not index_missing(db.conn):  # (another program built it while this one waited)
            return False
        create(db)
    return True


def is_index_table(name: str) -> bool:
    """The index and the tables FTS5 keeps for it: present or not depending
    on the SQLite that built the register (recognition does not ask for them)."""
    return name == INDEX or name.startswith(INDEX + "_")


# --- keeping it and using it ----------------------------------------------------------------


class SearchIndex:
    """The index of one connection: catches up with the pending writes and
    turns a search's words into SQL (None: scan instead)."""

    def __init__(self, db):
        self.db = db
        self._usable: bool | None = None
        #: counts taken from the index while the register is unchanged (see :meth:`_remembered`)
        self._counted: dict[tuple[str, ...], tuple[int, int]] = {}
        self._counted_at: tuple[int, int] | None = None

    def _remembered(self) -> dict[tuple[str, ...], tuple[int, int]]:
        """The counts taken since the register last changed: (count, the
        limit it was counted up to) by query, forgotten when anything is
        written (this connection's changes or another's commit), so a search
        counted for its first window is not counted again for its order,
        its other windows or another sort.  Nothing is kept inside a
        transaction (a rollback would undo writes the mark has counted)."""
        conn = self.db.conn
        if conn.in_transaction:
            self._counted_at = None
            return {}
        mark = (conn.total_changes, int(conn.execute("PRAGMA data_version").fetchone()[0]))
        if mark != self._counted_at:
            self._counted.clear()
            self._counted_at = mark
        return self._counted

    def usable(self) -> bool:
        """The index exists and this SQLite can read it."""
        if self._usable is None:
            try:  # (its module is missing from a SQLite without FTS5)
                self.db.conn.execute(f"SELECT rowid FROM {INDEX} LIMIT 0").fetchall()
            except sqlite3.DatabaseError:
                self._usable = False
            else:
                self._usable = True
        return self._usable

    def catch_up(self, limit: int | None = None) -> bool:
        """Take the pending writes into the index (inside the caller's
        transaction, else in one of its own); False when some remain (more
        than ``limit``, no index to take them, or the database is busy)."""
        conn = self.db.conn
        try:
            last = conn.execute(f"SELECT max(seq) FROM {PENDING}").fetchone()[0]
        except sqlite3.OperationalError:  # a register before m0012 (while it migrates)
            return False
        if last is None:
            return True
        try:
            if not self.usable():
                if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [INDEX]).fetchone():
                    # no index in this register (built without FTS5): nothing to keep
                    with self.db.atomic():
                        conn.execute(f"DELETE FROM {PENDING}")
                return False  # (an index this SQLite cannot read keeps its log for one that can)
            if limit is not None and conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {PENDING} LIMIT ?)", [limit + 1]).fetchone()[0] > limit:
                return False
            with self.db.atomic():
                self._take(conn)
        except sqlite3.DatabaseError:  # busy, read-only, a damaged index (rolled back): the search
            return False  # scans; a clerk's write is never refused for the index's sake
        return True

    @staticmethod
    def _take(conn: sqlite3.Connection) -> None:
        last = conn.execute(f"SELECT max(seq) FROM {PENDING}").fetchone()[0]
        if last is None:
            return
        # per application its first pending write tells what the index holds
        # for it (the text then replaced, or nothing for a new row); its row
        # now tells what the index must hold (nothing once removed)
        firsts = conn.execute(
            f"SELECT app_id, old_text FROM {PENDING} WHERE indexed AND seq IN "
            f"(SELECT min(seq) FROM {PENDING} WHERE seq <= ? GROUP BY app_id)", [last])
        conn.executemany(f"INSERT INTO {INDEX}({INDEX}, rowid, terms) VALUES ('delete', ?, ?)",
                         ((app_id, index_terms(old)) for app_id, old in firsts))
        now = conn.execute(f"SELECT id, search_text FROM applications WHERE id IN "
                           f"(SELECT DISTINCT app_id FROM {PENDING} WHERE seq <= ?)", [last])
        conn.executemany(f"INSERT INTO {INDEX}(rowid, terms) VALUES (?, ?)",
                         ((app_id, index_terms(text)) for app_id, text in now))  # (streamed: a bulk load too)
        conn.execute(f"DELETE FROM {PENDING} WHERE seq <= ?", [last])

    def condition(self, words: Sequence[str], *, walk: bool = False,
                  by_id: bool = False) -> tuple[str, list[Any]] | None:
        """SQL conditions (``id IN (…)``, and ``instr`` for a longer word) for the applications containing
        every one of ``words`` (lower-cased, no whitespace), found through the
        index; None when the index cannot answer now (scan instead).

        ``walk``: for a query that walks the index of its order and stops at a
        window (the register's windows): the found set is only probed
        (``+id IN``), a longer word checked on the rows that pass the probe.
        ``by_id``: the found rows read by id however many they are (a pass over
        all of them by columns no index of an order holds)."""
        if not words or not self.usable() or not self.catch_up(limit=CATCH_UP_AT_SEARCH):
            return None
        match = match_expression(words)
        longer = list(dict.fromkeys(w for w in words if len(w) > 2))
        verify = " AND ".join("instr(search_text, ?) > 0" for _ in longer)
        found = f"IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)"
        if walk:  # (the probe first: the row itself is read only for the rows it passes)
            return (f"+id {found} AND {verify}", [match, *longer]) if longer else (f"+id {found}", [match])
        # Few candidates: the rows are read by id.  Many (one application in
        # MANY_AT or more: a common word): the ids only probe the set while the
        # query walks the index of its order (``+``), as reading many rows by
        # id, each on a page of its own, costs more than walking them in order.
        conn = self.db.conn
        limit = max(LARGE_AT_LEAST, (conn.execute("SELECT max(id) FROM applications").fetchone()[0] or 0) // MANY_AT)
        try:
            many = not by_id and self._candidates(match, limit) >= limit
        except sqlite3.DatabaseError:  # a damaged index: scan
            return None
        probe = "+id" if many else "id"
        if not longer:  # one term a word: the index's answer is exact
            return f"{probe} {found}", [match]
        # a longer word: the candidates' own text decides (their pairs may sit
        # apart or in two fields); read with the row itself when rows are read
        # by id, inside the set when the query walks an index without the text
        if not many:
            return f"{probe} {found} AND {verify}", [match, *longer]
        return (f"+id IN (SELECT a.id FROM {INDEX} AS s JOIN applications AS a ON a.id = s.rowid "
                f"WHERE s.{INDEX} MATCH ? AND {verify.replace('instr(search_text', 'instr(a.search_text')})",
                [match, *longer])

    def _candidates(self, match: str, limit: int) -> int:
        """How many applications the index finds for ``match`` (counted up to ``limit``)."""
        counted = self._remembered()
        known = counted.get(("candidates", match))
        if known is not None and (known[0] < known[1] or known[1] >= limit):  # (exact, or enough)
            return min(known[0], limit)
        n = int(self.db.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT ?)",
                                     [match, limit]).fetchone()[0])
        counted[("candidates", match)] = (n, limit)
        return n

    def found_at_least(self, words: Sequence[str], limit: int) -> bool | None:
        """Whether the index finds ``limit`` or more candidates for ``words``
        (before a longer word is checked in the text); None: it cannot answer now."""
        if not words or not self.usable() or not self.catch_up(limit=CATCH_UP_AT_SEARCH):
            return None
        try:
            return self._candidates(match_expression(words), limit) >= limit
        except sqlite3.DatabaseError:
            return None

    def count(self, words: Sequence[str]) -> int | None:
        """How many applications not in the recycle bin contain every one of
        ``words``, counted in the index (a longer word checked in each
        candidate's text); None when the index cannot answer now."""
        if not words or not self.usable() or not self.catch_up(limit=CATCH_UP_AT_SEARCH):
            return None
        match = match_expression(words)
        longer = list(dict.fromkeys(w for w in words if len(w) > 2))
        counted = self._remembered()
        key = ("count", match, *longer)
        if key in counted:
            return counted[key][0]
        conn = self.db.conn
        try:
            if not longer:  # the index's answer is exact: its rows less those in the recycle bin
                n = int(conn.execute(
                    f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ? AND rowid NOT IN "
                    f"(SELECT id FROM applications WHERE deleted_at IS NOT NULL)", [match]).fetchone()[0])
            else:
                verify = " AND ".join("instr(search_text, ?) > 0" for _ in longer)
                n = int(conn.execute(
                    f"SELECT count(*) FROM applications WHERE id IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?) "
                    f"AND deleted_at IS NULL AND {verify}", [match, *longer]).fetchone()[0])
        except sqlite3.DatabaseError:  # a damaged index: counted in SQL
            return None
        counted[key] = (n, n + 1)
        return n
