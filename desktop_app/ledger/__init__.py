"""The ledger (申请台账) as an Excel or CSV file: import (all or nothing),
export (full or masked) and the import template.  No Qt: the CLI and the
GUI's worker thread both call these functions."""

from .columns import COLUMNS, REQUIRED_HEADERS, STANDARD_COLUMNS, neutralise, unneutralise
from .exporter import ExportCancelled, export_ledger, write_template
from .importer import (
    ImportCancelled, ImportSummary, LedgerImportError, RowProblem, check_ledger, import_ledger,
    plan_import,
)
from .reader import LedgerFileError, read_table

__all__ = [
    "COLUMNS", "REQUIRED_HEADERS", "STANDARD_COLUMNS", "ExportCancelled", "ImportCancelled", "ImportSummary",
    "LedgerFileError", "LedgerImportError", "RowProblem", "check_ledger", "export_ledger", "import_ledger",
    "neutralise", "plan_import", "read_table", "unneutralise", "write_template",
]
