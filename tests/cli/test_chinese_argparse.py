"""The command line speaks Chinese: help, usage errors, and it ends quietly
when its reader goes away."""

import os
import re
import subprocess
import sys

import pytest

from desktop_app.cli import build_parser
from desktop_app.cli.common import display_width, print_table

ENGLISH = re.compile(r"usage:|error:|the following arguments|invalid choice|positional arguments|"
                     r"options:|show this help|unrecognized arguments|expected one argument|invalid int")


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("argv", [["--help"], ["notice", "--help"], ["calendar", "set", "--help"]])
def test_help_is_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：")
    assert "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("argv, expected", [
    (["notice"], "缺少必填参数：--id, --kind, --out"),
    (["bogus"], "无效的选项：'bogus'"),
    (["due", "2026-01-05", "--days", "abc"], "无效的整数：'abc'"),
    (["deadlines", "--nonsense"], "无法识别的参数：--nonsense"),
    (["due", "2026-01-05", "--days"], "需要一个值"),
])
def test_usage_errors_are_chinese_and_exit_2(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "用法：" in err and "错误：" in err
    assert not ENGLISH.search(err), err


def test_columns_line_up_with_chinese_text(capsys):
    print_table(["申请编号", "申请人", "状态"], [["2026-0001", "张三", "正常计时"],
                                          ["望政依申〔2025〕12号", "某某建设有限公司", "已逾期"]])
    lines = capsys.readouterr().out.splitlines()
    starts = {display_width(line[:line.index(word)]) for line, word in zip(lines, ["状态", "正常计时", "已逾期"])}
    assert len(starts) == 1, lines


def test_a_closed_pipe_ends_the_command_quietly(tmp_path, monkeypatch, capsys):
    """``disclosure-desk calendar month 2026-10 | head -1``: the reader has gone
    when the command writes; it ends with 0 and no traceback."""
    from desktop_app.main import main

    db = tmp_path / "r.db"
    assert main(["--db", str(db), "init"]) == 0
    capsys.readouterr()
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away
    with capsys.disabled():
        monkeypatch.setattr(sys, "stdout", open(write_end, "w", encoding="utf-8"))  # noqa: SIM115 - main() closes it when the pipe breaks
        assert main(["--db", str(db), "calendar", "month", "2026-10"]) == 0
