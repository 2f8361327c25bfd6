"""fonts: which face each role of the documents uses and why."""

from __future__ import annotations

import os
import subprocess
import sys


def test_fonts_command_lists_each_role_with_its_reason(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "fonts"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for label in ("正文（仿宋）：", "标题（小标宋）：", "一级标题（黑体）：", "二级标题（楷体）：", "页码（宋体）："):
        assert label in proc.stdout
