"""Issue 19: the register's text search through the n-gram index finds
exactly what a brute-force substring search over the fields finds, after
every kind of write (a new application, a bulk insert, an edit of a searched
field or of another one, the recycle bin and its purge, a write outside a
storage transaction, another program's write), and the index then holds
exactly the terms of every application's stored text."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from desktop_app.domain.records import ApplicationFields
from desktop_app.services.session import open_register
from desktop_app.storage.applications import ApplicationQuery, register_where, search_text
from desktop_app.storage.search_index import PENDING, index_terms, match_expression, word_terms
from search_index_helpers import brute_force, expected_contents, index_contents, searched

#: Pieces of the texts: common and rare Chinese words, names, serial and
#: phone fragments, Latin and full-width letters in both cases, letters whose
#: lower case differs in length or form, spaces (inside a field) and punctuation.
PIECES = ["张", "张三", "王", "王某某", "李某", "征地", "补偿", "征收补偿", "公开", "信息", "申请", "环境", "某某律师事务所",
          "2025-00", "〔2025〕", "138", "0731-", "ab", "AB", "Ｚｈａｎｇ", "ｚＨ", "İ", "ß", "ΣΟΦΙΑ", "σ", " ", "-", "%",
          "_", "x", "的", "了"]
field_text = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
optional_text = st.one_of(st.none(), field_text)
SEARCHED_FIELDS = ("applicant_name", "contact_name", "info_title", "info_description")


def _fields(n: int, name: str, contact: str | None, title: str | None, content: str,
            prefix: str) -> ApplicationFields:
    return ApplicationFields(serial=f"{prefix}{n:04d}", receipt_date="2025-03-05", applicant_type="natural_person",
                             applicant_name=name, contact_name=contact, info_title=title,
                             info_description=content or "内容", status="received")


record = st.tuples(field_text, optional_text, optional_text, field_text, st.sampled_from(["2025-", "〔2025〕", "ZH"]))


class SearchIndexMachine(RuleBasedStateMachine):
    """Random writes to a register; after each, searches compared with brute force."""

    @initialize()
    def open(self):
        self.folder = Path(tempfile.mkdtemp(prefix="search-index-"))
        self.path = self.folder / "register.db"
        self.session = open_register(self.path, create=True)
        self.store = self.session.store
        self.next = 1
        self.ids: list[int] = []

    def teardown(self):
        if hasattr(self, "session"):
            self.session.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _stamp(self) -> str:
        return "2025-03-05T09:00:00"

    @rule(r=record)
    def add_one(self, r):
        with self.store.transaction():
            self.ids.append(self.store.applications.insert(_fields(self.next, *r), stamp=self._stamp(), review={}))
        self.next += 1

    @rule(rs=st.lists(record, min_size=1, max_size=6))
    def add_many(self, rs):
        with self.store.transaction():
            self.ids += self.store.applications.insert_many(
                [_fields(self.next + i, *r) for i, r in enumerate(rs)], self._stamp())
        self.next += len(rs)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), column=st.sampled_from(SEARCHED_FIELDS), value=field_text)
    def edit_a_searched_field(self, data, column, value):
        app_id = data.draw(st.sampled_from(self.ids))
        with self.store.transaction():
            self.store.applications.update(app_id, {column: value or "内容"}, stamp=self._stamp())

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), value=field_text)
    def edit_the_serial_and_a_field_not_searched(self, data, value):
        app_id = data.draw(st.sampled_from(self.ids))
        with self.store.transaction():
            self.store.applications.update(app_id, {"serial": f"{value}#{app_id}", "phone": value},
                                           stamp=self._stamp())

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), value=field_text)
    def edit_outside_a_storage_transaction(self, data, value):
        # (taken into the index by the next search)
        app_id = data.draw(st.sampled_from(self.ids))
        self.store.applications.update(app_id, {"applicant_name": value or "某"}, stamp=self._stamp())
        self.store.db.conn.commit()

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), value=field_text)
    def another_program_writes(self, data, value):
        app_id = data.draw(st.sampled_from(self.ids))
        conn = sqlite3.connect(self.path, timeout=5)
        try:  # (it keeps search_text as the app does; the index is its own business)
            names = ["serial", *SEARCHED_FIELDS]
            row = dict(zip(names, conn.execute(f"SELECT {', '.join(names)} FROM applications WHERE id = ?",
                                               [app_id]).fetchone()))
            row["contact_name"] = value
            conn.execute("UPDATE applications SET contact_name = ?, search_text = ? WHERE id = ?",
                         [value, search_text(row), app_id])
            conn.commit()
        finally:
            conn.close()

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), restore=st.booleans())
    def recycle_bin(self, data, restore):
        app_id = data.draw(st.sampled_from(self.ids))
        with self.store.transaction():
            self.store.recycle_bin.put(app_id, self._stamp())
        if restore:
            with self.store.transaction():
                self.store.recycle_bin.take_back(app_id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def purge(self, data):
        app_id = data.draw(st.sampled_from(self.ids))
        with self.store.transaction():
            self.store.recycle_bin.put(app_id, self._stamp())
            self.store.recycle_bin.purge(app_id)
        self.ids.remove(app_id)

    @invariant()
    def search_equals_brute_force(self):
        if not hasattr(self, "store"):
            return
        db = self.store.db
        texts = [t for (t,) in db.execute("SELECT search_text FROM applications").fetchall()]
        queries = ["张", "王某某", "征收补偿", "ab", "Ｚ", "2025-00", "〔2025〕", "公开 信息", "某某律师事务所 张",
                   "不存在", "İ", "ss", "ß", "σοφια"]
        # and pieces of what is stored: one, two and three characters, two words
        for text in texts[:6]:
            for field in (text or "").split("\x1f"):
                for size in (1, 2, 3):
                    if len(field) >= size:
                        queries.append(field[:size])
                        queries.append(field[-size:].upper())
        queries.append(" ".join(queries[-2:]))
        for q in queries:
            if not q.split():
                continue
            found, by_index = searched(self.store, q)
            assert by_index, q  # the index answered (it caught up with every write)
            expected = brute_force(db, q)
            assert found == expected, q
            # the register's windows: the found set probed, or the words looked for in each row
            # (and the rows found read by id for a count by groups),
            # and the search counted in the index (asked twice: the second from what it kept)
            words = q.lower().split()
            for form in ({"walk": True}, {"in_rows": True}, {"by_id": True}):
                where, params = register_where(ApplicationQuery(text=q), self.store.applications.search, **form)
                assert {r[0] for r in db.execute(f"SELECT id FROM applications WHERE {where}", params)} == expected
            assert self.store.applications.search.count(words) == len(expected), q
            assert self.store.applications.search.count(words) == len(expected), q
        assert db.execute(f"SELECT count(*) FROM {PENDING}").fetchone()[0] == 0
        assert index_contents(db) == expected_contents(db)


TestSearchIndex = SearchIndexMachine.TestCase
TestSearchIndex.settings = settings(max_examples=25, stateful_step_count=12, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])


def test_terms_are_the_characters_and_pairs_of_each_field_in_ascii():
    terms = index_terms("张三\x1fab\x1f\x1f1")
    assert terms.isascii()
    assert set(terms.split()) == {*word_terms("张"), *word_terms("三"), *word_terms("张三"), *word_terms("a"),
                                  *word_terms("b"), *word_terms("ab"), *word_terms("1")}
    assert not set(word_terms("三a")) & set(terms.split())  # no pair across two fields
    assert len(word_terms("征收补偿")) == 3 and len(set(word_terms("哈哈哈"))) == 1
    # every code point has its own four-digit code (astral planes too), never an FTS5 operator
    assert len({t for c in ("\U0002a6a5", "\U0010ffff", "a", "A", "Ａ") for t in word_terms(c)}) == 5
    assert match_expression(["ab", "张"]) == f'"{word_terms("ab")[0]}" AND "{word_terms("张")[0]}"'
