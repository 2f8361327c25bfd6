"""The Qt layer: a thin GUI over the services (and the domain values they return).

Importing any ui module first protects ``None``'s reference count against
the PySide6 6.12.0 defect on Python 3.11 (see :mod:`.qt_workarounds`);
pyproject.toml also keeps pip away from that release.
"""

from .qt_workarounds import protect_none_refcount

protect_none_refcount()
