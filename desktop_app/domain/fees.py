"""The processing fee (信息处理费) under 《政府信息公开信息处理费管理办法》
(国办函〔2020〕109号).

A fee is charged only to regulate requests whose number or frequency
clearly exceeds a reasonable range.  The agency uses one of two graduated
methods for an application, never both:

* **按件计收 (per piece)**: counting the same applicant's applications
  within one calendar month, the 1st–10th are free, the 11th–30th cost
  100 yuan each, and from the 31st, in bands of 10, each band costs 100
  yuan a piece more than the one before (31st–40th 200 yuan, 41st–50th
  300 yuan …).  An application's fee is the rate of its band.
* **按量计收 (per page)**, where paper or electronic copies are provided:
  up to 30 pages free; the part from page 31 to 100 at 10 yuan a page,
  101–200 at 20 yuan, from 201 at 40 yuan (each part at its own rate).

Plain Python: the detail pane, the fee notice and the CLI all call it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .validation import parse_date

PER_PIECE = "per_piece"
PER_PAGE = "per_page"

FEE_METHODS: dict[str, str] = {
    PER_PIECE: "按件计收",
    PER_PAGE: "按量计收",
}

FEE_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

FEE_TARIFFS: dict[str, str] = {
    # worded as 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号） words them
    PER_PIECE: ("同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；累计申请11—30件（含30件）的部分，"
                "100元/件；累计申请31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。"),
    PER_PAGE: ("30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；"
               "101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页。"),
}

#: Per-page bands: (first page, last page or None, yuan per page).
PAGE_BANDS: list[tuple[int, int | None, int]] = [
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
]


@dataclass(frozen=True)
class FeeLine:
    label: str      # 第11—30件 / 第31—100页
    quantity: int   # pieces or pages charged at this rate
    rate: int       # yuan per piece or page
    unit: str       # 件 / 页

    @property
    def amount(self) -> int:
        return self.quantity * self.rate


@dataclass(frozen=True)
class FeeQuote:
    """A computed fee: method, the quantity it was computed from, the
    bands that apply, and the amount in yuan."""

    method: str
    quantity: int            # ordinal in the month (per piece) or pages (per page)
    lines: tuple[FeeLine, ...] = field(default_factory=tuple)

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def method_label(self) -> str:
        return FEE_METHODS[self.method]

    @property
    def tariff(self) -> str:
        return FEE_TARIFFS[self.method]

    @property
    def free(self) -> bool:
        return self.amount == 0

    def explanation(self) -> str:
        """One sentence for the detail pane and the fee notice."""
        if self.method == PER_PIECE:
            head = f"按件计收：本申请为该申请人本自然月内第{self.quantity}件申请"
        else:
            head = f"按量计收：共{self.quantity}页"
        if self.free:
            return head + "，在免费范围内，不收取信息处理费。"
        parts = "，".join(f"{ln.label}{ln.quantity}{ln.unit}×{ln.rate}元" for ln in self.lines if ln.rate)
        return f"{head}，{parts}，合计{format_yuan(self.amount)}。"


def format_yuan(amount: int) -> str:
    return f"{amount}元"


def piece_rate(ordinal: int) -> int:
    """The fee in yuan of the ``ordinal``-th application (1-based) of one
    applicant within a calendar month."""
    if ordinal < 1:
        raise ValueError("件数应为正整数。")
    if ordinal <= 10:
        return 0
    if ordinal <= 30:
        return 100
    return 100 * (2 + (ordinal - 31) // 10)


def _piece_band_label(ordinal: int) -> str:
    if ordinal <= 10:
        return "第1—10件"
    if ordinal <= 30:
        return "第11—30件"
    start = 31 + (ordinal - 31) // 10 * 10
    return f"第{start}—{start + 9}件"


def per_piece_fee(ordinal: int) -> FeeQuote:
    """The fee of one application that is the applicant's ``ordinal``-th
    in the calendar month."""
    rate = piece_rate(ordinal)
    return FeeQuote(PER_PIECE, ordinal, (FeeLine(_piece_band_label(ordinal), 1, rate, "件"),))


def per_page_fee(pages: int) -> FeeQuote:
    """The fee for providing ``pages`` pages, each part at its band's rate."""
    if pages is None or pages < 0:
        raise ValueError("页数应为不小于0的整数。")
    lines = []
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        upto = pages if last is None else min(pages, last)
        label = f"第{first}—{last}页" if last is not None else f"第{first}页以上"
        lines.append(FeeLine(label, upto - first + 1, rate, "页"))
    return FeeQuote(PER_PAGE, pages, tuple(lines))


# --- counting the same applicant's applications in a month ---------------------


class Applicant(Protocol):
    """What counting needs of an application (an ``Application`` has it)."""

    @property
    def id(self) -> int | None: ...
    @property
    def serial(self) -> str | None: ...
    @property
    def receipt_date(self) -> str | None: ...
    @property
    def applicant_type(self) -> str | None: ...
    @property
    def applicant_name(self) -> str | None: ...
    @property
    def id_number(self) -> str | None: ...


def applicant_key(record: Applicant) -> tuple[str, ...]:
    """Who the applicant is, for counting: the ID number (or USCC) when
    known, else the type and the name with spaces removed."""
    number = (record.id_number or "").strip().upper()
    if number:
        return ("id", number)
    name = "".join(str(record.applicant_name or "").split())
    return ("name", record.applicant_type or "", name)


def month_bounds(day: object) -> tuple[_dt.date, _dt.date]:
    """First day of the month of ``day`` and first day of the next month."""
    d = parse_date(day)
    if d is None:
        raise ValueError("没有收到日期，无法确定月份。")
    start = d.replace(day=1)
    nxt = (start.replace(year=start.year + 1, month=1) if start.month == 12
           else start.replace(month=start.month + 1))
    return start, nxt


def monthly_ordinal(record: Applicant, others: Iterable[Applicant]) -> int:
    """The position (1-based) of ``record`` among the same applicant's
    applications received in the same calendar month, ordered by receipt
    date then serial.  ``others`` may include ``record`` itself and
    records of other applicants or months; they are filtered here."""
    key = applicant_key(record)
    start, nxt = month_bounds(record.receipt_date)
    own = (str(parse_date(record.receipt_date)), str(record.serial or ""))
    before = 0
    for other in others:
        if other.id is not None and other.id == record.id:
            continue
        if other.serial and other.serial == record.serial:
            continue
        if applicant_key(other) != key:
            continue
        d = parse_date(other.receipt_date)
        if d is None or not (start <= d < nxt):
            continue
        if (str(d), str(other.serial or "")) < own:
            before += 1
    return before + 1


def quote_for(record: Applicant, others: Iterable[Applicant], method: str, pages: int | None = None) -> FeeQuote:
    """The fee of ``record`` under the agency's ``method``."""
    if method == PER_PAGE:
        if pages is None:
            raise ValueError("按量计收须填写提供信息的页数。")
        return per_page_fee(int(pages))
    if method != PER_PIECE:
        raise ValueError(f"未知的收费方式：{method}")
    return per_piece_fee(monthly_ordinal(record, others))
