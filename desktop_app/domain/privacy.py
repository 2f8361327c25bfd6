"""Masking personal data for lists, printed lists and shared exports.

ID numbers keep the first 6 and last 4 characters (210404********1234);
phone numbers keep the first 3 and last 4 (138****5678).  The detail form
shows the full values.
"""

from __future__ import annotations

import re
from typing import Any


def mask_id_number(number: str | None) -> str:
    n = (number or "").strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:] if len(n) > 10 else n[:2] + "*" * (len(n) - 4) + n[-2:]


def mask_phone(phone: str | None) -> str:
    """Mobile: 138****5678.  Landline with area code: the area code and the
    last 4 digits stay (0731-****1234), so the clerk still sees the city."""
    p = (phone or "").strip()
    prefix = re.match(r"(\+86|0086)[-\s]?", p)
    if prefix:  # the country code is not part of the number
        return prefix.group(0) + mask_phone(p[prefix.end():])
    digits = re.sub(r"\D", "", p)
    if len(digits) < 7:
        return "*" * len(p)
    m = re.fullmatch(r"(\(?0\d{2,3}\)?[-\s]?)(\d{7,8})(.*)", p)
    if m:  # landline with area code; any extension is masked too
        local = m.group(2)
        tail = re.sub(r"\d", "*", m.group(3))
        return m.group(1) + "*" * (len(local) - 4) + local[-4:] + tail
    keep_head, keep_tail = 3, 4
    out, seen = [], 0
    total = len(digits)
    for ch in p:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep_head or seen > total - keep_tail else "*")
        else:
            out.append(ch)
    return "".join(out)


MASKED_FIELDS = {"id_number": mask_id_number, "phone": mask_phone, "fax": mask_phone}


def mask_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of an application record with its personal identifiers masked."""
    out = dict(record)
    for field, fn in MASKED_FIELDS.items():
        if out.get(field):
            out[field] = fn(out[field])
    return out
