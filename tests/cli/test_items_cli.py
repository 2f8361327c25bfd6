"""``disclosure-desk --db PATH items import FILE [--check] | export FILE | list [--year] [--late] [--due]``."""

import datetime as dt

import pytest
from openpyxl import Workbook

from desktop_app.main import main
from desktop_app.services import items
from desktop_app.services.session import open_register


def run(capsys, *argv):
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(list(argv)))
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def _catalogue(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["索引号", "标题", "成文日期", "发布日期", "公开方式"])
    ws.append(["A-1", "按时公开的通知", "2025-03-03", "2025-03-20", "政府网站"])
    ws.append(["A-2", "迟了的通知", "2025-03-03", "2025-04-03", "政府网站"])
    ws.append(["A-3", "坏日期", "2025-13-03", None, None])
    wb.save(path)


def test_items_import_check_import_list_late_and_export(capsys, tmp_path):
    db = str(tmp_path / "r.db")
    assert run(capsys, "--db", db, "init")[0] == 0
    path = tmp_path / "目录.xlsx"
    _catalogue(path)
    code, out, err = run(capsys, "--db", db, "items", "import", str(path), "--check")
    assert code == 2 and "第4行" in err and "没有导入" in err
    wb_rows = Workbook()
    ws = wb_rows.active
    ws.append(["索引号", "标题", "成文日期", "发布日期", "公开方式"])
    ws.append(["A-1", "按时公开的通知", "2025-03-03", "2025-03-20", "政府网站"])
    ws.append(["A-2", "迟了的通知", "2025-03-03", "2025-04-03", "政府网站"])
    wb_rows.save(path)
    code, out, err = run(capsys, "--db", db, "items", "import", str(path), "--check")
    assert code == 0 and "新增2条" in out
    with open_register(db) as reg:
        assert items.count(reg) == 0
    assert run(capsys, "--db", db, "items", "import", str(path))[0] == 0
    code, out, _ = run(capsys, "--db", db, "items", "list", "--late")
    assert code == 0
    late_lines = [line for line in out.splitlines() if "迟了的通知" in line]
    assert len(late_lines) == 1 and "2025-03-31" in late_lines[0] and "逾期公开3个工作日" in late_lines[0]
    assert "按时公开的通知" not in out
    code, out, _ = run(capsys, "--db", db, "items", "list", "--year", "2025")
    assert "按时公开的通知" in out and "共 2 条" in out
    code, out, _ = run(capsys, "--db", db, "items", "list", "--due")
    assert "没有符合条件的事项" in out
    export = tmp_path / "out.csv"
    code, out, _ = run(capsys, "--db", db, "items", "export", str(export))
    assert code == 0 and "已导出 2 条" in out
    assert "迟了的通知" in export.read_text(encoding="utf-8-sig")


def test_items_list_due_shows_an_overdue_item(capsys, tmp_path):
    db = str(tmp_path / "r.db")
    run(capsys, "--db", db, "init")
    with open_register(db) as reg:
        items.add(reg, {"title": "还没公开的公告", "formed_on": (dt.date.today() - dt.timedelta(days=60)).isoformat()})
    code, out, _ = run(capsys, "--db", db, "items", "list", "--due")
    assert code == 0 and "还没公开的公告" in out and "已逾期" in out
