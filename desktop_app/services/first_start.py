"""The first-start guide (首次使用向导): when it is offered, what it saves,
and that it never asks again once finished or skipped.

The guide is offered on a register with no application whose guide was
neither finished nor skipped, unless it is the demo register.  The state is
kept in the register's settings (``first_start_guide``: ``done`` or
``skipped``), so a register copied to another PC does not ask again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..domain import agency_kinds, serials
from ..files import paths
from . import applications
from .session import Session
from .settings import get_settings, update_settings

SETTING_GUIDE = "first_start_guide"
DONE, SKIPPED = "done", "skipped"

#: What the guide's first page edits (keys of ``domain.settings.DEFAULTS``).
PROFILE_KEYS = ("agency_name", agency_kinds.SETTING_AGENCY_KIND, agency_kinds.SETTING_RECONSIDERATION_BODY,
                "doc_number_prefix", serials.SETTING_PATTERN)


class ProfileError(ValueError):
    """A value the guide cannot save: ``field`` is its setting key and
    ``str(err)`` the Chinese message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def guide_state(session: Session) -> str:
    return str(get_settings(session).get(SETTING_GUIDE) or "")


def is_demo(db_path: str | Path) -> bool:
    try:
        return Path(db_path).resolve() == paths.demo_database_path().resolve()
    except OSError:
        return False


def should_offer_guide(session: Session, db_path: str | Path) -> bool:
    """True on the first start of an empty register that is not the demo's
    and whose guide was never finished or skipped."""
    if guide_state(session) or is_demo(db_path):
        return False
    return applications.count(session) == 0


def profile(session: Session) -> dict[str, str]:
    settings = get_settings(session)
    return {key: settings.text(key) for key in PROFILE_KEYS}


def check_profile(values: Mapping[str, Any]) -> None:
    """Raise :class:`ProfileError` for the first value that cannot be saved."""
    if not str(values.get("agency_name") or "").strip():
        raise ProfileError("agency_name", "请填写机关名称，它会印在所有文书上。")
    kind = str(values.get(agency_kinds.SETTING_AGENCY_KIND) or "")
    if kind and kind not in agency_kinds.AGENCY_KINDS:
        raise ProfileError(agency_kinds.SETTING_AGENCY_KIND, "请从列表中选择机关类型。")
    pattern = str(values.get(serials.SETTING_PATTERN) or "").strip()
    if pattern:
        try:
            serials.compile_pattern(pattern)
        except serials.PatternError as exc:
            raise ProfileError(serials.SETTING_PATTERN, str(exc)) from exc


def save_profile(session: Session, values: Mapping[str, Any]) -> list[str]:
    """Save the agency's details the guide asked for (audited, one
    transaction); returns the keys that changed."""
    clean = {key: str(values.get(key) or "").strip() for key in PROFILE_KEYS if key in values}
    check_profile({**profile(session), **clean})
    return update_settings(session, clean)


def finish_guide(session: Session, *, skipped: bool = False) -> None:
    """The guide was finished (or skipped): it is not offered again."""
    update_settings(session, {SETTING_GUIDE: SKIPPED if skipped else DONE})

