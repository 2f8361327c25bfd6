"""Screenshots of the official typefaces: a notice and a page of
the annual report as the app set them before (WenQuanYi Zen Hei for
everything) beside the same documents with the converted Noto Serif CJK SC
(body, 仿宋 stand-in) and its Bold (title, 小标宋 stand-in); and the font
section of 设置 → 文书.

    python3 scripts/screenshots_fonts.py

Needs fonts-wqy-zenhei, fonts-noto-cjk, poppler-utils, and Noto Serif CJK
SC already converted in the data folder (``disclosure-desk fonts
--convert``).  Writes docs/screenshots/fonts-notice-before-after.png,
fonts-report-before-after.png and settings-fonts.png.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.mkdtemp(prefix="shots-fonts-"))
(TMP / "screen.json").write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1920,
                                                          "height": 1080, "logicalDpi": 96}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={TMP / 'screen.json'}"
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont

from desktop_app.documents import fonts, render
from desktop_app.documents.report_pdf import write_report_pdf
from desktop_app.services import applications, notices, report
from desktop_app.services.demo import fill_demo
from desktop_app.services.session import create_register
from desktop_app.services.settings import update_settings

OUT = ROOT / "docs" / "screenshots"
WQY = next((f for f in fonts.installed_faces() if f.kind() == "open_hei"), None)
if WQY is None:
    raise SystemExit("fonts-wqy-zenhei is needed for the 'before' side")
after = fonts.resolve_fonts({})


class Before:
    """What the app used on Linux before: WenQuanYi Zen Hei for every part
    (body, title, headings, page numbers)."""

    def __enter__(self):
        self.saved = fonts.installed_faces, fonts.conversion_tasks
        fonts.installed_faces = lambda: [WQY]
        fonts.conversion_tasks = lambda faces=None: {}
        fonts.clear_cache()
        return fonts.resolve_fonts({})

    def __exit__(self, *exc):
        fonts.installed_faces, fonts.conversion_tasks = self.saved
        fonts.clear_cache()


if not after.body_face.path or not after.body_face.path.endswith("NotoSerifCJKsc-Regular.ttf"):
    raise SystemExit("convert Noto Serif CJK SC first: disclosure-desk fonts --convert")
print("after:", after.describe())

reg = create_register(TMP / "r.db")
fill_demo(reg, count=60, today=dt.date(2026, 11, 25))
update_settings(reg, {"agency_name": "长沙市望城区人民政府办公室", "doc_number_prefix": "望政公开",
                      "agency_address": "湖南省长沙市望城区雷锋大道1号", "agency_postcode": "410200"})
app_id = min(a.id for a in applications.all_applications(reg)
             if a.applicant_type == "natural_person" and a.reply_date and a.outcome)
draft = notices.prepare(reg, app_id, "reply")


def page_png(pdf: Path, stem: str, page: int = 1, dpi: int = 70) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf),
                    str(TMP / stem)], check=True)
    return next(TMP.glob(f"{stem}*.png"))


def side_by_side(left: Path, right: Path, target: Path, captions: tuple[str, str]) -> None:
    a, b = Image.open(left).convert("RGB"), Image.open(right).convert("RGB")
    pad, head = 24, 56
    w, h = a.width + b.width + 3 * pad, max(a.height, b.height) + head + pad
    img = Image.new("RGB", (w, h), (236, 238, 242))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(after.heading_face.path, 22, index=after.heading_face.subfont)
    for i, (page, caption) in enumerate(((a, captions[0]), (b, captions[1]))):
        x = pad + i * (a.width + pad)
        draw.text((x, 16), caption, fill=(40, 40, 40), font=font)
        img.paste(page, (x, head))
        draw.rectangle([x - 1, head - 1, x + page.width, head + page.height], outline=(160, 160, 170))
    img.save(target)
    print("wrote", target)


# --- a notice ---------------------------------------------------------------------------
with Before() as before_set:
    (TMP / "notice-before.pdf").write_bytes(render.render_notice(draft.snapshot, fonts=before_set))
(TMP / "notice-after.pdf").write_bytes(render.render_notice(draft.snapshot, fonts=after))
side_by_side(page_png(TMP / "notice-before.pdf", "nb"), page_png(TMP / "notice-after.pdf", "na"),
             OUT / "fonts-notice-before-after.png",
             ("以前：文泉驿正黑（全文同一黑体）", "现在：思源宋体粗体标题，思源宋体正文"))

# --- the annual report: page 1 (title, body) and page 2 (黑体 and 楷体 headings) -------------
document = report.build_document(reg, 2026)
with Before():
    write_report_pdf(document, TMP / "report-before.pdf", {})
write_report_pdf(document, TMP / "report-after.pdf", {})
side_by_side(page_png(TMP / "report-before.pdf", "rb"), page_png(TMP / "report-after.pdf", "ra"),
             OUT / "fonts-report-before-after.png",
             ("以前：文泉驿正黑", "现在：思源宋体粗体标题，思源宋体正文"))
side_by_side(page_png(TMP / "report-before.pdf", "r2b", page=2), page_png(TMP / "report-after.pdf", "r2a", page=2),
             OUT / "fonts-report-page2-before-after.png",
             ("以前：文泉驿正黑", "现在：黑体一级标题，楷体“（一）”，宋体正文"))

# --- 设置 → 文书, the font section ----------------------------------------------------------
from PySide6.QtWidgets import QApplication

from desktop_app.ui.app import ensure_application
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES
from desktop_app.ui.documents_settings import DocumentSettingsTab

app = ensure_application()
tab = DocumentSettingsTab(AppContext(reg, FEATURES))
tab.resize(1180, 760)
tab.show()
for _ in range(5):
    app.processEvents()
tab.font_section.grab().save(str(OUT / "settings-fonts.png"))
tab.grab().save(str(TMP / "settings-documents-tab.png"))
print("wrote", OUT / "settings-fonts.png", "and", TMP / "settings-documents-tab.png")
QApplication.instance().processEvents()

# --- the same section while the conversion runs (a real worker, into a scratch data folder) -----
import time

from desktop_app.documents import font_convert

scratch = TMP / "data"
fonts.converted_dir = lambda: scratch / "DisclosureDesk" / "fonts"
fonts.clear_cache()
job = font_convert.BACKGROUND
job.start(env={**os.environ, "XDG_DATA_HOME": str(scratch)})
tab2 = DocumentSettingsTab(AppContext(reg, FEATURES))
tab2.resize(1180, 760)
tab2.show()
deadline = time.monotonic() + 120
while time.monotonic() < deadline and not (job.running and job.percent >= 20):
    app.processEvents()
    time.sleep(0.2)
for _ in range(10):
    app.processEvents()
    time.sleep(0.1)
tab2.font_section.progress.refresh()
tab2.font_section.grab().save(str(OUT / "settings-fonts-converting.png"))
print("wrote", OUT / "settings-fonts-converting.png", f"at {job.percent}%")
job.cancel()
job.wait(30)
