"""Where the app keeps its files (platformdirs: per-user data directory)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "DisclosureDesk"


def data_dir() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False)


def check_marks_dir() -> Path:
    """Where the marks of passed integrity checks are kept (``storage.check_mark``)."""
    return data_dir() / "checks"


def default_database_path() -> Path:
    return data_dir() / "register.db"


def demo_database_path() -> Path:
    return data_dir() / "demo.db"


def resources_dir() -> Path:
    """The resources/ folder: beside the package in a checkout or wheel,
    or inside a PyInstaller bundle."""
    import sys

    package = Path(__file__).resolve().parent.parent  # desktop_app/
    candidates = [package / "resources", package.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's boot loader
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[-1]


def register_path(db: str | None = None, *, demo: bool = False) -> Path:
    """The register a run opens: the demo's, ``--db``, or the default."""
    if demo:
        return demo_database_path()
    if db:
        return Path(db).expanduser()
    return default_database_path()
