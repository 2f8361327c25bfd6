"""Versioned schema migrations.

Each migration is a function in its own module, applied once, in order,
inside a transaction (sqlite-utils' ``Migrations``).  The database's
``PRAGMA user_version`` mirrors the number of migrations applied, so a
database written by a newer version of the app is recognised and refused
before anything is changed.

To add a migration: write ``mNNNN_name.py`` with a function
``migrate(db)`` and add its module name to ``MIGRATION_MODULES`` below.
Never edit a migration that has shipped.  Numbers name migrations, they
do not order them: m0007 ships before m0006 exists on some branches, and
each migration is applied once by name, so the two are independent.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Migrations

MIGRATION_SET = "disclosure_desk"

#: Module names, in the order they are applied.
MIGRATION_MODULES = [
    "m0001_initial",
    "m0002_calendar",         # calendar overrides, the derived deadline columns
    "m0003_documents",        # document numbers, issued documents, templates
    "m0004_report",           # review cases, proactive figures, report narratives
    "m0005_safety",           # audit trail, recycle bin
    "m0006_ledger_adoption",  # 待核实 flags, the agency's numbering pattern
    "m0007_privacy",          # our marker in the header, the masked audit trail
    "m0009_proactive_items",  # the proactive-disclosure register, typed section 二 figures
    "m0010_register_speed",   # the serial sort key, indexes for the register's orders
    "m0011_search_text",      # the stored lower-cased search column and its index
    "m0013_report_index",     # section 三 read from a narrow index (m0012 is the search index)
    "m0012_search_index",     # the n-gram index of the search column (FTS5) and its pending log
    "m0014_register_orders",  # indexes for the 答复日期, 证件号码 and 联系电话 orders
    "m0015_label_orders",     # indexes for the 申请方式 and 办理结果 orders (by label)
    "m0016_order_keys",       # indexes for the 办理状态, 申请人类型, 申请内容 and 剩余工作日 orders
]


def build_migrations() -> Migrations:
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for module_name in MIGRATION_MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        migrations(name=module_name)(module.migrate)
    return migrations


LATEST_VERSION = len(MIGRATION_MODULES)
KNOWN_NAMES = frozenset(MIGRATION_MODULES)


def __getattr__(name: str) -> Any:
    """``MIGRATIONS`` (sqlite-utils' ``Migrations`` of every module above) is
    built on first use: opening a register that is up to date needs neither
    sqlite-utils nor the migration modules (issue 19: start-up)."""
    if name == "MIGRATIONS":
        built = build_migrations()
        globals()["MIGRATIONS"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
