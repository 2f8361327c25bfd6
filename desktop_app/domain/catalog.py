"""The fixed vocabularies of the register: codes stored in the database and
the Chinese labels the clerk sees.

Codes are English (glossary.md); labels are exactly as printed on the
application form and in the national annual-report format
(国办公开办函〔2021〕30号).  Every other module takes its labels from here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- Applicant types -------------------------------------------------------

NATURAL_PERSON = "natural_person"
ORGANISATION = "organisation"

APPLICANT_TYPES: dict[str, str] = {
    NATURAL_PERSON: "自然人",
    ORGANISATION: "法人或其他组织",
}

#: Organisation kinds, in the order of the report's columns.
ORG_KINDS: dict[str, str] = {
    "business": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_services": "法律服务机构",
    "other": "其他",
}

#: Report columns (section 三): the applicant category of an application.
REPORT_COLUMNS: list[tuple[str, str]] = [
    (NATURAL_PERSON, "自然人"),
    *[(k, v) for k, v in ORG_KINDS.items()],
]


def applicant_category(applicant_type: str | None, org_kind: str | None) -> str:
    """The report column an applicant falls under: ``natural_person`` or an
    organisation kind code (an organisation of unknown kind counts as other)."""
    if applicant_type == ORGANISATION:
        return org_kind if org_kind in ORG_KINDS else "other"
    return NATURAL_PERSON


def applicant_category_label(applicant_type: str | None, org_kind: str | None) -> str:
    cat = applicant_category(applicant_type, org_kind)
    return "自然人" if cat == NATURAL_PERSON else ORG_KINDS[cat]


# --- Identity documents ----------------------------------------------------

ID_TYPES: dict[str, str] = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "residence_permit": "外国人永久居留身份证",
    "uscc": "统一社会信用代码",
    "other": "其他证件",
}
PERSON_ID_TYPES = ["resident_id", "passport", "hk_macao_permit", "taiwan_permit",
                   "residence_permit", "other"]
ORG_ID_TYPES = ["uscc", "other"]

# --- Channels (申请方式) ------------------------------------------------------

CHANNELS: dict[str, str] = {
    "in_person": "当面",
    "letter": "信函",
    "online": "网络",
    "fax": "传真",
    "email": "电子邮件",
    "other": "其他",
}

#: How the receipt date is fixed for each channel (Art. 31), shown on the form.
CHANNEL_RECEIPT_RULES: dict[str, str] = {
    "in_person": "当面提交的，以提交之日为收到申请之日。",
    "letter": "以邮寄方式提交的，以机关签收之日为收到申请之日；平常信函等无需签收的，以与申请人确认之日为收到申请之日。",
    "online": "通过互联网渠道提交的，以双方确认之日为收到申请之日。",
    "fax": "通过传真提交的，以双方确认之日为收到申请之日。",
    "email": "通过电子邮件提交的，以系统收到之日为收到申请之日（无法与申请人确认的，自取得联系之日起算）。",
    "other": "以其他方式提交的，以机关实际收到并确认之日为收到申请之日。",
}

# --- Delivery form (载体形式) and way of obtaining (获取方式) -----------------

DELIVERY_FORMS: dict[str, str] = {
    "paper": "纸质",
    "electronic": "电子",
    "disc": "光盘",
}

OBTAIN_METHODS: dict[str, str] = {
    "post": "邮寄",
    "express": "快递",
    "email": "电子邮件",
    "fax": "传真",
    "collect": "自行领取",
    "on_site": "当场阅读、抄录",
}

# --- Handling status ---------------------------------------------------------

STATUSES: dict[str, str] = {
    "received": "已登记",
    "in_progress": "办理中",
    "awaiting_correction": "待补正",
    "awaiting_third_party": "征求意见中",
    "awaiting_payment": "待缴费",
    "extended": "已延期",
    "closed": "已办结",
}
OPEN_STATUSES = [s for s in STATUSES if s != "closed"]

# --- Outcomes (办理结果) and their reasons (结果细项) --------------------------


@dataclass(frozen=True)
class Outcome:
    code: str
    number: str  # （一） … （六）
    label: str  # as printed, without the number
    reasons: tuple[str, ...]  # numbered sub-rows, as printed, without "1."

    @property
    def row_label(self) -> str:
        return f"{self.number}{self.label}"


OUTCOMES: dict[str, Outcome] = {
    o.code: o
    for o in [
        Outcome("disclosed", "（一）", "予以公开", ()),
        Outcome("partly_disclosed", "（二）",
                "部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
        Outcome("withheld", "（三）", "不予公开", (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        )),
        Outcome("unavailable", "（四）", "无法提供", (
            "本机关不掌握相关政府信息",
            "没有现成信息需要另行制作",
            "补正后申请内容仍不明确",
        )),
        Outcome("not_processed", "（五）", "不予处理", (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        )),
        Outcome("other", "（六）", "其他处理", (
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "其他",
        )),
    ]
}

#: Short labels (the category without its parenthesised note).
OUTCOME_SHORT_LABELS: dict[str, str] = {
    "disclosed": "予以公开",
    "partly_disclosed": "部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}

# Short forms clerks type for the two long reasons of （六）.
_REASON_ALIASES = {
    ("other", "逾期不补正"): 1,
    ("other", "申请人逾期不补正"): 1,
    ("other", "逾期未缴费"): 2,
    ("other", "逾期未缴纳费用"): 2,
    ("other", "申请人逾期未缴费"): 2,
}


def outcome_label(code: str | None, reason: int | None = None, *, short: bool = True) -> str:
    """The Chinese label of an outcome, with its reason if given:
    ``不予公开 / 属于国家秘密``."""
    if not code:
        return ""
    outcome = OUTCOMES.get(code)
    if outcome is None:
        return code
    text = OUTCOME_SHORT_LABELS[code] if short else outcome.label
    if reason and 1 <= reason <= len(outcome.reasons):
        text += " / " + outcome.reasons[reason - 1]
    return text


def _normalise(text: str) -> str:
    """Fold a label for lenient matching: width, quotes, spaces and
    leading numbering such as ``（三）``, ``3.``, ``3、`` or ``三、``."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    text = re.sub(r"[\"'“”‘’「」『』]", "", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^(?:[\(（][一二三四五六七八九十\d]+[\)）]|[一二三四五六七八九十\d]+[\.、．])", "", text)
    return text


def match_outcome(text: str | None) -> str | None:
    """Find the outcome code for a label as a clerk may type it
    (``予以公开``, ``（三）不予公开``, ``部分公开（区分处理的…）``); None if
    nothing matches."""
    if text is None or not str(text).strip():
        return None
    key = _normalise(text)
    for code, outcome in OUTCOMES.items():
        if key in (_normalise(outcome.label), _normalise(OUTCOME_SHORT_LABELS[code]), code):
            return code
    return None


def match_outcome_reason(outcome_code: str, text: str | None) -> int | None:
    """The 1-based number of a reason within an outcome category, matched
    leniently (with or without its number, any kind of quotation marks).
    Raises ValueError when the text names no reason of that category."""
    if text is None or not str(text).strip():
        return None
    outcome = OUTCOMES[outcome_code]
    key = _normalise(text)
    for i, reason in enumerate(outcome.reasons, start=1):
        if key == _normalise(reason):
            return i
    alias = _REASON_ALIASES.get((outcome_code, key))
    if alias:
        return alias
    # A bare number ("3") names the reason by its position.
    raw = unicodedata.normalize("NFKC", str(text)).strip().rstrip(".、")
    if raw.isdigit() and 1 <= int(raw) <= len(outcome.reasons):
        return int(raw)
    raise ValueError(text)


def match_label(mapping: dict[str, str], text: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """Code for a Chinese label (or the code itself) in one of the mappings
    above; None when the text is empty; KeyError when unknown."""
    if text is None or not str(text).strip():
        return None
    key = _normalise(text)
    for code, label in mapping.items():
        if key in (_normalise(label), code):
            return code
    if aliases and key in aliases:
        return aliases[key]
    raise KeyError(text)


# --- the audit trail (修改记录) ------------------------------------------------------

#: Chinese names of the things the audit trail records changes to.
AUDIT_ENTITY_LABELS: dict[str, str] = {
    "application": "申请",
    "event": "办理记录",
    "setting": "设置",
    "case": "复议诉讼案件",
    "calendar": "办理日历",
    "database": "数据库",
}
#: Chinese names of the audit trail's actions.
AUDIT_ACTION_LABELS: dict[str, str] = {
    "create": "新增",
    "update": "修改",
    "delete": "移入回收站",
    "restore": "从回收站恢复",
    "purge": "彻底删除",
    "import": "导入",
    "restore_backup": "从备份恢复",
}


# --- the timeline ---------------------------------------------------------------------

#: Chinese labels of timeline event kinds.
EVENT_LABELS: dict[str, str] = {
    "received": "收到申请",
    "replied": "作出答复",
    "note": "备注",
    "correction_requested": "发出补正告知",
    "corrected": "收到补正材料",
    "extension": "延期答复",
    "third_party_sent": "征求第三方意见",
    "third_party_replied": "第三方答复",
    "fee_notice": "发出收费通知",
    "fee_paid": "缴纳费用",
    "notice_printed": "出具文书",
    "step_cancelled": "撤销办理步骤",
    "deadline_set": "另行确定答复期限",
}


# --- is a name an organisation's? ---------------------------------------------------------------

#: Words in a name that show an organisation, by its kind (the ledger
#: import infers an applicant's type and kind from them).
ORG_NAME_WORDS: list[tuple[str, str]] = [
    ("legal_services", r"律师事务所|律所|法律服务所|公证处|司法鉴定"),
    ("research", r"研究院|研究所|研究中心|科学院|实验室|大学|学院|设计院"),
    ("public_interest", r"基金会|协会|公益|志愿|慈善|救助|促进会|学会"),
    ("business", r"公司|有限|集团|厂$|商店|商行|店$|银行|合作社|企业|工作室|事务所|个体工商户|商贸|实业"),
    ("other", r"委员会|业委会|村委|居委|委员|学校|中学|小学|幼儿园|医院|卫生院|报社|杂志社|电视台|中心$|"
              r"局$|办公室|政府|街道|社区|党委|支部|联合会|工会|商会|组织|单位|部门"),
]

#: How organisations' names end (公司, 局, 委员会, 中心…).  A one-character
#: ending counts from three characters (“财政局”); 会 and 社, which end
#: some people's names, from four (“某某商会”).
_ORG_ENDINGS = re.compile(r"(公司|集团|委员会|中心|办公室|事务所|研究所|合作社)$")
_ORG_ENDING_CHARS = re.compile(r"[局厂院所部处办站队校]$")
_ORG_ENDING_RARE = re.compile(r"[会社]$")


def name_looks_like_organisation(name: str | None) -> bool:
    """Whether ``name`` reads as an organisation's (长沙某某置业有限公司,
    望城区财政局, 某某小区业主委员会) rather than a person's (王某某)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    if not text:
        return False
    if _ORG_ENDINGS.search(text) or any(re.search(pattern, text) for _kind, pattern in ORG_NAME_WORDS):
        return True
    if len(text) >= 3 and _ORG_ENDING_CHARS.search(text):
        return True
    return len(text) >= 4 and bool(_ORG_ENDING_RARE.search(text))
