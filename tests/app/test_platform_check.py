"""The check before Qt starts on Linux (desktop_app.platform_check): a
missing xcb library gets a Chinese message naming the packages, on the
terminal, in logs/app.log and in a dialog, and exit code 3 — instead of
Qt's abort (134) naming the wrong package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app import elf
from desktop_app import platform_check as pc

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

# The two libraries a bare Debian desktop lacks (issue 18).
HIDDEN = ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")


def _lib_dir(soname: str) -> Path | None:
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"):
        if (Path(d) / soname).exists():
            return Path(d)
    return None


# Runs COMMAND in a private mount namespace where LIBDIR lacks the named
# libraries: LIBDIR is replaced by a farm of symlinks to every other file
# (the loader then really finds nothing: "No such file or directory").
HIDE_SCRIPT = r"""
set -e
LIBDIR=$1 FARM=$2 ORIG=$3; shift 3
mkdir -p "$FARM" "$ORIG"
mount --bind "$LIBDIR" "$ORIG"
hide=""
while [ "$1" != "--" ]; do hide="$hide $1"; shift; done; shift
for f in "$ORIG"/*; do
  n=${f##*/}; skip=0
  for h in $hide; do case "$n" in "$h"|"$h".*) skip=1;; esac; done
  [ $skip = 1 ] || ln -s "$f" "$FARM/$n"
done
mount --bind "$FARM" "$LIBDIR"
exec "$@"
"""


def _namespace_prefix() -> list[str] | None:
    """``unshare`` arguments that give a private mount namespace here (root,
    or an unprivileged user namespace), or None."""
    exe = shutil.which("unshare")
    if exe is None:
        return None
    for args in ([exe, "--mount", "--propagation", "private"],
                 [exe, "--user", "--map-root-user", "--mount", "--propagation", "private"]):
        probe = subprocess.run([*args, "sh", "-c", "mount --bind /tmp /mnt 2>/dev/null || mount -t tmpfs x /mnt"],
                               capture_output=True)
        if probe.returncode == 0:
            return args
    return None


def _run_hidden(tmp_path: Path, display: str, *, env_extra: dict | None = None, timeout: float = 120,
                args: tuple[str, ...] = ("--demo",)):
    lib_dir = _lib_dir(HIDDEN[0])
    if lib_dir is None:
        pytest.skip("libxcb-icccm4 is not installed here, nothing to hide")
    prefix = _namespace_prefix()
    if prefix is None:
        pytest.skip("no private mount namespace available (unshare needs root or user namespaces)")
    script = tmp_path / "hide.sh"
    script.write_text(HIDE_SCRIPT, encoding="utf-8")
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True, exist_ok=True)
    (home / "run").chmod(0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_", "WAYLAND"))}
    env.update(DISPLAY=display, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_RUNTIME_DIR=str(home / "run"))
    env.update(env_extra or {})
    cmd = [*prefix, "sh", str(script), str(lib_dir), str(tmp_path / "farm"), str(tmp_path / "orig"),
           *HIDDEN, "--", sys.executable, "-m", "desktop_app", *args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(tmp_path))
    return proc, home


def _fake_dialog_tool(folder: Path, name: str) -> Path:
    """A stand-in for a desktop dialog tool that records its arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.args"
    tool = folder / name
    tool.write_text(f'#!/bin/sh\nfor a; do printf "%s\\n" "$a"; done > "{record}.tmp" && /bin/mv "{record}.tmp" "{record}"\n',
                    encoding="utf-8")
    tool.chmod(0o755)
    return record


def _wait_for(path: Path, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return ""
        time.sleep(0.05)
    return path.read_text(encoding="utf-8")


def test_hidden_xcb_libraries_get_a_chinese_message_naming_the_packages_and_exit_code_3(
        xvfb_display, tmp_path):
    tools = tmp_path / "tools"
    record = _fake_dialog_tool(tools, "zenity")
    proc, home = _run_hidden(tmp_path, xvfb_display,
                             env_extra={"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"})
    assert proc.returncode == pc.EXIT_PLATFORM == 3, proc.stderr
    # the terminal
    assert "无法打开窗口" in proc.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in proc.stderr
    assert "libxcb-icccm.so.4" in proc.stderr and "libxcb-keysyms.so.1" in proc.stderr
    assert "xcb-cursor0" not in proc.stderr  # Qt's wrong guess is not repeated
    assert "qt.qpa" not in proc.stderr       # Qt never started
    # the log in the data folder
    log = home / "data" / "DisclosureDesk" / "logs" / "app.log"
    text = log.read_text(encoding="utf-8")
    assert "ERROR desktop_app.platform_check" in text
    assert "libxcb-icccm4 libxcb-keysyms1" in text and "cannot open shared object file" in text
    assert f"本信息已记录在：{log}" in proc.stderr
    # the dialog, through the desktop tool
    args = _wait_for(Path(str(record)))
    assert "--error" in args and "无法启动" in args
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in args


def test_without_the_check_qt_aborts_in_the_same_namespace(xvfb_display, tmp_path):
    """The control: hiding the same two libraries really breaks Qt (the
    abort of issue 18), so the test above proves the check's worth."""
    proc, _home = _run_hidden(tmp_path, xvfb_display, env_extra={pc.ENV_SKIP: "1"})
    assert proc.returncode in (134, -6), proc.stderr
    assert "xcb" in proc.stderr and "无法打开窗口" not in proc.stderr


def test_self_test_on_a_display_fails_naming_the_packages(xvfb_display, tmp_path):
    proc, _home = _run_hidden(tmp_path, xvfb_display, args=("--self-test",))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "main_window（主窗口）" in proc.stdout
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in proc.stderr


def test_self_test_offscreen_passes_and_still_names_what_a_desktop_lacks(xvfb_display, tmp_path):
    """install.sh run as root checks offscreen: it passes, and says which
    packages the clerks' desktop still needs."""
    proc, _home = _run_hidden(tmp_path, xvfb_display, args=("--self-test",),
                              env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "注意：在图形桌面上打开窗口还需要安装：sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in proc.stderr


def test_nothing_is_missing_where_the_libraries_are_installed(monkeypatch):
    if _lib_dir(HIDDEN[0]) is None:
        pytest.skip("the xcb libraries are not installed here")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv(pc.ENV_SKIP, raising=False)
    assert pc.qt_dirs() is not None
    assert pc.find_problem() is None


def test_the_check_reads_the_xcb_plugin_s_real_dependencies():
    dirs = pc.qt_dirs()
    assert dirs is not None
    qt_lib, plugins = dirs
    needed = set(elf.read_elf(plugins / "platforms" / "libqxcb.so").needed)
    needed |= set(elf.read_elf(qt_lib / "libQt6XcbQpa.so.6").needed)
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"} <= needed
    # every library Qt's xcb plugin needs from the system has a package name
    system = {n for n in needed if not (qt_lib / n).exists() and n not in elf.GLIBC_LIBRARIES}
    assert system <= set(pc.SONAME_PACKAGES)


def test_a_missing_dependency_of_a_present_library_is_the_one_named(tmp_path):
    """libxcb-cursor0 present but its libxcb-util1 missing: the loader's
    message names libxcb-util.so.1, and so does the check."""
    dirs = pc.qt_dirs()
    qt_lib, plugins = dirs
    calls = []

    def loader(name):
        calls.append(name)
        if name == "libxcb-cursor.so.0":
            return "libxcb-util.so.1: cannot open shared object file: No such file or directory"
        return None

    missing, details = pc.missing_libraries([plugins / "platforms" / "libqxcb.so"], qt_lib, loader=loader)
    assert missing == ["libxcb-util.so.1"]
    assert "libxcb-util.so.1" in details[0]
    problem = pc.PlatformProblem("libraries", [(m, pc.SONAME_PACKAGES[m]) for m in missing])
    assert "sudo apt-get install libxcb-util1" in problem.message()
    # Qt's own libraries are followed, never loaded; glibc is never tried
    assert not any(c.startswith(("libQt6", "libc.so")) for c in calls)
    assert "libxcb-icccm.so.4" in calls


def test_no_display_is_a_chinese_message_not_an_abort(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM") and not k.startswith("XDG_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "desktop_app", "--demo"], env=env, capture_output=True,
                          text=True, timeout=120, cwd=str(tmp_path))
    assert proc.returncode == 3
    assert "没有找到图形显示" in proc.stderr and "disclosure-desk --help" in proc.stderr
    assert not (tmp_path / "data" / "DisclosureDesk" / "demo.db").exists()  # nothing was opened


def test_the_plugins_checked_are_those_qt_will_try():
    assert pc.platforms_to_check({"DISPLAY": ":0"}) == ["xcb"]
    assert pc.platforms_to_check({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}) == ["xcb"]
    assert pc.platforms_to_check({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) == []
    assert pc.platforms_to_check({"WAYLAND_DISPLAY": "wayland-0"}) == ["wayland"]
    # a Wayland session with XWayland: wayland first, xcb if that cannot load
    assert pc.platforms_to_check({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == ["wayland", "xcb"]
    assert pc.has_display({"QT_QPA_PLATFORM": "offscreen"})
    assert not pc.has_display({})


def test_a_wayland_session_is_not_refused_for_missing_xcb_libraries(monkeypatch):
    """On a Wayland desktop Qt uses its wayland plugin: lacking
    libxcb-icccm4 there is no reason to stop; lacking both names the X
    libraries (XWayland is the fallback)."""
    broken = {"libxcb-icccm.so.4"}

    def loader(name):
        base = name.rsplit("/", 1)[-1]
        return f"{base}: cannot open shared object file: No such file or directory" if base in broken else None

    session = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    real = pc.missing_libraries
    monkeypatch.setattr(pc, "missing_libraries",
                        lambda roots, qt_lib, extra=(), loader=loader: real(roots, qt_lib, extra, loader=loader))
    assert pc.find_problem(session) is None
    broken.add("libwayland-client.so.0")
    problem = pc.find_problem(session)
    assert problem is not None and problem.packages == ["libxcb-icccm4"]
    assert pc.find_problem({"DISPLAY": ":0"}).packages == ["libxcb-icccm4"]  # plain X11
    # a bare machine: Qt's own needs and the plugin's, named together (one install)
    broken.add("libGL.so.1")
    assert pc.find_problem({"DISPLAY": ":0"}).packages == ["libgl1", "libxcb-icccm4"]


def test_the_dialog_uses_the_first_desktop_tool_there_is(tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    record = _fake_dialog_tool(tools, "notify-send")
    monkeypatch.setenv("PATH", str(tools))  # no zenity, no kdialog here
    assert pc.show_dialog("标题", "缺少 libxcb-icccm4") == "notify-send"
    args = _wait_for(record).splitlines()
    assert args[-2:] == ["标题", "缺少 libxcb-icccm4"] and "--urgency=critical" in args
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert pc.show_dialog("标题", "x") is None


def test_a_fault_in_the_check_never_blocks_the_app(monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("bug")

    monkeypatch.setattr(pc, "find_problem", broken)
    assert pc.check_gui_platform() == 0
