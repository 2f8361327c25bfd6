"""The catalogue: an agency's own catalogue with synonym headers imports
all or nothing, re-importing changes nothing, and the export round-trips."""

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.services import items
from desktop_app.services.items import CatalogueImportError
from desktop_app.ledger.reader import LedgerFileError

TODAY = dt.date(2026, 11, 20)


def _website_export(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "信息公开目录导出"
    ws.append(["某区人民政府信息公开目录"])
    ws.append(["索引", "标题", "发文字号", "发文机关", "成文日期", "发布日期", "摘要", "公开方式", "文种", "备用"])
    for r in rows:
        ws.append(r)
    wb.save(path)


ROWS = [
    ["113301-01-2025-0001", "关于印发某区养老服务补贴办法的通知", "某政发〔2025〕3号", "某区人民政府",
     dt.datetime(2025, 3, 3), "2025/3/20", "养老服务补贴的对象和标准", "政府网站、政府公报", "规范性文件", "x"],
    ["113301-01-2025-0002", "2025年区级部门预算", None, "某区财政局", "2025年2月10日", "2025-02-28",
     "部门预算", "政府网站", "其他", None],
    [None, "某区2024年统计公报", None, "某区统计局", "2025-03-01", "2025-03-31", None, "网站", None, None],
]


def test_a_website_export_with_its_own_headers_imports_and_reimports_unchanged(register, tmp_path):
    path = tmp_path / "目录.xlsx"
    _website_export(path, ROWS)
    checked = items.import_catalogue(register, path, check_only=True, today=TODAY, backup=False)
    assert (checked.added, checked.updated, checked.unchanged) == (3, 0, 0)
    assert items.count(register) == 0  # --check writes nothing
    summary = items.import_catalogue(register, path, today=TODAY, backup=False)
    assert summary.added == 3
    doc = register.store.items.by_index_no("113301-01-2025-0001")
    assert doc.kind == "normative" and doc.doc_number == "某政发〔2025〕3号"
    assert doc.formed_on == "2025-03-03" and doc.published_on == "2025-03-20"
    assert doc.channels == ("website", "gazette")
    assert doc.due_date == "2025-03-31"
    assert any("备用" in n for n in summary.notes)
    stats = [r for r in register.store.items.all() if r.title == "某区2024年统计公报"][0]
    assert stats.index_no == "ZDGK-2025-00001"  # numbered by the agency's pattern
    again = items.import_catalogue(register, path, today=TODAY, backup=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert items.count(register) == 3


def test_a_catalogue_with_one_bad_row_imports_nothing(register, tmp_path):
    path = tmp_path / "目录.xlsx"
    _website_export(path, ROWS + [["X-1", "坏日期的一行", None, None, "2025-02-30", None, None, None, None, None],
                                  ["X-2", "重复的一行", None, None, "2025-02-01", None, None, None, None, None],
                                  ["X-2", "重复的一行", None, None, "2025-02-01", None, None, None, None, None]])
    with pytest.raises(CatalogueImportError) as info:
        items.import_catalogue(register, path, today=TODAY, backup=False)
    text = str(info.value)
    assert "第6行" in text and "2月没有30日" in text and "第8行" in text and "重复" in text
    assert "没有导入" in text
    assert items.count(register) == 0


def test_a_file_without_a_catalogue_header_is_refused_in_chinese(register, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(LedgerFileError) as info:
        items.import_catalogue(register, path, today=TODAY, backup=False)
    assert "信息名称" in str(info.value)


@pytest.mark.parametrize("ext", [".xlsx", ".csv"])
def test_catalogue_export_round_trips_into_an_empty_register(register, tmp_path, ext):
    from desktop_app.services.session import open_register

    path = tmp_path / "目录.xlsx"
    _website_export(path, ROWS)
    items.import_catalogue(register, path, today=TODAY, backup=False)
    items.add(register, {"title": "内部会议纪要", "attribute": "withheld", "attribute_reason": "内部事务信息",
                         "formed_on": "2025-05-05"}, today=TODAY)
    out = tmp_path / f"导出{ext}"
    assert items.export_catalogue(register, out, today=TODAY) == 4
    other = open_register(tmp_path / "other.db", create=True)
    summary = items.import_catalogue(other, out, today=TODAY, backup=False)
    assert summary.added == 4

    def content(reg):
        from desktop_app.domain.items import EDITABLE_FIELDS
        keep = [f for f in EDITABLE_FIELDS if f not in ("issued_on", "interpretation_of")]
        return sorted(tuple(getattr(r, f) for f in keep) for r in reg.store.items.all())

    assert content(other) == content(register)
    again = items.import_catalogue(other, out, today=TODAY, backup=False)
    assert again.unchanged == 4
    if ext == ".xlsx":
        ws = load_workbook(out).active
        assert ws.title == "政府信息公开目录"
        assert [c.value for c in ws[1]][:7] == ["索引号", "信息名称", "文号", "发布机构", "生成日期", "公开日期", "内容概述"]
    other.close()


def test_an_import_that_changes_a_published_years_section2_says_so(register, tmp_path):
    from desktop_app.services import report

    report.publish(register, 2025)
    path = tmp_path / "目录.xlsx"
    _website_export(path, ROWS[:1])
    summary = items.import_catalogue(register, path, check_only=True, today=TODAY, backup=False)
    assert any("已发布的2025年年度报告第二部分" in n for n in summary.notes)


def test_a_header_the_app_does_not_know_is_mapped_or_ignored(register, tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text("稿件标题,上线时间,点击量\n关于某事的通知,2025-03-05,120\n", encoding="utf-8")
    with pytest.raises(LedgerFileError) as info:
        items.import_catalogue(register, path, today=TODAY, backup=False)
    assert "--map" in str(info.value)
    summary = items.import_catalogue(register, path, today=TODAY, backup=False,
                                     mapping={"稿件标题": "信息名称", "上线时间": "公开日期", "点击量": "忽略"})
    assert summary.added == 1 and summary.notes == ["1条已公开的信息没有写公开渠道，按“政府网站”导入。"]
    (record,) = register.store.items.all()
    assert (record.title, record.published_on) == ("关于某事的通知", "2025-03-05")
    with pytest.raises(LedgerFileError) as info:
        items.import_catalogue(register, path, today=TODAY, backup=False, mapping={"稿件标题": "标题栏"})
    assert "不是目录的列名" in str(info.value)
