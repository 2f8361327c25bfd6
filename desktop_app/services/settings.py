"""The agency's settings (设置): read them, change them (audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..domain.settings import SECRET_KEYS, Settings
from ..storage.store import Store
from .session import Session

if TYPE_CHECKING:
    from ..domain.remedies import AgencyKind, AgencyProfile

#: What the audit trail shows instead of a secret's value.
SECRET_MARK = "（已更改，内容不记录）"


def get_settings(session: Session) -> Settings:
    return Settings(session.store.settings.stored())


def setting(session: Session, key: str, default: Any = None) -> Any:
    """One setting: the stored value, the registry's default, else ``default``."""
    value = get_settings(session).get(key)
    return default if value is None else value


def write_settings(store: Store, values: Mapping[str, Any]) -> list[str]:
    """Store ``values`` and audit each change (inside the caller's
    transaction); returns the keys whose value changed."""
    old = Settings(store.settings.stored())
    changed = []
    for key, value in values.items():
        store.settings.put(key, value)
        if old.get(key) != value:
            changed.append(key)
            secret = key in SECRET_KEYS
            store.audit.record("setting", key, "update",
                               {key: SECRET_MARK if secret else old.get(key)},
                               {key: SECRET_MARK if secret else value})
    return changed


def update_settings(session: Session, values: Mapping[str, Any]) -> list[str]:
    """Save ``values`` (key → value) in one transaction; returns the keys
    that changed."""
    with session.store.transaction():
        return write_settings(session.store, values)


# --- the agency's kind and its reviewing bodies (救济途径) ----------------------------------------

#: The settings :func:`set_agency_profile` writes.
AGENCY_PROFILE_KEYS = ("agency_kind", "own_government", "higher_department", "higher_government")


class AgencyProfileError(ValueError):
    """The agency profile cannot be saved; the message says what to fill in."""


def profile_of(settings: Mapping[str, Any]) -> AgencyProfile | None:
    """The agency profile the settings describe, or None when no kind was
    chosen.  A register saved before the kind existed (only
    ``reconsideration_body``) reads as a department whose own government
    is that body."""
    from ..domain.remedies import AgencyKind, AgencyProfile

    kind = str(settings.get("agency_kind") or "").strip()
    own = str(settings.get("own_government") or "").strip()
    if not kind:
        legacy = str(settings.get("reconsideration_body") or "").strip()
        if not legacy:
            return None
        return AgencyProfile(AgencyKind.DEPARTMENT, own_government=legacy,
                             higher_department=str(settings.get("higher_department") or "").strip())
    try:
        agency_kind = AgencyKind(kind)
    except ValueError:
        return None
    return AgencyProfile(agency_kind, own_government=own,
                         higher_department=str(settings.get("higher_department") or "").strip(),
                         higher_government=str(settings.get("higher_government") or "").strip())


def agency_profile(session: Session) -> AgencyProfile | None:
    """The agency's kind and the bodies its replies name (None: not set)."""
    return profile_of(get_settings(session))


def set_agency_profile(session: Session, kind: AgencyKind | str, *, own_government: str = "",
                       higher_department: str = "", higher_government: str = "") -> AgencyProfile:
    """Choose the agency's kind (机关类别) and name the bodies a reply's
    remedy paragraph needs (本级人民政府 / 上一级主管部门 / 上一级人民政府),
    in one audited transaction.  Raises :class:`AgencyProfileError` (Chinese
    message) when the kind is unknown or a body its kind needs is empty.
    The first-start wizard and 设置 → 文书 both call this."""
    from ..domain.remedies import AgencyKind, AgencyProfile

    try:
        agency_kind = AgencyKind(kind)
    except ValueError:
        raise AgencyProfileError(
            f"未知的机关类别“{kind}”，应为：{'、'.join(k.value for k in AgencyKind)}。") from None
    profile = AgencyProfile(agency_kind, own_government=(own_government or "").strip(),
                            higher_department=(higher_department or "").strip(),
                            higher_government=(higher_government or "").strip())
    missing = profile.missing()
    if missing:
        raise AgencyProfileError(f"“{agency_kind.label}”须填写：{'、'.join(missing)}。")
    with session.store.transaction():
        write_settings(session.store, {
            "agency_kind": agency_kind.value, "own_government": profile.own_government,
            "higher_department": profile.higher_department, "higher_government": profile.higher_government,
        })
    return profile


def remedy_first_grounds(session: Session) -> frozenset[str]:
    """The answers whose replies carry the reconsideration-first wording."""
    return first_grounds_of(get_settings(session))


def first_grounds_of(settings: Mapping[str, Any]) -> frozenset[str]:
    from ..domain.reply_grounds import BY_CODE, DEFAULT_FIRST_GROUNDS  # (texts: not on the start-up path)

    chosen = settings.get("remedy_first_grounds")
    if chosen is None:
        return DEFAULT_FIRST_GROUNDS
    return frozenset(str(c) for c in chosen if str(c) in BY_CODE)


def set_remedy_first_grounds(session: Session, codes: Iterable[str] | None) -> frozenset[str]:
    """Which answers carry 复议前置 (None: back to the default, 不予公开 and
    the withheld part of 部分公开); audited."""
    from ..domain.reply_grounds import BY_CODE

    if codes is None:
        value = None
    else:
        value = sorted(set(codes))
        unknown = [c for c in value if c not in BY_CODE]
        if unknown:
            raise AgencyProfileError(f"未知的答复类型：{'、'.join(unknown)}。")
    with session.store.transaction():
        write_settings(session.store, {"remedy_first_grounds": value})
    return remedy_first_grounds(session)
