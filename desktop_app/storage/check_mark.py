"""The mark a passed integrity check leaves: the register file exactly as the
check read it.

``PRAGMA quick_check`` reads every page of the register; at 100,000
applications that is a noticeable part of start-up, at 1,000,000 seconds.
When the file is still exactly as a passed check left it, reading it again
tells nothing new.  "Exactly" is what the operating system can vouch for
without reading the file: the same file (device and inode), the same size,
the same modification *and* status-change times in nanoseconds (a copy with
its modification time restored still gets a new status-change time on
POSIX), the same 100-byte SQLite header (page count, change counter, schema
cookie), and no ``-wal`` with content nor ``-journal`` beside it.

The mark is a small JSON file per register in the user's data folder
(``checks/``), never beside the register: the register's folder is left as
it was.  It is written only after a check that passed on a file whose state
did not change while it was read, and trusted for :data:`MAX_AGE` at most
(then the file is read again, which also catches a disk that decays under
an unchanged file).  Any doubt (no mark, another state, an unreadable mark,
an old one) means: check again.

Standard library only (it runs on the start-up path before Qt has loaded).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from .integrity import IntegrityReport, quick_check

log = logging.getLogger(__name__)

#: A mark older than this is not trusted: the file is read again.
MAX_AGE = _dt.timedelta(days=7)
_VERSION = 1


@dataclass(frozen=True)
class FileState:
    """What the operating system says about a register file, without
    reading more than its header."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int
    header: str  # the first 100 bytes, in hex

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileState | None:
        """The file's state, or None when it cannot vouch for the content:
        missing, unreadable, or with a ``-wal`` holding pages or a
        ``-journal`` beside it (a write in progress or interrupted)."""
        path = Path(path).expanduser()
        try:
            wal = Path(f"{path}-wal")
            if (wal.exists() and wal.stat().st_size > 0) or Path(f"{path}-journal").exists():
                return None
            st = path.stat()
            with open(path, "rb") as fh:
                header = fh.read(100)
        except OSError:
            return None
        if len(header) < 100:
            return None
        return cls(str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                   st.st_ino, st.st_dev, header.hex())


def mark_path(db_path: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Where the mark of ``db_path`` is kept in ``folder``: named by two
    checksums of the resolved path (zlib: hashlib's OpenSSL is ~4 ms of the
    start-up).  The mark holds the path itself, so two registers whose names
    collide only overwrite each other's mark: each is then checked again."""
    raw = str(Path(db_path).expanduser().resolve()).encode("utf-8")
    return Path(folder) / f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}.json"


def record(state: FileState, folder: str | os.PathLike, *, checked_at: _dt.datetime | None = None) -> bool:
    """Remember that a check passed on the file in ``state``; False (logged)
    when the mark cannot be written (the next start simply checks again)."""
    checked_at = checked_at or _dt.datetime.now(_dt.timezone.utc)
    target = mark_path(state.path, folder)
    data = {"version": _VERSION, "checked_at": checked_at.isoformat(), "state": asdict(state)}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        log.warning("cannot write the check mark %s", target, exc_info=True)
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    return True


def forget(db_path: str | os.PathLike, folder: str | os.PathLike) -> None:
    """Drop the mark of ``db_path`` (the next start checks the file)."""
    try:
        mark_path(db_path, folder).unlink()
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("cannot remove the check mark of %s", db_path, exc_info=True)


def marked_state(db_path: str | os.PathLike, folder: str | os.PathLike,
                 *, now: _dt.datetime | None = None) -> FileState | None:
    """The state recorded for ``db_path`` when that mark is still young
    enough to trust, else None."""
    try:
        data = json.loads(mark_path(db_path, folder).read_text(encoding="utf-8"))
        if data.get("version") != _VERSION:
            return None
        checked_at = _dt.datetime.fromisoformat(data["checked_at"])
        state = FileState(**data["state"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    now = now or _dt.datetime.now(_dt.timezone.utc)
    if not (_dt.timedelta(0) <= now - checked_at < MAX_AGE):
        return None  # old, or from a clock that has since gone back: check again
    return state


def is_marked(db_path: str | os.PathLike, folder: str | os.PathLike,
              *, now: _dt.datetime | None = None) -> bool:
    """Whether ``db_path`` is exactly as a passed check left it, recently."""
    state = marked_state(db_path, folder, now=now)
    return state is not None and FileState.of(db_path) == state


def check_unless_marked(db_path: str | os.PathLike, folder: str | os.PathLike | None) -> IntegrityReport:
    """The start-up integrity check of ``db_path``: a sound report at once
    when the file is exactly as a recent passed check left it
    (``from_mark``), else :func:`~.integrity.quick_check`, marking the file
    when it passed and did not change while it was read, and dropping the
    mark on damage.  ``folder`` None: always check, mark nothing."""
    path = Path(db_path).expanduser()
    if folder is not None and is_marked(path, folder):
        return IntegrityReport(path, True, from_mark=True)
    before = FileState.of(path)
    report = quick_check(path)
    if folder is None:
        return report
    if report.ok and not report.missing and before is not None and FileState.of(path) == before:
        record(before, folder)
    elif report.damaged:
        forget(path, folder)
    return report


__all__ = ["MAX_AGE", "FileState", "check_unless_marked", "forget", "is_marked", "mark_path",
           "marked_state", "record"]
