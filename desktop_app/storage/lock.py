"""One app window per database.

The GUI holds an operating-system file lock on ``<database>.lock`` for as
long as it runs (``flock`` on Linux, ``msvcrt.locking`` on Windows).  The
OS drops the lock when the process ends in any way — closed, crashed,
killed, or the PC switched off — so a lock left behind never blocks the
next start: only a *running* program holds it.  The file itself may stay;
its content (process id, host, time) only serves the message.

CLI commands do not take this lock: they are safe beside a running GUI
through SQLite's own locking, short transactions and a busy timeout.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sys
from pathlib import Path

if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt
else:
    import fcntl

_INFO_OFFSET = 16  # Windows locks byte 0; the holder's details follow


class AlreadyRunningError(Exception):
    """Another running program has the database open; ``str()`` is for the clerk."""

    def __init__(self, message: str, holder: dict):
        super().__init__(message)
        self.holder = holder


def lock_path_for(db_path: str | os.PathLike) -> Path:
    p = Path(db_path).expanduser()
    return p.with_name(p.name + ".lock")


class InstanceLock:
    def __init__(self, db_path: str | os.PathLike):
        self.db_path = Path(db_path).expanduser()
        self.path = lock_path_for(self.db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, record: bool = True) -> InstanceLock:
        """Take the lock or raise :class:`AlreadyRunningError`; ``record``:
        write who holds it (this process, computer and time) into the file."""
        if self._fd is not None:
            return self
        # (never creates folders: the database's folder exists by now)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            who = ""
            if holder.get("pid"):
                who = f"（进程号 {holder['pid']}"
                if holder.get("host") and holder["host"] != _host_name():
                    who += f"，计算机 {holder['host']}"
                if holder.get("since"):
                    who += f"，自 {holder['since']} 起"
                who += "）"
            raise AlreadyRunningError(
                f"政府信息公开办理台已经打开了这个台账{who}。\n\n"
                f"数据库：{self.db_path}\n\n"
                "为避免两个窗口同时修改同一份台账，本次没有再打开。请切换到已打开的窗口"
                "（查看任务栏）；如果找不到，请先关闭它或注销后重新登录。", holder) from None
        self._fd = fd
        if record:
            _write_holder(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def is_locked(db_path: str | os.PathLike) -> bool:
    """True when a running program holds the database's lock."""
    probe = InstanceLock(db_path)
    if not probe.path.exists():
        return False
    try:
        probe.acquire(record=False)  # (a probe: the last holder's details stay as they were)
    except AlreadyRunningError:
        return True
    probe.release()
    return False


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _host_name() -> str:
    """This computer's name (``os.uname`` where there is one: the socket
    module is ~5 ms of imports on the start-up path)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _write_holder(fd: int) -> None:
    # Not synced to the disk: another process reads it from the system's
    # cache, and after a crash the lock is free whatever the file says (a
    # sync cost 10 ms of the start-up here, more on an office PC's disk).
    info = f"pid={os.getpid()}\nhost={_host_name()}\nsince={_dt.datetime.now():%Y-%m-%d %H:%M}\n"
    with contextlib.suppress(OSError):
        os.ftruncate(fd, _INFO_OFFSET)
        os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
        os.write(fd, info.encode("utf-8"))


def _read_holder(fd: int) -> dict:
    try:
        os.lseek(fd, _INFO_OFFSET, os.SEEK_SET)
        raw = os.read(fd, 4096).decode("utf-8", "replace")
    except OSError:
        return {}
    out = {}
    for line in raw.splitlines():
        key, _, value = line.partition("=")
        if key in ("pid", "host", "since"):
            out[key] = value.strip()
    return out
