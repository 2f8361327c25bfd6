"""Before Qt starts on Linux: can its platform plugin load on this PC?

Qt's xcb platform plugin links to a dozen small X libraries
(libxcb-icccm4, libxcb-keysyms1, libxcb-cursor0, libxkbcommon-x11-0 …)
that a bare Debian, 统信UOS or 麒麟 machine may lack.  Without one of them
Qt aborts (exit 134) with an English message that names the wrong
package; started from the menu the clerk sees nothing at all.

:func:`check_gui_platform` runs first: it reads which libraries Qt's
Core/Gui/Widgets libraries and (with a display) the xcb plugin link to,
straight from their ELF headers (:mod:`desktop_app.elf`), and tries to
load each one that does not come with Qt.  When one is missing it says
so in Chinese, naming the Debian packages to install, on the terminal, in
``logs/app.log`` in the data folder and in a dialog drawn by whatever
desktop tool exists (zenity, kdialog, notify-send, xmessage: they do not
need the missing libraries), and the app exits with
:data:`EXIT_PLATFORM`.

No Qt here (Qt is what might not load).
"""

from __future__ import annotations

import ctypes
import _ctypes
import importlib.util
import logging
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import APP_NAME
from .elf import GLIBC_LIBRARIES, ElfError, read_elf

log = logging.getLogger(__name__)

#: Exit code when the GUI cannot start on this system (missing libraries, no display).
EXIT_PLATFORM = 3

#: Set to 1 to skip the check (a developer who knows better).
ENV_SKIP = "DISCLOSURE_DESK_SKIP_PLATFORM_CHECK"

#: Library (soname) → the Debian/统信UOS/麒麟 package that provides it.
SONAME_PACKAGES = {
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-util.so.0": "libxcb-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

#: What every Linux desktop install of the app needs (the README's
#: ``scripts/system_packages.py`` installs the missing ones).
RUNTIME_PACKAGES = [
    "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxcb-image0", "libxcb-render-util0",
    "libxcb-shape0", "libxcb-randr0", "libxcb-render0", "libxcb-shm0", "libxcb-sync1",
    "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon0", "libxkbcommon-x11-0", "libx11-xcb1",
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0",
]

_MISSING_RE = re.compile(r"([\w.+-]+\.so(?:\.[\w]+)*): cannot open shared object file")
_SONAME_RE = re.compile(r"([\w.+-]+\.so(?:\.\d+)*)")

#: Libraries the check never loads: glibc's own (always there) and Qt's.
_SKIP_PREFIXES = ("libQt6", "libpyside6", "libshiboken6", "libicu")


@dataclass
class PlatformProblem:
    """Why Qt cannot start here."""

    kind: str                                    # "libraries" or "display"
    missing: list[tuple[str, str]] = field(default_factory=list)  # (library, package)
    details: list[str] = field(default_factory=list)               # loader messages

    @property
    def packages(self) -> list[str]:
        out: list[str] = []
        for _lib, pkg in self.missing:
            if pkg and pkg not in out:
                out.append(pkg)
        return out

    def message(self, log_path: Path | None = None) -> str:
        """The clerk's (and IT staff's) message, in Chinese."""
        if self.kind == "display":
            text = (f"{APP_NAME}无法打开窗口：没有找到图形显示（环境变量 DISPLAY 和 WAYLAND_DISPLAY "
                    "都没有设置）。\n\n请在桌面环境中启动本程序（应用菜单“办公”中的“政府信息公开办理台”）。"
                    "通过远程终端使用时，可以使用命令行功能（disclosure-desk --help）。")
        else:
            names = [lib for lib, _pkg in self.missing]
            libs = "、".join(names) if len(names) <= 6 else "、".join(names[:5]) + f" 等{len(names)}个"
            packages = " ".join(self.packages)
            text = (f"{APP_NAME}无法打开窗口：这台电脑缺少图形界面所需的系统组件（{libs}）。\n\n"
                    "请由技术人员或有管理员权限的用户安装以下软件包，然后重新启动本程序：\n"
                    f"    sudo apt-get install {packages}\n"
                    "（统信UOS、麒麟系统也可以在应用商店或软件包管理器中搜索并安装这些软件包。）\n\n"
                    "台账数据没有受到任何影响。")
        if log_path is not None:
            text += f"\n本信息已记录在：{log_path}"
        return text


# --- where Qt is ------------------------------------------------------------------------


def qt_dirs() -> tuple[Path, Path] | None:
    """(Qt's lib folder, Qt's plugins folder) of the PySide6 the app will
    import, found without importing it; None if PySide6 is not there."""
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "PySide6")
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        candidates.extend(Path(p) for p in spec.submodule_search_locations)
    for base in candidates:
        lib, plugins = base / "Qt" / "lib", base / "Qt" / "plugins"
        if lib.is_dir() and plugins.is_dir():
            return lib, plugins
    return None


def platforms_to_check(environ=None) -> list[str]:
    """The window-system plugins Qt may use here, in the order it tries
    them: an explicit QT_QPA_PLATFORM (xcb or wayland); else on a Wayland
    session wayland, falling back to xcb (XWayland) when DISPLAY is set;
    else xcb with an X display."""
    env = os.environ if environ is None else environ
    requested = env.get("QT_QPA_PLATFORM", "").strip().lower()
    if requested:
        name = requested.split(":", 1)[0].split(";", 1)[0]
        return [name] if name in ("xcb", "wayland") else []
    out = []
    if env.get("WAYLAND_DISPLAY"):
        out.append("wayland")
    if env.get("DISPLAY"):
        out.append("xcb")
    return out


def will_use_xcb(environ=None) -> bool:
    """Whether Qt may pick its xcb (X11) platform here."""
    return "xcb" in platforms_to_check(environ)


def has_display(environ=None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("QT_QPA_PLATFORM", "").strip():
        return True  # offscreen, minimal, vnc …: Qt was told where to draw
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


# --- trying the libraries ---------------------------------------------------------------


def _try_load(name_or_path: str) -> str | None:
    """None when the library loads, else the loader's own message (through
    _ctypes.dlopen: in a PyInstaller bundle ctypes.CDLL replaces it with a
    generic one that does not name the missing dependency)."""
    try:
        _ctypes.dlopen(name_or_path, ctypes.RTLD_LOCAL | os.RTLD_NOW)
    except OSError as exc:
        return str(exc)
    return None


def missing_libraries(roots: list[Path], qt_lib: Path, extra_dirs: Sequence[Path] = (), *,
                      loader=_try_load) -> tuple[list[str], list[str]]:
    """The libraries (sonames) ``roots`` link to, directly or through
    Qt's own libraries, that cannot be loaded here, and the loader's
    messages.  A library that comes with Qt (or is in ``extra_dirs``, the
    bundle) is loaded from there."""
    missing: list[str] = []
    details: list[str] = []
    seen: set[str] = set()
    todo = [p for p in roots if p.is_file()]
    visited: set[Path] = set()
    while todo:
        path = todo.pop(0)
        if path in visited:
            continue
        visited.add(path)
        try:
            info = read_elf(path)
        except (OSError, ElfError):
            continue
        if info is None:
            continue
        for soname in info.needed:
            if soname in seen or soname in GLIBC_LIBRARIES:
                continue
            seen.add(soname)
            in_qt = qt_lib / soname
            if in_qt.exists():
                todo.append(in_qt)  # Qt's own: follow what it needs
                continue
            if soname.startswith(_SKIP_PREFIXES):
                continue
            target = soname
            for d in extra_dirs:
                if (Path(d) / soname).exists():
                    target = str(Path(d) / soname)
                    break
            error = loader(target)
            if error is None:
                continue
            details.append(error)
            found = _MISSING_RE.search(error)
            culprit = found.group(1) if found else soname
            if culprit not in missing:
                missing.append(culprit)
    return missing, details


def find_problem(environ=None) -> PlatformProblem | None:
    """What would stop Qt from starting a window here (Linux only), or None."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or env.get(ENV_SKIP) == "1":
        return None
    if not has_display(env):
        return PlatformProblem("display")
    dirs = qt_dirs()
    if dirs is None:
        return None  # no PySide6: the import error will say so
    qt_lib, plugins = dirs
    extra = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        extra.append(Path(bundle))
    core = [qt_lib / "libQt6Core.so.6", qt_lib / "libQt6Gui.so.6", qt_lib / "libQt6Widgets.so.6"]
    plugin_roots = {
        "xcb": [qt_lib / "libQt6XcbQpa.so.6", plugins / "platforms" / "libqxcb.so"],
        "wayland": [plugins / "platforms" / "libqwayland.so"],
    }
    # Qt uses the first window-system plugin that loads; when none does,
    # name what the last one tried (xcb, the fallback) lacks, Qt's own
    # libraries' needs included, so one install is enough
    # (Qt's own libraries' needs are read once: with the first plugin's, or
    # alone when no plugin is to be checked)
    platforms = [(name, roots) for name in platforms_to_check(env)
                 if (roots := [r for r in plugin_roots[name] if r.is_file()])]
    if not platforms:
        missing, details = missing_libraries(core, qt_lib, extra)
    for _name, roots in platforms:
        missing, details = missing_libraries(core + roots, qt_lib, extra)
        if not missing:
            break
    if not missing:
        return None
    return PlatformProblem("libraries", [(lib, SONAME_PACKAGES.get(lib, "")) for lib in missing],
                           details)


# --- telling the clerk ------------------------------------------------------------------


def _dialog_commands(title: str, text: str) -> list[list[str]]:
    """Desktop tools that can show an error box without Qt, best first."""
    cmds = []
    if shutil.which("zenity"):
        cmds.append(["zenity", "--error", "--no-markup", "--width=560", f"--title={title}", f"--text={text}"])
    if shutil.which("kdialog"):
        cmds.append(["kdialog", "--title", title, "--error", text])
    if shutil.which("notify-send"):
        cmds.append(["notify-send", "--urgency=critical", f"--app-name={APP_NAME}", "--icon=dialog-error",
                     title, text])
    if shutil.which("xmessage"):
        cmds.append(["xmessage", "-center", "-buttons", "OK:0", f"{title}\n\n{text}"])
    return cmds


def show_dialog(title: str, text: str) -> str | None:
    """Show ``text`` in a dialog through the first desktop tool found
    (not waited for); the tool's name, or None when there is none."""
    import subprocess  # (only to show a message: not on the start-up path)

    for cmd in _dialog_commands(title, text):
        try:
            subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            continue
        return cmd[0]
    return None


def report(problem: PlatformProblem) -> Path | None:
    """Tell it on the terminal, in the log and in a dialog; the log's path."""
    from .files import paths
    from .files.crashlog import configure_file_logging, logs_dir

    log_path = None
    try:
        log_path = configure_file_logging(logs_dir(paths.data_dir()))
    except Exception:  # the message still goes to the terminal and the dialog
        log_path = None
    text = problem.message(log_path)
    detail = "; ".join(problem.details)
    log.error("%s%s", text, f"\n(loader: {detail})" if detail else "")
    for handler in logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # a handler that cannot flush must not hide the message
            pass
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):
        pass
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        show_dialog(f"{APP_NAME} – 无法启动", text)
    return log_path


def check_gui_platform() -> int:
    """0 when the GUI can start; else report why and return
    :data:`EXIT_PLATFORM`.  A fault in the check itself never blocks the app."""
    try:
        problem = find_problem()
    except Exception:  # the check must not be what stops the clerk
        log.debug("platform check failed", exc_info=True)
        return 0
    if problem is None:
        return 0
    report(problem)
    return EXIT_PLATFORM
