"""The documents commands: form, notice, envelope, batch, reprint."""

from __future__ import annotations

import datetime as _dt
import re

import pypdf
import pytest

from desktop_app.main import main
from desktop_app.services import applications
from desktop_app.services import settings as settings_service
from desktop_app.services.session import Session
from desktop_app.storage.database import connect
from desktop_app.storage.store import Store

#: Notices are dated today unless told otherwise; numbers run per year of issue.
YEAR = _dt.date.today().year

AGENCY = {
    "agency_name": "望城区人民政府办公室",
    "agency_address": "湖南省长沙市望城区雷锋大道1号",
    "agency_postcode": "410200",
    "doc_number_prefix": "望政公开",
    "clerk_name": "李明",
    "reconsideration_body": "长沙市望城区人民政府",
    "litigation_court": "长沙市望城区人民法院",
}


def text_of(path) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def db(tmp_path, person_record):
    path = tmp_path / "register.db"
    database = connect(path)
    reg = Session(Store(database))
    settings_service.update_settings(reg, AGENCY)
    applications.register_application(reg, person_record).app_id
    applications.register_application(reg, dict(person_record, applicant_name="王某", outcome="unavailable", outcome_reason=1,
                             reply_date="2026-03-18")).app_id
    database.conn.close()
    return path


def run(db, *args):
    return main(["--db", str(db), *args])


def test_form_blank_and_filled(db, tmp_path, capsys):
    out = tmp_path / "blank.pdf"
    assert run(db, "form", "--blank", "--out", str(out)) == 0
    assert "法人或者其他组织" in text_of(out)
    out2 = tmp_path / "filled.pdf"
    assert run(db, "form", "--id", "2026-0001", "--out", str(out2)) == 0
    assert "张某某" in text_of(out2)
    assert "已生成" in capsys.readouterr().out


def test_notice_each_kind(db, tmp_path, person_record):
    # an application awaiting correction can be neither extended nor sent
    # to a third party: those two go to applications of their own
    conn = connect(db)
    reg = Session(Store(conn))
    for name in ("赵某", "钱某"):
        applications.register_application(reg, dict(person_record, applicant_name=name))
    conn.conn.close()
    cases = [
        ("2026-0001", "receipt", [], "接收回执"),
        ("2026-0001", "correction", ["--items", "请写明文件名称", "--date", "2026-03-06"], "请写明文件名称"),
        ("2026-0003", "extension", ["--reason", "需要协调多个部门", "--approver", "王主任", "--date", "2026-03-06"],
         "需要协调多个部门"),
        ("2026-0004", "third-party", ["--third-party", "某某公司", "--date", "2026-03-06"], "某某公司"),
        ("2026-0001", "service", [], "送达回证"),
    ]
    for serial, kind, extra, expect in cases:
        out = tmp_path / f"{kind}.pdf"
        assert run(db, "notice", "--id", serial, "--kind", kind, "--out", str(out), *extra) == 0
        text = text_of(out)
        year = 2026 if "--date" in extra else YEAR
        assert expect in text and f"望政公开〔{year}〕第" in text


def test_fee_notice_per_page(db, tmp_path):
    conn = connect(db)
    settings_service.update_settings(Session(Store(conn)), {"fee_method": "per_page"})
    conn.conn.close()
    out = tmp_path / "fee.pdf"
    assert run(db, "notice", "--id", "2026-0001", "--kind", "fee", "--pages", "120", "--out", str(out)) == 0
    assert "1100元" in text_of(out)  # 70×10 + 20×20


def test_reply_follows_outcome_and_refuses_without_one(db, tmp_path, capsys):
    out = tmp_path / "reply.pdf"
    assert run(db, "notice", "--id", "2026-0002", "--kind", "reply", "--out", str(out)) == 0
    text = text_of(out)
    assert "第三十六条第（四）项" in text and "王某" in text and "2026年3月18日" in text
    with pytest.raises(SystemExit) as exc:
        run(db, "notice", "--id", "2026-0001", "--kind", "reply", "--out", str(tmp_path / "x.pdf"))
    assert exc.value.code == 2
    assert "尚未填写办理结果" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_application_and_bad_out(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        run(db, "notice", "--id", "2026-9999", "--kind", "receipt", "--out", str(tmp_path / "a.pdf"))
    assert exc.value.code == 2 and "找不到申请编号" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run(db, "form", "--blank", "--out", str(tmp_path / "a.txt"))
    assert exc.value.code == 2 and ".pdf" in capsys.readouterr().err


def test_draft_does_not_take_a_number(db, tmp_path):
    out = tmp_path / "draft.pdf"
    assert run(db, "notice", "--id", "2026-0001", "--kind", "receipt", "--draft", "--out", str(out)) == 0
    assert run(db, "notice", "--id", "2026-0001", "--kind", "receipt", "--out", str(out)) == 0
    assert f"望政公开〔{YEAR}〕第1号" in text_of(out)


def test_batch_envelope_and_reprint(db, tmp_path, capsys):
    out = tmp_path / "batch.pdf"
    assert run(db, "batch", "--ids", "2026-0001,2026-0002", "--kind", "receipt", "--out", str(out)) == 0
    assert len(pypdf.PdfReader(str(out)).pages) == 4
    # a second batch skips the applications that have their receipt, and says so
    capsys.readouterr()
    assert run(db, "batch", "--ids", "2026-0001,2026-0002", "--kind", "receipt", "--out", str(out)) == 0
    said = capsys.readouterr()
    assert "跳过 2026-0001" in said.err and "跳过 2026-0002" in said.err and "未出具任何文书" in said.out
    env = tmp_path / "env.pdf"
    assert run(db, "envelope", "--id", "2026-0001", "--out", str(env)) == 0
    assert len(pypdf.PdfReader(str(env)).pages) == 1
    capsys.readouterr()
    assert run(db, "reprint", "--id", "2026-0002") == 0
    assert f"望政公开〔{YEAR}〕第2号" in capsys.readouterr().out
    again = tmp_path / "again.pdf"
    assert run(db, "reprint", "--doc-number", f"望政公开〔{YEAR}〕第1号", "--out", str(again)) == 0
    assert f"望政公开〔{YEAR}〕第1号" in text_of(again) and "张某某" in text_of(again)
