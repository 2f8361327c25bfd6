"""Every answer the Regulation names (Art. 35-39), each with its exact
citation, the report row it is counted under, what the clerk must supply,
and the default remedy wording.

A report row can hold several answers: 予以公开 is 36(1) (already published:
where and how to get it) or 36(2) (disclosed: how and when); 无法提供 1 is
36(4) (does not exist after search) or 36(5) (not this agency's: name the
responsible agency); 不予公开 8 is 36(7), worded as a referral to the
information's own statutory route (business or real-estate registration…)
though the national report counts it there.  Each 不予处理 ground cites its
own clause, never a whole article.

Mapping to report rows after reference/regulation.md; rows marked
*practice* there are agency-confirmable readings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .remedies import Clause

REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Need:
    """A fact the clerk supplies for an answer's notice."""

    key: str
    label: str
    hint: str = ""
    multiline: bool = False


WHERE_PUBLISHED = Need("where_published", "已公开的位置", "如：本机关门户网站“政府信息公开”栏目，网址……")
HOW_PROVIDED = Need("how_provided", "提供方式和时间", "如：随本告知书一并提供复制件5页；或于某日起到本机关领取")
RESPONSIBLE_AGENCY = Need("responsible_agency", "负责公开的机关",
                          "如：长沙市望城区住房和城乡建设局（联系电话……）；不能确定的可留空")
STATUTORY_ROUTE = Need("statutory_route", "依法查询的途径",
                       "如：向不动产登记机构申请查询不动产登记资料（《不动产登记暂行条例》第二十七条）")
WITHHELD_PARTS = Need("withheld_parts", "不予公开的部分及各自理由",
                      "每部分一行：不予公开的内容——理由和依据", multiline=True)
PREVIOUS_REPLY = Need("previous_reply", "此前的答复", "如：本机关已于2026年3月5日以望政公开〔2026〕第12号答复")
REASONABLE_DATE = Need("reasonable_date", "另行确定的答复期限", "决定日期之后的一个日期")
OTHER_HANDLING = Need("other_handling", "处理情况及依据",
                      "写明如何处理及所依据的规定，如：您已撤回申请，本机关终止处理", multiline=True)
SEARCH_DONE = Need("search_done", "检索情况", "如：经查询本机关档案室和业务系统……", multiline=True)


@dataclass(frozen=True)
class ReplyGround:
    """One answer: its notice's title, citation, report row and wording."""

    code: str
    label: str                 # what the clerk picks (short)
    outcome: str               # report category (catalog.OUTCOMES)
    reason: int | None         # report sub-row
    citation: str              # the Regulation's clause, e.g. 第三十六条第（一）项
    title: str                 # 政府信息公开申请答复告知书（…）
    decision: str              # the operative sentence(s); {placeholders} filled from needs
    needs: tuple[Need, ...] = ()
    remedy: Clause = Clause.CHOICE
    #: The wording when the optional fact (the responsible agency) is unknown.
    decision_unknown: str = ""

    def missing(self, values: dict[str, str]) -> list[str]:
        """Labels of the facts still empty in ``values``."""
        optional = {"responsible_agency", "search_done"}
        return [n.label for n in self.needs
                if n.key not in optional and not str(values.get(n.key) or "").strip()]

    def decision_text(self, values: dict[str, str]) -> str:
        filled = {n.key: str(values.get(n.key) or "").strip() for n in self.needs}
        template = self.decision
        if self.decision_unknown and not all(filled.values()):
            template = self.decision_unknown
        return template.format(regulation=REGULATION, **filled)


def _withhold(reason: int, label: str, citation: str, why: str) -> ReplyGround:
    return ReplyGround(
        f"withhold_{reason}", f"不予公开：{label}", "withheld", reason, citation, "（不予公开）",
        f"经审查，{why}。根据{{regulation}}{citation}的规定，本机关决定不予公开。",
        remedy=Clause.RECONSIDERATION_FIRST)


GROUNDS: tuple[ReplyGround, ...] = (
    ReplyGround("disclosed", "予以公开（提供信息）", "disclosed", None, "第三十六条第（二）项", "（予以公开）",
                "经审查，您申请获取的政府信息可以公开。根据{regulation}第三十六条第（二）项的规定，"
                "本机关决定予以公开，提供方式和时间：{how_provided}。",
                (HOW_PROVIDED,)),
    ReplyGround("already_published", "已主动公开（告知获取方式）", "disclosed", None, "第三十六条第（一）项",
                "（已公开信息）",
                "您申请获取的政府信息已经主动公开。根据{regulation}第三十六条第（一）项的规定，"
                "现告知您获取该政府信息的方式和途径：{where_published}。",
                (WHERE_PUBLISHED,)),
    ReplyGround("partly_disclosed", "部分公开（区分处理）", "partly_disclosed", None, "第三十七条", "（部分公开）",
                "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。"
                "根据{regulation}第三十七条的规定，本机关向您提供可以公开的部分，提供方式和时间：{how_provided}。"
                "不予公开的部分及理由如下：\n{withheld_parts}",
                (HOW_PROVIDED, WITHHELD_PARTS), Clause.RECONSIDERATION_FIRST),
    _withhold(1, "国家秘密", "第十四条、第三十六条第（三）项", "您申请获取的政府信息属于依法确定为国家秘密的政府信息"),
    _withhold(2, "法律、行政法规禁止公开", "第十四条、第三十六条第（三）项",
              "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息"),
    _withhold(3, "危及“三安全一稳定”", "第十四条、第三十六条第（三）项",
              "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    _withhold(4, "保护第三方合法权益", "第十五条、第三十二条、第三十六条第（三）项",
              "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
              "且第三方不同意公开，不公开不会对公共利益造成重大影响"),
    _withhold(5, "内部事务信息", "第十六条第一款、第三十六条第（三）项",
              "您申请获取的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息"),
    _withhold(6, "过程性信息", "第十六条第二款、第三十六条第（三）项",
              "您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
              "磋商信函、请示报告等过程性信息"),
    _withhold(7, "行政执法案卷", "第十六条第二款、第三十六条第（三）项",
              "您申请获取的政府信息属于行政执法案卷信息"),
    ReplyGround("statutory_route", "有专门查询途径（告知依法办理）", "withheld", 8, "第三十六条第（七）项",
                "（告知依法办理）",
                "您申请获取的信息，法律、行政法规对获取该信息有特别规定。根据{regulation}"
                "第三十六条第（七）项的规定，请您按照有关法律、行政法规的规定办理：{statutory_route}。",
                (STATUTORY_ROUTE,)),
    ReplyGround("not_exist", "信息不存在（经检索）", "unavailable", 1, "第三十六条第（四）项", "（信息不存在）",
                "{search_done}经检索查找，本机关未制作、未获取您申请获取的政府信息，该政府信息不存在。"
                "根据{regulation}第三十六条第（四）项的规定，特此告知。",
                (SEARCH_DONE,)),
    ReplyGround("not_ours", "不属于本机关公开职责", "unavailable", 1, "第三十六条第（五）项", "（非本机关信息）",
                "经审查，您申请获取的政府信息不属于本机关负责公开。根据{regulation}第三十六条第（五）项的规定，"
                "特此告知。该政府信息由{responsible_agency}负责公开，您可以向其提出申请。",
                (RESPONSIBLE_AGENCY,),
                decision_unknown="经审查，您申请获取的政府信息不属于本机关负责公开，本机关无法确定负责公开"
                                 "该政府信息的行政机关。根据{regulation}第三十六条第（五）项的规定，特此告知。"),
    ReplyGround("needs_compiling", "需另行加工、分析", "unavailable", 2, "第三十八条", "（需另行制作）",
                "经审查，您申请获取的信息需要本机关对现有政府信息进行加工、分析后方能形成。"
                "根据{regulation}第三十八条的规定，本机关可以不予提供。"),
    ReplyGround("unclear_after_correction", "补正后仍不明确", "unavailable", 3, "第三十条", "（申请内容不明确）",
                "本机关已告知您补正申请，您补正后的申请中，所需政府信息的名称、文号或者其他特征性描述仍不明确，"
                "本机关无法确定您所申请的政府信息。根据{regulation}第三十条的规定，本机关无法提供。"),
    ReplyGround("petition", "信访、投诉、举报", "not_processed", 1, "第三十九条第一款", "（不予处理）",
                "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{regulation}"
                "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，您可以依照有关规定通过相应渠道提出。"),
    ReplyGround("repeat", "重复申请", "not_processed", 2, "第三十六条第（六）项", "（重复申请）",
                "您向本机关重复申请公开相同的政府信息，{previous_reply}，您的申请无正当理由。"
                "根据{regulation}第三十六条第（六）项的规定，本机关不予重复处理。",
                (PREVIOUS_REPLY,)),
    ReplyGround("publication", "要求提供公开出版物", "not_processed", 3, "第三十九条第二款", "（公开出版物）",
                "您要求提供政府公报、报刊、书籍等公开出版物。根据{regulation}第三十九条第二款的规定，"
                "本机关告知您获取的途径：{where_published}。",
                (WHERE_PUBLISHED,)),
    ReplyGround("excessive", "数量、频次明显超过合理范围（理由不合理）", "not_processed", 4, "第三十五条",
                "（不予处理）",
                "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，您说明的理由不合理。"
                "根据{regulation}第三十五条的规定，本机关不予处理。"),
    ReplyGround("confirm_or_reissue", "要求确认或重新出具已获取信息", "not_processed", 5, "第三十九条第一款",
                "（不予处理）",
                "您要求本机关确认或者重新出具已经获取的信息，不属于政府信息公开申请的处理范围。"
                "根据{regulation}第三十九条第一款的规定，本机关不作为政府信息公开申请处理。"),
    ReplyGround("lapsed_correction", "逾期不补正", "other", 1, "第三十条", "（逾期不补正）",
                "本机关已向您发出补正告知，您无正当理由逾期未补正。根据{regulation}第三十条的规定，"
                "视为您放弃申请，本机关不再处理该政府信息公开申请。"),
    ReplyGround("lapsed_fee", "逾期未缴纳信息处理费", "other", 2, "第四十二条", "（逾期未缴费）",
                "本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费。根据{regulation}第四十二条和"
                "《政府信息公开信息处理费管理办法》的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。"),
    ReplyGround("other_other", "其他情形（写明处理情况和依据）", "other", 3, "",
                "（其他处理）", "{other_handling}。根据{regulation}的有关规定，特此告知。", (OTHER_HANDLING,)),
)

BY_CODE: dict[str, ReplyGround] = {g.code: g for g in GROUNDS}

#: Answers that, by default, carry the reconsideration-first wording.
DEFAULT_FIRST_GROUNDS = frozenset(g.code for g in GROUNDS if g.remedy is Clause.RECONSIDERATION_FIRST)


def grounds_for(outcome: str, reason: int | None) -> list[ReplyGround]:
    """The answers counted under one report row (first: the default)."""
    return [g for g in GROUNDS if g.outcome == outcome and (g.reason == reason or g.reason is None)
            and (reason is not None or g.reason is None)]


def default_ground(outcome: str, reason: int | None) -> ReplyGround:
    found = grounds_for(outcome, int(reason) if reason else None)
    if not found:
        raise KeyError((outcome, reason))
    return found[0]


def clause_for(ground: ReplyGround, first_grounds: frozenset[str] | None = None) -> Clause:
    """The remedy wording of ``ground`` under the agency's setting
    (``first_grounds``: codes that carry reconsideration-first)."""
    chosen = DEFAULT_FIRST_GROUNDS if first_grounds is None else first_grounds
    return Clause.RECONSIDERATION_FIRST if ground.code in chosen else Clause.CHOICE
