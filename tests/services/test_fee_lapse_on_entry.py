"""Closing as 逾期未缴纳信息处理费 needs a fee notice above nil on record,
however the closure arrives: an application entered already closed through
the form is refused like a closure by edit; a ledger import of old cases
keeps the row but flags it 待核实, and `import --check` lists it."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from desktop_app.main import main as cli_main
from desktop_app.services import applications, ledger, steps
from desktop_app.services.errors import ValidationError
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 6, 1)
LAPSED = {"outcome": "other", "outcome_reason": 2, "reply_date": "2026-04-20", "status": "closed"}
HEADER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "通信地址",
          "电子邮箱", "申请内容", "答复日期", "办理结果", "结果细项", "备注"]
LAPSED_ROW = ["2025-0007", "2025-03-05", "当面", "自然人", "李某", "", "", "", "", "某项目批复",
              "2025-05-20", "其他处理", "逾期未缴费", ""]
GOOD_ROW = ["2025-0008", "2025-03-06", "当面", "自然人", "王某", "", "", "", "", "某规划许可",
            "2025-03-20", "予以公开", "", ""]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def test_an_application_entered_already_closed_as_a_fee_lapse_is_refused(register, person_record):
    with pytest.raises(ValidationError, match="新登记的申请不能直接按“逾期未缴纳信息处理费”办结") as info:
        applications.register_application(register, dict(person_record, **LAPSED), today=TODAY)
    assert set(info.value.errors) == {"outcome_reason"}
    assert applications.count(register) == 0
    # the other 其他处理 reason (逾期不补正) is not concerned
    applications.register_application(register, dict(person_record, **{**LAPSED, "outcome_reason": 1}), today=TODAY)
    assert applications.count(register) == 1


def test_a_fee_lapse_closure_with_a_recorded_fee_notice_above_nil_is_accepted(register, person_record):
    app_id = applications.register_application(register, person_record, today=TODAY).app_id
    with pytest.raises(ValidationError, match="收费金额大于零"):
        applications.update_application(register, app_id, LAPSED, today=TODAY)
    steps.record_step(register, app_id, "fee_notice", "2026-03-12", {"amount": 60})
    applications.update_application(register, app_id, LAPSED, today=TODAY)
    assert applications.get(register, app_id).outcome_reason == 2


def test_an_imported_fee_lapse_without_a_fee_notice_is_kept_and_flagged(register, tmp_path):
    path = write_csv(tmp_path / "旧台账.csv", [LAPSED_ROW, GOOD_ROW])
    summary = ledger.import_ledger(register, path, today=TODAY, backup=False)
    assert summary.added == 2
    lapsed = applications.find_by_serial(register, "2025-0007")
    assert (lapsed.outcome, lapsed.outcome_reason) == ("other", 2)
    assert "收费通知书未登记" in lapsed.review_reasons["outcome_reason"]
    assert not applications.find_by_serial(register, "2025-0008").review_reasons
    (flagged,) = summary.review
    assert flagged.row == 2 and "收费通知书未登记" in "".join(flagged.reasons)


def test_import_check_lists_the_missing_fee_notice_as_a_warning(db_path, tmp_path, capsys):
    open_register(db_path, create=True).close()
    path = write_csv(tmp_path / "旧台账.csv", [LAPSED_ROW])
    before = db_path.read_bytes()
    assert cli_main(["--db", str(db_path), "import", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "将新增 1 件" in out and "其中 1 件将标为待核实" in out and "收费通知书未登记" in out
    assert db_path.read_bytes() == before
    assert cli_main(["--db", str(db_path), "import", str(path)]) == 0
    again = open_register(db_path)
    try:
        assert "收费通知书未登记" in applications.find_by_serial(again, "2025-0007").review_reasons["outcome_reason"]
    finally:
        again.close()
