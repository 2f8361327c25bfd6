"""The 打印文书 dialog: a step's notice without its step is refused with a
Chinese message (and nothing recorded); with what the step needs it is
recorded with the notice; a reply offers the answers of its report row;
issuing a kind again asks first."""

from __future__ import annotations

import datetime as _dt

import pytest

pytest.importorskip("pypdfium2")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from desktop_app.services import applications, deadlines, notices  # noqa: E402
from desktop_app.services import settings as settings_service  # noqa: E402
from desktop_app.ui import documents_actions as da  # noqa: E402
from desktop_app.ui.context import AppContext  # noqa: E402
from desktop_app.ui.features import FEATURES  # noqa: E402


@pytest.fixture
def context(qtbot, register):
    settings_service.update_settings(register, {"agency_name": "某某局", "doc_number_prefix": "某公开"})
    settings_service.set_agency_profile(register, "department", own_government="长沙市望城区人民政府")
    return AppContext(register, FEATURES)


@pytest.fixture
def previews(monkeypatch):
    calls = []

    def fake(context, parent, pdf, *, title, file_name, commit=None, note=""):
        calls.append(commit() if commit else pdf)

        class D:
            committed = True
        return D()

    monkeypatch.setattr(da, "show_preview", fake)
    return calls


def _dialog(qtbot, context, app_id, kind, day):
    dlg = da.NoticeDialog(context, app_id, kind=kind)
    qtbot.addWidget(dlg)
    dlg.date_edit.setDate(da._qdate(day))
    return dlg


def test_gui_extension_notice_without_its_step_is_refused(qtbot, context, person_record, previews):
    app_id = applications.register_application(context.session, person_record).app_id
    dlg = _dialog(qtbot, context, app_id, "extension", _dt.date(2026, 3, 20))
    dlg.fields["extension.延期理由"].setText("涉及多个部门")
    dlg.preview()
    assert not previews and "批准延期的负责人" in dlg.error.text()
    assert deadlines.state_of(context.session, app_id).extension is None
    dlg.fields["extension.批准人"].setText("王主任")
    dlg.preview()
    assert len(previews) == 1
    assert deadlines.state_of(context.session, app_id).extension["approver"] == "王主任"


def test_gui_reply_offers_the_answers_of_its_row_and_their_facts(qtbot, context, person_record, previews):
    rec = dict(person_record, outcome="unavailable", outcome_reason=1, reply_date="2026-03-20")
    app_id = applications.register_application(context.session, rec).app_id
    dlg = _dialog(qtbot, context, app_id, "reply", _dt.date(2026, 3, 20))
    codes = [dlg.ground_combo.itemData(i) for i in range(dlg.ground_combo.count())]
    assert codes == ["not_exist", "not_ours"]
    dlg.ground_combo.setCurrentIndex(1)
    assert "第三十六条第（五）项" in dlg.ground_citation.text()
    dlg.fields["reply.负责公开的机关"].setText("长沙市望城区自然资源局")
    dlg.preview()
    (pdf,) = previews
    doc = notices.list_issued(context.session, app_id)[0]
    assert doc.snapshot["outcome"]["ground"] == "not_ours"


def test_gui_issuing_a_kind_again_asks_first(qtbot, context, person_record, previews, monkeypatch):
    app_id = applications.register_application(context.session, person_record).app_id
    dlg = _dialog(qtbot, context, app_id, "receipt", _dt.date(2026, 3, 5))
    dlg.preview()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    dlg.preview()
    assert asked and "新的文号" in asked[0] and len(notices.list_issued(context.session, app_id)) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    dlg.preview()
    assert len(notices.list_issued(context.session, app_id)) == 2


def test_detail_pane_shows_the_third_partys_period_from_delivery(context, person_record):
    from desktop_app.services import steps
    from desktop_app.ui.deadline_section import _fact_rows

    session = context.session
    app_id = applications.register_application(session, dict(person_record, receipt_date="2026-09-21")).app_id
    steps.record_step(session, app_id, "third_party_sent", "2026-09-24", {"third_party": "某公司"})
    st = deadlines.state_of(session, app_id)
    rows = dict(_fact_rows(st, deadlines.view_of(session, app_id, _dt.date(2026, 9, 28)), _dt.date(2026, 9, 28)))
    assert "送达后请记录送达日期" in rows["第三方"]
    steps.record_step(session, app_id, "third_party_delivered", "2026-09-29", {"third_party": "某公司"})
    st = deadlines.state_of(session, app_id)
    rows = dict(_fact_rows(st, deadlines.view_of(session, app_id, _dt.date(2026, 9, 30)), _dt.date(2026, 9, 30)))
    assert "2026-09-29送达，意见期限2026-10-26" in rows["第三方"]


def test_gui_third_party_letter_asks_the_type_defaulting_to_the_recorded_one(qtbot, context, person_record,
                                                                              previews):
    from desktop_app.services import steps

    app_id = applications.register_application(context.session, person_record).app_id
    dlg = _dialog(qtbot, context, app_id, "third_party", _dt.date(2026, 3, 6))
    party = dlg.fields["third_party.第三方类型"]
    assert [party.itemData(i) for i in range(party.count())] == ["organisation", "natural_person"]
    assert party.currentData() == "organisation" and "你单位" in party.currentText()  # the default stays
    steps.record_step(context.session, app_id, "third_party_sent", "2026-03-06",
                      {"third_party": "王某某", "party_type": "natural_person"})
    dlg = _dialog(qtbot, context, app_id, "third_party", _dt.date(2026, 3, 6))
    assert dlg.fields["third_party.第三方类型"].currentData() == "natural_person"
    dlg.preview()
    (doc,) = notices.list_issued(context.session, app_id)
    assert doc.snapshot["paragraphs"] and not any("你单位" in p for p in doc.snapshot["paragraphs"])
    assert any("涉及您的" in p for p in doc.snapshot["paragraphs"])


def test_step_dialog_asks_the_third_partys_type_explicitly(qtbot, context, person_record):
    from desktop_app.ui.party_type import party_type_combo

    combo = party_type_combo()
    qtbot.addWidget(combo)
    assert combo.currentData() == "organisation" and "你单位" in combo.itemText(0) and "您" in combo.itemText(1)
    assert party_type_combo("natural_person").currentData() == "natural_person"
