"""Build the one-folder bundle on this OS, self-test it and report its size.

    python3 scripts/build_installer.py            # build + self-test + size
    python3 scripts/build_installer.py --no-build # self-test the existing dist/

Steps:
1. ``pyinstaller --noconfirm --clean build_installer.spec`` → dist/disclosure-desk/
2. on Linux, check that every Qt plugin kept in the bundle finds the Qt
   libraries it links to (a plugin that cannot load would make the app
   fail only on a clerk's PC);
3. run ``dist/disclosure-desk/disclosure-desk --self-test`` with
   ``QT_QPA_PLATFORM=offscreen`` and a temporary database;
4. report the bundle's unpacked size and its largest files; fail when it
   exceeds ``--max-mb`` (150 MB by default).

On Linux it adds installer/linux/install.sh and the .desktop file to the
bundle, tries that install script into a temporary home, and packs
dist/disclosure-desk-<version>-linux-<arch>.tar.gz for IT staff.  On
Windows, when Inno Setup's ``ISCC.exe`` is on PATH (or given with
``--iscc``), it compiles installer/windows/disclosure-desk.iss into
dist/installer/.  Exit 0 when everything passed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer"))
from version_info import EXE_NAME, package_version  # noqa: E402

IS_WINDOWS = sys.platform == "win32"
DIST = ROOT / "dist"
BUNDLE = DIST / EXE_NAME
EXE = BUNDLE / (EXE_NAME + (".exe" if IS_WINDOWS else ""))


def log(msg: str) -> None:
    print(f"[build_installer] {msg}", flush=True)


def build(clean: bool = True) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is not installed: pip install -e '.[build]'") from None
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST),
           "--workpath", str(ROOT / "build"), str(ROOT / "build_installer.spec")]
    if clean:
        cmd.insert(4, "--clean")
    log(" ".join(cmd))
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True)
    log(f"PyInstaller finished in {time.perf_counter() - start:.0f} s")


def dir_size(folder: Path) -> tuple[int, list[tuple[int, Path]]]:
    total = 0
    files = []
    for dirpath, _dirs, names in os.walk(folder):
        for n in names:
            p = Path(dirpath) / n
            if p.is_symlink():
                continue
            size = p.stat().st_size
            total += size
            files.append((size, p))
    files.sort(reverse=True)
    return total, files


def check_linux_libraries(bundle: Path) -> list[str]:
    """Qt plugins in the bundle whose libQt6* dependencies are missing."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    internal = bundle / "_internal"
    lib_dirs = [d for d in (internal / "PySide6" / "Qt" / "lib", internal) if d.is_dir()]
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(str(d) for d in lib_dirs))
    problems = []
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for so in sorted(plugins.rglob("*.so")):
        out = subprocess.run(["ldd", str(so)], capture_output=True, text=True, env=env).stdout
        missing = [line.split()[0] for line in out.splitlines()
                   if "not found" in line and "Qt6" in line]
        if missing:
            problems.append(f"{so.relative_to(bundle)}: {', '.join(missing)}")
    return problems


def self_test(exe: Path) -> tuple[bool, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)  # the bundle must not lean on this checkout
    start = time.perf_counter()
    proc = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=env, cwd=str(exe.parent.parent),
                          timeout=300)
    seconds = time.perf_counter() - start
    output = (proc.stdout + proc.stderr).strip()
    log(f"self-test exit {proc.returncode} in {seconds:.1f} s:")
    for line in output.splitlines():
        print("    " + line)
    return proc.returncode == 0, output


IS_LINUX = sys.platform.startswith("linux")


def add_linux_installer(bundle: Path) -> None:
    for name in ("install.sh", "disclosure-desk.desktop"):
        target = bundle / name
        shutil.copy2(ROOT / "installer" / "linux" / name, target)
    (bundle / "install.sh").chmod(0o755)


def try_linux_install(bundle: Path) -> bool:
    """Run install.sh for a throw-away user: the installed copy must pass
    its self-test and the menu entry must point at it."""
    home = Path(tempfile.mkdtemp(prefix="disclosure-desk-home-"))
    try:
        env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen")
        env.pop("XDG_DATA_HOME", None)
        env.pop("PYTHONPATH", None)
        proc = subprocess.run(["sh", str(bundle / "install.sh")], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", env=env, timeout=300)
        desktop = home / ".local/share/applications/disclosure-desk.desktop"
        exe = home / ".local/opt/disclosure-desk/disclosure-desk"
        ok = (proc.returncode == 0 and desktop.is_file() and f"Exec={exe}" in desktop.read_text("utf-8")
              and (home / ".local/share/icons/hicolor/48x48/apps/disclosure-desk.png").is_file())
        log(f"install.sh into a temporary home: {'OK' if ok else 'FAILED'}")
        if not ok:
            print("    " + (proc.stdout + proc.stderr).strip().replace("\n", "\n    "))
        return ok
    finally:
        shutil.rmtree(home, ignore_errors=True)


def pack_linux(bundle: Path) -> Path:
    arch = platform.machine() or "x86_64"
    target = DIST / f"{EXE_NAME}-{package_version()}-linux-{arch}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(bundle, arcname=f"{EXE_NAME}-{package_version()}")
    log(f"package {target.relative_to(ROOT)}: {target.stat().st_size / 1024 / 1024:.1f} MB")
    return target


def inno_setup(iscc: str | None) -> None:
    iscc = iscc or shutil.which("ISCC") or shutil.which("iscc")
    if not iscc:
        log("Inno Setup (ISCC.exe) not found: skipping the setup program "
            "(see installer/windows/README.md)")
        return
    iss = ROOT / "installer" / "windows" / "disclosure-desk.iss"
    subprocess.run([iscc, f"/DAppVersion={package_version()}", f"/DBundleDir={BUNDLE}",
                    f"/O{DIST / 'installer'}", str(iss)], check=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-build", action="store_true", help="self-test and measure the existing dist/")
    ap.add_argument("--no-clean", action="store_true", help="reuse PyInstaller's build cache")
    ap.add_argument("--max-mb", type=float, default=150.0, help="size limit of the unpacked bundle")
    ap.add_argument("--iscc", help="path of Inno Setup's ISCC.exe (Windows)")
    ap.add_argument("--no-package", action="store_true",
                    help="skip the Linux install-script check and .tar.gz (or the Windows setup program)")
    args = ap.parse_args(argv)

    log(f"disclosure-desk {package_version()} on {sys.platform}, Python {sys.version.split()[0]}")
    if not args.no_build:
        build(clean=not args.no_clean)
    if not EXE.exists():
        log(f"no bundle at {EXE}")
        return 1

    if IS_LINUX:
        add_linux_installer(BUNDLE)
    ok = True
    problems = check_linux_libraries(BUNDLE)
    if problems:
        ok = False
        log("Qt plugins with missing libraries:")
        for p in problems:
            print("    " + p)

    passed, _ = self_test(EXE)
    ok &= passed

    total, files = dir_size(BUNDLE)
    mb = total / 1024 / 1024
    log(f"bundle {BUNDLE.relative_to(ROOT)}: {mb:.1f} MB unpacked, {len(files)} files "
        f"(limit {args.max_mb:.0f} MB)")
    for size, p in files[:12]:
        print(f"    {size / 1024 / 1024:6.1f} MB  {p.relative_to(BUNDLE)}")
    if mb > args.max_mb:
        ok = False
        log(f"bundle is over the {args.max_mb:.0f} MB limit")

    if ok and not args.no_package:
        if IS_LINUX:
            ok = try_linux_install(BUNDLE)
            if ok:
                pack_linux(BUNDLE)
        elif IS_WINDOWS:
            inno_setup(args.iscc)
    log("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
