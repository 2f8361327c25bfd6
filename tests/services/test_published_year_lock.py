"""A published report year is locked where the data lives: the GUI's save
path, the command line and an import are refused until the clerk unlocks
the year with a reason; unlocking, publishing and unpublishing, section 二
figures, report texts and template edits are in the audit trail."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from desktop_app.main import main
from desktop_app.services import applications, notices, report, year_lock
from desktop_app.services.session import open_register

TODAY = dt.date(2026, 6, 30)
ROW = ["", "2025-07-01", "当面", "自然人", "李某", "", "", "", "", "某项目批复", "2025-07-20", "予以公开", "", ""]
HEADER = ["申请编号", "收到日期", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "通信地址",
          "电子邮箱", "申请内容", "答复日期", "办理结果", "结果细项", "备注"]


@pytest.fixture
def published(register, person_record):
    rec = dict(person_record, receipt_date="2025-03-05", outcome="disclosed", reply_date="2025-03-20")
    app_id = applications.register_application(register, rec, today=TODAY).app_id
    report.publish(register, 2025)
    return register, app_id


def test_gui_save_of_a_published_years_figure_is_refused_until_unlocked(published):
    reg, app_id = published
    change = {"outcome": "withheld", "outcome_reason": 1}
    # the form saves with published_agreed (the clerk may even have agreed): still refused
    with pytest.raises(year_lock.YearLockedError, match="2025年"):
        applications.update_application(reg, app_id, change, today=TODAY, published_agreed=[2025])
    assert applications.get(reg, app_id).outcome == "disclosed"
    # a change that touches no figure is not refused
    applications.update_application(reg, app_id, {"notes": "补记电话"}, today=TODAY, published_agreed=[])
    with pytest.raises(year_lock.RefusedError, match="理由"):
        year_lock.unlock_year(reg, 2025, "  ")
    year_lock.unlock_year(reg, 2025, "复议决定撤销原答复，重新答复")
    applications.update_application(reg, app_id, change, today=TODAY, published_agreed=[2025])
    assert applications.get(reg, app_id).outcome == "withheld"
    (entry,) = reg.store.audit.history("report_year", 2025)[-1:]
    assert entry.action == "unlock" and entry.new_values == {"reason": "复议决定撤销原答复，重新答复"}
    # publishing again locks the year again, audited
    report.publish(reg, 2025)
    assert year_lock.is_locked(reg, 2025)
    assert [e.action for e in reg.store.audit.history("report_year", 2025)] == ["publish", "unlock", "publish"]


def test_cli_import_into_a_published_year_is_refused_until_unlocked(published, db_path, tmp_path, capsys):
    reg, _ = published
    reg.close()
    path = tmp_path / "x.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, ROW])
    with pytest.raises(SystemExit):
        main(["--db", str(db_path), "import", str(path)])
    assert "2025年" in capsys.readouterr().err
    assert main(["--db", str(db_path), "report-unlock", "--year", "2025", "--reason", "补录纸质台账"]) == 0
    assert main(["--db", str(db_path), "import", str(path)]) == 0
    again = open_register(db_path)
    try:
        assert applications.count(again) == 2
        assert again.store.audit.history("report_year", 2025)[-1].new_values == {"reason": "补录纸质台账"}
    finally:
        again.close()


def test_section2_figures_and_texts_of_a_locked_year_are_refused_and_edits_audited(published):
    reg, _ = published
    with pytest.raises(year_lock.YearLockedError):
        report.save_section2(reg, 2025, {"licensing_decisions": 3})
    with pytest.raises(year_lock.YearLockedError):
        report.save_text(reg, 2025, "preamble", "改过的前言")
    report.save_section2(reg, 2026, {"licensing_decisions": 3})
    report.save_section2(reg, 2026, {"licensing_decisions": 4})
    audit = reg.store.audit.history("report_figure", "2026-0-licensing_decisions")
    assert audit[-1].new_values["value"] == 4
    report.save_text(reg, 2026, "preamble", "前言")
    assert reg.store.audit.history("report_text", "2026:preamble")[-1].new_values == {"preamble": "前言"}


def test_unpublish_and_template_edits_are_audited(published):
    reg, _ = published
    report.unpublish(reg, 2025)
    assert reg.store.audit.history("report_year", 2025)[-1].action == "unpublish"
    text = notices.template_text(reg, "receipt").replace("如有疑问", "如有问题")
    notices.save_template(reg, "receipt", text)
    notices.reset_template(reg, "receipt")
    assert [e.action for e in reg.store.audit.history("template", "receipt")] == ["update", "reset"]


def test_deleting_or_restoring_an_application_of_a_locked_year_is_refused(published):
    from desktop_app.services import recycle_bin

    reg, app_id = published
    with pytest.raises(year_lock.YearLockedError, match="删除此申请"):
        recycle_bin.delete_application(reg, app_id)
    assert not applications.get(reg, app_id).deleted_at
    year_lock.unlock_year(reg, 2025, "重复登记")
    recycle_bin.delete_application(reg, app_id)
    year_lock.relock_year(reg, 2025)
    with pytest.raises(year_lock.YearLockedError, match="恢复此申请"):
        recycle_bin.restore_application(reg, app_id)
