"""Which article of the 2019 Regulation (《中华人民共和国政府信息公开条例》)
each notice and each reply variant cites, and the reason sentence a reply
gives for each outcome sub-row.

Mapping of answers to report rows after reference/regulation.md:
36(1)/(2) → 予以公开 · 37 → 部分公开 · 36(3) with 14/15/16 → 不予公开 ·
36(4)/(5) → 无法提供 1 · 38 → 无法提供 2 · 30 → 无法提供 3 · 39 →
不予处理 1/3 · 36(6) → 不予处理 2 · 35 → 不予处理 4 · 30 → 其他处理 1 ·
42 → 其他处理 2.
"""

from __future__ import annotations

from dataclasses import dataclass

REGULATION = "《中华人民共和国政府信息公开条例》"
REGULATION_2008 = "《中华人民共和国政府信息公开条例》（2008年施行）"


@dataclass(frozen=True)
class Basis:
    article: str        # 第三十六条第（三）项、第十四条
    reason: str = ""    # why, in one sentence for the reply


#: Articles cited by the procedural notices.
NOTICE_ARTICLES: dict[str, str] = {
    "receipt": "第三十一条、第三十三条",
    "correction": "第三十条",
    "extension": "第三十三条第二款",
    "third_party": "第三十二条",
    "co_maker": "第三十四条",
    "fee": "第四十二条",
    "later_date": "第三十五条",
    "service": "",
}

#: Reply variants: outcome → (basis without reason, {reason number: basis}).
_REPLY: dict[str, tuple[Basis, dict[int, Basis]]] = {
    "disclosed": (Basis("第三十六条第（二）项"), {}),
    "partly_disclosed": (Basis("第三十七条"), {}),
    "withheld": (Basis("第三十六条第（三）项"), {
        1: Basis("第十四条、第三十六条第（三）项",
                 "您申请公开的信息属于依法确定为国家秘密的政府信息"),
        2: Basis("第十四条、第三十六条第（三）项",
                 "您申请公开的信息属于法律、行政法规禁止公开的政府信息"),
        3: Basis("第十四条、第三十六条第（三）项",
                 "您申请公开的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
        4: Basis("第十五条、第三十二条、第三十六条第（三）项",
                 "您申请公开的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
        5: Basis("第十六条第一款、第三十六条第（三）项",
                 "您申请公开的信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息"),
        6: Basis("第十六条第二款、第三十六条第（三）项",
                 "您申请公开的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息"),
        7: Basis("第十六条第二款、第三十六条第（三）项",
                 "您申请公开的信息属于行政执法案卷信息"),
        8: Basis("第三十六条第（七）项",
                 "您申请获取的信息，法律、行政法规对信息的获取有特别规定，属于行政查询事项，"
                 "请依照有关法律、行政法规的规定办理"),
    }),
    "unavailable": (Basis("第三十六条第（四）项"), {
        1: Basis("第三十六条第（四）项",
                 "本机关未制作、未获取您申请公开的政府信息，经检索查找，该政府信息不存在"),
        2: Basis("第三十八条",
                 "您申请公开的信息需要本机关对现有政府信息进行加工、分析后方能形成，"
                 "属于需要另行制作的信息"),
        3: Basis("第三十条",
                 "您的申请经补正后，所需政府信息的名称、文号或者其他特征性描述仍不明确，"
                 "本机关无法确定您所申请的政府信息"),
    }),
    "not_processed": (Basis("第三十九条"), {
        1: Basis("第三十九条第一款",
                 "您以政府信息公开申请的形式进行信访、投诉、举报等活动，不作为政府信息公开申请处理，"
                 "您可以通过相应渠道提出"),
        2: Basis("第三十六条第（六）项",
                 "您向本机关重复申请公开相同的政府信息，本机关已作出答复且您的申请无正当理由，"
                 "本机关不予重复处理"),
        3: Basis("第三十九条第二款",
                 "您以政府信息公开申请的形式要求提供政府公报、报刊、书籍等公开出版物，"
                 "您可以通过公开发行渠道获取"),
        4: Basis("第三十五条",
                 "您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理"),
        5: Basis("第三十九条",
                 "您要求本机关确认或者重新出具已经获取的信息，不属于政府信息公开申请的处理范围"),
    }),
    "other": (Basis("第三十条、第四十二条"), {
        1: Basis("第三十条",
                 "本机关已向您发出补正告知，您无正当理由逾期未补正，视为放弃申请"),
        2: Basis("第四十二条",
                 "本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费，视为放弃申请"),
        3: Basis("第三十六条", "经审查，您的申请不符合政府信息公开申请的处理条件"),
    }),
}


def reply_basis(outcome: str, reason: int | None = None) -> Basis:
    """The article and reason sentence of a reply for ``outcome``/``reason``."""
    if outcome not in _REPLY:
        raise KeyError(outcome)
    default, by_reason = _REPLY[outcome]
    if reason and int(reason) in by_reason:
        return by_reason[int(reason)]
    return default


def cite(article: str) -> str:
    """``《中华人民共和国政府信息公开条例》第三十条``"""
    return f"{REGULATION}{article}" if article else REGULATION
