"""The documents GUI: notice dialog, print preview (export and print of
the exact PDF), batch print off the GUI thread, settings tab, detail
section."""

from __future__ import annotations

import datetime as _dt
import io
import re

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from desktop_app.documents import templates as tpl
from desktop_app.services import applications, notices
from desktop_app.services import settings as settings_service
from desktop_app.ui import documents_actions as da
from desktop_app.ui.context import AppContext
from desktop_app.ui.documents_settings import DocumentSettingsTab
from desktop_app.ui.features import FEATURES
from desktop_app.ui.print_preview import PdfPreviewDialog

#: Notices are dated today unless told otherwise; numbers run per year of issue.
YEAR = _dt.date.today().year

AGENCY = {"agency_name": "望城区人民政府办公室", "doc_number_prefix": "望政公开",
          "agency_address": "湖南省长沙市望城区雷锋大道1号", "agency_postcode": "410200"}


def text_of(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def context(qtbot, register, db_path):
    settings_service.update_settings(register, AGENCY)
    return AppContext(register, FEATURES)


@pytest.fixture
def app_id(context, person_record):
    return applications.register_application(context.session, person_record).app_id


class Captured:
    def __init__(self):
        self.calls = []


@pytest.fixture
def previews(monkeypatch):
    """Replace the modal preview by a recorder that 'exports' at once."""
    cap = Captured()

    def fake(context, parent, pdf, *, title, file_name, commit=None, note=""):
        final = commit() if commit else pdf
        cap.calls.append({"pdf": pdf, "final": final, "title": title, "note": note, "file_name": file_name})

        class D:
            committed = True
        return D()

    monkeypatch.setattr(da, "show_preview", fake)
    return cap


def test_notice_dialog_previews_a_draft_and_issues_on_print(qtbot, context, app_id, previews):
    dlg = da.NoticeDialog(context, app_id)
    qtbot.addWidget(dlg)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("receipt"))
    dlg.envelope_check.setChecked(False)
    dlg.preview()
    (call,) = previews.calls
    assert f"望政公开〔{YEAR}〕第1号" in call["note"]
    assert call["final"] == call["pdf"]  # what was previewed is what is printed
    assert f"望政公开〔{YEAR}〕第1号" in text_of(call["final"])
    events = [e for e in applications.events(context.session, app_id) if e.kind == notices.EVENT_KIND]
    assert [e.doc_number for e in events] == [f"望政公开〔{YEAR}〕第1号"]
    assert dlg.issued_table.rowCount() == 1


def test_notice_dialog_reports_missing_input(qtbot, context, app_id, previews):
    dlg = da.NoticeDialog(context, app_id)
    qtbot.addWidget(dlg)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("correction"))
    dlg.preview()
    assert not previews.calls
    assert "补正" in dlg.error.text()
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("reply"))
    assert not dlg.preview_button.isEnabled()  # no outcome yet


def test_notice_dialog_fee_shows_amount(qtbot, context, app_id):
    dlg = da.NoticeDialog(context, app_id)
    qtbot.addWidget(dlg)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("fee"))
    dlg.fee_method.setCurrentIndex(dlg.fee_method.findData("per_page"))
    dlg.fee_pages.setValue(120)
    assert "合计1100元" in dlg.fee_label.text()


def test_preview_exports_and_prints_the_same_pdf(qtbot, context, app_id, tmp_path):
    from desktop_app.services import notices, printing

    draft = notices.prepare(context.session, app_id, "receipt")
    pdf = printing.notice_pdf(draft.snapshot, with_envelope=True)
    calls = []

    def commit():
        calls.append(1)
        return printing.notice_pdf(notices.issue(context.session, draft).snapshot, with_envelope=True)

    dlg = PdfPreviewDialog(pdf, title="回执", file_name=str(tmp_path / "x.pdf"), commit=commit)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.page_widgets[0].pixmap() is not None and not dlg.page_widgets[0].pixmap().isNull())
    assert len(dlg.page_widgets) == 2
    out = dlg.export_pdf(str(tmp_path / "导出.pdf"))
    assert out.read_bytes() == pdf and calls == [1]
    dlg.export_pdf(str(tmp_path / "again.pdf"))
    assert calls == [1]  # committed once
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_to(printer)
    printed = pypdf.PdfReader(str(tmp_path / "printed.pdf"))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in printed.pages]
    assert sizes == [(595, 842), (624, 312)]  # A4 notice then the DL envelope


def test_blank_form_action(qtbot, context, previews):
    da.blank_form_action(context, None)
    (call,) = previews.calls
    assert "法人或者其他组织" in text_of(call["pdf"])


def test_batch_dialog_runs_off_the_gui_thread(qtbot, context, person_record, previews):
    ids = [applications.register_application(context.session, dict(person_record, applicant_name=f"申请人{i}")).app_id
           for i in range(3)]
    dlg = da.BatchDialog(context)
    qtbot.addWidget(dlg)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("receipt"))
    dlg._check_all(True)
    assert sorted(dlg.checked_ids()) == sorted(ids)
    dlg.start()
    qtbot.waitUntil(lambda: bool(previews.calls), timeout=20000)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=20000)
    data = previews.calls[0]["pdf"]
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 6  # 3 notices + 3 envelopes
    assert len(notices.list_issued(context.session)) == 3


def test_batch_dialog_shows_what_blocks_the_batch(qtbot, context, person_record, previews):
    applications.register_application(context.session, person_record).app_id
    dlg = da.BatchDialog(context)
    qtbot.addWidget(dlg)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("correction"))
    dlg._check_all(True)
    dlg.start()
    qtbot.waitUntil(lambda: dlg.error.text() != "", timeout=20000)
    qtbot.waitUntil(lambda: dlg.worker is None, timeout=20000)
    assert "2026-0001" in dlg.error.text() and "未出具任何文书" in dlg.error.text()
    assert not previews.calls


def test_settings_tab_refuses_unknown_placeholder(qtbot, context):
    tab = DocumentSettingsTab(context)
    qtbot.addWidget(tab)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("fee"))
    tab.editor.setPlainText(tpl.default_text("fee") + "\n请于{缴费日期}前缴费。")
    message = tab.validate()
    assert message and "{缴费日期}" in message
    assert "{缴费日期}" in tab.template_error.text()
    tab.editor.setPlainText(tpl.default_text("fee") + "\n联系人：{经办人}。")
    tab.agency_kind.setCurrentIndex(tab.agency_kind.findData("vertical"))
    assert "上一级主管部门" in tab.validate()  # a tax bureau must name its next-higher department
    tab.higher_department.setText("国家税务总局长沙市税务局")
    tab.pattern.setText("{前缀}〔{年}〕{号:3}号")
    assert tab.validate() is None
    tab.save()
    assert "联系人：{经办人}。" in notices.template_text(context.session, "fee")
    s = settings_service.get_settings(context.session)
    assert s["agency_kind"] == "vertical" and s["higher_department"] == "国家税务总局长沙市税务局"
    assert s["doc_number_pattern"] == "{前缀}〔{年}〕{号:3}号"
    assert "望政公开〔" in tab.pattern_preview.text()


def test_settings_tab_refuses_bad_pattern_and_font(qtbot, context, tmp_path):
    tab = DocumentSettingsTab(context)
    qtbot.addWidget(tab)
    tab.pattern.setText("{前缀}第{号}号")
    assert "{年}" in tab.validate()
    tab.pattern.setText("{前缀}〔{年}〕第{号}号")
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    tab.font_section.pickers["body"].set_value(str(bad))
    assert "bad.ttf" in tab.validate()


def test_detail_section_shows_fee_and_documents(qtbot, context, app_id, previews):
    section = da.DocumentsSection(context)
    qtbot.addWidget(section)
    section.set_application(app_id)
    assert "第1件" in section.fee_label.text() and "不收取" in section.fee_label.text()
    assert "无" in section.docs_label.text()
    dlg = da.NoticeDialog(context, app_id)
    qtbot.addWidget(dlg)
    dlg.preview()  # receipt by default
    context.notify_changed()
    assert f"望政公开〔{YEAR}〕第1号" in section.docs_label.text()


def test_printer_pages_are_standard_paper_sizes():
    from PySide6.QtGui import QPageLayout, QPageSize

    from desktop_app.ui.print_preview import page_layout

    a4 = page_layout(595.2756, 841.8898)
    assert a4.pageSize().id() == QPageSize.A4 and a4.orientation() == QPageLayout.Portrait
    dl = page_layout(623.622, 311.811)
    assert dl.pageSize().id() == QPageSize.DLE and dl.orientation() == QPageLayout.Landscape


def test_number_taken_meanwhile_is_shown_before_printing(qtbot, context, app_id, tmp_path, monkeypatch):
    from desktop_app.services import notices, printing
    from desktop_app.ui import print_preview

    shown = []
    monkeypatch.setattr(print_preview.QMessageBox, "information", lambda *a: shown.append(a[2]))
    draft = notices.prepare(context.session, app_id, "receipt")
    pdf = printing.notice_pdf(draft.snapshot)
    # Another clerk issues a document between preview and print.
    notices.issue(context.session, notices.prepare(context.session, app_id, "receipt"))

    dlg = PdfPreviewDialog(pdf, title="回执", file_name="x.pdf",
                           commit=lambda: printing.notice_pdf(notices.issue(context.session, draft).snapshot))
    qtbot.addWidget(dlg)
    assert dlg.export_pdf(str(tmp_path / "a.pdf")) is None  # stopped: the preview was out of date
    assert shown and "文号已被其他用户使用" in shown[0]
    assert f"望政公开〔{YEAR}〕第2号" in text_of(dlg.pdf_bytes)
    out = dlg.export_pdf(str(tmp_path / "a.pdf"))
    assert f"望政公开〔{YEAR}〕第2号" in text_of(out.read_bytes())
