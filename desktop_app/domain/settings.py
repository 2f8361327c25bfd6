"""The agency's settings: every key the app knows, with its default and
what it means, and :class:`Settings`, the read-only view the services
hand out (a mapping, with typed properties for the agency's facts).

A feature that adds a setting adds it to :data:`DEFAULTS` here, so the
settings dialog, the notices and the audit trail all see one registry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

#: Key → default for every setting a clerk edits in 设置.
DEFAULTS: dict[str, Any] = {
    # 机关信息
    "agency_name": "",          # 机关名称
    "disclosure_office": "",    # 公开工作机构
    "agency_address": "",       # 地址
    "agency_postcode": "",      # 邮编
    "agency_phone": "",         # 电话
    "doc_number_prefix": "",    # 文号前缀, e.g. 望政公开
    "clerk_name": "",           # 经办人
    "serial_pattern": "",       # 申请编号格式, e.g. 望政依申〔{年}〕{序号}号 ("" = 2026-0001)
    # 首次使用向导: "done" or "skipped" once the guide was finished or skipped
    "first_start_guide": "",
    # 文书
    "reconsideration_body": "",   # 复议机关 (before agency_kind existed: the department's own government)
    # 救济途径 (domain.remedies): the agency's kind and the bodies it names
    "agency_kind": "",            # AgencyKind value; "" = not chosen yet
    "own_government": "",         # 本级人民政府全称
    "higher_department": "",      # 上一级主管部门全称
    "higher_government": "",      # 上一级人民政府全称
    "remedy_first_grounds": None,  # answer codes with 复议前置 wording (None: reply_grounds default)
    "litigation_court": "",       # 诉讼法院
    "fee_method": "per_piece",    # 收费方式 (fees.PER_PIECE; the module is not loaded at start-up)
    "fee_payment": "",            # 缴费方式
    "doc_number_pattern": "",     # 文号格式 (empty: domain.doc_numbers.DEFAULT_PATTERN)
    "envelope_boxes": True,       # 信封上打印邮编方框
    # 主动公开
    "may_make_rules": False,      # 本机关有规章制定权
    "item_index_pattern": "",     # 索引号格式 (empty: domain.items.DEFAULT_INDEX_PATTERN)
    "disclosure_guide": "",       # 政府信息公开指南 (empty: a draft from the agency block)
}

#: The agency block every notice, form and report prints.
AGENCY_KEYS = ("agency_name", "disclosure_office", "agency_address", "agency_postcode",
               "agency_phone", "doc_number_prefix", "clerk_name", "serial_pattern")

#: Values never written to the audit trail (only the fact that they changed).
SECRET_KEYS = frozenset({"password_hash"})


class Settings(Mapping[str, Any]):
    """The settings as stored, over :data:`DEFAULTS` (read-only)."""

    def __init__(self, stored: Mapping[str, Any] | None = None):
        self._values: dict[str, Any] = {**DEFAULTS, **(stored or {})}

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"

    def text(self, key: str) -> str:
        """A text setting, stripped ("" when unset)."""
        value = self._values.get(key)
        return str(value).strip() if value is not None else ""

    @property
    def agency_name(self) -> str:
        return self.text("agency_name")

    @property
    def disclosure_office(self) -> str:
        return self.text("disclosure_office")

    @property
    def clerk_name(self) -> str:
        return self.text("clerk_name")
