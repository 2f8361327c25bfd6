"""计入年度报告: the detail-pane section that says where the selected
application is counted in each year's annual report (section 三), which
of those reports are published, and its reconsideration or litigation
cases — so a clerk sees before changing a record which published figures
the change would touch."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..domain import report_stats as rs
from ..services import cases, report
from ..services.errors import NotFoundError


class ReportPlacementSection(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.app_id: int | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        context.data_changed.connect(self.refresh)

    def set_application(self, app_id: int | None) -> None:
        self.app_id = app_id
        self.refresh()

    def refresh(self) -> None:
        if self.app_id is None:
            self.label.setText("")
            return
        try:
            places = report.placements(self.context.session, self.app_id)
            linked = cases.cases_of_application(self.context.session, self.app_id)
        except NotFoundError:
            self.label.setText("")
            return
        lines = []
        for p in places:
            mark = "（<span style='color:#b3261e'>已发布</span>）" if p.published else ""
            lines.append(f"<b>{p.year}年</b>{mark}：{html.escape(p.text)}")
        if not lines:
            lines.append("不计入任何年度报告（可能已移入回收站）。")
        if any(p.published for p in places):
            lines.append("<span style='color:#8a5a00'>修改此申请的日期、结果或申请人类别会改变已发布报告中的数字，"
                         "差异将列在“年度报告”页面。</span>")
        for c in linked:
            lines.append(f"复议诉讼：{html.escape(rs.CASE_KINDS.get(c.kind, c.kind))} "
                         f"{html.escape(c.case_number or '')}（{rs.CASE_RESULTS.get(c.result, c.result)}）")
        self.label.setText("<br>".join(lines))
