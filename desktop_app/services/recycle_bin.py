"""The recycle bin (回收站): delete an application (it keeps its serial),
bring it back, or purge it for good."""

from __future__ import annotations

from ..domain.records import Application
from .applications import get
from .errors import RefusedError
from .report import years_touched
from .session import Session, now_iso
from .year_lock import require_unlocked


def contents(session: Session) -> list[Application]:
    """The recycle bin, most recently deleted first."""
    return session.store.recycle_bin.contents()


def delete_application(session: Session, app_id: int) -> None:
    """Move an application to the recycle bin."""
    store = session.store
    with store.transaction():
        app = get(session, app_id)
        if app.deleted_at:
            return
        require_unlocked(store, years_touched(store, app, None), "删除此申请")
        stamp = now_iso()
        store.recycle_bin.put(app_id, stamp)
        store.audit.record("application", app_id, "delete",
                           {"deleted_at": None}, {"deleted_at": stamp, "serial": app.serial})


def restore_application(session: Session, app_id: int) -> None:
    """Bring an application back from the recycle bin."""
    store = session.store
    with store.transaction():
        app = get(session, app_id)
        if not app.deleted_at:
            return
        require_unlocked(store, years_touched(store, None, app.replace(deleted_at=None)), "恢复此申请")
        store.recycle_bin.take_back(app_id)
        store.audit.record("application", app_id, "restore",
                           {"deleted_at": app.deleted_at}, {"deleted_at": None, "serial": app.serial})


def purge_application(session: Session, app_id: int) -> None:
    """Delete for good an application that is in the recycle bin, with
    its timeline.  The purge itself is recorded (serial and applicant
    only: the personal data goes with the record, and is masked in its
    earlier trail).  The serial stays used: serials are never reused."""
    store = session.store
    with store.transaction():
        app = get(session, app_id)
        if not app.deleted_at:
            raise RefusedError(f"申请 {app.serial} 不在回收站中，不能彻底删除。请先删除到回收站。")
        store.recycle_bin.purge(app_id)
        store.audit.scrub_personal("application", app_id)
        store.audit.record("application", app_id, "purge",
                           {"serial": app.serial, "applicant_name": app.applicant_name,
                            "receipt_date": app.receipt_date}, None)
