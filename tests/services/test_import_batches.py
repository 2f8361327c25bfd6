"""Issue 19: the ledger import writes new rows in batches (rows, events and
audit entries one statement each, deadlines in one pass) without checking
them a second time; what it writes is exactly what adding them one by one
through ``applications.add`` wrote before, updates interleaved in file order."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_samples import NUMBERINGS, write_xlsx
from openpyxl import load_workbook

from desktop_app.services import applications
from desktop_app.services import ledger as ledger_service
from desktop_app.services.ledger import import_ledger
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 11, 25)


def _one_by_one(store, batch):
    """The write path before batches: each new row through ``add``."""
    return [applications.add(store, item.fields, today=TODAY, review=item.review, event_data=item.event_data)
            for item in batch]


def _dump(session) -> dict:
    db = session.store.db
    cols = [r[1] for r in db.execute("PRAGMA table_info(applications)") if r[1] not in ("created_at", "updated_at")]
    return {
        "applications": db.execute(f"SELECT {', '.join(cols)} FROM applications ORDER BY id").fetchall(),
        "events": db.execute("SELECT id, application_id, kind, date, data, doc_number FROM events ORDER BY id")
        .fetchall(),
        "audit": db.execute("SELECT clerk, entity, entity_id, action, old_values, new_values FROM audit_log "
                            "ORDER BY id").fetchall(),
        "counters": db.execute("SELECT * FROM serial_counters ORDER BY 1").fetchall(),
        "sequences": db.execute("SELECT * FROM serial_sequences ORDER BY 1, 2").fetchall(),
    }


def _edit_some_rows(path):
    """Change a few existing rows of the ledger and keep the new ones between them."""
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=4):
            if row[3].value and row[0].value in (2, 4):
                row[6].value = f"{row[6].value}（补充）"
    book.save(path)


@pytest.mark.parametrize("scheme", ["none", "望政依申〔2025〕N号"])
def test_batched_import_writes_what_adding_one_by_one_wrote(tmp_path, monkeypatch, scheme):
    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS[scheme], years=(2023, 2024, 2025))
    monkeypatch.setattr(ledger_service, "WRITE_BATCH", 3)  # batches that split the file
    dumps = []
    for name, writer in (("batched", ledger_service.add_checked_many), ("one_by_one", _one_by_one)):
        monkeypatch.setattr(ledger_service, "add_checked_many", writer)
        session = open_register(tmp_path / f"{name}.db", create=True)
        try:
            first = import_ledger(session, path, today=TODAY)
            assert first.added == 12 and first.flagged == 9
            dumps.append(_dump(session))
        finally:
            session.close()
    batched, one_by_one = dumps
    assert len(batched["applications"]) == 12 and len(batched["events"]) >= 12
    assert batched == one_by_one


def test_updates_between_new_rows_keep_file_order_and_numbering(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "台账.xlsx", NUMBERINGS["望政依申〔2025〕N号"], years=(2024,))
    session = open_register(tmp_path / "r.db", create=True)
    try:
        import_ledger(session, path, today=TODAY)
        more = write_xlsx(tmp_path / "更多.xlsx", NUMBERINGS["望政依申〔2025〕N号"], years=(2024, 2025))
        _edit_some_rows(more)
        monkeypatch.setattr(ledger_service, "WRITE_BATCH", 2)
        summary = import_ledger(session, more, today=TODAY)
        assert (summary.added, summary.updated) == (4, 2)
        assert summary.added_serials == [f"望政依申〔2025〕{i}号" for i in range(1, 5)]
        content = {a.serial: a.info_description for a in applications.all_applications(session)}
        assert content["望政依申〔2024〕2号"] == "2024年第2项政府信息（补充）"
        assert content["望政依申〔2025〕3号"] == "2025年第3项政府信息"
        # each new row has its deadline columns computed, as a row added alone has
        for app in applications.all_applications(session):
            assert app.clock_state is not None
        # the numbering continues after the imported numbers
        assert applications.next_serial(session, 2025, "望政依申〔{年}〕{序号}号") == "望政依申〔2025〕5号"
    finally:
        session.close()


def test_a_batch_row_with_neither_serial_nor_receipt_date_is_refused_and_nothing_is_written(register):
    from desktop_app.domain.records import ApplicationFields
    from desktop_app.services.applications import BatchRowError, CheckedApplication, add_checked_many

    good = CheckedApplication(ApplicationFields.from_values(
        {"receipt_date": "2025-03-05", "applicant_type": "natural_person", "applicant_name": "张三",
         "info_description": "某文件"}), {}, {"channel": None})
    bad = CheckedApplication(ApplicationFields.from_values(
        {"applicant_type": "natural_person", "applicant_name": "李四", "info_description": "某文件"}), {}, {})
    store = register.store
    with pytest.raises(BatchRowError) as caught, store.transaction():
        add_checked_many(store, [good, bad])
    assert caught.value.index == 1 and "填写收到日期" in caught.value.errors["serial"]
    assert applications.count(register) == 0
