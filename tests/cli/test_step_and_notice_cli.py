"""The command line records steps through the same functions as the GUI,
and refuses a step's notice when the step is missing what it needs."""

from __future__ import annotations

import pytest

from desktop_app.main import main
from desktop_app.services import applications, deadlines
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register


@pytest.fixture
def db(tmp_path, person_record):
    path = tmp_path / "register.db"
    reg = open_register(path, create=True)
    settings_service.update_settings(reg, {"agency_name": "某某局", "doc_number_prefix": "某公开"})
    settings_service.set_agency_profile(reg, "vertical", higher_department="国家税务总局长沙市税务局")
    applications.register_application(reg, person_record)
    reg.close()
    return path


def state(db):
    reg = open_register(db)
    try:
        return deadlines.state_of(reg, applications.find_by_serial(reg, "2026-0001").id)
    finally:
        reg.close()


def test_cli_extension_notice_without_approver_is_refused_and_nothing_recorded(db, tmp_path, capsys):
    out = tmp_path / "ext.pdf"
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "notice", "--id", "2026-0001", "--kind", "extension", "--date", "2026-03-20",
              "--reason", "涉及多个部门", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "须同时记录办理步骤" in err and "批准延期的负责人" in err
    assert not out.exists() and state(db).extension is None


def test_cli_step_records_the_extension_then_its_notice_uses_it(db, tmp_path, capsys):
    assert main(["--db", str(db), "step", "--id", "2026-0001", "--kind", "extension", "--date", "2026-03-20",
                 "--approver", "王主任", "--days", "10", "--reason", "档案在外地"]) == 0
    said = capsys.readouterr()
    assert "已记录" in said.out and "notice --id 2026-0001 --kind extension" in said.err
    assert state(db).extension["days"] == 10
    out = tmp_path / "ext.pdf"
    assert main(["--db", str(db), "notice", "--id", "2026-0001", "--kind", "extension", "--date", "2026-03-20",
                 "--out", str(out)]) == 0
    assert out.exists()
    # the step list shows it
    capsys.readouterr()
    assert main(["--db", str(db), "step", "--id", "2026-0001"]) == 0
    assert "延期答复" in capsys.readouterr().out


def test_cli_step_refuses_a_broken_rule_in_chinese(db, capsys):
    with pytest.raises(SystemExit):
        main(["--db", str(db), "step", "--id", "2026-0001", "--kind", "extension", "--date", "2026-03-20"])
    assert "请填写批准延期的负责人" in capsys.readouterr().err


def test_cli_reissue_needs_again(db, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    args = ["--db", str(db), "notice", "--id", "2026-0001", "--kind", "receipt", "--date", "2026-03-05",
            "--out", str(out)]
    assert main(args) == 0
    with pytest.raises(SystemExit):
        main(args)
    assert "--again" in capsys.readouterr().err
    assert main([*args, "--again"]) == 0


def test_cli_grounds_lists_every_answer_with_its_clause(db, capsys):
    assert main(["--db", str(db), "grounds"]) == 0
    out = capsys.readouterr().out
    assert "already_published" in out and "条例第三十六条第（一）项" in out and "复议前置" in out
