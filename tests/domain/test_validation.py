import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain import catalog
from desktop_app.domain.validation import (
    parse_date,
    phone_error,
    resident_id_check_char,
    resident_id_error,
    uscc_check_char,
    uscc_error,
    validate_application,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010119900307803X"])
def test_valid_resident_ids(number):
    assert resident_id_error(number) is None


@pytest.mark.parametrize("number,fragment", [
    ("110105194912310021", "校验位"),      # wrong check digit
    ("11010519491231002", "18位"),         # too short
    ("1101051949123100XX", "前17位"),      # letters in the body
    ("110105194913310027", "出生日期"),    # month 13
])
def test_invalid_resident_ids(number, fragment):
    assert fragment in resident_id_error(number)


def test_resident_id_check_char_matches_every_residue():
    # Each residue 0..10 maps to one check character; changing the body changes it.
    seen = {resident_id_check_char(f"1101051949123100{d}") for d in range(10)}
    assert len(seen) == 10


@pytest.mark.parametrize("code", ["91350100M000100Y43", "12100000400010398P"])
def test_valid_uscc(code):
    assert uscc_error(code) is None


def test_invalid_uscc():
    assert "校验位" in uscc_error("91350100M000100Y44")
    assert "不允许的字符" in uscc_error("91350100M000100I43")
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("phone", ["13812345678", "0571-88888888", "(010)12345678", "+86 138 1234 5678"])
def test_valid_phones(phone):
    assert phone_error(phone) is None


@pytest.mark.parametrize("phone", ["123", "1381234567", "abc", "23812345678"])
def test_invalid_phones(phone):
    assert phone_error(phone)


@pytest.mark.parametrize("text,expected", [
    ("2026-03-05", dt.date(2026, 3, 5)),
    ("2026/3/5", dt.date(2026, 3, 5)),
    ("2026年3月5日", dt.date(2026, 3, 5)),
    ("2026-03-05 00:00:00", dt.date(2026, 3, 5)),
    (dt.datetime(2026, 3, 5, 9, 30), dt.date(2026, 3, 5)),
    ("", None),
])
def test_parse_date_reads_the_ways_clerks_write_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "明天", "05/03/2026"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_valid_record_has_no_errors(person_record):
    assert validate_application(person_record, today=dt.date(2026, 6, 1)) == {}


def test_receipt_date_in_future(person_record):
    errors = validate_application(person_record, today=dt.date(2026, 3, 4))
    assert "晚于今天" in errors["receipt_date"]


def test_reply_before_receipt(person_record):
    rec = dict(person_record, reply_date="2026-03-01", outcome="disclosed")
    assert "不能早于收到日期" in validate_application(rec, today=dt.date(2026, 6, 1))["reply_date"]


def test_an_empty_record_names_every_required_field():
    errors = validate_application({}, today=dt.date(2026, 6, 1))
    assert set(errors) >= {"applicant_type", "applicant_name", "info_description", "receipt_date"}


def test_organisation_needs_kind_and_valid_uscc(person_record):
    rec = dict(person_record, applicant_type="organisation", id_type="uscc", id_number="91350100M000100Y44")
    errors = validate_application(rec, today=dt.date(2026, 6, 1))
    assert "组织类别" in errors["org_kind"]
    assert "统一社会信用代码" in errors["id_number"]


def test_outcome_needs_reason_where_the_format_has_them(person_record):
    rec = dict(person_record, reply_date="2026-03-20", outcome="withheld")
    assert "结果细项" in validate_application(rec, today=dt.date(2026, 6, 1))["outcome_reason"]
    rec["outcome_reason"] = 1
    assert validate_application(rec, today=dt.date(2026, 6, 1)) == {}


@pytest.mark.parametrize("text,code", [
    ("予以公开", "disclosed"), ("（一）予以公开", "disclosed"), ("部分公开", "partly_disclosed"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_disclosed"),
    ("(三)不予公开", "withheld"), ("无法提供", "unavailable"), ("五、不予处理", "not_processed"),
    ("其他处理", "other"), ("胡说", None),
])
def test_outcome_labels_match_their_codes(text, code):
    assert catalog.match_outcome(text) == code


@pytest.mark.parametrize("outcome,text,number", [
    ("withheld", "属于国家秘密", 1), ("withheld", "1.属于国家秘密", 1),
    ("withheld", '危及"三安全一稳定"', 3), ("withheld", "3.危及“三安全一稳定”", 3),
    ("not_processed", "重复申请", 2), ("other", "逾期不补正", 1), ("other", "3", 3),
])
def test_match_outcome_reason(outcome, text, number):
    assert catalog.match_outcome_reason(outcome, text) == number


def test_match_outcome_reason_unknown():
    with pytest.raises(ValueError):
        catalog.match_outcome_reason("withheld", "重复申请")


def test_outcome_labels_are_the_national_format():
    assert [o.row_label for o in catalog.OUTCOMES.values()][:3] == [
        "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开"]
    assert len(catalog.OUTCOMES["withheld"].reasons) == 8
    assert len(catalog.OUTCOMES["unavailable"].reasons) == 3
    assert len(catalog.OUTCOMES["not_processed"].reasons) == 5
    assert len(catalog.OUTCOMES["other"].reasons) == 3


@pytest.mark.parametrize("serial", ["2026\n-01", "2026-\x0701", "望政依申\x00〔2026〕1号"])
def test_a_serial_with_a_line_break_or_control_character_is_refused(person_record, serial):
    errors = validate_application(dict(person_record, serial=serial), today=dt.date(2026, 6, 1))
    assert errors["serial"] == "申请编号不能含换行或其他控制字符。"


def test_another_id_type_takes_any_number_up_to_forty_characters(person_record):
    today = dt.date(2026, 6, 1)
    passport = dict(person_record, id_type="passport", id_number="E" + "1" * 39)
    assert "id_number" not in validate_application(passport, today=today)
    too_long = dict(passport, id_number="E" + "1" * 40)
    assert validate_application(too_long, today=today)["id_number"] == "证件号码过长，请核对。"


def _parse_date_by_patterns(text: str):
    """parse_date as it was before its ISO fast path (issue 19): the patterns alone."""
    import re

    from desktop_app.domain.validation import _DATE_PATTERNS

    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text.strip())
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return dt.date(*(int(g) for g in m.groups()))
    raise ValueError(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.text(alphabet="0123456789-０１２３٣ :T/年月日", min_size=8, max_size=19),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 99))))
def test_parse_date_reads_every_text_as_the_patterns_alone_read_it(text):
    try:
        expected = _parse_date_by_patterns(text)
    except ValueError:
        expected = ValueError
    try:
        got = parse_date(text) if text.strip() else ValueError
    except ValueError:
        got = ValueError
    assert got == expected
