"""The processing-fee calculator (国办函〔2020〕109号)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import fees
from desktop_app.domain.records import Application


@pytest.mark.parametrize("ordinal, rate", [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (95, 800),
])
def test_per_piece_bands(ordinal, rate):
    assert fees.piece_rate(ordinal) == rate
    assert fees.per_piece_fee(ordinal).amount == rate


def test_per_piece_labels():
    assert fees.per_piece_fee(11).lines[0].label == "第11—30件"
    assert fees.per_piece_fee(45).lines[0].label == "第41—50件"
    assert fees.per_piece_fee(3).free


@pytest.mark.parametrize("pages, amount", [
    (0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700),
])
def test_per_page_graduated(pages, amount):
    assert fees.per_page_fee(pages).amount == amount


def test_per_page_explanation_lists_each_band():
    text = fees.per_page_fee(250).explanation()
    assert "共250页" in text and "第31—100页70页×10元" in text and "第201页以上50页×40元" in text
    assert text.endswith("合计4700元。")
    assert "不收取" in fees.per_page_fee(12).explanation()


@given(st.integers(min_value=0, max_value=5000))
def test_per_page_is_monotonic_and_matches_bands(pages):
    quote = fees.per_page_fee(pages)
    assert sum(ln.quantity for ln in quote.lines) == pages
    assert quote.amount >= fees.per_page_fee(max(pages - 1, 0)).amount


def _app(i, day, name="张某某", id_number=None, serial=None):
    return Application(id=i, serial=serial or f"2026-{i:04d}", receipt_date=day, applicant_type="natural_person",
                       applicant_name=name, id_number=id_number)


def test_monthly_ordinal_counts_same_applicant_in_calendar_month():
    others = [_app(i, f"2026-03-{i:02d}") for i in range(1, 16)]          # 15 in March
    others += [_app(100 + i, f"2026-02-{i:02d}") for i in range(1, 20)]  # February: not counted
    others += [_app(200 + i, f"2026-03-{i:02d}", name="李某") for i in range(1, 20)]  # someone else
    target = others[11]  # the 12th in March
    assert fees.monthly_ordinal(target, others) == 12
    quote = fees.quote_for(target, others, fees.PER_PIECE)
    assert quote.amount == 100 and quote.quantity == 12


def test_same_applicant_by_id_number_even_if_name_written_differently():
    others = [_app(i, "2026-04-01", name="张 某某" if i % 2 else "张某某", id_number="11010519491231002X")
              for i in range(1, 12)]
    assert fees.monthly_ordinal(others[-1], others) == 11


def test_per_page_requires_pages():
    with pytest.raises(ValueError):
        fees.quote_for(_app(1, "2026-03-01"), [], fees.PER_PAGE)


def test_the_default_fee_method_is_the_per_piece_method():
    from desktop_app.domain.settings import DEFAULTS

    assert DEFAULTS["fee_method"] == fees.PER_PIECE  # (written as text: fees is not loaded at start-up)
