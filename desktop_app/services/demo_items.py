"""The demo register's proactive disclosure: a few hundred items over
three years as a district government office publishes them (licensing
results, budgets, plans, notices, normative documents issued and repealed,
their interpretations, a draft with a public-comment period), mostly on
time, some late, a few overdue now; and the monthly figures from other
systems.  Deterministic for a seed; everything through
:mod:`desktop_app.services.items` (validated and audited)."""

from __future__ import annotations

import datetime as _dt
import random
from typing import Any

from . import items
from .deadlines import calendar_of
from .session import Session

AGENCY = "长沙市望城区人民政府办公室"
ISSUERS = ["长沙市望城区人民政府", "长沙市望城区人民政府办公室", "望城区财政局", "望城区住房和城乡建设局",
           "望城区市场监督管理局", "望城区民政局"]
#: (Art. 20 item, title pattern, topic, channels) of the routine items.
ROUTINE = [
    (5, "{year}年{month}月上旬行政许可办理结果公示", "行政许可", ["website"]),
    (5, "{year}年{month}月下旬行政许可办理结果公示", "行政许可", ["website"]),
    (6, "{year}年第{n}批行政处罚决定公开", "行政执法", ["website"]),
    (7, "望城区{year}年区级部门预算公开", "财政预决算", ["website", "new_media"]),
    (4, "{year}年{month}月全区主要经济指标", "统计信息", ["website"]),
    (9, "{year}年第{n}批政府集中采购项目实施情况", "政府采购", ["website"]),
    (10, "{place}重大建设项目批准和实施情况", "重大项目", ["website", "notice_board"]),
    (11, "{year}年城乡低保对象名单公示（第{n}批）", "社会救助", ["website", "notice_board"]),
    (13, "{year}年{month}月食品安全监督抽检信息", "市场监管", ["website", "new_media"]),
    (14, "望城区{year}年公开招聘事业单位工作人员拟聘用人员公示", "人事信息", ["website", "new_media"]),
    (12, "{place}防汛应急预案", "应急管理", ["website", "gazette"]),
]
PLACES = ["雷锋街道", "高塘岭街道", "乌山街道", "白沙洲街道", "茶亭镇", "靖港镇", "乔口镇", "铜官街道"]
DOCUMENTS = ["望城区城乡居民最低生活保障实施办法", "望城区农村宅基地管理办法", "望城区政府投资项目管理办法",
             "望城区老旧小区改造实施办法", "望城区中小企业发展专项资金管理办法", "望城区养老服务补贴管理办法",
             "望城区城市道路挖掘管理规定", "望城区政府性债务管理办法", "望城区人才引进实施办法",
             "望城区集体土地征收补偿安置办法", "望城区农村人居环境整治考核办法", "望城区公共租赁住房管理办法",
             "望城区街道（镇）财政管理办法", "望城区政务服务“一件事一次办”实施办法", "望城区突发事件应急预案管理办法",
             "望城区文明城市创建长效管理办法"]


# Long: the demo agency's years written out kind by kind: older documents, each year's, routine items, open work
def fill_items(session: Session, seed: int, today: _dt.date) -> int:
    """Add the demo agency's proactive register; returns how many items."""
    rng = random.Random(f"demo-items-{seed}")
    calendar = calendar_of(session.store)
    records: list[dict[str, Any]] = []
    first_year = today.year - 2
    doc_titles = list(DOCUMENTS)
    rng.shuffle(doc_titles)
    documents: list[tuple[int, dict[str, Any]]] = []

    def workday(d: _dt.date) -> _dt.date:
        while not calendar.is_workday(d):
            d += _dt.timedelta(days=1)
        return d

    def published(formed: _dt.date, *, late_share: float, limit: int = 20) -> str | None:
        due = calendar.add_working_days(formed, limit, allow_provisional=True)
        if rng.random() < late_share:
            day = calendar.add_working_days(due, rng.randint(1, 12), allow_provisional=True)
        else:
            day = calendar.add_working_days(formed, rng.randint(1, limit), allow_provisional=True)
        if day > today:
            # not yet published: most still in time, a few now overdue
            return None
        return day.isoformat()

    # Documents in force before the register starts: issued years ago, some repealed in the demo years.
    for k in range(6):
        title = doc_titles.pop()
        issued = workday(_dt.date(first_year - 3 + k % 3, rng.randint(1, 12), rng.randint(1, 25)))
        repealed = None
        if k < 3:
            repealed = workday(_dt.date(first_year + k, rng.randint(2, 11), rng.randint(1, 25))).isoformat()
        documents.append((len(records), {}))
        records.append({"title": title, "kind": "normative", "doc_number": f"望政发〔{issued.year}〕{rng.randint(1, 30)}号",
                        "issuer": rng.choice(ISSUERS[:2]), "formed_on": issued.isoformat(),
                        "issued_on": issued.isoformat(), "effective_on": issued.isoformat(),
                        "published_on": calendar.add_working_days(issued, rng.randint(3, 15), allow_provisional=True
                                                                  ).isoformat(),
                        "repealed_on": repealed, "channels": ["website", "gazette"], "art20": 1,
                        "topic": "规范性文件", "summary": f"规定{title[3:-2]}的适用范围、工作职责、程序和监督管理要求。",
                        "reviewed_by": "李明", "reviewed_on": issued.isoformat()})
    for year in range(first_year, today.year + 1):
        months = 12 if year < today.year else today.month
        # normative documents of the year, with their interpretations
        for k in range(rng.randint(2, 4) if year < today.year else 2):
            if not doc_titles:
                break
            title = doc_titles.pop()
            formed = workday(_dt.date(year, rng.randint(1, months), rng.randint(1, 25)))
            if formed > today:
                continue
            pub = published(formed, late_share=0.15)
            number = f"望政发〔{year}〕{k + 3}号"
            index = len(records)
            record: dict[str, Any] = {"title": title, "kind": "normative", "doc_number": number,
                                      "issuer": rng.choice(ISSUERS[:2]),
                      "formed_on": formed.isoformat(), "issued_on": formed.isoformat(),
                      "effective_on": (formed + _dt.timedelta(days=30)).isoformat(), "published_on": pub,
                      "channels": ["website", "gazette"] if pub else [], "art20": 1, "topic": "规范性文件",
                      "summary": f"规定{title[3:-2]}的适用范围、工作职责、程序和监督管理要求。",
                      "reviewed_by": "李明", "reviewed_on": formed.isoformat(),
                      "signed_off_by": "王建国", "signed_off_on": formed.isoformat()}
            if k == 0:
                start = formed - _dt.timedelta(days=45)
                record["comment_periods"] = [{"start_on": start.isoformat(),
                                              "end_on": (start + _dt.timedelta(days=30)).isoformat(),
                                              "channel": "区政府门户网站“意见征集”栏目",
                                              "comments_received": rng.randint(3, 40),
                                              "usage": "采纳意见若干条，未采纳的已在起草说明中说明理由。"}]
            records.append(record)
            documents.append((index, record))
            if pub:
                parent_pub = _dt.date.fromisoformat(pub)
                lag = rng.choice([1, 2, 3, 3, 5, 8]) if k % 2 == 0 else rng.choice([0, 1, 2])
                day = calendar.add_working_days(parent_pub, lag, allow_provisional=True) if lag else parent_pub
                if day <= today:
                    records.append({"title": f"《{title}》政策解读", "kind": "interpretation", "interprets_index": index,
                                    "issuer": record["issuer"], "published_on": day.isoformat(),
                                    "channels": ["website", "new_media"], "art20": 1, "topic": "政策解读",
                                    "summary": f"图文解读{title}的出台背景、主要内容和适用对象。"})
        # routine items month by month
        for month in range(1, months + 1):
            for art20, pattern, topic, channels in ROUTINE:
                if art20 in (7, 14, 12) and month not in (3, 6):
                    continue
                if art20 in (6, 9, 10, 11) and month % 2:
                    continue
                day = _dt.date(year, month, rng.randint(1, 25))
                formed = workday(day)
                if formed > today - _dt.timedelta(days=2):
                    continue
                title = pattern.format(year=year, month=month, n=month // 2 or 1, place=rng.choice(PLACES))
                pub = published(formed, late_share=0.06)
                records.append({"title": title, "issuer": rng.choice(ISSUERS), "formed_on": formed.isoformat(),
                                "published_on": pub, "channels": channels if pub else [], "art20": art20,
                                "topic": topic, "summary": f"公开{title}。"})
    # the clerk's current work: a few due soon, two overdue
    for k, (back, title) in enumerate([(40, "望城区{y}年冬季供暖保障工作方案"), (34, "{y}年第四季度重点项目调度情况"),
                                       (12, "望城区{y}年度困难群众冬春救助资金发放情况"),
                                       (8, "望城区{y}年12月行政许可办理结果公示（第一批）"),
                                       (3, "望城区{y}年度政府集中采购目录调整")]):
        formed = today - _dt.timedelta(days=back)
        if formed.year < today.year:
            continue
        records.append({"title": title.format(y=today.year), "issuer": ISSUERS[k % len(ISSUERS)],
                        "formed_on": workday(formed).isoformat(), "art20": [3, 10, 11, 5, 9][k],
                        "topic": "工作动态", "summary": "拟主动公开。"})
    # a few items withheld or on request only
    records.append({"title": "区政府常务会议内部议事记录", "attribute": "withheld",
                    "attribute_reason": "《条例》第十六条：行政机关的内部事务信息", "formed_on": f"{today.year}-03-10"})
    records.append({"title": "某企业环境影响评价报告书全本", "attribute": "on_request",
                    "attribute_reason": "涉及商业秘密，经权利人同意后依申请提供", "formed_on": f"{today.year - 1}-06-10"})
    items.add_many(session, records, today=today, source="演示数据")
    # monthly figures from the government-service platform
    for year in range(first_year, today.year + 1):
        months = 12 if year < today.year else max(1, today.month - 1)
        for month in range(1, months + 1):
            items.save_figure(session, year, month, "licensing_decisions", rng.randint(20, 45), "区政务服务平台统计")
    return len(records)
