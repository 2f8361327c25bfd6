"""Screenshots of the ledger import: the mapping step, the
warning list before confirming, the result, and the register filtered to
the 待核实 applications.  Run: ``python3 scripts/screenshots_ledger.py``;
writes docs/screenshots/ledger-import-*.png and register-needs-review.png."""

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.mkdtemp(prefix="shots-"))
(TMP / "screen.json").write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1920,
                                                          "height": 1080, "logicalDpi": 96}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={TMP / 'screen.json'}"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
import openpyxl
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QCoreApplication
app = QApplication.instance() or QApplication([])
QCoreApplication.setOrganizationName("shots"); QCoreApplication.setApplicationName("shots")
from PySide6.QtGui import QFont
app.setFont(QFont("WenQuanYi Zen Hei", 10))
from desktop_app.services import settings as settings_service
from desktop_app.services.session import create_register
from desktop_app.services.ledger import check_ledger, import_ledger, ImportOptions, LedgerMappingNeeded
from desktop_app.ui import ledger_actions
from ledger_samples import write_xlsx, NUMBERINGS
out = ROOT / "docs" / "screenshots"
work = TMP / "work"
work.mkdir()
reg = create_register(work / "r.db")
settings_service.update_settings(reg, {"agency_name": "望城区人民政府办公室"})
TODAY = dt.date(2026, 11, 25)
# 1. the mapping step: a ledger whose receipt-date header is not recognised
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "2025年"
ws.append(["望城区人民政府办公室2025年依申请公开登记台账"]); ws.merge_cells("A1:I1")
ws.append(["序号", "受理编号", "来文时间", "申请人姓名", "身份证号", "联系电话", "申请公开内容", "答复时间", "答复结果"])
ws.append([1, "望政依申〔2025〕1号", "2025.3.5", "张伟", "11010519491231002X", "13812345678", "某地块征地补偿方案", "2025-3-20", "同意公开"])
ws.append([2, "望政依申〔2025〕2号", "2025年3月6日上午", "王芳", "110105198001010021", "0731-8800123", "2024年财政预算执行情况", "2025-4-1", "信息不存在"])
ws.append([3, "望政依申〔2025〕3号", "45730", "长沙某某科技有限公司", "", "1381234567", "某项目环评批复", "", ""])
ws.append(["合计", None, "3件"])
p = work / "望城区2025年依申请台账.xlsx"; wb.save(p)
try:
    check_ledger(reg, p, today=TODAY)
except LedgerMappingNeeded as exc:
    preview = exc.preview
d = ledger_actions.ImportSetupDialog(p.name, preview, ImportOptions())
d.show(); app.processEvents()
d.grab().save(str(out / "ledger-import-mapping.png"))
# choose the mapping as the clerk would
for header, combo, _auto in d.combos:
    if header == "来文时间":
        combo.setCurrentIndex(combo.findData("收到日期"))
app.processEvents()
opts = ImportOptions(mapping=d.mapping())
# 2. the warning list before confirming (a two-sheet ledger too)
p2 = write_xlsx(work / "望城区依申请公开台账2024-2025.xlsx", NUMBERINGS["望政依申〔2025〕N号"])
summary = check_ledger(reg, p2, today=TODAY)
c = ledger_actions.ImportConfirmDialog(p2.name, summary)
c.lists.setCurrentWidget(c.lists.edits["review"])
c.show(); app.processEvents()
c.grab().save(str(out / "ledger-import-warnings.png"))
done = import_ledger(reg, p2, today=TODAY)
import_ledger(reg, p, today=TODAY, options=opts)
r = ledger_actions.ImportResultDialog(p2.name, summary=done)
r.show(); app.processEvents()
r.grab().save(str(out / "ledger-import-result.png"))
# 3. the register filtered to 待核实
from desktop_app.ui.app import create_main_window
w = create_main_window(reg, start_page="register")
w.resize(1366, 768); w.show(); app.processEvents()
page = w.register_page()
for _ in range(20): app.processEvents()
page.show_needs_review(); app.processEvents()
flagged = page.model.app_id(0)
page.select_application(page.model.app_id(1))
for _ in range(10): app.processEvents()
w.grab().save(str(out / "register-needs-review.png"))
print(page.count_label.text(), page.review_check.text())
from desktop_app.ui.ledger_actions import ReviewSection
sec = page.detail.findChildren(ReviewSection)[0]
page.detail.ensureWidgetVisible(sec, 0, 0)
for _ in range(10): app.processEvents()
w.grab().save(str(out / "register-needs-review.png"))
shutil.rmtree(TMP, ignore_errors=True)
