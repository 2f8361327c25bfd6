"""``backup``, ``backups``, ``restore`` and ``check``: data safety from the
command line (same functions as the GUI's 数据备份 page)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..services import backups
from ..services.session import DatabaseDamagedError, DatabaseOpenError, create_register, probe
from .common import database_path, existing_register, fail, print_table, require_password


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="新建一个空白台账（只在指定的文件还不存在时）",
                       description="在 --db 指定的位置新建一个空白台账。已有的文件（无论是什么）都不会被改动；"
                                   "所在文件夹不存在时报错，除非加 --parents。其他命令都不会自动新建台账。")
    p.add_argument("--parents", action="store_true", help="所在文件夹不存在时一并创建")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("backup", help="立即备份数据库（使用 SQLite 在线备份，写入后校验）",
                       description="把数据库备份到备份文件夹（默认：设置中的备份文件夹，"
                                   "未设置时为数据库旁的 backups 文件夹），备份写入后做完整性校验。")
    p.add_argument("--to", metavar="DIR", help="备份到这个文件夹（例如移动硬盘）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help="列出已有的备份（时间、大小、申请件数）")
    p.add_argument("--dir", metavar="DIR", help="只列出这个文件夹中的备份")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="从备份恢复数据库（先自动备份当前数据库，可撤销）",
                       description="用备份文件替换当前数据库。恢复前会先备份当前数据库，"
                                   "因此恢复本身可以撤销；未通过完整性检查的备份会被拒绝。")
    p.add_argument("backup_file", metavar="BACKUP_FILE", help="备份文件（.db）")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="检查数据库完整性与一致性（正常时退出码 0，有问题时 1）")
    p.set_defaults(func=cmd_check)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, n // 1024)} KB"


def _progress_printer() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        pct = int(done * 100 / total) if total else 100
        if pct != last[0]:
            last[0] = pct
            print(f"\r备份中… {pct}%", end="", file=sys.stderr, flush=True)
            if pct >= 100:
                print(file=sys.stderr)
    return show


def cmd_init(args) -> int:
    path = database_path(args)
    create_register(path, make_parents=args.parents).close()
    print(f"已新建空白台账：{path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    path = database_path(args)
    existing_register(path, hint_empty=False)
    info = backups.back_up(path, kind="cli", folder=args.to, progress=_progress_printer())
    apps = "" if info.applications is None else f"，{info.applications} 件申请"
    print(f"已备份到：{info.path}（{_size(info.size)}{apps}，已通过完整性校验）")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    path = database_path(args)
    found = backups.list_backups(path, args.dir)
    if not found:
        where = args.dir or "、".join(str(d) for d in backups.candidate_dirs(path))
        print(f"没有找到“{path.name}”的备份（查找位置：{where}）。")
        return 0
    print_table(["备份时间", "类型", "大小", "申请件数", "文件"], [
        [f"{b.created:%Y-%m-%d %H:%M:%S}", b.kind_label, _size(b.size),
         "?" if b.applications is None else str(b.applications), str(b.path)]
        for b in found], right={2, 3})
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = database_path(args)
    source = Path(args.backup_file).expanduser()
    if not source.exists():
        fail(f"备份文件“{source}”不存在。可用“backups”命令列出已有的备份。")
    if not path.parent.is_dir():
        fail(f"数据库所在的文件夹“{path.parent}”不存在，没有进行恢复。请检查 --db 路径。")
    _guard_current(path)
    if backups.is_locked(path):
        fail("政府信息公开办理台的窗口正打开着这个数据库。请先关闭窗口再恢复，"
             "或在窗口的“数据备份”页中恢复。")
    result = backups.restore(path, source)
    apps = "" if result.applications is None else f"（{result.applications} 件申请）"
    print(f"已从“{source}”恢复数据库“{path}”{apps}，并通过完整性检查。")
    if result.undo_backup:
        print(f"恢复前的数据库已备份为：{result.undo_backup.path}")
        print(f"如需撤销这次恢复，请运行：disclosure-desk --db \"{path}\" restore \"{result.undo_backup.path}\"")
    if result.damaged_copy:
        print(f"原来已损坏的数据库已改名保留为：{result.damaged_copy}")
    return 0


def _guard_current(path: Path) -> None:
    """Restoring replaces the register: when the current one is readable
    and has a start-up password, the password is needed."""
    try:
        found = probe(path)
    except DatabaseOpenError:
        return  # missing or damaged (restore's purpose), or not ours (restore refuses it)
    if found.exists:
        require_password(found.setting("password_hash"))


def cmd_check(args: argparse.Namespace) -> int:
    path = database_path(args)
    try:
        probe(path)
    except DatabaseDamagedError:
        pass  # reported below, with the newest good backup
    except DatabaseOpenError as exc:  # missing, a folder, no permission, not ours: not damage
        message = str(exc)
        if exc.cause == "not_ours" and path.is_file():
            good = backups.newest_good_backup(path)
            if good is not None:  # a register's path: most likely overwritten by other data
                message += (f"\n这个位置有台账的备份，如果这里原来是台账，它已被其他数据覆盖。最新的完好备份："
                            f"{good.path}（{good.created:%Y-%m-%d %H:%M}）。"
                            f"恢复：disclosure-desk --db \"{path}\" restore \"{good.path}\"")
        fail(message, exc.exit_code)
    try:
        findings = backups.check_file(path)
    except Exception as exc:  # whatever stops the check is reported as a finding, not a crash
        findings = [f"无法检查：{exc}"]
    if not findings:
        print(f"数据库“{path}”完好：完整性检查与一致性检查均未发现问题。")
        return 0
    print(f"数据库“{path}”检查发现 {len(findings)} 个问题：")
    for f in findings:
        print(f"  · {f}")
    if not backups.quick_check(path).ok:
        good = backups.newest_good_backup(path)
        if good:
            print(f"最新的完好备份：{good.path}（{good.created:%Y-%m-%d %H:%M}，"
                  f"{good.applications if good.applications is not None else '?'} 件申请）。")
            print(f"恢复：disclosure-desk --db \"{path}\" restore \"{good.path}\"")
        else:
            print("没有找到完好的备份。请不要继续使用这个文件，联系技术人员。")
    return 1

