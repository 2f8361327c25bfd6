"""``fonts``: which face each role of the documents uses on this PC and
why; ``fonts --convert`` converts Noto Serif CJK SC to TrueType now (the
GUI does it in the background by itself; IT staff may do it once after
installing).  The work is done by :mod:`desktop_app.documents.fonts` and
:mod:`desktop_app.documents.font_convert`."""

from __future__ import annotations

import argparse
import sys
import time


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "fonts", help="文书字体：各部分（正文、标题、一级/二级标题）使用的字体及原因；--convert 转换思源宋体",
        description="列出本机文书（PDF）各部分使用的字体和选择原因（设置中选择的字体优先，见“设置 → 文书”）。"
                    "本机没有仿宋或小标宋字体而装有 Noto Serif CJK SC（思源宋体）时，需要把它转换为 TrueType"
                    "才能嵌入 PDF：图形界面会在后台自动转换；--convert 立即转换（每个字重约需三分钟、1 GB 内存），"
                    "结果保存在数据目录的 fonts 文件夹中。")
    p.add_argument("--convert", action="store_true", help="立即转换 Noto Serif CJK SC（如需要）")
    p.add_argument("--machine", action="store_true", help=argparse.SUPPRESS)  # progress lines for the GUI
    p.set_defaults(func=run_fonts)


def run_fonts(args) -> int:
    from ..services.fonts import fonts, run_tasks

    if args.convert:
        tasks = fonts.pending_conversions()
        if args.machine:
            return run_tasks(tasks, sys.stdout, background=True)
        if not tasks:
            print("无需转换：本机已有仿宋和小标宋字体，或 Noto Serif CJK SC 已转换，或没有安装 Noto Serif CJK SC。")
        else:
            started = time.perf_counter()
            code = run_tasks(tasks, _TerminalProgress())
            print()
            if code != 0:
                return 2
            print(f"转换完成，用时 {time.perf_counter() - started:.0f} 秒。")
        fonts.clear_cache()
    fs = fonts.resolve_fonts({})
    for role in (*fonts.ROLES, fonts.ROLE_SONG):
        face = fs.face(role)
        print(f"{fonts.ROLE_LABELS[role]}：{face.label}")
        print(f"    {fs.reasons.get(role, '')}")
    if fs.pending:
        print("待转换：" + "、".join(t.label() for t in fs.pending)
              + "（图形界面会在后台自动转换；或运行 disclosure-desk fonts --convert）")
    if fs.warning:
        print(f"警告：{fs.warning}", file=sys.stderr)
    print("（设置 → 文书 中为某一部分选择的字体优先于以上自动选择。）")
    return 0


class _TerminalProgress:
    """Turns the worker's progress lines into one updating terminal line."""

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.startswith("PROGRESS "):
                _tag, _, rest = line.partition(" ")
                num, _, what = rest.partition(" ")
                sys.stdout.write(f"\r正在转换：{num:>3}%  {what}".ljust(60))
                sys.stdout.flush()
            elif line.startswith("ERROR "):
                sys.stdout.write(f"\n转换失败：{line[6:]}\n")
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()
