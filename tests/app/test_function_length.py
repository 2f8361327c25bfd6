"""Functions longer than 60 lines only with the reason written beside them:
a comment ``# Long: <why>`` on the line above the ``def`` (or its decorators).

Run as a script to list the long functions: ``python tests/app/test_function_length.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import desktop_app

PACKAGE_DIR = Path(desktop_app.__file__).parent
LIMIT = 60
MARK = "# Long:"


def long_functions(root: Path = PACKAGE_DIR, limit: int = LIMIT) -> list[tuple[Path, int, str, int, str | None]]:
    """(file, line, name, length, reason or None) of every function longer than ``limit`` lines."""
    out = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length <= limit:
                continue
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            above = lines[first - 2].strip() if first >= 2 else ""
            reason = above[len(MARK):].strip() if above.startswith(MARK) else None
            out.append((path, node.lineno, node.name, length, reason or None))
    return out


def test_every_function_over_60_lines_says_why_it_is_long():
    unexplained = [f"{path.relative_to(PACKAGE_DIR.parent)}:{line} {name} ({length} lines)"
                   for path, line, name, length, reason in long_functions() if reason is None]
    assert unexplained == [], f"write '{MARK} <reason>' above these, or split them:\n" + "\n".join(unexplained)


def test_a_long_function_without_a_reason_is_found_and_one_with_a_reason_passes(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT))
    (tmp_path / "m.py").write_text(
        f"def short():\n    return 1\n\n\ndef bare():\n{body}\n\n"
        f"{MARK} a table written out row by row\n@staticmethod\ndef told():\n{body}")
    found = {name: reason for _p, _l, name, _n, reason in long_functions(tmp_path)}
    assert found == {"bare": None, "told": "a table written out row by row"}


if __name__ == "__main__":
    for path, line, name, length, reason in long_functions():
        print(f"{length:4d}  {path.relative_to(PACKAGE_DIR.parent)}:{line}  {name}  {reason or '(no reason)'}")
    sys.exit(0)
