"""Section 二 figures from another system's spreadsheet, all or nothing."""

import pytest
from openpyxl import Workbook

from desktop_app.services import items
from desktop_app.services.items import CatalogueImportError


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["年度", "月份", "行政许可决定", "行政处罚", "收费金额（万元）", "数据来源"])
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_monthly_figures_import_with_their_source_and_sum_in_section2(register, tmp_path):
    path = tmp_path / "f.xlsx"
    _sheet(path, [[2025, "1月", 30, 2, "1.5", "区政务服务平台"], [2025, 2, 12, None, None, "区政务服务平台"],
                  ["2025年", "全年", None, None, None, None]])
    assert items.import_figures(register, path, check_only=True) == 4
    assert items.figures(register, 2025) == []
    assert items.import_figures(register, path) == 4
    s2 = items.section2(register, 2025)
    assert s2.values["licensing_decisions"] == 42 and s2.values["penalty_decisions"] == 2
    assert s2.values["fees_amount"] == 1.5
    assert s2.sources["licensing_decisions"] == "区政务服务平台（2个月）"


def test_a_bad_row_or_a_year_mixed_with_months_imports_nothing(register, tmp_path):
    path = tmp_path / "f.xlsx"
    _sheet(path, [[2025, 1, 30, None, None, "平台"], [2025, 13, 5, None, None, "平台"]])
    with pytest.raises(CatalogueImportError) as info:
        items.import_figures(register, path)
    assert "第3行" in str(info.value) and "月份" in str(info.value)
    _sheet(path, [[2025, 1, 30, None, None, "平台"], [2025, None, 400, None, None, "年报"]])
    with pytest.raises(CatalogueImportError) as info:
        items.import_figures(register, path)
    assert "已按月填写" in str(info.value)
    assert items.figures(register, 2025) == []
