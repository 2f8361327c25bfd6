"""Write a file completely or not at all.

Exports, reports and PDFs are written to a temporary file in the target's
folder and renamed into place only when complete, so a failed or
interrupted write never leaves a truncated file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces
    ``target`` atomically, on any exception it is removed and ``target``
    is left as it was.

    Use with libraries that want a file name (reportlab, openpyxl,
    python-docx)::

        with atomic_path(out) as tmp:
            workbook.save(tmp)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_open(target: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """``open()`` for writing, atomically (see :func:`atomic_path`)."""
    with atomic_path(target) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh
