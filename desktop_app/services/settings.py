"""The agency's settings (设置): read them, change them (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.settings import SECRET_KEYS, Settings
from ..storage.store import Store
from .session import Session

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
