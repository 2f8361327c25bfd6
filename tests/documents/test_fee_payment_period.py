"""The fee notice's payment period runs from the day the applicant
RECEIVES it (国办函〔2020〕109号: 20 working days): the printed notice says
“自收到本通知书之日起20个工作日内”, with no date counted from its own
date; a template that prints a date ({缴费期限}) gets one computed from the
notice's date plus its delivery, saying so.  Read from the rendered PDF's
text layer."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from desktop_app.documents import templates as tpl
from desktop_app.services import applications, notices, printing
from desktop_app.services import settings as settings_service


def text_of(snapshot) -> str:
    reader = pypdf.PdfReader(io.BytesIO(printing.notice_pdf(snapshot)))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def reg(register):
    settings_service.update_settings(register, {"agency_name": "望城区人民政府办公室", "doc_number_prefix": "望政公开"})
    return register


def fee_notice(reg, person_record, **extras) -> str:
    app_id = applications.register_application(reg, person_record).app_id
    draft = notices.prepare(reg, app_id, "fee", issue_date="2026-03-06",
                            extras={"页数": 250, "收费方式代码": "per_page", **extras})
    return text_of(notices.issue(reg, draft).snapshot)


def test_fee_notice_counts_the_payment_period_from_receipt_and_prints_no_date(reg, person_record):
    text = fee_notice(reg, person_record)
    assert "请您自收到本通知书之日起20个工作日内缴纳上述费用" in text
    # no date counted from the notice's own date (2026-03-06 + 20 working days = 2026-04-03)
    assert "2026年4月3日" not in text and "次日起" not in text and "即2026年" not in text


def test_a_template_printing_the_date_says_it_is_computed_from_the_notice_and_its_delivery(reg, person_record):
    text = tpl.default_text("fee").replace("个工作日内缴纳上述费用", "个工作日内，即{缴费期限}前缴纳上述费用")
    notices.save_template(reg, "fee", text)
    undelivered = fee_notice(reg, person_record)
    assert "即2026年4月3日（按本通知书发文日期2026年3月6日推算，未计送达所需时间；缴费期限以您收到本通知书之日起算）前" \
        in undelivered
    # delivered on Monday 9 March: 20 working days from then is 7 April (4-6 April: 清明 holiday)
    delivered = fee_notice(reg, person_record, 送达日期="2026-03-09")
    assert "即2026年4月7日（按本通知书于2026年3月9日送达推算；缴费期限以您收到本通知书之日起算）前" in delivered
