"""The Qt layer: a thin GUI over the services (and the domain values they return).

Importing any ui module first protects ``None``'s reference count against
the PySide6 6.12.0 defect on Python 3.11 (see :mod:`.qt_workarounds`);
pyproject.toml also keeps pip away from that release.  It then keeps
PySide6's __feature__ import hook from reading the source of every module
imported after it (:func:`.qt_workarounds.skip_feature_source_reads`).
"""

from .qt_workarounds import protect_none_refcount, skip_feature_source_reads

protect_none_refcount()

import PySide6  # noqa: E402,F401  (installs the import hook that the next line tunes)

skip_feature_source_reads()
