"""The state of a folder, to prove that something was left exactly as it was."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path


def listing(folder: Path) -> dict:
    """name -> (kind, size, mtime_ns, sha256) of the folder itself and
    everything below it."""
    out = {".": ("dir", None, folder.stat().st_mtime_ns, None)}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        rel = str(p.relative_to(folder))
        if stat.S_ISDIR(st.st_mode):
            out[rel] = ("dir", None, st.st_mtime_ns, None)
        else:
            out[rel] = ("file", st.st_size, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out
