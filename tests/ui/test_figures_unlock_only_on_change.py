"""Saving section 二 figures of a published, locked year asks to unlock it
only when a figure would change: the monthly figures dialog and the report
page's section 二 form save unchanged figures without a question and
without writing anything (pytest-qt, offscreen)."""

import pytest
from PySide6.QtWidgets import QInputDialog, QTableWidgetItem

from desktop_app.services import items, report, year_lock
from desktop_app.ui.context import AppContext
from desktop_app.ui.features import FEATURES


@pytest.fixture
def locked(register):
    items.save_figure(register, 2025, 1, "licensing_decisions", 30, "区政务服务平台")
    items.save_figure(register, 2025, None, "penalty_decisions", 12, "区执法办案平台")
    report.publish(register, 2025)
    assert year_lock.is_locked(register, 2025)
    return register


@pytest.fixture
def asked(monkeypatch):
    """Every unlock question asked; the clerk answers with a reason."""
    questions: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        questions.append(label)
        return "复核后更正", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return questions


def audit_count(reg):
    return reg.store.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def test_figures_dialog_saves_unchanged_figures_of_a_locked_year_without_asking(qtbot, locked, asked):
    from desktop_app.ui.figures_dialog import FiguresDialog

    before = (items.figures(locked, 2025), audit_count(locked))
    dialog = FiguresDialog(AppContext(locked, FEATURES), 2025)
    qtbot.addWidget(dialog)
    assert dialog.save() is True
    assert asked == []
    assert (items.figures(locked, 2025), audit_count(locked)) == before  # nothing written, nothing audited
    assert year_lock.is_locked(locked, 2025)


def test_figures_dialog_asks_to_unlock_when_a_figure_would_change(qtbot, locked, asked):
    from desktop_app.ui.figures_dialog import FIELDS, FiguresDialog

    dialog = FiguresDialog(AppContext(locked, FEATURES), 2025)
    qtbot.addWidget(dialog)
    dialog.table.setItem(1, FIELDS.index("licensing_decisions"), QTableWidgetItem("7"))
    assert dialog.save() is True
    assert len(asked) == 1 and "2025年" in asked[0]
    assert items.section2(locked, 2025).values["licensing_decisions"] == 37
    assert locked.store.audit.history("report_year", 2025)[-1].new_values == {"reason": "复核后更正"}


def test_report_page_section2_unchanged_save_asks_nothing_and_a_change_asks(qtbot, locked, asked):
    from desktop_app.ui.report_page import ReportPage

    page = ReportPage(AppContext(locked, FEATURES))
    page.year.setValue(2025)
    qtbot.addWidget(page)
    before = audit_count(locked)
    assert page.save_section2() is True
    assert asked == [] and audit_count(locked) == before
    page.s2_edits["penalty_decisions"].setText("13")
    assert page.save_section2() is True
    assert len(asked) == 1
    assert report.get_section2(locked, 2025)["penalty_decisions"] == 13


def test_service_saves_an_unchanged_figure_of_a_locked_year_as_a_no_op(locked):
    before = audit_count(locked)
    items.save_figure(locked, 2025, 1, "licensing_decisions", "30", "区政务服务平台")
    report.save_section2(locked, 2025, {"penalty_decisions": "12"}, source="区执法办案平台")
    assert audit_count(locked) == before
    assert items.figure_changes(locked, 2025, [(1, "licensing_decisions", "30"), (2, "licensing_decisions", None),
                                               (None, "penalty_decisions", "12")]) == []
    assert items.figure_changes(locked, 2025, [(1, "licensing_decisions", ""), (2, "licensing_decisions", 4),
                                               (None, "penalty_decisions", "十二")]) == [
        (1, "licensing_decisions"), (2, "licensing_decisions")]
    with pytest.raises(year_lock.YearLockedError):
        items.save_figure(locked, 2025, 1, "licensing_decisions", 31, "区政务服务平台")
