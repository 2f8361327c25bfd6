"""report: the annual report exported by extension, combined, checked; the published version."""

import json
import re

import pytest

from desktop_app.services import year_lock
from pypdf import PdfReader
from report_samples import TODAY

from desktop_app.main import main
from desktop_app.services import applications, report


@pytest.fixture
def document(report_register):
    return report.build_document(report_register, 2025)


def squash(text):
    return re.sub(r"\s+", "", text)


def _json(tmp_path, name, document, **changes):
    doc = json.loads(json.dumps(document))
    doc.update(changes)
    doc["agencies"] = [doc["agency"]]
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("ext", [".pdf", ".docx", ".xlsx", ".json"])
def test_cli_exports_by_extension(report_register, db_path, tmp_path, capsys, ext):
    out = tmp_path / f"report{ext}"
    assert main(["--db", str(db_path), "report", "--year", "2025", "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "已导出" in capsys.readouterr().out


def test_cli_combine_and_refusal(report_register, db_path, tmp_path, capsys):
    a = tmp_path / "a.json"
    assert main(["--db", str(db_path), "report", "--year", "2025", "--out", str(a)]) == 0
    b = _json(tmp_path, "b.json", json.loads(a.read_text(encoding="utf-8")), agency="乙局")
    out = tmp_path / "all.pdf"
    assert main(["report", "--combine", str(a), str(b), "--out", str(out), "--agency", "测试区"]) == 0
    assert "测试区2025年" in squash("".join(p.extract_text() for p in PdfReader(out).pages))
    c = _json(tmp_path, "c.json", json.loads(a.read_text(encoding="utf-8")), agency="丙局", year=2024)
    with pytest.raises(SystemExit) as info:
        main(["report", "--combine", str(a), str(c), "--out", str(tmp_path / "x.json")])
    assert info.value.code == 2
    assert "不能合并不同年度" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_cli_rejects_bad_extension(report_register, db_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--db", str(db_path), "report", "--year", "2025", "--out", str(tmp_path / "r.doc")])
    assert info.value.code == 2
    assert "不支持的文件类型" in capsys.readouterr().err


def test_cli_check_lists_problems(report_register, db_path, capsys):
    report_register.store.db.execute("UPDATE applications SET outcome = NULL, outcome_reason = NULL "
                               "WHERE applicant_name = '己'")
    report_register.store.db.conn.commit()
    assert main(["--db", str(db_path), "report", "--year", "2025", "--check"]) == 1
    out = capsys.readouterr().out
    assert "有答复日期但没有办理结果" in out and "2025-" in out


def test_cli_exports_the_published_version(report_register, db_path, tmp_path, capsys):
    reg = report_register
    with pytest.raises(SystemExit) as info:
        main(["--db", str(db_path), "report", "--year", "2025", "--published", "--out", str(tmp_path / "x.json")])
    assert info.value.code == 2 and "尚未标记为已发布" in capsys.readouterr().err
    report.publish(reg, 2025)
    year_lock.unlock_year(reg, 2025, "更正办理结果")
    app = applications.find_by_serial(reg, "2025-0001")
    applications.update_application(reg, app.id, {"outcome": "disclosed", "outcome_reason": None}, today=TODAY).changes
    now, frozen = tmp_path / "now.json", tmp_path / "frozen.json"
    assert main(["--db", str(db_path), "report", "--year", "2025", "--out", str(now)]) == 0
    assert "与已发布的不同" in capsys.readouterr().out
    assert main(["--db", str(db_path), "report", "--year", "2025", "--published", "--out", str(frozen)]) == 0
    rows_now = {r["label"]: r["values"] for r in json.loads(now.read_text(encoding="utf-8"))["section3"]}
    rows_frozen = {r["label"]: r["values"] for r in json.loads(frozen.read_text(encoding="utf-8"))["section3"]}
    assert rows_frozen["（一）予以公开"]["商业企业"] == 0 and rows_now["（一）予以公开"]["商业企业"] == 1
