"""Issue 19: through the use cases a clerk runs (register, edit, the recycle
bin and its purge, a ledger import and re-import, a restored backup), the
register's search is answered by the n-gram index and finds exactly what a
brute-force substring search over the fields finds."""

from __future__ import annotations

import datetime as dt

from desktop_app.services import applications, backups, recycle_bin
from desktop_app.services.ledger import import_ledger
from desktop_app.services.session import open_register
from search_index_helpers import brute_force, expected_contents, index_contents, searched

TODAY = dt.date(2026, 11, 25)
QUERIES = ["张", "张某某", "王", "老旧小区", "立项批复", "电梯", "ｌｉ", "li ming", "2026-00", "〔2026〕", "138",
           "补贴 电梯", "公开", "某", "不存在的内容"]


def _same_as_brute_force(session) -> int:
    store = session.store
    found_any = 0
    for q in QUERIES:
        found, by_index = searched(store, q)
        assert by_index, q
        assert found == brute_force(store.db, q), q
        found_any += bool(found)
    assert index_contents(store.db) == expected_contents(store.db)
    return found_any


def test_the_use_cases_keep_the_index_exact(register, person_record, tmp_path):
    first = applications.register_application(register, person_record, today=TODAY).app_id
    second = applications.register_application(
        register, {**person_record, "applicant_name": "王五", "info_description": "加装电梯财政补贴"}, today=TODAY).app_id
    assert _same_as_brute_force(register) >= 5
    applications.update_application(register, first, {"applicant_name": "ＬＩ Ming"}, today=TODAY)
    applications.update_application(register, second, {"phone": "13900000000"}, today=TODAY)
    assert _same_as_brute_force(register) >= 5
    recycle_bin.delete_application(register, second)
    assert searched(register.store, "王五") == (set(), True)
    recycle_bin.restore_application(register, second)
    assert searched(register.store, "王五") == ({second}, True)
    recycle_bin.delete_application(register, first)
    recycle_bin.purge_application(register, first)
    assert _same_as_brute_force(register) >= 3

    path = tmp_path / "ledger.csv"
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,申请内容\n"
                    "2026-0101,2026-03-05,网络,自然人,ＬＩ Ming,老旧小区改造项目立项批复\n"
                    "〔2026〕102号,2026-03-06,信函,自然人,张某某,征地补偿公开\n", encoding="utf-8")
    assert import_ledger(register, path, today=TODAY).added == 2
    assert _same_as_brute_force(register) >= 8
    path.write_text("申请编号,收到日期,申请方式,申请人类型,申请人,申请内容\n"
                    "2026-0101,2026-03-05,网络,自然人,ＬＩ Ming,加装电梯财政补贴\n", encoding="utf-8")
    assert import_ledger(register, path, today=TODAY).updated == 1
    assert searched(register.store, "立项批复")[0] == set()
    assert _same_as_brute_force(register) >= 8


def test_a_restored_backup_searches_by_its_own_index(db_path, tmp_path, person_record):
    session = open_register(db_path, create=True)
    app_id = applications.register_application(session, {**person_record, "applicant_name": "Ｃｈｅｎ"},
                                               today=TODAY).app_id
    session.close()
    backup = backups.back_up(db_path, folder=tmp_path / "backups")
    session = open_register(db_path)
    applications.update_application(session, app_id, {"applicant_name": "周七"}, today=TODAY)
    applications.register_application(session, {**person_record, "applicant_name": "吴九"}, today=TODAY)
    assert searched(session.store, "周七") == ({app_id}, True)
    session.close()
    backups.restore(db_path, backup.path)
    session = open_register(db_path)
    try:
        assert searched(session.store, "ｃｈｅｎ") == ({app_id}, True)
        assert searched(session.store, "周七") == (set(), True)
        assert searched(session.store, "吴九") == (set(), True)
        _same_as_brute_force(session)
    finally:
        session.close()
