"""scripts/system_packages.py, the first step of the README's command for a
fresh machine: what it decides to install, how, and that it does nothing
where everything is there.  (The real run on a bare Debian is
scripts/chroot_readme_check.py, root only.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sp(monkeypatch):
    spec = importlib.util.spec_from_file_location("system_packages", ROOT / "scripts" / "system_packages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(module.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or _Done())
    monkeypatch.setattr(module.sys, "platform", "linux")
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    module.calls = calls
    return module


class _Done:
    returncode = 0
    stdout = ""


def test_nothing_is_installed_where_everything_is_there(sp, monkeypatch):
    monkeypatch.setattr(sp, "missing_packages", lambda: [])
    assert sp.main() == 0
    assert sp.calls == []


def test_missing_packages_are_installed_as_root(sp, monkeypatch):
    monkeypatch.setattr(sp, "missing_packages", lambda: ["libxcb-icccm4", "libxcb-keysyms1"])
    monkeypatch.setattr(sp.os, "geteuid", lambda: 0)
    assert sp.main() == 0
    assert sp.calls == [["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "--no-install-recommends", "libxcb-icccm4", "libxcb-keysyms1"]]


def test_a_user_on_a_terminal_goes_through_sudo(sp, monkeypatch):
    monkeypatch.setattr(sp, "missing_packages", lambda: ["libgl1"])
    monkeypatch.setattr(sp.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sp.sys.stdin, "isatty", lambda: True, raising=False)
    assert sp.main() == 0
    assert sp.calls[-1][:2] == ["sudo", "apt-get"] and sp.calls[-1][-1] == "libgl1"


def test_without_a_way_to_install_it_says_what_to_run_and_lets_the_command_go_on(sp, monkeypatch, capsys):
    monkeypatch.setattr(sp, "missing_packages", lambda: ["libxcb-icccm4"])
    monkeypatch.setattr(sp, "installer_prefix", lambda: None)
    monkeypatch.setattr(sp, "venv_package", lambda: None)
    assert sp.main() == 0
    assert "sudo apt-get install libxcb-icccm4" in capsys.readouterr().err
    # …but stops the command when python3 -m venv could not work
    monkeypatch.setattr(sp, "venv_package", lambda: "python3.11-venv")
    assert sp.main() == 1


def test_what_counts_as_missing(sp, monkeypatch):
    from desktop_app.platform_check import RUNTIME_PACKAGES

    have = set(RUNTIME_PACKAGES) - {"libxcb-icccm4", "libxcb-keysyms1"}
    monkeypatch.setattr(sp, "installed", lambda p: p in have)
    monkeypatch.setattr(sp, "venv_package", lambda: None)
    monkeypatch.setattr(sp, "has_cjk_font", lambda: True)
    assert sp.missing_packages() == ["libxcb-icccm4", "libxcb-keysyms1"]
    monkeypatch.setattr(sp, "has_cjk_font", lambda: False)
    assert sp.missing_packages()[-2:] == ["fontconfig", "fonts-noto-cjk"]
    monkeypatch.setattr(sp, "venv_package", lambda: "python3.11-venv")
    assert sp.missing_packages()[0] == "python3.11-venv"


def test_other_systems_are_left_alone(sp, monkeypatch):
    monkeypatch.setattr(sp.sys, "platform", "win32")
    assert sp.main() == 0 and sp.calls == []


def test_the_readme_command_starts_with_it():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Two commands for a fresh machine", 1)[1].split("```")[1].strip()
    assert block.startswith("python3 scripts/system_packages.py && python3 -m venv .venv")
    assert block.endswith(".venv/bin/disclosure-desk --demo")
