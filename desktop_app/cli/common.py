"""What every command needs: the database path and a clean failure."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from ..storage.database import DatabaseOpenError, connect
from ..storage.register import Register


def database_path(args) -> Path:
    if getattr(args, "demo", False):
        return paths.demo_database_path()
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    return paths.default_database_path()


def open_register(args, *, create: bool = True) -> Register:
    """Open the register named by ``--db``/``--demo``; on failure print
    the reason and exit 2 (never touching a file it cannot read)."""
    path = database_path(args)
    try:
        db = connect(path, create=create)
    except DatabaseOpenError as exc:
        fail(str(exc))
    register = Register(db)
    if getattr(args, "demo", False) and register.count() == 0:
        from ..demo import fill_demo

        fill_demo(register)
    return register


def fail(message: str, code: int = 2):
    print(f"错误：{message}", file=sys.stderr)
    raise SystemExit(code)
