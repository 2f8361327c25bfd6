"""PyInstaller runtime hook: give programs the app starts the clerk's own
library path back.

On Linux the bundle's bootloader starts the app with ``LD_LIBRARY_PATH``
pointing into the bundle (and keeps the original in
``LD_LIBRARY_PATH_ORIG``).  The dynamic loader has read it by now, so the
app itself no longer needs it; but every child process would inherit it:
``xdg-open`` and the file manager behind 关于 → 打开, ``fc-list`` for the
PDF fonts, ``lp`` for printing would then load the build machine's glib,
libstdc++ … instead of the system's, and may fail on 统信UOS or 麒麟.
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    _orig = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if _orig:
        os.environ["LD_LIBRARY_PATH"] = _orig
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
