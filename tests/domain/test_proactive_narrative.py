"""Sections 一 and 五 of the report drafted from the proactive register's figures."""

from desktop_app.domain import report_stats as rs
from desktop_app.domain.items import ProactiveFacts
from desktop_app.domain.report_narrative import PLACEHOLDER_OPEN, DraftFacts, draft_section1, draft_section5


def _facts(proactive):
    return DraftFacts(year=2025, agency="某区政府办", section3=rs.compute_section3([], 2025), proactive=proactive)


def test_section1_tells_items_by_channel_and_art20_item_instead_of_a_placeholder():
    p = ProactiveFacts(published=120, by_channel={"website": 120, "new_media": 30}, by_art20={5: 60, 7: 4},
                       interpretations=3, documents=5, late=0)
    text = draft_section1(_facts(p)).splitlines()[1]
    assert "主动公开政府信息120条" in text and "政府网站120条、政务新媒体30条" in text
    assert "行政许可等对外管理服务事项60条" in text and "政策解读3篇" in text
    assert "均在规定时限内公开" in text
    assert PLACEHOLDER_OPEN not in text


def test_without_a_register_section1_still_asks_the_clerk():
    assert "本年主动公开信息总条数" in draft_section1(_facts(None))


def test_section5_names_late_items_and_how_late_and_overdue_ones():
    p = ProactiveFacts(published=50, late=4, late_max_days=9, late_total_days=18, overdue_now=2,
                       interpretations=2, interpretations_late=1)
    text = draft_section5(_facts(p))
    assert ("全年有4条信息晚于规定时限公开（其中政策解读1篇未在文件公开后3个工作日内发布），"
            "平均晚4.5个工作日，最长晚9个工作日") in text
    assert "仍有2条信息已超过公开期限尚未公开" in text
    assert "20个工作日内公开" in text
    assert "主动公开的深度和广度" not in text
