"""Features made up for GUI tests: one whose module is not built yet, one
that loads a given target."""

import importlib

from desktop_app.ui.registry import Feature


def not_built(key: str, label: str, module: str = "desktop_app.ui.not_built_yet") -> Feature:
    """A feature whose module does not exist (yet)."""
    return Feature(key, label, lambda: importlib.import_module(module).target)


def feature(key: str, label: str, target: object) -> Feature:
    """A feature that loads ``target``."""
    return Feature(key, label, lambda: target)
