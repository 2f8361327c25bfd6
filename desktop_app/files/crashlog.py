"""What the app leaves behind when it ends badly, and how the next start
finds out.

A GUI session writes ``logs/session-<key>.log`` in the data folder while it
runs: a header, then whatever :mod:`faulthandler` writes on a fatal signal
(segmentation fault, abort) and the traceback of any Python exception that
reached the top.  A clean exit removes the file.  The next start on the same
register finds it, keeps it as ``crash-<date>-<time>.log`` and tells the
clerk.  ``key`` names the register, so two windows on two registers (the
demo and the real one) never take each other for a crash: one window per
register is guaranteed by the instance lock.

No Qt here; the GUI shows the message.
"""

from __future__ import annotations

import datetime as _dt
import faulthandler
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

KEEP_CRASH_LOGS = 20


@dataclass(frozen=True)
class PreviousCrash:
    """A session that did not end cleanly."""

    log_path: Path
    started: str
    fatal: bool  # a fault or an uncaught exception was written (else killed or power lost)

    def message(self) -> str:
        """The clerk's message (Chinese) for the next start."""
        if self.fatal:
            first = f"政府信息公开办理台上次运行时（{self.started}开始）意外关闭了。"
        else:
            first = (f"政府信息公开办理台上次运行（{self.started}开始）没有正常结束，"
                     "可能是程序被强制结束或电脑断电。")
        return (f"{first}\n\n"
                "已保存的数据没有丢失：每次“保存”“记录”都已立即写入数据库，台账已通过完整性检查。"
                "关闭前正在填写、尚未保存的内容需要重新填写。\n\n"
                f"运行记录已保存在：\n{self.log_path}\n\n"
                "如果问题再次出现，请把这个文件发给技术人员。")


def logs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "logs"


def register_key(db_path: str | os.PathLike[str]) -> str:
    """A short stable name for a register's path."""
    resolved = str(Path(db_path).expanduser().resolve())
    digest: str = _sha1()(resolved.encode("utf-8")).hexdigest()
    return digest[:12]


def _sha1() -> Any:
    """SHA-1 from CPython's own module when there is one (hashlib loads
    OpenSSL, ~4 ms of the start-up); the same digest either way."""
    import importlib

    try:
        return importlib.import_module("_sha1").sha1
    except ImportError:
        import hashlib

        return hashlib.sha1


class CrashLog:
    """The session log of one GUI session on one register."""

    def __init__(self, folder: Path, db_path: str | os.PathLike[str]):
        self.folder = Path(folder)
        self.key = register_key(db_path)
        self.db_path = Path(db_path)
        self.path = self.folder / f"session-{self.key}.log"
        self._file: TextIO | None = None
        self.exceptions = 0

    def previous_crash(self) -> PreviousCrash | None:
        """The previous session on this register if it did not end cleanly
        (its log is kept under a crash name), else None."""
        if not self.path.exists():
            return None
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        started = ""
        for line in text.splitlines():
            if line.startswith("started: "):
                started = line[len("started: "):].strip()
                break
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = self.folder / f"crash-{stamp}-{self.key}.log"
        n = 1
        while kept.exists():
            n += 1
            kept = self.folder / f"crash-{stamp}-{n}-{self.key}.log"
        try:
            os.replace(self.path, kept)
        except OSError:
            kept = self.path
        self._prune()
        fatal = "Fatal Python error" in text or "Traceback (most recent call last)" in text
        return PreviousCrash(kept, started or "时间不详", fatal)

    def begin(self, version: str = "") -> None:
        """Open the session log and route fatal faults into it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = fh = open(self.path, "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - held open for faulthandler
        now = _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        fh.write(f"Disclosure Desk {version}\nstarted: {now}\npid: {os.getpid()}\n"
                         f"register: {self.db_path}\n\n")
        fh.flush()
        faulthandler.enable(file=fh, all_threads=True)

    def record_exception(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """Write an uncaught Python exception (the app goes on)."""
        if self._file is None:
            return
        self.exceptions += 1
        now = _dt.datetime.now().strftime("%H:%M:%S")
        self._file.write(f"--- {now}\n{''.join(traceback.format_exception(exc_type, exc, tb))}\n")
        self._file.flush()

    def end(self) -> Path | None:
        """A clean exit: no crash is reported next time.  A session that met
        uncaught exceptions keeps its log as ``errors-<date>-<time>.log``
        (returned); otherwise the log goes."""
        if self._file is None:
            return None
        try:
            faulthandler.disable()
            self._file.close()
        finally:
            self._file = None
        try:
            if self.exceptions:
                stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                kept = self.folder / f"errors-{stamp}-{self.key}.log"
                os.replace(self.path, kept)
                self._prune()
                return kept
            self.path.unlink()
        except OSError:
            pass
        return None

    def _prune(self) -> None:
        logs = sorted([*self.folder.glob("crash-*.log"), *self.folder.glob("errors-*.log")],
                      key=lambda p: p.stat().st_mtime, reverse=True)
        for old in logs[KEEP_CRASH_LOGS:]:
            try:
                old.unlink()
            except OSError:
                pass


def _rotate(path: Path, *, max_bytes: int, keep: int) -> None:
    """``app.log`` past ``max_bytes`` becomes ``app.log.1`` (``.1`` becomes
    ``.2`` …, the oldest of ``keep`` dropped)."""
    try:
        if path.stat().st_size <= max_bytes:
            return
    except FileNotFoundError:
        return
    for n in range(keep, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        newer = path.with_name(f"{path.name}.{n - 1}") if n > 1 else path
        if newer.exists():
            os.replace(newer, older)


def configure_file_logging(folder: Path, level: int = 30) -> Path | None:
    """Warnings and errors of every session in ``logs/app.log`` (when it
    has passed 1 MB at the start of a session it becomes ``app.log.1``,
    three kept), besides the terminal; None when the folder cannot be
    written (the app still runs).  (A plain ``FileHandler``:
    ``logging.handlers`` brings socket and pickle, ~5 ms of start-up.)"""
    import logging

    path = Path(folder) / "app.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(path, max_bytes=1_000_000, keep=3)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, logging.FileHandler) and getattr(h, "baseFilename", "") == str(path)
               for h in root.handlers):
        root.addHandler(handler)
    return path
