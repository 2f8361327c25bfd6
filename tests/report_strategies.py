"""Hypothesis strategies shared by the report's property tests: dates in
2022-2027 and application rows of every outcome and applicant column, as
``(id, receipt_date, reply_date, outcome, reason, applicant_type, org_kind)``."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from desktop_app.domain import catalog

dates = st.dates(dt.date(2022, 1, 1), dt.date(2027, 12, 31))
outcomes = st.sampled_from([None, *catalog.OUTCOMES])


@st.composite
def application(draw, i):
    received = draw(dates)
    outcome = draw(outcomes)
    reply = None
    reason = None
    if outcome is not None or draw(st.booleans()):
        reply = received + dt.timedelta(days=draw(st.integers(0, 500)))
    if outcome and catalog.OUTCOMES[outcome].reasons:
        reason = draw(st.integers(1, len(catalog.OUTCOMES[outcome].reasons)))
    kind = draw(st.sampled_from([c for c, _ in catalog.REPORT_COLUMNS]))
    atype = "natural_person" if kind == "natural_person" else "organisation"
    return (i, received.isoformat(), reply and reply.isoformat(), outcome, reason, atype,
            None if atype == "natural_person" else kind)
