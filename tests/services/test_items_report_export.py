"""Section 二 in the report's exports: the figures computed from the register
and, in the XLSX, the documents and sources behind each figure."""

import datetime as dt

from openpyxl import load_workbook

from desktop_app.services import items, report

TODAY = dt.date(2026, 11, 20)


def test_xlsx_export_lists_the_documents_behind_section2(register, tmp_path):
    items.add(register, {"title": "甲办法", "kind": "normative", "doc_number": "某政发〔2025〕1号",
                         "formed_on": "2025-02-03", "published_on": "2025-02-10", "channels": "政府网站"}, today=TODAY)
    items.add(register, {"title": "乙办法", "kind": "normative", "formed_on": "2023-02-03",
                         "repealed_on": "2025-06-30", "published_on": "2023-02-10", "channels": "政府网站"}, today=TODAY)
    items.save_figure(register, 2025, None, "penalty_decisions", 12, "区执法办案平台")
    document = report.build_document(register, 2025)
    row = {r["label"]: r["values"] for r in document["section2"]}["行政规范性文件"]
    assert row == {"本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 1}
    path = tmp_path / "r.xlsx"
    report.export(document, path)
    ws = load_workbook(path)["二、明细"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    issued = next(r for r in rows if r[1] == "本年制发件数" and r[0] == "行政规范性文件")
    assert issued[2:6] == [1, "主动公开目录统计", "ZDGK-2025-00001", "甲办法"]
    repealed = next(r for r in rows if r[1] == "本年废止件数" and r[0] == "行政规范性文件")
    assert repealed[5] == "乙办法" and repealed[8] == "2025-06-30"
    penalties = next(r for r in rows if r[0] == "行政处罚")
    assert penalties[2:4] == [12, "区执法办案平台"]
