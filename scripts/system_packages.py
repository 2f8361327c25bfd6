"""Install the system packages the app needs on this Linux machine, where the
user can; the first step of the README's command for a fresh machine:

    python3 scripts/system_packages.py && python3 -m venv .venv && ...

On a Debian-family system (Debian, Ubuntu, 统信UOS, 麒麟) it looks which of
these are missing (``dpkg-query``) and installs them with apt-get — as
root directly, otherwise through ``sudo`` (asking for the password on the
terminal) or ``pkexec`` (a password dialog on the desktop):

* python3-venv, when ``python3 -m venv`` cannot work without it;
* the libraries Qt's window system plugin needs (libxcb-icccm4,
  libxcb-keysyms1, libxcb-cursor0, libxkbcommon-x11-0, libgl1, libegl1 …:
  ``desktop_app.platform_check.RUNTIME_PACKAGES``);
* a Chinese font when the machine has none (fonts-noto-cjk: the window's
  text, and the serif the documents use).

Nothing is done on Windows or macOS, nor when everything is there.  When
the packages cannot be installed here (no root, no sudo), it prints the
command for the administrator in Chinese and, unless python3-venv is the
missing one, lets the README's command go on: the app itself then says
what is missing.  Exit 0, or 1 when the next step cannot work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from desktop_app.platform_check import RUNTIME_PACKAGES  # noqa: E402  (no Qt, no third-party import)

CJK_FONT_PACKAGE = "fonts-noto-cjk"


def log(msg: str) -> None:
    print(f"[system_packages] {msg}", flush=True)


def installed(package: str) -> bool:
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return proc.returncode == 0 and "install ok installed" in proc.stdout


def venv_package() -> str | None:
    """The package ``python3 -m venv`` needs here, or None when it works."""
    try:
        import ensurepip  # noqa: F401  (Debian's python3 lacks it without python3-venv)
    except ImportError:
        version = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
        return version if _available(version) else "python3-venv"
    return None


def _available(package: str) -> bool:
    proc = subprocess.run(["apt-cache", "show", package], capture_output=True, text=True)
    return proc.returncode == 0 and bool(proc.stdout.strip())


def has_cjk_font() -> bool:
    fc = shutil.which("fc-list")
    if fc is None:
        return False
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


def missing_packages() -> list[str]:
    missing = []
    venv = venv_package()
    if venv:
        missing.append(venv)
    missing += [p for p in RUNTIME_PACKAGES if not installed(p)]
    if not has_cjk_font() and not installed(CJK_FONT_PACKAGE):
        missing += ["fontconfig", CJK_FONT_PACKAGE]
    return missing


def installer_prefix() -> list[str] | None:
    """How this user can run apt-get as root here (None: cannot)."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        if sys.stdin.isatty():
            return ["sudo"]
        if subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
            return ["sudo", "-n"]
    if shutil.which("pkexec") and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return ["pkexec"]
    return None


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        log("not a Debian-family system: install the packages named in the README yourself")
        return 0
    missing = missing_packages()
    if not missing:
        return 0
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    prefix = installer_prefix()
    if prefix is None:
        print("本机缺少以下软件包，需要管理员安装（之后程序才能打开窗口）：\n"
              f"    sudo apt-get install {' '.join(missing)}", file=sys.stderr)
        return 1 if venv_package() else 0
    log("installing: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    update = subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env)
    result = subprocess.run([*prefix, *command], env=env) if update.returncode == 0 else update
    if result.returncode != 0:
        print(f"安装软件包失败（apt-get 退出码 {result.returncode}）。请让管理员运行：\n"
              f"    sudo apt-get install {' '.join(missing)}", file=sys.stderr)
        return 1 if venv_package() else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
