"""A third party is addressed by its recorded type (你单位 or 您); where
the type was never recorded (the CLI without --party-type, older steps),
by its name: 你单位 for a name that reads as an organisation's, 您
otherwise — never the template's "您（单位）"."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from desktop_app.documents.notices import address_form
from desktop_app.domain.catalog import name_looks_like_organisation
from desktop_app.main import main as cli_main
from desktop_app.services import applications, notices, printing, steps
from desktop_app.services import settings as settings_service
from desktop_app.services.session import open_register


def text_of(snapshot) -> str:
    reader = pypdf.PdfReader(io.BytesIO(printing.notice_pdf(snapshot)))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def reg(register):
    settings_service.update_settings(register, {"agency_name": "长沙市望城区某某局", "doc_number_prefix": "望公开"})
    settings_service.set_agency_profile(register, "department", own_government="长沙市望城区人民政府")
    return register


def letter(reg, person_record, name, party_type=None) -> str:
    app_id = applications.register_application(reg, person_record).app_id
    data = {"third_party": name}
    if party_type:
        data["party_type"] = party_type
    steps.record_step(reg, app_id, "third_party_sent", "2026-03-06", data)
    return text_of(notices.issue(reg, notices.prepare(reg, app_id, "third_party", issue_date="2026-03-06")).snapshot)


@pytest.mark.parametrize("name, organisation", [
    ("长沙某某置业有限公司", True), ("长沙市望城区财政局", True), ("某某小区业主委员会", True),
    ("望城区政务服务中心", True), ("某某机械厂", True), ("某某设计研究院", True), ("某某律师事务所", True),
    ("某某报社", True), ("某某商会", True), ("某某建设集团", True), ("望城区第一中学", True),
    ("王某某", False), ("李秀会", False), ("张三", False), ("王院", False), ("John Smith", False),
])
def test_a_name_reads_as_an_organisations_or_a_persons(name, organisation):
    assert name_looks_like_organisation(name) is organisation
    assert address_form(None, name) == ("你单位" if organisation else "您")
    assert address_form("", name) == ("你单位" if organisation else "您")


def test_the_recorded_type_wins_over_the_name():
    assert address_form("natural_person", "某某机械厂") == "您"
    assert address_form("organisation", "王某某") == "你单位"


def test_a_third_party_of_unknown_type_is_addressed_by_its_name(reg, person_record):
    company = letter(reg, person_record, "长沙某某置业有限公司")
    person = letter(reg, person_record, "王某某")
    assert "您（单位）" not in company and "您（单位）" not in person
    assert "涉及你单位的商业秘密" in company and "您" not in company.split("长沙某某置业有限公司：", 1)[1]
    assert "涉及您的商业秘密" in person and "你单位" not in person


def test_a_third_party_recorded_as_a_person_is_addressed_as_you_whatever_its_name(reg, person_record):
    text = letter(reg, person_record, "某某机械厂", party_type="natural_person")
    assert "涉及您的商业秘密" in text and "你单位" not in text


def test_cli_step_records_the_third_partys_type(reg, person_record, db_path, tmp_path):
    serial = applications.register_application(reg, person_record).serial
    reg.close()
    assert cli_main(["--db", str(db_path), "step", "--id", serial, "--kind", "third-party", "--date", "2026-03-06",
                     "--third-party", "某某机械厂", "--party-type", "natural_person"]) == 0
    out = tmp_path / "函.pdf"
    assert cli_main(["--db", str(db_path), "notice", "--id", serial, "--kind", "third-party",
                     "--date", "2026-03-06", "--out", str(out)]) == 0
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages))
    assert "涉及您的商业秘密" in text and "你单位" not in text
    again = open_register(db_path)
    try:
        app_id = applications.find_by_serial(again, serial).id
        sent = [e for e in applications.events(again, app_id) if e.kind == "third_party_sent"]
        assert sent[0].data["party_type"] == "natural_person"
    finally:
        again.close()
