"""What the About dialog (关于) shows, gathered without Qt: the version,
where the data and the backups are, which years the working-day calendar
covers and which font the PDFs use.  IT staff copy it into a support
request, so each line is plain text and nothing here can fail: a value
that cannot be read says why.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import APP_NAME, APP_NAME_EN, __version__
from ..documents import fonts as pdf_fonts
from ..domain.workdays import PROVISIONAL_RULE, WorkdayCalendar
from ..files import paths
from ..storage import backups
from .session import Session
from .settings import get_settings


@dataclass(frozen=True)
class AboutRow:
    key: str
    label: str
    value: str
    warning: str = ""        # shown in red under the value
    path: str | None = None  # a folder the dialog can open


def _size_text(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _guard(key: str, label: str, func: Callable[[], AboutRow]) -> AboutRow:
    try:
        return func()
    except Exception as exc:  # any failure becomes the row's text: the dialog must always open
        return AboutRow(key, label, f"无法读取（{type(exc).__name__}: {exc}）")


def version_row() -> AboutRow:
    return AboutRow("version", "版本", f"{__version__}")


def runtime_row() -> AboutRow:
    def get() -> AboutRow:
        # This module stays free of Qt: it reads the versions of a Qt the GUI
        # has already loaded, else those of the installed distribution.
        pyside_mod, qtcore = sys.modules.get("PySide6"), sys.modules.get("PySide6.QtCore")
        if pyside_mod is not None and qtcore is not None:
            qt = f"Qt {qtcore.qVersion()}，PySide6 {pyside_mod.__version__}"
        else:
            from importlib import metadata

            try:
                qt = f"PySide6 {metadata.version('PySide6-Essentials')}"
            except metadata.PackageNotFoundError:
                qt = "Qt 未安装"
        bundled = "（安装包）" if getattr(sys, "frozen", False) else ""
        return AboutRow("runtime", "运行环境",
                        f"Python {platform.python_version()}{bundled}，{qt}，{platform.system()} {platform.release()}")

    return _guard("runtime", "运行环境", get)


def database_row(db_path: str | os.PathLike[str]) -> AboutRow:
    def get() -> AboutRow:
        p = Path(db_path)
        if p.is_file():
            # with WAL, recent writes sit in the -wal file until a checkpoint
            wal = p.with_name(p.name + "-wal")
            size = _size_text(p.stat().st_size + (wal.stat().st_size if wal.is_file() else 0))
        else:
            size = "尚未创建"
        return AboutRow("database", "数据库", f"{p}（{size}）", path=str(p.parent))

    return _guard("database", "数据库", get)


def data_dir_row() -> AboutRow:
    return _guard("data_dir", "数据文件夹",
                  lambda: AboutRow("data_dir", "数据文件夹", str(paths.data_dir()), path=str(paths.data_dir())))


def backup_row(session: Session) -> AboutRow:
    def get() -> AboutRow:
        folder = session.store.backup_dir()
        found = backups.list_backups(session.path, folder, count=False) if folder.is_dir() else []
        if found:
            newest = found[0]
            value = (f"{folder}（{len(found)} 份，最近一次 {newest.created:%Y-%m-%d %H:%M}，"
                     f"{newest.kind_label}）")
            age = _dt.datetime.now() - newest.created
            warning = f"最近一次备份已是 {age.days} 天前。" if age.days >= 7 else ""
        else:
            value, warning = f"{folder}（尚无备份）", "尚无备份。请在“文件”菜单中备份数据库。"
        return AboutRow("backup_dir", "备份文件夹", value, warning, path=str(folder))

    return _guard("backup_dir", "备份文件夹", get)


def calendar_row(session: Session | None = None, today: _dt.date | None = None) -> AboutRow:
    def get() -> AboutRow:
        if session is not None:
            calendar = session.store.calendar.load()
        else:
            calendar = WorkdayCalendar.from_package()
        years = calendar.covered_years()
        if not years:
            return AboutRow("calendar", "工作日历", "无节假日数据", "期限无法按官方日历计算。")
        try:
            import chinese_calendar

            source = f"chinese-calendar {chinese_calendar.__version__}"
        except (ImportError, AttributeError):
            source = "chinese-calendar"
        value = f"{_years_text(years)} 年（{source}）"
        d = today or _dt.date.today()
        warning = ""
        if d.year not in years:
            warning = (f"今年（{d.year}）的节假日安排尚未收录，期限暂按放假办法推算（{PROVISIONAL_RULE}）。"
                       "请在“设置 → 期限与日历”中补录。")
        elif d.month >= 11 and d.year + 1 not in years:
            warning = (f"{d.year + 1} 年的节假日安排尚未收录：国务院办公厅公布后，"
                       "请在“设置 → 期限与日历”中补录或升级本程序。")
        return AboutRow("calendar", "工作日历", value, warning)

    return _guard("calendar", "工作日历", get)


def _years_text(years: list[int]) -> str:
    years = sorted(set(years))
    runs: list[tuple[int, int]] = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return "、".join(f"{a}–{b}" if a != b else str(a) for a, b in runs)


def font_row(settings: Mapping[str, Any] | None = None) -> AboutRow:
    def get() -> AboutRow:
        fonts = pdf_fonts.resolve_fonts(dict(settings or {}))
        value = fonts.describe()
        return AboutRow("pdf_font", "文书字体（PDF）", value,
                        "" if fonts.embedded else (fonts.warning or "字体未嵌入 PDF。"))

    return _guard("pdf_font", "文书字体（PDF）", get)


def about_rows(session: Session | None = None) -> list[AboutRow]:
    """Every row, in display order (without a register: the app's own)."""
    rows = [version_row()]
    if session is not None:
        rows.append(database_row(session.path))
    rows.append(data_dir_row())
    if session is not None:
        rows.append(backup_row(session))
    settings = get_settings(session) if session is not None else None
    rows += [calendar_row(session), font_row(settings), runtime_row()]
    return rows


def about_text(rows: list[AboutRow]) -> str:
    """Plain text for the clipboard (IT support requests)."""
    lines = [f"{APP_NAME}（{APP_NAME_EN}）"]
    for r in rows:
        lines.append(f"{r.label}：{r.value}")
        if r.warning:
            lines.append(f"  注意：{r.warning}")
    return "\n".join(lines)
