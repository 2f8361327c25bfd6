"""Pieces of the installer that run outside PyInstaller's build: the
runtime hook that cleans the child-process environment, the install
script's syntax, the Inno Setup script's encoding."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


# --- the spec's filters, for both platforms ------------------------------------------------


def spec_filters():
    """The filter section of build_installer.spec, executed alone."""
    import os as _os

    text = (ROOT / "build_installer.spec").read_text(encoding="utf-8")
    start = text.index("# --- what comes out again")
    end = text.index("# --- end of filters")
    for path in (str(ROOT / "installer"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    namespace = {"os": _os, "sys": sys}
    exec(compile(text[start:end], "build_installer.spec", "exec"), namespace)
    return namespace


def test_spec_keeps_what_a_widgets_app_needs_on_windows_and_linux():
    keep = spec_filters()["_keep"]
    for dest in [
        # Windows wheel layout
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/plugins/imageformats/qico.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/plugins/printsupport/windowsprintersupport.dll",
        "PySide6/translations/qtbase_zh_CN.qm",
        "PySide6/Qt6Widgets.dll", "PySide6/Qt6Network.dll", "PySide6/Qt6PrintSupport.dll",
        # Linux wheel layout
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt/lib/libQt6Network.so.6",
        "resources/icons/app-256.png", "pypdfium2_raw/libpdfium.so",
        "holidays/locale/zh_CN/LC_MESSAGES/CN.mo",  # the Chinese names of the statutory days off
    ]:
        assert keep(dest), dest


def test_spec_drops_unused_qt_parts():
    keep = spec_filters()["_keep"]
    for dest in [
        "PySide6/opengl32sw.dll", "PySide6/d3dcompiler_47.dll", "PySide6/Qt6Quick.dll",
        "PySide6/Qt6Qml.dll", "PySide6/Qt6Pdf.dll", "PySide6/plugins/platforms/qdirect2d.dll",
        "PySide6/translations/qtbase_de.qm", "PySide6/Qt/translations/qtbase_fr.qm",
        "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms/libqminimalegl.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
        "PySide6/Qt/plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
        "PySide6/Qt/lib/libQt6Quick.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "PySide6/Qt/qml/QtQuick/qmldir",
    ]:
        assert not keep(dest), dest


def test_elf_dependency_reader_lists_direct_dependencies():
    import sqlite3

    needed = spec_filters()["_elf_needed"]
    ext = Path(sqlite3.__file__).parent.parent / "lib-dynload"
    candidates = sorted(ext.glob("_sqlite3*.so")) if ext.is_dir() else []
    if not candidates or not sys.platform.startswith("linux"):
        import _sqlite3

        candidates = [Path(_sqlite3.__file__)]
    names = needed(str(candidates[0]))
    assert names is not None and any(n.startswith("libsqlite3") for n in names), names
    assert needed(str(ROOT / "README.md")) is None  # not ELF


def test_prune_keeps_linked_and_packaged_libraries_and_drops_the_rest(tmp_path, monkeypatch):
    filters = spec_filters()
    graph = {"ext.so": ["libQt6Core.so.6", "libcups.so.2"], "libQt6Core.so.6": ["libicu.so"],
             "libicu.so": [], "libgtkonly.so": [], "libcups.so.2": ["libgnutls.so"],
             "libgnutls.so": [], "libpdfium.so": []}
    monkeypatch.setitem(filters, "_elf_needed", lambda src: graph[Path(src).name])
    entries = [
        ("PySide6/QtCore.abi3.so", "/x/ext.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("libicu.so", "/x/libicu.so", "BINARY"),
        ("libgtkonly.so", "/x/libgtkonly.so", "BINARY"),          # only a dropped plugin needed it
        ("libcups.so.2", "/x/libcups.so.2", "BINARY"),            # taken from the system
        ("libgnutls.so", "/x/libgnutls.so", "BINARY"),            # only libcups needed it
        ("pypdfium2_raw/libpdfium.so", "/x/libpdfium.so", "BINARY"),  # ctypes: stays
    ]
    kept = {d for d, _s, _t in filters["_prune_unreferenced"](entries)}
    assert kept == {"PySide6/QtCore.abi3.so", "PySide6/Qt/lib/libQt6Core.so.6", "libicu.so",
                    "pypdfium2_raw/libpdfium.so"}
    links = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("libQt6Gone.so.6", "PySide6/Qt/lib/libQt6Gone.so.6", "SYMLINK")]
    assert filters["_drop_dangling_symlinks"](links, kept) == links[:1]
