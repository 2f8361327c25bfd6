"""Build the one-folder bundle on this OS, self-test it and report its size.

    python3 scripts/build_installer.py            # build + self-test + size
    python3 scripts/build_installer.py --no-build # self-test the existing dist/

Steps:
1. ``pyinstaller --noconfirm --clean build_installer.spec`` → dist/disclosure-desk/
2. on Linux, the audit (:func:`audit_linux_bundle`, reading every ELF
   file with desktop_app/elf.py): every library a bundled file links to
   (each Qt plugin's xcb libraries …) is in the bundle or left to the
   system on purpose (installer/linux_libs.py); with ``--target-glibc
   2.28`` no file may need a newer glibc (or C++ runtime than GCC 8's);
3. run ``dist/disclosure-desk/disclosure-desk --self-test`` with
   ``QT_QPA_PLATFORM=offscreen`` and a temporary database, and again on
   a private Xvfb display when Xvfb is installed (the window really shown);
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
sys.path.insert(1, str(ROOT))  # desktop_app.elf: the ELF reader (no Qt)
from version_info import EXE_NAME, package_version

IS_WINDOWS = sys.platform == "win32"
DIST = ROOT / "dist"
BUNDLE = DIST / EXE_NAME
EXE = BUNDLE / (EXE_NAME + (".exe" if IS_WINDOWS else ""))


def log(msg: str) -> None:
    print(f"[build_installer] {msg}", flush=True)


def build(clean: bool = True) -> None:
    try:
        import PyInstaller  # noqa: F401 - only: is it installed?
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


def _runpath_dirs(path: Path, runpath: list[str]) -> list[Path]:
    return [Path(r.replace("$ORIGIN", str(path.parent)).replace("${ORIGIN}", str(path.parent)))
            for r in runpath]


def audit_linux_bundle(bundle: Path, max_glibc: tuple[int, ...] | None = None) -> tuple[list[str], dict]:
    """Read every ELF file of the bundle (desktop_app/elf.py).  Problems:

    * a file that needs a newer glibc than ``max_glibc`` (or, with a
      target, a newer C++ runtime than linux_libs.MAX_GLIBCXX/MAX_CXXABI);
    * a library a file links to (a Qt plugin's xcb libraries …) that is
      neither in the bundle where the loader looks (the file's RUNPATH,
      the bundle's top folder) nor left to the system on purpose
      (installer/linux_libs.py).

    Returns (problems, figures)."""
    from desktop_app.elf import ElfError, format_version, read_elf
    from linux_libs import MAX_CXXABI, MAX_GLIBCXX, is_system_lib

    internal = bundle / "_internal"
    top = internal if internal.is_dir() else bundle
    problems: list[str] = []
    figures = {"elf_files": 0, "above": 0, "max_glibc": (0,), "system_needed": set()}
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            info = read_elf(path)
        except (OSError, ElfError) as exc:
            problems.append(f"{path.relative_to(bundle)}: 无法读取 ELF（{exc}）")
            continue
        if info is None:
            continue
        figures["elf_files"] += 1
        rel = path.relative_to(bundle)
        glibc = info.max_glibc()
        if glibc and glibc > figures["max_glibc"]:
            figures["max_glibc"] = glibc
        if max_glibc is not None:
            too_new = []
            if glibc and glibc > max_glibc:
                too_new.append(f"GLIBC_{format_version(glibc)}")
            for prefix, limit in (("GLIBCXX", MAX_GLIBCXX), ("CXXABI", MAX_CXXABI)):
                v = info.max_version(prefix)
                if v and v > limit:
                    too_new.append(f"{prefix}_{format_version(v)}")
            if too_new:
                figures["above"] += 1
                problems.append(f"{rel}: needs {', '.join(too_new)} (target glibc {format_version(max_glibc)})")
        search = _runpath_dirs(path, info.runpath) + [top, path.parent]
        for name in info.needed:
            if is_system_lib(name):
                figures["system_needed"].add(name)
                continue
            if not any((d / name).exists() for d in search):
                problems.append(f"{rel}: links to {name}, which is neither in the bundle nor left to the system")
    return problems, figures


def xvfb_display():
    """Start a private Xvfb; (process, ":N") or None without Xvfb."""
    exe = shutil.which("Xvfb")
    if exe is None:
        return None
    for n in range(160, 220):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            break
    proc = subprocess.Popen([exe, f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            return None
        time.sleep(0.05)
    return proc, f":{n}"


def self_test(exe: Path, display: str | None = None) -> tuple[bool, str]:
    """The bundle's --self-test: offscreen, or on the X display given (the
    xcb platform, the window really shown)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    if display:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)  # the bundle must not lean on this checkout
    log(f"self-test {'on X display ' + display if display else 'offscreen'}")
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
        env.pop("DISPLAY", None)  # install.sh's self-test: offscreen here
        env.pop("WAYLAND_DISPLAY", None)
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


def pack_linux(bundle: Path, glibc: str | None = None) -> Path:
    arch = platform.machine() or "x86_64"
    tag = f"-glibc{glibc}" if glibc else ""
    target = DIST / f"{EXE_NAME}-{package_version()}-linux-{arch}{tag}.tar.gz"
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
    ap.add_argument("--target-glibc", metavar="X.Y",
                    help="Linux: fail when any bundled file needs a newer glibc (scripts/build_glibc228.py "
                         "passes 2.28)")
    args = ap.parse_args(argv)

    log(f"disclosure-desk {package_version()} on {sys.platform}, Python {sys.version.split()[0]}")
    started = time.perf_counter()
    if not args.no_build:
        build(clean=not args.no_clean)
    if not EXE.exists():
        log(f"no bundle at {EXE}")
        return 1

    if IS_LINUX:
        add_linux_installer(BUNDLE)
    ok = True
    if IS_LINUX:
        from desktop_app.elf import format_version, parse_version

        limit = parse_version(args.target_glibc) if args.target_glibc else None
        problems, figures = audit_linux_bundle(BUNDLE, limit)
        log(f"audit: {figures['elf_files']} ELF files, newest glibc needed "
            f"GLIBC_{format_version(figures['max_glibc'])}"
            + (f", {figures['above']} above GLIBC_{args.target_glibc}" if limit else "")
            + f"; left to the system: {len(figures['system_needed'])} libraries")
        if problems:
            ok = False
            log("audit FAILED:")
            for p in problems:
                print("    " + p)

    passed, _ = self_test(EXE)
    ok &= passed
    if IS_LINUX:
        xvfb = xvfb_display()
        if xvfb is None:
            log("Xvfb not installed: self-test on a real X display skipped")
        else:
            try:
                passed, _ = self_test(EXE, xvfb[1])
                ok &= passed
            finally:
                xvfb[0].terminate()
                xvfb[0].wait(10)

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
                pack_linux(BUNDLE, args.target_glibc)
        elif IS_WINDOWS:
            inno_setup(args.iscc)
    log(f"{'OK' if ok else 'FAILED'} in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
