"""The pre-export check of an annual report: everything that would make it
wrong (errors) or odd (warnings), in Chinese, each with the applications
concerned so the clerk can open them."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from . import report_model as rm
from . import report_stats as rs
from .report_narrative import PLACEHOLDER_OPEN

ERROR = "error"
WARNING = "warning"
LEVEL_LABELS = {ERROR: "错误", WARNING: "提示"}


@dataclass
class Issue:
    level: str
    code: str
    message: str
    app_ids: list[int] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def check_report(*, document: dict[str, Any], section3: rs.Section3 | None = None,
                 previous_carry_forward: dict[str, int] | None = None,
                 previous_source: str = "",
                 previous_section2: dict[str, Any] | None = None, section2: dict[str, Any] | None = None,
                 differences: list[dict[str, Any]] | None = None,
                 needs_review: list[tuple[int, str]] | None = None,
                 today: _dt.date | None = None) -> list[Issue]:
    """Issues of one year's report.

    ``previous_carry_forward`` maps column labels to last year's
    四、结转下年度继续办理 as reported (``previous_source`` says where it
    came from, e.g. “已发布的2024年报告”).  ``needs_review``: ``(app_id,
    serial)`` of the year's applications still flagged 待核实 since a
    ledger import."""
    today = today or _dt.date.today()
    year = document["year"]
    issues: list[Issue] = []

    if not (document.get("agency") or "").strip():
        issues.append(Issue(ERROR, "no_agency",
                            "未设置机关名称，报告标题将不完整。请在“设置 → 机关信息”中填写机关名称。"))

    if section3 is not None:
        for code, ids in section3.flags.items():
            level = WARNING if code == "reply_before_receipt" else ERROR
            issues.append(Issue(level, code,
                                f"{len(ids)}件申请{rs.FLAG_LABELS[code]}。请打开这些申请补全或更正。",
                                sorted(ids)))

    bad = rm.identity_errors(document)
    if bad:
        issues.append(Issue(ERROR, "identity",
                            f"第三部分表格不平衡（第一项加第二项之和不等于第三项加第四项之和）：{'、'.join(bad)}列。"))

    if previous_carry_forward is not None:
        _check_carry_forward(document, previous_carry_forward, previous_source, issues)
    _check_narratives(document, issues)
    if section2 is not None:
        _check_section2(section2, previous_section2, issues)

    if today <= _dt.date(year, 12, 31):
        issues.append(Issue(WARNING, "year_not_over",
                            f"{year}年尚未结束，报告中的数字会随台账变化，年末后请重新核对。"))

    if needs_review:
        serials = "、".join(serial for _id, serial in needs_review[:10])
        more = f"等{len(needs_review)}件" if len(needs_review) > 10 else ""
        issues.append(Issue(WARNING, "needs_review",
                            f"{len(needs_review)}件导入的申请仍待核实（{serials}{more}）：证件号码、申请方式、"
                            "办理结果等内容可能有误，会影响报告中的数字。请打开这些申请核对更正，"
                            "或在核对无误后点“已核实”。", [app_id for app_id, _s in needs_review]))

    if differences:
        issues.append(Issue(WARNING, "published_changed",
                            f"本年度报告已发布，但有{len(differences)}个数字与已发布的数字不同"
                            "（见“与已发布数字的差异”）。"))
    return issues


def _check_carry_forward(document: dict[str, Any], previous_carry_forward: dict[str, int], previous_source: str,
                         issues: list[Issue]) -> None:
    """Last year's 结转下年度继续办理 against this year's 上年结转."""
    year = document["year"]
    carried = next(r for r in document["section3"] if r["label"] == rm.SECTION3_LABELS[1])["values"]
    diff = [f"{c}（上年结转下年度{previous_carry_forward.get(c)}，本年上年结转{carried[c]}）"
            for c in rm.SECTION3_VALUE_KEYS if previous_carry_forward.get(c) != carried[c]]
    if diff:
        issues.append(Issue(WARNING, "carry_mismatch",
                            f"{previous_source or str(year - 1) + '年报告'}的“结转下年度继续办理”"
                            f"与本年“上年结转”不一致：{'；'.join(diff)}。"
                            "请核对上年报告的数字或台账中跨年申请的日期和结果。"))


def _check_narratives(document: dict[str, Any], issues: list[Issue]) -> None:
    """Each narrative text written, without placeholders left in it."""
    for key, title in rm.NARRATIVE_KEYS.items():
        text = (document.get(key) or "").strip()
        if not text:
            issues.append(Issue(ERROR if key != "preamble" else WARNING, f"empty_{key}",
                                f"“{title}”尚未填写。可点击“生成草稿”后修改。"))
        elif PLACEHOLDER_OPEN in text:
            issues.append(Issue(WARNING, f"placeholder_{key}",
                                f"“{title}”中还有{text.count(PLACEHOLDER_OPEN)}处“【请补充…】”未填写。"))


def _check_section2(section2: dict[str, Any], previous_section2: dict[str, Any] | None, issues: list[Issue]) -> None:
    """Section 二 filled in, and the documents in force adding up."""
    missing = [f"{label}·{column}" for code, (label, column) in rs.SECTION2_FIELDS.items()
               if section2.get(code) is None]
    if missing:
        issues.append(Issue(WARNING, "section2_missing",
                            f"第二部分有{len(missing)}项未填写（{'、'.join(missing[:4])}"
                            f"{'等' if len(missing) > 4 else ''}），导出时显示为空白；没有的请填0。"))
    if previous_section2:
        for kind, label in (("regulations", "规章"), ("normative", "行政规范性文件")):
            before = previous_section2.get(f"{kind}_in_force")
            issued, repealed, now = (section2.get(f"{kind}_issued"), section2.get(f"{kind}_repealed"),
                                     section2.get(f"{kind}_in_force"))
            if (before is not None and issued is not None and repealed is not None and now is not None
                    and before + issued - repealed != now):
                issues.append(Issue(WARNING, f"{kind}_in_force",
                                    f"{label}：上年现行有效{before}件 + 本年制发{issued}件 − 本年废止{repealed}件"
                                    f" = {before + issued - repealed}件，但本年现行有效填的是{now}件。"
                                    "如有失效、修订等其他变化可忽略此提示。"))
