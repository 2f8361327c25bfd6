"""The ledger (申请台账) as an Excel or CSV file: import (all or nothing,
taking an agency's own ledger as it is), export (full or masked) and the
import template.  No Qt: the CLI and the GUI's worker thread both call
these functions."""

from .columns import COLUMNS, IGNORE, REQUIRED_HEADERS, STANDARD_COLUMNS, neutralise, unneutralise
from .exporter import ExportCancelled, export_ledger, write_template
from .importer import (
    ImportCancelled, ImportOptions, ImportSummary, LedgerImportError, LedgerMappingNeeded, LedgerPreview,
    RowProblem, check_ledger, import_ledger, inspect_ledger, parse_mapping, plan_import, read_table,
    remember_mapping, remembered_mappings,
)
from .reader import LedgerFileError, LedgerLimitError, read_workbook

__all__ = [
    "COLUMNS", "IGNORE", "REQUIRED_HEADERS", "STANDARD_COLUMNS", "ExportCancelled", "ImportCancelled",
    "ImportOptions", "ImportSummary", "LedgerFileError", "LedgerImportError", "LedgerLimitError",
    "LedgerMappingNeeded", "LedgerPreview", "RowProblem", "check_ledger", "export_ledger", "import_ledger",
    "inspect_ledger", "neutralise", "parse_mapping", "plan_import", "read_table", "read_workbook",
    "remember_mapping", "remembered_mappings", "unneutralise", "write_template",
]
