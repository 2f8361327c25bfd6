"""The audit trail (修改记录) as the clerk reads it."""

from __future__ import annotations

from ..domain.records import AuditEntry
from .session import Session


def of_application(session: Session, app_id: int) -> list[AuditEntry]:
    """An application's own trail and that of its timeline, oldest first."""
    return session.store.audit.application_history(app_id)


def of(session: Session, entity: str, entity_id: object) -> list[AuditEntry]:
    """The trail of one thing (an application, a setting, a case…), oldest first."""
    return session.store.audit.history(entity, entity_id)


def recent(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The latest changes, newest first."""
    return session.store.audit.recent(limit)
