"""政府信息公开目录 and 政府信息公开指南 as PDFs: Art. 12's columns, every
proactive item, the header row on every page, the guide's own text."""

import datetime as dt
import subprocess

from desktop_app.services import items

TODAY = dt.date(2026, 11, 20)


def _text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_catalogue_pdf_lists_each_proactive_item_with_the_art12_columns(register, tmp_path):
    for n in range(60):
        items.add(register, {"title": f"第{n}号许可结果公示", "formed_on": "2025-03-03", "published_on": "2025-03-10",
                             "channels": "政府网站", "summary": "公示许可结果。"}, today=TODAY)
    items.add(register, {"title": "内部会议纪要", "attribute": "withheld", "attribute_reason": "内部事务",
                         "formed_on": "2025-03-03"}, today=TODAY)
    out = tmp_path / "目录.pdf"
    assert items.export_catalogue(register, out, today=TODAY) == 60
    text = _text(out)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    for page in pages:
        if page.strip():
            assert "索引号" in page and "信息名称" in page and "内容概述" in page and "生成日期" in page
    assert "第59号许可结果公示" in text and "ZDGK-2025-00060" in text
    assert "内部会议纪要" not in text  # withheld items are not in the public catalogue
    assert "共60条" in text


def test_guide_is_drafted_from_the_office_details_saved_and_printed(register, tmp_path):
    from desktop_app.services.settings import update_settings

    update_settings(register, {"agency_name": "某区人民政府办公室", "agency_phone": "0731-88001234"})
    draft = items.guide_text(register)
    assert draft.startswith("某区人民政府办公室政府信息公开指南") and "0731-88001234" in draft
    items.save_guide(register, draft.replace("0731-88001234", "0731-88009999"))
    assert "0731-88009999" in items.guide_text(register)
    out = tmp_path / "指南.pdf"
    items.print_guide(register, items.guide_text(register), out)
    assert "0731-88009999" in _text(out).replace(" ", "")
