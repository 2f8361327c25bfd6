"""The remedy paragraph of a reply (救济途径): which route, to which body,
within which period, as the law stood on the reply's date.

Since 2024-01-01 (行政复议法 as revised in 2023):

* where an agency does not disclose information applied for, the applicant
  must apply for reconsideration first (Art. 23(1)(4)) and the reply must
  say so (Art. 23 para. 2); a lawsuit may follow within 15 days of receiving
  the reconsideration decision (行政诉讼法 Art. 45);
* otherwise the applicant chooses: reconsideration within 60 days (Art. 20)
  or a lawsuit within 6 months (行政诉讼法 Art. 46);
* the reviewing body follows from the agency's kind (Art. 24, 27, 28): a
  department of a county-level or higher government → that government; a
  vertically led agency (customs, finance, foreign exchange, tax, national
  security…) → the next-higher department; a government → the government
  one level up; a justice bureau acting as the reconsideration office →
  its own government or the next-higher justice bureau.

Before 2024 a department's applicant could choose its own government or the
next-higher department (1999 law Art. 12) and nothing came first; before
2015-05-01 a lawsuit had to be filed within 3 months (1989 行政诉讼法 Art.
39).  A reprint of an old reply keeps the wording of its date.

Which answers carry the reconsideration-first wording is an agency setting;
:data:`DEFAULT_FIRST_GROUNDS` is the default (see reply_grounds).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum

NEW_RECONSIDERATION_LAW = _dt.date(2024, 1, 1)
SIX_MONTH_LITIGATION = _dt.date(2015, 5, 1)

RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"


class AgencyKind(str, Enum):
    """What kind of agency issues the replies (settings: 机关类别)."""

    DEPARTMENT = "department"
    VERTICAL = "vertical"
    GOVERNMENT = "government"
    JUSTICE = "justice"

    @property
    def label(self) -> str:
        return AGENCY_KIND_LABELS[self]


AGENCY_KIND_LABELS = {
    AgencyKind.DEPARTMENT: "县级以上地方人民政府工作部门（如区教育局、市自然资源和规划局）",
    AgencyKind.VERTICAL: "实行垂直领导的机关（海关、金融、外汇管理、税务、国家安全机关等）",
    AgencyKind.GOVERNMENT: "人民政府（乡镇人民政府、县区人民政府等）",
    AgencyKind.JUSTICE: "履行行政复议机构职责的司法行政部门（司法局）",
}


class Clause(str, Enum):
    """The two remedy wordings."""

    RECONSIDERATION_FIRST = "reconsideration_first"  # 复议前置
    CHOICE = "choice"                                # 复议或者诉讼


class RemedyError(ValueError):
    """A reply cannot be worded: the settings lack a body's name (message for the clerk)."""


@dataclass(frozen=True)
class AgencyProfile:
    """What settings say about the agency, as far as remedies need it.

    ``own_government``: the government at the agency's own level, in full
    (长沙市望城区人民政府); ``higher_department``: the next-higher department
    (国家税务总局长沙市税务局, 长沙市司法局); ``higher_government``: the
    government one level up (for a government; 长沙市人民政府)."""

    kind: AgencyKind
    own_government: str = ""
    higher_department: str = ""
    higher_government: str = ""

    def missing(self) -> list[str]:
        """The settings (Chinese labels) this kind of agency still needs."""
        need = {
            AgencyKind.DEPARTMENT: [("own_government", "本级人民政府全称")],
            AgencyKind.VERTICAL: [("higher_department", "上一级主管部门全称")],
            AgencyKind.GOVERNMENT: [("higher_government", "上一级人民政府全称")],
            AgencyKind.JUSTICE: [("own_government", "本级人民政府全称"),
                                 ("higher_department", "上一级司法行政部门全称")],
        }[self.kind]
        return [label for attr, label in need if not getattr(self, attr).strip()]


def reviewing_bodies(profile: AgencyProfile, on: _dt.date) -> list[str]:
    """The reconsideration body or bodies for a decision dated ``on``."""
    missing = profile.missing()
    if on < NEW_RECONSIDERATION_LAW and profile.kind in (AgencyKind.DEPARTMENT, AgencyKind.JUSTICE):
        # 1999 law Art. 12: the applicant chose between the two.
        if not profile.higher_department.strip():
            missing = [*missing, "上一级主管部门全称（2024年以前的答复）"]
    if missing:
        raise RemedyError("答复告知书需要写明行政复议机关，请先在“设置 → 机关信息”中填写："
                          + "、".join(missing) + "。")
    if profile.kind is AgencyKind.VERTICAL:
        return [profile.higher_department]
    if profile.kind is AgencyKind.GOVERNMENT:
        return [profile.higher_government]
    if profile.kind is AgencyKind.JUSTICE or on < NEW_RECONSIDERATION_LAW:
        return [profile.own_government, profile.higher_department]
    return [profile.own_government]


@dataclass(frozen=True)
class Remedy:
    """The remedy paragraph and what it cites."""

    clause: Clause
    text: str
    bodies: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)


def _or(bodies: list[str]) -> str:
    return "或者".join(bodies)


def remedy(clause: Clause, profile: AgencyProfile, reply_date: _dt.date, *,
           partial: bool = False) -> Remedy:
    """The remedy paragraph of a reply dated ``reply_date``.

    ``partial``: a 部分公开 reply; the reconsideration-first wording then
    covers the withheld part and the choice wording the rest."""
    bodies = reviewing_bodies(profile, reply_date)
    if reply_date < NEW_RECONSIDERATION_LAW:
        return _old_remedy(bodies, reply_date)
    choice = (f"可以自知道该行政行为之日起六十日内向{_or(bodies)}申请行政复议，"
              "也可以自知道该行政行为之日起六个月内依法向人民法院提起行政诉讼。")
    choice_cites = [f"{RECONSIDERATION_LAW}第二十条", f"{LITIGATION_LAW}第四十六条"]
    if clause is Clause.CHOICE:
        return Remedy(clause, f"如对本答复不服，{choice}", bodies, choice_cites)
    first = (f"依照{RECONSIDERATION_LAW}第二十三条第一款第（四）项和第二款的规定，"
             f"应当自知道该行政行为之日起六十日内先向{_or(bodies)}申请行政复议；"
             "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼，"
             "未经行政复议不得直接提起行政诉讼。")
    first_cites = [f"{RECONSIDERATION_LAW}第二十条、第二十三条", f"{LITIGATION_LAW}第四十五条"]
    if partial:
        text = f"如对本答复中不予公开的部分不服，{first}如对本答复的其他内容不服，{choice}"
        return Remedy(clause, text, bodies, first_cites + [f"{LITIGATION_LAW}第四十六条"])
    return Remedy(clause, f"如对本答复不服，{first}", bodies, first_cites)


def _old_remedy(bodies: list[str], reply_date: _dt.date) -> Remedy:
    months = "六个月" if reply_date >= SIX_MONTH_LITIGATION else "三个月"
    lit_article = "第四十六条" if reply_date >= SIX_MONTH_LITIGATION else "第三十九条"
    text = (f"如对本答复不服，可以自知道该具体行政行为之日起六十日内向{_or(bodies)}申请行政复议，"
            f"也可以自知道作出行政行为之日起{months}内依法向人民法院提起行政诉讼。")
    return Remedy(Clause.CHOICE, text, bodies,
                  [f"{RECONSIDERATION_LAW}（2017年修正）第九条、第十二条", f"{LITIGATION_LAW}{lit_article}"])
