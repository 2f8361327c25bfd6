"""Disclosure Desk (政府信息公开办理台): a register of government information
disclosure applications for the clerks who handle them.

Layers (see README.md): ``domain`` (plain-Python rules), ``storage``
(SQLite through sqlite-utils), ``documents`` (reportlab PDFs), ``ui`` (PySide6),
and ``cli`` beside the UI.  Only ``ui`` imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "政府信息公开办理台"
APP_NAME_EN = "Disclosure Desk"
