"""What a GUI feature is (:class:`Feature`) and the lists of them the
window reads (:class:`Features`); the lists themselves are in
``ui.features``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Feature:
    """One entry: ``load()`` imports the feature's module and returns its
    target (a class or a function, per the list's contract)."""

    key: str
    label: str
    load: Callable[[], Any]


@dataclass(frozen=True)
class Features:
    pages: Sequence[Feature] = ()
    application_actions: Sequence[Feature] = ()
    detail_sections: Sequence[Feature] = ()
    settings_tabs: Sequence[Feature] = ()
    file_actions: Sequence[Feature] = ()
    startup_hooks: Sequence[Feature] = ()
    register_columns: Sequence[Feature] = ()
    #: which 文件 menu entries belong together (a separator between groups)
    file_menu_groups: dict[str, str] = field(default_factory=dict)

    def all(self) -> list[Feature]:
        return [*self.pages, *self.application_actions, *self.detail_sections, *self.settings_tabs,
                *self.file_actions, *self.startup_hooks, *self.register_columns]
