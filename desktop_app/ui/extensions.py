"""The places where features plug into the GUI, in one list each.

Targets are ``"module:attribute"`` strings, imported when first needed so
start-up stays fast.  Contracts:

* ``PAGES``: a left-navigation page.  ``Class(context, parent=None)``, a
  QWidget; it listens to ``context.data_changed`` itself.
* ``APPLICATION_ACTIONS``: a command on one application (toolbar of the
  detail pane and the register's context menu).
  ``function(context, app_id, parent_widget) -> None``.
* ``DETAIL_SECTIONS``: a collapsible section of the detail pane.
  ``Class(context, parent=None)`` with ``set_application(app_id | None)``.
* ``SETTINGS_TABS``: a tab of the settings dialog.  ``Class(context,
  parent=None)`` with ``validate() -> str | None`` (a Chinese message
  when something is wrong, shown before anything is saved) and ``save()``.
* ``FILE_ACTIONS``: an entry of the main window's 文件 menu (import,
  export, template, backup…).  ``function(context, main_window) -> None``.
* ``STARTUP_HOOKS``: called once after the main window is shown:
  ``function(context, main_window) -> None``.
* ``REGISTER_COLUMNS``: a column of the register table: a
  ``ui.register_model.Column`` (or a list of them, or a function returning
  either); ``Column.after`` names the key of the column it follows.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Extension:
    key: str
    label: str
    target: str

    def load(self):
        module_name, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attr)


PAGES: list[Extension] = [
    Extension("dashboard", "工作台", "desktop_app.ui.dashboard_page:DashboardPage"),
    Extension("register", "申请台账", "desktop_app.ui.register_page:RegisterPage"),
]

APPLICATION_ACTIONS: list[Extension] = []

DETAIL_SECTIONS: list[Extension] = []

SETTINGS_TABS: list[Extension] = [
    Extension("agency", "机关信息", "desktop_app.ui.settings_dialog:AgencySettingsTab"),
]

FILE_ACTIONS: list[Extension] = [
    # the ledger (issue 2)
    Extension("import_ledger", "导入台账…", "desktop_app.ui.ledger_actions:import_ledger_action"),
    Extension("export_ledger", "导出台账…", "desktop_app.ui.ledger_actions:export_ledger_action"),
    Extension("ledger_template", "下载导入模板…", "desktop_app.ui.ledger_actions:template_action"),
]

STARTUP_HOOKS: list[Extension] = []

REGISTER_COLUMNS: list[Extension] = []

# --- data safety (issue 6) -----------------------------------------------------------
PAGES += [
    Extension("backup", "数据备份", "desktop_app.ui.backup_page:BackupPage"),
    Extension("recycle_bin", "回收站", "desktop_app.ui.recycle_bin_page:RecycleBinPage"),
]
APPLICATION_ACTIONS.append(
    Extension("delete", "删除", "desktop_app.ui.recycle_bin_page:delete_application_action"))
DETAIL_SECTIONS.append(
    Extension("history", "修改记录", "desktop_app.ui.history_section:HistorySection"))
SETTINGS_TABS.append(
    Extension("security", "安全", "desktop_app.ui.security_tab:SecuritySettingsTab"))
STARTUP_HOOKS.append(
    Extension("daily_backup", "每日自动备份", "desktop_app.ui.safety:daily_backup_hook"))
FILE_ACTIONS += [
    Extension("backup_now", "立即备份", "desktop_app.ui.backup_page:backup_now_action"),
    Extension("lock_now", "锁定（离开座位时）", "desktop_app.ui.safety:lock_now_action"),
]

# --- annual report (issue 5) -----------------------------------------------------------
PAGES += [
    Extension("annual_report", "年度报告", "desktop_app.ui.report_page:ReportPage"),
    Extension("review_cases", "复议诉讼", "desktop_app.ui.cases_page:CasesPage"),
]
STARTUP_HOOKS.append(
    Extension("published_guard", "已发布年度报告的变化提醒", "desktop_app.ui.cases_page:install_published_guard"))
DETAIL_SECTIONS.append(
    Extension("report_placement", "计入年度报告", "desktop_app.ui.report_section:ReportPlacementSection"))

# --- deadlines (issue 3) ---------------------------------------------------------------
PAGES.insert(next((i + 1 for i, e in enumerate(PAGES) if e.key == "register"), len(PAGES)),
             Extension("calendar", "办理日历", "desktop_app.ui.calendar_page:CalendarPage"))
APPLICATION_ACTIONS.insert(
    0, Extension("workflow", "办理步骤…", "desktop_app.ui.deadline_dialogs:workflow_action"))
DETAIL_SECTIONS.insert(
    0, Extension("deadline", "办理期限", "desktop_app.ui.deadline_section:DeadlineSection"))
SETTINGS_TABS.append(
    Extension("deadlines", "期限与日历", "desktop_app.ui.deadline_settings:DeadlineSettingsTab"))
FILE_ACTIONS.append(
    Extension("deadline_calculator", "期限计算器…", "desktop_app.ui.deadline_dialogs:calculator_action"))
STARTUP_HOOKS.append(
    Extension("deadline_reminder", "办理期限提醒", "desktop_app.ui.dashboard_page:startup_hook"))
REGISTER_COLUMNS.append(
    Extension("deadline_columns", "答复期限、剩余工作日", "desktop_app.ui.deadline_columns:columns"))

# --- installer (issue 7) -----------------------------------------------------------------
# Start-up benchmark only: inert unless DISCLOSURE_DESK_EXIT_AFTER_SHOW=1.
STARTUP_HOOKS.append(
    Extension("exit_after_show", "启动计时", "desktop_app.ui.startup_probe:exit_after_show_hook"))

# --- documents (issue 4) -----------------------------------------------------------------
APPLICATION_ACTIONS.append(
    Extension("print_documents", "打印文书…", "desktop_app.ui.documents_actions:print_documents_action"))
DETAIL_SECTIONS.append(
    Extension("documents", "文书与收费", "desktop_app.ui.documents_actions:DocumentsSection"))
SETTINGS_TABS.append(
    Extension("documents", "文书", "desktop_app.ui.documents_settings:DocumentSettingsTab"))
FILE_ACTIONS[0:0] = [
    Extension("blank_form", "打印空白申请表…", "desktop_app.ui.documents_actions:blank_form_action"),
    Extension("batch_print", "批量打印文书…", "desktop_app.ui.documents_actions:batch_print_action"),
]

# --- adopting an agency's own ledger (issue 10) --------------------------------------------
DETAIL_SECTIONS.insert(1, Extension("needs_review", "待核实", "desktop_app.ui.ledger_actions:ReviewSection"))

# --- office PCs (issue 18) ---------------------------------------------------------------
STARTUP_HOOKS.append(
    Extension("font_conversion", "公文字体转换", "desktop_app.ui.font_conversion:startup_hook"))
