"""Every feature of the GUI, in one list: the pages of the navigation, the
commands on an application, the sections of the detail pane, the tabs of
the settings dialog, the entries of the 文件 menu, what runs once the
window is shown, and the extra columns of the register table.

Each entry names its target with a plain import inside a small function,
so a feature's module is imported when it is first needed (the window
opens without loading every page) and an IDE or grep finds every use.
The window and the pages read this list from ``context.features``
(``ui.context.AppContext``), so no page imports this module.

Contracts:

* page: ``Class(context, parent)``, a QWidget listening to
  ``context.data_changed`` itself;
* application action: ``function(context, app_id, parent_widget)``;
* detail section: ``Class(context, parent)`` with ``set_application(app_id | None)``;
* settings tab: ``Class(context, parent)`` with ``validate() -> str | None``
  (a Chinese message shown before anything is saved) and ``save()``;
* file action and start-up hook: ``function(context, main_window)``;
* register column: a function returning the ``ui.table_columns.Column``
  entries to add (``Column.after`` places each).
"""

from __future__ import annotations

from typing import Any

from .registry import Feature, Features


# --- pages ----------------------------------------------------------------------------------


def _dashboard_page() -> Any:
    from .dashboard_page import DashboardPage
    return DashboardPage


def _register_page() -> Any:
    from .register_page import RegisterPage
    return RegisterPage


def _items_page() -> Any:
    from .items_page import ItemsPage
    return ItemsPage


def _proactive_settings_tab() -> Any:
    from .items_settings import ProactiveSettingsTab
    return ProactiveSettingsTab


def _calendar_page() -> Any:
    from .calendar_page import CalendarPage
    return CalendarPage


def _backup_page() -> Any:
    from .backup_page import BackupPage
    return BackupPage


def _recycle_bin_page() -> Any:
    from .recycle_bin_page import RecycleBinPage
    return RecycleBinPage


def _report_page() -> Any:
    from .report_page import ReportPage
    return ReportPage


def _cases_page() -> Any:
    from .cases_page import CasesPage
    return CasesPage


# --- commands on one application -------------------------------------------------------------------


def _workflow_action() -> Any:
    from .deadline_dialogs import workflow_action
    return workflow_action


def _delete_action() -> Any:
    from .recycle_bin_page import delete_application_action
    return delete_application_action


def _print_documents_action() -> Any:
    from .documents_actions import print_documents_action
    return print_documents_action


# --- sections of the detail pane -------------------------------------------------------------------


def _deadline_section() -> Any:
    from .deadline_section import DeadlineSection
    return DeadlineSection


def _review_section() -> Any:
    from .ledger_actions import ReviewSection
    return ReviewSection


def _history_section() -> Any:
    from .history_section import HistorySection
    return HistorySection


def _report_section() -> Any:
    from .report_section import ReportPlacementSection
    return ReportPlacementSection


def _documents_section() -> Any:
    from .documents_actions import DocumentsSection
    return DocumentsSection


# --- settings tabs ------------------------------------------------------------------------------------


def _agency_tab() -> Any:
    from .settings_dialog import AgencySettingsTab
    return AgencySettingsTab


def _security_tab() -> Any:
    from .security_tab import SecuritySettingsTab
    return SecuritySettingsTab


def _deadlines_tab() -> Any:
    from .deadline_settings import DeadlineSettingsTab
    return DeadlineSettingsTab


def _documents_tab() -> Any:
    from .documents_settings import DocumentSettingsTab
    return DocumentSettingsTab


# --- the 文件 menu -------------------------------------------------------------------------------------


def _blank_form_action() -> Any:
    from .documents_actions import blank_form_action
    return blank_form_action


def _batch_print_action() -> Any:
    from .documents_actions import batch_print_action
    return batch_print_action


def _import_ledger_action() -> Any:
    from .ledger_actions import import_ledger_action
    return import_ledger_action


def _export_ledger_action() -> Any:
    from .ledger_actions import export_ledger_action
    return export_ledger_action


def _template_action() -> Any:
    from .ledger_actions import template_action
    return template_action


def _backup_now_action() -> Any:
    from .backup_page import backup_now_action
    return backup_now_action


def _lock_now_action() -> Any:
    from .safety import lock_now_action
    return lock_now_action


def _calculator_action() -> Any:
    from .deadline_dialogs import calculator_action
    return calculator_action


# --- once the window is shown ------------------------------------------------------------------------


def _first_start_hook() -> Any:
    from .first_start_guide import first_start_hook
    return first_start_hook


def _daily_backup_hook() -> Any:
    from .safety import daily_backup_hook
    return daily_backup_hook


def _published_guard_hook() -> Any:
    from .cases_page import install_published_guard
    return install_published_guard


def _deadline_reminder_hook() -> Any:
    from .dashboard_page import startup_hook
    return startup_hook


def _exit_after_show_hook() -> Any:
    # Start-up benchmark only: inert unless DISCLOSURE_DESK_EXIT_AFTER_SHOW=1.
    from .startup_probe import exit_after_show_hook
    return exit_after_show_hook


def _font_conversion_hook() -> Any:
    from .font_conversion import startup_hook
    return startup_hook


# --- register columns ----------------------------------------------------------------------------------


def _deadline_columns() -> Any:
    from .deadline_columns import columns
    return columns


FEATURES = Features(
    pages=[
        Feature("dashboard", "工作台", _dashboard_page),
        Feature("register", "申请台账", _register_page),
        Feature("calendar", "办理日历", _calendar_page),
        Feature("proactive", "主动公开", _items_page),
        Feature("backup", "数据备份", _backup_page),
        Feature("recycle_bin", "回收站", _recycle_bin_page),
        Feature("annual_report", "年度报告", _report_page),
        Feature("review_cases", "复议诉讼", _cases_page),
    ],
    application_actions=[
        Feature("workflow", "办理步骤…", _workflow_action),
        Feature("delete", "删除", _delete_action),
        Feature("print_documents", "打印文书…", _print_documents_action),
    ],
    detail_sections=[
        Feature("deadline", "办理期限", _deadline_section),
        Feature("needs_review", "待核实", _review_section),
        Feature("history", "修改记录", _history_section),
        Feature("report_placement", "计入年度报告", _report_section),
        Feature("documents", "文书与收费", _documents_section),
    ],
    settings_tabs=[
        Feature("agency", "机关信息", _agency_tab),
        Feature("security", "安全", _security_tab),
        Feature("deadlines", "期限与日历", _deadlines_tab),
        Feature("documents", "文书", _documents_tab),
        Feature("proactive", "主动公开", _proactive_settings_tab),
    ],
    file_actions=[
        Feature("blank_form", "打印空白申请表…", _blank_form_action),
        Feature("batch_print", "批量打印文书…", _batch_print_action),
        Feature("import_ledger", "导入台账…", _import_ledger_action),
        Feature("export_ledger", "导出台账…", _export_ledger_action),
        Feature("ledger_template", "下载导入模板…", _template_action),
        Feature("backup_now", "立即备份", _backup_now_action),
        Feature("lock_now", "锁定（离开座位时）", _lock_now_action),
        Feature("deadline_calculator", "期限计算器…", _calculator_action),
    ],
    startup_hooks=[
        Feature("first_start_guide", "首次使用向导", _first_start_hook),
        Feature("daily_backup", "每日自动备份", _daily_backup_hook),
        Feature("published_guard", "已发布年度报告的变化提醒", _published_guard_hook),
        Feature("deadline_reminder", "办理期限提醒", _deadline_reminder_hook),
        Feature("exit_after_show", "启动计时", _exit_after_show_hook),
        Feature("font_conversion", "公文字体转换", _font_conversion_hook),
    ],
    register_columns=[
        Feature("deadline_columns", "答复期限、剩余工作日", _deadline_columns),
    ],
    file_menu_groups={
        "blank_form": "print", "batch_print": "print",
        "import_ledger": "ledger", "export_ledger": "ledger", "ledger_template": "ledger",
        "backup_now": "safety", "lock_now": "safety",
    },
)
