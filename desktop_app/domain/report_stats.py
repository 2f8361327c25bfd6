"""Statistics of the annual report (政府信息公开工作年度报告), computed from
the register, exactly as the national format (国办公开办函〔2021〕30号)
draws its tables.  Plain Python: callers pass plain tuples (see
:data:`SECTION3_COLUMNS` and :data:`CASE_COLUMNS`) fetched by the storage
layer.

Counting rules for a year Y (section 三):

* 一、本年新收 — applications received in Y;
* 二、上年结转 — received before Y and not closed before January 1 of Y;
* 三、本年度办理结果 — closed in Y (closing date = ``reply_date``), whenever
  received, each once under its single final outcome and numbered reason;
* 四、结转下年度继续办理 — received by December 31 of Y and not closed by then.

An application is *closed* when it has both a reply date and an outcome of
the catalogue.  A reply date without an outcome (or an outcome without a
reply date) cannot be counted under any result: such an application is
counted as still open and flagged, so the identity 一 + 二 = 三（七）+ 四
holds in every column and the pre-export check names it.

Section 四 counts the reconsideration and litigation cases that were
pending at some time in Y (filed by December 31 and not concluded before
January 1); a case concluded in Y counts under its result, any other under
尚未审结 — so an undecided case appears each year until it is decided.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import catalog

FORMAT_ID = "国办公开办函〔2021〕30号"
FORMAT_NAME = "中华人民共和国政府信息公开工作年度报告格式"

# --- Columns ------------------------------------------------------------------

#: Column codes of section 三, in order; ``total`` is 总计.
COLUMN_CODES: list[str] = [code for code, _ in catalog.REPORT_COLUMNS] + ["total"]
COLUMN_LABELS: dict[str, str] = {**dict(catalog.REPORT_COLUMNS), "total": "总计"}
CATEGORY_CODES: list[str] = [code for code, _ in catalog.REPORT_COLUMNS]

IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# --- Rows of section 三 ---------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # as printed, with its number
    kind: str  # "item" (一、…), "category" (（一）…), "reason" (1.…)
    parent: str | None = None  # the category of a reason, "results" for a category


def _section3_rows() -> list[Row]:
    rows = [
        Row("new", "一、本年新收政府信息公开申请数量", "item"),
        Row("carried", "二、上年结转政府信息公开申请数量", "item"),
        Row("results", "三、本年度办理结果", "item"),
    ]
    for code, outcome in catalog.OUTCOMES.items():
        rows.append(Row(code, outcome.row_label, "category", "results"))
        for i, reason in enumerate(outcome.reasons, start=1):
            rows.append(Row(f"{code}.{i}", f"{i}.{reason}", "reason", code))
    rows.append(Row("total", "（七）总计", "category", "results"))
    rows.append(Row("carry_forward", "四、结转下年度继续办理", "item"))
    return rows


SECTION3_ROWS: list[Row] = _section3_rows()
SECTION3_ROW_BY_KEY: dict[str, Row] = {r.key: r for r in SECTION3_ROWS}

#: The columns of ``applications`` the statistics need, in this order.
SECTION3_COLUMNS = ("id", "receipt_date", "reply_date", "outcome", "outcome_reason",
                    "applicant_type", "org_kind")

#: Problems found while counting: code -> Chinese description.
FLAG_LABELS: dict[str, str] = {
    "reply_without_outcome": "有答复日期但没有办理结果（按未办结计入结转）",
    "outcome_without_reply": "有办理结果但没有答复日期（按未办结计入结转）",
    "unknown_outcome": "办理结果不是规定的类别（按未办结计入结转）",
    "missing_reason": "办理结果缺少或含有无效的结果细项（只计入类别，未计入细项）",
    "reply_before_receipt": "答复日期早于收到日期",
}


def year_bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _closing(reply: str | None, outcome: str | None) -> str | None:
    """The closing date of an application, or None while it counts as open."""
    if reply and outcome and outcome in catalog.OUTCOMES:
        return reply
    return None


def _result_key(outcome: str, reason: Any) -> str:
    reasons = catalog.OUTCOMES[outcome].reasons
    if not reasons:
        return outcome
    try:
        number = int(reason)
    except (TypeError, ValueError):
        number = 0
    if 1 <= number <= len(reasons):
        return f"{outcome}.{number}"
    return f"{outcome}.?"  # counted in its category only; flagged


#: Where one application counts in a year's section 三:
#: ``(id, intake, result, category)`` (see :func:`place_all`).
Placement = tuple[Any, str, str, str]


def place_all(rows: Iterable[Sequence[Any]], year: int) -> tuple[list[Placement], dict[str, list[int]]]:
    """Where each application counts in ``year``'s section 三, and the
    problems found: ``(placements, flags)``.  A placement is ``(id, intake,
    result, category)``: intake ``new`` or ``carried``; result a result key
    (``disclosed``, ``withheld.3``, ``withheld.?``) or ``carry_forward``;
    category the report column.  Rows outside the year's table are left
    out, the others keep the order they were given in.  The one rule the
    table, its drill-down and an application's own placement all follow
    (:func:`place_packed` keeps the same placements packed)."""
    flags: dict[str, list[int]] = {}
    return list(_place(rows, year, flags)), flags


def place_packed(rows: Iterable[Sequence[Any]], year: int) -> tuple[PlacedYear, dict[str, list[int]]]:
    """:func:`place_all`'s placements packed into arrays (an id and a kind
    number per application: ten bytes instead of about 170), as a year is
    kept for its table and drill-down."""
    flags: dict[str, list[int]] = {}
    ids = array("q")
    codes = array("H")
    kinds: dict[tuple[str, str, str], int] = {}
    add_id = ids.append
    add_code = codes.append
    for placement in _place(rows, year, flags):
        kind = placement[1:]
        code = kinds.get(kind)
        if code is None:
            code = kinds[kind] = len(kinds)
        add_id(placement[0])
        add_code(code)
    return PlacedYear(ids, codes, tuple(kinds)), flags


def _place(rows: Iterable[Sequence[Any]], year: int, flags: dict[str, list[int]]) -> Iterator[Placement]:
    """The rule of :func:`place_all`, one placement at a time."""
    start, end = year_bounds(year)
    outcomes = catalog.OUTCOMES
    org_kinds = catalog.ORG_KINDS
    org = catalog.ORGANISATION
    person = catalog.NATURAL_PERSON
    reason_counts = {code: len(o.reasons) for code, o in outcomes.items()}
    for app_id, receipt, reply, outcome, reason, atype, okind in rows:
        if not receipt or receipt > end:
            continue
        if reply and outcome in outcomes:
            if reply < start:
                continue
            closed = reply
        else:
            closed = None
            if reply and not outcome:
                flags.setdefault("reply_without_outcome", []).append(app_id)
            elif outcome and outcome not in outcomes:
                flags.setdefault("unknown_outcome", []).append(app_id)
            elif outcome and not reply:
                flags.setdefault("outcome_without_reply", []).append(app_id)
        if atype == org:
            cat = okind if okind in org_kinds else "other"
        else:
            cat = person
        if closed is not None and closed <= end:
            n = reason_counts[outcome]
            if n:
                if type(reason) is int and 1 <= reason <= n:
                    result = f"{outcome}.{reason}"
                else:
                    result = _result_key(outcome, reason)
                    if result.endswith(".?"):
                        flags.setdefault("missing_reason", []).append(app_id)
            else:
                result = outcome
            if closed < receipt:
                flags.setdefault("reply_before_receipt", []).append(app_id)
        else:
            result = "carry_forward"
        yield (app_id, "new" if receipt >= start else "carried", result, cat)


@dataclass(frozen=True, eq=False)
class PlacedYear:
    """A year's placements (:func:`place_all`) packed: ``ids[i]`` is placed
    as ``kinds[codes[i]]`` (``(intake, result, category)``), in the order
    the rows were given.  Iterating gives the placements as tuples."""

    ids: array[int]
    codes: array[int]
    kinds: tuple[tuple[str, str, str], ...]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Placement]:
        kinds = self.kinds
        for app_id, code in zip(self.ids, self.codes):
            yield (app_id, *kinds[code])

    def kind_counts(self) -> Counter[tuple[str, str, str]]:
        """How many applications are placed as each kind."""
        per_code = Counter(self.codes)
        return Counter({self.kinds[code]: n for code, n in per_code.items()})

    def in_cell(self, row_key: str, column: str = "total") -> list[int]:
        """:func:`placed_in_cell` of these placements."""
        counted = _in_cell(row_key, column)
        wanted = {code for code, kind in enumerate(self.kinds) if counted(*kind)}
        if len(wanted) == len(self.kinds):
            return self.ids.tolist()
        if not wanted:
            return []
        return [app_id for app_id, code in zip(self.ids, self.codes) if code in wanted]


def classify(row: Sequence[Any], year: int) -> tuple[str, str, str] | None:
    """Where one application (a tuple in :data:`SECTION3_COLUMNS` order)
    counts in ``year``: ``(intake, result, category)`` as :func:`place_all`
    places it; None when it does not appear in that year's table."""
    placed, _flags = place_all([row], year)
    return placed[0][1:] if placed else None


@dataclass
class Section3:
    """The section 三 table of one year: ``value(row_key, column)``."""

    year: int
    counts: dict[str, dict[str, int]]
    flags: dict[str, list[int]] = field(default_factory=dict)

    def value(self, row_key: str, column: str = "total") -> int:
        return self.counts[row_key][column]

    def identity_errors(self) -> list[str]:
        """Columns (codes) where 一 + 二 ≠ 三（七）+ 四."""
        return [c for c in COLUMN_CODES
                if self.value("new", c) + self.value("carried", c)
                != self.value("total", c) + self.value("carry_forward", c)]

    @property
    def unclassified(self) -> dict[str, dict[str, int]]:
        """Category → column → count of closed applications without a
        valid numbered reason (only counted in their category)."""
        return {k[:-2]: v for k, v in self.counts.items() if k.endswith(".?") and v["total"]}


def _empty_counts() -> dict[str, dict[str, int]]:
    return {r.key: dict.fromkeys(COLUMN_CODES, 0) for r in SECTION3_ROWS}


# Long: the official table counted row by row, as the annual-report format lists them
def compute_section3(rows: Iterable[Sequence[Any]], year: int) -> Section3:
    """Count the section 三 table of ``year`` from application tuples in
    :data:`SECTION3_COLUMNS` order (rows outside the year are ignored, so
    the caller may pass a superset)."""
    placements, flags = place_all(rows, year)
    return count_section3(placements, flags, year)


# Long: the official table counted row by row, as the annual-report format lists them
def count_section3(placements: Iterable[Placement], flags: Mapping[str, list[int]], year: int) -> Section3:
    """The section 三 table of ``year`` from :func:`place_all`'s result."""
    counter: Counter[Any] = Counter()
    if isinstance(placements, PlacedYear):
        for (intake, result, cat), n in placements.kind_counts().items():
            counter[intake, cat] += n
            counter[result, cat] += n
    else:
        for _id, intake, result, cat in placements:
            counter[intake, cat] += 1
            counter[result, cat] += 1
    flags = {k: list(v) for k, v in flags.items()}
    outcomes = catalog.OUTCOMES
    counts = _empty_counts()
    for (key, cat), n in counter.items():
        if key not in counts:  # "withheld.?" buckets
            counts[key] = dict.fromkeys(COLUMN_CODES, 0)
        counts[key][cat] += n
    # Categories carry the sum of their reasons (and of any unclassified).
    for code, outcome in outcomes.items():
        if outcome.reasons:
            subs = [f"{code}.{i}" for i in range(1, len(outcome.reasons) + 1)]
            if f"{code}.?" in counts:
                subs.append(f"{code}.?")
            for cat in CATEGORY_CODES:
                counts[code][cat] = sum(counts[s][cat] for s in subs)
    for cat in CATEGORY_CODES:
        counts["total"][cat] = sum(counts[code][cat] for code in outcomes)
        counts["results"][cat] = counts["total"][cat]
    for values in counts.values():
        values["total"] = sum(values[c] for c in CATEGORY_CODES)
    return Section3(year, counts, flags)


def cell_members(rows: Iterable[Sequence[Any]], year: int, row_key: str, column: str = "total") -> list[int]:
    """Ids of the applications counted in one cell of the section 三
    table (the drill-down), in the order of ``rows``, using the same rule
    as :func:`compute_section3`."""
    return placed_in_cell(place_all(rows, year)[0], row_key, column)


def placed_in_cell(placements: Iterable[Placement], row_key: str, column: str = "total") -> list[int]:
    """Ids of the placements (:func:`place_all`) counted in one cell of
    section 三, in their order."""
    if isinstance(placements, PlacedYear):
        return placements.in_cell(row_key, column)
    counted = _in_cell(row_key, column)
    return [i for i, intake, result, cat in placements if counted(intake, result, cat)]


def _in_cell(row_key: str, column: str) -> Callable[[str, str, str], bool]:
    """Whether a placement ``(intake, result, category)`` is counted in
    one cell of section 三."""
    row = SECTION3_ROW_BY_KEY.get(row_key)
    every = column == "total"

    def in_column(cat: str) -> bool:
        return every or cat == column

    if row_key in ("new", "carried"):
        return lambda intake, _result, cat: intake == row_key and in_column(cat)
    if row_key == "carry_forward":
        return lambda _intake, result, cat: result == "carry_forward" and in_column(cat)
    if row_key in ("results", "total"):
        return lambda _intake, result, cat: result != "carry_forward" and in_column(cat)
    if row is not None and row.kind == "category":
        prefix = row_key + "."
        return lambda _intake, result, cat: (result == row_key or result.startswith(prefix)) and in_column(cat)
    return lambda _intake, result, cat: result == row_key and in_column(cat)


def touches_year(old_row: Sequence[Any] | None, new_row: Sequence[Any] | None, year: int) -> bool:
    """Whether changing an application from ``old_row`` to ``new_row``
    (tuples in :data:`SECTION3_COLUMNS` order, None for absent) changes
    any figure of ``year``'s section 三."""
    def where(r: Sequence[Any] | None) -> tuple[str, str, str] | None:
        return None if r is None else classify(r, year)
    return where(old_row) != where(new_row)


def as_row(record: object) -> tuple[Any, ...] | None:
    """An application (a record, or a form's field → value mapping) as a
    :data:`SECTION3_COLUMNS` tuple."""
    if record is None:
        return None
    if isinstance(record, Mapping):
        return tuple(record.get(c) for c in SECTION3_COLUMNS)
    return tuple(getattr(record, c, None) for c in SECTION3_COLUMNS)


# --- Section 四: reconsideration and litigation ---------------------------------

CASE_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "lawsuit_direct": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_reconsideration": "行政诉讼（复议后起诉）",
}
#: The label printed over each group's five columns.
CASE_KIND_HEADERS: dict[str, str] = {
    "reconsideration": "行政复议",
    "lawsuit_direct": "未经复议直接起诉",
    "lawsuit_after_reconsideration": "复议后起诉",
}
CASE_RESULTS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}
SECTION4_COLUMNS: list[str] = list(CASE_RESULTS) + ["total"]
SECTION4_COLUMN_LABELS: dict[str, str] = {**CASE_RESULTS, "total": "总计"}

#: The columns of ``review_cases`` the statistics need, in this order.
CASE_COLUMNS = ("id", "kind", "filed_date", "closed_date", "result")


def classify_case(row: Sequence[Any], year: int) -> tuple[str, str] | None:
    """``(kind, result column)`` of a case in ``year``, or None."""
    _id, kind, filed, closed, result = row
    start, end = year_bounds(year)
    if not filed or filed > end or kind not in CASE_KINDS:
        return None
    decided = closed if (closed and result in CASE_RESULTS and result != "pending") else None
    if decided is not None and decided < start:
        return None
    column = result if decided is not None and decided <= end else "pending"
    return kind, column


@dataclass
class Section4:
    year: int
    counts: dict[str, dict[str, int]]  # kind -> column -> n

    def value(self, kind: str, column: str = "total") -> int:
        return self.counts[kind][column]

    def flat(self) -> list[int]:
        """The fifteen numbers in printed order."""
        return [self.counts[k][c] for k in CASE_KINDS for c in SECTION4_COLUMNS]


def compute_section4(rows: Iterable[Sequence[Any]], year: int) -> Section4:
    counts = {k: dict.fromkeys(SECTION4_COLUMNS, 0) for k in CASE_KINDS}
    for r in rows:
        where = classify_case(r, year)
        if where is not None:
            kind, column = where
            counts[kind][column] += 1
            counts[kind]["total"] += 1
    return Section4(year, counts)


def case_cell_members(rows: Iterable[Sequence[Any]], year: int, kind: str, column: str = "total") -> list[int]:
    out = []
    for r in rows:
        where = classify_case(r, year)
        if where is not None and where[0] == kind and (column == "total" or where[1] == column):
            out.append(r[0])
    return out


# --- Section 二: proactive disclosure ---------------------------------------------


@dataclass(frozen=True)
class Section2Block:
    heading: str  # 第二十条第（一）项
    headers: tuple[str, ...]  # 信息内容, then the value columns
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (label, field codes)


SECTION2_BLOCKS: list[Section2Block] = [
    Section2Block("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), (
        ("规章", ("regulations_issued", "regulations_repealed", "regulations_in_force")),
        ("行政规范性文件", ("normative_issued", "normative_repealed", "normative_in_force")),
    )),
    Section2Block("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (
        ("行政许可", ("licensing_decisions",)),
    )),
    Section2Block("第二十条第（六）项", ("信息内容", "本年处理决定数量"), (
        ("行政处罚", ("penalty_decisions",)),
        ("行政强制", ("enforcement_decisions",)),
    )),
    Section2Block("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (
        ("行政事业性收费", ("fees_amount",)),
    )),
]

#: Field code -> (row label, column label), e.g. ("规章", "本年制发件数").
SECTION2_FIELDS: dict[str, tuple[str, str]] = {
    f: (label, block.headers[1 + i])
    for block in SECTION2_BLOCKS for label, fields in block.rows for i, f in enumerate(fields)
}
SECTION2_AMOUNT_FIELDS = frozenset({"fees_amount"})


def describe_placement(row: Sequence[Any], year: int) -> str | None:
    """Where an application counts in ``year``'s section 三, in words:
    ``一、本年新收 → （三）不予公开 3.危及“三安全一稳定”（自然人列）``;
    None when it is not in that year's table."""
    where = classify(row, year)
    if where is None:
        return None
    intake, result, category = where
    first = "一、本年新收" if intake == "new" else "二、上年结转"
    if result == "carry_forward":
        second = "四、结转下年度继续办理"
    else:
        code, _, number = result.partition(".")
        second = SECTION3_ROW_BY_KEY[code].label
        if number == "?":
            second += "（缺少结果细项）"
        elif number:
            second += " " + SECTION3_ROW_BY_KEY[result].label
    return f"{first} → {second}（{COLUMN_LABELS[category]}列）"
