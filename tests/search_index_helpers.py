"""Shared checks of the register's n-gram search index (issue 19): the
search compared with a brute-force substring search over the fields, and the
index's terms compared with the terms of every application's stored text."""

from __future__ import annotations

from collections import defaultdict

from desktop_app.storage.applications import _SEARCHED, ApplicationQuery, register_where
from desktop_app.storage.search_index import INDEX, index_terms


def brute_force(db, text: str) -> set[int]:
    """Applications not in the recycle bin with every word of ``text`` in
    one of their searched fields, both lowered by Python (the old in-memory search)."""
    words = text.lower().split()
    found = set()
    for row in db.execute(f"SELECT id, {', '.join(_SEARCHED)} FROM applications WHERE deleted_at IS NULL"):
        fields = [(v or "").lower() for v in row[1:]]
        if all(any(w in f for f in fields) for w in words):
            found.add(row[0])
    return found


def searched(store, text: str) -> tuple[set[int], bool]:
    """(ids the register's search finds, whether the index answered)."""
    where, params = register_where(ApplicationQuery(text=text), store.applications.search)
    ids = {r[0] for r in store.db.execute(f"SELECT id FROM applications WHERE {where}", params)}
    return ids, INDEX in where


def index_contents(db) -> dict[str, set[int]]:
    """Term -> application ids, as the index holds them."""
    db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, {INDEX}, 'row')")
    out = {}
    for (term,) in db.execute("SELECT term FROM temp.search_vocab").fetchall():
        ids = {r[0] for r in db.execute(f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?", [f'"{term}"'])}
        if ids:
            out[term] = ids
    return out


def expected_contents(db) -> dict[str, set[int]]:
    """Term -> application ids, from every application's stored text (the recycle bin's too)."""
    out: dict[str, set[int]] = defaultdict(set)
    for app_id, text in db.execute("SELECT id, search_text FROM applications"):
        for term in index_terms(text).split():
            out[term].add(app_id)
    return dict(out)
