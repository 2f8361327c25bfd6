"""Drafts of the narrative parts of the annual report (前言, 一, 五, 六),
written from the year's figures in the plain official tone of published
reports.  The clerk edits them; passages the app cannot know are marked
with 【请补充：…】 and the pre-export check lists any left in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import catalog
from . import proactive as pr
from . import report_stats as rs
from .items import ART20_SHORT, ProactiveFacts

PLACEHOLDER_OPEN = "【请补充"


@dataclass
class DraftFacts:
    year: int
    agency: str
    section3: rs.Section3
    previous: rs.Section3 | None = None
    #: False when the register does not hold the whole previous year (an
    #: agency in its first year with the app): no year-on-year change is
    #: computed from a partial year; the draft asks the clerk instead.
    previous_complete: bool = True
    section4: rs.Section4 | None = None
    section2: dict[str, Any] = field(default_factory=dict)
    fee_notices: int = 0  # 收费通知 issued in the year
    fees_noticed_yuan: float = 0.0  # the amounts those notices asked for
    fees_collected_yuan: float = 0.0  # 信息处理费 received in the year
    office: str = ""
    address: str = ""
    phone: str = ""
    postcode: str = ""
    #: The proactive register's figures of the year (None: no register kept).
    proactive: ProactiveFacts | None = None


def _change(now: int, before: int | None) -> str:
    if before is None:
        return ""
    if before == 0:
        return "，上年无此类申请" if now else "，与上年持平"
    if now == before:
        return "，与上年持平"
    pct = abs(now - before) * 100 / before
    word, rate = ("增加", "增长") if now > before else ("减少", "下降")
    return f"，较上年{word}{abs(now - before)}件（{rate}{pct:.1f}%）"


def _previous_change(f: DraftFacts, received: int, prev_received: int | None) -> str:
    if f.previous is not None and not f.previous_complete:
        return f"{PLACEHOLDER_OPEN}：与上年相比的增减（本台账未包含上年全年的申请）】"
    return _change(received, prev_received)


def _yuan(amount: float) -> str:
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def draft_preamble(f: DraftFacts) -> str:
    contact = ""
    if f.office or f.phone or f.address:
        parts = []
        if f.address:
            parts.append(f"地址：{f.address}")
        if f.postcode:
            parts.append(f"邮编：{f.postcode}")
        if f.phone:
            parts.append(f"电话：{f.phone}")
        who = f.office or f.agency
        contact = f"如对本报告有任何疑问，请与{who}联系" + (f"（{'，'.join(parts)}）" if parts else "") + "。"
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        f"《中华人民共和国政府信息公开工作年度报告格式》（{rs.FORMAT_ID}）要求编制，"
        f"由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。"
        f"报告中所列数据的统计期限自{f.year}年1月1日起至{f.year}年12月31日止。"
        f"本报告电子版可在{f.agency or '本机关'}门户网站政府信息公开专栏查阅。{contact}"
    )


def _outcome_mix(s3: rs.Section3) -> str:
    closed = s3.value("total")
    if not closed:
        return ""
    parts = []
    for code in catalog.OUTCOMES:
        n = s3.value(code)
        if n:
            parts.append(f"{catalog.OUTCOME_SHORT_LABELS[code]}{n}件（占{n * 100 / closed:.1f}%）")
    return "其中" + "，".join(parts) + "。"


def draft_section1(f: DraftFacts) -> str:
    s3 = f.section3
    y = f.year
    received = s3.value("new")
    carried = s3.value("carried")
    closed = s3.value("total")
    forward = s3.value("carry_forward")
    prev_received = f.previous.value("new") if f.previous else None
    org = received - s3.value("new", catalog.NATURAL_PERSON)

    proactive = []
    s2 = f.section2 or {}
    if s2.get("normative_issued") is not None:
        proactive.append(f"制发行政规范性文件{s2['normative_issued']}件")
    if s2.get("regulations_issued"):
        proactive.append(f"制发规章{s2['regulations_issued']}件")
    decisions = [(s2.get("licensing_decisions"), "行政许可"), (s2.get("penalty_decisions"), "行政处罚"),
                 (s2.get("enforcement_decisions"), "行政强制")]
    for n, label in decisions:
        if n is not None:
            proactive.append(f"公开{label}处理决定{n}件")
    proactive_text = ("全年" + "，".join(proactive) + "。") if proactive else ""
    register_text = _register_paragraph(f.proactive)

    lines = [
        f"{y}年，{f.agency or '本机关'}认真贯彻落实《条例》和上级关于政务公开工作的部署要求，"
        f"坚持“以公开为常态、不公开为例外”，持续做好主动公开、依申请公开、政府信息管理、"
        f"平台建设和监督保障等各项工作，切实保障人民群众的知情权、参与权、表达权和监督权。",
        f"（一）主动公开。{proactive_text}" + (register_text or (
            f"围绕重点领域和社会关切，及时通过门户网站等渠道主动公开政府信息。"
            f"{PLACEHOLDER_OPEN}：本年主动公开信息总条数、重点领域公开和政策解读情况】")),
        f"（二）依申请公开。{y}年，本机关" + (
            f"共收到政府信息公开申请{received}件{_previous_change(f, received, prev_received)}" if received
            else "未收到政府信息公开申请")
        + (f"，其中自然人申请{received - org}件，法人或其他组织申请{org}件" if received else "")
        + (f"；上年结转{carried}件" if carried else "")
        + (f"。本年度办结{closed}件，" + (_outcome_mix(s3) or "") if closed else "。本年度无办结的申请，")
        + (f"结转下年度继续办理{forward}件。" if forward
           else "所有申请均已办结，无结转下年度继续办理的申请。" if closed else "无结转下年度继续办理的申请。")
        + "本机关严格按照《条例》规定的程序和期限受理、办理和答复，依法保障申请人的合法权益。",
        f"（三）政府信息管理。严格落实公开前保密审查和信息发布审核制度，"
        f"做好政府信息公开申请登记、审核、办理、答复、归档等各环节工作。"
        f"{PLACEHOLDER_OPEN}：规范性文件清理、信息公开目录和指南更新情况】",
        f"（四）政府信息公开平台建设。以门户网站政府信息公开专栏为第一平台，"
        f"{PLACEHOLDER_OPEN}：政务新媒体、公开查阅点等平台建设情况】",
        f"（五）监督保障。将政府信息公开工作纳入年度工作考核，"
        f"{PLACEHOLDER_OPEN}：工作机构和人员、培训、考核、社会评议和责任追究情况】",
    ]
    return "\n".join(lines)


def _register_paragraph(p: ProactiveFacts | None) -> str:
    """The register's figures of the year in words (empty without items)."""
    if p is None or not p.published:
        return ""
    channels = "、".join(f"{pr.CHANNELS.get(c, c)}{n}条" for c, n in
                         sorted(p.by_channel.items(), key=lambda kv: -kv[1]))
    top = sorted(p.by_art20.items(), key=lambda kv: -kv[1])[:4]
    art20 = "，".join(f"{ART20_SHORT[k]}{n}条" for k, n in top)
    text = f"全年通过各渠道主动公开政府信息{p.published}条"
    if channels:
        text += f"，其中{channels}（同一信息在多个渠道发布的分别计算）"
    text += "。"
    if art20:
        text += f"按《条例》第二十条所列事项分，较多的是：{art20}。"
    if p.interpretations:
        text += f"围绕出台的规章和行政规范性文件发布政策解读{p.interpretations}篇，做到文件与解读同步部署。"
    if p.late:
        text += f"全年有{p.late}条信息晚于规定时限公开。"
    else:
        text += "所有信息均在规定时限内公开。"
    return text


def draft_section5(f: DraftFacts) -> str:
    s3 = f.section3
    problems = []
    improvements = []
    p = f.proactive
    if p is not None and p.late:
        avg = p.late_total_days / p.late
        interp = f"（其中政策解读{p.interpretations_late}篇未在文件公开后3个工作日内发布）" if p.interpretations_late else ""
        problems.append(f"个别事项未能及时公开，全年有{p.late}条信息晚于规定时限公开{interp}，"
                        f"平均晚{avg:.1f}个工作日，最长晚{p.late_max_days}个工作日")
        improvements.append("严格落实政府信息自形成或者变更之日起20个工作日内公开的要求，"
                            "对即将到期的事项提前提醒，确保按时公开")
    if p is not None and p.overdue_now:
        problems.append(f"截至目前仍有{p.overdue_now}条信息已超过公开期限尚未公开")
        improvements.append("对已超过期限的事项逐条督办，尽快公开")
    forward = s3.value("carry_forward")
    closed = s3.value("total")
    if forward:
        problems.append(f"年末仍有{forward}件申请结转下年度继续办理，办理效率有待进一步提高")
        improvements.append("加强与承办机构的沟通协调，确保在法定期限内办结每一件申请")
    unavailable = s3.value("unavailable")
    not_processed = s3.value("not_processed")
    if closed and (unavailable + not_processed) * 5 >= closed:
        problems.append(f"“无法提供”和“不予处理”的答复共{unavailable + not_processed}件，"
                        f"占办结总数的{(unavailable + not_processed) * 100 / closed:.1f}%，"
                        f"部分申请人对政府信息公开的范围了解不够")
        improvements.append("进一步完善政府信息公开指南，加强与申请人的沟通和释法说理")
    if f.section4 and any(f.section4.value(k) for k in rs.CASE_KINDS):
        n = sum(f.section4.value(k) for k in rs.CASE_KINDS)
        problems.append(f"本年度涉及政府信息公开的行政复议、行政诉讼案件共{n}件，答复的规范性仍需加强")
        improvements.append("规范答复文书，严格依法作出答复，降低行政复议和行政诉讼风险")
    if p is None or not p.late:
        problems.append(f"主动公开的深度和广度还有提升空间{PLACEHOLDER_OPEN}：其他问题】")
    else:
        problems.append(f"{PLACEHOLDER_OPEN}：其他问题】")
    improvements.append(f"加强业务培训，提高工作人员政策水平和业务能力{PLACEHOLDER_OPEN}：其他改进措施】")
    numerals = "一二三四五六七八九"
    out = [f"{f.year}年，本机关政府信息公开工作取得了一定成效，但仍存在一些不足："]
    out += [f"{numerals[i]}是{p}。" for i, p in enumerate(problems)]
    out.append(f"{f.year + 1}年，本机关将重点做好以下工作：")
    out += [f"{numerals[i]}是{p}。" for i, p in enumerate(improvements)]
    return "\n".join(out)


def draft_section6(f: DraftFacts) -> str:
    if f.fee_notices or f.fees_collected_yuan:
        noticed = f"（合计{_yuan(f.fees_noticed_yuan)}元）" if f.fees_noticed_yuan else ""
        fees = (f"依据《政府信息公开信息处理费管理办法》，本机关{f.year}年发出收费通知{f.fee_notices}件{noticed}，"
                f"实际收取信息处理费{_yuan(f.fees_collected_yuan)}元。")
    else:
        fees = (f"依据《政府信息公开信息处理费管理办法》，本机关{f.year}年未发出收费通知，"
                f"未收取信息处理费。")
    return "\n".join([
        fees,
        f"本年度办理人大代表建议{PLACEHOLDER_OPEN}：件数】件、政协委员提案{PLACEHOLDER_OPEN}：件数】件，"
        f"办理结果已按规定公开。",
        f"{PLACEHOLDER_OPEN}：年度政务公开工作要点落实情况及其他需要报告的事项】",
    ])


def draft_texts(f: DraftFacts) -> dict[str, str]:
    return {
        "preamble": draft_preamble(f),
        "section1": draft_section1(f),
        "section5": draft_section5(f),
        "section6": draft_section6(f),
    }
