"""Issue 19: the register's text search over the stored ``search_text``
column finds exactly what lowering each searched field in Python finds
(Unicode case, full-width letters), never a word spanning two fields, and
the column follows every write: a new application, an edit, a ledger
import, the recycle bin and a restored backup."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from desktop_app.domain.records import ApplicationFields
from desktop_app.services import applications, backups, recycle_bin
from desktop_app.services.ledger import import_ledger
from desktop_app.services.session import open_register
from desktop_app.storage.applications import _SEARCHED, ApplicationQuery, search_text

TODAY = dt.date(2026, 11, 25)

#: Pieces the fields are made of: mixed-case Latin, full-width letters, Greek,
#: German ß, Turkish İ (lowers to two characters), CJK, digits and punctuation.
PIECES = ["Ab", "aB", "ZHANG", "zhang", "Ｚｈａｎｇ", "ｚＨＡＮＧ", "ＡＢ", "ａｂ", "Σοφία", "ΣΟΦΙΑ", "Straße",
          "STRASSE", "İstanbul", "张", "某某", "征地", "补偿", "公开", "拆迁", "2025", "-00", "〔2025〕", "%", "_",
          "\\", "x", "X"]


def _field(rng: random.Random) -> str | None:
    if rng.random() < 0.15:
        return None
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))


def _reference(fields: dict[str, str | None], text: str) -> bool:
    """The old in-memory search: every word in one of the fields, both lowered by Python."""
    return all(any(word in (fields[c] or "").lower() for c in _SEARCHED) for word in text.lower().split())


def test_search_equals_the_python_reference_over_the_fields(register):
    rng = random.Random(19)
    records = [ApplicationFields(serial=f"2025-{n:05d}", receipt_date="2025-03-05", applicant_type="natural_person",
                                 applicant_name=_field(rng) or "", contact_name=_field(rng), info_title=_field(rng),
                                 info_description=_field(rng) or "内容", status="received")
               for n in range(3000)]
    store = register.store
    with store.transaction():
        ids = store.applications.insert_many(records, "2025-03-05T09:00:00")
    fields = {app_id: {c: getattr(r, c) for c in _SEARCHED} for r, app_id in zip(records, ids)}
    queries = ["zhang", "ZHANG", "ｚｈａｎｇ", "Ｚ", "ab", "ＡＢ", "σοφία", "ΣΟΦΊΑ", "straße", "STRASSE", "i̇stanbul",
               "İSTANBUL", "征地 公开", "张 ab", "%", "_", "\\", "2025-00", "〔2025〕", "x z", "某某 征地 补偿",
               "不存在的内容xyz"]
    queries += [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 3))) for _ in range(30)]
    nonempty = 0
    for text in queries:
        found = set(applications.register_ids(register, ApplicationQuery(text=text)))
        expected = {app_id for app_id, f in fields.items() if _reference(f, text)}
        assert found == expected, text
        nonempty += bool(expected)
    assert nonempty >= 25  # the queries do find things, not only nothing


def test_a_word_spanning_two_fields_is_not_found(register):
    store = register.store
    with store.transaction():
        store.applications.insert_many([ApplicationFields(
            serial="2025-0001", receipt_date="2025-03-05", applicant_type="natural_person",
            applicant_name="张三", contact_name="李四", info_description="征地补偿", status="received")], "2025-03-05T09:00:00")
    assert len(applications.register_ids(register, ApplicationQuery(text="三李"))) == 0
    assert len(applications.register_ids(register, ApplicationQuery(text="0001张"))) == 0
    assert len(applications.register_ids(register, ApplicationQuery(text="三 李"))) == 1


def _found(session, text: str) -> list[str]:
    return [applications.get(session, i).serial for i in applications.register_ids(session, ApplicationQuery(text=text))]


def test_search_text_follows_adds_and_edits(register, person_record):
    saved = applications.register_application(register, {**person_record, "applicant_name": "Ｗａｎｇ Lei"},
                                              today=TODAY)
    serial = applications.get(register, saved.app_id).serial
    assert _found(register, "ｗａｎｇ") == _found(register, "ＷＡＮＧ lei") == [serial]  # full-width case folds
    applications.update_application(register, saved.app_id, {"applicant_name": "赵六"}, today=TODAY)
    assert _found(register, "ｗａｎｇ") == []
    assert _found(register, "赵六") == [serial]
    # a change of a field not searched keeps the searched ones findable
    applications.update_application(register, saved.app_id, {"phone": "13900000000"}, today=TODAY)
    assert _found(register, "赵六 老旧小区") == [serial]
    stored = register.store.db.execute("SELECT search_text FROM applications WHERE id = ?",
                                       [saved.app_id]).fetchone()[0]
    assert stored == search_text(dataclasses.asdict(applications.get(register, saved.app_id)))


def test_search_text_follows_the_recycle_bin(register, person_record):
    saved = applications.register_application(register, person_record, today=TODAY)
    serial = applications.get(register, saved.app_id).serial
    recycle_bin.delete_application(register, saved.app_id)
    assert _found(register, "张某某") == []
    recycle_bin.restore_application(register, saved.app_id)
    assert _found(register, "张某某") == [serial]


def test_search_text_follows_a_ledger_import(register, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,申请内容\n"
                    "2026-0001,2026-03-05,网络,自然人,ＬＩ Ming,老旧小区改造项目立项批复\n", encoding="utf-8")
    assert import_ledger(register, path, today=TODAY).added == 1
    assert _found(register, "ｌｉ 立项") == ["2026-0001"]
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,申请内容\n"
                    "2026-0001,2026-03-05,网络,自然人,ＬＩ Ming,加装电梯财政补贴\n", encoding="utf-8")
    assert import_ledger(register, path, today=TODAY).updated == 1
    assert _found(register, "立项") == []
    assert _found(register, "ｌｉ 电梯") == ["2026-0001"]


def test_search_text_follows_a_restored_backup(db_path, tmp_path, person_record):
    session = open_register(db_path, create=True)
    saved = applications.register_application(session, {**person_record, "applicant_name": "Ｃｈｅｎ"},
                                              today=TODAY)
    session.close()
    backup = backups.back_up(db_path, folder=tmp_path / "backups")
    session = open_register(db_path)
    applications.update_application(session, saved.app_id, {"applicant_name": "周七"}, today=TODAY)
    assert _found(session, "ｃｈｅｎ") == []
    session.close()
    backups.restore(db_path, backup.path)
    session = open_register(db_path)
    try:
        assert len(_found(session, "ｃｈｅｎ")) == 1
        assert _found(session, "周七") == []
    finally:
        session.close()
