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

On Windows, when Inno Setup's ``ISCC.exe`` is on PATH (or given with
``--iscc``), it then compiles installer/windows/disclosure-desk.iss into
dist/installer/.  Exit 0 when everything passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
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
    args = ap.parse_args(argv)

    log(f"disclosure-desk {package_version()} on {sys.platform}, Python {sys.version.split()[0]}")
    if not args.no_build:
        build(clean=not args.no_clean)
    if not EXE.exists():
        log(f"no bundle at {EXE}")
        return 1

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

    if IS_WINDOWS and ok:
        inno_setup(args.iscc)
    log("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
