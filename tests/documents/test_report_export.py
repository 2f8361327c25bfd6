"""Exports of the annual report (PDF, DOCX, XLSX, JSON), combining,
the CLI, the year lock, the pre-export check and the narrative drafts."""

import datetime as dt
import json
import re

import pytest

from desktop_app.services import year_lock
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from report_samples import AGENCY, COLUMN_LABELS, TODAY

from desktop_app.domain import report_model as rm
from desktop_app.domain import report_stats as rs
from desktop_app.services import applications, report
from desktop_app.services.errors import ValidationError
from desktop_app.services.report import ExportError, combine_files, export_report


@pytest.fixture
def document(report_register):
    return report.build_document(report_register, 2025)


def squash(text):
    return re.sub(r"\s+", "", text)


# --- JSON ---------------------------------------------------------------------


def test_json_export_has_the_official_title_format_and_thirty_section3_rows(document, tmp_path):
    out = tmp_path / "r.json"
    export_report(document, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2025 and data["agency"] == AGENCY
    assert data["format"] == "国办公开办函〔2021〕30号"
    assert data["title"] == f"{AGENCY}2025年政府信息公开工作年度报告"
    labels = [row["label"] for row in data["section3"]]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[-1] == "四、结转下年度继续办理"
    assert "3.危及“三安全一稳定”" in labels and "（七）总计" in labels
    assert len(labels) == 30
    for row in data["section3"]:
        assert set(row) == {"label", "values"}
        assert list(row["values"]) == COLUMN_LABELS
        assert all(isinstance(v, int) for v in row["values"].values())
    rows = {row["label"]: row["values"] for row in data["section3"]}
    assert rows["（三）不予公开"]["商业企业"] == 2  # the category carries its reasons' sum
    assert rows["4.保护第三方合法权益"]["商业企业"] == 2
    assert rows["（六）其他处理"]["法律服务机构"] == 1
    assert rows["一、本年新收政府信息公开申请数量"]["总计"] == 5
    assert rows["二、上年结转政府信息公开申请数量"]["自然人"] == 1
    assert rows["（七）总计"]["总计"] == 5
    assert rows["四、结转下年度继续办理"]["总计"] == 1
    s2 = {row["label"]: row["values"] for row in data["section2"]}
    assert s2["行政规范性文件"] == {"本年制发件数": 5, "本年废止件数": 1, "现行有效件数": 37}
    assert s2["行政许可"] == {"本年处理决定数量": 1204}
    assert s2["行政事业性收费"] == {"本年收费金额（单位：万元）": 12.3456}
    s4 = {row["label"]: row["values"] for row in data["section4"]}
    assert list(s4) == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert s4["未经复议直接起诉"] == {"结果维持": 0, "结果纠正": 1, "其他结果": 0, "尚未审结": 0, "总计": 1}
    for key in ("preamble", "section1", "section5", "section6"):
        assert data[key]
    assert rm.parse_document(out.read_text(encoding="utf-8"))["year"] == 2025


# --- PDF ------------------------------------------------------------------------


def test_pdf_holds_every_row_label_and_the_numbers(document, tmp_path):
    out = tmp_path / "r.pdf"
    export_report(document, out)
    reader = PdfReader(out)
    text = squash("".join(p.extract_text() for p in reader.pages))
    assert squash(document["title"]) in text
    for heading in rm.SECTION_TITLES:
        assert heading in text
    for row in document["section3"]:
        label = squash(row["label"])
        assert label in text, label
        code = next(r for r in rs.SECTION3_ROWS if r.label == row["label"])
        printed_alone = code.kind == "reason" or code.key in ("new", "carried", "total", "carry_forward",
                                                               "disclosed", "partly_disclosed")
        if printed_alone:
            numbers = "".join(str(v) for v in row["values"].values())
            assert label + numbers in text, (label, numbers)
    assert squash(rs.IDENTITY_NOTE) in text
    for header in ("申请人情况", "法人或其他组织", "第二十条第（一）项", "第二十条第（八）项",
                   "本年收费金额（单位：万元）", "未经复议直接起诉", "复议后起诉", "尚未审结"):
        assert header in text
    assert "行政规范性文件5137" in text
    assert "行政许可1204" in text and "12.3456" in text
    # section 四: the fifteen numbers in order
    assert "".join(str(n) for n in [0] * 5 + [0, 1, 0, 0, 1] + [0] * 5) in text
    assert "—1—" in text  # page numbers
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts
    mediabox = reader.pages[0].mediabox
    assert (round(float(mediabox.width)), round(float(mediabox.height))) == (595, 842)  # A4


def test_pdf_embeds_its_font(document, tmp_path):
    out = tmp_path / "r.pdf"
    export_report(document, out)
    raw = out.read_bytes()
    assert b"/FontFile2" in raw  # an embedded TrueType subset


# --- DOCX --------------------------------------------------------------------------


def test_docx_opens_and_holds_the_tables(document, tmp_path):
    out = tmp_path / "r.docx"
    export_report(document, out)
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    # a long title breaks after the agency name, as printed reports do
    assert paragraphs[:2] == [AGENCY, "2025年政府信息公开工作年度报告"]
    for heading in rm.SECTION_TITLES:
        assert heading in paragraphs
    assert len(doc.tables) == 3
    s2, s3, s4 = doc.tables
    # section 三: 3 header rows + printed rows, 10 columns, merged header
    assert len(s3.columns) == 10
    assert s3.cell(0, 0).text == rs.IDENTITY_NOTE
    assert s3.cell(2, 2).text == rs.IDENTITY_NOTE  # merged over 3x3
    assert s3.cell(0, 3).text == s3.cell(0, 9).text == "申请人情况"
    assert s3.cell(1, 3).text == s3.cell(2, 3).text == "自然人"
    assert [s3.cell(2, c).text for c in range(4, 9)] == COLUMN_LABELS[1:6]
    rows = {s3.cell(r, 2).text: [s3.cell(r, c).text for c in range(3, 10)] for r in range(3, len(s3.rows))}
    assert rows["4.保护第三方合法权益"] == ["0", "2", "0", "0", "0", "0", "2"]
    assert rows["一、本年新收政府信息公开申请数量"] == ["2", "2", "0", "0", "1", "0", "5"]
    assert rows["（七）总计"] == ["2", "2", "0", "0", "1", "0", "5"]
    assert s3.cell(5, 0).text == "三、本年度办理结果"
    # fixed layout with the format's column widths: the reason column is
    # about five number columns wide
    assert s3._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert s3.columns[2].width > 4 * s3.columns[3].width
    labels = {s3.cell(r, c).text for r in range(len(s3.rows)) for c in range(3)}
    for row in document["section3"]:
        assert row["label"] in labels
    # section 四: two-level header over 15 numbers
    assert len(s4.columns) == 15
    assert s4.cell(0, 0).text == s4.cell(1, 4).text == "行政复议"
    assert s4.cell(0, 5).text == s4.cell(0, 14).text == "行政诉讼"
    assert s4.cell(1, 10).text == "复议后起诉"
    assert [s4.cell(3, c).text for c in range(5, 10)] == ["0", "1", "0", "0", "1"]
    # section 二: one-value blocks span the last three columns
    assert s2.cell(0, 0).text == "第二十条第（一）项"
    texts = [[c.text for c in row.cells] for row in s2.rows]
    assert ["行政许可", "1204", "1204", "1204"] in texts
    assert ["行政规范性文件", "5", "1", "37"] in texts


# --- XLSX ----------------------------------------------------------------------------


def test_xlsx_tables_with_merged_headers(document, tmp_path):
    out = tmp_path / "r.xlsx"
    export_report(document, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    ws = wb["三、依申请公开"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:C5" in merged and "D3:J3" in merged and "E4:I4" in merged and "D4:D5" in merged
    assert ws["A3"].value == rs.IDENTITY_NOTE
    assert ws["A6"].value == "一、本年新收政府信息公开申请数量"
    assert [ws.cell(6, c).value for c in range(4, 11)] == [2, 2, 0, 0, 1, 0, 5]
    ws4 = wb["四、复议诉讼"]
    assert "A3:E4" in {str(r) for r in ws4.merged_cells.ranges}
    assert [ws4.cell(6, c).value for c in range(6, 11)] == [0, 1, 0, 0, 1]


def test_unknown_extension_refused(document, tmp_path):
    with pytest.raises(ExportError, match="不支持的文件类型"):
        export_report(document, tmp_path / "r.txt")
    assert not (tmp_path / "r.txt").exists()


# --- combining ---------------------------------------------------------------------------


def _json(tmp_path, name, document, **changes):
    doc = json.loads(json.dumps(document))
    doc.update(changes)
    doc["agencies"] = [doc["agency"]]
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_combine_adds_every_figure(document, tmp_path):
    a = _json(tmp_path, "a.json", document, agency="甲局")
    b = _json(tmp_path, "b.json", document, agency="乙局")
    combined = combine_files([a, b], agency="测试区")
    assert combined["agencies"] == ["甲局", "乙局"]
    assert combined["title"] == "测试区2025年政府信息公开工作年度报告"
    for one, both in zip(document["section3"], combined["section3"]):
        assert both["values"] == {k: 2 * v for k, v in one["values"].items()}
    s2 = {r["label"]: r["values"] for r in combined["section2"]}
    assert s2["行政事业性收费"]["本年收费金额（单位：万元）"] == 24.6912
    assert combined["section4"][1]["values"]["结果纠正"] == 2
    assert rm.identity_errors(combined) == []


def test_combine_refuses_different_years_formats_and_duplicates(document, tmp_path):
    a = _json(tmp_path, "a.json", document, agency="甲局")
    b = _json(tmp_path, "b.json", document, agency="乙局", year=2024)
    with pytest.raises(rm.ReportFileError, match="不同年度"):
        combine_files([a, b])
    c = _json(tmp_path, "c.json", document, agency="丙局", format="国办公开办函〔2019〕60号")
    with pytest.raises(rm.ReportFileError, match="格式"):
        combine_files([a, c])
    d = _json(tmp_path, "d.json", document, agency="甲局")
    with pytest.raises(rm.ReportFileError, match="重复计算"):
        combine_files([a, d])
    broken = tmp_path / "e.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(rm.ReportFileError, match="不是有效的JSON"):
        combine_files([a, broken])
    bad = json.loads(a.read_text(encoding="utf-8"))
    bad["section3"][3]["label"] = "（一）公开"
    (tmp_path / "f.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(rm.ReportFileError, match="不符合格式"):
        combine_files([a, tmp_path / "f.json"])


# --- CLI ------------------------------------------------------------------------------------










# --- year lock ---------------------------------------------------------------------------------


def test_published_year_lists_differences(report_register):
    reg = report_register
    report.publish(reg, 2025)
    assert report.differences(reg, 2025) == []
    app = applications.find_by_serial(reg, "2025-0001")
    assert app.applicant_name == "乙公司"
    new = app.replace(outcome="disclosed", outcome_reason=None)
    assert report.published_years_touched(reg, app, new) == [2025]
    assert "2025年" in report.published_warning([2025])
    # a change that does not touch any figure of the published year
    assert report.published_years_touched(reg, app, app.replace(notes="补记")) == []
    with pytest.raises(year_lock.YearLockedError, match="2025年"):
        applications.update_application(reg, app.id, {"outcome": "disclosed", "outcome_reason": None}, today=TODAY)
    year_lock.unlock_year(reg, 2025, "更正办理结果")
    applications.update_application(reg, app.id, {"outcome": "disclosed", "outcome_reason": None}, today=TODAY).changes
    diffs = report.differences(reg, 2025)
    cells = {(d["label"], d["column"]): (d["published"], d["current"]) for d in diffs}
    assert cells[("（一）予以公开", "商业企业")] == (0, 1)
    assert cells[("4.保护第三方合法权益", "商业企业")] == (2, 1)
    assert cells[("（三）不予公开", "总计")] == (2, 1)
    assert all(d["section"] == "三" for d in diffs)
    # a back-dated application changes 本年新收 of the published year
    assert report.published_years_touched(reg, None, {
        "receipt_date": dt.date(2025, 7, 1), "applicant_type": "natural_person"}) == [2025]
    issues = report.check(reg, 2025, today=dt.date(2026, 1, 10))
    assert any(i.code == "published_changed" for i in issues)
    # moving an application to the recycle bin takes it out of the figures
    assert report.published_years_touched(reg, app, app.replace(deleted_at="2026-01-05T10:00:00")) == [2025]


def test_carry_mismatch_against_published_previous_year(report_register):
    reg = report_register
    doc2024 = report.build_document(reg, 2024)
    # last year's report as typed in by hand: a different carry-forward
    doc2024["section3"][-1]["values"]["自然人"] = 3
    report.publish(reg, 2024, doc2024)
    issues = report.check(reg, 2025, today=dt.date(2026, 1, 10))
    mismatch = [i for i in issues if i.code == "carry_mismatch"]
    assert mismatch and "自然人（上年结转下年度3，本年上年结转1）" in mismatch[0].message


def test_check_lists_flags_empty_texts_and_identity(report_register):
    reg = report_register
    report.save_text(reg, 2025, "section5", "  ")
    reg.store.db.execute("UPDATE applications SET outcome = NULL WHERE applicant_name = '己'")
    reg.store.db.conn.commit()
    issues = {i.code: i for i in report.check(reg, 2025, today=dt.date(2026, 1, 10))}
    assert issues["reply_without_outcome"].level == "error"
    assert issues["reply_without_outcome"].app_ids == [applications.find_by_serial(reg, "2025-0005").id]
    assert issues["empty_section5"].level == "error"
    assert "unsaved_section1" in issues and "year_not_over" not in issues
    doc = report.build_document(reg, 2025)
    doc["section3"][0]["values"]["自然人"] += 1
    assert rm.identity_errors(doc) == ["自然人"]


def test_section2_validation_and_in_force_check(report_register):
    reg = report_register
    with pytest.raises(ValidationError) as info:
        report.save_section2(reg, 2026, {"penalty_decisions": "-1", "fees_amount": "1.23456"})
    assert "不能为负数" in info.value.errors["penalty_decisions"]
    assert "4位小数" in info.value.errors["fees_amount"]
    report.save_section2(reg, 2024, {"normative_in_force": 30})
    issues = {i.code: i for i in report.check(reg, 2025, today=dt.date(2026, 1, 10))}
    assert "30件 + 本年制发5件 − 本年废止1件 = 34件" in issues["normative_in_force"].message


def test_drafts_use_the_figures(report_register):
    reg = report_register
    # The register starts in November 2024: no change is computed from a partial year.
    partial = report.drafts(reg, 2025)["section1"]
    assert "共收到政府信息公开申请5件【请补充：与上年相比的增减（本台账未包含上年全年的申请）】" in partial
    assert "较上年" not in partial
    report.publish(reg, 2024)  # 2024's report was published from this register: it is whole
    texts = report.drafts(reg, 2025)
    assert "共收到政府信息公开申请5件，较上年增加4件" in texts["section1"]
    assert "上年结转1件" in texts["section1"] and "结转下年度继续办理1件" in texts["section1"]
    assert "不予公开2件（占40.0%）" in texts["section1"]
    # the fee lapse of 丁所 had its fee notice (100元), never paid
    assert "发出收费通知1件（合计100元），实际收取信息处理费0元" in texts["section6"]
    assert "未收取信息处理费" in report.drafts(reg, 2024)["section6"]
    assert "2025年1月1日起至2025年12月31日止" in texts["preamble"]
    app_id = applications.find_by_serial(reg, "2025-0001").id
    applications.add_event(reg, app_id, "fee_notice", "2025-03-05", {"amount": 120})
    applications.add_event(reg, app_id, "fee_paid", "2025-03-10", {"amount": 120})
    assert "发出收费通知2件（合计220元），实际收取信息处理费120元" in report.drafts(reg, 2025)["section6"]
    report.save_text(reg, 2025, "section1", "本机关自己写的总体情况。")
    assert report.build_document(reg, 2025)["section1"] == "本机关自己写的总体情况。"


def test_carry_mismatch_against_hand_typed_previous_report(report_register):
    reg = report_register
    typed = {"自然人": 2, "商业企业": 0, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0, "其他": 0, "总计": 2}
    report.save_manual_carry_forward(reg, 2024, typed)
    assert report.manual_carry_forward(reg, 2024) == typed
    issues = {i.code: i for i in report.check(reg, 2025, today=dt.date(2026, 1, 10))}
    assert "手工录入的2024年报告" in issues["carry_mismatch"].message
    assert "自然人（上年结转下年度2，本年上年结转1）" in issues["carry_mismatch"].message
    report.save_manual_carry_forward(reg, 2024, dict(typed, 自然人=1, 总计=1))
    assert "carry_mismatch" not in {i.code for i in report.check(reg, 2025, today=dt.date(2026, 1, 10))}
    with pytest.raises(ValidationError):
        report.save_manual_carry_forward(reg, 2024, dict(typed, 其他=-1))
    report.save_manual_carry_forward(reg, 2024, None)
    assert report.manual_carry_forward(reg, 2024) is None


