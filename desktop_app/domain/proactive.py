"""Proactive disclosure (主动公开): the items an agency publishes, their time
limits on the working-day calendar, and section 二 of the annual report.

* An item is due **20 working days after it was formed or changed**
  (Regulation Art. 26), unless a law sets another time.
* A policy interpretation (政策解读) is due **3 working days after its
  document was published** (国办发〔2016〕19号).
* Section 二 （一）: rules (规章) and normative documents (行政规范性文件)
  issued in the year, repealed in the year, and in force on 31 December;
  a document issued in one year and repealed in a later one counts in
  each year where it belongs.

No Qt, no SQL: the register of items lives in storage, the use cases in
services.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol
from collections.abc import Iterable

PUBLISH_DAYS = 20
INTERPRETATION_DAYS = 3
DUE_SOON_DAYS = 5

#: Regulation Art. 20: what must be published (the item an entry falls under).
ART20_ITEMS: dict[int, str] = {
    1: "行政法规、规章和规范性文件",
    2: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    3: "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    4: "国民经济和社会发展统计信息",
    5: "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    6: "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    7: "财政预算、决算信息",
    8: "行政事业性收费项目及其依据、标准",
    9: "政府集中采购项目的目录、标准及实施情况",
    10: "重大建设项目的批准和实施情况",
    11: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    12: "突发公共事件的应急预案、预警信息及应对情况",
    13: "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    14: "公务员招考的职位、名额、报考条件等事项以及录用结果",
    15: "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}

CN_NUMERALS = "一二三四五六七八九十"


def art20_label(item: int) -> str:
    """``第二十条第（十一）项``"""
    if item <= 10:
        n = CN_NUMERALS[item - 1]
    else:
        n = "十" + CN_NUMERALS[item - 11]
    return f"第二十条第（{n}）项"


class DocKind(str, Enum):
    RULE = "rule"              # 规章
    NORMATIVE = "normative"    # 行政规范性文件
    INTERPRETATION = "interpretation"  # 政策解读
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"rule": "规章", "normative": "行政规范性文件", "interpretation": "政策解读",
                "other": "其他"}[self.value]


class Attribute(str, Enum):
    """公开属性."""

    PROACTIVE = "proactive"    # 主动公开
    ON_REQUEST = "on_request"  # 依申请公开
    WITHHELD = "withheld"      # 不予公开

    @property
    def label(self) -> str:
        return {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不予公开"}[self.value]


CHANNELS: dict[str, str] = {
    "website": "政府网站",
    "gazette": "政府公报",
    "new_media": "政务新媒体",
    "notice_board": "公开栏",
    "press": "新闻发布会、报刊广播电视",
    "other": "其他",
}


class WorkingDays(Protocol):
    """What the item rules need of the working-day calendar (domain.workdays)."""

    def due(self, start: _dt.date, n: int) -> Any: ...
    def working_days_between(self, a: _dt.date, b: _dt.date) -> int: ...


@dataclass(frozen=True)
class Item:
    """One entry of the proactive-disclosure register (the fields the rules
    read; storage keeps the rest: summary, channels, review…)."""

    id: int
    title: str
    kind: DocKind = DocKind.OTHER
    attribute: Attribute = Attribute.PROACTIVE
    formed_on: _dt.date | None = None        # 形成或者变更日期 (成文/印发/修订)
    published_on: _dt.date | None = None     # 公开日期
    interpretation_of: int | None = None     # the document an interpretation explains
    issued_on: _dt.date | None = None        # 规章/规范性文件: 制发日期 (defaults to formed_on)
    repealed_on: _dt.date | None = None      # 废止日期
    expires_on: _dt.date | None = None       # 有效期届满 (a normative document's term)
    due_override: _dt.date | None = None     # a law's own time limit

    @property
    def is_document(self) -> bool:
        return self.kind in (DocKind.RULE, DocKind.NORMATIVE)


class Timeliness(str, Enum):
    NOT_DUE = "not_due"          # not to be published proactively, or no date to count from
    OPEN = "open"                # unpublished, due later
    DUE_SOON = "due_soon"        # unpublished, due within DUE_SOON_DAYS working days
    OVERDUE = "overdue"          # unpublished, past due
    ON_TIME = "on_time"          # published by the due date
    LATE = "late"                # published after the due date

    @property
    def label(self) -> str:
        return {"not_due": "—", "open": "待公开", "due_soon": "即将到期", "overdue": "已逾期",
                "on_time": "按时公开", "late": "逾期公开"}[self.value]


@dataclass(frozen=True)
class ItemDeadline:
    due: _dt.date | None
    state: Timeliness
    provisional: bool = False
    working_days_late: int = 0    # for OVERDUE and LATE
    working_days_left: int = 0    # for OPEN and DUE_SOON
    basis: str = ""               # what the due date counts from


def deadline(item: Item, calendar: WorkingDays, today: _dt.date,
             parent_published_on: _dt.date | None = None) -> ItemDeadline:
    """The due date and state of ``item`` on ``today``.  An interpretation
    counts from its document's publication (``parent_published_on``)."""
    if item.attribute is not Attribute.PROACTIVE:
        return ItemDeadline(None, Timeliness.NOT_DUE)
    provisional = False
    if item.due_override is not None:
        due, basis = item.due_override, "法律、法规另有规定的期限"
    elif item.kind is DocKind.INTERPRETATION and item.interpretation_of is not None:
        if parent_published_on is None:
            return ItemDeadline(None, Timeliness.NOT_DUE, basis="所解读的文件尚未公开")
        result = calendar.due(parent_published_on, INTERPRETATION_DAYS)
        due, provisional = result.date, result.provisional
        basis = f"文件公开（{parent_published_on.isoformat()}）后{INTERPRETATION_DAYS}个工作日"
    elif item.formed_on is not None:
        result = calendar.due(item.formed_on, PUBLISH_DAYS)
        due, provisional = result.date, result.provisional
        basis = f"形成或者变更（{item.formed_on.isoformat()}）后{PUBLISH_DAYS}个工作日"
    else:
        return ItemDeadline(None, Timeliness.NOT_DUE, basis="未填写形成或者变更日期")
    if item.published_on is not None:
        if item.published_on <= due:
            return ItemDeadline(due, Timeliness.ON_TIME, provisional, basis=basis)
        late = calendar.working_days_between(due, item.published_on)
        return ItemDeadline(due, Timeliness.LATE, provisional, working_days_late=max(late, 1), basis=basis)
    if today > due:
        late = calendar.working_days_between(due, today)
        return ItemDeadline(due, Timeliness.OVERDUE, provisional, working_days_late=max(late, 1), basis=basis)
    left = calendar.working_days_between(today, due)
    state = Timeliness.DUE_SOON if left <= DUE_SOON_DAYS else Timeliness.OPEN
    return ItemDeadline(due, state, provisional, working_days_left=left, basis=basis)


# --- section 二 （一）: rules and normative documents ------------------------------------


@dataclass(frozen=True)
class DocumentCounts:
    """Item ids behind each cell of section 二 （一） for one kind."""

    issued: tuple[int, ...] = ()
    repealed: tuple[int, ...] = ()
    in_force: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section2Documents:
    year: int
    rules: DocumentCounts = field(default_factory=DocumentCounts)
    normative: DocumentCounts = field(default_factory=DocumentCounts)


def _issued(item: Item) -> _dt.date | None:
    return item.issued_on or item.formed_on


def in_force_on(item: Item, day: _dt.date) -> bool:
    """Issued by ``day`` and neither repealed nor expired by then."""
    issued = _issued(item)
    if issued is None or issued > day:
        return False
    if item.repealed_on is not None and item.repealed_on <= day:
        return False
    return not (item.expires_on is not None and item.expires_on < day)


def section2_documents(items: Iterable[Item], year: int) -> Section2Documents:
    """Section 二 （一） of ``year`` from the documents' life dates."""
    start, end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    cells: dict[DocKind, dict[str, list[int]]] = {
        DocKind.RULE: {"issued": [], "repealed": [], "in_force": []},
        DocKind.NORMATIVE: {"issued": [], "repealed": [], "in_force": []},
    }
    for item in items:
        if not item.is_document:
            continue
        c = cells[item.kind]
        issued = _issued(item)
        if issued is not None and start <= issued <= end:
            c["issued"].append(item.id)
        ended = item.repealed_on
        if ended is not None and start <= ended <= end:
            c["repealed"].append(item.id)
        if in_force_on(item, end):
            c["in_force"].append(item.id)

    def counts(kind: DocKind) -> DocumentCounts:
        c = cells[kind]
        return DocumentCounts(tuple(sorted(c["issued"])), tuple(sorted(c["repealed"])),
                              tuple(sorted(c["in_force"])))

    return Section2Documents(year, counts(DocKind.RULE), counts(DocKind.NORMATIVE))
