"""The static checks .ci/run runs before the tests; run it alone with
``.venv/bin/python .ci/lint.py`` (Windows: ``.venv\\Scripts\\python .ci\\lint.py``).

- ruff: lint of desktop_app, tests, bench and scripts (rules in pyproject.toml);
- mypy: types of desktop_app, strict on domain, services and files;
- import-linter: the layers of docs/architecture.md (contracts in pyproject.toml).

Every check runs even when an earlier one fails; the exit code is 1 when any failed.
The import-cycle count (imports inside functions too) is a test:
tests/app/test_import_cycles.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECKS = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "desktop_app", "tests", "bench", "scripts"]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    ("import-linter", [sys.executable, "-c",
                       "import sys; from importlinter.cli import lint_imports; "
                       "sys.exit(lint_imports(no_logo=True))"]),
]


def main() -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # import-linter imports nothing, but finds desktop_app here
    failed = []
    for name, command in CHECKS:
        start = time.perf_counter()
        print(f"--- {name}", flush=True)
        code = subprocess.call(command, cwd=ROOT, env=env)
        print(f"--- {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - start:.1f} s",
              flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print("lint failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
