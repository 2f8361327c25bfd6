"""The faces documents are set in on this PC, and the one-off conversion
of Noto Serif CJK SC to TrueType (started in the background by the GUI,
run at once by ``disclosure-desk fonts --convert``).  The work is done by
:mod:`desktop_app.documents.fonts` and :mod:`desktop_app.documents.font_convert`;
this is the door to them for ui/ and cli/."""

from __future__ import annotations

from ..documents import fonts
from ..documents.font_convert import BACKGROUND, BackgroundConversion, run_tasks

__all__ = ["BACKGROUND", "BackgroundConversion", "fonts", "run_tasks"]
