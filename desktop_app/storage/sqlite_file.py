"""Looking at a SQLite file without touching it: its header, its side files,
a read-only connection that leaves the file and its folder exactly as they
were.  Standard library only, so that the start-up integrity check can run
in a thread while the rest of the app is still loading."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

SQLITE_HEADER = b"SQLite format 3\x00"

#: Files SQLite keeps beside a database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def sqlite_uri(path: Path, mode: str, **extra: str) -> str:
    params = "&".join([f"mode={mode}"] + [f"{k}={v}" for k, v in extra.items()])
    return f"file:{quote(str(path.resolve()))}?{params}"


def side_files(path: Path) -> list[Path]:
    return [Path(f"{path}{s}") for s in SIDE_SUFFIXES]


@contextlib.contextmanager
def open_untouched(path: str | os.PathLike) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the SQLite file at ``path`` that leaves
    the file and its folder exactly as they were.

    * No ``-wal``/``-journal`` beside it: nothing is being written and
      every committed page is in the file, so it is opened ``immutable``
      (SQLite then creates no ``-wal``/``-shm`` file and takes no lock:
      this is also what lets a WAL database on a read-only folder, disk
      or share be read at all).
    * A ``-wal`` with its ``-shm``: another program has it open (the GUI
      beside a CLI command); a plain read-only connection shares them and
      creates nothing.
    * Otherwise (a ``-wal`` without ``-shm`` or a hot ``-journal`` left by
      a crash): the files are copied into a temporary folder and the copy
      is opened there, so recovering it changes nothing here.
    """
    path = Path(path)
    wal, shm, journal = side_files(path)
    tmpdir: str | None = None
    if not wal.exists() and not journal.exists():
        uri = sqlite_uri(path, "ro", immutable="1")
    elif wal.exists() and shm.exists() and not journal.exists():
        uri = sqlite_uri(path, "ro")
    else:
        tmpdir = tempfile.mkdtemp(prefix="dd-inspect-")
        copy = Path(tmpdir) / "copy.db"
        shutil.copyfile(path, copy)
        for side in (wal, journal):
            if side.exists():
                shutil.copyfile(side, Path(f"{copy}{side.name[len(path.name):]}"))
        uri = sqlite_uri(copy, "rw")
    conn = None
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
        conn.execute("PRAGMA busy_timeout = 5000")
        yield conn
    finally:
        if conn is not None:
            conn.close()
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
