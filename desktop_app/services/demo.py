"""Synthetic demo data: a living register for newcomers and benchmarks.

Everything here is invented.  Applicants are named 张某某 / 李某, never real
people; organisations are “某某科技有限公司” and the like.  Identity
numbers are syntactically valid (GB 11643 / GB 32100 check characters,
real region codes and plausible birth dates) but random.

* :func:`fill_demo` adds about 200 applications over the two years before
  ``today`` through ``services.applications`` (so every record is
  validated) and fills in the agency settings when they are empty.
* :func:`build_large_database` writes ``n`` applications with the same
  generator through one bulk transaction, for benchmarks.

Both are deterministic for a given seed and ``today``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import os
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..documents.notices import NoticeError
from ..domain import catalog
from ..domain.records import APPLICATION_FIELDS, Application, ApplicationFields
from ..domain.validation import resident_id_check_char, uscc_check_char
from ..storage.store import Store
from . import applications, cases, notices, recycle_bin, report
from .deadlines import recompute_open
from .session import Session, now_iso
from .settings import get_settings, update_settings

#: Agency settings of the demo database (a fictional district office).
DEMO_SETTINGS = {
    "agency_name": "望城区人民政府办公室",
    "disclosure_office": "望城区人民政府办公室政务公开科",
    "agency_address": "望城区城东街道政务大道88号区政务服务中心三楼",
    "agency_postcode": "410200",
    "agency_phone": "0731-88001234",
    "doc_number_prefix": "望政公开",
    "clerk_name": "王某",
    # a department of the district government: its replies name the district government
    "agency_kind": "department",
    "own_government": "长沙市望城区人民政府",
    "higher_department": "长沙市人民政府办公厅",
}

#: What the clerk writes in the replies whose answer needs it.
_REPLY_FACTS = {
    "不予公开的部分及各自理由": "所附名单中自然人的身份证号码和联系电话——属于个人隐私，公开会对第三方合法权益造成损害",
    "此前的答复": "本机关已就相同内容作出答复",
    "已公开的位置": "望城区人民政府门户网站“政府信息公开”栏目",
    "依法查询的途径": "向长沙市望城区不动产登记中心申请查询不动产登记资料（《不动产登记暂行条例》第二十七条）",
}

# --- vocabularies ------------------------------------------------------------------

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
             "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")

#: Region codes (GB/T 2260) of the ID numbers: mostly the province of the
#: (fictional) agency, some from elsewhere.
_REGION_CODES = (
    ["430112"] * 8 + ["430102", "430103", "430104", "430105", "430111", "430121", "430181",
                      "430182", "430211", "430302", "430521", "430602", "430702", "431002"]
    + ["110105", "310104", "320106", "330106", "350203", "360102", "420106", "440106",
       "441303", "450103", "500103", "510107", "610113"]
)

_TOWNS = ["城东街道", "城西街道", "城南街道", "城北街道", "河西街道", "高新街道", "新港镇",
          "青山镇", "白泉镇", "桥头镇", "黄泥乡", "双溪乡"]
_VILLAGES = ["新塘村", "白鹤村", "石桥村", "荷花村", "柳林村", "联丰村", "光明村", "和平村",
             "杨柳社区", "金桂社区", "湘江社区", "望江社区"]
_ROADS = ["人民路", "建设路", "解放路", "新华路", "滨江路", "政务大道", "金星大道", "友谊路",
          "工业园路", "文化路", "东环路", "西湖路"]
_ESTATES = ["阳光花园", "滨江新城", "金色家园", "幸福里小区", "翠湖苑", "桂花园", "锦绣华庭",
            "丽景湾", "和谐家园", "书香名邸"]
_PROJECTS = ["政务大道西延线", "滨江风光带二期", "高新区标准厂房", "城东污水处理厂扩建",
             "人民路综合管廊", "新港物流园", "青山镇农贸市场改造", "城北棚户区改造",
             "河西片区土地整理", "东环路快速化改造", "区第二人民医院新院区", "白泉水库除险加固",
             "城南安置小区三期", "区实验学校新校区", "垃圾焚烧发电厂"]
_PLOTS = ["WC-2023-05号", "WC-2024-11号", "WC-2024-17号", "WC-2025-03号", "WC-2025-08号",
          "CD-07-A", "HX-12-B"]

_ORG_KINDS_WEIGHTS = [("business", 50), ("legal_services", 25), ("research", 6),
                      ("public_interest", 9), ("other", 10)]

_ORG_TEMPLATES = {
    "business": ["{city}某某科技有限公司", "{city}某某建筑工程有限公司", "{city}某某置业有限公司",
                 "{city}某某物流有限公司", "{city}某某环保科技有限公司", "{city}某某商贸有限公司",
                 "{city}某某食品有限公司", "{city}某某机械制造有限公司", "{city}某某农业开发有限公司",
                 "{city}某某信息咨询有限公司"],
    "legal_services": ["湖南某某律师事务所", "{city}某某律师事务所", "湖南某某（长沙）律师事务所",
                       "{city}某某法律服务所"],
    "research": ["{city}某某环境科学研究院", "湖南某某规划设计研究院", "某某大学公共管理研究中心"],
    "public_interest": ["{city}某某环保公益服务中心", "{city}某某社区发展促进会",
                        "某某生态环境保护基金会"],
    "other": ["{town}{village}股份经济合作社", "{estate}业主委员会", "{town}某某农民专业合作社"],
}
_ORG_CITIES = ["长沙", "长沙市", "湖南", "望城", "株洲", "湘潭"]

#: (registration authority + category) of the USCC by organisation kind.
_USCC_PREFIX = {
    "business": ["91", "91", "92"],
    "legal_services": ["31"],
    "research": ["12"],
    "public_interest": ["52", "53"],
    "other": ["N2", "N3", "93"],
}
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_CHANNEL_WEIGHTS = [("online", 45), ("letter", 24), ("in_person", 15), ("email", 9),
                    ("fax", 2), ("other", 5)]

_OUTCOME_WEIGHTS = [("disclosed", 46), ("partly_disclosed", 10), ("withheld", 8),
                    ("unavailable", 20), ("not_processed", 10), ("other", 6)]
_REASON_WEIGHTS = {
    "withheld": [30 if i in (4, 6) else 8 if i in (3, 5, 7) else 3 for i in range(1, 9)],
    "unavailable": [65, 25, 10],
    "not_processed": [35, 30, 12, 8, 15],
    "other": [55, 15, 30],
}

#: A short explanation in 备注 for each outcome (and reason).
_OUTCOME_NOTES = {
    ("partly_disclosed", None): "部分内容涉及个人隐私，经区分处理后公开其余部分。",
    ("withheld", 1): "经保密审查，所申请信息属于国家秘密，依据条例第十四条不予公开。",
    ("withheld", 2): "所申请信息属于法律、行政法规禁止公开的信息。",
    ("withheld", 3): "经评估，公开后可能危及社会稳定，依据条例第十四条不予公开。",
    ("withheld", 4): "涉及第三方商业秘密，经书面征求意见，第三方不同意公开。",
    ("withheld", 5): "所申请信息属于内部人事管理信息。",
    ("withheld", 6): "所申请信息为讨论记录、过程稿，依据条例第十六条第二款不予公开。",
    ("withheld", 7): "所申请信息属于行政执法案卷信息，可依相关法律规定查阅。",
    ("withheld", 8): "所申请事项属于行政查询事项，已告知申请人按查询程序办理。",
    ("unavailable", 1): "经检索，本机关未制作或获取所申请信息，已告知可向区自然资源局咨询。",
    ("unavailable", 2): "所申请信息需要对现有数据进行汇总、加工，本机关没有现成信息。",
    ("unavailable", 3): "经补正，申请内容仍无法指向具体政府信息。",
    ("not_processed", 1): "申请实为投诉举报，已告知申请人通过信访渠道反映。",
    ("not_processed", 2): "申请人已就相同内容提出过申请，本机关已作答复。",
    ("not_processed", 3): "所申请的为公开出版物，已告知获取途径。",
    ("not_processed", 4): "申请人短期内大量重复申请，已告知延长答复期限。",
    ("not_processed", 5): "申请人要求确认已获取信息的真实性，不属于政府信息公开申请。",
    ("other", 1): "已发出补正告知，申请人逾期未补正，视为放弃申请。",
    ("other", 2): "申请人逾期未缴纳信息处理费，不再处理该申请。",
    ("other", 3): "申请人撤回申请。",
}


_CORRECTION_ITEMS = [
    "请明确所需信息的名称、文号或者便于查询的其他特征性描述。",
    "请补充申请人身份证明复印件。",
    "申请内容涉及多个事项，请分别列明所需信息。",
]


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


# --- working days ------------------------------------------------------------------------------


class _Workdays:
    """Official working days (chinese-calendar, weekdays beyond its range)
    between two dates, for fast "n working days later" arithmetic."""

    def __init__(self, start: _dt.date, end: _dt.date):
        try:
            import chinese_calendar
        except ImportError:  # pragma: no cover - a declared dependency
            chinese_calendar = None
        days = []
        d = start
        while d <= end:
            try:
                work = chinese_calendar.is_workday(d) if chinese_calendar else d.weekday() < 5
            except NotImplementedError:  # outside the calendar's years
                work = d.weekday() < 5
            if work:
                days.append(d)
            d += _dt.timedelta(days=1)
        self.days = days
        self.ordinals = [x.toordinal() for x in days]

    def add(self, date: _dt.date, n: int) -> _dt.date:
        """The n-th working day after ``date`` (beyond the table: calendar days)."""
        i = bisect.bisect_right(self.ordinals, date.toordinal()) + n - 1
        if i < len(self.days):
            return self.days[i]
        return self.days[-1] + _dt.timedelta(days=(i - len(self.days) + 1) * 7 // 5 + 1)

    def on_or_after(self, date: _dt.date) -> _dt.date:
        i = bisect.bisect_left(self.ordinals, date.toordinal())
        return self.days[i] if i < len(self.days) else date


# --- the generator ---------------------------------------------------------------------------


@dataclass
class DemoApplication:
    record: dict[str, Any]
    events: list[tuple[str, _dt.date, dict[str, Any]]] = field(default_factory=list)


class DemoGenerator:
    """Random but plausible applications, reproducible for a seed."""

    def __init__(self, seed: int = 2026, today: _dt.date | None = None, *,
                 span_days: int = 730, expected: int = 200):
        self.rng = random.Random(seed)
        self.today = today or _dt.date.today()
        self.start = self.today - _dt.timedelta(days=span_days)
        self.workdays = _Workdays(self.start - _dt.timedelta(days=10),
                                  self.today + _dt.timedelta(days=120))
        self.receipt_days = [d for d in self.workdays.days if self.start <= d <= self.today]
        self.email_counter = 0
        # Frequent applicants return: pools sized to the expected volume.
        self.people = [self._person() for _ in range(max(20, int(expected * 0.7)))]
        self.orgs = [self._organisation() for _ in range(max(10, int(expected * 0.12)))]

    # --- applicants ---

    def _name(self) -> str:
        return self.rng.choice(_SURNAMES) + ("某某" if self.rng.random() < 0.7 else "某")

    def _resident_id(self) -> str:
        rng = self.rng
        region = rng.choice(_REGION_CODES)
        birth = _dt.date(1950, 1, 1) + _dt.timedelta(days=rng.randrange(0, 365 * 55))
        first17 = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        return first17 + resident_id_check_char(first17)

    def _uscc(self, kind: str) -> str:
        rng = self.rng
        prefix = rng.choice(_USCC_PREFIX[kind])
        region = rng.choice(["430112"] * 5 + ["430100", "430000", "430104", "430105"])
        body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(_USCC_CHARS)
        first17 = prefix + region + body
        return first17 + uscc_check_char(first17)

    def _mobile(self) -> str:
        return self.rng.choice(["13", "15", "18", "17", "19"]) + f"{self.rng.randrange(0, 10**9):09d}"

    def _landline(self) -> str:
        return f"0731-8{self.rng.randrange(0, 10**7):07d}"

    def _address(self) -> str:
        rng = self.rng
        if rng.random() < 0.55:
            return (f"望城区{rng.choice(_TOWNS)}{rng.choice(_ROADS)}{rng.randrange(1, 400)}号"
                    f"{rng.choice(_ESTATES)}{rng.randrange(1, 30)}栋{rng.randrange(1, 4)}单元"
                    f"{rng.randrange(1, 33)}{rng.randrange(1, 5):02d}室")
        return f"望城区{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}{rng.randrange(1, 20)}组{rng.randrange(1, 90)}号"

    def _email(self) -> str:
        self.email_counter += 1
        letters = "".join(self.rng.choice("abcdefghjkmnpqrstwxyz") for _ in range(self.rng.randrange(3, 7)))
        return f"{letters}{self.rng.randrange(10, 9999)}@example.com"

    def _person(self) -> dict[str, Any]:
        rng = self.rng
        return {
            "applicant_type": catalog.NATURAL_PERSON,
            "applicant_name": self._name(),
            "id_type": "resident_id",
            "id_number": self._resident_id(),
            "work_unit": rng.choice([None] * 6 + ["个体经营", "某某小学", "某某物流有限公司", "退休"]),
            "phone": self._mobile() if rng.random() < 0.93 else self._landline(),
            "address": self._address(),
            "postcode": rng.choice(["410200", "410203", "410208", "410000", "410014"]),
            "email": self._email() if rng.random() < 0.35 else None,
        }

    def _organisation(self) -> dict[str, Any]:
        rng = self.rng
        kind = _weighted(rng, _ORG_KINDS_WEIGHTS)
        name = rng.choice(_ORG_TEMPLATES[kind]).format(
            city=rng.choice(_ORG_CITIES), town=rng.choice(_TOWNS), village=rng.choice(_VILLAGES),
            estate=rng.choice(_ESTATES))
        has_code = not name.endswith("业主委员会")
        return {
            "applicant_type": catalog.ORGANISATION,
            "org_kind": kind,
            "applicant_name": name,
            "id_type": "uscc" if has_code else None,
            "id_number": self._uscc(kind) if has_code else None,
            "legal_rep": self._name(),
            "contact_name": self._name(),
            "phone": self._landline() if rng.random() < 0.5 else self._mobile(),
            "address": f"望城区{rng.choice(_TOWNS)}{rng.choice(_ROADS)}{rng.randrange(1, 400)}号",
            "postcode": rng.choice(["410200", "410203", "410000"]),
            "email": self._email() if rng.random() < 0.6 else None,
        }

    # --- the request ---

    def _request(self, applicant: dict[str, Any], receipt: _dt.date) -> dict[str, Any]:
        rng = self.rng
        year = receipt.year - rng.choice([0, 1, 1, 2])
        town, village, project = rng.choice(_TOWNS), rng.choice(_VILLAGES), rng.choice(_PROJECTS)
        plot, estate, road = rng.choice(_PLOTS), rng.choice(_ESTATES), rng.choice(_ROADS)
        doc_no = f"望政发〔{year}〕{rng.randrange(1, 60)}号"
        own = applicant["applicant_type"] == catalog.NATURAL_PERSON
        options = [
            (f"{town}{village}集体土地征收的征地批复文件及征收土地公告", None, None, 9),
            (f"{town}{village}征地补偿安置方案及本户补偿款发放明细" if own else
             f"{town}{village}征地补偿安置方案", None, None, 8),
            (f"{project}项目国有土地上房屋征收决定及补偿方案", f"{project}项目房屋征收补偿方案", None, 7),
            (f"本人位于{town}{road}的房屋所在地块的征收范围红线图及拆迁安置标准", None, None, 5),
            (f"{project}项目建设用地规划许可证、建设工程规划许可证及附图", None, None, 6),
            (f"{plot}地块控制性详细规划调整的批复文件", f"关于{plot}地块控制性详细规划调整的批复", doc_no, 4),
            (f"{year}年度区本级一般公共预算收支执行情况及“三公”经费明细", None, None, 5),
            (f"{year}年区财政对{town}的转移支付资金安排情况", None, None, 3),
            (f"{project}项目环境影响报告书及环评批复", f"关于{project}项目环境影响报告书的批复", None, 6),
            (f"{project}项目立项批复及可行性研究报告批复", None, None, 5),
            (f"{project}项目招标文件、中标公告及施工合同", None, None, 4),
            (f"{estate}加装电梯的审批文件及财政补贴发放情况", None, None, 3),
            (f"{year}年{town}城乡低保对象审批名单及标准", None, None, 3),
            (f"区人民政府关于{project}的常务会议纪要相关内容", None, None, 2),
            (f"{road}道路拓宽改造工程的规划审批及占用土地补偿依据", None, None, 3),
            (f"{town}{village}{year}年村级集体资金使用及审计情况", None, None, 2),
            (f"望城区{year}年政府信息公开工作年度报告所依据的统计台账", None, None, 1),
            (f"{estate}周边违法建设的行政处罚决定书", None, None, 2),
            (f"区人民政府《关于印发〈望城区{year}年城市更新工作方案〉的通知》", "望城区城市更新工作方案", doc_no, 3),
            (f"{town}{year}年秸秆禁烧及大气污染防治专项资金使用情况", None, None, 2),
            (f"{plot}地块国有建设用地使用权出让合同及土地出让金缴纳情况", None, None, 3),
        ]
        if not own:
            options += [
                (f"{project}项目政府采购的预算金额、评审结果及合同文本", None, None, 6),
                (f"{year}年度区本级涉企行政事业性收费目录清单", None, None, 3),
                (f"区人民政府关于{project}项目的会议纪要及决策依据（代理当事人申请）", None, None, 4),
            ]
        text, title, number, _ = rng.choices(options, [o[3] for o in options])[0]
        out = {"info_description": text, "info_title": title, "info_doc_number": number}
        if rng.random() < 0.5:
            out["info_purpose"] = rng.choice(["维护自身合法权益", "了解补偿标准", "诉讼证据", "学术研究",
                                              "生产经营需要", "监督政府工作"])
        return out

    # --- one application ---

    # Long: one synthetic application's whole course, step by step as a clerk records it
    def application(self, receipt: _dt.date | None = None, scenario: str | None = None) -> DemoApplication:
        """One application received on ``receipt``; ``scenario``
        (``"correction"`` or ``"extension"``) forces that course."""
        rng = self.rng
        receipt = receipt or rng.choice(self.receipt_days)
        if rng.random() < 0.8:
            applicant = dict(rng.choice(self.people))
        else:
            applicant = dict(rng.choice(self.orgs))
        channel = _weighted(rng, _CHANNEL_WEIGHTS)
        if channel == "email" and not applicant.get("email"):
            applicant["email"] = self._email()
        rec: dict[str, Any] = {"receipt_date": receipt.isoformat(), "channel": channel, **applicant,
                     **self._request(applicant, receipt)}
        rec["delivery_forms"] = rng.choice(["paper", "paper", "electronic", "paper,electronic"])
        rec["obtain_methods"] = {"online": rng.choice(["email", "post"]), "email": "email",
                                 "in_person": rng.choice(["collect", "post"]),
                                 "fax": "fax"}.get(channel, "post")
        if rec["obtain_methods"] == "email" and not rec.get("email"):
            rec["email"] = self._email()

        events: list[tuple[str, _dt.date, dict[str, Any]]] = []
        outcome = _weighted(rng, _OUTCOME_WEIGHTS)
        reasons = catalog.OUTCOMES[outcome].reasons
        reason = rng.choices(range(1, len(reasons) + 1), _REASON_WEIGHTS[outcome])[0] if reasons else None
        if scenario == "correction":  # the applicant has not yet answered the 补正 notice
            outcome, reason = "other", 1
        elif scenario == "extension":
            outcome = rng.choice(["disclosed", "partly_disclosed"])
            reason = None

        # How the case runs: ordinary, a 补正 pause, a consultation, an extension.
        wd = self.workdays
        reply = wd.add(receipt, rng.choice([3, 5, 7, 8, 10, 12, 14, 15, 17, 18, 19, 20]))
        status_if_open = "in_progress"
        if outcome == "other" and reason == 1 or (rng.random() < 0.05 and outcome != "other"):
            asked = wd.add(receipt, rng.randrange(2, 7))
            events.append(("correction_requested", asked, {
                "period_days": 15, "items": rng.choice(_CORRECTION_ITEMS)}))
            if outcome == "other" and reason == 1:
                reply = wd.add(asked, rng.randrange(16, 20))
                if asked <= self.today:
                    status_if_open = "awaiting_correction"
            else:
                got = wd.add(asked, rng.randrange(2, 10))
                events.append(("corrected", got, {}))
                reply = wd.add(got, rng.randrange(5, 18))
                if asked <= self.today < got:
                    status_if_open = "awaiting_correction"
        if scenario != "extension" and (
                outcome == "withheld" and reason == 4 or (outcome == "partly_disclosed" and rng.random() < 0.3)):
            sent = wd.add(receipt, rng.randrange(3, 8))
            third_party = rng.choice(["某某置业有限公司", "某某建设工程有限公司", "某某物业服务有限公司"])
            events.append(("third_party_sent", sent, {"third_party": third_party}))
            answered = wd.add(sent, rng.randrange(5, 15))
            events.append(("third_party_replied", answered,
                           {"third_party": third_party, "agrees": outcome != "withheld"}))
            reply = max(reply, wd.add(answered, rng.randrange(2, 6)))
            if sent <= self.today < answered:
                status_if_open = "awaiting_third_party"
        elif scenario == "extension" or rng.random() < 0.07:
            ext = wd.add(receipt, rng.randrange(15, 19))
            events.append(("extension", ext, {
                "days": 20, "reason": "所申请信息涉及多个部门，需要协调核实", "approver": "刘某某",
                "approved_on": ext.isoformat()}))
            reply = wd.add(receipt, rng.randrange(22, 40))
            if ext <= self.today:
                status_if_open = "extended"
        if outcome == "other" and reason == 2:
            fee = wd.add(receipt, rng.randrange(4, 10))
            events.append(("fee_notice", fee, {"amount": rng.choice([100, 200, 350])}))
            reply = max(reply, wd.add(fee, rng.randrange(21, 24)))
            if fee <= self.today:
                status_if_open = "awaiting_payment"

        if reply <= self.today:
            rec.update(reply_date=reply.isoformat(), outcome=outcome, outcome_reason=reason,
                       status="closed")
            note = _OUTCOME_NOTES.get((outcome, reason))
            if note and rng.random() < 0.85:
                rec["notes"] = note
        else:
            rec["status"] = status_if_open
            if rng.random() < 0.3:
                rec["notes"] = "已转相关业务科室查找，待反馈。"
        events = [e for e in events if e[1] <= self.today]
        return DemoApplication(rec, events)

    def applications(self, count: int) -> list[DemoApplication]:
        """``count`` applications in order of receipt; the most recent
        weeks always hold a few still open."""
        dates = sorted(self.rng.choice(self.receipt_days) for _ in range(count))
        # Ensure a handful of fresh (open) ones even for a small count.
        recent = [d for d in self.receipt_days if d > self.today - _dt.timedelta(days=18)]
        for i in range(min(len(recent), max(3, count // 40))):
            dates[-1 - i] = max(dates[-1 - i], self.rng.choice(recent))
        dates.sort()
        apps = [self.application(d) for d in dates]
        if count >= 20:
            # A register always has some cases in the middle of a step:
            # one waiting for the applicant's 补正, one extended.
            for scenario, back in (("correction", 8), ("extension", 18)):
                apps.append(self.application(self._workday_before(back), scenario))
            # (the two oldest make room, so the count stays exact)
            apps = sorted(apps[2:], key=lambda a: a.record["receipt_date"])
        return apps

    def _workday_before(self, n: int) -> _dt.date:
        """The working day ``n`` working days before today."""
        i = bisect.bisect_right(self.workdays.ordinals, self.today.toordinal()) - 1 - n
        return self.workdays.days[max(i, 0)]


# --- filling a register ----------------------------------------------------------------


def fill_demo(session: Session, count: int = 200, seed: int = 2026, today: _dt.date | None = None, *,
              agency_life: bool = True) -> int:
    """Add ``count`` synthetic applications (validated, one transaction)
    and the demo agency settings where they are empty; returns how many
    were added.

    With ``agency_life`` (and ``count`` ≥ 20) the register also gets what
    a year of real work leaves behind, all through the services
    (validated and audited): numbered notices on every timeline, one
    duplicate entry in the recycle bin, section 二 figures, reconsideration
    and litigation cases, and last year's report written and published
    (see :class:`_AgencyLife`)."""
    today = today or _dt.date.today()
    gen = DemoGenerator(seed, today, expected=count)
    with session.store.transaction():
        settings = get_settings(session)
        missing = {k: v for k, v in DEMO_SETTINGS.items() if not settings.get(k)}
        if missing:
            update_settings(session, missing)
        added = []
        for app in gen.applications(count):
            record = dict(app.record)
            closing: dict[str, Any] = {}
            if (record.get("outcome"), record.get("outcome_reason")) == applications.FEE_LAPSE:
                # a fee lapse is closed only once its fee notice is on record, as a clerk would
                closing = {k: record.pop(k) for k in ("outcome", "outcome_reason", "reply_date", "status")
                           if k in record}
            app_id = applications.register_application(session, record, today=today).app_id
            for kind, date, data in app.events:
                applications.add_event(session, app_id, kind, date.isoformat(), data)
            if closing:
                applications.update_application(session, app_id, closing, today=today)
            added.append(app_id)
        if agency_life and count >= 20:
            _AgencyLife(session, seed, today).fill(added)
    return count


# --- the rest of a living agency ----------------------------------------------------------

#: Timeline steps that go with a written notice (as the GUI offers after
#: recording the step), and the notice kind.
_STEP_NOTICES = {"correction_requested": "correction", "extension": "extension",
                 "third_party_sent": "third_party", "fee_notice": "fee"}

#: Section 二 of a district government office: no 规章 (a district cannot
#: make them), a few 规范性文件, hundreds of licences, some penalties.
_RECONSIDERATION_BODY = "望城区人民政府"
_COURT = "长沙铁路运输法院"

#: Texts for the 【请补充：…】 passages of the drafts (key: the hint).
_FILLS = {
    "本年主动公开信息总条数、重点领域公开和政策解读情况":
        "全年通过区人民政府门户网站主动公开政府信息{items}条，其中重点领域信息{key_items}条，"
        "发布政策解读材料{readings}篇。",
    "规范性文件清理、信息公开目录和指南更新情况":
        "组织开展行政规范性文件集中清理，更新政府信息公开指南和政府信息公开目录。",
    "政务新媒体、公开查阅点等平台建设情况":
        "同步通过“望城发布”政务新媒体和区政务服务中心政府信息公开查阅点发布、提供政府信息。",
    "工作机构和人员、培训、考核、社会评议和责任追究情况":
        "区人民政府办公室政务公开科配备专职工作人员2名，全年组织政务公开业务培训{trainings}次，"
        "未发生因政府信息公开工作被责任追究的情况。",
    "其他问题": "，政策解读的形式还不够丰富",
    "其他改进措施": "，持续提升依申请公开答复文书质量",
    "年度政务公开工作要点落实情况及其他需要报告的事项":
        "本机关认真落实{year}年政务公开工作要点，各项任务均已按期完成。",
}


class _AgencyLife:
    """Everything besides the applications, deterministic for a seed."""

    def __init__(self, session: Session, seed: int, today: _dt.date):
        self.session = session
        self.today = today
        self.rng = random.Random(f"demo-agency-{seed}")
        self.year = today.year
        self.workdays = _Workdays(_dt.date(today.year - 2, 1, 1), today + _dt.timedelta(days=10))

    def workday(self, date: _dt.date) -> _dt.date:
        """``date`` or the next working day (courts and reconsideration
        bodies file and decide on working days)."""
        return self.workdays.on_or_after(date)

    def fill(self, app_ids: list[int]) -> None:
        self.issue_notices(app_ids)
        self.duplicate_in_recycle_bin(app_ids)
        self.proactive_figures()
        self.cases(app_ids)
        self.last_years_report()

    # --- numbered notices ---

    def issue_notices(self, app_ids: list[int]) -> None:
        """登记回执, the step notices and 答复告知书 of every application,
        issued in date order so the numbers of a year follow the dates."""
        plan = []
        for app_id in app_ids:
            app = applications.get(self.session, app_id)
            plan.append((app.receipt_date, 0, app_id, "receipt"))
            for ev in applications.events(self.session, app_id):
                if ev.kind in _STEP_NOTICES:
                    plan.append((ev.date, 1, app_id, _STEP_NOTICES[ev.kind]))
            withdrawn = app.outcome == "other" and app.outcome_reason == 3
            if app.outcome and not withdrawn:
                plan.append((app.reply_date, 2, app_id, "reply"))
        for date, _order, app_id, kind in sorted(plan):
            try:
                draft = notices.prepare(self.session, app_id, kind, issue_date=date,
                                        extras=_REPLY_FACTS if kind == "reply" else None)
            except NoticeError:
                continue  # e.g. a fee within the free allowance: no notice is due
            notices.issue(self.session, draft)

    # --- the recycle bin ---

    def duplicate_in_recycle_bin(self, app_ids: list[int]) -> None:
        """The newest letter entered twice by mistake; the copy deleted."""
        original = applications.get(self.session, app_ids[-1])
        copy = {k: getattr(original, k) for k in APPLICATION_FIELDS
                if k not in ("serial", "status", "reply_date", "outcome", "outcome_reason")}
        copy["notes"] = f"与{original.serial}为同一份申请，误重复登记。"
        dup_id = applications.register_application(self.session, copy, today=self.today).app_id
        recycle_bin.delete_application(self.session, dup_id)

    # --- section 二 ---

    def proactive_figures(self) -> None:
        """The proactive register (``services.demo_items``: its documents
        give section 二 （一）, the licensing decisions are typed monthly)
        and the other section 二 figures typed per year."""
        from .demo_items import fill_items

        rng = self.rng
        fill_items(self.session, self.rng.randrange(1_000_000), self.today)
        for year in range(self.year - 2, self.year + 1):
            # The year in progress: the figures so far.
            share = 1.0 if year < self.year else (self.today.timetuple().tm_yday / 365)
            fees = round(rng.uniform(8, 30) * share, 4)
            report.save_section2(self.session, year, {
                "penalty_decisions": round(rng.randrange(8, 40) * share),
                "enforcement_decisions": round(rng.randrange(1, 8) * share),
                "fees_amount": f"{fees:.4f}",
            }, source="区执法办案平台、财政非税收入系统")

    # --- section 四 ---

    # Long: the demo cases of two years written out one by one
    def cases(self, app_ids: list[int]) -> None:
        """Reconsideration and litigation cases over last year and this
        year, most about a refusal, as a district office sees them."""
        rng, today = self.rng, self.today
        prev, this = self.year - 1, self.year
        day = _dt.timedelta
        refused = [a for a in (applications.get(self.session, i) for i in app_ids)
                   if a.outcome in ("withheld", "unavailable", "not_processed", "partly_disclosed")]
        used: set[int] = set()
        numbers: dict[str, dict[int, int]] = {"reconsideration": {}, "lawsuit": {}}

        def case_number(kind: str, filed: _dt.date) -> str:
            group = "reconsideration" if kind == "reconsideration" else "lawsuit"
            last = numbers[group].get(filed.year, rng.randrange(2, 9) if group == "reconsideration"
                                      else rng.randrange(40, 160))
            n = last + rng.randrange(3, 15)
            numbers[group][filed.year] = n
            if group == "reconsideration":
                return f"望政复〔{filed.year}〕{n}号"
            return f"（{filed.year}）湘8601行初{n}号"

        def pick(first: _dt.date, last: _dt.date, delay: tuple[int, int],
                 outcomes: Collection[str] | None = None) -> tuple[Application | None, _dt.date | None]:
            """An answered application whose applicant would file within
            [first, last] after ``delay`` days; the filing date."""
            last = min(last, today)
            if first > last:
                return None, None
            fits = [a for a in refused if a.id not in used
                    and (outcomes is None or a.outcome in outcomes)
                    and first <= _dt.date.fromisoformat(a.reply_date or "") + day(delay[0]) <= last]
            if not fits:
                return None, None
            app = rng.choice(fits)
            used.add(app.id)
            replied = _dt.date.fromisoformat(app.reply_date or "")
            filed = self.workday(min(max(replied + day(rng.randrange(*delay)), first), last))
            return app, (filed if filed <= today else None)

        def add(kind: str, app: Application | None, filed: _dt.date, duration: tuple[int, int] | None,
                result: str, notes: str) -> _dt.date | None:
            closed = self.workday(filed + day(rng.randrange(*duration))) if duration else None
            if closed is not None and closed > today:
                closed, result = None, "pending"
            record = {
                "kind": kind, "case_number": case_number(kind, filed), "filed_date": filed.isoformat(),
                "closed_date": closed.isoformat() if closed else None, "result": result,
                "application_id": app.id if app else None,
                "party": app.applicant_name if app else _SURNAMES[rng.randrange(40)] + "某某",
                "body": _RECONSIDERATION_BODY if kind == "reconsideration" else _COURT,
                "notes": notes,
            }
            cases.add_case(self.session, record, today=today)
            return closed

        d = _dt.date
        recon = (20, 56)  # within the 60 days of the Administrative Reconsideration Law
        # Last year: two reconsiderations decided, one lawsuit decided next
        # year, and the applicant of the first going on to court.
        app, filed = pick(d(prev, 3, 1), d(prev, 6, 30), recon, ("withheld",))
        if filed:
            closed = add("reconsideration", app, filed, (45, 60), "upheld",
                         "申请人认为不予公开理由不成立。复议机关决定维持原答复。")
            if closed:
                later = self.workday(closed + day(rng.randrange(8, 15)))
                if later <= today:
                    add("lawsuit_after_reconsideration", app, later, (90, 150), "other",
                        "复议维持后申请人提起诉讼，后撤回起诉，法院裁定准许撤诉。")
        app, filed = pick(d(prev, 5, 1), d(prev, 9, 30), recon, ("unavailable",))
        if filed:
            add("reconsideration", app, filed, (40, 60), "corrected",
                "复议机关认为检索不充分，决定撤销原答复，责令重新答复。")
        app, filed = pick(d(prev, 9, 1), d(prev, 11, 30), (60, 150), None)
        if filed:
            add("lawsuit_direct", app, filed, (120, 200), "upheld",
                "原告请求撤销答复并判令公开。法院判决驳回诉讼请求。")
        # This year: one decided, one lawsuit and one reconsideration pending.
        app, filed = pick(d(this, 2, 1), d(this, 6, 30), recon, None)
        if filed:
            add("reconsideration", app, filed, (45, 60), "upheld", "复议机关决定维持原答复。")
        app, filed = pick(d(this, 5, 1), d(this, 9, 30), (60, 150), None)
        if filed:
            add("lawsuit_direct", app, filed, None, "pending", "已提交答辩状及证据材料，等待开庭。")
        app, filed = pick(today - day(45), today - day(7), recon, None)
        if filed:
            add("reconsideration", app, filed, None, "pending", "已向复议机关提交答复书及证据材料。")

    # --- last year's report, written and published ---

    def last_years_report(self) -> None:
        """The previous year's narrative texts (the app's drafts with the
        【请补充】 passages written in) and, once January is over, the
        report marked as published."""
        import re

        year, rng = self.year - 1, self.rng
        values = {"items": rng.randrange(1800, 3200), "key_items": rng.randrange(600, 1200),
                  "readings": rng.randrange(25, 60), "trainings": rng.randrange(2, 5), "year": year}
        proposals = iter([rng.randrange(3, 12), rng.randrange(2, 9)])  # 人大建议, 政协提案

        def fill(match: re.Match[str]) -> str:
            hint = match.group(1)
            if hint == "件数":
                return str(next(proposals, 0))
            return _FILLS.get(hint, "").format(**values)

        for key, text in report.drafts(self.session, year).items():
            # Unknown hints (such as the year-on-year change the app does not
            # compute from a partly recorded year) are left out.
            text = re.sub(r"【请补充[：:]?([^】]*)】", fill, text)
            report.save_text(self.session, year, key, text)
        if self.today > _dt.date(self.year, 1, 31):
            report.publish(self.session, year)


def build_large_database(path: str | os.PathLike[str], n: int, seed: int = 1,
                         today: _dt.date | None = None) -> None:
    """Write a database at ``path`` with ``n`` applications for benchmarks:
    the same generator as :func:`fill_demo`, written in bulk in a single
    transaction, with a ``received`` (and, when answered, a ``replied``)
    event per application; the deadline columns are then computed in bulk,
    as the register would have kept them."""
    today = today or _dt.date.today()
    store = Store.open(path, create=True)
    session = Session(store)
    try:
        gen = DemoGenerator(seed, today, expected=n)
        apps = gen.applications(n)
        stamp = now_iso()
        with store.transaction():
            settings = get_settings(session)
            missing = {k: v for k, v in DEMO_SETTINGS.items() if not settings.get(k)}
            if missing:
                update_settings(session, missing)
            counters: dict[int, int] = {}
            records, timelines = [], []
            for app in apps:
                rec = app.record
                year = int(rec["receipt_date"][:4])
                if year not in counters:
                    counters[year] = int(applications.next_serial(session, year).split("-")[1]) - 1
                counters[year] += 1
                rec["serial"] = f"{year}-{counters[year]:04d}"
                records.append(ApplicationFields.from_values(rec))
                events = [("received", rec["receipt_date"], {"channel": rec.get("channel")})]
                events += [(kind, date.isoformat(), data) for kind, date, data in app.events]
                if rec.get("outcome"):
                    events.append(("replied", rec["reply_date"],
                                   {"outcome": rec["outcome"], "outcome_reason": rec.get("outcome_reason")}))
                timelines.append(events)
            ids = store.applications.insert_many(records, stamp)
            store.events.insert_many([(app_id, *ev) for app_id, evs in zip(ids, timelines) for ev in evs],
                                     stamp)
            pattern = applications.pattern_of(store)
            for year, last in counters.items():
                store.numbering.reserve(f"{year}-{last:04d}", pattern)
        # Derived state (due dates, status) as the register would have
        # written it row by row, computed in bulk.
        recompute_open(session)
        store.optimize()
    finally:
        store.close()


def _main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - a developer convenience
    import argparse
    import time

    parser = argparse.ArgumentParser(description="生成演示/基准数据库")
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if os.path.exists(args.path):
        parser.error(f"{args.path} 已存在")
    t = time.perf_counter()
    build_large_database(args.path, args.n, seed=args.seed)
    print(f"{args.n} applications in {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
