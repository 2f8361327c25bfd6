"""``disclosure-desk``: the GUI, or a command when one is given.

The one place that decides between the two: a command line of only
``--db PATH`` / ``--demo`` opens the window at once (without importing
the command modules); anything else is parsed by the command line, whose
``--self-test`` and missing command also lead here.  Neither ``ui`` nor
``cli`` imports the other.
"""

from __future__ import annotations

import argparse
import gc
import sys


def gui_only_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they just open the GUI (``--db PATH``, ``--demo``,
    nothing else), read without importing the command modules so the
    window opens fast; None for anything else (the full parser decides)."""
    db, demo, i = None, False, 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--demo":
            demo = True
        elif arg == "--db" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            db = argv[i + 1]
            i += 1
        elif arg.startswith("--db=") and len(arg) > 5:
            db = arg[5:]
        else:
            return None
        i += 1
    if db and demo:
        return None
    return argparse.Namespace(db=db, demo=demo, command=None, self_test=False)


def run_gui(args: argparse.Namespace) -> int:
    # The cyclic garbage collector waits until the first screen is drawn
    # (ui.app resumes it): the start-up makes long-lived objects, not garbage,
    # and some 45 collections of them cost ~14 ms of it.
    gc.disable()
    # Before Qt: a missing system library gets a Chinese answer, not an abort.
    from .platform_check import check_gui_platform

    code = check_gui_platform()
    if code:
        return code
    from . import font_preload

    font_preload.start()  # fontconfig's caches read while Qt and the app are imported
    from .ui.app import run_gui as run  # Qt is imported only for the GUI

    return run(args)


def main(argv: list[str] | None = None) -> int:
    # Chinese text on a Windows console or a pipe: never die on encoding.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except ValueError:
                pass
    gui_args = gui_only_args(sys.argv[1:] if argv is None else list(argv))
    if gui_args is not None:
        return run_gui(gui_args)
    from .cli import build_parser, run_command

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db and args.demo:
        parser.error("--db 与 --demo 不能同时使用。")
    if args.self_test:
        from .selftest import main as self_test

        return self_test(args)
    if args.command is None:
        return run_gui(args)
    return run_command(args)
