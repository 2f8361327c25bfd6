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

from ..domain import serials
from ..domain.remedies import AgencyKind, AgencyProfile
from ..files import paths
from . import applications
from .session import Session
from .settings import AGENCY_PROFILE_KEYS, get_settings, set_agency_profile, update_settings

SETTING_GUIDE = "first_start_guide"
DONE, SKIPPED = "done", "skipped"

#: What the guide's first page edits besides the agency profile (keys of ``domain.settings.DEFAULTS``).
PROFILE_KEYS = ("agency_name", "doc_number_prefix", serials.SETTING_PATTERN)
#: The agency profile (kind and reviewing bodies): ``services.settings.set_agency_profile``.
KIND_KEYS = AGENCY_PROFILE_KEYS


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
    return {key: settings.text(key) for key in (*PROFILE_KEYS, *KIND_KEYS)}


def check_profile(values: Mapping[str, Any]) -> None:
    """Raise :class:`ProfileError` for the first value that cannot be saved."""
    if not str(values.get("agency_name") or "").strip():
        raise ProfileError("agency_name", "请填写机关名称，它会印在所有文书上。")
    kind = str(values.get("agency_kind") or "")
    if kind:
        try:
            agency_kind = AgencyKind(kind)
        except ValueError:
            raise ProfileError("agency_kind", "请从列表中选择机关类别。") from None
        missing = AgencyProfile(agency_kind, *(str(values.get(k) or "").strip() for k in KIND_KEYS[1:])).missing()
        if missing:
            raise ProfileError("agency_kind", f"“{agency_kind.label}”须填写：{'、'.join(missing)}。")
    pattern = str(values.get(serials.SETTING_PATTERN) or "").strip()
    if pattern:
        try:
            serials.compile_pattern(pattern)
        except serials.PatternError as exc:
            raise ProfileError(serials.SETTING_PATTERN, str(exc)) from exc


def save_profile(session: Session, values: Mapping[str, Any]) -> list[str]:
    """Save the agency's details the guide asked for (audited): its name,
    文号 prefix and numbering, and, when a kind (机关类别) is chosen, the
    agency profile through ``services.settings.set_agency_profile``.  Every
    value is checked before anything is written; returns the keys that changed."""
    clean = {key: str(values.get(key) or "").strip() for key in (*PROFILE_KEYS, *KIND_KEYS) if key in values}
    check_profile({**profile(session), **clean})
    changed = update_settings(session, {k: v for k, v in clean.items() if k in PROFILE_KEYS})
    kind = clean.get("agency_kind")
    if kind:
        before = profile(session)
        set_agency_profile(session, kind, own_government=clean.get("own_government", ""),
                           higher_department=clean.get("higher_department", ""),
                           higher_government=clean.get("higher_government", ""))
        after = profile(session)
        changed += [k for k in KIND_KEYS if before.get(k) != after.get(k)]
    return changed


def finish_guide(session: Session, *, skipped: bool = False) -> None:
    """The guide was finished (or skipped): it is not offered again."""
    update_settings(session, {SETTING_GUIDE: SKIPPED if skipped else DONE})

