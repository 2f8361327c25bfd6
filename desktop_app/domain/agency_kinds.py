"""What kind of agency the register belongs to, and who reviews its
replies on administrative reconsideration (行政复议法 as revised in 2023,
in force 2024-01-01, Art. 24-25).

The first-start guide asks for the kind and proposes how to fill in the
reviewing body (复议机关) that every reply notice names; the clerk types
the body's full name.  Plain Python: no Qt, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The setting that holds the agency kind (a code of :data:`AGENCY_KINDS`; "" = not chosen).
SETTING_AGENCY_KIND = "agency_kind"
#: The setting that holds the reviewing body's full name (printed on reply notices).
SETTING_RECONSIDERATION_BODY = "reconsideration_body"


@dataclass(frozen=True)
class AgencyKind:
    code: str
    label: str
    #: Who reviews this kind of agency's acts, in a sentence for the clerk.
    reviewer_rule: str
    #: An example of the full name to type.
    example: str


AGENCY_KINDS: dict[str, AgencyKind] = {k.code: k for k in (
    AgencyKind("government_department", "县级以上地方人民政府工作部门（局、委、办）",
               "由本级人民政府管辖复议（行政复议法第二十四条）。请填写本级人民政府的全称。",
               "长沙市望城区人民政府"),
    AgencyKind("local_government", "县级以上地方人民政府（含政府办公室以政府名义答复）",
               "由上一级地方人民政府管辖复议；省级人民政府由其自身管辖（行政复议法第二十四条）。"
               "请填写上一级人民政府的全称。",
               "长沙市人民政府"),
    AgencyKind("township_government", "乡镇人民政府、街道办事处",
               "乡镇人民政府由县级人民政府管辖复议；街道办事处由设立它的人民政府管辖"
               "（行政复议法第二十四条）。请填写该县级人民政府的全称。",
               "长沙市望城区人民政府"),
    AgencyKind("vertical", "垂直管理机关（海关、金融、外汇管理、税务、国家安全机关等）",
               "由上一级主管部门管辖复议（行政复议法第二十七条）。请填写上一级主管部门的全称。",
               "国家税务总局湖南省税务局"),
    AgencyKind("state_council_department", "国务院部门",
               "由作出答复的国务院部门本身管辖复议（行政复议法第二十五条）。请填写本部门的全称。",
               "中华人民共和国某某部"),
    AgencyKind("other", "其他（派出机构、法律法规授权的组织等）",
               "请按行政复议法第二十四条至第二十八条确定复议机关，并填写其全称。",
               "长沙市望城区人民政府"),
)}


def kind_label(code: str | None) -> str:
    kind = AGENCY_KINDS.get(code or "")
    return kind.label if kind else ""
