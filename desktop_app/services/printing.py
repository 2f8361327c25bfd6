"""What the GUI and the command line print: notices, envelopes, the
application form and the deadline breakdown as PDF, with the agency's
fonts.  The document package draws them; this is the one door to it for
ui/ and cli/ (with the read-only vocabularies they show: the fonts found
on this PC, the template kinds and their placeholders)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, BinaryIO

from ..documents import fonts
from ..documents import templates
from ..documents.deadline_pdf import render_breakdown
from ..documents.form import render_form
from ..documents.notices import DEFAULT_COURT, DEFAULT_FEE_PAYMENT, DEFAULT_RECONSIDERATION
from ..documents.render import ENVELOPE_ONLY, NONE, WITH_ENVELOPE, render_batch
from ..domain.deadlines import Breakdown
from .applications import get
from .session import Session
from .settings import get_settings

__all__ = [
    "DEFAULT_COURT", "DEFAULT_FEE_PAYMENT", "DEFAULT_RECONSIDERATION", "ENVELOPE_ONLY", "NONE",
    "WITH_ENVELOPE", "batch_pdf", "breakdown_pdf", "font_warning", "fonts", "form_pdf", "notice_pdf",
    "templates",
]

#: Where a PDF goes: a path (written atomically), a binary file, or None for the bytes.
Out = str | os.PathLike[str] | BinaryIO | None


def font_warning(session: Session) -> str | None:
    """Why printed documents may not look the same on another PC (no
    embeddable Chinese font), or None."""
    return fonts.resolve_fonts(get_settings(session)).warning


def notice_pdf(snapshot: Mapping[str, Any], out: Out = None, *, with_envelope: bool = False,
               settings: Mapping[str, Any] | None = None) -> bytes | None:
    """A notice (and its envelope) from its snapshot: a reprint is identical."""
    return batch_pdf([snapshot], out, envelopes=WITH_ENVELOPE if with_envelope else NONE, settings=settings)


def envelope_pdf(snapshot: Mapping[str, Any], out: Out = None, *,
                 settings: Mapping[str, Any] | None = None) -> bytes | None:
    return batch_pdf([snapshot], out, envelopes=ENVELOPE_ONLY, settings=settings)


def batch_pdf(snapshots: Iterable[Mapping[str, Any]], out: Out = None, *, envelopes: str = NONE,
              settings: Mapping[str, Any] | None = None,
              progress: Callable[[int, int], object] | None = None) -> bytes | None:
    """Notices of several applications in one PDF (see ``documents.render``),
    in the fonts of ``settings`` (none: the ones found on this PC).  Touches
    no register: safe in a worker thread."""
    return render_batch([dict(s) for s in snapshots], out, envelopes=envelopes,
                        settings=dict(settings) if settings is not None else None, progress=progress)


def form_pdf(session: Session, app_id: int | None = None, out: Out = None) -> bytes | None:
    """The application form, blank (``app_id`` None) or filled in."""
    record = get(session, app_id) if app_id is not None else None
    return render_form(record, get_settings(session), out)


def breakdown_pdf(breakdowns: list[Breakdown], header: list[tuple[str, str]], out: Out = None, *,
                  settings: Mapping[str, Any] | None = None) -> bytes | None:
    """The deadline breakdown (期限计算说明) as PDF."""
    return render_breakdown(breakdowns, header, out, settings=dict(settings or {}))
