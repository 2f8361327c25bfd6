"""Pieces of the installer that run outside PyInstaller's build: the
runtime hook that cleans the child-process environment, the install
script's syntax, the Inno Setup script's encoding."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "installer" / "pyi_rth_restore_env.py"


def _run_hook(monkeypatch, env: dict[str, str | None]):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    runpy.run_path(str(HOOK))


def test_runtime_hook_restores_the_original_library_path(monkeypatch):
    import os

    _run_hook(monkeypatch, {"LD_LIBRARY_PATH": "/opt/disclosure-desk/_internal",
                            "LD_LIBRARY_PATH_ORIG": "/usr/local/lib"})
    assert os.environ["LD_LIBRARY_PATH"] == "/usr/local/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ


def test_runtime_hook_removes_the_bundle_path_when_there_was_none(monkeypatch):
    import os

    _run_hook(monkeypatch, {"LD_LIBRARY_PATH": "/opt/disclosure-desk/_internal",
                            "LD_LIBRARY_PATH_ORIG": None})
    assert "LD_LIBRARY_PATH" not in os.environ


def test_install_script_is_valid_sh():
    proc = subprocess.run(["sh", "-n", str(ROOT / "installer" / "linux" / "install.sh")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_desktop_entry_has_the_placeholders_install_sh_fills():
    text = (ROOT / "installer" / "linux" / "disclosure-desk.desktop").read_text(encoding="utf-8")
    assert "Exec=@EXEC@\n" in text and "Exec=@EXEC@ --demo" in text
    assert "Name=政府信息公开办理台" in text and "Icon=disclosure-desk" in text


def test_inno_setup_script_is_utf8_with_bom_and_uses_the_package_version_default():
    import desktop_app

    raw = (ROOT / "installer" / "windows" / "disclosure-desk.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Inno Setup 6 needs the BOM for UTF-8
    text = raw.decode("utf-8-sig")
    assert f'#define AppVersion "{desktop_app.__version__}"' in text
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in text
    assert "{uninstallexe}" in text and "--self-test" in text
